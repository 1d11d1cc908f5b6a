"""The listing index of an incremental build: the previous release's, changed where the
default graph changed.

The records (``state.py``) of the resources a change can have reached are computed again,
from a small store holding their neighbourhoods; the counts are moved by the changed
resources' links; every table's rows are derived from the state (``rows.py``) and only the
rows that differ from the previous index are deleted and inserted; the search documents of
the commitments whose document or id changed are replaced (a contentless FTS5 table
forgets a document given its old text, which the previous release's store gives back).
So the index says exactly what a full build's says.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import RDFS

from ogpgraph.release.chunks import PreviousUnusable
from ogpgraph.release.listings.dataset import StoreReader
from ogpgraph.release.listings.rows import COLUMNS, commitment_order, table_rows
from ogpgraph.release.listings.schema import SKOS_STRUCTURE, has_fts5
from ogpgraph.release.listings.state import (
    ListingState,
    compute_state,
    label_rows,
    label_values,
)
from ogpgraph.release.listings.writer import Document, document, search_row

SKOS = "http://www.w3.org/2004/02/skos/core#"
# what a resource's records read of its neighbours (``state.py``): a change of anything
# else in a resource changes no other resource's records
READ_FROM_NEIGHBOURS = {str(RDFS.label), "ontology#cycleYear", "ontology#starred",
                        "ontology#completion", "ontology#assessedCommitment", "ontology#rank"}
# the links along which a record reads those neighbours (followed backwards from a change)
LINKS = ("ontology#member", "ontology#actionPlan", "ontology#assessment",
         "ontology#completion", "ontology#leadInstitution", "ontology#supportingInstitution")
KEYS: dict[str, tuple[str, ...]] = {
    "commitments": ("id",), "facet_values": ("id",), "facets": ("value_id", "position"),
    "members": ("id",), "action_plans": ("id",), "cycles": ("year",), "institutions": ("id",),
    "institution_types": ("class", "institution"), "redirects": ("old",),
    "memberships": ("member", "resource"), "schemes": ("iri",), "concepts": ("scheme", "iri"),
    "labels": ("iri", "lang"), "identifiers": ("kind", "folded", "iri"), "meta": ("key",)}


def _reads_neighbours(predicates: set[str], base: str) -> bool:
    wanted = {p if p.startswith("http") else f"{base}{p}" for p in READ_FROM_NEIGHBOURS}
    return bool(predicates & wanted)


def _linked(store: ox.Store, iri: str, forwards: bool,
            through: frozenset[str] | None = None) -> set[str]:
    """What ``iri`` links to (``forwards``) or what links to it, in the default graph
    (through the predicates ``through`` only, when given)."""
    node = ox.NamedNode(iri)
    quads = store.quads_for_pattern(node, None, None, ox.DefaultGraph()) if forwards else \
        store.quads_for_pattern(None, None, node, ox.DefaultGraph())
    return {(q.object if forwards else q.subject).value for q in quads
            if isinstance(q.object if forwards else q.subject, ox.NamedNode)
            and (through is None or q.predicate.value in through)}


def reached(changes: dict[str, set[str]], store: ox.Store, before: ox.Store,
            base: str) -> set[str]:
    """The resources whose records may have changed: the changed ones, and, around those
    whose change a neighbour reads, what links to them (two steps back, along the links
    records read through) and what they link to (before and now)."""
    found = set(changes)
    seeds = {iri for iri, predicates in changes.items() if _reads_neighbours(predicates, base)}
    links = frozenset(f"{base}{link}" for link in LINKS)
    frontier = set(seeds)
    for _ in range(2):
        frontier = {u for iri in frontier for u in _linked(store, iri, False, links)} - found
        found |= frontier
    for iri in seeds:
        found |= _linked(store, iri, True) | _linked(before, iri, True)
    return found


def neighbourhood_store(store: ox.Store, nodes: set[str]) -> ox.Store:
    """A store whose default graph holds what ``store``'s says about ``nodes``, what they
    link to (two steps on) and the assessments of any commitment among them."""
    wanted, frontier = set(nodes), set(nodes)
    for _ in range(2):
        frontier = {o for iri in frontier for o in _linked(store, iri, True)} - wanted
        wanted |= frontier
    extra = {q.subject.value for iri in nodes for q in store.quads_for_pattern(
        None, None, ox.NamedNode(iri), ox.DefaultGraph())
        if isinstance(q.subject, ox.NamedNode) and q.predicate.value.endswith(
            "#assessedCommitment")}
    wanted |= extra | {o for iri in extra for o in _linked(store, iri, True)}
    sub = ox.Store()
    sub.extend(q for iri in wanted
               for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph()))
    return sub


def targets(store: ox.Store, iri: str) -> dict[str, set[str]]:
    """What ``iri`` leads, supports and uses (any IRI it links to but by the SKOS structure)
    in ``store``'s default graph."""
    skip = {f"{SKOS}{name}" for name in SKOS_STRUCTURE}
    found: dict[str, set[str]] = {"led": set(), "supported": set(), "uses": set()}
    for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph()):
        if not isinstance(q.object, ox.NamedNode):
            continue
        predicate = q.predicate.value
        if predicate.endswith("#leadInstitution"):
            found["led"].add(q.object.value)
        elif predicate.endswith("#supportingInstitution"):
            found["supported"].add(q.object.value)
        if predicate not in skip:
            found["uses"].add(q.object.value)
    return found


