"""The listing index: browse, count and search tables precomputed at build time, in SQLite.

At 100,000 commitments a policy-area listing costs ~0.4 s of SPARQL and the members' GROUP BY
~0.7 s, on every request. The build therefore runs a few whole-dataset SPARQL queries once
(:func:`build_listing_index`) and writes ``listings.sqlite`` beside the store; the web layer
opens it read-only and answers every listing, count and search from indexed tables.

Semantics are those of the SPARQL the browse pages used to run (the tests compare both):

* commitments: ``?c a ogp:Commitment``; sort keys are ``MIN(STR(identifier))``,
  ``MIN(LCASE(title))`` over all titles, ``MIN(LCASE(label))`` over the members' labels and
  ``MIN(STR(cycleYear))`` over the action plans, missing ones sorting as ``""``; ties by
  identifier then IRI. Rows are inserted in (identifier, IRI) order, so ``id`` = that order.
* starred: ``ogp:starred true`` on the commitment or on any of its assessments;
  completion: the highest ``ogp:rank`` of any assessment's ``ogp:completion``.
* counts: distinct commitments per member, action plan and policy area; distinct
  subjects per institution (led / supported) and per concept (any non-SKOS link).
* search: FTS5 over titles (+ short titles), institution names and descriptions, folded for
  case and accents; every word of the query must occur as a word;
  ranked by bm25 with column weights title 100 > institution 10 > description 1.
* labels: the label :func:`ogpgraph.web.reader_labels.best_label` would pick for each listed
  resource in en/es/fr, so listing pages need no per-request label queries.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ogpgraph.graph.labels import LABEL_PROPERTIES, LANGUAGES, best_label, pick_literal
from ogpgraph.graph.terms import prefixes_for

SCHEMA_VERSION = 2  # bump when the tables change: older files are then rebuilt in memory
SNIPPET_CHARS = 240
# the listing orders besides "id" (= row order), each a column of positions
SORT_ORDERS = ("id_desc", "title_asc", "title_desc", "member_asc", "member_desc",
               "cycle_asc", "cycle_desc")
FACET_ORDERS = SORT_ORDERS[1:]  # positions kept per facet value (id_desc is derived)
# bm25 weights of the search columns: title, institution names, description
SEARCH_WEIGHTS = (100.0, 10.0, 1.0)
SEARCH_COLUMNS = ("title", "institution", "description")
# links that do not make a resource a "user" of a concept (SPARQL: skos structure)
_SKOS_STRUCTURE = ("inScheme", "hasTopConcept", "broader", "narrower", "topConceptOf", "related")

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE commitments(
    id INTEGER PRIMARY KEY,        -- position in (identifier, IRI) order
    iri TEXT NOT NULL UNIQUE,
    identifier TEXT NOT NULL,      -- MIN(STR(dcterms:identifier)) or ''
    member TEXT,                   -- one member IRI (the smallest), for display
    cycle TEXT,                    -- MIN(STR(cycleYear)) of its action plans
    starred INTEGER NOT NULL,
    max_rank INTEGER,              -- highest completion rank over its assessments
    snippet TEXT,                  -- start of a description (English preferred)
    -- positions in each listing order (see SORT_ORDERS), so any page is an index range
    id_desc INTEGER NOT NULL, title_asc INTEGER NOT NULL, title_desc INTEGER NOT NULL,
    member_asc INTEGER NOT NULL, member_desc INTEGER NOT NULL,
    cycle_asc INTEGER NOT NULL, cycle_desc INTEGER NOT NULL
);
CREATE INDEX commitments_id_desc ON commitments(id_desc);
CREATE INDEX commitments_title_asc ON commitments(title_asc);
CREATE INDEX commitments_title_desc ON commitments(title_desc);
CREATE INDEX commitments_member_asc ON commitments(member_asc);
CREATE INDEX commitments_member_desc ON commitments(member_desc);
CREATE INDEX commitments_cycle_asc ON commitments(cycle_asc);
CREATE INDEX commitments_cycle_desc ON commitments(cycle_desc);
CREATE INDEX commitments_starred ON commitments(starred);
CREATE INDEX commitments_rank ON commitments(max_rank);
-- multi-valued filters of commitments: facet 'member' | 'cycle' | 'policy-area'; values are
-- numbered once so that the (large) link table holds two integers a row
CREATE TABLE facet_values(id INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL,
                          UNIQUE(facet, value));
-- position: 1..n within the value in commitment (id) order, so any page is a key range;
-- the other orders' positions within the value likewise (id_desc is n + 1 - position)
CREATE TABLE facets(value_id INTEGER NOT NULL, position INTEGER NOT NULL,
                    commitment INTEGER NOT NULL,
                    title_asc INTEGER NOT NULL, title_desc INTEGER NOT NULL,
                    member_asc INTEGER NOT NULL, member_desc INTEGER NOT NULL,
                    cycle_asc INTEGER NOT NULL, cycle_desc INTEGER NOT NULL,
                    PRIMARY KEY(value_id, position)) WITHOUT ROWID;
CREATE INDEX facets_probe ON facets(commitment, value_id);
CREATE INDEX facets_title_asc ON facets(value_id, title_asc);
CREATE INDEX facets_title_desc ON facets(value_id, title_desc);
CREATE INDEX facets_member_asc ON facets(value_id, member_asc);
CREATE INDEX facets_member_desc ON facets(value_id, member_desc);
CREATE INDEX facets_cycle_asc ON facets(value_id, cycle_asc);
CREATE INDEX facets_cycle_desc ON facets(value_id, cycle_desc);
CREATE TABLE members(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, slug TEXT NOT NULL,
                     sort_key TEXT NOT NULL, local INTEGER NOT NULL,
                     commitments INTEGER NOT NULL);
CREATE INDEX members_order ON members(sort_key, iri);
CREATE TABLE action_plans(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, member TEXT,
                          member_key TEXT NOT NULL, cycle TEXT, commitments INTEGER NOT NULL);
CREATE INDEX action_plans_order ON action_plans(member_key, cycle DESC, iri);
CREATE TABLE institutions(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, member TEXT,
                          sort_key TEXT NOT NULL, led INTEGER NOT NULL,
                          supported INTEGER NOT NULL);
CREATE INDEX institutions_order ON institutions(sort_key, iri);
-- every (member, resource) ogp:member link, for the member filters of plans/institutions
CREATE TABLE memberships(member TEXT NOT NULL, resource TEXT NOT NULL,
                         PRIMARY KEY(member, resource)) WITHOUT ROWID;
CREATE TABLE schemes(iri TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE concepts(iri TEXT NOT NULL, scheme TEXT NOT NULL, notation TEXT, rank INTEGER,
                      uses INTEGER NOT NULL, PRIMARY KEY(scheme, iri)) WITHOUT ROWID;
CREATE INDEX concepts_iri ON concepts(iri);
CREATE TABLE cycles(year TEXT PRIMARY KEY) WITHOUT ROWID;
-- the best label per reader language; es/fr rows only where they differ from en
CREATE TABLE labels(iri TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL,
                    tag TEXT NOT NULL, PRIMARY KEY(iri, lang)) WITHOUT ROWID;
"""

