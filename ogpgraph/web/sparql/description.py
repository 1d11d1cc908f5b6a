"""The SPARQL 1.1 Service Description of the endpoint (what ``GET /sparql`` answers).

https://www.w3.org/TR/sparql11-service-description/ - endpoint, language, result
formats, the default dataset with VoID triple counts, and what each graph holds: the default
graph is the union of the named graphs resolved by the precedence of sources (so not
``sd:UnionDefaultGraph``: where sources disagree on a single-valued property it keeps one
value); each named graph holds one source as that source said it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from ogpgraph.graph.formats import GRAPH_RESULT_FORMATS, SOLUTION_FORMATS
from ogpgraph.graph.terms import SD
from ogpgraph.graph.uris import Uris
from ogpgraph.store.base import GRAPH_SIZES_QUERY, GraphStore


def graph_sizes(store: GraphStore, manifest: Mapping[str, Any]) -> list[tuple[str, int]]:
    """Every named graph of the store with its number of triples: from the build's
    manifest (counted at build time), else counted now."""
    if "graph_triples" in manifest:
        return [(str(iri), int(n)) for iri, n in manifest["graph_triples"]]
    return [(str(row["g"]), int(row["n"])) for row in store.select(GRAPH_SIZES_QUERY)]


def service_description(base: str, manifest: Mapping[str, Any],
                        graphs: list[tuple[str, int]], limits: Mapping[str, Any]) -> Graph:
    """The description as an rdflib Graph; ``limits`` are shown as rdfs:comment."""
    endpoint = URIRef(f"{base}sparql")
    service = URIRef(f"{base}sparql#service")
    dataset = URIRef(f"{base}sparql#dataset")
    default_graph = URIRef(f"{base}sparql#default-graph")
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.bind("formats", "http://www.w3.org/ns/formats/")

    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, endpoint))
    g.add((service, DCTERMS.title, Literal("ogpgraph SPARQL endpoint", lang="en")))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in (*SOLUTION_FORMATS, *GRAPH_RESULT_FORMATS):
        if fmt.w3c_iri:
            g.add((service, SD.resultFormat, URIRef(fmt.w3c_iri)))
    comment = ("Read-only. Unless default-graph-uri / named-graph-uri are given, the default "
               "graph is the union of all named graphs where the sources agree; where they "
               "state different values of a single-valued property it keeps the value of the "
               "first source in the precedence of sources (OGP's commitments export, then "
               "commitment pages), and describes the disagreement as an ogp:Disagreement. "
               "Each source's own statements, as it said them, are in its named graph. "
               "SERVICE and updates are refused, and so is a FROM, FROM NAMED, "
               "default-graph-uri or named-graph-uri naming a graph not listed here. "
               f"Limits: {limits.get('timeout', '?')} s per query, "
               f"{limits.get('max_results', '?')} results, "
               f"{limits.get('max_body_bytes', '?')} bytes per request body.")
    g.add((service, RDFS.comment, Literal(comment, lang="en")))

    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, RDFS.seeAlso, Uris(base).dataset))
    g.add((Uris(base).dataset, VOID.sparqlEndpoint, endpoint))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, RDF.type, VOID.Dataset))
    g.add((default_graph, RDFS.comment, Literal(
        "The union of the named graphs, one value per single-valued property (the precedence "
        "of sources), validated with the published shapes before the release was published.",
        lang="en")))
    triples = manifest.get("triples")
    if triples is not None:
        g.add((default_graph, VOID.triples, Literal(int(triples), datatype=XSD.integer)))
    for name, size in graphs:
        named, described = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, described))
        g.add((described, RDF.type, SD.Graph))
        g.add((described, VOID.triples, Literal(size, datatype=XSD.integer)))
        g.add((described, RDFS.comment, Literal(_graph_comment(base, name), lang="en")))
    return g


def _graph_comment(base: str, name: str) -> str:
    """What a named graph holds."""
    uris = Uris(base)
    if name == str(uris.graph("disagreements")):
        return ("Where sources disagree: one ogp:Disagreement per single-valued property "
                "stated differently, with each source's claim and the one the default graph "
                "keeps.")
    if name in (str(uris.graph("ontology")), str(uris.graph("vocabularies"))):
        return "The ontology or the SKOS vocabularies."
    return "One source, as it said it (its institutions as the build reconciled them)."
