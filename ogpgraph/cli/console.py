"""What every command prints through: the consoles, failures, and the build's progress bars."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

err = Console(stderr=True)
out = Console()
PROGRESS_COLUMNS = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn())


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


def fail(messages: list[str], summary: str, code: int = 1) -> NoReturn:
    """Each message as one ``error:`` line, then the summary; exit ``code`` (no traceback)."""
    for message in messages:
        err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    err.print(f"[bold red]{summary}[/bold red]")
    raise typer.Exit(code)
