"""Serving benchmark: SPARQL against ogpgraph and its peers, and the linked-data pages.

``python bench/serve_bench.py --build-dir bench/work/build-n10000-s1 [--peers ogpgraph
oxigraph rdflib-endpoint] [--runs 20] [--quick]`` serves one build's data three ways, all on
127.0.0.1 and free ports, killed at the end:

* ``ogpgraph``: ``ogpgraph serve`` on the build (in-memory Oxigraph behind forked query
  workers), with ``OGPGRAPH_BASE_URI`` = the build's base (IRIs are minted with it; the port
  may differ, the routes map paths onto the base);
* ``oxigraph``: ``oxigraph serve --union-default-graph`` (the CLI, PyPI package ``oxigraph``)
  in memory (no ``--location``), loaded by POSTing ``dumps/ogpgraph.nq.gz`` to ``/store``;
* ``rdflib-endpoint``: ``rdflib-endpoint serve dump.nq`` (PyPI, an rdflib ``Dataset`` with
  ``default_union=True`` in memory).

Peers live in their own venvs under ``bench/work/peers/``, made on first use.

Measured: per query, sequential medians (rounds interleaved across servers, server order
rotating per round); requests/second and p50/p95/max with 8 concurrent keep-alive clients
for the page-like queries; for ogpgraph's linked data (a commitment's HTML and Turtle, a
member page, a listing page), sequential medians, 8-client throughput, and the same pages
while a heavy aggregate runs in a loop against ``/sparql``; the start-up of ``ogpgraph
serve`` to its first answered query. Every request loop is bounded in count and time; a
server's request that passes ``--timeout`` is recorded as a timeout and the query is not run
again on that server. Results: ``bench/results/serve.{json,md}``.
"""

from __future__ import annotations

import argparse
import gzip
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

if __package__:
    from . import common
else:  # run as a script: the modules sit beside this file
    import common

from ogpgraph.release.layout import BuildLayout
from ogpgraph.web.sparql.examples import example_queries, prefix_block

JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
PEERS = ("ogpgraph", "oxigraph", "rdflib-endpoint")
PEER_PACKAGES = {"oxigraph": ("oxigraph", "oxigraph"),  # venv name: (pip spec, binary)
                 "rdflib-endpoint": ("rdflib-endpoint[cli]", "rdflib-endpoint")}
HEAVY_QUERY = "completion-by-action-plan"  # the heavy aggregate run in a loop under load
PER_PAGE = 50  # rows of a listing page (ogpgraph/web/browse_service.py)
TEXT_WORD = "transparen"  # transparency / transparencia: both languages of the data


@dataclass(frozen=True)
class Options:
    runs: int = 20
    clients: int = 8
    concurrent_seconds: float = 5.0
    max_requests: int = 20_000  # per concurrent measurement, whatever the duration
    timeout: float = 60.0  # per request
    query_budget: float = 30.0  # seconds of sequential runs per (server, query)
    ld_runs: int = 50
    load_seconds: float = 10.0  # the pages under a heavy query
    server_start: float = 900.0  # loading rdflib-endpoint takes minutes at 10k

    @classmethod
    def quick(cls) -> Options:
        return cls(runs=2, concurrent_seconds=0.5, max_requests=200, timeout=30.0,
                   query_budget=5.0, ld_runs=3, load_seconds=1.0)


@dataclass(frozen=True)
class BenchQuery:
    slug: str
    kind: str  # "page" (selective, what a page asks), "aggregate" (full scan), "listing"
    query: str
    accept: str = JSON_RESULTS


@dataclass
class Server:
    name: str
    mode: str
    root: str  # http://127.0.0.1:PORT/
    sparql_path: str
    process: subprocess.Popen[bytes]
    log: Path
    startup_seconds: float | None = None  # spawn → first answered query
    load_seconds: float | None = None  # data loading after start (oxigraph)
    rss_mb: float | None = None
    alive: bool = True
    exit_code: int | None = None  # set when the server died during the benchmark (-9: OOM?)

    @property
    def sparql_url(self) -> str:
        return self.root + self.sparql_path


# --- peers: venvs and processes --------------------------------------------------------------


def peer_binary(name: str, peers_dir: Path) -> Path:
    """The peer's CLI in ``peers_dir/name``, installed into a fresh venv if missing."""
    spec, binary = PEER_PACKAGES[name]
    venv = peers_dir / name
    path = venv / "bin" / binary
    if not path.exists():
        print(f"[serve-bench] installing {spec} into {venv} ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", spec],
                       check=True)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def spawn(command: list[str], log: Path, env: dict[str, str] | None = None
          ) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:  # the child keeps its own descriptor
        return subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)  # its own group: killed with children


