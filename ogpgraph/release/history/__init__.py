"""The change history between releases.

When a release is written, :func:`ogpgraph.release.history.step.record_history` compares it
with the release that was ``current`` before (none for the first: everything is added):

1. **Which resources may have changed** — a digest per resource (subject under
   ``{base}id/``, sources excepted: their build time changes every build) summed over its
   facts, order-independent, computed while streaming the quads (``digests.py``). The
   previous release keeps its digests in its history database, so only the new release is
   read whole.
2. **What changed** — for those candidates only, the facts of the old and the new release
   (with the source graphs stating each) are compared property by property (``diff.py``):
   added, removed, or modified with the old and new values and the sources responsible.
3. **Kept** in ``history/`` of the release (``layout.py``): ``history.sqlite`` (releases,
   changes, property changes, each change's full state for the event stream, the digests)
   and ``history.nq.gz`` (the RDF of every change, graph ``{base}graph/history``, loaded
   into the release's store and so into its dumps and the union). Both are the previous
   release's files plus this release's part: append-only, so the history outlives pruning.

The web layer reads the database through ``queries.py`` and the event stream through
``ldes.py``.
"""
