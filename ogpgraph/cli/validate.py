"""``ogpgraph validate``: the shapes applied to a build folder or an RDF file.

Both run the shapes compiled to SPARQL (``ogpgraph.validation``) on an Oxigraph store: a
build's own store, or a store holding the file beside the ontology and vocabularies. Each
named graph is validated on its own; triples outside any named graph form one graph.

Every shape reports how many focus nodes its targets selected. A run in which no shape
selected any node proves nothing (data minted under another base URI, say): it is refused
with exit code 2, naming the namespace the shapes look for and the one the data uses.
Exit codes: 0 conforms, 1 violations, 2 no verdict (unreadable input, nothing checked).
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer

from ogpgraph.cli.console import err, fail
from ogpgraph.config import Settings
from ogpgraph.graph.formats import RDF_FORMATS, Format, format_of_suffix
from ogpgraph.graph.static_files import load_support_graphs
from ogpgraph.graph.terms import ontology_namespace
from ogpgraph.release.layout import BuildLayout
from ogpgraph.validation.outcome import ValidationOutcome
from ogpgraph.validation.run import SUPPORT_GRAPHS, validate_store

NO_VERDICT = 2  # the exit code when validation could not say whether the data conforms
GZIP_SUFFIX = ".gz"
SUBJECT_SAMPLE = 10_000  # subjects read to tell where most of them are
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class ValidationInputError(Exception):
    """Validation could not run, or ran without checking anything: one line per problem."""

    def __init__(self, *lines: str) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(lines))


def validate(
    path: Annotated[Path | None, typer.Argument(
        help="A build folder or an RDF file (.ttl, .nt, .nq, .trig, .jsonld, .rdf, each also "
             "gzipped, as the release's dumps); default: last build")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or ttl")] = "text",
    base: Annotated[str | None, typer.Option(
        "--base", help="The base URI the data was built under (default: OGPGRAPH_BASE_URI)"
    )] = None,
) -> None:
    """Validate a build or an RDF file against the shapes; exit 1 on violations, 2 when
    nothing could be checked."""
    settings = Settings.from_env()
    base_uri = (base if base.endswith("/") else f"{base}/") if base else settings.base_uri
    try:
        outcome = validate_path(path or settings.build_dir, base_uri)
    except ValidationInputError as error:
        fail(error.lines, "validation could not run: no verdict", NO_VERDICT)
    if fmt == "ttl":
        sys.stdout.write(outcome.report_graph.serialize(format="turtle"))
        err.print(outcome.coverage_table(), highlight=False, soft_wrap=True)
    else:
        sys.stdout.write(f"{outcome.report_text()}\n\nFocus nodes checked, per shape:\n"
                         f"{outcome.coverage_table()}\n")
    raise typer.Exit(0 if outcome.conforms else 1)


def validate_path(path: Path, base: str) -> ValidationOutcome:
    """The outcome, with the focus nodes of every shape counted; ValidationInputError when
    the input cannot be read or when no shape found a single focus node in it."""
    store = _store_of_path(path, base)
    outcome = validate_store(store, base, coverage=True)
    if not outcome.focus_nodes:
        raise ValidationInputError(*nothing_checked(store, outcome, path, base))
    return outcome


def _store_of_path(path: Path, base: str) -> ox.Store:
    if path.is_dir():
        for layout in (BuildLayout.current(path), BuildLayout(path)):
            if layout.exists():
                return ox.Store.read_only(str(layout.store_dir))
        raise ValidationInputError(f"{path}: not a build folder (no build.json)")
    return store_of_file(path, base)


def rdf_format_of(path: Path) -> tuple[Format, bool] | None:
    """The RDF format of a file by its suffix, and whether it is gzipped (``.nq.gz``): every
    RDF format of the formats table, as is or gzipped, so every dump the release publishes."""
    gzipped = path.suffix.lower() == GZIP_SUFFIX
    fmt = format_of_suffix((path.with_suffix("") if gzipped else path).suffix)
    return (fmt, gzipped) if fmt is not None else None


def store_of_file(path: Path, base: str) -> ox.Store:
    found = rdf_format_of(path)
    if found is None or not path.is_file():
        suffixes = ", ".join(f".{f.extension}" for f in RDF_FORMATS)
        raise ValidationInputError(f"{path}: not an RDF file ({suffixes}, each also gzipped "
                                   f"as {GZIP_SUFFIX}) or a build folder")
    fmt, gzipped = found
    assert isinstance(fmt.oxigraph, ox.RdfFormat)
    store = ox.Store()
    datasets = fmt.oxigraph.supports_datasets
    target = None if datasets else ox.NamedNode(f"{base}graph/input")
    try:
        if gzipped:
            with gzip.open(path, "rb") as stream:
                store.load(input=stream, format=fmt.oxigraph, to_graph=target)
        else:
            store.load(path=str(path), format=fmt.oxigraph, to_graph=target)
    except (SyntaxError, ValueError, OSError, EOFError) as error:
        kind = f"gzipped {fmt.label}" if gzipped else fmt.label
        raise ValidationInputError(f"{path}: cannot parse as {kind}: {error}") from error
    if target is None:  # a dataset's default graph is validated as one more graph
        default = ox.NamedNode(f"{base}graph/input-default")
        store.extend(ox.Quad(q.subject, q.predicate, q.object, default)
                     for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if len(store) == 0:
        raise ValidationInputError(f"{path}: no triples to validate")
    load_support_graphs(store, base)
    return store


# --- why nothing was checked: the namespaces of the targets and of the data ---------------


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
