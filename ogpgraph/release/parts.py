"""A source's named graph in parts: what an incremental build maps again or reuses.

A source graph is the union of its parts: its description (``DESCRIPTION``: the source
document, with the build time, so written anew by every build), the concepts it names that
our vocabularies lack (``CONCEPTS``), and one part per member its commitments belong to
(the member, its plans, institutions, reports, and those commitments with their milestones
and assessments). A part is a function of the source's bytes and of the institutions the
build reconciled for that member; its key says so (:meth:`SourceParts.compute_keys`), so a
member whose institutions did not change keeps the part the previous release mapped.

Parts share no statement: every resource a part describes is its member's (its plans,
reports and institutions have the member in their IRI; its commitments, with their
milestones and assessments, are the member's). A source that gives one commitment
several members is one part (``ALL``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import pyoxigraph as ox

from ogpgraph.graph.mapping import SourceMapper, _OxTerms
from ogpgraph.graph.uris import Uris
from ogpgraph.records.model import Commitment, SourceRecords
from ogpgraph.release.cache.version import code_version

DESCRIPTION = "(source)"
CONCEPTS = "(concepts)"
NO_MEMBER = "(no member)"
ALL = "(all)"  # the one part of a source that gives one commitment several members
XSD_TYPED = b'"^^<http://www.w3.org/2001/XMLSchema#'


def part_of(commitment: Commitment) -> str:
    return commitment.member.slug if commitment.member else NO_MEMBER


def source_key(records: SourceRecords, base: str) -> str:
    """What the records of a source are a function of: the code, the base, the file's
    bytes, kind and path (which messages and titles name)."""
    source = records.source
    text = "\0".join((code_version(), base, source.kind, source.sha256, source.path,
                      source.label, source.url or ""))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class SourceParts:
    """A source's records grouped by part, with each part's key."""

    records: SourceRecords
    base: str
    graph: str
    by_part: dict[str, list[Commitment]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    _source_wide: tuple[dict[str, str], dict] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, records: SourceRecords, base: str) -> SourceParts:
        graph = str(Uris(base).source(records.source.kind, records.source.sha256))
        parts = cls(records, base, graph)
        grouped: dict[str, list[Commitment]] = defaultdict(list)
        members: dict[str, set[str]] = defaultdict(set)
        for commitment in records.commitments:
            grouped[part_of(commitment)].append(commitment)
            members[commitment.identifier.upper()].add(part_of(commitment))
        if any(len(found) > 1 for found in members.values()):
            # parts must not share a resource; they would share that commitment's
            grouped = {ALL: list(records.commitments)}
        parts.by_part = dict(sorted(grouped.items()))
        return parts

    def compute_keys(self) -> None:
        """Each part's key, once the institutions are reconciled (they are in the refs)."""
        source = source_key(self.records, self.base)
        self.keys = {CONCEPTS: _digest(source, CONCEPTS, repr(sorted(
            self.records.new_concepts.items())))}
        for part, commitments in self.by_part.items():
            refs = repr([(c.identifier, c.lead_institutions, c.supporting_institutions)
                         for c in commitments])
            self.keys[part] = _digest(source, part, refs)

    def source_wide(self, built_at: datetime) -> tuple[dict[str, str], dict]:
        """What the mapping reads from every commitment of the source (members' names,
        made-up plan labels: ``SourceMapper.prepare``), worked out once per source."""
        if self._source_wide is None:
            mapper = SourceMapper(self.base, self.records.source, built_at)
            mapper.prepare(self.records.commitments)
            self._source_wide = (mapper.member_names, mapper.made_up_plan_labels)
        return self._source_wide

    def map_part(self, part: str, built_at: datetime) -> bytes:
        """The part's statements as sorted N-Quads lines."""
        mapper = SourceMapper(self.base, self.records.source, built_at)
        names, plan_labels = self.source_wide(built_at)
        mapper.member_names.update(names)
        mapper.made_up_plan_labels = plan_labels
        quads: list[ox.Quad] = []
        graph = ox.NamedNode(self.graph)
        convert = _OxTerms()
        mapper.sink = lambda t: quads.append(
            ox.Quad(convert(t[0]), convert(t[1]), convert(t[2]), graph))
        if part == DESCRIPTION:
            mapper.map_source()
        elif part == CONCEPTS:
            mapper.map_new_concepts(self.records.new_concepts)
        else:
            for commitment in self.by_part[part]:
                mapper.map_commitment(commitment)
        if not quads:
            return b""
        return canonical_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def canonical_lines(nquads: bytes) -> bytes:
    """N-Quads lines sorted, each once, their typed literals in the canonical form a store
    gives them back in (``"2026-01-01T00:00:00+00:00"^^xsd:dateTime`` is written with a
    ``Z``, ``"01"^^xsd:integer`` as ``"1"``): so the dumps written from these lines say
    exactly what the store says. Only the lines with an XSD-typed literal (a tenth of
    them) go through a store."""
    plain, typed = [], []
    for line in nquads.splitlines(keepends=True):
        (typed if XSD_TYPED in line else plain).append(line)
    if typed:
        store = ox.Store()
        store.load(b"".join(typed), ox.RdfFormat.N_QUADS)
        plain += store.dump(format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    return b"".join(sorted(set(plain)))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
