"""`ogpgraph query`: a SPARQL query on the last build, printed as a table or a format."""

from __future__ import annotations

import sys

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from ogpgraph.config import Settings
from ogpgraph.release.layout import BuildLayout
from ogpgraph.store.oxigraph_store import OxigraphStore

RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "table": ox.RdfFormat.TURTLE}


class QueryInputError(Exception):
    pass


def run_query(text: str, settings: Settings, fmt: str, console: Console) -> None:
    layout = BuildLayout.current(settings.build_dir)
    if not layout.exists():
        raise QueryInputError(f"no build in {settings.build_dir}; run `ogpgraph build` first")
    # the union stored as the default graph (each fact once), else taken on the fly
    union_stored = layout.manifest().get("store_default_graph") == "union"
    store = OxigraphStore.open_read_only(layout.store_dir, union_materialised=union_stored)
    try:
        result = store.query(text)
    except SyntaxError as error:
        raise QueryInputError(f"query syntax error: {error}") from error
    if isinstance(result, ox.QueryBoolean):
        console.print("true" if bool(result) else "false")
    elif isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            table = Table(*[v.value for v in result.variables])
            names = [v.value for v in result.variables]
            for row in result:
                table.add_row(*[str(row[n].value) if row[n] is not None else "" for n in names])
            console.print(table)
        elif fmt in RESULT_FORMATS:
            sys.stdout.buffer.write(result.serialize(format=RESULT_FORMATS[fmt]))
        else:
            raise QueryInputError(f"format {fmt!r} is not one for SELECT results")
    else:
        if fmt not in GRAPH_FORMATS:
            raise QueryInputError(f"format {fmt!r} is not one for graph results")
        sys.stdout.buffer.write(result.serialize(format=GRAPH_FORMATS[fmt]))
