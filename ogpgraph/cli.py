"""The command line: a thin face over the build, validation, store and web functions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ogpgraph.settings import Settings
from ogpgraph.sources.harvest.command import harvest_command

app = typer.Typer(help="ogpgraph: the linked-data publisher for OGP commitments.",
                  no_args_is_help=True, add_completion=False)
err = Console(stderr=True)
out = Console()


class RichProgress:
    """Adapts the build's step/advance calls to a rich progress display."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: int | None = None

    def step(self, description: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[self.task].total)
        self.task = self.progress.add_task(description, total=max(total, 1))

    def advance(self) -> None:
        if self.task is not None:
            self.progress.advance(self.task)


def fail(messages: list[str], summary: str) -> None:
    for message in messages:
        err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    err.print(f"[bold red]{summary}[/bold red]")
    raise typer.Exit(1)


@app.command()
def build(
    source: Annotated[list[Path] | None, typer.Option(
        "--source", "-s", help="Extra source file or folder (repeatable).")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output folder.")] = None,
    no_default: Annotated[bool, typer.Option(
        "--no-default", help="Do not read the default data/ folder.")] = False,
) -> None:
    """Read the sources, validate, and publish the store and dumps atomically."""
    from ogpgraph.build import BuildFailed, run_build

    settings = Settings.from_env()
    paths = ([] if no_default else [settings.data_dir]) + list(source or [])
    target = out_dir or settings.build_dir
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    try:
        with Progress(*columns, console=err, transient=False) as progress:
            result = run_build(paths, target, settings.base_uri, RichProgress(progress))
    except BuildFailed as failure:
        fail(failure.errors, f"build failed: {len(failure.errors)} error(s); "
                             f"nothing was published, the previous build (if any) is untouched")
    for path, why in result.skipped:
        err.print(f"[dim]skipped {path}: {why}[/dim]", highlight=False)
    for warning in result.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    manifest = result.manifest
    table = Table(title="ogpgraph build", show_header=False)
    for name, value in manifest["counts"].items():
        table.add_row(name.replace("_", " "), f"{value:,}")
    table.add_row("triples", f"{manifest['triples']:,}")
    table.add_row("quads (with provenance graphs)", f"{manifest['quads']:,}")
    table.add_row("sources", str(len(manifest["sources"])))
    table.add_row("warnings", str(len(result.warnings)))
    table.add_row("SHACL violations", "0")
    table.add_row("published", str(target / "current"))
    out.print(table)


@app.command()
def parse(files: Annotated[list[Path], typer.Argument(help="Source files to read.")]) -> None:
    """Print the RDF (Turtle) of the given source files."""
    from rdflib import Graph

    from ogpgraph.build import NullProgress, build_time, map_all, read_all
    from ogpgraph.rdf.terms import prefixes_for

    settings = Settings.from_env()
    records, errors, skipped = read_all(files, NullProgress())
    if errors:
        fail(errors, "parse failed")
    graphs = map_all(records, settings.base_uri, build_time())
    union = Graph()
    for name, namespace in prefixes_for(settings.base_uri).items():
        union.bind(name, namespace)
    for _, graph in graphs:
        union += graph
    sys.stdout.write(union.serialize(format="turtle"))


@app.command()
def validate(
    path: Annotated[Path | None, typer.Argument(
        help="A build folder or an RDF file (.ttl, .nt, .nq, .trig); default: last build")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or ttl")] = "text",
) -> None:
    """Validate a build or an RDF file against the shapes; exit 1 on violations."""
    from ogpgraph.validate_command import ValidationInputError, validate_path

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


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the last build: SPARQL endpoint, linked data, dumps."""
    import uvicorn

    from ogpgraph.web.app import create_app

    settings = Settings.from_env()
    try:
        application = create_app(settings)
    except FileNotFoundError as error:
        fail([str(error)], "nothing to serve")
    err.print(f"serving {settings.build_dir / 'current'} at http://{host}:{port}/ "
              f"(IRIs under {settings.base_uri})")
    uvicorn.run(application, host=host, port=port, log_level="info")


DUMP_FORMATS = {"ttl": "ogpgraph.ttl", "nt.gz": "ogpgraph.nt.gz", "nq.gz": "ogpgraph.nq.gz",
                "trig": "ogpgraph.trig", "jsonld": "ogpgraph.jsonld"}


@app.command()
def dump(
    fmt: Annotated[str, typer.Option("--format", help=", ".join(DUMP_FORMATS))] = "ttl",
    output: Annotated[Path | None, typer.Option("--out", help="File (default: stdout)")] = None,
) -> None:
    """Write a dump of the last build (made by `build`) to a file or stdout."""
    from ogpgraph.build_layout import BuildLayout

    settings = Settings.from_env()
    if fmt not in DUMP_FORMATS:
        fail([f"unknown format {fmt!r}; choose one of {', '.join(DUMP_FORMATS)}"], "no dump")
    layout = BuildLayout.current(settings.build_dir)
    if not layout.exists():
        fail([f"no build in {settings.build_dir}; run `ogpgraph build` first"], "no dump")
    source = layout.dumps_dir / DUMP_FORMATS[fmt]
    with source.open("rb") as stream:
        target = output.open("wb") if output else sys.stdout.buffer
        for block in iter(lambda: stream.read(1 << 20), b""):
            target.write(block)
        if output:
            target.close()


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL query, or @file.rq")],
    fmt: Annotated[str, typer.Option(
        "--format", help="table, json, xml, csv, tsv, ttl, nt")] = "table",
) -> None:
    """Run a SPARQL query on the last build (default graph = union of all graphs)."""
    from ogpgraph.query_command import QueryInputError, run_query

    settings = Settings.from_env()
    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    try:
        run_query(text, settings, fmt, out)
    except QueryInputError as error:
        fail([str(error)], "query failed")


app.command("harvest")(harvest_command)

if __name__ == "__main__":  # pragma: no cover
    app()
