"""The dataset's own description at ``/.well-known/void``: VoID + DCAT (+ SPDX checksums).

Sizes, dumps and checksums come from the build manifest (the ontology, vocabularies and
shapes files are described as subsets with their own dumps); the statistics (entities, classes,
properties and their partitions) are counted on the store, one GROUP BY each, and cached
per store and build so the document costs nothing after its first request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, SKOS, VOID, XSD

from ogpgraph.graph.terms import ORG, SCHEMA, SPDX, prefixes_for
from ogpgraph.release.layout import DUMPS
from ogpgraph.store.base import GraphStore
from ogpgraph.web.published import PublishedBuild

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
OGP_SITE = URIRef("https://www.opengovpartnership.org/")
IANA = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
EXAMPLES = 3

# What a ".gz" dump holds when the manifest gives only its container type.
_INNER_MEDIA_TYPE = {
    ".nq": "application/n-quads", ".nt": "application/n-triples", ".ttl": "text/turtle",
    ".trig": "application/trig", ".jsonld": "application/ld+json", ".rdf": "application/rdf+xml",
}


@dataclass(frozen=True)
class Statistics:
    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, int]  # class IRI -> distinct instances
    properties: dict[str, int]  # property IRI -> distinct triples
    examples: list[str]  # a few commitment IRIs


def _n(rows: list[dict], name: str = "n") -> int:
    return int(rows[0][name]) if rows and name in rows[0] else 0


def compute_statistics(store: GraphStore, base: str) -> Statistics:
    """Count on the union graph; every number is over distinct triples."""
    id_space = f"{base}id/"
    ogp = f"{base}ontology#"
    classes = {str(r["c"]): int(r["n"]) for r in store.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")}
    properties = {str(r["p"]): int(r["n"]) for r in store.select(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } "
        "GROUP BY ?p")}
    entities = _n(store.select(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{id_space}")) }}'))
    spread = store.select("SELECT (COUNT(DISTINCT ?s) AS ?subjects) "
                          "(COUNT(DISTINCT ?o) AS ?objects) WHERE { ?s ?p ?o }")
    examples = [str(r["c"]) for r in store.select(
        f"SELECT ?c WHERE {{ ?c a <{ogp}Commitment> }} ORDER BY ?c LIMIT {EXAMPLES}")]
    return Statistics(
        triples=sum(properties.values()), entities=entities,
        distinct_subjects=_n(spread, "subjects"), distinct_objects=_n(spread, "objects"),
        classes=classes, properties=properties, examples=examples)


def statistics(published: PublishedBuild) -> Statistics:
    """:func:`compute_statistics`, once per build."""
    return published.memo("void-statistics",
                          lambda: compute_statistics(published.store, published.base))


def _media_types(entry: dict[str, Any]) -> tuple[str, str | None]:
    """(media type of the content, compression format or None) for a manifest dump entry."""
    name: str = entry["file"]
    media = entry.get("media_type") or "application/octet-stream"
    if not name.endswith(".gz"):
        return media, None
    if media in ("application/gzip", "application/x-gzip"):
        stem = name[: -len(".gz")]
        suffix = stem[stem.rfind("."):] if "." in stem else ""
        media = _INNER_MEDIA_TYPE.get(suffix, "application/octet-stream")
    return media, "application/gzip"


def _add_distribution(graph: Graph, dataset: URIRef, base: str, entry: dict[str, Any]) -> None:
    url = URIRef(f"{base}dumps/{entry['file']}")
    node = URIRef(f"{base}.well-known/void#dump-{entry['file']}")
    media, compression = _media_types(entry)
    graph.add((dataset, VOID.dataDump, url))
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.downloadURL, url))
    graph.add((node, DCAT.accessURL, URIRef(f"{base}downloads")))
    graph.add((node, DCTERMS.title, Literal(entry["file"])))
    if entry.get("description"):
        graph.add((node, DCTERMS.description, Literal(entry["description"], lang="en")))
    graph.add((node, DCAT.mediaType, URIRef(IANA + media)))
    if compression:
        graph.add((node, DCAT.compressFormat, URIRef(IANA + compression)))
    graph.add((node, DCTERMS.license, LICENSE))
    if entry.get("bytes") is not None:
        graph.add((node, DCAT.byteSize, Literal(int(entry["bytes"]),
                                                datatype=XSD.nonNegativeInteger)))
    if entry.get("triples") is not None:
        graph.add((node, VOID.triples, Literal(int(entry["triples"]))))
    if entry.get("sha256"):
        checksum = BNode()
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(entry["sha256"],
                                                         datatype=XSD.hexBinary)))


SUBSET_TITLES = {"ontology": "The ogpgraph OWL ontology",
                 "vocabularies": "The SKOS vocabularies (policy areas, IRM scales, …)",
                 "shapes": "The SHACL shapes the data is validated with"}


def _add_dumps(graph: Graph, dataset: URIRef, base: str, entries: list[dict[str, Any]]) -> None:
    """Dumps of the whole dataset are its ``void:dataDump``s; the ontology, vocabularies
    and shapes files are subsets with dumps of their own, so a harvester that picks "the
    Turtle dump" of the dataset never gets the ontology alone."""
    contents = {dump.file: dump.content for dump in DUMPS}
    for entry in entries:
        content = contents.get(entry["file"], "union")
        if content in ("union", "quads"):
            _add_distribution(graph, dataset, base, entry)
            continue
        subset = URIRef(f"{base}.well-known/void#{content}")
        graph.add((dataset, VOID.subset, subset))
        for kind in (VOID.Dataset, DCAT.Dataset):
            graph.add((subset, RDF.type, kind))
        graph.add((subset, DCTERMS.title, Literal(SUBSET_TITLES.get(content, content), "en")))
        graph.add((subset, DCTERMS.isPartOf, dataset))
        if entry.get("triples") is not None:
            graph.add((subset, VOID.triples, Literal(int(entry["triples"]))))
        _add_distribution(graph, subset, base, entry)


