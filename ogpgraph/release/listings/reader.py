"""Reading the listing index: what the browse, member and search pages ask.

The filtered commitments of a listing are a :class:`Plan`: every commitment (a page is a
range of positions), one facet value (a range of that value's positions), or a general
query; pages are index ranges wherever the plan allows.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ogpgraph.release.listings.schema import SCHEMA_VERSION, SEARCH_COLUMNS, SEARCH_WEIGHTS
from ogpgraph.release.listings.words import fold, fts_query


@dataclass(frozen=True)
class CommitmentQuery:
    """Filters of a commitment listing: (facet, value) pairs that must all hold, and more."""

    facets: list[tuple[str, str]]
    starred: bool | None = None
    min_rank: int | None = None
    no_match: bool = False  # e.g. a completion level without a rank


@dataclass(frozen=True)
class Plan:
    """How to read the filtered commitments ``c``: ``all`` of them, ``facet`` (one facet
    value: ``params`` is its id), or a ``general`` SQL FROM/WHERE."""

    shape: Literal["all", "facet", "general"]
    source: str = "commitments c"
    where: str = "1"
    params: list[Any] = field(default_factory=list)


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

    def _plan(self, query: CommitmentQuery) -> Plan | None:
        """The plan of the filtered commitments; None when nothing can match. The first
        facet drives the query (its commitments are a primary-key range in ``id`` order);
        further facets are probed per row."""
        if query.no_match:
            return None
        ids = []
        for facet, value in query.facets:
            found = self.scalar("SELECT id FROM facet_values WHERE facet = ? AND value = ?",
                                (facet, value))
            if found is None:
                return None
            ids.append(found)
        extra = query.starred is not None or query.min_rank is not None
        if not ids and not extra:
            return Plan("all")
        if len(ids) == 1 and not extra:
            return Plan("facet", "facets f0 JOIN commitments c ON c.id = f0.commitment",
                        "f0.value_id = ?", [ids[0]])
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
        return Plan("general", source, " AND ".join(parts), params)

    def completion_counts(self, query: CommitmentQuery) -> list[tuple[int | None, int]]:
        """(highest completion rank, commitments) of the filtered commitments; None = never
        assessed for completion."""
        plan = self._plan(query)
        if plan is None:
            return []
        return self.rows(f"SELECT c.max_rank, COUNT(*) FROM {plan.source} WHERE {plan.where} "
                         "GROUP BY c.max_rank ORDER BY c.max_rank IS NULL, c.max_rank",
                         plan.params)

    def concept_with_rank(self, scheme: str, rank: int) -> str | None:
        return self.scalar("SELECT MIN(iri) FROM concepts WHERE scheme = ? AND rank = ?",
                           (scheme, rank))

    def count_commitments(self, query: CommitmentQuery) -> int:
        plan = self._plan(query)
        if plan is None:
            return 0
        if plan.shape == "all":
            return self.totals.get("commitments", 0)
        if plan.shape == "facet":  # one facet: its last position
            return self.scalar("SELECT COALESCE(MAX(position), 0) FROM facets "
                               "WHERE value_id = ?", plan.params)
        return self.scalar(f"SELECT COUNT(*) FROM {plan.source} WHERE {plan.where}",
                           plan.params)

    def commitment_page(self, query: CommitmentQuery, sort: str, descending: bool,
                        limit: int, offset: int) -> list[tuple]:
        """Rows (iri, identifier, member, cycle, starred, snippet) of one page."""
        if sort not in ("id", "title", "member", "cycle"):
            raise ValueError(f"unknown sort: {sort}")
        plan = self._plan(query)
        if plan is None:
            return []
        order = f"{sort}_{'desc' if descending else 'asc'}"
        columns = "c.iri, c.identifier, c.member, c.cycle, c.starred, c.snippet"
        if plan.shape == "all":  # positions are 1..N, so a page is a range, not an OFFSET
            column = "c.id" if order == "id_asc" else f"c.{order}"
            return self.rows(f"SELECT {columns} FROM commitments c WHERE {column} BETWEEN ? "
                             f"AND ? ORDER BY {column}", (offset + 1, offset + limit))
        if plan.shape == "facet":  # a range of the value's positions in that order
            return self._facet_page(plan, query, columns, order, limit, offset)
        column = "f0.commitment" if order == "id_asc" and plan.source != "commitments c" \
            else "c.id" if order == "id_asc" else f"c.{order}"
        return self.rows(f"SELECT {columns} FROM {plan.source} WHERE {plan.where} "
                         f"ORDER BY {column} LIMIT ? OFFSET ?", [*plan.params, limit, offset])

    def _facet_page(self, plan: Plan, query: CommitmentQuery, columns: str, order: str,
                    limit: int, offset: int) -> list[tuple]:
        position, first, last, direction = "f0.position", offset + 1, offset + limit, ""
        if order == "id_desc":  # id order read backwards
            size = self.count_commitments(query)
            first, last, direction = size - offset - limit + 1, size - offset, " DESC"
        elif order != "id_asc":
            position = f"f0.{order}"
        return self.rows(f"SELECT {columns} FROM facets f0 JOIN commitments c "
                         f"ON c.id = f0.commitment WHERE f0.value_id = ? AND {position} "
                         f"BETWEEN ? AND ? ORDER BY {position}{direction}",
                         [*plan.params, first, last])

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

    def _institution_filter(self, member: str | None, type_: str | None
                            ) -> tuple[str, list[Any]]:
        where, params = self._member_filter(member)
        if type_ is not None:
            where += " AND iri IN (SELECT institution FROM institution_types WHERE class = ?)"
            params.append(type_)
        return where, params

    def count_institutions(self, member: str | None, type_: str | None = None) -> int:
        where, params = self._institution_filter(member, type_)
        return self.scalar(f"SELECT COUNT(*) FROM institutions WHERE {where}", params)

    def institutions_page(self, member: str | None, limit: int, offset: int,
                          type_: str | None = None) -> list[tuple]:
        """(iri, member, led, supported, type) in label order; ``type_``: a class IRI
        (its subclasses' institutions included)."""
        where, params = self._institution_filter(member, type_)
        return self.rows(f"SELECT iri, member, led, supported, type FROM institutions "
                         f"WHERE {where} ORDER BY sort_key, iri LIMIT ? OFFSET ?",
                         [*params, limit, offset])

    def institution_types(self) -> list[tuple[str, int]]:
        """(class IRI, number of institutions) of every class institutions have."""
        return self.rows("SELECT class, COUNT(*) FROM institution_types GROUP BY class "
                         "ORDER BY class")

    def has_identifier(self, kind: str, key: str, iri: str) -> bool:
        """Whether ``iri`` (``{base}id/{kind}/{key}``) is a typed subject of the release:
        one indexed read, for the pages' "does it exist" before any store query."""
        return self.scalar("SELECT 1 FROM identifiers WHERE kind = ? AND folded = ? AND "
                           "iri = ?", (kind, key.lower(), iri)) is not None

    def redirect(self, iri: str) -> str | None:
        """The IRI kept for an old one (a spelling merged into another institution)."""
        return self.scalar("SELECT new FROM redirects WHERE old = ?", (iri,))

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
