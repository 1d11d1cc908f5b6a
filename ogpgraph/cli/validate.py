"""``ogpgraph validate``: the shapes applied to a build folder or an RDF file.

Both run the shapes compiled to SPARQL (``ogpgraph.validation``) on an Oxigraph store: a
build's own store, or a store holding the file beside the ontology and vocabularies. Each
named graph is validated on its own; triples outside any named graph form one graph.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer

from ogpgraph.cli.console import fail
from ogpgraph.config import Settings
from ogpgraph.graph.formats import RDF_FORMATS, format_of_suffix
from ogpgraph.graph.static_files import load_support_graphs
from ogpgraph.release.layout import BuildLayout
from ogpgraph.validation.outcome import ValidationOutcome
from ogpgraph.validation.run import validate_store


class ValidationInputError(Exception):
    pass


def validate(
    path: Annotated[Path | None, typer.Argument(
        help="A build folder or an RDF file (.ttl, .nt, .nq, .trig); default: last build")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or ttl")] = "text",
) -> None:
    """Validate a build or an RDF file against the shapes; exit 1 on violations."""
    settings = Settings.from_env()
    try:
        outcome = validate_path(path or settings.build_dir, settings.base_uri)
    except ValidationInputError as error:
        fail([str(error)], "validation could not run")
    if fmt == "ttl":
        sys.stdout.write(outcome.report_graph.serialize(format="turtle"))
    else:
        sys.stdout.write(outcome.report_text() + "\n")
    raise typer.Exit(0 if outcome.conforms else 1)


def validate_path(path: Path, base: str) -> ValidationOutcome:
    if path.is_dir():
        for layout in (BuildLayout.current(path), BuildLayout(path)):
            if layout.exists():
                return validate_store(ox.Store.read_only(str(layout.store_dir)), base)
        raise ValidationInputError(f"{path}: not a build folder (no build.json)")
    return validate_store(store_of_file(path, base), base)


def store_of_file(path: Path, base: str) -> ox.Store:
    fmt = format_of_suffix(path.suffix)
    if fmt is None or not path.is_file():
        suffixes = ", ".join(f".{f.extension}" for f in RDF_FORMATS)
        raise ValidationInputError(f"{path}: not an RDF file ({suffixes}) or a build folder")
    assert isinstance(fmt.oxigraph, ox.RdfFormat)
    store = ox.Store()
    datasets = fmt.oxigraph.supports_datasets
    target = None if datasets else ox.NamedNode(f"{base}graph/input")
    try:
        store.load(path=str(path), format=fmt.oxigraph, to_graph=target)
    except (SyntaxError, ValueError, OSError) as error:
        raise ValidationInputError(f"{path}: cannot parse as {fmt.label}: {error}") from error
    if target is None:  # a dataset's default graph is validated as one more graph
        default = ox.NamedNode(f"{base}graph/input-default")
        store.extend(ox.Quad(q.subject, q.predicate, q.object, default)
                     for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if len(store) == 0:
        raise ValidationInputError(f"{path}: no triples to validate")
    load_support_graphs(store, base)
    return store
