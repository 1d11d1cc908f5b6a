"""Where a build's outputs live. A build folder is published atomically as ``{out}/current``.

    {out}/current -> releases/{stamp}        symlink, swapped atomically on success
    {out}/releases/{stamp}/
        build.json                 manifest: counts, dumps (bytes, sha256, triples), warnings
        store/                     on-disk pyoxigraph store: the named graphs, and their
                                   union as default graph (serve's GRAPH/FROM queries)
        validation-report.ttl      SHACL report of this build
        listings.sqlite            browse/search index (ogpgraph/listing_index.py)
        dumps/ogpgraph.nq.gz       N-Quads with the provenance named graphs (serve loads this)
        dumps/ogpgraph.trig        TriG, same content
        dumps/ogpgraph.ttl         the union default graph as Turtle
        dumps/ogpgraph.nt.gz       the same as gzipped N-Triples (serve loads it in memory)
        dumps/ogpgraph.jsonld      the same as JSON-LD
        dumps/ontology.ttl, dumps/vocabularies.ttl, dumps/shapes.ttl
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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

    @property
    def nquads_dump(self) -> Path:
        return self.dumps_dir / "ogpgraph.nq.gz"

    @property
    def ntriples_dump(self) -> Path:
        return self.dumps_dir / "ogpgraph.nt.gz"

    @property
    def trig_dump(self) -> Path:
        return self.dumps_dir / "ogpgraph.trig"

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
