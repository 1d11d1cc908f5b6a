"""The SPARQL behind the browse, filter and search pages.

Every listing is paginated on the store (``COUNT`` + ``ORDER BY … LIMIT/OFFSET`` with a total
order), so no page is ever silently truncated. Users' values never reach a query unescaped:
strings go through :func:`sparql_string`, keys are checked against :data:`KEY_RE` before they
are turned into IRIs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from rdflib import URIRef
from rdflib.term import Node

from ogpgraph.rdf.terms import prefixes_for
from ogpgraph.rdf.uris import Uris
from ogpgraph.store.base import GraphStore

PER_PAGE = 50
MAX_QUERY_CHARS = 200
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,100}$")
SortKey = Literal["id", "title", "member", "cycle"]
SORT_KEYS: tuple[str, ...] = ("id", "title", "member", "cycle")

T = TypeVar("T")


class PageOutOfRange(LookupError):
    """A page number beyond the last page (the routers answer 404)."""


class BadFilter(ValueError):
    """A filter value that cannot name anything (the routers answer 400)."""


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        """1-based position of the first item on this page (for ``<ol start>``)."""
        return (self.number - 1) * self.per_page + 1


def page_bounds(number: int, total: int, per_page: int = PER_PAGE) -> int:
    """The OFFSET of page ``number``; pages past the end raise (page 1 always exists)."""
    if number < 1 or number > max(1, math.ceil(total / per_page)):
        raise PageOutOfRange(number)
    return (number - 1) * per_page


# --- escaping -------------------------------------------------------------------------------

_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
          "\f": "\\f"}


def sparql_string(text: str) -> str:
    """``text`` as a SPARQL double-quoted string literal (ECHAR escapes, no injection)."""
    return '"' + "".join(_ECHAR.get(ch, ch) for ch in text) + '"'


def checked_key(value: str | None, what: str) -> str | None:
    """A slug/key from a query parameter, or None when empty; anything else is refused."""
    if value is None or value == "":
        return None
    if not KEY_RE.match(value):
        raise BadFilter(f"{what}: not a valid key: {value!r}")
    return value


# --- accent folding, identical in Python and in SPARQL --------------------------------------

def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _fold_table() -> dict[str, str]:
    """Lower-case Latin letters with diacritics -> their ASCII base letter."""
    table: dict[str, str] = {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i"}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = _strip_marks(ch)
        if ch.islower() and base != ch and len(base) == 1 and base.isascii() and base.isalpha():
            table[ch] = base
    return table


FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower-case, accents removed, whitespace collapsed: what search compares."""
    lowered = text.lower()
    return " ".join("".join(FOLD.get(ch, ch) for ch in lowered).split())


_REGEX_META = set("\\|.?*+(){}-[]^$")


def _variants() -> dict[str, str]:
    """ASCII letter -> itself and every accented letter folding to it."""
    by_base: dict[str, list[str]] = defaultdict(list)
    for ch, base in FOLD.items():
        by_base[base].append(ch)
    return {base: base + "".join(sorted(chars)) for base, chars in by_base.items()}


_VARIANTS = _variants()


def search_pattern(text: str) -> str:
    """A regular expression (XPath/SPARQL syntax, used with flag ``i``) matching ``text``
    accent- and case-insensitively: ``educacion`` -> ``[eéèêë…]d[uú…]c[aá…]c[iíì…]…``.

    A REGEX with a constant pattern is compiled once, where a chain of REPLACE over every
    literal would cost seconds on the real data."""
    parts: list[str] = []
    for ch in fold(text):
        if ch in _VARIANTS:
            parts.append(f"[{_VARIANTS[ch]}]")
        elif ch == " ":
            parts.append("\\s+")
        elif ch in _REGEX_META:
            parts.append("\\" + ch)
        else:
            parts.append(ch)
    return "".join(parts)


# --- results --------------------------------------------------------------------------------

@dataclass
class CommitmentRow:
    iri: URIRef
    identifier: str
    member: URIRef | None = None
    cycle: str | None = None
    starred: bool = False
    score: int = 0  # search only: 3 title, 2 institution name, 1 description


