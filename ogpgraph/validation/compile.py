"""Shapes to SPARQL: one set-at-a-time query per (shape, constraint component).

A top-level query binds ``?g`` (a data graph), ``?this`` (a focus node typed in ``?g`` with a
target class or a subclass of it) and, for value constraints, ``?value``; each row is one
validation result. The focus node's own triples are read inside ``GRAPH ?g``; anything about a
value (its rdf:type for sh:class, the shape it must conform to for sh:node / sh:or) reads the
union of all graphs, as a nested shape is compiled to a boolean SPARQL expression over the
default graph (the store is queried with the union as default graph).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ogpgraph.validation.shapes import Constraint, Shape, SparqlConstraint, UnsupportedShape

# datatypes whose lexical form Oxigraph checks by casting (a failed cast is an ill-typed literal)
CASTABLE = {XSD[name] for name in (
    "date", "dateTime", "time", "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay",
    "integer", "decimal", "double", "float", "boolean", "duration", "dayTimeDuration",
    "yearMonthDuration")}
ANY_LEXICAL = {XSD.string, XSD.anyURI}  # every string is a valid lexical form
NODE_KINDS = {
    "IRI": "isIRI({v})", "Literal": "isLiteral({v})", "BlankNode": "isBlank({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
RANGES = {"MinInclusive": ">=", "MaxInclusive": "<=", "MinExclusive": ">", "MaxExclusive": "<"}
FOCUS_LEVEL = {"MinCount", "MaxCount", "UniqueLang", "QualifiedMinCount", "QualifiedMaxCount"}
MAX_NESTED_COUNT = 4  # nested counts join n copies of the values: keep n small


@dataclass(frozen=True)
class Check:
    """One query; each row (?g, ?this, ?value?, ?path?) is a result of `shape` / `component`."""

    shape: Shape
    component: str  # e.g. "MinCountConstraintComponent"
    query: str
    sparql: SparqlConstraint | None = None


def term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShape(f"a blank node ({node!r}) cannot be a constraint parameter")


class Compiler:
    """Compiles shapes against one store: subclass sets are looked up once per class."""

    def __init__(self, shapes: dict[Node, Shape], subclasses: Callable[[URIRef], Sequence[URIRef]],
                 graph_filter: str) -> None:
        self.shapes = shapes
        self.subclasses = subclasses
        self.graph_filter = graph_filter  # SPARQL restricting ?g to the data graphs
        self._names = itertools.count(1)
        self._stack: list[Node] = []

    # ------------------------------------------------------------------ top-level checks
    # Oxigraph joins a pattern with bound variables by one index lookup per row (slow at
    # 10^5 rows) but evaluates MINUS and GROUP BY set-at-a-time: so each query scans the
    # path's values first, keeps the few failing ones and only then checks they are targets
    # (FILTER EXISTS), or takes the targets MINUS the conforming ones.
    def checks(self, shape: Shape) -> list[Check]:
        if shape.deactivated or not (shape.target_classes or shape.target_subjects_of):
            return []
        return self._shape_checks(shape, self._target(shape))

    def focus_count_query(self, shape: Shape) -> str | None:
        """A query counting the distinct nodes the shape's checks start from (``?n``): the
        same target pattern as :meth:`checks`, so a count of 0 means no check saw a node.
        None when the shape runs no check (deactivated, or without a target)."""
        if shape.deactivated or not (shape.target_classes or shape.target_subjects_of):
            return None
        return f"SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ {self._target(shape)} }}"

    def _target(self, shape: Shape) -> str:
        """The pattern binding ?g and ?this to the shape's focus nodes in each data graph."""
        parts = []
        if shape.target_classes:
            classes = sorted({c for t in shape.target_classes for c in self.subclasses(t)})
            parts.append(f"GRAPH ?g {{ ?this <{RDF.type}> ?type }} "
                         f"VALUES ?type {{ {' '.join(term(c) for c in classes)} }}")
        parts += [f"GRAPH ?g {{ ?this {term(p)} ?_subjectOf }}" for p in shape.target_subjects_of]
        if len(parts) == 1:
            return f"{self.graph_filter} {parts[0]}"
        return f"{self.graph_filter} " + " UNION ".join(f"{{ {p} }}" for p in parts)

    def _shape_checks(self, shape: Shape, target: str) -> list[Check]:
        if shape.path is not None:
            return self._property_checks(shape, target)
        found = []
        for constraint in shape.constraints:
            test = self.value_ok(constraint, "?this")
            query = (f"SELECT DISTINCT ?g ?this (?this AS ?value) WHERE {{ {target} "
                     f"FILTER (!({test})) }}")
            found.append(Check(shape, _component(constraint), query))
        for node in shape.properties:
            prop = self.shape(node)
            if not prop.deactivated:
                if prop.path is None:
                    raise UnsupportedShape(f"sh:property {node} has no sh:path")
                found.extend(self._property_checks(prop, target))
        for sparql in shape.sparql:
            if not sparql.deactivated:
                found.append(Check(shape, "SPARQLConstraintComponent",
                                   sparql_query(sparql, shape, target), sparql))
        return found

    def _property_checks(self, prop: Shape, target: str) -> list[Check]:
        if prop.properties:
            raise UnsupportedShape(f"property shape {prop.node}: nested sh:property")
        path = term(prop.path)  # type: ignore[arg-type]
        found = []
        for constraint in prop.constraints:
            name, parameter = constraint.component, constraint.value
            head = "SELECT DISTINCT ?g ?this"
            if name in {"MinCount", "QualifiedMinCount"}:
                condition, limit = "", parameter
                if name == "QualifiedMinCount":
                    qualified, limit = parameter  # type: ignore[misc]
                    condition = f"FILTER ({self.conforms(self.shape(qualified), '?v')})"
                if not limit:
                    continue
                enough = (f"GRAPH ?g {{ ?this {path} ?v }}" if limit == 1 and not condition else
                          f"SELECT ?g ?this WHERE {{ GRAPH ?g {{ ?this {path} ?v }} {condition} }}"
                          f" GROUP BY ?g ?this HAVING (COUNT(DISTINCT ?v) >= {int(limit)})")  # type: ignore[call-overload]
                body = f"{target} MINUS {{ {enough} }}"
            elif name in {"MaxCount", "QualifiedMaxCount"}:
                condition, limit = "", parameter
                if name == "QualifiedMaxCount":
                    qualified, limit = parameter  # type: ignore[misc]
                    condition = f"FILTER ({self.conforms(self.shape(qualified), '?v')})"
                body = _among(target, f"SELECT ?g ?this WHERE {{ GRAPH ?g {{ ?this {path} ?v }} "
                              f"{condition} }} GROUP BY ?g ?this "
                              f"HAVING (COUNT(DISTINCT ?v) > {int(limit)})")  # type: ignore[call-overload]
            elif name == "HasValue":
                body = f"{target} MINUS {{ GRAPH ?g {{ ?this {path} {term(parameter)} }} }}"  # type: ignore[arg-type]
            elif name == "UniqueLang":
                if not parameter:
                    continue
                body = _among(target, f"SELECT * WHERE {{ GRAPH ?g {{ ?this {path} ?a . "
                              f"?this {path} ?b }} FILTER ({_same_lang('?a', '?b')}) }}")
            elif name == "Class":
                head = "SELECT DISTINCT ?g ?this ?value"
                classes = " ".join(term(c) for c in self.subclasses(parameter))  # type: ignore[arg-type]
                body = _among(target, f"SELECT * WHERE {{ GRAPH ?g {{ ?this {path} ?value }} "
                              f"MINUS {{ ?value <{RDF.type}> ?t VALUES ?t {{ {classes} }} }} }}")
            else:
                head = "SELECT DISTINCT ?g ?this ?value"
                body = _among(target, f"SELECT * WHERE {{ GRAPH ?g {{ ?this {path} ?value }} "
                              f"FILTER (!({self.value_ok(constraint, '?value')})) }}")
            found.append(Check(prop, _component(constraint), f"{head} WHERE {{ {body} }}"))
        return found

    # ------------------------------------------------------------------ nested: expressions
    def shape(self, node: Node) -> Shape:
        try:
            return self.shapes[node]
        except KeyError:
            raise UnsupportedShape(f"{node} is referenced as a shape but is none") from None

    def conforms(self, shape: Shape, x: str) -> str:
        """A SPARQL expression true when the node in variable `x` conforms to `shape`."""
        if shape.deactivated:
            return "true"
        if shape.sparql:
            raise UnsupportedShape(f"shape {shape.node}: sh:sparql in a nested shape")
        if shape.node in self._stack:
            raise UnsupportedShape(f"shape {shape.node} refers to itself (recursive shapes)")
        self._stack.append(shape.node)
        try:
            if shape.path is not None:
                parts = self._property_conforms(shape, x)
            else:
                parts = [self.value_ok(c, x) for c in shape.constraints]
                parts += [self.conforms(self.shape(p), x) for p in shape.properties]
        finally:
            self._stack.pop()
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def _property_conforms(self, prop: Shape, x: str) -> list[str]:
        path = term(prop.path)  # type: ignore[arg-type]
        v = self._var("v")
        per_value = [self.value_ok(c, v) for c in prop.constraints
                     if c.component not in FOCUS_LEVEL and c.component != "HasValue"]
        per_value += [self.conforms(self.shape(p), v) for p in prop.properties]
        parts = []
        if per_value:
            parts.append(f"NOT EXISTS {{ {x} {path} {v} FILTER (!({' && '.join(per_value)})) }}")
        for constraint in prop.constraints:
            name, parameter = constraint.component, constraint.value
            if name == "MinCount" and parameter:
                parts.append(f"EXISTS {{ {self._distinct(x, path, parameter)} }}")  # type: ignore[arg-type]
            elif name == "MaxCount":
                parts.append(f"NOT EXISTS {{ {self._distinct(x, path, parameter + 1)} }}")  # type: ignore[operator]
            elif name == "HasValue":
                parts.append(f"EXISTS {{ {x} {path} {term(parameter)} }}")  # type: ignore[arg-type]
            elif name == "UniqueLang" and parameter:
                a, b = self._var("a"), self._var("b")
                parts.append(f"NOT EXISTS {{ {x} {path} {a} . {x} {path} {b} "
                             f"FILTER ({_same_lang(a, b)}) }}")
            elif name.startswith("Qualified"):
                qualified, limit = parameter  # type: ignore[misc]
                qshape = self.shape(qualified)
                if name == "QualifiedMinCount" and limit:
                    parts.append(f"EXISTS {{ {self._distinct(x, path, limit, qshape)} }}")
                elif name == "QualifiedMaxCount":
                    parts.append(f"NOT EXISTS {{ {self._distinct(x, path, limit + 1, qshape)} }}")
        return parts

    def _distinct(self, x: str, path: str, n: int, qualified: Shape | None = None) -> str:
        """A pattern matching when `x` has at least n distinct values (conforming to
        `qualified` if given)."""
        if n > MAX_NESTED_COUNT:
            raise UnsupportedShape(f"a count of {n} in a nested shape (at most {MAX_NESTED_COUNT})")
        names = [self._var("n") for _ in range(n)]
        triples = " ".join(f"{x} {path} {v} ." for v in names)
        tests = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
        if qualified is not None:
            tests += [self.conforms(qualified, v) for v in names]
        return triples + (f" FILTER ({' && '.join(tests)})" if tests else "")

    def value_ok(self, constraint: Constraint, v: str) -> str:
        """A SPARQL expression true when value `v` satisfies a per-value constraint."""
        name, p = constraint.component, constraint.value
        if name == "NodeKind":
            kind = str(p).rsplit("#", 1)[-1]
            if kind not in NODE_KINDS:
                raise UnsupportedShape(f"sh:nodeKind {p}")
            return NODE_KINDS[kind].format(v=v)
        if name == "Datatype":
            return datatype_ok(p, v)  # type: ignore[arg-type]
        if name == "Class":
            t = self._var("t")
            classes = " ".join(term(c) for c in self.subclasses(p))  # type: ignore[arg-type]
            return f"EXISTS {{ {v} <{RDF.type}> {t} VALUES {t} {{ {classes} }} }}"
        if name == "Node":
            return self.conforms(self.shape(p), v)
        if name in {"Or", "And", "Xone"}:
            tests = [self.conforms(self.shape(s), v) for s in p]  # type: ignore[attr-defined]
            if name == "Xone":
                return "(" + " + ".join(f"IF(COALESCE({t}, false), 1, 0)" for t in tests) + " = 1)"
            return "(" + (" || " if name == "Or" else " && ").join(tests or ["true"]) + ")"
        if name == "Not":
            return f"!COALESCE({self.conforms(self.shape(p), v)}, false)"
        if name == "HasValue":
            return f"sameTerm({v}, {term(p)})"  # type: ignore[arg-type]
        if name == "In":
            return "(" + " || ".join([f"sameTerm({v}, {term(t)})" for t in p] or ["false"]) + ")"  # type: ignore[attr-defined]
        if name == "Pattern":
            pattern, flags = p  # type: ignore[misc]
            regex = f"REGEX(STR({v}), {Literal(pattern).n3()}, {Literal(flags).n3()})"
            return f"(!isBlank({v}) && COALESCE({regex}, false))"
        if name in RANGES:
            return f"COALESCE({v} {RANGES[name]} {term(p)}, false)"  # type: ignore[arg-type]
        if name in {"MinLength", "MaxLength"}:
            op = ">=" if name == "MinLength" else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(p)})"  # type: ignore[call-overload]
        if name == "LanguageIn":
            tests = [f"LANGMATCHES(LANG({v}), {Literal(str(t)).n3()})" for t in p]  # type: ignore[attr-defined]
            return f"(isLiteral({v}) && ({' || '.join(tests or ['false'])}))"
        raise UnsupportedShape(f"sh:{name[0].lower()}{name[1:]} cannot apply to one value")

    def _var(self, stem: str) -> str:
        return f"?_{stem}{next(self._names)}"