# contentless: the text is only matched and ranked, never read back (halves the file)
FTS_SCHEMA = ("CREATE VIRTUAL TABLE search USING fts5(title, institution, description, "
              "content='', tokenize='unicode61 remove_diacritics 2')")
PLAIN_SEARCH_SCHEMA = ("CREATE TABLE search(rowid INTEGER PRIMARY KEY, title TEXT, "
                       "institution TEXT, description TEXT)")


def has_fts5() -> bool:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    return True


# --- reading the store ----------------------------------------------------------------------

class _Reader:
    """Whole-dataset SPARQL over the union graph, as plain strings."""

    def __init__(self, store: ox.Store, base: str, union: bool = True) -> None:
        self.store = store
        self.union = union
        self.prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes_for(base).items())

    def rows(self, query: str) -> Iterator[list[Any]]:
        solutions = self.store.query(self.prologue + query,
                                     use_default_graph_as_union=self.union)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            yield [solution[name] for name in names]

    def subjects(self, rdf_class: str) -> set[str]:
        return {s.value for s, in self.rows(f"SELECT DISTINCT ?s WHERE {{ ?s a {rdf_class} }}")}

    def pairs(self, predicate: str) -> dict[str, list[Any]]:
        """Subject IRI -> distinct objects of ``predicate`` (terms kept for literals)."""
        found: dict[str, list[Any]] = defaultdict(list)
        for s, o in self.rows(f"SELECT DISTINCT ?s ?o WHERE {{ ?s {predicate} ?o }}"):
            if isinstance(s, ox.NamedNode):
                found[s.value].append(o)
        return found


def _strs(terms: Iterable[Any]) -> list[str]:
    return sorted(t.value for t in terms)


