"""The shapes generated from the ontology's axioms: in sync with the ontology, and checking
what they say (a functional property with two values, a node of two disjoint classes), in
each source graph and in the default graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.static_files import ONTOLOGY_FILE, load_graph, load_support_graphs
from ogpgraph.validation import axioms
from ogpgraph.validation.run import data_shapes, validate_store_graphs

B = DEFAULT_BASE_URI
OGP = f"{B}ontology#"


def test_the_shapes_file_is_in_sync_with_the_ontology() -> None:
    assert axioms.in_sync(), ("shapes/ogp-shapes.ttl is out of date with ontology/ogp.ttl: "
                              "run  python -m ogpgraph.validation.axioms --write")


def test_every_axiom_has_its_shape() -> None:
    ontology = load_graph(ONTOLOGY_FILE, B)
    shapes, roots = data_shapes(B)
    functional = {p for p in ontology.subjects(RDF.type, OWL.FunctionalProperty)}
    checked = {shapes[n].path for r in roots for n in r.properties
               if r.target_subjects_of == (shapes[n].path,)
               and any(c.component == "MaxCount" and c.value == 1
                       for c in shapes[n].constraints)}
    assert functional and functional == checked
    pairs = {frozenset(p) for p in ontology.subject_objects(OWL.disjointWith)}
    negated = {frozenset((r.target_classes[0], shapes[c.value].constraints[0].value))
               for r in roots for c in r.constraints if c.component == "Not"}
    assert pairs and pairs <= negated


def test_a_new_axiom_gets_a_shape_without_writing_one() -> None:
    ontology = Graph().parse(ONTOLOGY_FILE)
    ontology.add((URIRef(f"{OGP}theme"), RDF.type, OWL.FunctionalProperty))
    text = axioms.generated_shapes(ontology)
    assert "ogpsh:ThemeFunctional a sh:NodeShape" in text
    assert "sh:targetSubjectsOf ogp:theme" in text


def _store(trig: str) -> ox.Store:
    store = ox.Store()
    store.load(trig.encode(), ox.RdfFormat.TRIG)
    load_support_graphs(store, B)
    return store


PREFIXES = f"@prefix ogp: <{OGP}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"


@pytest.mark.parametrize(("data", "message"), [
    # two sources' values in one graph (the default graph, or a source stating both)
    (f'<{B}id/action-plan/x-2018> ogp:endYear "2020"^^xsd:gYear, "2021"^^xsd:gYear .',
     "At most one end year per resource (ogp:endYear is an owl:FunctionalProperty)"),
    # the Bulgarian institution two sources classified differently
    (f"<{B}id/institution/bg/acm> a ogp:Institution, ogp:GovernmentBody, "
     "ogp:CivilSocietyOrganization .",
     "Nothing is both a government body and a non-governmental organisation"),
    # subclasses on both sides: an executive body and a private-sector organisation
    (f"<{B}id/institution/bg/x> a ogp:Institution, ogp:ExecutiveBody, "
     "ogp:PrivateSectorOrganization .",
     "Nothing is both a government body and a non-governmental organisation"),
])
def test_the_axiom_shapes_find_what_the_reasoner_would(data: str, message: str) -> None:
    store = _store(f"{PREFIXES}<{B}id/source/x> {{ {data} }}")
    messages = {r.message for _, r in validate_store_graphs(store, B, [f"{B}id/source/x"])
                if r.severity == "Violation"}
    assert any(m.startswith(message) for m in messages), messages


def test_one_value_and_compatible_classes_pass() -> None:
    store = _store(f"{PREFIXES}<{B}id/source/x> {{ "
                   f'<{B}id/action-plan/x-2018> ogp:endYear "2020"^^xsd:gYear . '
                   f"<{B}id/institution/bg/x> a ogp:Institution, ogp:Legislature, "
                   "ogp:GovernmentBody, ogp:AcademicInstitution . }")
    found = [r for _, r in validate_store_graphs(store, B, [f"{B}id/source/x"])
             if "Functional" in str(r.shape) or "DisjointWith" in str(r.shape)]
    assert found == []
