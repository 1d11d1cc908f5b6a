"""How far from a node its validation looks: what lets an incremental build check only the
nodes whose neighbourhood changed.

Checking a focus node against the shapes reads its own statements and, through the values
of its properties, the statements of nodes a few links away: the types of a value
(``sh:class``), the properties of a value a nested shape constrains (``sh:node``,
``sh:or``, a qualified value shape), and whatever a SPARQL constraint's patterns reach.
:func:`reach` is the largest number of links a check follows, computed from the shapes:
the result of a node can change only if a node within that many links of it (following
links forwards) changed its statements. So after a change, the nodes to check again are
those within ``reach`` links *backwards* of the changed ones (along the links a check
steps along, :func:`traversed`), and each is checked on a small store holding what lies
within ``reach`` links of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node, Variable

from ogpgraph.validation.run import data_shapes
from ogpgraph.validation.shapes import Constraint, Shape, SparqlConstraint

NONE = -1  # reads no statement at all (a constraint on the value term itself)
NESTED = {"Node", "Not"}
LISTS = {"Or", "And", "Xone"}


@lru_cache(maxsize=8)
def reach(base: str) -> int:
    """The links a check of the shapes (rebased on ``base``) follows from a focus node."""
    shapes, roots = data_shapes(base)
    return max(0, *(_shape(shapes, root) for root in roots))


def _shape(shapes: dict[Node, Shape], shape: Shape) -> int:
    """How far checking a node against ``shape`` reads (the node itself is 0)."""
    found = [NONE]
    if shape.path is not None:
        found.append(_property(shapes, shape))
    else:
        found += [_value(shapes, c) for c in shape.constraints]
        found += [_shape(shapes, shapes[p]) for p in shape.properties]
    found += [_sparql(c) for c in shape.sparql]
    return max(found)


def _property(shapes: dict[Node, Shape], prop: Shape) -> int:
    """A property shape on a node: its path statements (0), then its values (1 link on)."""
    found = [0]
    for constraint in prop.constraints:
        if constraint.component.startswith("Qualified"):
            qualified, _ = constraint.value  # type: ignore[misc]
            found.append(_links(_shape(shapes, shapes[qualified])))
        else:
            found.append(_links(_value(shapes, constraint)))
    found += [_links(_shape(shapes, shapes[p])) for p in prop.properties]
    found += [_sparql(c) for c in prop.sparql]
    return max(found)


def _links(inner: int) -> int:
    return inner + 1 if inner != NONE else 0


def _value(shapes: dict[Node, Shape], constraint: Constraint) -> int:
    """How far a constraint on one node reads, from that node."""
    name = constraint.component
    if name == "Class":
        return 0
    if name in NESTED:
        return _shape(shapes, shapes[constraint.value])  # type: ignore[index]
    if name in LISTS:
        return max([NONE, *(_shape(shapes, shapes[s]) for s in _nodes(constraint.value))])
    return NONE


def _nodes(value: object) -> Iterable[Node]:
    return value if isinstance(value, tuple | list) else ()  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _sparql_patterns(select: str, prefixes: tuple[tuple[str, str], ...]) -> int:
    query = prepareQuery(select.replace("$this", "?this"), initNs=dict(prefixes))
    count, todo = 0, [query.algebra]
    while todo:
        node = todo.pop()
        if getattr(node, "name", None) == "BGP":
            count += len(node["triples"])
        todo += [v for v in (node.values() if hasattr(node, "values") else ())
                 if hasattr(v, "name")]
    return count


@lru_cache(maxsize=8)
def followed(base: str) -> frozenset[str] | None:
    """The predicates a check may read on nodes *other* than its focus node (None: any):
    ``rdf:type`` (``sh:class``), the paths of the shapes values are checked against, the
    predicates of SPARQL constraints. A node whose changed statements use none of them
    changes no other node's results, only its own."""
    shapes, roots = data_shapes(base)
    found: set[str] = set()
    nested: list[Node] = []
    for root in roots:
        for prop in [root, *(shapes[p] for p in root.properties)]:
            nested += _nested_shapes(prop, shapes)
    seen: set[Node] = set()
    while nested:
        node = nested.pop()
        if node in seen:
            continue
        seen.add(node)
        shape = shapes[node]
        if shape.path is not None:
            found.add(str(shape.path))
        nested += _nested_shapes(shape, shapes) + list(shape.properties)
    for shape in shapes.values():
        found |= {str(RDF.type)} if any(c.component == "Class" for c in shape.constraints) \
            else set()
        predicates = _constraint_predicates(shape)
        if predicates is None:
            return None
        found |= predicates
    return frozenset(found)


VALUE_READING = {"Class", *NESTED, *LISTS}


@lru_cache(maxsize=8)
def traversed(base: str) -> frozenset[str] | None:
    """The predicates a check steps along from a node to another whose statements it
    reads (None: any): the path of every property shape that reads its values' statements
    (``sh:class``, a nested shape, a qualified value shape), and the predicates of SPARQL
    constraints. A node's results depend on another node only through a chain of these."""
    shapes, _ = data_shapes(base)
    found: set[str] = set()
    for shape in shapes.values():
        reads_values = any(c.component in VALUE_READING or c.component.startswith("Qualified")
                           for c in shape.constraints) or bool(shape.properties)
        if shape.path is not None and reads_values:
            found.add(str(shape.path))
        predicates = _constraint_predicates(shape)
        if predicates is None:
            return None
        found |= predicates
    return frozenset(found)


def _constraint_predicates(shape: Shape) -> set[str] | None:
    """The predicates the shape's SPARQL constraints read (None: any)."""
    found: set[str] = set()
    for constraint in shape.sparql:
        predicates = _sparql_predicates(constraint.select,
                                        tuple(sorted(constraint.prefixes.items())))
        if predicates is None:
            return None
        found |= predicates
    return found


def _nested_shapes(shape: Shape, shapes: dict[Node, Shape]) -> list[Node]:
    """The shapes a shape checks its values (or its node) against."""
    found: list[Node] = []
    for constraint in shape.constraints:
        if constraint.component in NESTED:
            found.append(constraint.value)  # type: ignore[arg-type]
        elif constraint.component in LISTS:
            found += list(_nodes(constraint.value))
        elif constraint.component.startswith("Qualified"):
            found.append(constraint.value[0])  # type: ignore[index]
    if shape.path is not None:
        found += list(shape.properties)
    return found


@lru_cache(maxsize=64)
def _sparql_predicates(select: str, prefixes: tuple[tuple[str, str], ...]
                       ) -> frozenset[str] | None:
    query = prepareQuery(select.replace("$this", "?this"), initNs=dict(prefixes))
    found: set[str] = set()
    todo = [query.algebra]
    while todo:
        node = todo.pop()
        if getattr(node, "name", None) == "BGP":
            for _, predicate, _ in node["triples"]:
                if isinstance(predicate, Variable):
                    return None
                found.add(str(predicate))
        todo += [v for v in (node.values() if hasattr(node, "values") else ())
                 if hasattr(v, "name")]
    return frozenset(found)


def _sparql(constraint: SparqlConstraint) -> int:
    """A SPARQL constraint: as many links as its query has triple patterns (each can take
    one more step from the focus node): generous, and safe."""
    if constraint.deactivated:
        return NONE
    return _sparql_patterns(constraint.select, tuple(sorted(constraint.prefixes.items())))
