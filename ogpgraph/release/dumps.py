"""Writing the dumps of :data:`ogpgraph.release.layout.DUMPS`, chunk by chunk.

The whole-dataset dumps are written as chunks (``release/chunks.py``) in a fixed order, each
chunk's statements sorted, so the same data gives the same bytes however it was assembled:

* the quads dumps (N-Quads, TriG): a chunk per named graph, in IRI order; a source graph in
  parts (its description, then a part per member its commitments belong to: what an
  incremental build may reuse); the history graph one chunk per release;
* the union dumps (N-Triples, Turtle, JSON-LD): the default graph's subjects in
  :data:`UNION_BUCKETS` buckets by a hash of the subject, then the sources' descriptions
  (rewritten at every build: they carry the build time), then a bucket per release of the
  history (``{base}releases/{id}…``, never changed once written).

Serialised with Oxigraph (orders of magnitude faster than rdflib on large graphs). Blank
nodes are not supported here: the data has none (a test keeps it so), and their labels
would not survive being written in separate chunks.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ogpgraph.graph.static_files import ONTOLOGY_FILE, SHAPES_FILE, VOCABULARIES_FILE, rebased_text
from ogpgraph.graph.terms import prefixes_for
from ogpgraph.release.chunks import ChunkedFile, ChunkEntry, gunzip_member, gzip_member
from ogpgraph.release.layout import DUMPS, BuildLayout, Dump

SCHEMA_FILES = {"ontology": ONTOLOGY_FILE, "vocabularies": VOCABULARIES_FILE,
                "shapes": SHAPES_FILE}
UNION_BUCKETS = 256
SOURCES_BUCKET = "sources"


def dump_prefixes(base: str) -> dict[str, str]:
    prefixes = prefixes_for(base)
    for kind in ("commitment", "member", "action-plan", "institution", "policy-area",
                 "milestone", "assessment", "irm-report"):
        prefixes[kind.replace("-", "")] = f"{base}id/{kind}/"
    return prefixes


def prefix_lines(prefixes: dict[str, str]) -> list[bytes]:
    """The ``@prefix`` lines, sorted by name (Oxigraph writes them in no fixed order)."""
    return [f"@prefix {name}: <{iri}> .\n".encode() for name, iri in sorted(prefixes.items())]


class Formats:
    """A chunk of sorted N-Quads or N-Triples lines in each dump format."""

    def __init__(self, base: str) -> None:
        self.prefixes = dump_prefixes(base)
        self.lines = prefix_lines(self.prefixes)
        self.header = b"".join(self.lines)

    def _body(self, text: bytes) -> bytes:
        """``text`` without the prefix lines Oxigraph starts it with (a file has them once,
        at its top)."""
        size = sum(len(line) for line in self.lines)
        if sorted(text[:size].splitlines(keepends=True)) != self.lines:
            raise ValueError("Oxigraph wrote other prefix lines than expected")
        return text[size:]

    def trig(self, nquads: bytes) -> bytes:
        quads = ox.parse(nquads, ox.RdfFormat.N_QUADS)
        return self._body(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=self.prefixes))

    def turtle(self, ntriples: bytes) -> bytes:
        triples = ox.parse(ntriples, ox.RdfFormat.N_TRIPLES)
        return self._body(ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                       prefixes=self.prefixes))

    def jsonld(self, ntriples: bytes) -> bytes:
        text = ox.serialize(ox.parse(ntriples, ox.RdfFormat.N_TRIPLES),
                            format=ox.RdfFormat.JSON_LD).strip()
        if not (text.startswith(b"[") and text.endswith(b"]")):
            raise ValueError("Oxigraph's JSON-LD is not an array of node objects")
        return text[1:-1]


@dataclass
class DumpWriter:
    """The dumps of one content ("quads" or "union"), written chunk by chunk in step."""

    layout: BuildLayout
    content: str
    formats: Formats
    files: dict[str, ChunkedFile] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for dump in self.dumps:
            text_rdf = not dump.gzipped and dump.format.oxigraph is not ox.RdfFormat.JSON_LD
            json = dump.format.oxigraph is ox.RdfFormat.JSON_LD
            header = self.formats.header if text_rdf else b"[" if json else b""
            self.files[dump.file] = ChunkedFile(
                self.layout.dump_path(dump), header=header, footer=b"]" if json else b"",
                separator=b"," if json else b"")

    @property
    def dumps(self) -> list[Dump]:
        return [d for d in DUMPS if d.content == self.content]

    def add(self, chunk_id: str, lines: bytes) -> None:
        """A chunk from its statements: sorted N-Quads lines (quads) or N-Triples (union)."""
        if not lines:
            return
        for dump in self.dumps:
            self.files[dump.file].add(chunk_id, self._encode(dump, lines))

    def _encode(self, dump: Dump, lines: bytes) -> bytes:
        fmt = dump.format.oxigraph
        if dump.gzipped:
            return gzip_member(lines)
        if fmt is ox.RdfFormat.TRIG:
            return self.formats.trig(lines)
        if fmt is ox.RdfFormat.TURTLE:
            return self.formats.turtle(lines)
        return self.formats.jsonld(lines)

    def add_member(self, chunk_id: str, member: bytes) -> None:
        """A chunk given as one gzip member of its sorted lines (a mapped part, a release
        of the history): the gzipped file takes it as it is."""
        lines = gunzip_member(member)
        for dump in self.dumps:
            data = member if dump.gzipped else self._encode(dump, lines)
            self.files[dump.file].add(chunk_id, data)

    def copy(self, chunk_id: str, previous: dict[str, dict[str, ChunkEntry]],
             previous_dumps: Path) -> None:
        """The chunk as the previous release wrote it, in every file (checked)."""
        for name, chunked in self.files.items():
            entry = previous[name].get(chunk_id)
            if entry is not None:
                chunked.copy(entry, previous_dumps / name)

    def close(self) -> dict[str, dict]:
        """Per file: its size, sha256 and chunk index."""
        done = {}
        for name, chunked in self.files.items():
            size, digest = chunked.close()
            done[name] = {"bytes": size, "sha256": digest,
                          "chunks": [e.as_list() for e in chunked.entries]}
        return done

    def abort(self) -> None:
        for chunked in self.files.values():
            chunked.abort()


def union_bucket(subject_token: bytes, base: bytes) -> str:
    """The union chunk a subject (as written in N-Triples, ``<iri>``) belongs to."""
    releases = b"<" + base + b"releases/"
    if subject_token.startswith(releases):
        return "r:" + subject_token[len(releases):].split(b"/", 1)[0].rstrip(b">").decode()
    if subject_token.startswith(b"<" + base + b"id/source/"):
        return SOURCES_BUCKET
    return f"b{zlib.crc32(subject_token) % UNION_BUCKETS:03d}"


def bucket_order(bucket: str) -> tuple[int, str]:
    """Hash buckets, then the sources, then the releases of the history in time order."""
    return (0 if bucket.startswith("b") else 1 if bucket == SOURCES_BUCKET else 2, bucket)


def bucketed(ntriples: bytes, base: str) -> dict[str, list[bytes]]:
    """N-Triples lines by union bucket."""
    buckets: dict[str, list[bytes]] = defaultdict(list)
    base_bytes = base.encode()
    for line in ntriples.splitlines(keepends=True):
        buckets[union_bucket(line[:line.index(b" ")], base_bytes)].append(line)
    return buckets


def write_schema_dumps(layout: BuildLayout, base: str) -> list[Dump]:
    """The ontology, vocabularies and shapes files, rebased onto ``base``."""
    written = []
    for dump in (d for d in DUMPS if d.content in SCHEMA_FILES):
        text = rebased_text(SCHEMA_FILES[dump.content], base)
        layout.dump_path(dump).write_text(text, encoding="utf-8")
        written.append(dump)
    return written
