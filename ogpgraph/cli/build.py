"""``ogpgraph build``: read the sources, validate, publish a release atomically."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from ogpgraph.cli.console import PROGRESS_COLUMNS, RichProgress, err, fail, out
from ogpgraph.config import Settings

SUMMARY_KINDS = 10  # kinds of warning --summary prints; the rest are counted


def print_warning_summary(warnings: list[str], report: Path) -> None:
    """The most frequent kinds of warning, one line each with how often it was given, then
    a count of the rest and where every warning is listed (the release's build.json)."""
    # "{file}: {focus}: {message}": a kind is the message
    kinds = Counter(warning.rsplit(": ", 1)[-1] for warning in warnings).most_common()
    for message, times in kinds[:SUMMARY_KINDS]:
        err.print(f"[yellow]warning:[/yellow] {times} × {message}", highlight=False,
                  soft_wrap=True)
    rest = kinds[SUMMARY_KINDS:]
    if rest:
        err.print(f"[yellow]warning:[/yellow] {sum(n for _, n in rest)} more, of "
                  f"{len(rest)} other kinds", highlight=False, soft_wrap=True)
    if warnings:
        err.print(f"[dim]every warning, with its file and line: {report} (\"warnings\")[/dim]",
                  highlight=False, soft_wrap=True)


def build(
    source: Annotated[list[Path] | None, typer.Option(
        "--source", "-s", help="Extra source file or folder (repeatable).")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output folder.")] = None,
    no_default: Annotated[bool, typer.Option(
        "--no-default", help="Do not read the default data/ folder.")] = False,
    store: Annotated[str | None, typer.Option(
        "--store", help="After a successful build, load it into this SPARQL engine "
        "(as `ogpgraph publish --store`).")] = None,
    summary: Annotated[bool, typer.Option(
        "--summary", help="Count the warnings by kind instead of listing each.")] = False,
    full: Annotated[bool, typer.Option(
        "--full", help="Rebuild everything, reusing nothing of the previous release "
        "(by default unchanged sources are reused from it).")] = False,
) -> None:
    """Read the sources, validate, and publish the store and dumps atomically (reusing,
    from the previous release, what the sources' changes did not touch)."""
    from ogpgraph.release.pipeline import BuildFailed, run_build

    settings = Settings.from_env()
    paths = ([] if no_default else [settings.data_dir]) + list(source or [])
    target = out_dir or settings.build_dir
    try:
        with Progress(*PROGRESS_COLUMNS, console=err, transient=False) as progress:
            result = run_build(paths, target, settings.base_uri, RichProgress(progress),
                               full=full)
    except BuildFailed as failure:
        fail(failure.errors, f"build failed: {len(failure.errors)} error(s); "
                             f"nothing was published, the previous build (if any) is untouched")
    for path, why in result.skipped:
        err.print(f"[dim]skipped {path}: {why}[/dim]", highlight=False, soft_wrap=True)
    for note in result.notes:
        err.print(f"[dim]{note}[/dim]", highlight=False, soft_wrap=True)
    if summary:
        print_warning_summary(result.warnings, target / "current" / "build.json")
    else:
        for warning in result.warnings:
            err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    manifest = result.manifest
    table = Table(title="ogpgraph build", show_header=False)
    for name, value in manifest["counts"].items():
        table.add_row(name.replace("_", " "), f"{value:,}")
    table.add_row("triples", f"{manifest['triples']:,}")
    table.add_row("quads (with provenance graphs)", f"{manifest['quads']:,}")
    table.add_row("sources", str(len(manifest["sources"])))
    reuse = result.reuse
    table.add_row("sources reused from the previous release",
                  f"{reuse.get('sources_reused', 0)} of {reuse.get('sources', 0)} (parts mapped "
                  f"anew: {reuse.get('parts_mapped', 0)}, reused: {reuse.get('parts_reused', 0)})")
    table.add_row("warnings", str(len(result.warnings)))
    table.add_row("SHACL violations", "0")
    table.add_row("published", str(target / "current"))
    out.print(table)
    if store:
        from ogpgraph.cli.publish import publish_release

        publish_release(target, store)
