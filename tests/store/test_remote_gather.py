"""RemoteStore.gather: a page's independent queries wait on their round trips together."""

from __future__ import annotations

import threading

import pytest

from ogpgraph.store.engines import parse_store_url
from ogpgraph.store.remote_store import RemoteStore


@pytest.fixture
def store() -> RemoteStore:
    opened = RemoteStore(parse_store_url("http://127.0.0.1:9/sparql"), timeout=2.0)
    yield opened
    opened.close()


def test_gather_runs_the_calls_at_once_and_keeps_their_order(store: RemoteStore) -> None:
    # each call waits for the other three: in turn, the first would never get past
    barrier = threading.Barrier(4, timeout=30)

    def call(n: int):
        return lambda: (barrier.wait(), n)[1]

    assert store.gather([call(n) for n in range(4)]) == [0, 1, 2, 3]


def test_gather_raises_a_call_s_error(store: RemoteStore) -> None:
    def failing() -> None:
        raise ValueError("the engine refused")

    with pytest.raises(ValueError, match="refused"):
        store.gather([lambda: 1, failing])


def test_gather_runs_the_first_call_on_the_calling_thread(store: RemoteStore) -> None:
    """The caller would only wait: it runs the first call itself (one thread woken fewer)."""
    def where() -> threading.Thread:
        return threading.current_thread()

    first, second, third = store.gather([where, where, where])
    assert first is threading.current_thread()
    assert second is not first and third is not first


def test_a_failing_first_call_is_raised(store: RemoteStore) -> None:
    def failing() -> None:
        raise ValueError("the engine refused")

    with pytest.raises(ValueError, match="refused"):
        store.gather([failing, lambda: 2])
