"""The build-level pass over every institution field of one member.

1. Read every field (``segment.read_field``), gather the names and acronyms read with
   confidence into the member's ``Gazetteer``, and read every field again with it (so a list
   glued in one source is split by names another source gives).
2. Gather the mentions into institutions (``identity``): the same key (case, accents,
   article, punctuation do not count); a bare acronym joins the one institution the member's
   data pairs it with (``Commission on Administrative Justice (CAJ)`` / ``CAJ``); two names
   paired with the same acronym merge when their words agree, else they stay apart and the
   acronym is reported as ambiguous. Units named under a heading (``Del Senado:``) are
   qualified by their parent (``Departamento de Informática (Senado)``).
3. One sector per institution, by precedence headings > convention > patterns; within the
   best evidence, a finer sector that agrees wins (legislature over government); a
   disagreement is settled by the majority (a tie gives the coarse sector they share, or
   unknown) and reported.

Never across members: call this once per member.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ogpgraph.records.institutions import identity
from ogpgraph.records.institutions import text as tx
from ogpgraph.records.institutions.classify import classify_name
from ogpgraph.records.institutions.gazetteer import Gazetteer
from ogpgraph.records.institutions.segment import read_field
from ogpgraph.records.institutions.types import (
    Evidence,
    FieldReading,
    Issue,
    Mention,
    Role,
    Sector,
)
from ogpgraph.records.slugs import slug

Key = tuple[str, ...]


@dataclass(frozen=True)
class FieldInput:
    """One institution field of one source: ``where`` names it in reports
    (``AL0063 support``, ``pages/UK0063.txt lead``)."""

    where: str
    role: Role | str
    text: str


@dataclass
class Institution:
    """One institution of a member. ``merged`` maps each other spelling to the slug it would
    have had alone (the old IRIs that should answer 301 to ``slug``)."""

    member: str
    name: str
    slug: str
    sector: Sector = Sector.UNKNOWN
    evidence: Evidence = Evidence.NONE
    acronym: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    parent: str | None = None  # slug of the institution this is a unit of
    merged: dict[str, str] = field(default_factory=dict)
    why: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass
class MemberInstitutions:
    """The result of :func:`reconcile_member`."""

    member: str
    institutions: list[Institution]
    readings: list[tuple[str, FieldReading]]
    by_mention: dict[tuple[int, int], str]  # (reading, mention) -> institution slug
    issues: list[Issue] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def mentions(self) -> list[tuple[str, Mention]]:
        return [(where, m) for where, r in self.readings for m in r.mentions]

    def institution(self, slug_: str) -> Institution:
        return next(i for i in self.institutions if i.slug == slug_)

    def of(self, where: str) -> list[tuple[Mention, Institution]]:
        """The mentions of the field named ``where`` and the institution each one is."""
        out = []
        for r_index, (field_where, reading) in enumerate(self.readings):
            if field_where == where:
                for m_index, mention in enumerate(reading.mentions):
                    out.append((mention, self.institution(self.by_mention[(r_index, m_index)])))
        return out

    def redirects(self) -> dict[str, str]:
        """Old slug -> kept slug, for every merged spelling (never one that is another
        institution's slug, never one two institutions claim)."""
        claims: dict[str, set[str]] = defaultdict(set)
        for inst in self.institutions:
            for old in inst.merged.values():
                claims[old].add(inst.slug)
        kept = {i.slug for i in self.institutions}
        return {old: next(iter(new)) for old, new in sorted(claims.items())
                if len(new) == 1 and old not in kept}


@dataclass
class _Unit:
    """A mention to be placed: its key, spellings, acronym, parent key, evidence."""

    key: Key
    spelling: str
    raw: str
    acronym: str | None
    parent: Key | None
    parent_spelling: str | None
    sector: Sector
    evidence: Evidence
    pattern: Sector
    note: str | None
    where: str
    index: tuple[int, int] | None  # (reading, mention) for real mentions


def reconcile_member(member: str, fields: list[FieldInput]) -> MemberInstitutions:
    """Both passes over the member's fields and the reconciliation (see module docstring)."""
    first = [read_field(f.text, f.role) for f in fields]
    gazetteer = Gazetteer.from_mentions(m for r in first for m in r.mentions)
    readings = [(f.where, read_field(f.text, f.role, gazetteer=gazetteer)) for f in fields]
    units = _units(readings)
    groups, why, ambiguous = _group(units)
    book = _build(member, units, groups, why, readings)
    book.ambiguous = ambiguous
    book.issues = [Issue(i.kind, i.text, f"{where}: {i.detail}".rstrip(": "))
                   for where, r in readings for i in r.issues]
    return book


def _units(readings: list[tuple[str, FieldReading]]) -> list[_Unit]:
    units: list[_Unit] = []
    for r_index, (where, reading) in enumerate(readings):
        for m_index, m in enumerate(reading.mentions):
            parent = identity.name_key(m.parent) if m.parent else None
            key = (*parent, "/", *identity.name_key(m.name)) if parent else \
                identity.name_key(m.name)
            units.append(_Unit(key, m.name, m.raw, m.acronym, parent, m.parent, m.sector,
                               m.evidence, m.pattern_sector, m.note, where, (r_index, m_index)))
            if m.parent:
                units.append(_bare(m.parent, where))
            if m.via:
                via = _bare(m.via, where)
                via.parent, via.parent_spelling = identity.name_key(m.name), m.name
                units.append(via)
    return units


def _bare(name: str, where: str) -> _Unit:
    pattern = classify_name(name)
    evidence = Evidence.PATTERN if pattern != Sector.UNKNOWN else Evidence.NONE
    return _Unit(identity.name_key(name), name, name, None, None, None, pattern, evidence,
                 pattern, None, where, None)


class _Groups:
    """Union-find over keys; the root of a group is its smallest key (deterministic)."""

    def __init__(self, keys: list[Key]):
        self.parent = {k: k for k in keys}

    def find(self, key: Key) -> Key:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low


def _group(units: list[_Unit]) -> tuple[_Groups, dict[Key, list[str]], list[str]]:
    groups = _Groups(sorted({u.key for u in units}))
    why: dict[Key, list[str]] = defaultdict(list)
    ambiguous: list[str] = []
    claims: dict[str, dict[Key, _Unit]] = defaultdict(dict)
    for unit in units:
        if unit.acronym and unit.key != (identity.acronym_key(unit.acronym),):
            claims[identity.acronym_key(unit.acronym)].setdefault(unit.key, unit)
    for acronym, claimants in sorted(claims.items()):
        keys = sorted(claimants)
        apart = [k for k in keys[1:] if not identity.similar(keys[0], k)]
        for k in keys[1:]:
            if k not in apart:
                groups.union(keys[0], k)
                why[k].append(f"names paired with the same acronym {claimants[k].acronym}")
        bare = (acronym,)
        if apart:
            names = sorted({claimants[k].spelling for k in keys})
            ambiguous.append(f"{claimants[keys[0]].acronym}: paired with {names}; "
                             "left apart")
        elif bare in groups.parent:
            first = claimants[keys[0]]
            groups.union(keys[0], bare)
            why[bare].append(f"acronym {first.acronym} paired with {first.spelling!r} "
                             f"({first.where})")
    return groups, why, ambiguous


def _resolve(units: list[_Unit]) -> tuple[Sector, Evidence, str | None]:
    """One sector from the units' evidence (see module docstring)."""
    best = max(u.evidence for u in units)
    if best == Evidence.NONE:
        return Sector.UNKNOWN, Evidence.NONE, None
    said = Counter(u.sector for u in units if u.evidence == best)
    finest = [s for s in said if all(s.refines(o) for o in said)]
    conflict = None
    if finest:
        sector = finest[0]
    else:
        ranked = said.most_common()
        top = [s for s, n in ranked if n == ranked[0][1]]
        broader = {s.broader or s for s in top}
        sector = top[0] if len(top) == 1 else (broader.pop() if len(broader) == 1
                                               else Sector.UNKNOWN)
        conflict = f"{best.name.lower()}s disagree: " + ", ".join(
            f"{s.value} x{n}" for s, n in sorted(said.items()))
    lower = {u.pattern for u in units if u.pattern.refines(sector) and u.pattern != sector}
    if len(lower) == 1 and sector in (Sector.GOVERNMENT, Sector.NON_GOVERNMENT):
        sector = lower.pop()
    contradicted = sorted({u.pattern.value for u in units if u.pattern != Sector.UNKNOWN
                           and not u.pattern.refines(sector) and not sector.refines(u.pattern)})
    if contradicted and conflict is None:
        conflict = f"{best.name.lower()} says {sector.value}; name patterns say " \
                   f"{', '.join(contradicted)}"
    return sector, best, conflict


def _build(member: str, units: list[_Unit], groups: _Groups, why: dict[Key, list[str]],
           readings: list[tuple[str, FieldReading]]) -> MemberInstitutions:
    members: dict[Key, list[_Unit]] = defaultdict(list)
    for unit in units:
        members[groups.find(unit.key)].append(unit)
    institutions: dict[Key, Institution] = {}
    used: set[str] = set()
    book = MemberInstitutions(member, [], readings, {})
    for root in sorted(members):
        inst = _institution(member, members[root], why, groups)
        base, n = inst.slug, 2
        while inst.slug in used:
            inst.slug, n = f"{base}-{n}", n + 1
        used.add(inst.slug)
        institutions[root] = inst
        sector, evidence, conflict = _resolve(members[root])
        inst.sector, inst.evidence = sector, evidence
        if conflict:
            book.conflicts.append(f"{inst.name}: {conflict}")
    _parents(members, institutions, groups)
    for root, group in members.items():
        for unit in group:
            if unit.index is not None:
                book.by_mention[unit.index] = institutions[root].slug
    book.institutions = sorted(institutions.values(), key=lambda i: i.slug)
    return book


def _institution(member: str, group: list[_Unit], why: dict[Key, list[str]],
                 groups: _Groups) -> Institution:
    full = [u for u in group if not tx.is_acronym(u.spelling) or u.key[-1:] == ("/",)]
    spellings = [u.spelling for u in (full or group) if u.index is not None] or \
        [u.spelling for u in (full or group)]
    name = identity.canonical(spellings)
    parents = [u.parent_spelling for u in group if u.parent and "/" in u.key]
    if parents:
        name = f"{name} ({identity.canonical(parents)})"
    acronyms = [u.acronym for u in group if u.acronym]
    inst = Institution(member, name, slug(name), mentions=sum(u.index is not None
                                                             for u in group))
    inst.acronym = identity.canonical(acronyms) if acronyms else None
    inst.alt_labels = sorted({u.spelling for u in group} - {name, inst.acronym or ""})
    inst.notes = sorted({u.note for u in group if u.note})
    for form in sorted({u.spelling for u in group} | {u.raw for u in group}):
        if slug(form) != inst.slug:
            inst.merged[form] = slug(form)
    keys = sorted({u.key for u in group})
    for key in keys:
        inst.why += why.get(key, [])
    if len({u.spelling for u in group}) > 1 and not inst.why:
        inst.why.append("same name but for case, accents, article or punctuation")
    return inst


def _parents(members: dict[Key, list[_Unit]], institutions: dict[Key, Institution],
             groups: _Groups) -> None:
    """Parent from the fields (unit headings, ``a través de``), else ``Y of X`` where X is
    one of the member's institutions."""
    keys = set(groups.parent)
    for root, group in members.items():
        stated = Counter(groups.find(u.parent) for u in group
                         if u.parent and u.parent in groups.parent)
        parent = stated.most_common(1)[0][0] if stated else None
        if parent is None:
            found = identity.of_parent(institutions[root].name, keys)
            parent = groups.find(found) if found else None
        if parent is not None and parent != root:
            institutions[root].parent = institutions[parent].slug
