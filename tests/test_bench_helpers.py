"""The timing helpers the side-by-side benches share (bench/web_timing.py, bench/common.py):
what they keep and in what order they ask, never how long anything took."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def helpers():
    sys.path.insert(0, str(BENCH))  # bench/ is a folder of scripts, not a package
    try:
        import common
        import web_timing
        return common, web_timing
    finally:
        sys.path.remove(str(BENCH))


def test_interleaved_asks_alternate_and_drop_the_warm_up(helpers) -> None:
    _, web_timing = helpers
    asked: list[str] = []
    client = httpx.Client(transport=httpx.MockTransport(
        lambda request: (asked.append(request.url.path), httpx.Response(200))[1]))
    asks = {name: (lambda c, name=name: c.get(f"http://bench.test/{name}"))
            for name in ("a", "b", "c")}
    timings = web_timing.interleaved_ms(client, asks, rounds=2, warm_up=1)
    assert asked == ["/a", "/b", "/c", "/c", "/b", "/a", "/a", "/b", "/c"]
    assert {name: len(values) for name, values in timings.items()} == {"a": 2, "b": 2, "c": 2}


def test_a_failed_ask_stops_the_bench(helpers) -> None:
    _, web_timing = helpers
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(503)))
    with pytest.raises(RuntimeError, match="503"):
        web_timing.interleaved_ms(client, {"a": lambda c: c.get("http://bench.test/")}, 1)


def test_spread_and_its_cell(helpers) -> None:
    common, _ = helpers
    stats = common.spread([4.0, 1.0, 3.0, 2.0, 5.0])
    assert stats == {"p50": 3.0, "p25": 2.0, "p75": 4.0, "n": 5}
    assert common.spread_cell(stats) == "3.00 (2.00–4.00)"