def wait_answering(server: Server, started: float, limit: float) -> float:
    """Seconds from ``started`` until the server answers ``ASK {}`` with 200."""
    deadline = started + limit
    with httpx.Client(timeout=5) as client:
        while time.perf_counter() < deadline:
            if server.process.poll() is not None:
                tail = server.log.read_text(errors="replace")[-1500:]
                raise RuntimeError(f"{server.name} exited with {server.process.returncode}:"
                                   f"\n{tail}")
            try:
                answer = client.get(server.sparql_url, params={"query": "ASK {}"},
                                    headers={"Accept": JSON_RESULTS})
                if answer.status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    raise RuntimeError(f"{server.name} did not answer within {limit:g} s (log: {server.log})")


def start_ogpgraph(build_dir: Path, base: str, workdir: Path, limit: float,
                   started_servers: list[Server]) -> Server:
    port = free_port()
    env = {**os.environ, "OGPGRAPH_BUILD_DIR": str(build_dir), "OGPGRAPH_BASE_URI": base,
           # equal work for every server: no result cap (the query timeout stays)
           "OGPGRAPH_MAX_RESULTS": "10000000",
           # the benchmark's concurrent clients all come from 127.0.0.1: no per-client cap
           "OGPGRAPH_QUERY_PER_CLIENT": "0"}
    script = Path(sys.executable).with_name("ogpgraph")
    command = ([str(script)] if script.exists()
               else [sys.executable, "-c", "from ogpgraph.cli.app import app; app()"])
    command += ["serve", "--host", "127.0.0.1", "--port", str(port)]
    started = time.perf_counter()
    mode = "ogpgraph serve (the union in memory, named graphs on disk; forked query workers)"
    server = Server("ogpgraph", mode, f"http://127.0.0.1:{port}/", "sparql",
                    spawn(command, workdir / "ogpgraph.log", env), workdir / "ogpgraph.log")
    started_servers.append(server)  # stopped at the end even if it never answers
    server.startup_seconds = wait_answering(server, started, limit)
    return server


def start_oxigraph(binary: Path, dump: Path, workdir: Path, limit: float,
                   started_servers: list[Server]) -> Server:
    port = free_port()
    log = workdir / "oxigraph.log"
    command = [str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    started = time.perf_counter()
    server = Server("oxigraph", "oxigraph serve, in memory, --union-default-graph",
                    f"http://127.0.0.1:{port}/", "query", spawn(command, log), log)
    started_servers.append(server)  # stopped at the end even if it never answers
    server.startup_seconds = wait_answering(server, started, limit)
    loading = time.perf_counter()
    with gzip.open(dump, "rb") as stream, httpx.Client(timeout=limit) as client:
        answer = client.post(server.root + "store", content=iter(lambda: stream.read(1 << 20), b""),
                             headers={"Content-Type": "application/n-quads"})
    if answer.status_code >= 300:
        raise RuntimeError(f"oxigraph refused the dump: {answer.status_code} {answer.text[:300]}")
    server.load_seconds = time.perf_counter() - loading
    return server


def start_rdflib_endpoint(binary: Path, dump: Path, workdir: Path, limit: float,
                          started_servers: list[Server]) -> Server:
    port = free_port()
    nquads = workdir / "ogpgraph.nq"  # rdflib guesses the format from the file name
    if not nquads.exists():
        with gzip.open(dump, "rb") as source, nquads.open("wb") as target:
            shutil.copyfileobj(source, target)
    log = workdir / "rdflib-endpoint.log"
    command = [str(binary), "serve", str(nquads), "--host", "127.0.0.1", "--port", str(port)]
    started = time.perf_counter()
    server = Server("rdflib-endpoint", "rdflib-endpoint serve (rdflib Dataset, default_union)",
                    f"http://127.0.0.1:{port}/", "", spawn(command, log), log)  # at the root
    started_servers.append(server)  # stopped at the end even if it never answers
    server.startup_seconds = wait_answering(server, started, limit)
    return server


def stop(server: Server) -> None:
    """Terminate the server's process group (ogpgraph's workers with it), then kill."""
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, 15)
        server.process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(server.process.pid, 9)
        except ProcessLookupError:
            pass
        server.process.wait(timeout=10)


# --- the queries ---------------------------------------------------------------------------


EXAMPLE_KINDS = {"peru-2015": "page"}  # the others scan every commitment


