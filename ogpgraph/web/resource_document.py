"""The RDF document describing one resource (what ``/doc/{kind}/{key}.ttl`` serves).

It holds, in three independent queries (sent at once to a remote engine):
1. the resource's own triples; the triples of the nodes it owns (a commitment's
   milestones and assessments); labels (and ranks, report kinds, years) of everything
   these link to;
2. its incoming links, one page of at most ``INCOMING_CAP`` with their subjects' labels;
   when there are more, the document says so (hydra:totalItems, hydra:next, rdfs:seeAlso)
   rather than dropping them silently;
3. the named graphs (sources) its triples come from, with their labels (for pages; not
   stated in the document),
and a description of the document itself (foaf:primaryTopic, license, sources,
modification time, the dataset it is part of). The number of incoming links is a fourth
query only when the page of them is full or past the first: otherwise it is the page's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, VOID, XSD
from rdflib.term import Node

from ogpgraph.graph.terms import ontology_namespace, prefixes_for
from ogpgraph.graph.uris import Uris
from ogpgraph.store.base import GraphStore
from ogpgraph.web.reader_labels import LABEL_PROPERTIES

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
INCOMING_CAP = 1000


@dataclass
class ResourceDocument:
    graph: Graph
    resource: URIRef
    document: URIRef
    incoming_total: int
    incoming_offset: int
    incoming_limit: int
    sources: list[URIRef]
    # IRIs whose label properties the queries asked for: their labels are in the graph or
    # in ``source_labels``, or they have none (a page need not ask again)
    looked_up: frozenset[URIRef] = frozenset()
    source_labels: dict[URIRef, dict[URIRef, list[Node]]] = field(default_factory=dict)

    @property
    def incoming_truncated(self) -> bool:
        return self.incoming_offset + self.incoming_limit < self.incoming_total


def owned_properties(base: str) -> tuple[URIRef, ...]:
    """Links to nodes that belong to their subject and are described with it."""
    ogp = ontology_namespace(base)
    return (ogp.milestone, ogp.assessment)


def context_properties(base: str) -> tuple[URIRef, ...]:
    """Besides labels, what the document carries about each linked node: enough to show
    an assessment's report by kind and year and to order scale values."""
    ogp = ontology_namespace(base)
    return (*LABEL_PROPERTIES, ogp.rank, ogp.reportKind, DCTERMS.issued, RDF.type)


def _values(terms: tuple[URIRef, ...]) -> str:
    return " ".join(f"<{t}>" for t in terms)


def main_query(iri: URIRef, base: str) -> str:
    ctx = _values(context_properties(base))
    labels = _values(LABEL_PROPERTIES)
    # STR(?op), not VALUES: Virtuoso planned the OPTIONAL from the whole graph when ?op
    # was given (1 s at 10,000 commitments; 6 ms so; bench/results/scale.md)
    owned = ", ".join(f'"{t}"' for t in owned_properties(base))
    return f"""
CONSTRUCT {{ <{iri}> ?p ?o . ?o ?cp ?cv . ?n ?np ?no . ?no ?ncp ?ncv }}
WHERE {{
  {{ <{iri}> ?p ?o .
     OPTIONAL {{ VALUES ?cp {{ {labels} }} ?o ?cp ?cv FILTER(isIRI(?o)) }} }}
  UNION
  {{ <{iri}> ?op ?n FILTER(STR(?op) IN ({owned})) ?n ?np ?no .
     OPTIONAL {{ VALUES ?ncp {{ {ctx} }} ?no ?ncp ?ncv FILTER(isIRI(?no) && ?no != <{iri}>) }} }}
}}"""


def incoming_query(iri: URIRef, offset: int, limit: int) -> str:
    labels = _values(LABEL_PROPERTIES)
    return f"""
CONSTRUCT {{ ?s ?p <{iri}> . ?s ?lp ?l }}
WHERE {{
  {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> }} ORDER BY ?s ?p OFFSET {offset} LIMIT {limit} }}
  OPTIONAL {{ VALUES ?lp {{ {labels} }} ?s ?lp ?l }}
}}"""


def count_incoming(store: GraphStore, iri: URIRef) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p "
                        f"WHERE {{ ?s ?p <{iri}> }} }}")
    return int(rows[0]["n"]) if rows else 0


