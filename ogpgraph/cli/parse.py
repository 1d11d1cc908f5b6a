"""``ogpgraph parse``: the RDF of some source files, without building a release."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ogpgraph.cli.console import fail
from ogpgraph.config import Settings


def parse(files: Annotated[list[Path], typer.Argument(help="Source files to read.")]) -> None:
    """Print the RDF (Turtle) of the given source files."""
    from rdflib import Graph

    from ogpgraph.graph.terms import prefixes_for
    from ogpgraph.release.pipeline import NullProgress, build_time, map_all, read_all

    settings = Settings.from_env()
    records, errors, _skipped = read_all(files, NullProgress())
    if errors:
        fail(errors, "parse failed")
    graphs = map_all(records, settings.base_uri, build_time())
    union = Graph()
    for name, namespace in prefixes_for(settings.base_uri).items():
        union.bind(name, namespace)
    for _, graph in graphs:
        union += graph
    sys.stdout.write(union.serialize(format="turtle"))