def _first(terms: Iterable[Any]) -> str | None:
    values = _strs(terms)
    return values[0] if values else None


def _is_true(term: Any) -> bool:
    return isinstance(term, ox.Literal) and term.value in ("true", "1")


def _rdflib(term: ox.Literal) -> Literal:
    return Literal(term.value, lang=term.language) if term.language else Literal(term.value)


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def build_listing_index(store: ox.Store, base: str, path: Path | None = None,
                        union: bool = True) -> ListingIndex:
    """Compute every listing table from ``store`` and write them to ``path`` (an SQLite file,
    replaced if present), or keep them in memory when ``path`` is None. ``union=False``
    reads the store's default graph (a store that already holds the union of the graphs)
    instead of the union of its named graphs."""
    if path is not None:
        path.unlink(missing_ok=True)
    # straight to the file: a build never holds the whole index in memory as well
    conn = sqlite3.connect(":memory:" if path is None else str(path), check_same_thread=False)
    if path is not None:
        conn.execute("PRAGMA journal_mode = OFF")  # a new file inside a staging folder
        conn.execute("PRAGMA synchronous = OFF")
    conn.executescript(SCHEMA)
    fts = has_fts5()
    conn.execute(FTS_SCHEMA if fts else PLAIN_SEARCH_SCHEMA)
    _fill(conn, _Reader(store, base, union), base, fts)
    conn.commit()
    if path is None:
        return ListingIndex(conn)
    conn.close()
    return ListingIndex.open(path)


