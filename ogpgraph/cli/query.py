"""``ogpgraph query``: a SPARQL query on the last build, as a table or in a format."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.table import Table

from ogpgraph.cli.console import fail, out
from ogpgraph.config import Settings
from ogpgraph.graph.formats import (
    GRAPH_RESULT_FORMATS,
    SOLUTION_FORMATS,
    TURTLE,
    UnknownFormat,
    format_named,
)
from ogpgraph.release.layout import BuildLayout
from ogpgraph.store.oxigraph_store import OxigraphStore

FORMAT_HELP = "table, " + ", ".join(f.key for f in (*SOLUTION_FORMATS, *GRAPH_RESULT_FORMATS))


class QueryInputError(Exception):
    pass


def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @file.rq")],
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
) -> None:
    """Run a SPARQL query on the last build (default graph = union of all graphs)."""
    settings = Settings.from_env()
    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    try:
        run_query(text, settings, fmt)
    except QueryInputError as error:
        fail([str(error)], "query failed")


def run_query(text: str, settings: Settings, fmt: str) -> None:
    layout = BuildLayout.current(settings.build_dir)
    if not layout.exists():
        raise QueryInputError(f"no build in {settings.build_dir}; run `ogpgraph build` first")
    union_stored = layout.manifest().get("store_default_graph") == "union"
    store = OxigraphStore.open_read_only(layout.store_dir, union_materialised=union_stored)
    try:
        result = store.query(text)
    except SyntaxError as error:
        raise QueryInputError(f"query syntax error: {error}") from error
    if isinstance(result, ox.QueryBoolean):
        out.print("true" if bool(result) else "false")
    elif isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            print_table(result)
        else:
            chosen = _named(fmt, SOLUTION_FORMATS, "SELECT results")
            sys.stdout.buffer.write(result.serialize(format=chosen.oxigraph))
    else:
        chosen = TURTLE if fmt == "table" else _named(fmt, GRAPH_RESULT_FORMATS, "graph results")
        sys.stdout.buffer.write(result.serialize(format=chosen.oxigraph))


def _named(fmt: str, among: tuple, what: str):  # noqa: ANN202 - a Format
    try:
        return format_named(fmt, among)
    except UnknownFormat:
        raise QueryInputError(f"format {fmt!r} is not one for {what}; use one of "
                              f"{', '.join(f.key for f in among)}") from None


def print_table(result: ox.QuerySolutions) -> None:
    names = [v.value for v in result.variables]
    table = Table(*names)
    for row in result:
        table.add_row(*[str(row[n].value) if row[n] is not None else "" for n in names])
    out.print(table)