def datatype_ok(datatype: URIRef, v: str) -> str:
    """The literal has this datatype and, for XSD types, a well-formed lexical form."""
    if isinstance(datatype, BNode):
        raise UnsupportedShape("sh:datatype must be an IRI")
    if datatype == RDF.langString:
        return f"(isLiteral({v}) && LANG({v}) != \"\")"
    typed = f"isLiteral({v}) && DATATYPE({v}) = <{datatype}>"
    if datatype in CASTABLE:
        return f"({typed} && COALESCE(isLiteral(<{datatype}>(STR({v}))), false))"
    if datatype in ANY_LEXICAL or not str(datatype).startswith(str(XSD)):
        return f"({typed})"
    raise UnsupportedShape(f"sh:datatype {datatype}: no lexical check for this XSD type")


def _among(target: str, candidates: str) -> str:
    """The candidate rows whose ?this is a target in ?g. The candidates sit in a sub-select:
    Oxigraph would otherwise push the EXISTS down and run it on every row, not the few left."""
    return f"{{ {candidates} }} FILTER EXISTS {{ {target} }}"


def _same_lang(a: str, b: str) -> str:
    return f'!sameTerm({a}, {b}) && LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b}))'


def _component(constraint: Constraint) -> str:
    return f"{constraint.component}ConstraintComponent"


