"""The browse, filter and search pages' data, served from the build's listing index.

Listings, counts and search are read from the SQLite tables the build precomputes
(:mod:`ogpgraph.release.listings`): at 100,000 commitments the equivalent SPARQL takes about half
a second per page, the index a few milliseconds. Every listing is paginated with a total order
(``COUNT`` + ``ORDER BY … LIMIT/OFFSET``), so no page is ever silently truncated. Users' values
only reach SQL as bound parameters; keys are checked against :data:`KEY_RE` before they are
turned into IRIs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from rdflib import Literal, URIRef
from rdflib.term import Node

from ogpgraph.graph.uris import Uris
from ogpgraph.release.listings.reader import CommitmentQuery, ListingIndex
from ogpgraph.release.listings.words import search_words
from ogpgraph.release.listings.writer import build_listing_index
from ogpgraph.store.base import GraphStore
from ogpgraph.store.oxigraph_store import OxigraphStore

PER_PAGE = 50
MAX_QUERY_CHARS = 200
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,100}$")
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


# --- filter values -------------------------------------------------------------------------

def checked_key(value: str | None, what: str) -> str | None:
    """A slug/key from a query parameter, or None when empty; anything else is refused."""
    if value is None or value == "":
        return None
    if not KEY_RE.match(value):
        raise BadFilter(f"{what}: not a valid key: {value!r}")
    return value


# --- results --------------------------------------------------------------------------------

@dataclass
class CommitmentRow:
    iri: URIRef
    identifier: str
    member: URIRef | None = None
    cycle: str | None = None
    starred: bool = False
    score: int = 0  # search: all words in 3 title, 2 institution name, 1 description, 0 spread
    snippet: str | None = None  # the start of a description


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
    type: URIRef | None = None  # its most specific class (sector)


@dataclass
class TypeOption:
    """A value of the institutions' type facet: a class local name, its IRI, how many."""

    value: str
    iri: URIRef
    count: int


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


def _numeric(notation: str | None) -> tuple[float, str]:
    """Sort key for skos:notation: numeric codes in numeric order, others after."""
    if notation is None:
        return (math.inf, "")
    try:
        return (float(notation), notation)
    except ValueError:
        return (math.inf, notation)


