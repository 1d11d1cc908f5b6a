"""Writing the listing index: one function per table, rows as named records."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ogpgraph.graph.convert import to_rdflib
from ogpgraph.graph.labels import LABEL_PROPERTIES, LANGUAGES, best_label, pick_literal
from ogpgraph.graph.terms import SECTOR_CLASSES
from ogpgraph.release.listings.dataset import (
    DatasetFacts,
    StoreReader,
    first,
    is_true,
    read_facts,
    snippet,
    strs,
)
from ogpgraph.release.listings.identifiers import IDENTIFIERS_SCHEMA, write_identifiers
from ogpgraph.release.listings.reader import ListingIndex
from ogpgraph.release.listings.schema import (
    FACET_ORDERS,
    FTS_SCHEMA,
    PLAIN_SEARCH_SCHEMA,
    SCHEMA,
    SCHEMA_VERSION,
    SKOS_STRUCTURE,
    SORT_ORDERS,
    has_fts5,
)
from ogpgraph.release.listings.words import fold


def insert(conn: sqlite3.Connection, table: str, columns: Sequence[str],
           rows: Iterable[Sequence[Any]]) -> None:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks})", rows)


@dataclass
class CommitmentRow:
    """A row of ``commitments``: the columns in table order, then its positions."""

    id: int
    iri: str
    identifier: str
    member: str | None
    cycle: str | None
    starred: int
    max_rank: int | None
    snippet: str | None
    sort_keys: dict[str, str] = field(default_factory=dict)  # id/title/member/cycle
    positions: dict[str, int] = field(default_factory=dict)  # SORT_ORDERS -> 1..n
    facets: list[tuple[str, str]] = field(default_factory=list)  # (facet, value)

    COLUMNS = ("id", "iri", "identifier", "member", "cycle", "starred", "max_rank", "snippet")

    def values(self) -> tuple[Any, ...]:
        head = astuple(self)[:len(self.COLUMNS)]
        return (*head, *(self.positions[name] for name in SORT_ORDERS))


def build_listing_index(store: ox.Store, base: str, path: Path | None = None,
                        union: bool = True, redirects: dict[str, str] | None = None
                        ) -> ListingIndex:
    """Compute every listing table from ``store`` and write them to ``path`` (an SQLite file,
    replaced if present), or keep them in memory when ``path`` is None. ``union=False``
    reads the store's default graph (a store that already holds the union of the graphs)
    instead of the union of its named graphs. ``redirects``: old IRI -> kept IRI (the
    spellings the build merged into another institution)."""
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
    read = StoreReader(store, base, union)
    facts = read_facts(read)
    rows = commitment_rows(facts)
    write_commitments(conn, rows)
    types = institution_types(read, base)
    write_members_plans_institutions(conn, facts, base, types)
    insert(conn, "redirects", ("old", "new"), sorted((redirects or {}).items()))
    write_concepts(conn, read, facts)
    write_labels(conn, read, facts, {cls for classes in types.values() for cls in classes})
    write_identifiers(conn, read, base)
    write_search(conn, facts, rows, fts)
    write_meta(conn, facts, fts)
    conn.execute("ANALYZE")
    conn.commit()
    if path is None:
        return ListingIndex(conn)
    conn.close()
    return ListingIndex.open(path)


def commitment_rows(facts: DatasetFacts) -> list[CommitmentRow]:
    """Commitments in (identifier, IRI) order, so that row order is the "id" sort."""
    ordered = sorted(facts.commitments,
                     key=lambda c: (first(facts.of("dcterms:identifier", c)) or "", c))
    rows = [_commitment_row(facts, n, c) for n, c in enumerate(ordered, start=1)]
    # each order's ties go by (identifier, IRI) ascending, which is row order; Python sorts
    # are stable, so sorting the rows by the key alone keeps that tie order
    for name in SORT_ORDERS:
        key, _, direction = name.partition("_")
        for position, row in enumerate(sorted(rows, key=lambda r: r.sort_keys[key],
                                              reverse=direction == "desc"), start=1):
            row.positions[name] = position
    return rows


def _commitment_row(facts: DatasetFacts, n: int, c: str) -> CommitmentRow:
    members = strs(facts.of("ogp:member", c))
    plans = strs(facts.of("ogp:actionPlan", c))
    cycles = sorted({y.value for p in plans for y in facts.of("ogp:cycleYear", p)})
    assessed = facts.assessments.get(c, set())
    starred = any(is_true(t) for t in facts.of("ogp:starred", c)) or any(
        is_true(t) for a in assessed for t in facts.of("ogp:starred", a))
    levels = [r for a in assessed for k in facts.of("ogp:completion", a)
              for r in facts.ranks(k.value)]
    description = pick_literal([to_rdflib(t) for t in facts.of("dcterms:description", c)
                                if isinstance(t, ox.Literal)], "en")
    identifier = first(facts.of("dcterms:identifier", c)) or ""
    row = CommitmentRow(
        n, c, identifier, members[0] if members else None, cycles[0] if cycles else None,
        int(starred), max(levels, default=None), snippet(str(description)) if description
        else None)
    row.sort_keys = {"id": identifier, "member": facts.label_key(members),
                     "cycle": cycles[0] if cycles else "",
                     "title": min((t.value.lower() for t in facts.of("dcterms:title", c)),
                                  default="")}
    row.facets = [(facet, value) for facet, values in (
        ("member", members), ("cycle", cycles),
        ("policy-area", strs(facts.of("ogp:policyArea", c)))) for value in values]
    return row


def write_commitments(conn: sqlite3.Connection, rows: list[CommitmentRow]) -> None:
    insert(conn, "commitments", (*CommitmentRow.COLUMNS, *SORT_ORDERS),
           (row.values() for row in rows))
    value_ids: dict[tuple[str, str], int] = {}
    by_value: dict[int, list[CommitmentRow]] = defaultdict(list)
    for row in rows:  # rows are in id order, so each value's list is too
        for facet_value in row.facets:
            by_value[value_ids.setdefault(facet_value, len(value_ids) + 1)].append(row)
    insert(conn, "facet_values", ("id", "facet", "value"),
           ((key, facet, value) for (facet, value), key in value_ids.items()))
    insert(conn, "facets", ("value_id", "position", "commitment", *FACET_ORDERS),
           _facet_positions(by_value))


def _facet_positions(by_value: dict[int, list[CommitmentRow]]) -> Iterable[tuple[int, ...]]:
    """Within each facet value, its commitments numbered 1..n in id order and in each
    listing order (by their global positions, so ties break as in the global orders)."""
    for value_id, members in by_value.items():
        within = [{row.id: position for position, row in enumerate(
            sorted(members, key=lambda r, o=order: r.positions[o]), start=1)}
            for order in FACET_ORDERS]
        for position, row in enumerate(members, start=1):
            yield (value_id, position, row.id, *(w[row.id] for w in within))


def _linked(facts: DatasetFacts, prop: str) -> dict[str, set[str]]:
    """Object IRI -> the subjects linking to it with ``prop`` (reverse of facts.values)."""
    found: dict[str, set[str]] = defaultdict(set)
    for subject, objects in facts.values[prop].items():
        for o in objects:
            found[o.value].add(subject)
    return found


def institution_types(read: StoreReader, base: str) -> dict[str, list[str]]:
    """Institution IRI -> its sector classes, most specific first, with their superclasses
    (``terms.SECTOR_CLASSES``, so a dataset stating only ``ogp:Legislature`` is found under
    ``ogp:GovernmentBody`` too) and ogp:Institution last."""
    ogp = f"{base}ontology#"
    chains = {f"{ogp}{names[0]}": [f"{ogp}{n}" for n in names]
              for names in SECTOR_CLASSES.values() if names}
    order = list(chains)
    found: dict[str, list[str]] = {}
    for s, t in read.rows("SELECT ?s ?t WHERE { ?s a ogp:Institution ; a ?t }"):
        if t.value in chains:
            known = found.get(s.value)
            if known is None or order.index(t.value) < order.index(known[0]):
                found[s.value] = chains[t.value]
    return {iri: [*chain, f"{ogp}Institution"] for iri, chain in found.items()}


def write_members_plans_institutions(conn: sqlite3.Connection, facts: DatasetFacts,
                                     base: str, types: dict[str, list[str]]) -> None:
    in_member = _linked(facts, "ogp:member")
    in_plan = _linked(facts, "ogp:actionPlan")
    prefix = f"{base}id/member/"
    members = sorted(((m, m.removeprefix(prefix), facts.label_key([m]),
                       int(m in facts.local_members),
                       len(in_member.get(m, set()) & facts.commitments))
                      for m in facts.members), key=lambda r: (r[2], r[0]))
    insert(conn, "members", ("iri", "slug", "sort_key", "local", "commitments"), members)
    plans = []
    for p in sorted(facts.plans):  # in IRI order: row ids must not follow a set's order
        its_members = strs(facts.of("ogp:member", p))
        cycles = strs(facts.of("ogp:cycleYear", p))
        plans.append((p, its_members[0] if its_members else None,
                      facts.label_key(its_members), cycles[0] if cycles else None,
                      len(in_plan.get(p, set()) & facts.commitments)))
    insert(conn, "action_plans", ("iri", "member", "member_key", "cycle", "commitments"), plans)
    insert(conn, "cycles", ("year",), [(y,) for y in sorted(
        {y.value for p in facts.plans for y in facts.of("ogp:cycleYear", p)})])
    led = _linked(facts, "ogp:leadInstitution")
    supported = _linked(facts, "ogp:supportingInstitution")
    plain = [f"{base}ontology#Institution"]
    insert(conn, "institutions", ("iri", "member", "sort_key", "led", "supported", "type"),
           sorted(((i, first(facts.of("ogp:member", i)), facts.label_key([i]),
                    len(led.get(i, ())), len(supported.get(i, ())), types.get(i, plain)[0])
                   for i in facts.institutions), key=lambda r: (r[2], r[0])))
    insert(conn, "institution_types", ("class", "institution"), sorted(
        {(cls, i) for i in facts.institutions for cls in types.get(i, plain)}))
    insert(conn, "memberships", ("member", "resource"), sorted(
        {(m.value, r) for r in facts.plans | facts.institutions
         for m in facts.of("ogp:member", r) if isinstance(m, ox.NamedNode)}))


def write_concepts(conn: sqlite3.Connection, read: StoreReader, facts: DatasetFacts) -> None:
    """SKOS schemes and concepts, with their number of users as the vocabulary pages count."""
    insert(conn, "schemes", ("iri",), [(s,) for s in sorted(facts.schemes)])
    skip = ", ".join(f"skos:{name}" for name in SKOS_STRUCTURE)
    uses = {x.value: int(n.value) for x, n in read.rows(
        "SELECT ?x (COUNT(DISTINCT ?u) AS ?n) WHERE { ?x skos:inScheme ?s . ?u ?p ?x "
        f"FILTER(isIRI(?u) && ?p NOT IN ({skip})) }} GROUP BY ?x")}
    insert(conn, "concepts", ("iri", "scheme", "notation", "rank", "uses"), [
        (x, s.value, first(facts.of("skos:notation", x)), min(facts.ranks(x), default=None),
         uses.get(x, 0))
        for x, in_schemes in facts.values["skos:inScheme"].items() for s in in_schemes])


def write_labels(conn: sqlite3.Connection, read: StoreReader, facts: DatasetFacts,
                 classes: set[str]) -> None:
    """The label of everything a listing shows (its filters' classes included), in each
    reader language (es/fr rows only where they differ from en)."""
    labelled = (facts.commitments | facts.members | facts.plans | facts.institutions
                | set(facts.values["skos:inScheme"]) | facts.schemes | classes)
    values: dict[str, dict[URIRef, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    for s, p, o in read.rows(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {props} }} "
                             "?s ?p ?o FILTER(isLiteral(?o)) }"):
        if s.value in labelled:
            values[s.value][URIRef(p.value)].append(to_rdflib(o))
    rows = []
    for iri, by_property in values.items():
        english = best_label(by_property, "en")
        for lang in LANGUAGES:
            chosen = english if lang == "en" else best_label(by_property, lang)
            if chosen is not None and (lang == "en" or chosen != english
                                       or chosen.language != english.language):
                rows.append((iri, lang, str(chosen), chosen.language or ""))
    insert(conn, "labels", ("iri", "lang", "text", "tag"), rows)


def write_search(conn: sqlite3.Connection, facts: DatasetFacts, rows: list[CommitmentRow],
                 fts: bool) -> None:
    """One search document per commitment: titles, its institutions' names, descriptions."""
    docs = []
    for row in rows:
        c = row.iri
        institutions = {i.value for prop in ("ogp:leadInstitution", "ogp:supportingInstitution")
                        for i in facts.of(prop, c)}
        docs.append((row.id,
                     "\n".join(strs([*facts.of("dcterms:title", c),
                                     *facts.of("ogp:shortTitle", c)])),
                     "\n".join(" ".join(strs(facts.of("rdfs:label", i)))
                               for i in sorted(institutions)),
                     "\n".join(strs(facts.of("dcterms:description", c)))))
    if not fts:  # LIKE fallback: store folded text once, compare folded text
        docs = [(n, *(fold(text) for text in texts)) for n, *texts in docs]
    insert(conn, "search", ("rowid", "title", "institution", "description"), docs)
    if fts:
        conn.execute("INSERT INTO search(search) VALUES ('optimize')")


def write_meta(conn: sqlite3.Connection, facts: DatasetFacts, fts: bool) -> None:
    totals = {"commitments": len(facts.commitments), "members": len(facts.members),
              "local_members": len(facts.local_members & facts.members),
              "action_plans": len(facts.plans), "institutions": len(facts.institutions),
              "fts5": int(fts), "schema": SCHEMA_VERSION}
    insert(conn, "meta", ("key", "value"), [(k, json.dumps(v)) for k, v in totals.items()])

