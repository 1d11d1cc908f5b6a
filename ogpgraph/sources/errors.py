"""Errors raised by readers: one line naming the file, where in it, and why.

A reader collects every error of a file it can still read past (each bad field of a page,
of a CSV row, of every CSV row) and raises them together with :func:`raise_all`: one
:class:`SourceError`, or a :class:`SourceErrors` whose text is one such line per error.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn


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

    @property
    def errors(self) -> list[SourceError]:
        """The single errors this one stands for: itself."""
        return [self]


class SourceErrors(SourceError):
    """Several errors of one file, in the order of their lines; its text is one line each."""

    def __init__(self, errors: list[SourceError]) -> None:
        self._errors = [single for error in errors for single in error.errors]
        first = self._errors[0]
        super().__init__(first.path, first.reason, line=first.line, field=first.field)

    def __reduce__(self) -> tuple:
        return (SourceErrors, (self._errors,))

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self._errors)

    @property
    def errors(self) -> list[SourceError]:
        return list(self._errors)


def raise_all(errors: Iterable[SourceError]) -> None:
    """Raise the errors (sorted by line, file-level ones first) if there are any."""
    found = sorted((single for error in errors for single in error.errors),
                   key=lambda error: error.line or 0)
    if found:
        _raise(found)


def _raise(errors: list[SourceError]) -> NoReturn:
    raise errors[0] if len(errors) == 1 else SourceErrors(errors)


def _rebuild(path: str, reason: str, line: int | None, field: str | None) -> SourceError:
    return SourceError(path, reason, line=line, field=field)
