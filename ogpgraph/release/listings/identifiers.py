"""The ``identifiers`` table: every IRI the dataset mints under ``{base}id/``, by kind and
key, for the "did you mean" of a 404.

The web process used to scan every subject of the kind per unknown IRI (166 ms at 10,000
commitments, with no deadline). The nearest keys are now chosen, with ``difflib``, among a
bounded set of candidates read from this table: the ``NEIGHBOURS`` keys before and after
the unknown key in key order (they share its start: PE0056 finds PE0055 and PE0057) and in
the order of the keys read backwards (they share its end: XE0055 finds PE0055). That is
four index range reads of at most ``NEIGHBOURS`` rows each, whatever the dataset's size.
Each row keeps the resource's English label, for the kinds the ``labels`` table does not
hold (milestones, assessments, reports, sources).
"""

from __future__ import annotations

import difflib
import sqlite3
from collections import defaultdict
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from ogpgraph.graph.convert import to_rdflib
from ogpgraph.graph.labels import LABEL_PROPERTIES, chosen_label

if TYPE_CHECKING:
    from ogpgraph.release.listings.dataset import StoreReader
    from ogpgraph.release.listings.reader import ListingIndex

NEIGHBOURS = 25  # candidates read on each side, in each order
CUTOFF = 0.5  # difflib's similarity below which a key is not suggested

IDENTIFIERS_SCHEMA = """
CREATE TABLE identifiers(kind TEXT NOT NULL, key TEXT NOT NULL,
                         folded TEXT NOT NULL,     -- key in lower case
                         backwards TEXT NOT NULL,  -- folded, read backwards
                         iri TEXT NOT NULL, label TEXT,
                         PRIMARY KEY(kind, folded, iri)) WITHOUT ROWID;
CREATE INDEX identifiers_backwards ON identifiers(kind, backwards);
"""


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_identifiers(conn: sqlite3.Connection, read: StoreReader, base: str) -> None:
    """A row per typed subject under ``{base}id/{kind}/{key}``, with its English label."""
    prefix = f"{base}id/"
    under = f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {_sparql_string(prefix)}))"
    subjects = {s.value for s, in read.rows(f"SELECT DISTINCT ?s WHERE {{ ?s a ?t {under} }}")}
    labels: dict[str, dict[URIRef, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    for s, p, o in read.rows(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {props} }} "
                             f"?s ?p ?o FILTER(isLiteral(?o)) {under} }}"):
        if s.value in subjects:
            labels[s.value][URIRef(p.value)].append(to_rdflib(o))
    rows = []
    for iri in sorted(subjects):
        kind, _, key = iri[len(prefix):].partition("/")
        if not key:  # a concept scheme: its kind is its key
            continue
        chosen = chosen_label(iri, labels[iri], "en") if iri in labels else None
        folded = key.lower()
        rows.append((kind, key, folded, folded[::-1], iri,
                     str(chosen) if chosen is not None else None))
    conn.executemany("INSERT OR IGNORE INTO identifiers(kind, key, folded, backwards, iri, "
                     "label) VALUES (?, ?, ?, ?, ?, ?)", rows)


def nearest_identifiers(index: ListingIndex, kind: str, key: str, n: int = 5
                        ) -> list[tuple[str, str | None]]:
    """(IRI, English label or None) of the ``n`` keys of ``kind`` nearest to ``key``."""
    folded = key.lower()
    candidates: dict[str, tuple[str, str | None]] = {}
    for column, probe in (("folded", folded), ("backwards", folded[::-1])):
        for comparison, order in (("<", "DESC"), (">=", "ASC")):
            for found_key, iri, label in index.rows(
                    f"SELECT folded, iri, label FROM identifiers WHERE kind = ? AND "
                    f"{column} {comparison} ? ORDER BY {column} {order} LIMIT ?",
                    (kind, probe, NEIGHBOURS)):
                candidates.setdefault(found_key, (iri, label))
    near = difflib.get_close_matches(folded, sorted(candidates), n=n, cutoff=CUTOFF)
    return [candidates[found] for found in near]
