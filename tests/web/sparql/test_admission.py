"""Runaway queries cannot starve the endpoint (issue 15, item 5).

Reproduction: clients looping queries that run to the deadline held every worker; a cheap
query waited for one (4.6 s p50), and a query that queued then ran the whole timeout again
(twice the timeout in all). Now: the deadline counts from arrival, the pool grows so that a
cheap query gets a worker (and a CPU share) of its own, long queries lose CPU priority, each
client has a cap, and a full queue is answered at once. Every check here is an order of
events or an answer, never a duration.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time

import httpx
import pytest
from processes import wait_until
from sparql_fixture import CARTESIAN, fixture_app, fixture_published

from ogpgraph.store.admission import ClientLimiter, client_address, trusted_networks
from ogpgraph.store.executor import WorkerPoolExecutor
from ogpgraph.store.query_jobs import QueryJob
from ogpgraph.store.worker_pool import DEMOTE_BY
from ogpgraph.store.worker_process import WORKER_NICE
from ogpgraph.web.sparql.endpoint import close_executor

CHEAP = "ASK { ?s ?p ?o }"


def pool(**limits: object) -> WorkerPoolExecutor:
    return WorkerPoolExecutor(fixture_published().store, **limits)  # type: ignore[arg-type]


def test_a_cheap_query_gets_a_worker_while_runaways_hold_the_others() -> None:
    executor = pool(workers=1, max_workers=3, timeout=30)

    async def scenario() -> tuple[str, bool]:
        runaways = [asyncio.ensure_future(executor.run(QueryJob(query=CARTESIAN)))
                    for _ in range(2)]
        await asyncio.sleep(0)
        cheap = await executor.run(QueryJob(query=CHEAP))
        still_running = not any(task.done() for task in runaways)
        for task in runaways:
            task.cancel()
        await asyncio.gather(*runaways, return_exceptions=True)
        return cheap.kind, still_running

    try:
        kind, runaways_still_running = asyncio.run(scenario())
    finally:
        executor.close()
    assert kind == "ok"
    assert runaways_still_running  # it did not wait for one of them to end


def test_the_deadline_counts_from_arrival() -> None:
    """A query that arrived ``timeout - 0.5`` s ago gets what is left of its time: it gives
    up waiting for the only worker while the runaway there still runs."""
    executor = pool(workers=1, max_workers=1, timeout=20)

    async def scenario() -> tuple[str, str, bool]:
        runaway = asyncio.ensure_future(executor.run(QueryJob(query=CARTESIAN)))
        await asyncio.sleep(0)
        late = await executor.run(QueryJob(query=CHEAP, arrived=time.monotonic() - 19.5))
        running = not runaway.done()
        runaway.cancel()
        await asyncio.gather(runaway, return_exceptions=True)
        return late.kind, late.message, running

    try:
        kind, message, runaway_running = asyncio.run(scenario())
    finally:
        executor.close()
    assert kind == "timeout" and "counted from the request's arrival" in message
    assert runaway_running


def test_a_full_queue_is_answered_503_at_once(caplog) -> None:
    app = fixture_app(query_workers=1, query_max_workers=1, query_queue=1,
                      query_per_client=0, query_timeout=20)

    async def scenario() -> tuple[httpx.Response, bool]:
        transport = httpx.ASGITransport(app=app, client=("10.0.0.7", 1000))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            running = asyncio.ensure_future(client.get("/sparql", params={"query": CARTESIAN}))
            await asyncio.sleep(0.2)
            queued = asyncio.ensure_future(client.get("/sparql", params={"query": CHEAP}))
            await asyncio.sleep(0.2)
            refused = await client.get("/sparql", params={"query": CHEAP})
            others_pending = not running.done() and not queued.done()
            for task in (running, queued):
                task.cancel()
            await asyncio.gather(running, queued, return_exceptions=True)
            return refused, others_pending

    try:
        refused, others_pending = asyncio.run(scenario())
    finally:
        close_executor(app)
    assert refused.status_code == 503 and refused.headers["retry-after"]
    assert "OGPGRAPH_QUERY_QUEUE" in refused.text
    assert others_pending  # answered without waiting for a worker
    assert any("10.0.0.7" in r.getMessage() and "queue is full" in r.getMessage()
               for r in caplog.records)


async def _two_clients(app, first: tuple[str, dict], second: tuple[str, dict]
                       ) -> tuple[httpx.Response, bool]:
    """A runaway query as ``first`` (peer, headers), then a cheap one as ``second``: the
    second's answer, and whether the runaway was still running then."""
    (peer_a, headers_a), (peer_b, headers_b) = first, second
    a = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(peer_a, 1)),
                          base_url="http://test")
    b = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(peer_b, 2)),
                          base_url="http://test")
    async with a, b:
        runaway = asyncio.ensure_future(a.get("/sparql", params={"query": CARTESIAN},
                                              headers=headers_a))
        await asyncio.sleep(0.2)
        answer = await b.get("/sparql", params={"query": CHEAP}, headers=headers_b)
        running = not runaway.done()
        runaway.cancel()
        await asyncio.gather(runaway, return_exceptions=True)
    return answer, running


