"""One mapping from the record model to RDF: each source becomes one named graph.

Shared resources (members, action plans, institutions, IRM reports) are described in
every source graph that mentions them, so each graph says what its source said.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from ogpgraph.graph.labels import made_up_plan_name
from ogpgraph.graph.terms import (
    DIOG_BY_VALUE_PROPERTY,
    ORG,
    SCHEMA,
    SECTOR_CLASSES,
    ontology_namespace,
)
from ogpgraph.graph.uris import Uris
from ogpgraph.records.model import (
    ActionPlanRef,
    Assessment,
    Commitment,
    InstitutionRef,
    MemberRef,
    ReportRef,
    Source,
    SourceRecords,
    Text,
)
from ogpgraph.records.slugs import slug

REPORT_KIND_LABELS = {
    "design": "Design Report",
    "mid-term": "Mid-Term Report",
    "end-of-term": "End-of-Term Report",
    "action-plan-review": "Action Plan Review",
    "results": "Results Report",
    "inception": "Inception Report",
}


def text_literal(text: Text) -> Literal:
    return Literal(text.value, lang=text.lang) if text.lang else Literal(text.value)


def date_literal(iso: str) -> Literal:
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(iso)]
    return Literal(iso, datatype=datatype)


def year_literal(year: int) -> Literal:
    return Literal(f"{year:04d}", datatype=XSD.gYear)


class SourceMapper:
    """Maps the records of one source into one graph."""

    def __init__(self, base: str, source: Source, built_at: datetime) -> None:
        self.uris = Uris(base)
        self.ogp = ontology_namespace(base)
        self.source = source
        self.built_at = built_at
        self.graph = Graph()
        self.sink: Callable[[tuple[URIRef, URIRef, URIRef | Literal]], None] = self.graph.add
        self.done: set[tuple[str, str]] = set()
        self.graph_iri = self.uris.source(source.kind, source.sha256)
        self.member_names: dict[str, str] = {}
        self.made_up_plan_labels: dict[URIRef, str] = {}

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal | None) -> None:
        if o is not None:
            self.sink((s, p, o))

    def first_time(self, kind: str, ref: object) -> bool:
        """Shared resources are stated once per mapper, not once per commitment."""
        key = (kind, repr(ref))
        if key in self.done:
            return False
        self.done.add(key)
        return True

    def concept(self, scheme: str, key: str | None) -> URIRef | None:
        return self.uris.concept(scheme, key) if key else None

    # -- the source itself -------------------------------------------------------------
    def map_source(self) -> None:
        add, s = self.add, self.graph_iri
        add(s, RDF.type, self.ogp.SourceDocument)
        add(s, RDF.type, PROV.Entity)
        add(s, DCTERMS.title, Literal(self.source.label or self.source.path))
        add(s, DCTERMS.identifier, Literal(f"sha256:{self.source.sha256}"))
        add(s, PROV.generatedAtTime, Literal(self.built_at.isoformat(), datatype=XSD.dateTime))
        if self.source.url:
            add(s, PROV.wasDerivedFrom, URIRef(self.source.url))

    # -- shared resources ---------------------------------------------------------------
    def map_member(self, member: MemberRef) -> URIRef:
        iri = self.uris.member(member.slug)
        self.member_names[member.slug] = member.name
        if not self.first_time("member", member):
            return iri
        self.add(iri, RDF.type, self.ogp.Member)
        if member.local is not None:
            self.add(iri, RDF.type, self.ogp.LocalMember if member.local else self.ogp.Country)
        self.add(iri, RDFS.label, Literal(member.name, lang="en"))
        self.add(iri, self.ogp.region, self.concept("region", member.region))
        if member.iso_code:
            self.add(iri, self.ogp.isoCode, Literal(member.iso_code))
        return iri

    def member_name(self, slug: str) -> str:
        return self.member_names.get(slug, slug.replace("-", " ").title())

    def prepare(self, commitments: list[Commitment]) -> None:
        """What needs every commitment of the source: members' names, and one made-up
        label per plan that no record of the source names (the most complete of the
        references' years), however many references the plan has."""
        self.member_names.update({c.member.slug: c.member.name
                                  for c in commitments if c.member})
        named: set[URIRef] = set()
        made_up: dict[URIRef, str] = {}
        for plan in (c.action_plan for c in commitments if c.action_plan):
            iri = self.uris.action_plan(plan.member_slug, plan.cycle_year)
            if plan.name:
                named.add(iri)
                continue
            label = made_up_plan_name(self.member_name(plan.member_slug), plan.cycle_year,
                                      plan.end_year)
            made_up[iri] = max(made_up.get(iri, ""), label, key=lambda x: (len(x), x))
        self.made_up_plan_labels = {iri: label for iri, label in made_up.items()
                                    if iri not in named}

    def map_action_plan(self, plan: ActionPlanRef) -> URIRef:
        iri = self.uris.action_plan(plan.member_slug, plan.cycle_year)
        if not self.first_time("plan", plan):
            return iri
        self.add(iri, RDF.type, self.ogp.ActionPlan)
        self.add(iri, self.ogp.member, self.uris.member(plan.member_slug))
        if plan.name:
            self.add(iri, RDFS.label, Literal(plan.name))
        elif iri in self.made_up_plan_labels and self.first_time("plan-label", iri):
            self.add(iri, RDFS.label, Literal(self.made_up_plan_labels[iri], lang="en"))
        if plan.cycle_year:
            self.add(iri, self.ogp.cycleYear, year_literal(plan.cycle_year))
        if plan.end_year:
            self.add(iri, self.ogp.endYear, year_literal(plan.end_year))
        if plan.number is not None:
            self.add(iri, self.ogp.actionPlanNumber, Literal(plan.number))
        if plan.identifier:
            self.add(iri, DCTERMS.identifier, Literal(plan.identifier))
        return iri

    def map_institution(self, member_slug: str, institution: InstitutionRef,
                        identifier: str = "") -> URIRef:
        """The institution as the build reconciled it (name, one sector, acronym, parent:
        the same in every graph), plus what this source says of it: its spelling as a
        ``skos:altLabel`` and its qualifiers as a ``skos:note``."""
        iri = self.uris.institution_slug(member_slug, institution.slug or slug(institution.name))
        if self.first_time("institution", iri):
            self.add(iri, RDF.type, self.ogp.Institution)
            for name in SECTOR_CLASSES.get(institution.sector, ()):
                self.add(iri, RDF.type, self.ogp[name])
            self.add(iri, RDFS.label, Literal(institution.name))
            self.add(iri, self.ogp.member, self.uris.member(member_slug))
            if institution.acronym:
                self.add(iri, self.ogp.acronym, Literal(institution.acronym))
            if institution.parent is not None:
                self.add(iri, ORG.subOrganizationOf,
                         self.map_institution(member_slug, institution.parent))
        spelling = institution.spelling
        if spelling and spelling not in (institution.name, institution.acronym) \
                and self.first_time("alt-label", (iri, spelling)):
            self.add(iri, SKOS.altLabel, Literal(spelling))
        if institution.note and self.first_time("note", (iri, identifier, institution.note)):
            where = f"{identifier}: " if identifier else ""
            self.add(iri, SKOS.note, Literal(f"{where}{institution.note}"))
        if institution.via is not None:
            self.map_institution(member_slug, institution.via, identifier)
        return iri

    def map_report(self, report: ReportRef) -> URIRef:
        iri = self.uris.report(report.member_slug, report.cycle_year, report.kind)
        if not self.first_time("report", report):
            return iri
        self.add(iri, RDF.type, self.ogp.IRMReport)
        if report.name:
            self.add(iri, RDFS.label, Literal(report.name))
        else:
            cycle = f" ({report.cycle_year} action plan)" if report.cycle_year else ""
            kind = REPORT_KIND_LABELS[report.kind]
            label = f"{self.member_name(report.member_slug)} {kind}{cycle}"
            self.add(iri, RDFS.label, Literal(label, lang="en"))
        self.add(iri, self.ogp.reportKind, self.concept("report-kind", report.kind))
        self.add(iri, self.ogp.member, self.uris.member(report.member_slug))
        self.add(iri, self.ogp.actionPlan,
                 self.uris.action_plan(report.member_slug, report.cycle_year))
        if report.year:
            self.add(iri, DCTERMS.issued, year_literal(report.year))
        return iri

    # -- commitments --------------------------------------------------------------------
    def map_commitment(self, c: Commitment) -> URIRef:
        ogp, add = self.ogp, self.add
        iri = self.uris.commitment(c.identifier)
        add(iri, RDF.type, ogp.Commitment)
        add(iri, DCTERMS.identifier, Literal(c.identifier.upper()))
        member_slug = c.member.slug if c.member else None
        if c.member:
            add(iri, ogp.member, self.map_member(c.member))
        if c.action_plan:
            add(iri, ogp.actionPlan, self.map_action_plan(c.action_plan))
        for title in c.titles:
            add(iri, DCTERMS.title, text_literal(title))
        if c.short_title:
            add(iri, ogp.shortTitle, text_literal(c.short_title))
        if c.description:
            add(iri, DCTERMS.description, text_literal(c.description))
        if c.theme:
            add(iri, ogp.theme, Literal(c.theme))
        if c.commitment_number is not None:
            add(iri, ogp.commitmentNumber, Literal(c.commitment_number))
        if member_slug:
            for inst in c.lead_institutions:
                add(iri, ogp.leadInstitution,
                    self.map_institution(member_slug, inst, c.identifier))
            for inst in c.supporting_institutions:
                add(iri, ogp.supportingInstitution,
                    self.map_institution(member_slug, inst, c.identifier))
        for key in c.policy_areas:
            add(iri, ogp.policyArea, self.concept("policy-area", key))
        for n, text in enumerate(c.milestones, start=1):
            milestone = self.uris.milestone(c.identifier, n)
            add(iri, ogp.milestone, milestone)
            add(milestone, RDF.type, ogp.Milestone)
            add(milestone, DCTERMS.description, text_literal(text))
            add(milestone, SCHEMA.position, Literal(n))
            add(milestone, DCTERMS.isPartOf, iri)
        if c.start_date:
            add(iri, SCHEMA.startDate, date_literal(c.start_date))
        if c.end_date:
            add(iri, SCHEMA.endDate, date_literal(c.end_date))
        add(iri, ogp.status, self.concept("status", c.status))
        if c.page_url:
            add(iri, FOAF.page, URIRef(c.page_url))
        if c.starred is not None:
            add(iri, ogp.starred, Literal(c.starred))
        for value_key in c.ogp_values:
            add(iri, ogp.ogpValue, self.concept("ogp-value", value_key))
        for assessment in c.assessments:
            add(iri, ogp.assessment, self.map_assessment(c.identifier, iri, assessment))
        return iri

    def map_assessment(self, identifier: str, commitment: URIRef, a: Assessment) -> URIRef:
        ogp, add, concept = self.ogp, self.add, self.concept
        iri = self.uris.assessment(identifier, a.report.kind)
        add(iri, RDF.type, ogp.Assessment)
        label = f"IRM assessment of {identifier.upper()} ({REPORT_KIND_LABELS[a.report.kind]})"
        add(iri, RDFS.label, Literal(label, lang="en"))
        add(iri, ogp.assessedCommitment, commitment)
        add(iri, ogp.report, self.map_report(a.report))
        add(iri, ogp.specificity, concept("specificity", a.specificity))
        add(iri, ogp.potentialImpact, concept("potential-impact", a.potential_impact))
        add(iri, ogp.ambition, concept("ambition", a.ambition))
        add(iri, ogp.potentialForResults, concept("potential-for-results", a.potential_for_results))
        add(iri, ogp.completion, concept("completion", a.completion))
        add(iri, ogp.changeInCompletion, concept("change-in-completion", a.change_in_completion))
        diog = "did-it-open-government"
        add(iri, ogp.didItOpenGovernment, concept(diog, a.did_it_open_government))
        for value_key, value in sorted(a.diog_by_value.items()):
            prop = DIOG_BY_VALUE_PROPERTY.get(value_key)
            if prop:
                add(iri, ogp[prop], concept(diog, value))
        add(iri, ogp.earlyResults, concept("early-results", a.early_results))
        for value_key in a.ogp_values:
            add(iri, ogp.ogpValue, concept("ogp-value", value_key))
        for prop, flag in (("verifiable", a.verifiable), ("relevantToOGPValues", a.relevant),
                           ("starred", a.starred), ("carriedForward", a.carried_forward)):
            if flag is not None:
                add(iri, ogp[prop], Literal(flag))
        if a.starred_formula:
            add(iri, ogp.starredFormula, Literal(a.starred_formula))
        return iri

    def map_new_concepts(self, new_concepts: dict[tuple[str, str], Text]) -> None:
        for (scheme, key), label in sorted(new_concepts.items()):
            iri = self.uris.concept(scheme, key)
            self.add(iri, RDF.type, SKOS.Concept)
            self.add(iri, SKOS.inScheme, self.uris.scheme(scheme))
            self.add(iri, SKOS.prefLabel, text_literal(label))


def map_records(records: SourceRecords, base: str, built_at: datetime) -> tuple[URIRef, Graph]:
    """The named graph (IRI and content) of one source's records."""
    [(iri, graph)] = map_records_in_batches(records, base, built_at, batch_size=None)
    return iri, graph


def map_records_in_batches(
    records: SourceRecords, base: str, built_at: datetime, batch_size: int | None = 2_000
) -> Iterator[tuple[URIRef, Graph]]:
    """The source's named graph in parts of ``batch_size`` commitments, so that a large
    source never sits in memory as one rdflib graph. Each part is self-contained: it
    restates the members, plans, institutions and reports its commitments refer to."""
    commitments = records.commitments
    size = batch_size or max(1, len(commitments))
    for start in range(0, max(1, len(commitments)), size):
        mapper = SourceMapper(base, records.source, built_at)
        mapper.prepare(commitments)
        if start == 0:
            mapper.map_source()
            mapper.map_new_concepts(records.new_concepts)
        for commitment in commitments[start:start + size]:
            mapper.map_commitment(commitment)
        yield mapper.graph_iri, mapper.graph


def map_records_to_quads(records: SourceRecords, base: str, built_at: datetime,
                         batch_size: int = 2_000) -> Iterator[list[ox.Quad]]:
    """The source's named graph as Oxigraph quads, in batches of commitments: the build's
    path, which skips rdflib's graph (its indexes cost more than the mapping itself)."""
    mapper = SourceMapper(base, records.source, built_at)
    mapper.prepare(records.commitments)
    graph = ox.NamedNode(str(mapper.graph_iri))
    quads: list[ox.Quad] = []
    convert = _OxTerms()
    mapper.sink = lambda t: quads.append(
        ox.Quad(convert(t[0]), convert(t[1]), convert(t[2]), graph))
    mapper.map_source()
    mapper.map_new_concepts(records.new_concepts)
    for count, commitment in enumerate(records.commitments, start=1):
        mapper.map_commitment(commitment)
        if count % batch_size == 0:
            yield quads
            quads = []
    yield quads


class _OxTerms:
    """rdflib terms to Oxigraph terms, IRIs cached (they repeat a lot)."""

    def __init__(self) -> None:
        self.iris: dict[str, ox.NamedNode] = {}

    def __call__(self, term: URIRef | Literal) -> ox.NamedNode | ox.Literal:
        if isinstance(term, URIRef):
            node = self.iris.get(term)
            if node is None:
                node = self.iris[term] = ox.NamedNode(str(term))
            return node
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=self(term.datatype))
        return ox.Literal(str(term))
