"""The union dumps of an incremental build: the previous release's buckets (``dumps.py``)
copied, but those holding a resource whose statements in the default graph changed, which
are written again from the previous bucket's statements about the other resources and the
new statements about the changed ones."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from ogpgraph.release.chunks import gunzip_member, read_chunk
from ogpgraph.release.dumps import DumpWriter, Formats, bucket_order, union_bucket
from ogpgraph.release.incremental.staging import subject_of
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.quads import PreviousDumps

NTRIPLES_DUMP = "ogpgraph.nt.gz"


def subject_lines(store: ox.Store, iri: str) -> list[bytes]:
    """The default graph's statements about ``iri`` as N-Triples lines."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(
        ox.NamedNode(iri), None, None, ox.DefaultGraph())]
    if not triples:
        return []
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)


def write_union_dumps(layout: BuildLayout, base: str, store: ox.Store, changed: set[str],
                      previous: PreviousDumps) -> dict[str, dict]:
    """The union dumps, the buckets without a ``changed`` resource copied."""
    dirty: dict[str, set[str]] = defaultdict(set)
    for iri in changed:
        dirty[union_bucket(f"<{iri}>".encode(), base.encode())].add(iri)
    entries = previous.index.get(NTRIPLES_DUMP, {})
    writer = DumpWriter(layout, "union", Formats(base))
    try:
        for bucket in sorted(set(entries) | set(dirty), key=bucket_order):
            if bucket not in dirty:
                writer.copy(bucket, previous.index, previous.folder)
                continue
            entry = entries.get(bucket)
            old = gunzip_member(read_chunk(previous.folder / NTRIPLES_DUMP, entry)) \
                if entry is not None else b""
            lines = [line for line in old.splitlines(keepends=True)
                     if subject_of(line) not in dirty[bucket]]
            for iri in dirty[bucket]:
                lines += subject_lines(store, iri)
            writer.add(bucket, b"".join(sorted(set(lines))))
    except BaseException:
        writer.abort()
        raise
    return writer.close()
