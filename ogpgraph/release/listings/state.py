"""What the listing index is made of, resource by resource (``rows.py`` turns it into rows).

Each record is a function of a resource's own statements in the default graph and of a few
of its neighbours' (a commitment's members' labels, its action plans' cycles, its
assessments' completion and stars): a full build computes every record from the whole
default graph; an incremental one keeps the previous release's records (in its build
cache) and computes again those of the resources a change can have reached
(``patch.py``), from a small store holding their neighbourhoods. The counts (commitments per
member or plan, institutions' led and supported, concepts' uses) are kept as counts and
moved by the changes. Whatever the way, the same default graph gives the same records,
hence the same rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Literal, URIRef

from ogpgraph.graph.convert import to_rdflib
from ogpgraph.graph.labels import LABEL_PROPERTIES, LANGUAGES, chosen_label, pick_literal
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
from ogpgraph.release.listings.schema import SKOS_STRUCTURE

LabelRow = tuple[str, str, str]  # (lang, text, tag)


@dataclass(frozen=True)
class CommitmentRecord:
    identifier: str
    members: tuple[str, ...]
    plans: tuple[str, ...]
    cycles: tuple[str, ...]
    policy_areas: tuple[str, ...]
    starred: bool
    max_rank: int | None
    snippet: str | None
    title_key: str
    member_key: str


@dataclass(frozen=True)
class PlanRecord:
    members: tuple[str, ...]
    member_key: str
    cycles: tuple[str, ...]


@dataclass(frozen=True)
class InstitutionRecord:
    members: tuple[str, ...]
    sort_key: str
    types: tuple[str, ...]  # its sector classes, most specific first, ogp:Institution last


@dataclass(frozen=True)
class ConceptRecord:
    schemes: tuple[str, ...]
    notation: str | None
    rank: int | None


@dataclass
class ListingState:
    commitments: dict[str, CommitmentRecord] = field(default_factory=dict)
    members: dict[str, tuple[str, bool]] = field(default_factory=dict)  # (sort key, local)
    plans: dict[str, PlanRecord] = field(default_factory=dict)
    institutions: dict[str, InstitutionRecord] = field(default_factory=dict)
    concepts: dict[str, ConceptRecord] = field(default_factory=dict)
    schemes: set[str] = field(default_factory=set)
    labels: dict[str, tuple[LabelRow, ...]] = field(default_factory=dict)
    identifiers: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    led: Counter[str] = field(default_factory=Counter)
    supported: Counter[str] = field(default_factory=Counter)
    uses: Counter[str] = field(default_factory=Counter)

    def forget(self, iris: set[str]) -> None:
        """Drop every record of ``iris`` (about to be computed again)."""
        for table in (self.commitments, self.members, self.plans, self.institutions,
                      self.concepts, self.labels, self.identifiers):
            for iri in iris & table.keys():
                del table[iri]
        self.schemes -= iris

    def merge(self, other: ListingState) -> None:
        for name in ("commitments", "members", "plans", "institutions", "concepts", "labels",
                     "identifiers"):
            getattr(self, name).update(getattr(other, name))
        self.schemes |= other.schemes

    def classes(self) -> set[str]:
        return {cls for record in self.institutions.values() for cls in record.types}


def commitment_record(facts: DatasetFacts, c: str) -> CommitmentRecord:
    members = tuple(strs(facts.of("ogp:member", c)))
    plans = tuple(strs(facts.of("ogp:actionPlan", c)))
    cycles = tuple(sorted({y.value for p in plans for y in facts.of("ogp:cycleYear", p)}))
    assessed = facts.assessments.get(c, set())
    starred = any(is_true(t) for t in facts.of("ogp:starred", c)) or any(
        is_true(t) for a in assessed for t in facts.of("ogp:starred", a))
    levels = [r for a in assessed for k in facts.of("ogp:completion", a)
              for r in facts.ranks(k.value)]
    description = pick_literal([to_rdflib(t) for t in facts.of("dcterms:description", c)
                                if isinstance(t, ox.Literal)], "en")
    return CommitmentRecord(
        first(facts.of("dcterms:identifier", c)) or "", members, plans, cycles,
        tuple(strs(facts.of("ogp:policyArea", c))), starred, max(levels, default=None),
        snippet(str(description)) if description else None,
        min((t.value.lower() for t in facts.of("dcterms:title", c)), default=""),
        facts.label_key(members))


def institution_types(read: StoreReader, base: str) -> dict[str, tuple[str, ...]]:
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
    return {iri: (*chain, f"{ogp}Institution") for iri, chain in found.items()}


# subject -> (index in LABEL_PROPERTIES, value) in the order read: a whole graph's labels kept
# as pyoxigraph terms, a fraction of the size of rdflib's nested maps of Literals
RawLabels = dict[str, list[tuple[int, ox.Literal]]]


def raw_label_values(read: StoreReader) -> RawLabels:
    """Subject -> its label properties' literal values, compactly (:func:`by_property`)."""
    index = {str(p): n for n, p in enumerate(LABEL_PROPERTIES)}
    values: RawLabels = defaultdict(list)
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    for s, p, o in read.rows(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {props} }} "
                             "?s ?p ?o FILTER(isLiteral(?o) && isIRI(?s)) }"):
        values[s.value].append((index[p.value], o))
    return values