def move_counts(state: ListingState, changed: Iterable[str], store: ox.Store,
                before: ox.Store, base: str, exact_uses: set[str]) -> None:
    """The counts moved by each changed resource's links (led, supported, uses); the uses
    of ``exact_uses`` (concepts new to the state) counted anew."""
    for iri in changed:
        old, new = targets(before, iri), targets(store, iri)
        for name in ("led", "supported", "uses"):
            counter: Counter[str] = getattr(state, name)
            for gone in old[name] - new[name]:
                counter[gone] -= 1
            for came in new[name] - old[name]:
                counter[came] += 1
    read = StoreReader(store, base, union=False)
    skip = ", ".join(f"skos:{name}" for name in SKOS_STRUCTURE)
    for x in sorted(exact_uses):
        [(n,)] = list(read.rows(f"SELECT (COUNT(DISTINCT ?u) AS ?n) WHERE {{ ?u ?p <{x}> "
                                f"FILTER(isIRI(?u) && ?p NOT IN ({skip})) }}"))
        state.uses[x] = int(n.value)
    for counter in (state.led, state.supported):
        for key in [k for k, v in counter.items() if v == 0]:
            del counter[key]
    # as a full build counts them: the uses of concepts only
    state.uses = Counter({x: n for x, n in state.uses.items() if x in state.concepts and n})