@pytest.fixture()
def capped_app():
    app = fixture_app(query_workers=2, query_per_client=1, query_timeout=20,
                      trusted_proxies=("10.0.0.9",))
    yield app
    close_executor(app)


def test_a_client_over_its_cap_is_refused_429_and_logged(capped_app, caplog) -> None:
    same, running = asyncio.run(_two_clients(capped_app, ("10.0.0.1", {}), ("10.0.0.1", {})))
    assert running
    assert same.status_code == 429 and same.headers["retry-after"]
    assert "OGPGRAPH_QUERY_PER_CLIENT" in same.text
    assert any("client 10.0.0.1 refused" in r.getMessage() for r in caplog.records)
    other, _ = asyncio.run(_two_clients(capped_app, ("10.0.0.1", {}), ("10.0.0.2", {})))
    assert other.status_code == 200 and json.loads(other.text)["boolean"] is True


def test_forwarded_for_is_believed_from_a_trusted_proxy_only(capped_app) -> None:
    proxy, stranger = "10.0.0.9", "10.0.0.5"
    behind_proxy, _ = asyncio.run(_two_clients(
        capped_app, (proxy, {"X-Forwarded-For": "1.1.1.1"}),
        (proxy, {"X-Forwarded-For": "2.2.2.2"})))
    assert behind_proxy.status_code == 200  # two clients behind one proxy
    spoofed, _ = asyncio.run(_two_clients(
        capped_app, (stranger, {"X-Forwarded-For": "1.1.1.1"}),
        (stranger, {"X-Forwarded-For": "2.2.2.2"})))
    assert spoofed.status_code == 429  # one client, whatever it writes in the header


def test_client_address_takes_the_right_most_untrusted_hop() -> None:
    trusted = trusted_networks(["10.0.0.0/8", "::1"])
    assert client_address("10.1.1.1", ["6.6.6.6, 5.5.5.5, 10.2.2.2"], trusted) == "5.5.5.5"
    assert client_address("10.1.1.1", ["6.6.6.6", "5.5.5.5"], trusted) == "5.5.5.5"
    assert client_address("10.1.1.1", [], trusted) == "10.1.1.1"
    assert client_address("7.7.7.7", ["5.5.5.5"], trusted) == "7.7.7.7"
    assert client_address("::1", ["2001:db8::1"], trusted) == "2001:db8::1"
    with pytest.raises(ValueError, match="'nonsense'"):
        trusted_networks(["nonsense"])


def test_refusals_of_a_flooding_client_are_logged_once_per_interval(caplog) -> None:
    limiter = ClientLimiter(per_client=1)
    assert limiter.enter("9.9.9.9")
    caplog.set_level(logging.WARNING, logger="ogpgraph.sparql")
    assert not any(limiter.enter("9.9.9.9") for _ in range(50))
    lines = [r.getMessage() for r in caplog.records if "9.9.9.9" in r.getMessage()]
    assert len(lines) == 1
    limiter.leave("9.9.9.9")
    assert limiter.in_flight("9.9.9.9") == 0 and limiter.enter("9.9.9.9")


THREE_WAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~1 s


def test_a_long_query_loses_cpu_priority_and_its_worker_is_then_replaced(caplog) -> None:
    """A process cannot raise its own priority back: the demoted worker answers, then is
    replaced by a fresh one at the normal priority."""
    caplog.set_level(logging.INFO, logger="ogpgraph.sparql")
    executor = pool(workers=1, max_workers=1, timeout=30, demote_after=0.05)

    ours = os.getpriority(os.PRIO_PROCESS, 0)

    async def scenario() -> tuple[bool, str]:
        (pid,) = executor.pids
        # the worker lowers its own priority as it starts: wait for it, do not race it
        assert await asyncio.to_thread(wait_until, lambda: os.getpriority(
            os.PRIO_PROCESS, pid) == ours + WORKER_NICE)
        query = asyncio.ensure_future(executor.run(QueryJob(query=THREE_WAY)))
        demoted = await asyncio.to_thread(wait_until, lambda: os.getpriority(
            os.PRIO_PROCESS, pid) == ours + WORKER_NICE + DEMOTE_BY)
        return demoted, (await query).kind

    try:
        (pid,) = executor.pids
        demoted, kind = asyncio.run(scenario())
        assert demoted and kind == "ok"
        assert wait_until(lambda: len(executor.pids) == 1 and pid not in executor.pids)
        (fresh,) = executor.pids
        assert wait_until(lambda: os.getpriority(os.PRIO_PROCESS, fresh) == ours + WORKER_NICE)
        assert wait_until(lambda: any(f"query worker {pid} replaced after a long query"
                                      in r.getMessage() for r in caplog.records))
    finally:
        executor.close()
