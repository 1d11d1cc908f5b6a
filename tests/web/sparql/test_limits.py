"""Limits that are explicit: result size (header + notice), per-query timeout."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
from processes import is_gone, start_time, wait_until
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sparql_fixture import CARTESIAN, PREFIXES

from ogpgraph.web.sparql.endpoint import close_executor

ALL_TRIPLES = "SELECT * WHERE { ?s ?p ?o }"
CONSTRUCT_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"


def test_truncated_select(truncating_client):
    response = truncating_client.get("/sparql", params={"query": ALL_TRIPLES})
    assert response.status_code == 200
    assert response.headers["ogpgraph-results-truncated"] == "true"
    assert response.headers["ogpgraph-results-limit"] == "2"
    assert "truncated" in response.headers["warning"]
    assert len(json.loads(response.text)["results"]["bindings"]) == 2


def test_truncated_construct(truncating_client):
    response = truncating_client.get("/sparql", params={"query": CONSTRUCT_ALL, "format": "nt"})
    assert response.headers["ogpgraph-results-truncated"] == "true"
    assert len(response.text.strip().splitlines()) == 2


def test_truncation_notice_on_the_page(truncating_client):
    response = truncating_client.get("/sparql", params={"query": ALL_TRIPLES, "format": "html"})
    tree = HTMLParser(response.text)
    assert "truncated" in tree.css_first("#truncated").text().lower()
    assert len(tree.css("#results tbody tr")) == 2
    assert response.headers["ogpgraph-results-truncated"] == "true"


def test_no_truncation_at_the_limit(truncating_client):
    response = truncating_client.get("/sparql", params={
        "query": PREFIXES + "SELECT ?c WHERE { ?c dcterms:identifier 'PE0055' } LIMIT 2"})
    assert "ogpgraph-results-truncated" not in response.headers
    assert HTMLParser(truncating_client.get("/sparql", params={
        "query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2", "format": "html"}).text
    ).css_first("#truncated") is None


def test_timeout_while_the_server_keeps_answering(timeout_app):
    async def scenario() -> tuple[httpx.Response, httpx.Response, bool, httpx.Response]:
        transport = httpx.ASGITransport(app=timeout_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            slow = asyncio.create_task(client.get("/sparql", params={"query": CARTESIAN}))
            await asyncio.sleep(0)  # let the slow query take a worker first
            quick = await client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            slow_still_running = not slow.done()
            slow_response = await slow
            after = await client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            return quick, slow_response, slow_still_running, after

    quick, slow, slow_still_running, after = asyncio.run(scenario())
    assert quick.status_code == 200 and json.loads(quick.text)["boolean"] is True
    assert slow_still_running
    assert slow.status_code == 503
    assert "1 s limit" in slow.text and "OGPGRAPH_QUERY_TIMEOUT" in slow.text
    # the killed worker was replaced: the pool still answers
    assert after.status_code == 200 and json.loads(after.text)["boolean"] is True


def test_timed_out_worker_is_killed_and_replaced(timeout_app, caplog):
    """The worker of a timed-out query is gone (killed at once, reaped: not left to finish
    its minutes of work), the other worker is untouched, the pool is whole again, and the
    log says why the worker ended."""
    async def scenario() -> tuple[list[int], httpx.Response]:
        transport = httpx.ASGITransport(app=timeout_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await client.get("/sparql", params={"query": "ASK {}"})
            before = timeout_app.state.sparql_executor.pids
            return before, await client.get("/sparql", params={"query": CARTESIAN})

    before, response = asyncio.run(scenario())
    assert response.status_code == 503
    assert len(before) == 2
    started = {pid: start_time(pid) for pid in before}
    assert wait_until(lambda: sum(is_gone(pid, started[pid]) for pid in before) == 1), (
        f"the timed-out worker is still running: {before}")
    executor = timeout_app.state.sparql_executor
    assert wait_until(lambda: len(executor.pids) == 2)  # replaced
    survivor = next(pid for pid in before if not is_gone(pid, started[pid]))
    assert survivor in executor.pids
    assert not any(is_gone(pid, start_time(pid)) for pid in executor.pids)
    killed = next(pid for pid in before if pid != survivor)
    assert wait_until(lambda: any(f"query worker {killed} killed: its query ran past the "
                                  "deadline" in r.getMessage() for r in caplog.records))
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_no_query_process_outlives_the_pool(timeout_app):
    """After a timeout and the pool's close, no worker nor the fork server keeps running."""
    async def scenario() -> httpx.Response:
        transport = httpx.ASGITransport(app=timeout_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/sparql", params={"query": CARTESIAN})

    assert asyncio.run(scenario()).status_code == 503
    executor = timeout_app.state.sparql_executor
    processes = [*executor.pids, executor.fork_server_pid]
    started = {pid: start_time(pid) for pid in processes}
    close_executor(timeout_app)
    assert wait_until(lambda: all(is_gone(pid, started[pid]) for pid in processes)), (
        "orphaned query processes keep running")
