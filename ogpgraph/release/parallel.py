"""Ordered, memory-bounded fan-out of CPU-bound work to forked worker processes."""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def build_workers() -> int:
    """OGPGRAPH_BUILD_WORKERS, or one per CPU; 1 means no worker processes at all."""
    configured = os.environ.get("OGPGRAPH_BUILD_WORKERS")
    return max(1, int(configured)) if configured else max(1, os.cpu_count() or 1)


def ordered_map(function: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[R]:
    """``map(function, items)`` in worker processes, results in input order, with at most
    ``2 * workers`` items in flight so a large input is never all in memory. ``function``
    must be a module-level function (it is pickled by reference)."""
    iterator = iter(items)
    head = list(itertools.islice(iterator, 2))
    if workers <= 1 or len(head) < 2:  # one item: not worth a process
        yield from map(function, itertools.chain(head, iterator))
        return
    iterator = itertools.chain(head, iterator)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[R]] = deque()
        for item in iterator:
            pending.append(pool.submit(function, item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
