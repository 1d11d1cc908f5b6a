"""Writing the listing index: the state (``state.py``) read from a store, its rows
(``rows.py``) inserted, and the search documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ogpgraph.release.listings.dataset import DatasetFacts, StoreReader, strs
from ogpgraph.release.listings.identifiers import IDENTIFIERS_SCHEMA
from ogpgraph.release.listings.reader import ListingIndex
from ogpgraph.release.listings.rows import COLUMNS, table_rows
from ogpgraph.release.listings.schema import (
    FTS_SCHEMA,
    PLAIN_SEARCH_SCHEMA,
    SCHEMA,
    has_fts5,
)
from ogpgraph.release.listings.state import ListingState, compute_state
from ogpgraph.release.listings.words import fold

SEARCH_COLUMNS = ("rowid", "title", "institution", "description")
Document = tuple[str, str, str]  # titles, institution names, descriptions


def insert(conn: sqlite3.Connection, table: str, columns: Sequence[str],
           rows: Iterable[Sequence[Any]]) -> None:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", rows)


def document(facts: DatasetFacts, c: str) -> Document:
    """A commitment's search document: titles, its institutions' names, descriptions."""
    institutions = {i.value for prop in ("ogp:leadInstitution", "ogp:supportingInstitution")
                    for i in facts.of(prop, c)}
    return ("\n".join(strs([*facts.of("dcterms:title", c), *facts.of("ogp:shortTitle", c)])),
            "\n".join(" ".join(strs(facts.of("rdfs:label", i))) for i in sorted(institutions)),
            "\n".join(strs(facts.of("dcterms:description", c))))


def search_row(rowid: int, doc: Document, fts: bool) -> tuple[Any, ...]:
    """The row of the search table (the LIKE fallback keeps folded text)."""
    return (rowid, *doc) if fts else (rowid, *(fold(text) for text in doc))


def open_index(path: Path | None) -> tuple[sqlite3.Connection, bool]:
    """A new, empty index (a file, replaced if present, or in memory); whether it has FTS5."""
    if path is not None:
        path.unlink(missing_ok=True)
    # straight to the file: a build never holds the whole index in memory as well
    conn = sqlite3.connect(":memory:" if path is None else str(path), check_same_thread=False)
    if path is not None:
        conn.execute("PRAGMA journal_mode = OFF")  # a new file inside a staging folder
        conn.execute("PRAGMA synchronous = OFF")
    conn.executescript(SCHEMA)
    conn.executescript(IDENTIFIERS_SCHEMA)
    fts = has_fts5()
    conn.execute(FTS_SCHEMA if fts else PLAIN_SEARCH_SCHEMA)
    return conn, fts


def write_listing(store: ox.Store, base: str, path: Path | None = None, union: bool = True,
                  redirects: dict[str, str] | None = None
                  ) -> tuple[sqlite3.Connection | None, ListingState]:
    """Compute every listing table from ``store`` and write them to ``path`` (an SQLite file)
    or keep them in memory when ``path`` is None (the connection is then returned).
    ``union=False`` reads the store's default graph (a store that already holds the union of
    the graphs) instead of the union of its named graphs. ``redirects``: old IRI -> kept IRI
    (the spellings the build merged into another institution). Returns the state too."""
    conn, fts = open_index(path)
    state, facts = compute_state(StoreReader(store, base, union), base)
    # the search documents taken now, so that the facts (every term read) go before the rows
    documents = {c: document(facts, c) for c in state.commitments}
    del facts
    tables, order = table_rows(state, base, redirects or {}, fts)
    for table in list(tables):  # each table's rows let go once inserted
        insert(conn, table, COLUMNS[table], tables.pop(table))
    insert(conn, "search", SEARCH_COLUMNS,
           (search_row(order.ids[c], documents.pop(c), fts) for c in order.order))
    if fts:
        conn.execute("INSERT INTO search(search) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.commit()
    if path is None:
        return conn, state
    conn.close()
    return None, state


def build_listing_index(store: ox.Store, base: str, path: Path | None = None,
                        union: bool = True, redirects: dict[str, str] | None = None
                        ) -> ListingIndex:
    """:func:`write_listing`, opened as a :class:`ListingIndex`."""
    conn, _ = write_listing(store, base, path, union, redirects)
    if conn is not None:
        return ListingIndex(conn)
    assert path is not None
    return ListingIndex.open(path)
