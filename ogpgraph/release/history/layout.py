"""Where a release keeps its history:

    {release}/history/history.sqlite   releases, changes, property changes, each change's
                                       state (the event stream's versions), the digests
    {release}/history/history.nq.gz    the RDF of every change (graph {base}graph/history)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HISTORY_FOLDER = "history"


@dataclass(frozen=True)
class HistoryLayout:
    release: Path  # a release folder

    @property
    def folder(self) -> Path:
        return self.release / HISTORY_FOLDER

    @property
    def database(self) -> Path:
        return self.folder / "history.sqlite"

    @property
    def quads(self) -> Path:
        return self.folder / "history.nq.gz"

    def exists(self) -> bool:
        return self.database.is_file() and self.quads.is_file()

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.database, self.quads)