def source_graphs(store: GraphStore, iri: URIRef) -> dict[URIRef, dict[URIRef, list[Node]]]:
    """The named graphs stating something about ``iri``, in order, each with the values
    of its label properties."""
    props = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    rows = store.select(
        f"SELECT ?g ?lp ?l WHERE {{ {{ SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }}"
        f" }} OPTIONAL {{ ?g ?lp ?l FILTER(?lp IN ({props})) }} }} ORDER BY ?g")
    found: dict[URIRef, dict[URIRef, list[Node]]] = {}
    for row in rows:
        graph = row.get("g")
        if isinstance(graph, URIRef):
            labels = found.setdefault(graph, {})
            if isinstance(prop := row.get("lp"), URIRef) and "l" in row:
                labels.setdefault(prop, []).append(row["l"])
    return found


def incoming_links(graph: Graph, iri: URIRef) -> int:
    """The (subject, property) pairs linking to ``iri`` in an incoming-links page."""
    return len(set(graph.subject_predicates(iri)))


def looked_up_iris(graph: Graph, iri: URIRef, base: str) -> set[URIRef]:
    """The IRIs whose labels ``main_query`` and ``incoming_query`` asked for: what the
    resource and the nodes it owns link to, and what links to it."""
    linked = set(graph.objects(iri))
    for owned in owned_properties(base):
        for node in graph.objects(iri, owned):
            linked.update(graph.objects(node))
    linked.update(graph.subjects(None, iri))
    return {node for node in linked if isinstance(node, URIRef)}


def page_url(document: str, page: int) -> URIRef:
    return URIRef(document if page <= 1 else f"{document}?page={page}")


def build_document(store: GraphStore, base: str, iri: URIRef, document: str,
                   built_at: datetime, page: int = 1,
                   incoming_cap: int = INCOMING_CAP) -> ResourceDocument:
    """The document ``document`` (the URL it is served at, without ``?page``) about ``iri``."""
    page = max(page, 1)
    offset = (page - 1) * incoming_cap
    calls = [  # independent: at once where remote
        lambda: store.construct(main_query(iri, base)),
        lambda: store.construct(incoming_query(iri, offset, incoming_cap)),  # past the end: none
        lambda: source_graphs(store, iri)]
    if page > 1:
        calls.append(lambda: count_incoming(store, iri))
    graph, incoming, sources, *counted = store.gather(calls)
    if counted:
        total = counted[0]
    elif (links := incoming_links(incoming, iri)) < incoming_cap:
        total = links  # a first page that is not full holds them all
    else:
        total = count_incoming(store, iri)
    graph += incoming
    looked_up = looked_up_iris(graph, iri, base) | set(sources)
    doc = page_url(document, page)
    _describe(graph, doc, document, iri, base, built_at, list(sources), total, page,
              incoming_cap)
    return ResourceDocument(graph, iri, doc, total, offset, incoming_cap, list(sources),
                            frozenset(looked_up), sources)


def _describe(graph: Graph, doc: URIRef, document: str, iri: URIRef, base: str,
              built_at: datetime, sources: list[URIRef], total: int, page: int,
              cap: int) -> None:
    graph.add((doc, RDF.type, FOAF.Document))
    graph.add((doc, FOAF.primaryTopic, iri))
    graph.add((doc, DCTERMS.license, LICENSE))
    graph.add((doc, DCTERMS.modified, Literal(built_at.isoformat(), datatype=XSD.dateTime)))
    graph.add((doc, DCTERMS.isPartOf, Uris(base).dataset))
    for source in sources:
        graph.add((doc, DCTERMS.source, source))
    for page_of_ogp in list(graph.objects(iri, FOAF.page)):
        graph.add((doc, DCTERMS.source, page_of_ogp))
    # Paging of incoming links: always stated, so a client can tell a page from the whole.
    graph.add((doc, HYDRA.totalItems, Literal(total)))
    last_page = max(1, -(-total // cap))
    if page > 1:
        graph.add((doc, HYDRA.previous, page_url(document, page - 1)))
        graph.add((doc, HYDRA.first, page_url(document, 1)))
    if page < last_page:
        nxt = page_url(document, page + 1)
        graph.add((doc, HYDRA.next, nxt))
        graph.add((doc, RDFS.seeAlso, nxt))
        graph.add((doc, RDFS.comment, Literal(
            f"Incoming links {(page - 1) * cap + 1}-{min(page * cap, total)} of {total}; "
            f"the next page is {nxt}.", lang="en")))
    graph.add((doc, VOID.inDataset, Uris(base).dataset))


def document_prefixes(base: str) -> dict[str, str]:
    """Our prefixes plus hydra (paging) and id (our resources), for serialising documents."""
    return {**prefixes_for(base), "hydra": str(HYDRA), "id": f"{base}id/"}