@dataclass
class MemberRow:
    iri: URIRef
    slug: str
    local: bool
    commitments: int


@dataclass
class ActionPlanRow:
    iri: URIRef
    member: URIRef | None
    cycle: str | None
    commitments: int


@dataclass
class InstitutionRow:
    iri: URIRef
    member: URIRef | None
    led: int
    supported: int


@dataclass
class ConceptRow:
    iri: URIRef
    key: str
    notation: str | None
    rank: int | None
    uses: int  # resources pointing at the concept (commitments for a policy area)


@dataclass
class Option:
    value: str  # the key used in query parameters
    iri: URIRef


@dataclass
class CommitmentFilters:
    member: str | None = None  # member slug
    cycle: int | None = None
    policy_area: str | None = None  # concept key
    starred: bool | None = None
    completion: str | None = None  # minimum completion concept key (by ogp:rank)

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for links that keep them)."""
        params: dict[str, str] = {}
        if self.member:
            params["member"] = self.member
        if self.cycle is not None:
            params["cycle"] = str(self.cycle)
        if self.policy_area:
            params["policy_area"] = self.policy_area
        if self.starred is not None:
            params["starred"] = "true" if self.starred else "false"
        if self.completion:
            params["completion"] = self.completion
        return params


def _str(row: dict[str, Node], name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


def _int(row: dict[str, Node], name: str) -> int:
    value = row.get(name)
    return int(value) if value is not None else 0


def _numeric(notation: str | None) -> tuple[float, str]:
    """Sort key for skos:notation: numeric codes in numeric order, others after."""
    if notation is None:
        return (math.inf, "")
    try:
        return (float(notation), notation)
    except ValueError:
        return (math.inf, notation)


def _values(iris: Iterable[URIRef]) -> str:
    return " ".join(f"<{iri}>" for iri in iris)


class BrowseService:
    """Listing, filtering, counting and search over one published store."""

    def __init__(self, store: GraphStore, base: str) -> None:
        self.store = store
        self.base = base
        self.uris = Uris(base)
        self.prologue = "\n".join(
            f"PREFIX {name}: <{iri}>" for name, iri in prefixes_for(base).items()
        ) + "\n"

    def _select(self, query: str) -> list[dict[str, Node]]:
        return self.store.select(self.prologue + query)

    def _count(self, where: str, var: str = "?x") -> int:
        rows = self._select(f"SELECT (COUNT(DISTINCT {var}) AS ?n) WHERE {{ {where} }}")
        return _int(rows[0], "n") if rows else 0

    def _key_of(self, iri: URIRef, prefix: str) -> str:
        return str(iri)[len(f"{self.base}id/{prefix}/"):]

    # --- commitments ------------------------------------------------------------------------

    def _commitment_where(self, filters: CommitmentFilters) -> str:
        parts = ["?x a ogp:Commitment ."]
        member = checked_key(filters.member, "member")
        if member:
            parts.append(f"?x ogp:member <{self.uris.member(member)}> .")
        if filters.cycle is not None:
            parts.append("?x ogp:actionPlan/ogp:cycleYear ?fcycle . "
                         f"FILTER(STR(?fcycle) = {sparql_string(str(int(filters.cycle)))})")
        area = checked_key(filters.policy_area, "policy_area")
        if area:
            parts.append(f"?x ogp:policyArea <{self.uris.concept('policy-area', area)}> .")
        starred = "{ ?x ogp:starred true } UNION { ?x ogp:assessment/ogp:starred true }"
        if filters.starred is True:
            parts.append(starred)
        elif filters.starred is False:
            parts.append(f"FILTER NOT EXISTS {{ {starred} }}")
        completion = checked_key(filters.completion, "completion")
        if completion:
            # any of its assessments reached at least that level on the ordered scale
            parts.append(
                "?x ogp:assessment/ogp:completion/ogp:rank ?frank . "
                f"<{self.uris.concept('completion', completion)}> ogp:rank ?fmin . "
                "FILTER(?frank >= ?fmin)"
            )
        return "\n".join(parts)

    def commitments(self, filters: CommitmentFilters, sort: str = "id", descending: bool = False,
                    page: int = 1) -> Page[CommitmentRow]:
        if sort not in SORT_KEYS:
            raise BadFilter(f"sort: one of {', '.join(SORT_KEYS)}")
        where = self._commitment_where(filters)
        total = self._count(where)
        offset = page_bounds(page, total)
        direction = "DESC" if descending else "ASC"
        sort_var = {"id": "?id", "title": "?tkey", "member": "?mkey", "cycle": "?cyc"}[sort]
        rows = self._select(f"""
