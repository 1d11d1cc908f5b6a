"""``ogpgraph harvest``: the command line face of the harvester (sources/harvest/crawl.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


class RichHarvestProgress:
    """One bar whose total grows as the listings reveal more pages."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID = progress.add_task("harvesting", total=0)
        self.total = 0

    def expect(self, count: int) -> None:
        self.total += count
        self.progress.update(self.task, total=self.total)

    def advance(self, url: str) -> None:
        self.progress.update(self.task, advance=1, description=_short(url))


def _short(url: str, width: int = 60) -> str:
    return url if len(url) <= width else "…" + url[-(width - 1):]


def harvest_command(
    out: Annotated[Path, typer.Option("--out", help="Folder to harvest into (build reads it "
                                                    "with --source).")],
    member: Annotated[list[str] | None, typer.Option(
        "--member", "-m", help="Only this member's pages, by its slug as in OGP's URLs "
                               "(peru, united-kingdom); repeatable. Default: all members.")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="Site to harvest (env OGPGRAPH_HARVEST_BASE_URL).")] = None,
    export_url: Annotated[str | None, typer.Option(
        "--export-url", help="Commitments export (CSV URL); empty: none "
                             "(env OGPGRAPH_HARVEST_EXPORT_URL).")] = None,
    rate: Annotated[float | None, typer.Option(
        "--rate", help="Requests per second at most (env OGPGRAPH_HARVEST_RATE, 1).")] = None,
    contact_url: Annotated[str | None, typer.Option(
        "--contact-url", help="Where the site's operators can reach you, sent in the "
                              "User-Agent (env OGPGRAPH_HARVEST_CONTACT_URL).")] = None,
    fresh: Annotated[bool, typer.Option(
        "--fresh", help="Do not resume an interrupted run: check every URL again.")] = False,
) -> None:
    """Fetch OGP's commitments export and commitment pages into a folder for `build`:
    politely (robots.txt, rate limit), incrementally (conditional requests) and resumably."""
    from ogpgraph.sources.harvest.crawl import Harvester
    from ogpgraph.sources.harvest.settings import HarvestSettings

    err = Console(stderr=True)
    try:
        settings = HarvestSettings.from_env().with_options(
            base_url=base_url, export_url=export_url, rate=rate, contact_url=contact_url)
    except ValueError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from error
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        harvester = Harvester(out, settings, fresh=fresh, progress=RichHarvestProgress(progress))
        try:
            harvester.run(member or [])
        except KeyboardInterrupt:
            pass  # the summary says so; the cache lets the next run resume
    summary = harvester.summary
    for line in summary.lines():
        style = "red" if line.startswith("failed") else "yellow" if line.startswith(
            ("skipped", "note", "harvest interrupted")) else None
        err.print(line, style=style, highlight=False, soft_wrap=True)
    if summary.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if summary.failed:
        raise typer.Exit(EXIT_FAILED)
