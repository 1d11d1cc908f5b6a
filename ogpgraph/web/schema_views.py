"""Plain structures for the HTML documentation of the ontology, the SHACL shapes and the
build's validation report, read from their RDF graphs (templates stay logic-free).

Usage figures (how many instances / triples, a few example subjects) come from the store,
computed once per build.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from ogpgraph.graph.terms import SCHEMA, SH
from ogpgraph.store.base import GraphStore
from ogpgraph.web.dataset_description import statistics
from ogpgraph.web.published import PublishedBuild

EXAMPLES = 3
LANGS = ("en", "es", "fr")


def _by_lang(values: Iterable[Node]) -> dict[str, str]:
    """Literals keyed by language ("" for untagged); the first per language wins."""
    found: dict[str, str] = {}
    for value in values:
        if isinstance(value, Literal):
            found.setdefault((value.language or "").lower(), str(value))
    return found


def local_name(iri: Node) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1] or text
    return text


def _members(graph: Graph, node: Node) -> list[Node]:
    """A class expression's named classes: the class itself, or the members of an
    ``owl:unionOf`` list."""
    if isinstance(node, URIRef):
        return [node]
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return [m for m in Collection(graph, union) if isinstance(m, URIRef)]
    return []


@dataclass
class TermDoc:
    iri: URIRef
    name: str  # local name, also the HTML anchor
    kind: str  # "Class", "ObjectProperty", "DatatypeProperty", ...
    labels: dict[str, str]
    definitions: dict[str, str]
    comments: dict[str, str]
    supers: list[URIRef] = field(default_factory=list)
    domains: list[URIRef] = field(default_factory=list)
    ranges: list[URIRef] = field(default_factory=list)
    inverse: URIRef | None = None
    equivalents: list[URIRef] = field(default_factory=list)
    count: int = 0  # instances of a class, distinct triples of a property
    examples: list[URIRef] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.labels.get("en") or self.labels.get("") or self.name

    @property
    def definition(self) -> str:
        return self.definitions.get("en") or self.definitions.get("") or ""


@dataclass
class OntologyDoc:
    iri: URIRef
    title: str
    description: str
    version: str | None
    classes: list[TermDoc]
    properties: list[TermDoc]
    relations: list[tuple[URIRef, URIRef, URIRef]]  # domain class, property, range class
    langs: tuple[str, ...] = LANGS
    titles: dict[str, str] = field(default_factory=dict)  # by language, for the reader's
    descriptions: dict[str, str] = field(default_factory=dict)


_PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                   RDF.Property)


def _term(graph: Graph, iri: URIRef, kind: str) -> TermDoc:
    definitions = _by_lang(graph.objects(iri, SKOS.definition))
    return TermDoc(
        iri=iri, name=local_name(iri), kind=kind,
        labels=_by_lang(graph.objects(iri, RDFS.label)),
        definitions=definitions,
        comments=_by_lang(graph.objects(iri, RDFS.comment)),
        supers=sorted({s for s in graph.objects(iri, RDFS.subClassOf) if isinstance(s, URIRef)}
                      | {s for s in graph.objects(iri, RDFS.subPropertyOf)
                         if isinstance(s, URIRef)}),
        # schema:domainIncludes where a property serves several classes (no union blank node)
        domains=sorted({m for prop in (RDFS.domain, SCHEMA.domainIncludes)
                        for d in graph.objects(iri, prop) for m in _members(graph, d)}),
        ranges=sorted({m for r in graph.objects(iri, RDFS.range) for m in _members(graph, r)}),
        inverse=graph.value(iri, OWL.inverseOf),
        equivalents=sorted(
            {e for e in graph.objects(iri, OWL.equivalentClass) if isinstance(e, URIRef)}
            | {e for e in graph.objects(iri, OWL.equivalentProperty) if isinstance(e, URIRef)}),
    )


def _examples(store: GraphStore, query: str) -> list[URIRef]:
    return [row["s"] for row in store.select(query) if isinstance(row.get("s"), URIRef)]


def _usage(published: PublishedBuild, classes: list[URIRef], properties: list[URIRef]
           ) -> dict[URIRef, tuple[int, list[URIRef]]]:
    stats = statistics(published)
    store = published.store
    usage: dict[URIRef, tuple[int, list[URIRef]]] = {}
    for iri in classes:
        count = stats.classes.get(str(iri), 0)
        examples = _examples(store, f"SELECT ?s WHERE {{ ?s a <{iri}> FILTER(isIRI(?s)) }} "
                                    f"ORDER BY ?s LIMIT {EXAMPLES}") if count else []
        usage[iri] = (count, examples)
    for iri in properties:
        count = stats.properties.get(str(iri), 0)
        examples = _examples(store, f"SELECT DISTINCT ?s WHERE {{ ?s <{iri}> ?o "
                                    f"FILTER(isIRI(?s)) }} ORDER BY ?s LIMIT {EXAMPLES}"
                             ) if count else []
        usage[iri] = (count, examples)
    return usage


def ontology_doc(graph: Graph, published: PublishedBuild) -> OntologyDoc:
    """The documentation of the ontology ``graph``, with usage from the published store."""
    namespace = f"{published.base}ontology#"
    ontology = URIRef(f"{published.base}ontology")
    classes = sorted({c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
                     | {c for c in graph.subjects(RDF.type, RDFS.Class)
                        if isinstance(c, URIRef)}, key=local_name)
    classes = [c for c in classes if str(c).startswith(namespace)]
    kinds: dict[URIRef, str] = {}
    for kind in _PROPERTY_KINDS:
        for prop in graph.subjects(RDF.type, kind):
            if isinstance(prop, URIRef) and str(prop).startswith(namespace):
                kinds.setdefault(prop, local_name(kind))
    properties = sorted(kinds, key=local_name)
    usage = published.memo(f"ontology-usage-{len(classes)}-{len(properties)}",
                           lambda: _usage(published, classes, properties))

    class_docs = [_term(graph, c, "Class") for c in classes]
    property_docs = [_term(graph, p, kinds[p]) for p in properties]
    for doc in (*class_docs, *property_docs):
        doc.count, doc.examples = usage.get(doc.iri, (0, []))

    relations = sorted(
        {(d, p.iri, r) for p in property_docs if p.kind == "ObjectProperty"
         for d in p.domains for r in p.ranges},
        key=lambda t: (local_name(t[0]), local_name(t[1]), local_name(t[2])))
    title = _by_lang(graph.objects(ontology, DCTERMS.title)) or _by_lang(
        graph.objects(ontology, RDFS.label))
    description = _by_lang(graph.objects(ontology, DCTERMS.description)) or _by_lang(
        graph.objects(ontology, RDFS.comment))
    version = graph.value(ontology, OWL.versionInfo)
    return OntologyDoc(
        iri=ontology, title=title.get("en") or title.get("") or "The OGP ontology",
        description=description.get("en") or description.get("") or "",
        version=str(version) if version is not None else None,
        classes=class_docs, properties=property_docs, relations=relations,
        titles=title, descriptions=description)


# --- SHACL shapes ---------------------------------------------------------------------------

def path_text(graph: Graph, path: Node, curie) -> str:
    """A SHACL property path as SPARQL-like text: ``ogp:member/rdfs:label``, ``^ogp:x``."""
    if isinstance(path, URIRef):
        return curie(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(graph, inverse, curie)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, p, curie)
                              for p in Collection(graph, alternatives)) + ")"
    for predicate, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                            (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return path_text(graph, inner, curie) + mark
    if graph.value(path, RDF.first) is not None:
        return "/".join(path_text(graph, p, curie) for p in Collection(graph, path))
    return str(path)


# Constraint parameters shown for a property shape, in this order.
CONSTRAINTS = (SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH["in"],
               SH.hasValue, SH.pattern, SH.flags, SH.minInclusive, SH.maxInclusive,
               SH.minLength, SH.maxLength, SH.languageIn, SH.uniqueLang, SH.node,
               SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
               SH.disjoint, SH.equals, SH.lessThan, SH.sparql)


@dataclass
class Constraint:
    name: str  # the parameter's local name: minCount, datatype, ...
    values: list[Node]


@dataclass
class PropertyDoc:
    path: str
    name: str | None
    severity: str  # Violation, Warning, Info
    messages: dict[str, str]
    constraints: list[Constraint]


@dataclass
class ShapeDoc:
    iri: Node
    name: str
    targets: list[tuple[str, Node]]  # (targetClass | targetNode | ..., value)
    severity: str
    messages: dict[str, str]
    closed: bool
    properties: list[PropertyDoc]
    node_constraints: list[Constraint]


def _constraints(graph: Graph, shape: Node) -> list[Constraint]:
    found = []
    for parameter in CONSTRAINTS:
        values: list[Node] = []
        for value in graph.objects(shape, parameter):
            if parameter == SH["in"] or (parameter == SH.languageIn):
                values.extend(Collection(graph, value))
            elif parameter == SH.sparql:
                select = graph.value(value, SH.select)
                values.append(Literal(str(select).strip()) if select is not None else value)
            else:
                values.append(value)
        if values:
            found.append(Constraint(local_name(parameter), values))
    return found


def _severity(graph: Graph, shape: Node, default: str = "Violation") -> str:
    severity = graph.value(shape, SH.severity)
    return local_name(severity) if severity is not None else default


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def shapes_doc(graph: Graph, curie) -> list[ShapeDoc]:
    """Every node shape with its targets and property constraints, by name."""
    shapes = set(graph.subjects(RDF.type, SH.NodeShape))
    for target in _TARGETS:
        shapes |= set(graph.subjects(target, None))
    docs = []
    for shape in shapes:
        severity = _severity(graph, shape)
        props = []
        for prop in graph.objects(shape, SH.property):
            path = graph.value(prop, SH.path)
            name = graph.value(prop, SH.name)
            props.append(PropertyDoc(
                path=path_text(graph, path, curie) if path is not None else "",
                name=str(name) if name is not None else None,
                severity=_severity(graph, prop, severity),
                messages=_by_lang(graph.objects(prop, SH.message)),
                constraints=_constraints(graph, prop)))
        props.sort(key=lambda p: p.path)
        docs.append(ShapeDoc(
            iri=shape,
            name=local_name(shape) if isinstance(shape, URIRef) else "(anonymous shape)",
            targets=sorted(((local_name(t), v) for t in _TARGETS
                            for v in graph.objects(shape, t)), key=lambda t: (t[0], str(t[1]))),
            severity=severity, messages=_by_lang(graph.objects(shape, SH.message)),
            closed=bool(graph.value(shape, SH.closed)), properties=props,
            node_constraints=_constraints(graph, shape)))
    return sorted(docs, key=lambda d: d.name)


# --- validation report ----------------------------------------------------------------------

@dataclass
class ResultDoc:
    focus: Node | None
    path: str
    severity: str
    messages: list[str]
    value: Node | None
    source_shape: Node | None
    component: str


@dataclass
class ReportDoc:
    present: bool
    conforms: bool | None
    results: list[ResultDoc]
    counts: dict[str, int]  # severity -> number of results


SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


def report_doc(graph: Graph | None, curie) -> ReportDoc:
    """A SHACL validation report as rows, most severe first, then by focus node."""
    if graph is None:
        return ReportDoc(present=False, conforms=None, results=[], counts={})
    report = next(iter(graph.subjects(RDF.type, SH.ValidationReport)), None)
    conforms_value = graph.value(report, SH.conforms) if report is not None else None
    conforms = conforms_value.toPython() if isinstance(conforms_value, Literal) else None
    results = []
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        path = graph.value(result, SH.resultPath)
        component = graph.value(result, SH.sourceConstraintComponent)
        severity = graph.value(result, SH.resultSeverity)
        results.append(ResultDoc(
            focus=graph.value(result, SH.focusNode),
            path=path_text(graph, path, curie) if path is not None else "",
            severity=local_name(severity) if severity is not None else "Violation",
            messages=sorted(str(m) for m in graph.objects(result, SH.resultMessage)),
            value=graph.value(result, SH.value),
            source_shape=graph.value(result, SH.sourceShape),
            component=local_name(component) if component is not None else ""))
    results.sort(key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), str(r.focus), r.path))
    counts = Counter(r.severity for r in results)
    return ReportDoc(present=True, conforms=conforms, results=results,
                     counts={s: counts.get(s, 0) for s in SEVERITY_ORDER} | dict(counts))


def is_blank(node: Node | None) -> bool:
    return isinstance(node, BNode)