def _fill(conn: sqlite3.Connection, read: _Reader, base: str, fts: bool) -> None:
    commitments = read.subjects("ogp:Commitment")
    members = read.subjects("ogp:Member")
    local = read.subjects("ogp:LocalMember")
    plans = read.subjects("ogp:ActionPlan")
    institutions = read.subjects("ogp:Institution")
    identifier = read.pairs("dcterms:identifier")
    titles = read.pairs("dcterms:title")
    short_titles = read.pairs("ogp:shortTitle")
    descriptions = read.pairs("dcterms:description")
    member_of = read.pairs("ogp:member")
    plan_of = read.pairs("ogp:actionPlan")
    cycle_of = read.pairs("ogp:cycleYear")
    areas_of = read.pairs("ogp:policyArea")
    lead_of = read.pairs("ogp:leadInstitution")
    support_of = read.pairs("ogp:supportingInstitution")
    starred_of = read.pairs("ogp:starred")
    completion_of = read.pairs("ogp:completion")
    rank_of = read.pairs("ogp:rank")
    rdfs_label = read.pairs("rdfs:label")

    assessments: dict[str, set[str]] = defaultdict(set)
    for c, objects in read.pairs("ogp:assessment").items():
        assessments[c].update(o.value for o in objects)
    for a, objects in read.pairs("ogp:assessedCommitment").items():
        for c in objects:
            assessments[c.value].add(a)

    def label_key(iris: Iterable[str]) -> str:
        keys = [t.value.lower() for i in iris for t in rdfs_label.get(i, ())]
        return min(keys, default="")

    def ranks(concept: str) -> list[int]:
        found = (_int_or_none(t.value) for t in rank_of.get(concept, ()))
        return [r for r in found if r is not None]

    # commitments, in (identifier, IRI) order so that rowid order is the "id" sort
    ordered = sorted(commitments, key=lambda c: (_first(identifier.get(c, ())) or "", c))
    rowid: dict[str, int] = {}
    commitment_rows: list[list[Any]] = []
    sort_keys: list[dict[str, str]] = []
    facet_rows: list[tuple[int, int]] = []
    facet_ids: dict[tuple[str, str], int] = {}
    for n, c in enumerate(ordered, start=1):
        rowid[c] = n
        its_members = _strs(member_of.get(c, ()))
        its_plans = _strs(plan_of.get(c, ()))
        cycles = sorted({y.value for p in its_plans for y in cycle_of.get(p, ())})
        its_assessments = assessments.get(c, set())
        starred = any(_is_true(t) for t in starred_of.get(c, ())) or any(
            _is_true(t) for a in its_assessments for t in starred_of.get(a, ()))
        levels = [r for a in its_assessments for k in completion_of.get(a, ())
                  for r in ranks(k.value)]
        description = pick_literal([_rdflib(t) for t in descriptions.get(c, ())
                                    if isinstance(t, ox.Literal)], "en")
        commitment_rows.append([
            n, c, _first(identifier.get(c, ())) or "", its_members[0] if its_members else None,
            cycles[0] if cycles else None, int(starred), max(levels, default=None),
            _snippet(str(description)) if description else None])
        sort_keys.append({"id": commitment_rows[-1][2], "member": label_key(its_members),
                          "cycle": cycles[0] if cycles else "",
                          "title": min((t.value.lower() for t in titles.get(c, ())),
                                       default="")})
        for facet, values in (("member", its_members), ("cycle", cycles),
                              ("policy-area", _strs(areas_of.get(c, ())))):
            for value in values:
                fid = facet_ids.setdefault((facet, value), len(facet_ids) + 1)
                facet_rows.append((fid, n))
    # each order's ties go by (identifier, IRI) ascending, which is row order; Python sorts
    # are stable, so sorting the row numbers by the key alone keeps that tie order
    for name in SORT_ORDERS:
        field, _, direction = name.partition("_")
        order = sorted(range(len(ordered)), key=lambda i: sort_keys[i][field],
                       reverse=direction == "desc")
        for position, i in enumerate(order, start=1):
            commitment_rows[i].append(position)
    conn.executemany(f"INSERT INTO commitments VALUES ({','.join('?' * 15)})", commitment_rows)
    conn.executemany("INSERT INTO facet_values VALUES (?,?,?)",
                     [(key, facet, value) for (facet, value), key in facet_ids.items()])
    conn.executemany(f"INSERT INTO facets VALUES ({','.join('?' * 9)})",
                     _facet_positions(facet_rows, commitment_rows))

    # members, action plans, institutions
    by_member: dict[str, set[str]] = defaultdict(set)
    by_plan: dict[str, set[str]] = defaultdict(set)
    for c in commitments:
        for m in member_of.get(c, ()):
            by_member[m.value].add(c)
        for p in plan_of.get(c, ()):
            by_plan[p.value].add(c)
    member_prefix = f"{base}id/member/"
    conn.executemany("INSERT INTO members(iri, slug, sort_key, local, commitments) "
                     "VALUES (?,?,?,?,?)", sorted(
                         ((m, m[len(member_prefix):] if m.startswith(member_prefix) else m,
                           label_key([m]), int(m in local), len(by_member.get(m, ())))
                          for m in members), key=lambda r: (r[2], r[0])))
    plan_rows = []
    for p in plans:
        its_members = _strs(member_of.get(p, ()))
        cycles = _strs(cycle_of.get(p, ()))
        plan_rows.append((p, its_members[0] if its_members else None, label_key(its_members),
                          cycles[0] if cycles else None, len(by_plan.get(p, ()))))
    conn.executemany("INSERT INTO action_plans(iri, member, member_key, cycle, commitments) "
                     "VALUES (?,?,?,?,?)", plan_rows)
    conn.executemany("INSERT INTO cycles VALUES (?)",
                     [(y,) for y in sorted({y for r in plan_rows
                                            for y in _strs(cycle_of.get(r[0], ()))})])
    led: dict[str, set[str]] = defaultdict(set)
    supported: dict[str, set[str]] = defaultdict(set)
    for source, target in ((lead_of, led), (support_of, supported)):
        for s, objects in source.items():
            for o in objects:
                target[o.value].add(s)
    conn.executemany("INSERT INTO institutions(iri, member, sort_key, led, supported) "
                     "VALUES (?,?,?,?,?)", sorted(
                         ((i, _first(member_of.get(i, ())), label_key([i]),
                           len(led.get(i, ())), len(supported.get(i, ())))
                          for i in institutions), key=lambda r: (r[2], r[0])))
    conn.executemany("INSERT INTO memberships VALUES (?,?)", sorted(
        {(m.value, r) for r in plans | institutions for m in member_of.get(r, ())
         if isinstance(m, ox.NamedNode)}))

    # SKOS schemes and concepts (with their number of users, as the vocabulary pages count)
    schemes = read.subjects("skos:ConceptScheme")
    conn.executemany("INSERT INTO schemes VALUES (?)", [(s,) for s in sorted(schemes)])
    skip = ", ".join(f"skos:{name}" for name in _SKOS_STRUCTURE)
    uses = {x.value: int(n.value) for x, n in read.rows(
        "SELECT ?x (COUNT(DISTINCT ?u) AS ?n) WHERE { ?x skos:inScheme ?s . ?u ?p ?x "
        f"FILTER(isIRI(?u) && ?p NOT IN ({skip})) }} GROUP BY ?x")}
    notation = read.pairs("skos:notation")
    concepts = read.pairs("skos:inScheme")
    conn.executemany("INSERT INTO concepts VALUES (?,?,?,?,?)", [
        (x, s.value, _first(notation.get(x, ())), min(ranks(x), default=None), uses.get(x, 0))
        for x, in_schemes in concepts.items() for s in in_schemes])

    # labels of everything a listing shows, in each reader language
    labelled = commitments | members | plans | institutions | set(concepts) | schemes
    values: dict[str, dict[URIRef, list[Literal]]] = defaultdict(lambda: defaultdict(list))
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    for s, p, o in read.rows(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {props} }} "
                             "?s ?p ?o FILTER(isLiteral(?o)) }"):
        if s.value in labelled:
            values[s.value][URIRef(p.value)].append(_rdflib(o))
    label_rows = []
    for iri, by_property in values.items():
        english = best_label(by_property, "en")
        for lang in LANGUAGES:
            chosen = english if lang == "en" else best_label(by_property, lang)
            if chosen is not None and (lang == "en" or chosen != english
                                       or chosen.language != english.language):
                label_rows.append((iri, lang, str(chosen), chosen.language or ""))
    conn.executemany("INSERT INTO labels VALUES (?,?,?,?)", label_rows)

    # search documents
    inst_names = {i: " ".join(_strs(rdfs_label.get(i, ()))) for i in led.keys() | supported}
    docs = []
    for c in ordered:
        names = {i.value for i in (*lead_of.get(c, ()), *support_of.get(c, ()))}
        docs.append((rowid[c],
                     "\n".join(_strs([*titles.get(c, ()), *short_titles.get(c, ())])),
                     "\n".join(inst_names.get(i, "") for i in sorted(names)),
                     "\n".join(_strs(descriptions.get(c, ())))))
    if not fts:  # LIKE fallback: store folded text once, compare folded text
        docs = [(n, *(fold(text) for text in texts)) for n, *texts in docs]
    conn.executemany("INSERT INTO search(rowid, title, institution, description) "
                     "VALUES (?,?,?,?)", docs)
    if fts:
        conn.execute("INSERT INTO search(search) VALUES ('optimize')")

    totals = {"commitments": len(commitments), "members": len(members),
              "local_members": len(local & members), "action_plans": len(plans),
              "institutions": len(institutions), "fts5": int(fts), "schema": SCHEMA_VERSION}
    conn.executemany("INSERT INTO meta VALUES (?,?)",
                     [(k, json.dumps(v)) for k, v in totals.items()])
    conn.execute("ANALYZE")