def write_differences(conn: sqlite3.Connection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Make ``table`` hold exactly ``rows``: delete what is not among them, insert the rest."""
    columns = COLUMNS[table]
    old = set(conn.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())
    new = set(rows)
    keys = [columns.index(k) for k in KEYS[table]]
    where = " AND ".join(f"{columns[k]} IS ?" for k in keys)
    conn.executemany(f"DELETE FROM {table} WHERE {where}",
                     [tuple(row[k] for k in keys) for row in sorted(old - new, key=repr)])
    marks = ", ".join("?" for _ in columns)
    conn.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({marks})",
                     sorted(new - old, key=repr))


def records_of(store: ox.Store, nodes: set[str], base: str) -> ListingState:
    """The records of ``nodes`` (and the labels of their institutions' classes: a class is
    one link away), read from a store of their neighbourhoods."""
    if not nodes:
        return ListingState()
    state, _ = compute_state(StoreReader(neighbourhood_store(store, nodes), base, union=False),
                             base, only=nodes)
    return state


def refresh_class_labels(state: ListingState, previous: ListingState, store: ox.Store,
                         base: str) -> None:
    """The labels of the institutions' classes as a full build keeps them: of every class
    some institution has now, and of no other. The records computed again only find the
    classes of the institutions in their neighbourhood: a class that lost some (not all)
    of its institutions would lose its label."""
    classes = state.classes()
    for iri in previous.classes() - classes:
        state.labels.pop(iri, None)
    missing = classes - state.labels.keys()
    if missing:
        read = StoreReader(neighbourhood_store(store, missing), base, union=False)
        for iri, by_property in label_values(read, base).items():
            if iri in missing:
                state.labels[iri] = label_rows(iri, by_property)


def documents(store: ox.Store, commitments: set[str], base: str) -> dict[str, Document]:
    if not commitments:
        return {}
    _, facts = compute_state(StoreReader(neighbourhood_store(store, commitments), base,
                                         union=False), base, only=set())
    return {c: document(facts, c) for c in commitments}


def update_search(conn: sqlite3.Connection, before: tuple[ListingState, ox.Store],
                  now: tuple[ListingState, ox.Store], reached_: set[str], base: str) -> None:
    """Replace the documents of the commitments whose document or id changed."""
    fts = has_fts5()
    old_ids = commitment_order(before[0]).ids
    new_ids = commitment_order(now[0]).ids
    moved = {c for c in old_ids.keys() | new_ids.keys() if old_ids.get(c) != new_ids.get(c)}
    old_docs = documents(before[1], {c for c in old_ids if c in moved or c in reached_}, base)
    new_docs = documents(now[1], {c for c in new_ids if c in moved or c in reached_}, base)
    gone = [(old_ids[c], old_docs[c]) for c in sorted(old_docs)
            if c in moved or old_docs[c] != new_docs.get(c)]
    came = [(new_ids[c], new_docs[c]) for c in sorted(new_docs)
            if c in moved or new_docs[c] != old_docs.get(c)]
    if fts:
        conn.executemany("INSERT INTO search(search, rowid, title, institution, description) "
                         "VALUES ('delete', ?, ?, ?, ?)", [(n, *doc) for n, doc in gone])
    else:
        conn.executemany("DELETE FROM search WHERE rowid = ?", [(n,) for n, _ in gone])
    conn.executemany("INSERT INTO search(rowid, title, institution, description) VALUES "
                     "(?, ?, ?, ?)", [search_row(n, doc, fts) for n, doc in came])


# long: the steps of the patch in order (records, counts, rows, search), each short
def patch_listing_index(path: Path, previous_path: Path, previous: ListingState,
                        store: ox.Store, before: ox.Store, base: str,
                        redirects: dict[str, str], changes: dict[str, set[str]]
                        ) -> ListingState:
    """The index at ``path``: the one at ``previous_path`` (whose state is ``previous``)
    brought up to ``store``'s default graph (``before``: the previous release's store)."""
    try:
        shutil.copyfile(previous_path, path)
        check = sqlite3.connect(f"file:{previous_path}?mode=ro", uri=True)
        try:
            check.execute("SELECT COUNT(*) FROM commitments").fetchone()
        finally:
            check.close()
    except (OSError, sqlite3.DatabaseError) as error:
        raise PreviousUnusable(f"{previous_path}: cannot be reused ({error})") from error
    near = reached(changes, store, before, base)
    state = ListingState(**{name: type(value)(value) for name, value in vars(previous).items()})
    state.forget(near)
    state.merge(records_of(store, near, base))  # with the labels of their classes
    refresh_class_labels(state, previous, store, base)
    move_counts(state, changes, store, before, base,
                set(state.concepts) - set(previous.concepts))
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        tables, _ = table_rows(state, base, redirects, has_fts5())
        for table, rows in tables.items():
            write_differences(conn, table, rows)
        update_search(conn, (previous, before), (state, store), near, base)
        conn.execute("ANALYZE")
        conn.commit()
    finally:
        conn.close()
    return state