_SELECT = re.compile(r"\bSELECT\b\s*(DISTINCT\b|REDUCED\b)?", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\s*$", re.IGNORECASE)


def sparql_query(constraint: SparqlConstraint, shape: Shape, target: str) -> str:
    """The constraint's SELECT with $this bound to the targets and its body read in ?g.

    The whole body runs inside ``GRAPH ?g``: as when pyshacl validates one source graph on
    its own, the query sees only that graph."""
    text = constraint.select
    if re.search(r"\$(currentShape|shapesGraph)\b", text):
        raise UnsupportedShape(f"{constraint.node}: $currentShape / $shapesGraph not supported")
    text = re.sub(r"\$this\b", "?this", text)
    if "$PATH" in text:
        if shape.path is None:
            raise UnsupportedShape(f"{constraint.node}: $PATH on a node shape")
        text = text.replace("$PATH", term(shape.path))
    select = _SELECT.search(text)
    if select is None or "{" not in text[select.end():]:
        raise UnsupportedShape(f"{constraint.node}: not a SELECT query")
    opening, closing = text.index("{", select.end()), text.rindex("}")
    if text[closing + 1:].strip():
        raise UnsupportedShape(f"{constraint.node}: solution modifiers after the WHERE clause")
    projection = _WHERE.sub("", text[select.end():opening].strip()).strip()
    if projection != "*":
        projection = "?g " + ("" if re.search(r"\?this\b", projection) else "?this ") + projection
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(constraint.prefixes.items()))
    body = _among(target, f"SELECT * WHERE {{ GRAPH ?g {{ {text[opening + 1:closing]} }} }}")
    return f"{prologue}{text[:select.start()]}SELECT DISTINCT {projection} WHERE {{ {body} }}"