def _facet_positions(facet_rows: list[tuple[int, int]],
                     commitment_rows: list[list[Any]]) -> list[tuple[int, ...]]:
    """(value, position, commitment, positions in FACET_ORDERS) rows: within each facet
    value, its commitments numbered 1..n in id order and in each listing order (by the
    commitments' global positions, so ties break exactly as in the global orders)."""
    by_value: dict[int, list[int]] = defaultdict(list)
    for fid, n in sorted(facet_rows):
        by_value[fid].append(n)
    first = len(commitment_rows[0]) - len(SORT_ORDERS) if commitment_rows else 0
    column = {name: first + i for i, name in enumerate(SORT_ORDERS)}
    rows = []
    for fid, members in by_value.items():
        within = []
        for name in FACET_ORDERS:
            ordered = sorted(members, key=lambda n, c=column[name]: commitment_rows[n - 1][c])
            within.append({n: position for position, n in enumerate(ordered, start=1)})
        rows.extend((fid, position, n, *(w[n] for w in within))
                    for position, n in enumerate(members, start=1))
    return rows


# --- search input ---------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer keeps: letters and digits


def search_words(text: str) -> list[str]:
    """The words of a query, as the index tokenises them (punctuation is a separator)."""
    return _WORD.findall(text)


def fts_query(words: Sequence[str]) -> str:
    """An FTS5 MATCH expression requiring every word, each as a quoted phrase:
    ``say "x*"`` -> ``"say" "x*"``. Quoting makes operators (NEAR, AND, -, *, column
    filters) plain text; inner quotes are doubled. No prefix matching: at 100,000
    commitments a prefix query on a common word costs several times a word query."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def fold(text: str) -> str:
    """Lower case without accents (the LIKE fallback's comparison form)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- querying -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CommitmentQuery:
    """Filters of a commitment listing: (facet, value) pairs that must all hold, and more."""

    facets: list[tuple[str, str]]
    starred: bool | None = None
    min_rank: int | None = None
    no_match: bool = False  # e.g. a completion level without a rank


class ListingIndex:
    """Read access to a listing index. One connection per thread when on disk (SQLite opened
    read-only and immutable); a single locked connection when in memory."""

    def __init__(self, conn: sqlite3.Connection | None = None, path: Path | None = None
                 ) -> None:
        self.path = path
        self._shared = conn
        self._lock = threading.Lock()
        self._local = threading.local()
        with self._cursor() as cur:
            meta = dict(cur.execute("SELECT key, value FROM meta").fetchall())
        self.totals: dict[str, int] = {k: json.loads(v) for k, v in meta.items()}
        if self.totals.get("schema") != SCHEMA_VERSION:
            raise ValueError(f"listing index {path}: schema {self.totals.get('schema')}, "
                             f"this version reads {SCHEMA_VERSION}")
        self.fts = bool(self.totals.get("fts5"))

    @classmethod
    def open(cls, path: Path) -> ListingIndex:
        if not path.is_file():
            raise FileNotFoundError(f"no listing index at {path}")
        return cls(path=path)

    @contextmanager
    def _cursor(self) -> Iterator[sqlite3.Cursor]:
        if self._shared is not None:
            with self._lock:
                yield self._shared.cursor()
            return
        conn = getattr(self._local, "conn", None)
        if conn is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.conn = conn
        yield conn.cursor()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._cursor() as cur:
            return cur.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        found = self.rows(sql, params)
        return found[0][0] if found else None

    # --- commitments ------------------------------------------------------------------------

    def completion_rank(self, concept: str) -> int | None:
        return self.scalar("SELECT MIN(rank) FROM concepts WHERE iri = ?", (concept,))

    @staticmethod
    def commitment_where(member: str | None = None, cycle: str | None = None,
                         policy_area: str | None = None, starred: bool | None = None,
                         min_rank: int | None = None, no_match: bool = False
                         ) -> CommitmentQuery:
        """The filters (member IRI, cycle year, policy-area IRI, starred, minimum rank)."""
        facets = [(facet, value) for facet, value in (
            ("member", member), ("cycle", cycle), ("policy-area", policy_area))
            if value is not None]
        return CommitmentQuery(facets, starred, min_rank, no_match)

    def _plan(self, query: CommitmentQuery) -> tuple[str, str, list[Any]] | None:
        """(FROM, WHERE, params) of the filtered commitments ``c``; None when nothing can
        match. The first facet drives the query (its commitments are a primary-key range
        in ``id`` order); further facets are probed per row."""
        if query.no_match:
            return None
        ids = []
        for facet, value in query.facets:
            found = self.scalar("SELECT id FROM facet_values WHERE facet = ? AND value = ?",
                                (facet, value))
            if found is None:
                return None
            ids.append(found)
        source, parts, params = "commitments c", ["1"], []
        if ids:
            source = "facets f0 JOIN commitments c ON c.id = f0.commitment"
            parts.append("f0.value_id = ?")
            params.append(ids[0])
        for value_id in ids[1:]:
            parts.append("EXISTS (SELECT 1 FROM facets f WHERE f.value_id = ? "
                         "AND f.commitment = c.id)")
            params.append(value_id)
        if query.starred is not None:
            parts.append("c.starred = ?")
            params.append(int(query.starred))
        if query.min_rank is not None:
            parts.append("c.max_rank >= ?")
            params.append(query.min_rank)
        return source, " AND ".join(parts), params

    def completion_counts(self, query: CommitmentQuery) -> list[tuple[int | None, int]]:
        """(highest completion rank, commitments) of the filtered commitments; None = never
        assessed for completion."""
        plan = self._plan(query)
        if plan is None:
            return []
        source, where, params = plan
        return self.rows(f"SELECT c.max_rank, COUNT(*) FROM {source} WHERE {where} "
                         "GROUP BY c.max_rank ORDER BY c.max_rank IS NULL, c.max_rank", params)

    def concept_with_rank(self, scheme: str, rank: int) -> str | None:
        return self.scalar("SELECT MIN(iri) FROM concepts WHERE scheme = ? AND rank = ?",
                           (scheme, rank))

    def count_commitments(self, query: CommitmentQuery) -> int:
        plan = self._plan(query)
        if plan is None:
            return 0
        source, where, params = plan
        if where == "1":
            return self.totals.get("commitments", 0)
        if where == "1 AND f0.value_id = ?":  # one facet: its last position
            return self.scalar("SELECT COALESCE(MAX(position), 0) FROM facets "
                               "WHERE value_id = ?", params)
        return self.scalar(f"SELECT COUNT(*) FROM {source} WHERE {where}", params)

    def commitment_page(self, query: CommitmentQuery, sort: str, descending: bool,
                        limit: int, offset: int) -> list[tuple]:
        """Rows (iri, identifier, member, cycle, starred, snippet) of one page."""
        if sort not in ("id", "title", "member", "cycle"):
            raise ValueError(f"unknown sort: {sort}")
        plan = self._plan(query)
        if plan is None:
            return []
        source, where, params = plan
        order = f"{sort}_{'desc' if descending else 'asc'}"
        order = "c.id" if order == "id_asc" else f"c.{order}"
        columns = "c.iri, c.identifier, c.member, c.cycle, c.starred, c.snippet"
        if where == "1":  # unfiltered: positions are 1..N, so a page is a range, not an OFFSET
            return self.rows(f"SELECT {columns} FROM commitments c WHERE {order} BETWEEN ? "
                             f"AND ? ORDER BY {order}", (offset + 1, offset + limit))
        if where == "1 AND f0.value_id = ?":
            # one facet: the page is a range of its positions in that order
            position, first, last, direction = "f0.position", offset + 1, offset + limit, ""
            if order == "c.id_desc":  # id order read backwards
                size = self.count_commitments(query)
                first, last, direction = size - offset - limit + 1, size - offset, " DESC"
            elif order != "c.id":
                position = f"f0.{order[2:]}"
            return self.rows(f"SELECT {columns} FROM facets f0 JOIN commitments c "
                             f"ON c.id = f0.commitment WHERE f0.value_id = ? AND {position} "
                             f"BETWEEN ? AND ? ORDER BY {position}{direction}",
                             [*params, first, last])
        if order == "c.id" and source != "commitments c":
            order = "f0.commitment"  # the driving facet's order
        return self.rows(f"SELECT {columns} FROM {source} WHERE {where} ORDER BY {order} "
                         "LIMIT ? OFFSET ?", [*params, limit, offset])

    # --- search -----------------------------------------------------------------------------

    def search_count(self, words: Sequence[str]) -> int:
        if self.fts:
            return self.scalar("SELECT COUNT(*) FROM search WHERE search MATCH ?",
                               (fts_query(words),))
        where, params = self._like(words)
        return self.scalar(f"SELECT COUNT(*) FROM search WHERE {where}", params)

    def search_page(self, words: Sequence[str], limit: int, offset: int) -> list[tuple]:
        """Rows (iri, identifier, member, cycle, starred, snippet, field) best first; field
        is 3 when every word occurs in the title, else 2 when every word occurs in the
        names of its institutions, else 1 (description, or words spread over fields;
        the LIKE fallback says 0 for spread words)."""
        columns = "c.iri, c.identifier, c.member, c.cycle, c.starred, c.snippet, c.id"
        if self.fts:
            weights = ", ".join(str(w) for w in SEARCH_WEIGHTS)
            found = self.rows(
                f"SELECT {columns} FROM (SELECT rowid, bm25(search, {weights}) AS r "
                "FROM search WHERE search MATCH ? ORDER BY r, rowid LIMIT ? OFFSET ?) AS s "
                "JOIN commitments c ON c.id = s.rowid ORDER BY s.r, s.rowid",
                (fts_query(words), limit, offset))
            fields = self._fields_fts(words, [row[-1] for row in found])
        else:
            where, params = self._like(words)
            score = self._like_score(words)
            found = self.rows(
                f"SELECT {columns} FROM (SELECT rowid, {score[0]} AS r FROM search "
                f"WHERE {where} ORDER BY r DESC, rowid LIMIT ? OFFSET ?) AS s "
                "JOIN commitments c ON c.id = s.rowid ORDER BY s.r DESC, s.rowid",
                [*score[1], *params, limit, offset])
            fields = self._fields_like(words, [row[-1] for row in found])
        return [(*row[:-1], fields.get(row[-1], 0)) for row in found]

    def _fields_fts(self, words: Sequence[str], ids: list[int]) -> dict[int, int]:
        # One whole-column query per column, intersected with the page in Python: FTS5 can
        # not seek `rowid = ?` / `rowid IN (…)` cheaply under a column filter (a second and
        # more for a page of common words at 100k), while a column's matches are read in
        # milliseconds. The description column is what remains, so it is not queried.
        fields: dict[int, int] = {}
        if not ids:
            return fields
        page, query = set(ids), fts_query(words)
        for score, column in ((3, "title"), (2, "institution")):
            for (n,) in self.rows("SELECT rowid FROM search WHERE search MATCH ?",
                                  (f"{column} : ({query})",)):
                if n in page:
                    fields.setdefault(n, score)
        return {n: fields.get(n, 1) for n in ids}

    @staticmethod
    def _like_patterns(words: Sequence[str]) -> list[str]:
        escaped = (fold(w).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                   for w in words)
        return [f"%{w}%" for w in escaped]

    def _like(self, words: Sequence[str]) -> tuple[str, list[str]]:
        parts, params = [], []
        for pattern in self._like_patterns(words):
            parts.append("(" + " OR ".join(f"{col} LIKE ? ESCAPE '\\'"
                                           for col in SEARCH_COLUMNS) + ")")
            params += [pattern] * len(SEARCH_COLUMNS)
        return " AND ".join(parts) or "0", params

    def _like_score(self, words: Sequence[str]) -> tuple[str, list[str]]:
        cases, params = [], []
        for score, col in zip((3, 2, 1), SEARCH_COLUMNS, strict=True):
            patterns = self._like_patterns(words)
            cond = " AND ".join(f"{col} LIKE ? ESCAPE '\\'" for _ in patterns)
            cases.append(f"WHEN {cond} THEN {score}")
            params += patterns
        return f"CASE {' '.join(cases)} ELSE 0 END", params

    def _fields_like(self, words: Sequence[str], ids: list[int]) -> dict[int, int]:
        if not ids:
            return {}
        score, params = self._like_score(words)
        marks = ",".join("?" * len(ids))
        return dict(self.rows(f"SELECT rowid, {score} FROM search WHERE rowid IN ({marks})",
                              [*params, *ids]))

    # --- members, action plans, institutions, concepts --------------------------------------

    def members_page(self, limit: int, offset: int) -> list[tuple]:
        return self.rows("SELECT iri, slug, local, commitments FROM members "
                         "ORDER BY sort_key, iri LIMIT ? OFFSET ?", (limit, offset))

    def member_options(self) -> list[tuple]:
        return self.rows("SELECT slug, iri FROM members ORDER BY sort_key, iri")

    def cycles(self) -> list[str]:
        return [y for (y,) in self.rows("SELECT year FROM cycles ORDER BY year")]

    def _member_filter(self, member: str | None) -> tuple[str, list[Any]]:
        if member is None:
            return "1", []
        return "iri IN (SELECT resource FROM memberships WHERE member = ?)", [member]

    def count_action_plans(self, member: str | None) -> int:
        where, params = self._member_filter(member)
        return self.scalar(f"SELECT COUNT(*) FROM action_plans WHERE {where}", params)

    def action_plans_page(self, member: str | None, limit: int, offset: int) -> list[tuple]:
        where, params = self._member_filter(member)
        return self.rows(f"SELECT iri, member, cycle, commitments FROM action_plans "
                         f"WHERE {where} ORDER BY member_key, COALESCE(cycle, '') DESC, iri "
                         "LIMIT ? OFFSET ?", [*params, limit, offset])

    def count_institutions(self, member: str | None) -> int:
        where, params = self._member_filter(member)
        return self.scalar(f"SELECT COUNT(*) FROM institutions WHERE {where}", params)

    def institutions_page(self, member: str | None, limit: int, offset: int) -> list[tuple]:
        where, params = self._member_filter(member)
        return self.rows(f"SELECT iri, member, led, supported FROM institutions WHERE {where} "
                         "ORDER BY sort_key, iri LIMIT ? OFFSET ?", [*params, limit, offset])

    def schemes(self) -> list[str]:
        return [s for (s,) in self.rows("SELECT iri FROM schemes ORDER BY iri")]

    def concepts(self, scheme: str) -> list[tuple]:
        """(iri, notation, rank, uses) of the concepts in ``scheme`` (unordered)."""
        return self.rows("SELECT iri, notation, rank, uses FROM concepts WHERE scheme = ?",
                         (scheme,))

    def labels(self, iris: Iterable[str], lang: str) -> dict[str, tuple[str, str]]:
        """IRI -> (text, language tag) of the label best suited to ``lang``."""
        wanted = sorted(set(iris))
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for iri, row_lang, text, tag in self.rows(
                    f"SELECT iri, lang, text, tag FROM labels WHERE iri IN ({marks}) "
                    "AND lang IN ('en', ?)", [*chunk, lang]):
                if row_lang == lang or iri not in found:
                    found[iri] = (text, tag)
        return found
