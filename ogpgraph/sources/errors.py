"""Errors raised by readers: one line naming the file, where in it, and why."""

from __future__ import annotations


class SourceError(Exception):
    def __init__(
        self, path: str, reason: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __reduce__(self) -> tuple:
        # keyword-only fields survive the trip back from a worker process
        return (_rebuild, (self.path, self.reason, self.line, self.field))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": field '{self.field}'"
        return f"{where}: {self.reason}"


def _rebuild(path: str, reason: str, line: int | None, field: str | None) -> SourceError:
    return SourceError(path, reason, line=line, field=field)