@dataclass(frozen=True)
class Picks:
    """The resources the page-like queries and pages are about (chosen from the data)."""
    commitment: str
    member: str
    institution: str
    policy_area: str
    listing_page: int = 1

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def bench_queries(base: str, picks: Picks) -> list[BenchQuery]:
    """The query page's examples and the issue's extra shapes, each with its kind."""
    prefixes = prefix_block(base)
    examples = [BenchQuery(q.slug, EXAMPLE_KINDS.get(q.slug, "aggregate"), q.query)
                for q in example_queries(base)]
    extra = [
        ("count-per-member", "aggregate", """
SELECT ?member (COUNT(?commitment) AS ?commitments) WHERE {
  ?commitment a ogp:Commitment ; ogp:member ?member .
} GROUP BY ?member ORDER BY DESC(?commitments)"""),
        ("policy-area-listing", "page", f"""
SELECT ?commitment ?identifier (SAMPLE(?name) AS ?title) WHERE {{
  ?commitment ogp:policyArea <{picks.policy_area}> ; dcterms:identifier ?identifier .
  OPTIONAL {{ ?commitment dcterms:title ?name }}
}} GROUP BY ?commitment ?identifier ORDER BY ?identifier LIMIT 50"""),
        ("describe-commitment", "page", f"DESCRIBE <{picks.commitment}>"),
        ("institution-incoming", "page", f"""
SELECT ?subject ?property WHERE {{ ?subject ?property <{picks.institution}> }}
ORDER BY ?subject ?property"""),
        ("text-filter", "aggregate", f"""
SELECT ?commitment ?title WHERE {{
  ?commitment a ogp:Commitment ; dcterms:title ?title .
  FILTER(CONTAINS(LCASE(STR(?title)), "{TEXT_WORD}"))
}}"""),
        ("commitments-irm-values", "listing", """
SELECT ?commitment ?identifier ?report ?completion ?specificity ?impact ?ambition ?starred
WHERE {
  ?commitment a ogp:Commitment ; dcterms:identifier ?identifier .
  OPTIONAL {
    ?commitment ogp:assessment ?assessment .
    OPTIONAL { ?assessment ogp:report ?report }
    OPTIONAL { ?assessment ogp:completion ?completion }
    OPTIONAL { ?assessment ogp:specificity ?specificity }
    OPTIONAL { ?assessment ogp:potentialImpact ?impact }
    OPTIONAL { ?assessment ogp:ambition ?ambition }
    OPTIONAL { ?assessment ogp:starred ?starred }
  }
}"""),
        ("ask-starred", "page", "ASK { ?commitment a ogp:Commitment ; ogp:starred true }"),
    ]
    return examples + [BenchQuery(slug, kind, prefixes + body.strip() + "\n",
                                  NTRIPLES if body.lstrip().startswith("DESCRIBE") else
                                  JSON_RESULTS)
                       for slug, kind, body in extra]


def select(client: httpx.Client, server: Server, query: str) -> list[dict[str, str]]:
    answer = client.post(server.sparql_url, data={"query": query},
                         headers={"Accept": JSON_RESULTS})
    answer.raise_for_status()
    return [{name: cell["value"] for name, cell in row.items()}
            for row in answer.json()["results"]["bindings"]]


