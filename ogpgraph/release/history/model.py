"""What a change is: the records the history stores, publishes and serves.

Terms are kept as N-Triples strings (``<iri>``, ``"text"@en``, ``"2015-08"^^<…>``): they
sort deterministically, compare exactly and go back into RDF unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

ChangeKind = Literal["added", "removed", "modified"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("added", "removed", "modified")

# (predicate, object) as N-Triples -> the source graphs stating it
Facts = dict[tuple[str, str], set[str]]


@dataclass(frozen=True)
class PropertyChange:
    """One property of a resource whose set of values changed."""

    property: str  # IRI
    old: tuple[str, ...]  # every value before (N-Triples, sorted)
    new: tuple[str, ...]  # every value after
    old_sources: tuple[str, ...]  # graphs that stated the values now gone
    new_sources: tuple[str, ...]  # graphs that state the values now added

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(v for v in self.old if v not in self.new)

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(v for v in self.new if v not in self.old)


@dataclass(frozen=True)
class Change:
    """What happened to one resource in one release."""

    resource: str  # IRI
    kind: ChangeKind
    resource_kind: str  # the IRI's kind segment: commitment, milestone, policy-area, …
    member: str | None  # the OGP member it belongs to, for filtering
    label: str
    new_sources: tuple[str, ...]  # graphs stating what was added (its state, if added)
    old_sources: tuple[str, ...]  # graphs that stated what went (its state, if removed)
    properties: tuple[PropertyChange, ...] = ()
    state: tuple[str, ...] = field(default=(), repr=False)  # "p o" lines after; () if removed


@dataclass(frozen=True)
class ReleaseRecord:
    """A release as the history knows it."""

    id: str  # e.g. 20260101T000000Z: its time, unique in the history
    timestamp: datetime
    previous: str | None
    sources: tuple[str, ...] = ()  # the source graphs it was built from

    @property
    def iso_time(self) -> str:
        return iso_time(self.timestamp)


def iso_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def release_id_of(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def next_release_time(built_at: datetime, last: datetime | None) -> datetime:
    """The build time, or a second after the last release when the clock went back or two
    builds share a second: the event stream's timestamps must increase."""
    moment = built_at.astimezone(UTC).replace(microsecond=0)
    if last is not None and moment <= last:
        return last + timedelta(seconds=1)
    return moment
