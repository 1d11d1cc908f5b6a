"""Why ``ogpgraph validate`` checked nothing: the namespace the shapes' targets are in, the
one the data's classes and subjects are in, and the base URI the data looks built under."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from ogpgraph.graph.terms import ontology_namespace
from ogpgraph.validation.outcome import ValidationOutcome
from ogpgraph.validation.run import SUPPORT_GRAPHS

SUBJECT_SAMPLE = 10_000  # subjects read to tell where most of them are
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def namespace_of(iri: str) -> str:
    """The IRI up to its last ``#`` or ``/`` (``…/ontology#Commitment`` → ``…/ontology#``)."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1] if cut >= 0 else iri


def nothing_checked(store: ox.Store, outcome: ValidationOutcome, path: Path,
                    base: str) -> list[str]:
    """The lines explaining a validation in which no shape selected a focus node."""
    targets = sorted({namespace_of(str(t)) for c in outcome.coverage or [] for t in c.targets})
    looked_for = ", ".join(targets) or "(no shape has a target)"
    lines = [f"{path}: nothing was checked: no shape found a single focus node. The shapes "
             f"target classes and properties in {looked_for} (base {base}, from --base or "
             "OGPGRAPH_BASE_URI)."]
    data_filter = _data_graphs(base)
    classes, typed = _class_namespaces(store, data_filter)
    if classes:
        namespace, count = classes.most_common(1)[0]
        lines.append(f"{path}: its nodes' classes are mostly in {namespace} ({count:,} of "
                     f"{typed:,} rdf:type statements)")
    else:
        lines.append(f"{path}: it states no rdf:type of any node")
    subjects = _subjects_prefix(store, data_filter)
    if subjects is not None and not subjects[0].startswith(base):
        prefix, count, sampled = subjects
        lines.append(f"{path}: its subjects are mostly under {prefix} ({count:,} of "
                     f"{sampled:,} subjects)")
    guess = _base_of(classes.most_common(1)[0][0], base) if classes else None
    if guess and guess != base:
        lines.append(f"it looks built under the base {guess}: run `ogpgraph validate --base "
                     f"{guess} {path}` or set OGPGRAPH_BASE_URI={guess}")
    else:
        lines.append("if the data was built under another base URI, give it with --base or "
                     "OGPGRAPH_BASE_URI")
    return lines


def _data_graphs(base: str) -> str:
    support = ", ".join(f"<{base}graph/{name}>" for name in SUPPORT_GRAPHS)
    return f"FILTER (?g NOT IN ({support}))"


def _class_namespaces(store: ox.Store, data_filter: str) -> tuple[Counter[str], int]:
    rows = store.query(f"SELECT ?t (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{RDF_TYPE}> ?t }} "
                       f"{data_filter} FILTER (isIRI(?t)) }} GROUP BY ?t")
    found: Counter[str] = Counter()
    for row in rows:
        found[namespace_of(row["t"].value)] += int(row["n"].value)
    return found, sum(found.values())


def _subjects_prefix(store: ox.Store, data_filter: str) -> tuple[str, int, int] | None:
    """The longest IRI prefix (ending in ``/`` or ``#``, past the host) that at least half
    of a sample of the subjects share, with how many share it."""
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {data_filter} "
                       f"FILTER (isIRI(?s)) }} LIMIT {SUBJECT_SAMPLE}")
    prefixes: Counter[str] = Counter()
    sampled = 0
    for row in rows:
        sampled += 1
        iri = row["s"].value
        host = re.match(r"[a-z][a-z0-9+.-]*://[^/#]*", iri, re.IGNORECASE)
        start = host.end() if host else 0
        prefixes.update(iri[:m.end()] for m in re.finditer(r"[/#]", iri) if m.end() > start)
    shared = [(len(p), p, n) for p, n in prefixes.items() if 2 * n >= sampled]
    if not shared:
        return None
    _, prefix, count = max(shared)
    return prefix, count, sampled


def _base_of(class_namespace: str, base: str) -> str | None:
    """The base a class namespace belongs to, when it is our ontology's under another base
    (``http://example.org/ontology#`` → ``http://example.org/``)."""
    ours = str(ontology_namespace(base))
    suffix = ours[len(base):]  # "ontology#"
    if class_namespace.endswith(suffix) and class_namespace != ours:
        return class_namespace[:-len(suffix)]
    return None