def choose_picks(server: Server, base: str, commitments: int) -> Picks:
    """A commitment with milestones and assessments (else any), the member with the most
    commitments, the institution with the most incoming links, the commonest policy area."""
    prefixes = prefix_block(base)

    def first(client: httpx.Client, body: str, fallback: str = "") -> str:
        rows = select(client, server, prefixes + body)
        return rows[0]["x"] if rows else fallback

    with httpx.Client(timeout=120) as client:
        commitment = first(client, """
SELECT ?x WHERE { ?x a ogp:Commitment }
ORDER BY DESC(EXISTS { ?x ogp:milestone ?m . ?x ogp:assessment ?a }) ?x LIMIT 1""")
        member = first(client, """
SELECT ?x WHERE { ?c a ogp:Commitment ; ogp:member ?x }
GROUP BY ?x ORDER BY DESC(COUNT(?c)) ?x LIMIT 1""")
        institution = first(client, """
SELECT ?x WHERE { ?x a ogp:Institution . ?s ?p ?x }
GROUP BY ?x ORDER BY DESC(COUNT(?s)) ?x LIMIT 1""", commitment)
        area = first(client, """
SELECT ?x WHERE { ?c ogp:policyArea ?x } GROUP BY ?x ORDER BY DESC(COUNT(?c)) ?x LIMIT 1""",
                     f"{base}id/policy-area/open-data")
        if not commitment or not member:
            raise RuntimeError("the build has no commitment with a member to benchmark")
        # a page in the middle of the listing (page 10 at most): not the cached-looking first
        listing = max(1, min(10, math.ceil(commitments / PER_PAGE) // 2))
        if client.get(server.root + "commitments", params={"page": listing}).status_code != 200:
            listing = 1
    return Picks(commitment, member, institution, area, listing)


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Answer:
    seconds: float
    status: int | str  # the HTTP status, "timeout" or "error"
    response: httpx.Response | None = None


def timed(call: Callable[[], httpx.Response]) -> Answer:
    started = time.perf_counter()
    try:
        response = call()
    except httpx.TimeoutException:
        return Answer(time.perf_counter() - started, "timeout")
    except httpx.TransportError:
        return Answer(time.perf_counter() - started, "error")
    return Answer(time.perf_counter() - started, response.status_code, response)


def ask_sparql(client: httpx.Client, server: Server, query: BenchQuery,
               timeout: float) -> Answer:
    return timed(lambda: client.post(server.sparql_url, data={"query": query.query},
                                     headers={"Accept": query.accept}, timeout=timeout))


def count_results(response: httpx.Response | None) -> int | None:
    """Rows of a SELECT, 1/0 for ASK, triples of a graph result; None if unreadable."""
    if response is None or response.status_code != 200:
        return None
    media = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        if media in (JSON_RESULTS, "application/json"):
            payload = response.json()
            if "boolean" in payload:
                return int(bool(payload["boolean"]))
            return len(payload["results"]["bindings"])
        if media == NTRIPLES:
            return sum(1 for line in response.text.splitlines() if line.strip())
        from rdflib import Graph  # another serialisation (rdflib-endpoint: RDF/XML)

        fmt = "xml" if "xml" in media else "turtle"
        return len(Graph().parse(data=response.content, format=fmt))
    except (ValueError, KeyError, TypeError, SyntaxError):
        return None


def recover(server: Server, limit: float) -> None:
    """After a client-side timeout the server may still be computing: wait until it answers
    again (so it does not steal CPU from the next measurement), or give up on it."""
    try:
        wait_answering(server, time.perf_counter(), limit)
    except RuntimeError:
        server.alive = False


def latency_stats(seconds: list[float]) -> dict[str, float | None]:
    ms = [s * 1000 for s in seconds]
    return {"median_ms": common.median(ms), "p95_ms": common.percentile(ms, 0.95),
            "min_ms": min(ms) if ms else None, "max_ms": max(ms) if ms else None}


def sequential_sparql(servers: list[Server], queries: list[BenchQuery], opts: Options
                      ) -> list[dict[str, Any]]:
    """Warm-up (row counts) then interleaved rounds: A q1, B q1, C q1, A q2, …"""
    state = {q.slug: {s.name: {"samples": [], "status": None, "rows": None, "timeouts": 0,
                               "spent": 0.0, "done": False} for s in servers} for q in queries}
    clients = {s.name: httpx.Client(timeout=opts.timeout) for s in servers}
    try:
        for query in queries:  # warm-up: a slow first answer (> 1 s) counts as a run
            for server in servers:
                record(state[query.slug][server.name], server, query, clients, opts, True)
        for run in range(opts.runs):
            order = servers[run % len(servers):] + servers[:run % len(servers)]
            for query in queries:
                for server in order:
                    record(state[query.slug][server.name], server, query, clients, opts, False)
    finally:
        for client in clients.values():
            client.close()
    return [sparql_row(query, state[query.slug], opts) for query in queries]


def record(cell: dict[str, Any], server: Server, query: BenchQuery,
           clients: dict[str, httpx.Client], opts: Options, warm_up: bool) -> None:
    if cell["done"] or not server.alive:
        return
    answer = ask_sparql(clients[server.name], server, query, opts.timeout)
    cell["spent"] += answer.seconds
    if warm_up:
        cell["status"], cell["rows"] = answer.status, count_results(answer.response)
    if answer.status == "timeout":
        cell["timeouts"] += 1
        cell["done"] = True
        recover(server, max(opts.server_start, opts.timeout))
        return
    if answer.status != 200:
        cell["status"], cell["done"] = answer.status, True
        return
    if not warm_up or answer.seconds > 1.0:
        cell["samples"].append(answer.seconds)
    if cell["spent"] >= opts.query_budget:
        cell["done"] = True


def sparql_row(query: BenchQuery, cells: dict[str, dict[str, Any]], opts: Options
               ) -> dict[str, Any]:
    per_server = {}
    for name, cell in cells.items():
        stats = latency_stats(cell["samples"])
        if cell["timeouts"] and not cell["samples"]:
            stats["median_ms"] = None
        per_server[name] = {**stats, "runs": len(cell["samples"]), "status": cell["status"],
                            "rows": cell["rows"], "timeouts": cell["timeouts"]}
    ogp = per_server.get("ogpgraph", {}).get("median_ms")
    oxi = per_server.get("oxigraph", {}).get("median_ms")
    rdf = per_server.get("rdflib-endpoint", {})
    rdf_ms = rdf.get("median_ms")
    if rdf.get("timeouts") and not rdf_ms:
        rdf_ms = None
    return {"query": query.slug, "kind": query.kind, "servers": per_server,
            "ogpgraph_over_oxigraph": ogp / oxi if ogp and oxi else None,
            "rdflib_over_ogpgraph": (rdf_ms / ogp if rdf_ms and ogp else
                                     (f">{opts.timeout / (ogp / 1000):.0f}"
                                      if rdf.get("timeouts") and ogp else None)),
            "query_text": query.query}


def concurrent(request: Callable[[httpx.Client], Answer], opts: Options,
               seconds: float | None = None) -> dict[str, Any]:
    """``opts.clients`` threads, each with its own keep-alive client, for a fixed time."""
    duration = opts.concurrent_seconds if seconds is None else seconds
    budget = threading.Semaphore(opts.max_requests)
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    # clients are made before the clock starts (making one costs tens of ms: an SSL context)
    clients = [httpx.Client(timeout=opts.timeout) for _ in range(opts.clients)]
    ready = threading.Barrier(opts.clients + 1)
    deadline = [0.0]

    def work(client: httpx.Client) -> None:
        ready.wait()
        first = True  # one request at least, even when a loaded machine starts us late
        while (first or time.perf_counter() < deadline[0]) and budget.acquire(blocking=False):
            first = False
            answer = request(client)
            with lock:
                if answer.status == 200:  # a refused connection is fast, not an answer
                    latencies.append(answer.seconds)
                statuses[str(answer.status)] = statuses.get(str(answer.status), 0) + 1

    threads = [threading.Thread(target=work, args=(client,), daemon=True) for client in clients]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline[0] = started + duration
    ready.wait()
    try:
        for thread in threads:
            thread.join(duration + opts.timeout + 5)
    finally:
        for client in clients:
            client.close()
    elapsed = time.perf_counter() - started
    return {"clients": opts.clients, "seconds": elapsed, "requests": sum(statuses.values()),
            "answered_200": len(latencies),
            "requests_per_second": len(latencies) / elapsed if elapsed else None,
            "statuses": statuses, **latency_stats(latencies)}


def concurrent_sparql(servers: list[Server], queries: list[BenchQuery], opts: Options
                      ) -> list[dict[str, Any]]:
    rows = []
    for query in (q for q in queries if q.kind == "page"):
        per_server = {}
        for server in servers:  # one server at a time: the others idle
            if not server.alive:
                continue
            per_server[server.name] = concurrent(
                lambda client, s=server, q=query: ask_sparql(client, s, q, opts.timeout), opts)
        rows.append({"query": query.slug, "servers": per_server})
    return rows


def page_paths(base: str, picks: Picks) -> dict[str, tuple[str, str]]:
    """Page name → (path on the server, Accept)."""
    def doc(iri: str) -> str:
        return "doc/" + iri.removeprefix(base + "id/")

    return {"commitment-html": (doc(picks.commitment), "text/html"),
            "commitment-turtle": (doc(picks.commitment) + ".ttl", "text/turtle"),
            "member-html": (doc(picks.member), "text/html"),
            "listing-html": (f"commitments?page={picks.listing_page}", "text/html")}


def get_page(client: httpx.Client, server: Server, path: str, accept: str,
             timeout: float) -> Answer:
    return timed(lambda: client.get(server.root + path, headers={"Accept": accept},
                                    timeout=timeout))


def linked_data(server: Server, base: str, picks: Picks, heavy: BenchQuery, opts: Options
                ) -> dict[str, Any]:
    pages = page_paths(base, picks)
    rows = []
    with httpx.Client(timeout=opts.timeout) as client:
        for name, (path, accept) in pages.items():
            first = get_page(client, server, path, accept, opts.timeout)  # warm-up
            samples = [get_page(client, server, path, accept, opts.timeout)
                       for _ in range(opts.ld_runs)]
            statuses = sorted({str(a.status) for a in [first, *samples]})
            rows.append({"page": name, "path": "/" + path, "accept": accept,
                         "status": first.status, "statuses": statuses,
                         "bytes": len(first.response.content) if first.response else None,
                         "runs": len(samples),
                         **latency_stats([a.seconds for a in samples if a.status == 200])})
    for row in rows:
        path, accept = pages[row["page"]]
        row["concurrent"] = concurrent(
            lambda client, p=path, a=accept: get_page(client, server, p, a, opts.timeout), opts)
    return {"pages": rows, "under_load": under_load(server, pages, heavy, opts)}


def under_load(server: Server, pages: dict[str, tuple[str, str]], heavy: BenchQuery,
               opts: Options) -> dict[str, Any]:
    """The pages with 8 clients, round-robin, while one client loops a heavy aggregate."""
    stop_heavy = threading.Event()
    heavy_answers: list[Answer] = []

    def loop_heavy() -> None:
        with httpx.Client(timeout=opts.timeout) as client:
            while not stop_heavy.is_set() and len(heavy_answers) < opts.max_requests:
                heavy_answers.append(ask_sparql(client, server, heavy, opts.timeout))

    names = list(pages)
    turn = iter(range(10**9))
    per_page: dict[str, list[float]] = {name: [] for name in names}
    lock = threading.Lock()

    def request(client: httpx.Client) -> Answer:
        with lock:
            name = names[next(turn) % len(names)]
        path, accept = pages[name]
        answer = get_page(client, server, path, accept, opts.timeout)
        if answer.status == 200:
            with lock:
                per_page[name].append(answer.seconds)
        return answer

    background = threading.Thread(target=loop_heavy, daemon=True)
    background.start()
    try:
        time.sleep(0.2)  # the heavy query is running before the pages start
        overall = concurrent(request, opts, opts.load_seconds)
    finally:
        stop_heavy.set()
        background.join(opts.timeout + 5)
    return {"heavy_query": heavy.slug, "heavy_runs": len(heavy_answers),
            "heavy_statuses": sorted({str(a.status) for a in heavy_answers}),
            "heavy_median_ms": latency_stats([a.seconds for a in heavy_answers])["median_ms"],
            "overall": overall,
            "pages": {name: latency_stats(values) for name, values in per_page.items()}}


# --- one build, all servers ----------------------------------------------------------------


@contextmanager
def running(servers: list[Server]) -> Iterator[list[Server]]:
    """Stop every started server at the end, also on SIGTERM (made an exception here)."""
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        yield servers
    finally:
        signal.signal(signal.SIGTERM, previous)
        for server in servers:
            stop(server)


def run(build_dir: Path, peers: list[str], opts: Options, peers_dir: Path,
        workdir: Path) -> dict[str, Any]:
    """Serve ``build_dir`` with each peer and measure; the payload of one size."""
    layout = BuildLayout.current(build_dir)
    if not layout.exists():
        raise SystemExit(f"no build in {build_dir}: run bench/build_bench.py first")
    manifest = layout.manifest()
    base = manifest["base_uri"]
    workdir.mkdir(parents=True, exist_ok=True)
    binaries = {name: peer_binary(name, peers_dir) for name in peers if name in PEER_PACKAGES}
    servers: list[Server] = []
    with running(servers):
        log("starting ogpgraph serve")
        start_ogpgraph(build_dir, base, workdir, opts.server_start, servers)
        ogp = servers[0]
        picks = choose_picks(ogp, base, manifest.get("counts", {}).get("commitments") or 1)
        with httpx.Client() as client:  # the first page after start-up (cold caches)
            first_page = get_page(client, ogp, page_paths(base, picks)["commitment-html"][0],
                                  "text/html", opts.timeout)
        if "oxigraph" in binaries:
            log("starting oxigraph serve and loading the dump")
            start_oxigraph(binaries["oxigraph"], layout.nquads_dump, workdir, opts.server_start,
                           servers)
        left_out: dict[str, str] = {}
        if "rdflib-endpoint" in binaries:
            log("starting rdflib-endpoint (loading takes a while)")
            try:  # a peer that cannot load the data at this size is reported, not fatal
                start_rdflib_endpoint(binaries["rdflib-endpoint"], layout.nquads_dump,
                                      workdir, opts.server_start, servers)
            except RuntimeError as error:
                log(f"rdflib-endpoint left out: {error}")
                left_out["rdflib-endpoint"] = str(error)[:500]
                for server in servers:
                    if server.name == "rdflib-endpoint":
                        server.alive = False
        for server in servers:
            server.rss_mb = rss_mb(server.process.pid)
        queries = bench_queries(base, picks)
        log(f"sequential SPARQL: {len(queries)} queries × {opts.runs} runs")
        sparql = sequential_sparql(servers, queries, opts)
        log("concurrent SPARQL (page-like queries)")
        sparql_concurrent = concurrent_sparql(servers, queries, opts)
        log("linked data")
        heavy = next(q for q in queries if q.slug == HEAVY_QUERY)
        pages = linked_data(ogp, base, picks, heavy, opts)
        for server in servers:
            server.rss_mb = max(filter(None, [server.rss_mb, rss_mb(server.process.pid)]),
                                default=None)
            server.exit_code = server.process.poll()  # None: still running, as it should
    payload = {
        "benchmark": "serve", "generated_at": common.now_iso(), "machine": common.machine(),
        "build_dir": str(build_dir), "build_id": manifest.get("build_id"),
        "commitments": manifest.get("counts", {}).get("commitments"),
        "triples": manifest.get("triples"), "quads": manifest.get("quads"), "base_uri": base,
        "options": dict(opts.__dict__), "picks": picks.as_dict(),
        "servers": {s.name: {"mode": s.mode, "startup_seconds": s.startup_seconds,
                             "load_seconds": s.load_seconds, "rss_mb": s.rss_mb,
                             "alive": s.alive, "exit_code": s.exit_code} for s in servers},
        "peers_left_out": left_out,
        "ogpgraph_first_page_seconds": first_page.seconds, "sparql": sparql,
        "sparql_concurrent": sparql_concurrent, "linked_data": pages}
    payload["targets"] = targets(payload)
    return payload


def log(message: str) -> None:
    print(f"[serve-bench] {message}", file=sys.stderr, flush=True)


# --- targets and the report ----------------------------------------------------------------


def targets(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, checked (reported, never asserted)."""
    checks: list[dict[str, Any]] = []

    def check(name: str, value: object, met: bool | None) -> None:
        checks.append({"target": name, "value": value, "met": met})

    for row in payload["sparql"]:
        ogp = row["servers"].get("ogpgraph", {}).get("median_ms")
        oxi = row["servers"].get("oxigraph", {}).get("median_ms")
        ratio = row["ogpgraph_over_oxigraph"]
        if ogp is not None and oxi is not None and ratio is not None:
            if row["kind"] == "page":
                check(f"{row['query']}: ≤1.2× oxigraph (or ≤1 ms more at 1–2 ms)",
                      f"{ratio:.2f}× ({ogp:.2f} vs {oxi:.2f} ms)",
                      ratio <= 1.2 or (oxi <= 2 and ogp - oxi <= 1))
            else:
                check(f"{row['query']}: ≤1.5× oxigraph", f"{ratio:.2f}×", ratio <= 1.5)
        slower = row["rdflib_over_ogpgraph"]
        if row["kind"] != "page" and slower is not None:
            met = slower >= 10 if isinstance(slower, float) else True  # timed out at > 60 s
            shown = f"{slower:.1f}×" if isinstance(slower, float) else f"{slower}×"
            rows = {c.get("rows") for n, c in row["servers"].items()
                    if n in ("ogpgraph", "rdflib-endpoint") and c.get("rows") is not None}
            if len(rows) > 1:  # different answers: the ratio compares different work
                met, shown = None, shown + " (rows differ)"
            check(f"{row['query']}: ≥10× faster than rdflib-endpoint", shown, met)
    ld = payload["linked_data"]
    for page in ld["pages"]:
        median, rps = page["median_ms"], page["concurrent"]["requests_per_second"]
        failures = {k: v for k, v in page["concurrent"]["statuses"].items() if k != "200"}
        if page["statuses"] != ["200"] or failures:
            check(f"{page['page']}: answered 200", f"{page['statuses']}, concurrent {failures}",
                  False)
        if page["page"].startswith("commitment"):
            check(f"{page['page']}: median < 15 ms", median, median is not None and median < 15)
            check(f"{page['page']}: ≥ 300 req/s with {page['concurrent']['clients']} clients",
                  rps, rps is not None and rps >= 300)
        elif page["page"].startswith("listing"):
            check(f"{page['page']}: median < 50 ms", median, median is not None and median < 50)
    worst = ld["under_load"]["overall"]["max_ms"]
    failed = {k: v for k, v in ld["under_load"]["overall"]["statuses"].items() if k != "200"}
    check("pages under a heavy SPARQL loop: max < 1 s, all 200",
          f"{common.fmt(worst)} ms" + (f", failed {failed}" if failed else ""),
          worst is not None and worst < 1000 and not failed)
    for name, server in payload["servers"].items():
        if server.get("exit_code") is not None:
            check(f"{name} still running at the end", f"exit code {server['exit_code']}", False)
    startup = payload["servers"]["ogpgraph"]["startup_seconds"]
    limit = 5 if (payload["commitments"] or 0) <= 10_000 else 60
    check(f"ogpgraph serve start-up to first answer < {limit} s", startup, startup < limit)
    return checks


def ratio_text(value: object) -> object:
    return f"{value:.2f}" if isinstance(value, float) else value


def cell_ms(cell: dict[str, Any] | None, timeout: float) -> object:
    if not cell:
        return None
    if cell.get("timeouts") and cell.get("median_ms") is None:
        return f">{timeout:g} s"
    if cell.get("status") not in (200, None):
        return f"HTTP {cell['status']}"
    return cell.get("median_ms")


def markdown_body(payload: dict[str, Any], level: str = "##") -> str:
    """The tables of one size (used alone here and per size by the harness)."""
    names = list(payload["servers"])
    timeout = payload["options"]["timeout"]
    parts = [f"{level} Servers", "", common.markdown_table(
        ["server", "mode", "start-up to first answer s", "data load s", "RSS MB", "exit code"],
        [[n, s["mode"], s["startup_seconds"], s["load_seconds"], s["rss_mb"],
          s.get("exit_code")]
         for n, s in payload["servers"].items()])]
    for name, reason in payload.get("peers_left_out", {}).items():
        parts += ["", f"{name} was left out: {reason.splitlines()[0] if reason else ''}"]
    parts += ["", f"{level} SPARQL, sequential medians (ms)", "", common.markdown_table(
        ["query", "kind", *names, "ogpgraph / oxigraph", "rdflib-endpoint / ogpgraph", "rows"],
        [[r["query"], r["kind"], *[cell_ms(r["servers"].get(n), timeout) for n in names],
          ratio_text(r["ogpgraph_over_oxigraph"]), ratio_text(r["rdflib_over_ogpgraph"]),
          rows_text(r)] for r in payload["sparql"]])]
    if payload["sparql_concurrent"]:
        headers = ["query"] + [f"{n} {m}" for n in names for m in ("req/s", "p50 ms", "max ms")]
        parts += ["", f"{level} SPARQL, {payload['options']['clients']} concurrent clients "
                  "(page-like queries)", "", common.markdown_table(headers, [
                      [r["query"], *[v for n in names for v in concurrent_cells(
                          r["servers"].get(n))]] for r in payload["sparql_concurrent"]])]
    ld = payload["linked_data"]
    parts += ["", f"{level} Linked data (ogpgraph)", "", common.markdown_table(
        ["page", "path", "status", "bytes", "median ms", "p95 ms", "max ms",
         f"req/s ({payload['options']['clients']} clients)", "p50 ms", "p95 ms", "max ms"],
        [[p["page"], p["path"], p["status"], p["bytes"], p["median_ms"], p["p95_ms"],
          p["max_ms"], p["concurrent"]["requests_per_second"], p["concurrent"]["median_ms"],
          p["concurrent"]["p95_ms"], p["concurrent"]["max_ms"]] for p in ld["pages"]])]
    load = ld["under_load"]
    parts += ["", f"Under load ({load['heavy_query']} looping against /sparql: "
              f"{load['heavy_runs']} runs, statuses {load['heavy_statuses']}, median "
              f"{common.fmt(load['heavy_median_ms'])} ms; "
              f"pages round-robin with {load['overall']['clients']} clients, "
              f"{common.fmt(load['overall']['requests_per_second'])} req/s, statuses "
              f"{load['overall']['statuses']}):", "", common.markdown_table(
                  ["page", "median ms", "p95 ms", "max ms"],
                  [[n, s["median_ms"], s["p95_ms"], s["max_ms"]]
                   for n, s in load["pages"].items()])]
    parts += ["", f"{level} Targets (reported, not asserted)", "", common.markdown_table(
        ["target", "value", "met"],
        [[t["target"], ratio_text(t["value"]), {True: "yes", False: "**no**"}.get(t["met"], "–")]
         for t in payload["targets"]])]
    return "\n".join(parts)


def rows_text(row: dict[str, Any]) -> str:
    counts = {n: c["rows"] for n, c in row["servers"].items() if c.get("rows") is not None}
    if len(set(counts.values())) <= 1:
        return str(next(iter(counts.values()), "–"))
    return ", ".join(f"{n}: {c}" for n, c in counts.items())


def concurrent_cells(stats: dict[str, Any] | None) -> list[object]:
    if not stats:
        return [None, None, None]
    return [stats["requests_per_second"], stats["median_ms"], stats["max_ms"]]


def markdown(payload: dict[str, Any]) -> str:
    return "\n".join([
        f"# Serving benchmark ({payload['generated_at']})", "",
        f"Build {payload['build_dir']}: {common.fmt(payload['commitments'])} commitments, "
        f"{common.fmt(payload['triples'])} triples; {payload['machine']['cpus']} CPUs.", "",
        markdown_body(payload)])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", type=Path, required=True,
                        help="a build folder (the one holding current/)")
    parser.add_argument("--peers", nargs="+", choices=PEERS, default=list(PEERS))
    parser.add_argument("--runs", type=int, help="sequential runs per query (default 20)")
    parser.add_argument("--seconds", type=float, help="per concurrent measurement (default 5)")
    parser.add_argument("--timeout", type=float, help="per request (default 60 s)")
    parser.add_argument("--quick", action="store_true", help="few runs (smoke tests)")
    parser.add_argument("--results", type=Path, default=common.RESULTS_DIR)
    parser.add_argument("--work", type=Path, default=common.WORK_DIR)
    return parser.parse_args(argv)


def options_from(args: argparse.Namespace) -> Options:
    opts = Options.quick() if args.quick else Options()
    changes = {key: value for key, value in (("runs", args.runs),
                                             ("concurrent_seconds", args.seconds),
                                             ("timeout", args.timeout)) if value is not None}
    return Options(**{**opts.__dict__, **changes})


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    peers = ["ogpgraph", *[p for p in args.peers if p != "ogpgraph"]]
    workdir = args.work / f"serve-{args.build_dir.resolve().name}"
    payload = run(args.build_dir, peers, options_from(args), args.work / "peers", workdir)
    json_path, md_path = common.write_results("serve", payload, markdown(payload), args.results)
    print(md_path.read_text(encoding="utf-8"))
    print(f"written {json_path} and {md_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