SELECT ?x (MIN(STR(?id0)) AS ?id) (MIN(LCASE(STR(?t))) AS ?tkey)
       (MIN(LCASE(STR(?ml))) AS ?mkey) (MIN(STR(?cy)) AS ?cyc) WHERE {{
  {where}
  OPTIONAL {{ ?x dcterms:identifier ?id0 }}
  OPTIONAL {{ ?x dcterms:title ?t }}
  OPTIONAL {{ ?x ogp:member/rdfs:label ?ml }}
  OPTIONAL {{ ?x ogp:actionPlan/ogp:cycleYear ?cy }}
}} GROUP BY ?x
ORDER BY {direction}(COALESCE({sort_var}, "")) ASC(COALESCE(?id, "")) ASC(STR(?x))
LIMIT {PER_PAGE} OFFSET {offset}""")
        iris = [row["x"] for row in rows]
        return Page(self._commitment_rows(iris), page, total)

    def _commitment_rows(self, iris: list[URIRef], scores: dict[URIRef, int] | None = None
                         ) -> list[CommitmentRow]:
        """Display details of the given commitments, kept in the given order."""
        if not iris:
            return []
        details = self._select(f"""
SELECT ?x (MIN(STR(?id0)) AS ?id) (SAMPLE(?m) AS ?member) (MIN(STR(?cy)) AS ?cycle)
       (MAX(IF(BOUND(?st), 1, 0)) AS ?star) WHERE {{
  VALUES ?x {{ {_values(iris)} }}
  OPTIONAL {{ ?x dcterms:identifier ?id0 }}
  OPTIONAL {{ ?x ogp:member ?m }}
  OPTIONAL {{ ?x ogp:actionPlan/ogp:cycleYear ?cy }}
  OPTIONAL {{ {{ ?x ogp:starred true }} UNION {{ ?x ogp:assessment/ogp:starred true }}
             BIND(true AS ?st) }}
}} GROUP BY ?x""")
        by_iri = {row["x"]: row for row in details}
        result = []
        for iri in iris:
            row = by_iri.get(iri, {})
            result.append(CommitmentRow(
                iri=iri,
                identifier=_str(row, "id") or str(iri).rsplit("/", 1)[-1],
                member=row.get("member"),
                cycle=_str(row, "cycle"),
                starred=_int(row, "star") > 0,
                score=(scores or {}).get(iri, 0),
            ))
        return result

    # --- filter options ---------------------------------------------------------------------

    def member_options(self) -> list[Option]:
        rows = self._select("""
SELECT ?m (MIN(LCASE(STR(?l))) AS ?key) WHERE { ?m a ogp:Member OPTIONAL { ?m rdfs:label ?l } }
GROUP BY ?m ORDER BY ASC(COALESCE(?key, "")) ASC(STR(?m))""")
        return [Option(self._key_of(row["m"], "member"), row["m"]) for row in rows]

    def cycle_options(self) -> list[str]:
        rows = self._select("SELECT DISTINCT (STR(?y) AS ?year) WHERE "
                            "{ ?ap a ogp:ActionPlan ; ogp:cycleYear ?y } ORDER BY ?year")
        return [str(row["year"]) for row in rows]

    def concept_options(self, scheme: str) -> list[Option]:
        return [Option(c.key, c.iri) for c in self.concepts(scheme, with_counts=False)]

    # --- members, action plans, institutions ------------------------------------------------

    def members(self, page: int = 1) -> Page[MemberRow]:
        total = self._count("?x a ogp:Member .")
        offset = page_bounds(page, total)
        rows = self._select(f"""
