"""The columns of each browse listing when it is served as data (CSV, JSON, RDF).

A :class:`ListingTable` says what a row of a listing is as a record: its columns, and which
of its IRIs need a label (in the reader's language). The rows themselves (``CommitmentRow``,
``MemberRow``, … of :mod:`ogpgraph.web.browse_listings`) come with the same filters and
sort as the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from ogpgraph.web.reader_labels import fallback_label

Labels = Mapping[URIRef, Any]
Value = str | int | bool | None


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Any, Labels], Value]


@dataclass(frozen=True)
class ListingTable:
    name: str  # the file name of a download, and the collection's name
    title: str
    columns: tuple[Column, ...]
    labelled: Callable[[Any], list[Node | None]]  # the IRIs of a row that need labels

    def record(self, row: Any, labels: Labels) -> dict[str, Value]:
        return {column.name: column.value(row, labels) for column in self.columns}


def label(labels: Labels, iri: Node | None) -> str | None:
    if iri is None:
        return None
    found = labels.get(iri)  # type: ignore[call-overload]
    return str(found) if found is not None else fallback_label(str(iri))


def _iri(iri: Node | None) -> str | None:
    return str(iri) if iri is not None else None


IRI = Column("iri", lambda row, labels: str(row.iri))
NAME = Column("name", lambda row, labels: label(labels, row.iri))
MEMBER = Column("member", lambda row, labels: label(labels, row.member))
MEMBER_IRI = Column("member_iri", lambda row, labels: _iri(row.member))
SEARCH_MATCH = {3: "title", 2: "institution", 1: "description", 0: ""}

_COMMITMENT_COLUMNS = (
    Column("identifier", lambda row, labels: row.identifier),
    Column("title", lambda row, labels: label(labels, row.iri)),
    MEMBER,
    Column("cycle", lambda row, labels: row.cycle),
    Column("starred", lambda row, labels: row.starred),
    IRI, MEMBER_IRI,
)


def _member_and_self(row: Any) -> list[Node | None]:
    return [row.iri, row.member]


COMMITMENTS = ListingTable("commitments", "OGP commitments", _COMMITMENT_COLUMNS,
                           _member_and_self)
SEARCH = ListingTable(
    "search", "Search results",
    (*_COMMITMENT_COLUMNS,
     Column("matched_in", lambda row, labels: SEARCH_MATCH.get(row.score, ""))),
    _member_and_self)
MEMBERS = ListingTable(
    "members", "OGP members",
    (NAME, Column("slug", lambda row, labels: row.slug),
     Column("local", lambda row, labels: row.local),
     Column("commitments", lambda row, labels: row.commitments), IRI),
    lambda row: [row.iri])
ACTION_PLANS = ListingTable(
    "action-plans", "OGP action plans",
    (NAME, MEMBER, Column("cycle", lambda row, labels: row.cycle),
     Column("commitments", lambda row, labels: row.commitments), IRI, MEMBER_IRI),
    _member_and_self)
INSTITUTIONS = ListingTable(
    "institutions", "Institutions",
    (NAME, MEMBER, Column("type", lambda row, labels: label(labels, row.type)),
     Column("led", lambda row, labels: row.led),
     Column("supported", lambda row, labels: row.supported), IRI, MEMBER_IRI,
     Column("type_iri", lambda row, labels: _iri(row.type))),
    lambda row: [row.iri, row.member, row.type])
POLICY_AREAS = ListingTable(
    "policy-areas", "Policy areas",
    (NAME, Column("key", lambda row, labels: row.key),
     Column("notation", lambda row, labels: row.notation),
     Column("commitments", lambda row, labels: row.uses), IRI),
    lambda row: [row.iri])