def by_property(raw: list[tuple[int, ox.Literal]]) -> dict[URIRef, list[Literal]]:
    """One subject's raw label values as label property -> its literal values."""
    values: dict[URIRef, list[Literal]] = defaultdict(list)
    for n, o in raw:
        values[LABEL_PROPERTIES[n]].append(to_rdflib(o))  # type: ignore[arg-type]
    return values


def label_values(read: StoreReader, base: str) -> dict[str, dict[URIRef, list[Literal]]]:
    """Subject -> label property -> its literal values."""
    return {s: by_property(raw) for s, raw in raw_label_values(read).items()}


def label_rows(iri: str, by_property: dict[URIRef, list[Literal]]) -> tuple[LabelRow, ...]:
    """The best label in each reader language (es/fr only where they differ from en)."""
    rows = []
    english = chosen_label(iri, by_property, "en")  # type: ignore[arg-type]
    for lang in LANGUAGES:
        chosen = english if lang == "en" else chosen_label(iri, by_property, lang)  # type: ignore[arg-type]
        if chosen is not None and (lang == "en" or chosen != english
                                   or chosen.language != english.language):
            rows.append((lang, str(chosen), chosen.language or ""))
    return tuple(rows)


def identifier_record(iri: str, base: str, labels: dict[URIRef, list[Literal]] | None
                      ) -> tuple[str, str, str | None] | None:
    """(kind, key, English label) of a typed subject under ``{base}id/{kind}/{key}``."""
    kind, _, key = iri[len(f"{base}id/"):].partition("/")
    if not key:  # a concept scheme: its kind is its key
        return None
    chosen = chosen_label(iri, labels, "en") if labels else None  # type: ignore[arg-type]
    return kind, key, str(chosen) if chosen is not None else None


# long: one pass per kind of record, each as the full build has always read it
def compute_state(read: StoreReader, base: str, only: set[str] | None = None
                  ) -> tuple[ListingState, DatasetFacts]:
    """The records of every resource (or of ``only``) of ``read``'s graph, with the facts
    read; the counts too when every resource is computed. Labels are kept for what the
    index labels (the classes of the institutions computed included)."""
    facts = read_facts(read)
    state = ListingState()
    wanted = (lambda iri: True) if only is None else only.__contains__
    for c in filter(wanted, facts.commitments):
        state.commitments[c] = commitment_record(facts, c)
    for m in filter(wanted, facts.members):
        state.members[m] = (facts.label_key([m]), m in facts.local_members)
    for p in filter(wanted, facts.plans):
        members = tuple(strs(facts.of("ogp:member", p)))
        state.plans[p] = PlanRecord(members, facts.label_key(members),
                                    tuple(strs(facts.of("ogp:cycleYear", p))))
    types = institution_types(read, base)
    plain = (f"{base}ontology#Institution",)
    for i in filter(wanted, facts.institutions):
        state.institutions[i] = InstitutionRecord(
            tuple(strs(facts.of("ogp:member", i))), facts.label_key([i]), types.get(i, plain))
    for x, in_schemes in facts.values["skos:inScheme"].items():
        if wanted(x):
            state.concepts[x] = ConceptRecord(
                tuple(sorted(s.value for s in in_schemes)),
                first(facts.of("skos:notation", x)), min(facts.ranks(x), default=None))
    state.schemes = set(filter(wanted, facts.schemes))
    labels = raw_label_values(read)
    classes = {cls for chain in types.values() for cls in chain}
    listed = (state.commitments.keys() | state.members.keys() | state.plans.keys()
              | state.institutions.keys() | state.concepts.keys() | state.schemes | classes)
    for iri, raw in labels.items():
        if iri in listed and (wanted(iri) or iri in classes):
            state.labels[iri] = label_rows(iri, by_property(raw))
    prefix = f"{base}id/"
    for s, in read.rows("SELECT DISTINCT ?s WHERE { ?s a ?t FILTER(isIRI(?s)) }"):
        if s.value.startswith(prefix) and wanted(s.value):
            raw = labels.get(s.value)
            found = identifier_record(s.value, base, by_property(raw) if raw else None)
            if found is not None:
                state.identifiers[s.value] = found
    if only is None:
        state.led, state.supported, uses = link_counts(read)
        state.uses = Counter({x: n for x, n in uses.items() if n})
    return state, facts


def link_counts(read: StoreReader) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Subjects leading and supporting each institution; IRIs using each IRI (a concept's
    uses) with any but the SKOS structure's links."""
    led: Counter[str] = Counter()
    supported: Counter[str] = Counter()
    for counter, prop in ((led, "ogp:leadInstitution"), (supported, "ogp:supportingInstitution")):
        for _, o in read.rows(f"SELECT DISTINCT ?s ?o WHERE {{ ?s {prop} ?o "
                              "FILTER(isIRI(?s)) }"):
            counter[o.value] += 1
    skip = ", ".join(f"skos:{name}" for name in SKOS_STRUCTURE)
    uses: Counter[str] = Counter({x.value: int(n.value) for x, n in read.rows(
        "SELECT ?x (COUNT(DISTINCT ?u) AS ?n) WHERE { ?x skos:inScheme ?s . ?u ?p ?x "
        f"FILTER(isIRI(?u) && ?p NOT IN ({skip})) }} GROUP BY ?x")})
    return led, supported, uses
