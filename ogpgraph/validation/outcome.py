"""What validation found: results, the outcome of a run, and its plain-text report."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.terms import SH, curie, prefixes_for

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult, flattened."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    shape: Node | None  # the sh:sourceShape, e.g. ogpsh:CommitmentIdentifier
    component: str = ""  # local name of sh:sourceConstraintComponent, e.g. "MinCountConstraint…"


@dataclass(frozen=True)
class ShapeCoverage:
    """What one shape with a target checked: the focus nodes its target pattern selected in
    the data graphs (each node once, whatever the number of graphs) and what it found."""

    shape: Node
    focus_nodes: int
    violations: int
    warnings: int  # warnings and infos
    targets: tuple[URIRef, ...] = ()  # its target classes and target-subjects-of properties


@dataclass
class ValidationOutcome:
    conforms: bool  # no violation (warnings allowed)
    violations: list[ValidationResult] = field(default_factory=list)
    warnings: list[ValidationResult] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)
    base: str = DEFAULT_BASE_URI
    coverage: list[ShapeCoverage] | None = None  # per shape, when asked for (validate_store)

    @property
    def focus_nodes(self) -> int | None:
        """Focus nodes checked by all shapes together (a node counts once per shape)."""
        return None if self.coverage is None else sum(c.focus_nodes for c in self.coverage)

    def coverage_table(self) -> str:
        """One line per shape: its name, focus nodes, violations, warnings; then the totals."""
        rows = [(_short(c.shape, self.base), c.focus_nodes, c.violations, c.warnings)
                for c in sorted(self.coverage or [], key=lambda c: str(c.shape))]
        rows.append(("total", sum(r[1] for r in rows), sum(r[2] for r in rows),
                     sum(r[3] for r in rows)))
        width = max(len("shape"), *(len(r[0]) for r in rows))
        lines = [f"{'shape':<{width}}  {'focus nodes':>11}  {'violations':>10}  "
                 f"{'warnings':>8}"]
        lines += [f"{name:<{width}}  {focus:>11,}  {bad:>10,}  {warned:>8,}"
                  for name, focus, bad, warned in rows]
        return "\n".join(lines)

    def report_text(self) -> str:
        """A plain-text report: one line per result, violations first."""
        if not self.violations and not self.warnings:
            return "Conforms: no violations, no warnings."
        head = (
            f"{'Conforms' if self.conforms else 'Does not conform'}: "
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)."
        )
        lines = [head]
        for result in self.violations + self.warnings:
            lines.append(_result_line(result, self.base))
        return "\n".join(lines)


def _short(term: Node | None, base: str) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = str(term)
        return repr(text if len(text) <= 60 else text[:57] + "...")
    if isinstance(term, BNode):
        return "[]"
    text = str(term)
    prefixes = {**prefixes_for(base), "id": f"{base}id/", "ogpsh": f"{base}shapes#"}
    short = curie(text, prefixes) if isinstance(term, URIRef) else None
    return short or f"<{text}>"


def _result_line(result: ValidationResult, base: str) -> str:
    where = _short(result.focus, base)
    if result.path is not None:
        where += f" {_short(result.path, base)}"
    value = f" (value: {_short(result.value, base)})" if result.value is not None else ""
    return f"{result.severity}: {where}: {result.message}{value}"