SELECT ?x (MIN(LCASE(STR(?l))) AS ?key) (COUNT(DISTINCT ?c) AS ?n)
       (MAX(IF(BOUND(?loc), 1, 0)) AS ?local) WHERE {{
  ?x a ogp:Member .
  OPTIONAL {{ ?x rdfs:label ?l }}
  OPTIONAL {{ ?c a ogp:Commitment ; ogp:member ?x }}
  OPTIONAL {{ ?x a ogp:LocalMember . BIND(true AS ?loc) }}
}} GROUP BY ?x ORDER BY ASC(COALESCE(?key, "")) ASC(STR(?x)) LIMIT {PER_PAGE} OFFSET {offset}""")
        items = [MemberRow(iri=row["x"], slug=self._key_of(row["x"], "member"),
                           local=_int(row, "local") > 0, commitments=_int(row, "n"))
                 for row in rows]
        return Page(items, page, total)

    def member_totals(self) -> dict[str, int]:
        """Members split into national and local, for the page's summary line."""
        rows = self._select("SELECT (COUNT(DISTINCT ?m) AS ?all) (COUNT(DISTINCT ?l) AS ?local) "
                            "WHERE { ?m a ogp:Member . OPTIONAL { ?m a ogp:LocalMember "
                            "BIND(?m AS ?l) } }")
        total, local = _int(rows[0], "all"), _int(rows[0], "local")
        return {"all": total, "local": local, "national": total - local}

    def action_plans(self, member: str | None = None, page: int = 1) -> Page[ActionPlanRow]:
        member = checked_key(member, "member")
        where = "?x a ogp:ActionPlan ."
        if member:
            where += f" ?x ogp:member <{self.uris.member(member)}> ."
        total = self._count(where)
        offset = page_bounds(page, total)
        rows = self._select(f"""
SELECT ?x (SAMPLE(?m) AS ?member) (MIN(LCASE(STR(?ml))) AS ?mkey) (MIN(STR(?cy)) AS ?cycle)
       (COUNT(DISTINCT ?c) AS ?n) WHERE {{
  {where}
  OPTIONAL {{ ?x ogp:member ?m . OPTIONAL {{ ?m rdfs:label ?ml }} }}
  OPTIONAL {{ ?x ogp:cycleYear ?cy }}
  OPTIONAL {{ ?c a ogp:Commitment ; ogp:actionPlan ?x }}
}} GROUP BY ?x
ORDER BY ASC(COALESCE(?mkey, "")) DESC(COALESCE(?cycle, "")) ASC(STR(?x))
LIMIT {PER_PAGE} OFFSET {offset}""")
        items = [ActionPlanRow(iri=row["x"], member=row.get("member"),
                               cycle=_str(row, "cycle"), commitments=_int(row, "n"))
                 for row in rows]
        return Page(items, page, total)

    def institutions(self, member: str | None = None, page: int = 1) -> Page[InstitutionRow]:
        member = checked_key(member, "member")
        where = "?x a ogp:Institution ."
        if member:
            where += f" ?x ogp:member <{self.uris.member(member)}> ."
        total = self._count(where)
        offset = page_bounds(page, total)
        rows = self._select(f"""
SELECT ?x (SAMPLE(?m) AS ?member) (MIN(LCASE(STR(?l))) AS ?key)
       (COUNT(DISTINCT ?led) AS ?nled) (COUNT(DISTINCT ?sup) AS ?nsup) WHERE {{
  {where}
  OPTIONAL {{ ?x rdfs:label ?l }}
  OPTIONAL {{ ?x ogp:member ?m }}
  OPTIONAL {{ ?led ogp:leadInstitution ?x }}
  OPTIONAL {{ ?sup ogp:supportingInstitution ?x }}
}} GROUP BY ?x ORDER BY ASC(COALESCE(?key, "")) ASC(STR(?x)) LIMIT {PER_PAGE} OFFSET {offset}""")
        items = [InstitutionRow(iri=row["x"], member=row.get("member"),
                                led=_int(row, "nled"), supported=_int(row, "nsup"))
                 for row in rows]
        return Page(items, page, total)

    # --- SKOS concepts ----------------------------------------------------------------------

    def schemes(self) -> list[URIRef]:
        rows = self._select("SELECT DISTINCT ?s WHERE { ?s a skos:ConceptScheme } ORDER BY ?s")
        return [row["s"] for row in rows]

    def concepts(self, scheme: str, with_counts: bool = True) -> list[ConceptRow]:
        """The concepts of a scheme, in order (ogp:rank, then notation, then key), with the
        number of distinct resources that point at each."""
        checked_key(scheme, "scheme")
        uses = ("OPTIONAL { ?user ?p ?x . FILTER(isIRI(?user) && ?p != skos:inScheme "
                "&& ?p != skos:hasTopConcept && ?p != skos:broader && ?p != skos:narrower "
                "&& ?p != skos:topConceptOf && ?p != skos:related) }") if with_counts else ""
        rows = self._select(f"""
SELECT ?x (MIN(STR(?no)) AS ?notation) (MIN(?rk) AS ?rank) (COUNT(DISTINCT ?user) AS ?n) WHERE {{
  ?x skos:inScheme <{self.uris.scheme(scheme)}> .
  OPTIONAL {{ ?x skos:notation ?no }}
  OPTIONAL {{ ?x ogp:rank ?rk }}
  {uses}
}} GROUP BY ?x""")
        items = []
        for row in rows:
            rank = row.get("rank")
            items.append(ConceptRow(
                iri=row["x"], key=self._key_of(row["x"], scheme),
                notation=_str(row, "notation"),
                rank=int(rank) if rank is not None else None,
                uses=_int(row, "n")))
        return sorted(items, key=lambda c: (c.rank if c.rank is not None else math.inf,
                                            _numeric(c.notation), c.key))

    def commitments_per_policy_area(self, top: int = 15) -> list[ConceptRow]:
        """The ``top`` policy areas by number of commitments (for the home chart)."""
        ranked = sorted(self.concepts("policy-area"), key=lambda c: (-c.uses, c.key))
        return [c for c in ranked if c.uses > 0][:top]

    # --- search -----------------------------------------------------------------------------

    def search(self, text: str, page: int = 1) -> Page[CommitmentRow]:
        """Commitments whose title (3), institution name (2) or description (1) contains the
        phrase, ignoring case, accents and runs of white space; best field first, then
        identifier. The phrase is matched as a whole (not word by word)."""
        needle = fold(text)[:MAX_QUERY_CHARS]
        if not needle:
            return Page([], 1, 0)
        matched = f'FILTER(REGEX(STR(?t), {sparql_string(search_pattern(needle))}, "i"))'
        # The filter sits inside each branch, before the joins: filtering the union's
        # result instead is a hundred times slower on the real data.
        matches = f"""
  {{ ?x dcterms:title|ogp:shortTitle ?t . {matched} ?x a ogp:Commitment . BIND(3 AS ?score) }}
  UNION {{ ?i rdfs:label ?t . {matched}
          ?x ogp:leadInstitution|ogp:supportingInstitution ?i . ?x a ogp:Commitment .
          BIND(2 AS ?score) }}
  UNION {{ ?x dcterms:description ?t . {matched} ?x a ogp:Commitment . BIND(1 AS ?score) }}"""
        total = self._count(matches)
        offset = page_bounds(page, total)
        rows = self._select(f"""
SELECT ?x (MAX(?score) AS ?best) (MIN(STR(?id0)) AS ?id) WHERE {{
  {{ SELECT DISTINCT ?x ?score WHERE {{ {matches} }} }}
  OPTIONAL {{ ?x dcterms:identifier ?id0 }}
}} GROUP BY ?x ORDER BY DESC(?best) ASC(COALESCE(?id, "")) ASC(STR(?x))
LIMIT {PER_PAGE} OFFSET {offset}""")
        iris = [row["x"] for row in rows]
        scores = {row["x"]: _int(row, "best") for row in rows}
        return Page(self._commitment_rows(iris, scores), page, total)