def vocabularies(base: str) -> list[URIRef]:
    return [URIRef(f"{base}ontology"), URIRef(str(SKOS)), URIRef(str(DCTERMS)),
            URIRef(str(ORG)), URIRef(str(PROV)), URIRef(str(SCHEMA)), URIRef(str(FOAF))]


def describe(published: PublishedBuild) -> Graph:
    """The VoID/DCAT graph of the published build."""
    base = published.base
    stats = statistics(published)
    dataset = published.uris.dataset
    graph = Graph()
    for prefix, namespace in {**prefixes_for(base), "spdx": str(SPDX)}.items():
        graph.bind(prefix, namespace, override=True)
    document = URIRef(f"{base}.well-known/void")
    graph.add((document, RDF.type, VOID.DatasetDescription))
    graph.add((document, DCTERMS.title, Literal("Description of the ogpgraph dataset", "en")))
    graph.add((document, FOAF.primaryTopic, dataset))
    _add_dataset(graph, dataset, base, published.manifest, stats)
    _add_statistics(graph, dataset, published.manifest, stats)
    _add_dumps(graph, dataset, base, published.manifest.get("dumps", []))
    _add_service(graph, dataset, base)
    return graph


def _add_dataset(graph: Graph, dataset: URIRef, base: str, manifest: dict[str, Any],
                 stats: Statistics) -> None:
    publisher = URIRef(f"{base}.well-known/void#publisher")
    for kind in (VOID.Dataset, DCAT.Dataset):
        graph.add((dataset, RDF.type, kind))
    graph.add((dataset, DCTERMS.title, Literal("Open Government Partnership commitments", "en")))
    graph.add((dataset, DCTERMS.description, Literal(
        "The commitments of OGP members' action plans, with their milestones, institutions, "
        "policy areas and the assessments of the Independent Reporting Mechanism (IRM), as "
        "linked data; every statement keeps the source document it came from.", "en")))
    graph.add((dataset, DCTERMS.license, LICENSE))
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal("ogpgraph")))
    graph.add((publisher, FOAF.homepage, URIRef(base)))
    graph.add((dataset, DCTERMS.source, OGP_SITE))
    graph.add((dataset, DCAT.landingPage, URIRef(base)))
    graph.add((dataset, FOAF.homepage, URIRef(base)))
    for keyword in ("open government", "Open Government Partnership"):
        graph.add((dataset, DCAT.keyword, Literal(keyword, "en")))
    if manifest.get("built_at"):
        graph.add((dataset, DCTERMS.modified, Literal(manifest["built_at"],
                                                      datatype=XSD.dateTime)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(f"{base}id/")))
    graph.add((dataset, VOID.rootResource, URIRef(f"{base}ontology")))
    for example in stats.examples:
        graph.add((dataset, VOID.exampleResource, URIRef(example)))
    for vocabulary in vocabularies(base):
        graph.add((dataset, VOID.vocabulary, vocabulary))


def _add_statistics(graph: Graph, dataset: URIRef, manifest: dict[str, Any],
                    stats: Statistics) -> None:
    triples = int(manifest["triples"]) if manifest.get("triples") is not None else stats.triples
    graph.add((dataset, VOID.triples, Literal(triples)))
    graph.add((dataset, VOID.entities, Literal(stats.entities)))
    graph.add((dataset, VOID.classes, Literal(len(stats.classes))))
    graph.add((dataset, VOID.properties, Literal(len(stats.properties))))
    graph.add((dataset, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    graph.add((dataset, VOID.distinctObjects, Literal(stats.distinct_objects)))
    for iri, count in sorted(stats.classes.items()):
        part = BNode()
        graph.add((dataset, VOID.classPartition, part))
        graph.add((part, VOID["class"], URIRef(iri)))
        graph.add((part, VOID.entities, Literal(count)))
    for iri, count in sorted(stats.properties.items()):
        part = BNode()
        graph.add((dataset, VOID.propertyPartition, part))
        graph.add((part, VOID.property, URIRef(iri)))
        graph.add((part, VOID.triples, Literal(count)))


def _add_service(graph: Graph, dataset: URIRef, base: str) -> None:
    service = URIRef(f"{base}.well-known/void#sparql-service")
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("ogpgraph SPARQL endpoint", "en")))
    graph.add((service, DCAT.endpointURL, URIRef(f"{base}sparql")))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    graph.add((service, DCTERMS.license, LICENSE))
