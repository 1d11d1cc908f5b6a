"""``ogpgraph dump``: one of the last build's dumps, to a file or stdout."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ogpgraph.cli.console import fail
from ogpgraph.config import Settings
from ogpgraph.release.layout import DUMPS, BuildLayout


def dump(
    fmt: Annotated[str, typer.Option(
        "--format", help=", ".join(d.name for d in DUMPS if d.whole_dataset))] = "ttl",
    output: Annotated[Path | None, typer.Option("--out", help="File (default: stdout)")] = None,
) -> None:
    """Write a dump of the last build (made by `build`) to a file or stdout."""
    settings = Settings.from_env()
    chosen = next((d for d in DUMPS if d.whole_dataset and d.name == fmt), None)
    if chosen is None:
        fail([f"unknown format {fmt!r}; choose one of "
              f"{', '.join(d.name for d in DUMPS if d.whole_dataset)}"], "no dump")
    layout = BuildLayout.current(settings.build_dir)
    if not layout.exists():
        fail([f"no build in {settings.build_dir}; run `ogpgraph build` first"], "no dump")
    with layout.dump_path(chosen).open("rb") as stream:
        target = output.open("wb") if output else sys.stdout.buffer
        for block in iter(lambda: stream.read(1 << 20), b""):
            target.write(block)
        if output:
            target.close()
