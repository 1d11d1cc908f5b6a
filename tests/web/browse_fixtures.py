"""A small, fully known dataset for the browse/download/vocabulary page tests.

Built in code (so every count is known exactly) and written as a fake release folder:
``build.json``, ``dumps/`` (N-Quads gz, TriG, Turtle, N-Triples gz, JSON-LD), a
``validation-report.ttl``, the ``listings.sqlite`` index and the on-disk store (the named
graphs and their union). It is opened by ``load_published``, as ``serve`` opens a release:
the union in memory from the N-Triples dump, the named graphs on disk, the index from disk.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ogpgraph.config import DEFAULT_BASE_URI, Settings
from ogpgraph.graph.terms import SH, ontology_namespace
from ogpgraph.graph.uris import Uris
from ogpgraph.release.dumps import write_schema_dumps
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.listings.writer import build_listing_index
from ogpgraph.release.union import write_disk_store
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.published import PublishedBuild, load_published

BASE = DEFAULT_BASE_URI
OGP = ontology_namespace(BASE)
U = Uris(BASE)

PERU_COMMITMENTS = 60  # more than one page of 50
FRANCE_COMMITMENTS = 5
TRICKY_TITLE = 'He said "hi" \\ then left'
COMPLETION_RANKS = {"not-started": 1, "limited": 2, "substantial": 4, "complete": 5}
POLICY_AREAS = ("open-data", "water-and-sanitation", "anti-corruption")


@dataclass
class Expected:
    """Facts about the fixture the tests compare pages against."""

    commitments: int = PERU_COMMITMENTS + FRANCE_COMMITMENTS + 1
    peru: int = PERU_COMMITMENTS
    peru_2015: int = PERU_COMMITMENTS // 2
    open_data: int = 0
    starred: int = 0
    at_least_substantial: int = 0


def _add_vocabularies(graph: Graph) -> None:
    for scheme, keys in (("policy-area", POLICY_AREAS), ("completion", COMPLETION_RANKS)):
        scheme_iri = U.scheme(scheme)
        graph.add((scheme_iri, RDF.type, SKOS.ConceptScheme))
        graph.add((scheme_iri, SKOS.prefLabel, Literal(scheme.replace("-", " ").title(), "en")))
        for n, key in enumerate(keys, start=1):
            concept = U.concept(scheme, key)
            graph.add((concept, RDF.type, SKOS.Concept))
            graph.add((concept, SKOS.inScheme, scheme_iri))
            graph.add((concept, SKOS.topConceptOf, scheme_iri))
            graph.add((concept, SKOS.notation, Literal(str(n))))
            graph.add((concept, SKOS.prefLabel, Literal(key.replace("-", " ").title(), "en")))
            graph.add((concept, SKOS.prefLabel, Literal(f"{key} (es)", "es")))
            if scheme == "completion":
                graph.add((concept, OGP.rank, Literal(COMPLETION_RANKS[key])))


def _member(graph: Graph, slug: str, label: str, local: bool) -> URIRef:
    iri = U.member(slug)
    graph.add((iri, RDF.type, OGP.Member))
    graph.add((iri, RDF.type, OGP.LocalMember if local else OGP.Country))
    graph.add((iri, RDFS.label, Literal(label, "en")))
    return iri


def _plan(graph: Graph, member_slug: str, member: URIRef, year: int) -> URIRef:
    iri = U.action_plan(member_slug, year)
    graph.add((iri, RDF.type, OGP.ActionPlan))
    graph.add((iri, RDFS.label, Literal(f"{member_slug} action plan {year}", "en")))
    graph.add((iri, OGP.member, member))
    graph.add((iri, OGP.cycleYear, Literal(str(year), datatype=XSD.gYear)))
    return iri


def _institution(graph: Graph, member_slug: str, member: URIRef, name: str) -> URIRef:
    iri = U.institution(member_slug, name)
    graph.add((iri, RDF.type, OGP.Institution))
    graph.add((iri, RDF.type, OGP.GovernmentBody))
    graph.add((iri, RDFS.label, Literal(name)))
    graph.add((iri, OGP.member, member))
    return iri


def _commitment(graph: Graph, identifier: str, title: Literal, member: URIRef, plan: URIRef,
                description: str) -> URIRef:
    iri = U.commitment(identifier)
    graph.add((iri, RDF.type, OGP.Commitment))
    graph.add((iri, DCTERMS.identifier, Literal(identifier)))
    graph.add((iri, DCTERMS.title, title))
    graph.add((iri, DCTERMS.description, Literal(description, "en")))
    graph.add((iri, OGP.member, member))
    graph.add((iri, OGP.actionPlan, plan))
    return iri


def _assess(graph: Graph, commitment: URIRef, identifier: str, completion: str,
            starred: bool) -> None:
    iri = U.assessment(identifier, "end-of-term")
    graph.add((iri, RDF.type, OGP.Assessment))
    graph.add((iri, OGP.assessedCommitment, commitment))
    graph.add((commitment, OGP.assessment, iri))
    graph.add((iri, OGP.completion, U.concept("completion", completion)))
    graph.add((iri, OGP.starred, Literal(starred)))


def build_dataset() -> tuple[Dataset, Expected]:
    dataset = Dataset()
    expected = Expected()
    _add_vocabularies(dataset.graph(U.graph("vocabularies")))
    data = dataset.graph(U.source("page", "0" * 64))
    data.add((data.identifier, RDF.type, OGP.SourceDocument))
    data.add((data.identifier, DCTERMS.title, Literal("Fixture commitment pages")))
    peru = _member(data, "peru", "Peru", local=False)
    france = _member(data, "france", "France", local=False)
    local = _member(data, "buenos-aires-argentina", "Buenos Aires, Argentina", local=True)
    plans = {2015: _plan(data, "peru", peru, 2015), 2017: _plan(data, "peru", peru, 2017)}
    france_plan = _plan(data, "france", france, 2018)
    local_plan = _plan(data, "buenos-aires-argentina", local, 2019)
    water = _institution(data, "peru", peru, "National Water Authority")
    ministry = _institution(data, "peru", peru, "Ministerio de Economía")
    completions = list(COMPLETION_RANKS)
    for n in range(1, PERU_COMMITMENTS + 1):
        identifier = f"PE{n:04d}"
        year = 2015 if n <= PERU_COMMITMENTS // 2 else 2017
        title = Literal(f"Peru commitment {n:02d}", "en")
        description = f"Commitment number {n} of Peru."
        if n == 7:
            title = Literal("Datos abiertos en educación", "es")
        if n == 8:
            description = "Improve drinking water quality."
        if n == 9:
            title = Literal(TRICKY_TITLE, "en")
        c = _commitment(data, identifier, title, peru, plans[year], description)
        data.add((c, OGP.leadInstitution, water if n == 10 else ministry))
        if n % 3 == 0:
            data.add((c, OGP.supportingInstitution, water))
        area = POLICY_AREAS[n % len(POLICY_AREAS)]
        data.add((c, OGP.policyArea, U.concept("policy-area", area)))
        expected.open_data += area == "open-data"
        completion = completions[n % len(completions)]
        starred = n % 10 == 0
        _assess(data, c, identifier, completion, starred)
        expected.starred += starred
        expected.at_least_substantial += COMPLETION_RANKS[completion] >= 4
    for n in range(1, FRANCE_COMMITMENTS + 1):
        _commitment(data, f"FR{n:04d}", Literal(f"Engagement {n}", "fr"), france, france_plan,
                    "Une description.")
    _commitment(data, "BUE0001", Literal("Water tariffs online", "en"), local, local_plan,
                "A local commitment.")
    # the title match must rank above PE0010 (institution) and PE0008 (description)
    return dataset, expected


def _union(dataset: Dataset) -> Graph:
    union = Graph()
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    return union


def _validation_report(base: str) -> str:
    report = Graph()
    node, result = BNode(), BNode()
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(False)))
    report.add((node, SH.result, result))
    report.add((result, RDF.type, SH.ValidationResult))
    report.add((result, SH.focusNode, URIRef(f"{base}id/commitment/PE0001")))
    report.add((result, SH.resultPath, DCTERMS.title))
    report.add((result, SH.resultSeverity, SH.Violation))
    report.add((result, SH.resultMessage, Literal("A <b>commitment</b> needs a title")))
    report.add((result, SH.sourceShape, URIRef(f"{base}shapes#CommitmentShape")))
    return report.serialize(format="turtle")


def _dump_entry(path: Path, media_type: str, triples: int | None, description: str) -> dict:
    data = path.read_bytes()
    return {"file": path.name, "media_type": media_type, "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "triples": triples,
            "description": description}


def write_release(root: Path) -> tuple[PublishedBuild, Expected]:
    """Write a release folder under ``root`` and open it as the web layer would."""
    dataset, expected = build_dataset()
    layout = BuildLayout(root)
    layout.dumps_dir.mkdir(parents=True, exist_ok=True)
    union = _union(dataset)
    nquads = dataset.serialize(format="nquads").encode()
    layout.nquads_dump.write_bytes(gzip.compress(nquads, mtime=0))
    (layout.dumps_dir / "ogpgraph.trig").write_text(dataset.serialize(format="trig"))
    (layout.dumps_dir / "ogpgraph.ttl").write_text(union.serialize(format="turtle"))
    (layout.dumps_dir / "ogpgraph.nt.gz").write_bytes(
        gzip.compress(union.serialize(format="nt").encode(), mtime=0))
    (layout.dumps_dir / "ogpgraph.jsonld").write_text(union.serialize(format="json-ld"))
    layout.validation_report.write_text(_validation_report(BASE))
    named = OxigraphStore.in_memory_from_nquads_gz(layout.nquads_dump)
    build_listing_index(named.store, BASE, layout.listings_path)
    write_disk_store(layout.store_dir, layout.nquads_dump, layout.ntriples_dump)
    triples = named.triple_count()
    dumps = [
        _dump_entry(layout.nquads_dump, "application/gzip", None, "N-Quads, gzip"),
        _dump_entry(layout.dumps_dir / "ogpgraph.trig", "application/trig", None, "TriG"),
        _dump_entry(layout.dumps_dir / "ogpgraph.ttl", "text/turtle", triples, "Turtle"),
        _dump_entry(layout.dumps_dir / "ogpgraph.nt.gz", "application/gzip", triples,
                    "N-Triples, gzip"),
        _dump_entry(layout.dumps_dir / "ogpgraph.jsonld", "application/ld+json", triples,
                    "JSON-LD"),
    ] + [_dump_entry(layout.dump_path(dump), dump.media_type, None, dump.description)
         for dump in write_schema_dumps(layout, BASE)]
    manifest = {
        "build_id": "test-build-1", "built_at": "2024-05-01T12:00:00+00:00", "base_uri": BASE,
        "triples": triples, "quads": named.quad_count(), "store_default_graph": "union",
        "counts": {"commitments": expected.commitments, "members": 3, "action_plans": 5,
                   "institutions": 2, "irm_reports": 0, "assessments": PERU_COMMITMENTS,
                   "milestones": 0, "policy_areas": len(POLICY_AREAS)},
        "dumps": dumps, "sources": [], "warnings": [],
        "validation": {"conforms": False, "violations": 1, "warnings": 0},
    }
    layout.manifest_path.write_text(json.dumps(manifest, indent=2))
    current = root.parent / "current"  # a build folder whose current release is ``root``
    current.unlink(missing_ok=True)
    current.symlink_to(root.resolve())
    published = load_published(root.parent, BASE)  # as ``serve`` opens it
    assert isinstance(published.store, OxigraphStore) and published.store.named_graphs
    return published, expected


def make_client(published: PublishedBuild):  # -> fastapi.testclient.TestClient
    from fastapi.testclient import TestClient

    from ogpgraph.web.app import create_app

    return TestClient(create_app(Settings(), published))


class StoreSpy:
    """The published store, recording every query it is asked."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.queries: list[str] = []

    def select(self, query: str) -> list[dict]:
        self.queries.append(query)
        return self.store.select(query)

    def ask(self, query: str) -> bool:
        self.queries.append(query)
        return self.store.ask(query)

    def construct(self, query: str) -> Graph:
        self.queries.append(query)
        return self.store.construct(query)

    def triple_count(self) -> int:
        self.queries.append("triple_count")
        return self.store.triple_count()

    def quad_count(self) -> int:
        self.queries.append("quad_count")
        return self.store.quad_count()

    def gather(self, calls: list) -> list:
        return [call() for call in calls]
