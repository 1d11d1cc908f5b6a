"""pyoxigraph's query results must be dropped on the thread that made them.

``QuerySolutions`` (and the other lazy results) are "unsendable" Rust objects: dropped on
another thread, pyo3 reports "PyQuerySolutions is unsendable, but is being dropped on
another thread" (an unraisable RuntimeError) and leaks the object. That happens when an
exception raised while reading one (an engine's answer cut short, an evaluation error)
leaves a worker thread: its traceback keeps the frames, and so the results, alive until
the thread that receives it lets go. ``dropped_here`` clears those frames' locals on the
thread that raised, so the results are dropped there.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def dropped_here(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` whose exceptions leave with the locals of their frames cleared (the
    frames stay, for the traceback's lines)."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except BaseException as error:
            traceback.clear_frames(error.__traceback__)
            raise

    return run