class BrowseService:
    """Listing, filtering, counting and search over one published build.

    Everything is answered from the build's listing index (:mod:`ogpgraph.release.listings`),
    which holds the counts and sort keys the equivalent SPARQL would compute; only the
    vocabulary pages' ``schemes``/``concepts`` are also taken from it."""

    def __init__(self, store: GraphStore, base: str, listings: ListingIndex | None = None
                 ) -> None:
        self.store = store
        self.base = base
        self.uris = Uris(base)
        self.index = listings if listings is not None else index_for_store(store, base)

    def _key_of(self, iri: URIRef | str, prefix: str) -> str:
        return str(iri)[len(f"{self.base}id/{prefix}/"):]

    # --- commitments ------------------------------------------------------------------------

    def _commitment_where(self, filters: CommitmentFilters) -> CommitmentQuery:
        member = checked_key(filters.member, "member")
        area = checked_key(filters.policy_area, "policy_area")
        completion = checked_key(filters.completion, "completion")
        min_rank = None
        if completion:
            min_rank = self.index.completion_rank(str(self.uris.concept("completion",
                                                                        completion)))
        return self.index.commitment_where(
            member=str(self.uris.member(member)) if member else None,
            cycle=str(int(filters.cycle)) if filters.cycle is not None else None,
            policy_area=str(self.uris.concept("policy-area", area)) if area else None,
            starred=filters.starred, min_rank=min_rank,
            no_match=bool(completion) and min_rank is None)

    def commitments(self, filters: CommitmentFilters, sort: str = "id", descending: bool = False,
                    page: int = 1, per_page: int = PER_PAGE) -> Page[CommitmentRow]:
        if sort not in SORT_KEYS:
            raise BadFilter(f"sort: one of {', '.join(SORT_KEYS)}")
        where = self._commitment_where(filters)
        total = self.index.count_commitments(where)
        offset = page_bounds(page, total, per_page)
        rows = self.index.commitment_page(where, sort, descending, per_page, offset)
        return Page([_commitment_row(row) for row in rows], page, total, per_page)

    # --- filter options ---------------------------------------------------------------------

    def member_options(self) -> list[Option]:
        return [Option(slug, URIRef(iri)) for slug, iri in self.index.member_options()]

    def cycle_options(self) -> list[str]:
        return self.index.cycles()

    def concept_options(self, scheme: str) -> list[Option]:
        return [Option(c.key, c.iri) for c in self.concepts(scheme, with_counts=False)]

    # --- members, action plans, institutions ------------------------------------------------

    def members(self, page: int = 1, per_page: int = PER_PAGE) -> Page[MemberRow]:
        total = self.index.totals.get("members", 0)
        offset = page_bounds(page, total, per_page)
        items = [MemberRow(iri=URIRef(iri), slug=slug, local=bool(local), commitments=n)
                 for iri, slug, local, n in self.index.members_page(per_page, offset)]
        return Page(items, page, total, per_page)

    def member_totals(self) -> dict[str, int]:
        """Members split into national and local, for the page's summary line."""
        total = self.index.totals.get("members", 0)
        local = self.index.totals.get("local_members", 0)
        return {"all": total, "local": local, "national": total - local}

    def _member_iri(self, member: str | None) -> str | None:
        member = checked_key(member, "member")
        return str(self.uris.member(member)) if member else None

    def action_plans(self, member: str | None = None, page: int = 1,
                     per_page: int = PER_PAGE) -> Page[ActionPlanRow]:
        member_iri = self._member_iri(member)
        total = self.index.count_action_plans(member_iri)
        offset = page_bounds(page, total, per_page)
        items = [ActionPlanRow(iri=URIRef(iri), member=_iri(m), cycle=cycle, commitments=n)
                 for iri, m, cycle, n in self.index.action_plans_page(member_iri, per_page,
                                                                      offset)]
        return Page(items, page, total, per_page)

    def institutions(self, member: str | None = None, page: int = 1,
                     type_: str | None = None,
                     per_page: int = PER_PAGE) -> Page[InstitutionRow]:
        """``type_``: a class's local name (``Legislature``, ``GovernmentBody``: its
        subclasses included), one of :meth:`institution_type_options`."""
        member_iri = self._member_iri(member)
        type_iri = self._type_iri(type_)
        total = self.index.count_institutions(member_iri, type_iri)
        offset = page_bounds(page, total, per_page)
        items = [InstitutionRow(iri=URIRef(iri), member=_iri(m), led=led, supported=sup,
                                type=_iri(kind))
                 for iri, m, led, sup, kind in self.index.institutions_page(
                     member_iri, per_page, offset, type_iri)]
        return Page(items, page, total, per_page)

    def institution_type_options(self) -> list[TypeOption]:
        ogp = f"{self.base}ontology#"
        return [TypeOption(iri.removeprefix(ogp), URIRef(iri), n)
                for iri, n in self.index.institution_types() if iri.startswith(ogp)]

    def _type_iri(self, type_: str | None) -> str | None:
        if not type_:
            return None
        known = {o.value: str(o.iri) for o in self.institution_type_options()}
        if type_ not in known and not re.fullmatch(r"[A-Z][A-Za-z]{0,60}", type_):
            raise BadFilter(f"type: not a class name: {type_!r}")
        return known.get(type_, f"{self.base}ontology#{type_}")

    # --- SKOS concepts ----------------------------------------------------------------------

    def schemes(self) -> list[URIRef]:
        return [URIRef(s) for s in self.index.schemes()]

    def concepts(self, scheme: str, with_counts: bool = True) -> list[ConceptRow]:
        """The concepts of a scheme, in order (ogp:rank, then notation, then key), with the
        number of distinct resources that point at each (0 when ``with_counts`` is off)."""
        checked_key(scheme, "scheme")
        items = [ConceptRow(iri=URIRef(iri), key=self._key_of(iri, scheme), notation=notation,
                            rank=rank, uses=uses if with_counts else 0)
                 for iri, notation, rank, uses in self.index.concepts(
                     str(self.uris.scheme(scheme)))]
        return sorted(items, key=lambda c: (c.rank if c.rank is not None else math.inf,
                                            _numeric(c.notation), c.key))

    def commitments_per_policy_area(self, top: int = 15) -> list[ConceptRow]:
        """The ``top`` policy areas by number of commitments (for the home chart)."""
        ranked = sorted(self.concepts("policy-area"), key=lambda c: (-c.uses, c.key))
        return [c for c in ranked if c.uses > 0][:top]

    # --- search -----------------------------------------------------------------------------

    def search(self, text: str, page: int = 1, per_page: int = PER_PAGE
               ) -> Page[CommitmentRow]:
        """Commitments whose titles, institution names and descriptions hold every word of
        ``text`` as whole words, ignoring case and accents; ranked by bm25
        with title matches weighing most, then institution names, then descriptions.
        Punctuation only separates words, so no input is ever read as a query operator."""
        words = search_words(text[:MAX_QUERY_CHARS])
        if not words:
            return Page([], 1, 0, per_page)
        total = self.index.search_count(words)
        offset = page_bounds(page, total, per_page)
        rows = self.index.search_page(words, per_page, offset)
        return Page([_commitment_row(row[:-1], score=row[-1]) for row in rows], page, total,
                    per_page)

    # --- labels -----------------------------------------------------------------------------

    def labels(self, iris: Iterable[Node | None], lang: str) -> dict[URIRef, Literal]:
        """Labels of listed resources from the index (as :func:`fetch_labels` would pick)."""
        wanted = [str(i) for i in iris if isinstance(i, URIRef)]
        return {URIRef(iri): Literal(text, lang=tag or None)
                for iri, (text, tag) in self.index.labels(wanted, lang).items()}


def _iri(value: str | None) -> URIRef | None:
    return URIRef(value) if value is not None else None


def _commitment_row(row: Sequence[Any], score: int = 0) -> CommitmentRow:
    iri, identifier, member, cycle, starred, snippet = row
    return CommitmentRow(iri=URIRef(iri), identifier=identifier or iri.rsplit("/", 1)[-1],
                         member=_iri(member), cycle=cycle, starred=bool(starred), score=score,
                         snippet=snippet)


def index_for_store(store: GraphStore, base: str) -> ListingIndex:
    """An in-memory listing index of an embedded store (tests, or a build without one)."""
    if not isinstance(store, OxigraphStore):
        raise TypeError("the listing index is built from an embedded Oxigraph store")
    return build_listing_index(store.store, base, None)


def list_page(items: Sequence[T], number: int, per_page: int = PER_PAGE) -> Page[T]:
    """A page of a listing that is a list already (the policy areas)."""
    offset = page_bounds(number, len(items), per_page)
    return Page(list(items[offset:offset + per_page]), number, len(items), per_page)
