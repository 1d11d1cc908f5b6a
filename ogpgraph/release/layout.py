"""Where a build's outputs live, and which dumps a release has.

    {out}/current -> releases/{stamp}        symlink, swapped atomically on success
    {out}/releases/{stamp}/
        build.json                 manifest: counts, dumps (bytes, sha256, triples), warnings
        store/                     on-disk pyoxigraph store: the named graphs, and their
                                   union as default graph (serve's GRAPH/FROM queries)
        validation-report.ttl      SHACL report of this build
        listings.sqlite            browse/search index (ogpgraph/release/listings/)
        dumps/                     the files of :data:`DUMPS`
        history/                   the change history so far (ogpgraph/release/history/)
    {out}/releases/.staging-{stamp}/   a release being written (removed if the build fails)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ogpgraph.graph.formats import JSONLD, NQUADS, NTRIPLES, TRIG, TURTLE, Format

DumpContent = Literal["union", "quads", "ontology", "vocabularies", "shapes"]
STAGING_PREFIX = ".staging-"


@dataclass(frozen=True)
class Dump:
    name: str  # what ``ogpgraph dump --format`` calls it
    file: str  # its file name in dumps/ and at /dumps/{file}
    format: Format
    gzipped: bool
    content: DumpContent  # the union of the graphs, the quads with provenance, or a file
    description: str

    @property
    def whole_dataset(self) -> bool:
        return self.content in ("union", "quads")

    @property
    def media_type(self) -> str:
        return "application/gzip" if self.gzipped else self.format.media_type


DUMPS: tuple[Dump, ...] = (
    Dump("ttl", "ogpgraph.ttl", TURTLE, False, "union",
         "The whole dataset (union of all graphs) as Turtle"),
    Dump("nt.gz", "ogpgraph.nt.gz", NTRIPLES, True, "union",
         "The whole dataset as gzipped N-Triples"),
    Dump("nq.gz", "ogpgraph.nq.gz", NQUADS, True, "quads",
         "N-Quads with the provenance named graphs (one per source), gzipped"),
    Dump("trig", "ogpgraph.trig", TRIG, False, "quads", "TriG with the provenance named graphs"),
    Dump("jsonld", "ogpgraph.jsonld", JSONLD, False, "union", "The whole dataset as JSON-LD"),
    Dump("ontology", "ontology.ttl", TURTLE, False, "ontology", "The ogpgraph OWL ontology"),
    Dump("vocabularies", "vocabularies.ttl", TURTLE, False, "vocabularies",
         "The SKOS vocabularies"),
    Dump("shapes", "shapes.ttl", TURTLE, False, "shapes", "The SHACL shapes"),
)


def dump_named(name: str) -> Dump:
    return next(d for d in DUMPS if d.name == name)


@dataclass(frozen=True)
class BuildLayout:
    root: Path  # one release folder

    @classmethod
    def current(cls, out_dir: Path) -> BuildLayout:
        return cls((out_dir / "current").resolve())

    @property
    def manifest_path(self) -> Path:
        return self.root / "build.json"

    @property
    def store_dir(self) -> Path:
        return self.root / "store"

    @property
    def dumps_dir(self) -> Path:
        return self.root / "dumps"

    def dump_path(self, dump: Dump) -> Path:
        return self.dumps_dir / dump.file

    @property
    def nquads_dump(self) -> Path:
        return self.dump_path(dump_named("nq.gz"))

    @property
    def ntriples_dump(self) -> Path:
        return self.dump_path(dump_named("nt.gz"))

    @property
    def trig_dump(self) -> Path:
        return self.dump_path(dump_named("trig"))

    @property
    def listings_path(self) -> Path:
        return self.root / "listings.sqlite"

    @property
    def validation_report(self) -> Path:
        return self.root / "validation-report.ttl"

    def exists(self) -> bool:
        return self.manifest_path.is_file()

    def manifest(self) -> dict[str, Any]:
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))
