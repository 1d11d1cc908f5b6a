"""Writing the dumps of :data:`ogpgraph.release.layout.DUMPS`: with Oxigraph's serialisers
(orders of magnitude faster than rdflib's on large graphs) and reproducible gzip."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ogpgraph.graph.static_files import ONTOLOGY_FILE, SHAPES_FILE, VOCABULARIES_FILE, rebased_text
from ogpgraph.graph.terms import prefixes_for
from ogpgraph.release.layout import DUMPS, BuildLayout, Dump

# zlib level 4: within a few percent of level 6's size at about twice its speed
GZIP_LEVEL = 4
SCHEMA_FILES = {"ontology": ONTOLOGY_FILE, "vocabularies": VOCABULARIES_FILE,
                "shapes": SHAPES_FILE}


def dump_prefixes(base: str) -> dict[str, str]:
    prefixes = prefixes_for(base)
    for kind in ("commitment", "member", "action-plan", "institution", "policy-area",
                 "milestone", "assessment", "irm-report"):
        prefixes[kind.replace("-", "")] = f"{base}id/{kind}/"
    return prefixes


@contextmanager
def dump_stream(path: Path, gzipped: bool, built_at: datetime) -> Iterator[BinaryIO]:
    """A file to write a dump to. Gzip headers carry the build time and no file name, so
    two builds of the same input give the same bytes."""
    with path.open("wb") as raw:
        if not gzipped:
            yield raw
            return
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL,
                           mtime=int(built_at.timestamp())) as stream:
            yield stream  # type: ignore[misc]


def write_dumps(store: ox.Store, layout: BuildLayout, content: str, base: str,
                built_at: datetime, from_graph: ox.NamedNode | ox.DefaultGraph | None) -> None:
    """Every dump of ``content`` ("quads": all graphs of ``store`` when ``from_graph`` is
    None; "union": the graph ``from_graph`` of ``store``, written as a default graph)."""
    for dump in (d for d in DUMPS if d.content == content):
        fmt = dump.format.oxigraph
        assert isinstance(fmt, ox.RdfFormat)
        options: dict[str, object] = {}
        if from_graph is not None:
            options["from_graph"] = from_graph
        if fmt not in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            options["prefixes"] = dump_prefixes(base)
        with dump_stream(layout.dump_path(dump), dump.gzipped, built_at) as stream:
            store.dump(stream, fmt, **options)


def write_schema_dumps(layout: BuildLayout, base: str) -> list[Dump]:
    """The ontology, vocabularies and shapes files, rebased onto ``base``."""
    written = []
    for dump in (d for d in DUMPS if d.content in SCHEMA_FILES):
        text = rebased_text(SCHEMA_FILES[dump.content], base)
        layout.dump_path(dump).write_text(text, encoding="utf-8")
        written.append(dump)
    return written
