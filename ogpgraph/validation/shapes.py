"""The shapes graph read into plain records, refusing anything the SPARQL compiler cannot run.

Every ``sh:`` predicate on a shape must be understood here: an unknown one (``sh:closed``,
``sh:equals``, a path expression, ...) raises :class:`UnsupportedShape` instead of being
skipped, so a constraint is never silently left unchecked. Non-SHACL predicates (rdfs:comment)
are ignored, as SHACL itself ignores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from ogpgraph.graph.terms import SH


class UnsupportedShape(ValueError):
    """The shapes graph uses something the SPARQL compiler does not implement."""


@dataclass(frozen=True)
class Constraint:
    """One constraint component with its parameter(s), e.g. ("MinCount", 1)."""

    component: str  # local name without "ConstraintComponent", e.g. "MinCount"
    value: object  # the parameter: an int, a term, a tuple of terms/shape nodes, ...


@dataclass(frozen=True)
class SparqlConstraint:
    node: Node
    select: str
    prefixes: dict[str, str]
    messages: tuple[Literal, ...]
    deactivated: bool = False


@dataclass
class Shape:
    node: Node
    path: URIRef | None = None  # set for property shapes (predicate paths only)
    target_classes: tuple[URIRef, ...] = ()
    target_subjects_of: tuple[URIRef, ...] = ()  # sh:targetSubjectsOf
    severity: URIRef = SH.Violation
    messages: tuple[Literal, ...] = ()
    deactivated: bool = False
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[Node] = field(default_factory=list)  # sh:property shape nodes
    sparql: list[SparqlConstraint] = field(default_factory=list)


# predicates describing a shape rather than constraining values
_DESCRIPTIVE = {"name", "description", "order", "group", "defaultValue"}
# parameter -> component name, for components with a single parameter
_SINGLE = {
    "minCount": "MinCount", "maxCount": "MaxCount", "nodeKind": "NodeKind",
    "datatype": "Datatype", "class": "Class", "node": "Node", "hasValue": "HasValue",
    "minInclusive": "MinInclusive", "maxInclusive": "MaxInclusive",
    "minExclusive": "MinExclusive", "maxExclusive": "MaxExclusive",
    "minLength": "MinLength", "maxLength": "MaxLength", "uniqueLang": "UniqueLang",
    "not": "Not",
}
_LISTS = {"or": "Or", "and": "And", "xone": "Xone", "in": "In", "languageIn": "LanguageIn"}
_QUALIFIED = {"qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount",
              "qualifiedValueShapesDisjoint"}
_HANDLED = ({"targetClass", "targetSubjectsOf", "property", "path", "severity", "message",
             "deactivated", "sparql", "pattern", "flags"}
            | _DESCRIPTIVE | set(_SINGLE) | set(_LISTS) | _QUALIFIED)
_SPARQL_KEYS = {"select", "prefixes", "message", "deactivated", "name", "description"}
_INTEGER_PARAMETERS = {"minCount", "maxCount", "minLength", "maxLength"}


def read_shapes(shapes: Graph) -> dict[Node, Shape]:
    """Every shape of the graph, by node; raises UnsupportedShape on what cannot be compiled."""
    nodes: set[Node] = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        nodes.update(shapes.subjects(RDF.type, kind))
    for predicate in (SH.targetClass, SH.targetSubjectsOf, SH.path, SH.property):
        nodes.update(shapes.subjects(predicate, None))
    for predicate in (SH.node, SH.property, SH.qualifiedValueShape, SH["not"]):
        nodes.update(shapes.objects(None, predicate))
    for predicate in (SH["or"], SH["and"], SH.xone):
        for head in shapes.objects(None, predicate):
            nodes.update(Collection(shapes, head))
    for predicate in (SH.targetNode, SH.targetObjectsOf, SH.target):
        if (None, predicate, None) in shapes:
            raise UnsupportedShape(f"{predicate} is not supported (only sh:targetClass and "
                                   "sh:targetSubjectsOf)")
    return {node: _read_shape(shapes, node) for node in nodes}


def _read_shape(shapes: Graph, node: Node) -> Shape:
    shape = Shape(node=node)
    local = _shacl_keys(shapes, node)
    unknown = local - _HANDLED
    if unknown:
        raise UnsupportedShape(f"shape {node}: sh:{', sh:'.join(sorted(unknown))} not supported")
    path = shapes.value(node, SH.path)
    if path is not None and not isinstance(path, URIRef):
        raise UnsupportedShape(f"shape {node}: only predicate paths are supported, not {path!r}")
    shape.path = path
    shape.target_classes = tuple(sorted(_iris(shapes, node, SH.targetClass)))
    shape.target_subjects_of = tuple(sorted(_iris(shapes, node, SH.targetSubjectsOf)))
    shape.severity = shapes.value(node, SH.severity) or SH.Violation
    shape.messages = tuple(sorted(m for m in shapes.objects(node, SH.message)
                                  if isinstance(m, Literal)))
    shape.deactivated = _is_true(shapes.value(node, SH.deactivated))
    shape.properties = sorted(shapes.objects(node, SH.property), key=str)
    for name in sorted(local):
        shape.constraints.extend(_constraints(shapes, node, name, path is not None))
    constraints = sorted(shapes.objects(node, SH.sparql), key=str)
    shape.sparql = [_read_sparql(shapes, c) for c in constraints]
    return shape


def _constraints(shapes: Graph, node: Node, name: str, is_property: bool) -> list[Constraint]:
    values = list(shapes.objects(node, SH[name]))
    if name in _SINGLE:
        if name in {"minCount", "maxCount"} and not is_property:
            raise UnsupportedShape(f"shape {node}: sh:{name} on a node shape")
        return [Constraint(_SINGLE[name], _parameter(node, name, v)) for v in values]
    if name in _LISTS:
        return [Constraint(_LISTS[name], tuple(Collection(shapes, head))) for head in values]
    if name == "pattern":
        flags = shapes.value(node, SH.flags)
        return [Constraint("Pattern", (str(v), str(flags) if flags else "")) for v in values]
    if name == "qualifiedValueShape":
        if _is_true(shapes.value(node, SH.qualifiedValueShapesDisjoint)):
            raise UnsupportedShape(f"shape {node}: sh:qualifiedValueShapesDisjoint true")
        [qualified] = values
        found = []
        for bound in ("qualifiedMinCount", "qualifiedMaxCount"):
            count = shapes.value(node, SH[bound])
            if count is not None:
                component = bound[0].upper() + bound[1:]  # QualifiedMinCount / ...MaxCount
                found.append(Constraint(component, (qualified, _parameter(node, bound, count))))
        return found
    return []  # descriptive keys, targets, messages, and qualified counts read above


def _parameter(node: Node, name: str, value: Node) -> object:
    if name in _INTEGER_PARAMETERS or name.startswith("qualified"):
        if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
            raise UnsupportedShape(f"shape {node}: sh:{name} must be an integer, not {value!r}")
        return int(value.toPython())
    if name == "uniqueLang":
        return _is_true(value)
    return value


def _read_sparql(shapes: Graph, node: Node) -> SparqlConstraint:
    local = _shacl_keys(shapes, node)
    if local - _SPARQL_KEYS:
        raise UnsupportedShape(f"SPARQL constraint {node}: sh:{', sh:'.join(local - _SPARQL_KEYS)}")
    select = shapes.value(node, SH.select)
    if select is None:
        raise UnsupportedShape(f"SPARQL constraint {node} has no sh:select")
    prefixes: dict[str, str] = {}
    for owner in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(owner, SH.declare):
            prefixes[str(shapes.value(declaration, SH.prefix))] = str(
                shapes.value(declaration, SH.namespace))
    messages = tuple(sorted(m for m in shapes.objects(node, SH.message) if isinstance(m, Literal)))
    return SparqlConstraint(node, str(select), prefixes, messages,
                            _is_true(shapes.value(node, SH.deactivated)))


def _shacl_keys(shapes: Graph, node: Node) -> set[str]:
    """Local names of the sh: predicates on a node."""
    return {str(p).removeprefix(str(SH)) for p in shapes.predicates(node)
            if str(p).startswith(str(SH))}


def _iris(shapes: Graph, node: Node, predicate: URIRef) -> list[URIRef]:
    found = list(shapes.objects(node, predicate))
    if any(not isinstance(v, URIRef) for v in found):
        raise UnsupportedShape(f"shape {node}: {predicate} must be an IRI")
    return found  # type: ignore[return-value]


def _is_true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is True
