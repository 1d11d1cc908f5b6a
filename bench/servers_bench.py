"""The web tier's HTTP server and the hop to the query worker, side by side in one run:
``ogpgraph serve --server uvicorn`` vs ``--server granian``, each with forked query
workers (OGPGRAPH_QUERY_WORKERS=2) and with queries in a thread of the server (=0, no hop
to a worker process: what the hop costs), all serving the same build at once.

    python bench/servers_bench.py [--build DIR] [--repeat 200] [--seconds 5] [--clients 8]

Sequential latencies are interleaved across the servers (A q1, B q1, ..., rotating the
order per round); pages and documents are asked with an If-None-Match that never matches,
so the in-process page cache is passed ("cache off"), except the "cached" row. Then each
server alone under ``--clients`` concurrent keep-alive clients. The peer, ``oxigraph
serve-read-only`` on the release's own on-disk store (its default graph is the union),
answers the same queries at ``/query`` in the same rounds. The ``-new-resource`` rows ask
about the next commitment each round, a text no cache has seen (a worker checks a new
text before running it); the others repeat one text. Results:
``bench/results/servers.{json,md}``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, markdown_table, now_iso, percentile, write_results  # noqa: E402
from remote_bench import shared_build  # noqa: E402
from web_timing import (  # noqa: E402
    NO_CACHE,
    Request,
    Running,
    concurrent,
    free_port,
    start,
    start_ogpgraph,
    timed_ms,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "store"))
from engines import oxigraph_binary  # noqa: E402

from ogpgraph.config import DEFAULT_BASE_URI  # noqa: E402
from ogpgraph.graph.uris import Uris  # noqa: E402
from ogpgraph.release.layout import BuildLayout  # noqa: E402
from ogpgraph.web.resource_document import main_query  # noqa: E402

SERVERS = (("uvicorn", 2), ("granian", 2), ("uvicorn", 0), ("granian", 0))
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def sparql(query: str, accept: str, path: str = "/sparql") -> Request:
    return lambda client: client.post(path, data={"query": query}, headers={"Accept": accept})


def get(path: str, accept: str, headers: dict[str, str] | None = None) -> Request:
    return lambda client: client.get(path, headers={"Accept": accept, **(headers or {})})


def each_time_new(make: Callable[[str], str], accept: str, path: str,
                  iris: Sequence[str]) -> Request:
    """The query about the next resource of ``iris`` each time a client asks (each client
    goes through the same sequence): a text no cache has seen, as a client asking about
    one resource after another sends."""
    sequences: dict[int, Iterator[str]] = {}

    def request(client: httpx.Client) -> httpx.Response:
        iri = next(sequences.setdefault(id(client), itertools.cycle(iris)))
        return client.post(path, data={"query": make(iri)}, headers={"Accept": accept})

    return request


def requests(base: str, path: str = "/sparql", member: str = "PE0055",
             iris: Sequence[str] = ()) -> dict[str, tuple[str, Request]]:
    pe = Uris(base).commitment(member)
    iris = iris or (pe,)
    return {
        "ask-one-resource": ("query", sparql(f"ASK {{ <{pe}> ?p ?o }}",
                                             "application/sparql-results+json", path)),
        "construct-one-resource": ("query", sparql(main_query(pe, base),
                                                   "application/n-triples", path)),
        "ask-new-resource": ("query", each_time_new(
            lambda iri: f"ASK {{ <{iri}> ?p ?o }}", "application/sparql-results+json", path,
            iris)),
        "construct-new-resource": ("query", each_time_new(
            lambda iri: main_query(iri, base), "application/n-triples", path, iris)),
        "per-type-counts": ("query", sparql(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
            "application/sparql-results+json", path)),
        "commitment-page": ("page", get(f"/doc/commitment/{member}", "text/html", NO_CACHE)),
        "commitment-ttl": ("page", get(f"/doc/commitment/{member}.ttl", "text/turtle",
                                       NO_CACHE)),
        "commitment-page-cached": ("page", get(f"/doc/commitment/{member}", "text/html")),
    }


def commitment_iris(peer_url: str, base: str) -> list[str]:
    """The build's commitments, in IRI order (from the peer, before any round)."""
    query = ("SELECT DISTINCT ?c WHERE { ?c ?p ?o "
             f'FILTER(STRSTARTS(STR(?c), "{Uris(base).commitment("")}")) }} ORDER BY ?c')
    answer = httpx.get(f"{peer_url}/query", params={"query": query},
                       headers={"Accept": "application/sparql-results+json"}, timeout=60)
    answer.raise_for_status()
    return [row["c"]["value"] for row in answer.json()["results"]["bindings"]]


def label(server: str, workers: int) -> str:
    return f"{server}/w{workers}"


PEER = "oxigraph serve"


def start_peer(build: Path, folder: Path) -> Running:
    """``oxigraph serve-read-only`` on the release's on-disk store (union as default)."""
    port = free_port()
    store = BuildLayout.current(build).store_dir
    return start(PEER, [oxigraph_binary() or "oxigraph", "serve-read-only", "--location",
                        str(store), "--bind", f"127.0.0.1:{port}"],
                 f"http://127.0.0.1:{port}", "/query?query=ASK%7B%7D", folder / "oxigraph.log")


def interleaved(running: list, table: dict, peer_table: dict, repeat: int,
                warm_up: int) -> dict[str, dict[str, list[float]]]:
    """Each request of ``table`` asked of every server in turn (the peer only the queries,
    in its own form), the servers' order rotated each round; ms per request and server,
    the first ``warm_up`` rounds dropped."""
    clients = {r.name: httpx.Client(base_url=r.url, timeout=60) for r in running}
    timings: dict[str, dict[str, list[float]]] = {name: {} for name in table}
    try:
        for round_ in range(repeat + warm_up):
            order = running[round_ % len(running):] + running[:round_ % len(running)]
            for name, (kind, request) in table.items():
                for r in order:
                    if r.name == PEER and kind != "query":
                        continue
                    ms = timed_ms(clients[r.name],
                                  peer_table[name][1] if r.name == PEER else request)
                    if round_ >= warm_up:
                        timings[name].setdefault(r.name, []).append(ms)
    finally:
        for client in clients.values():
            client.close()
    return timings


def measure(build: Path, repeat: int, seconds: float, clients: int,
            access_log: bool = False) -> dict:
    # no per-client cap: the concurrent clients all come from 127.0.0.1; no access log
    # unless asked, as the peer (oxigraph serve writes no line per request)
    env = {"OGPGRAPH_BUILD_DIR": str(build), "OGPGRAPH_BASE_URI": DEFAULT_BASE_URI,
           "OGPGRAPH_QUERY_PER_CLIENT": "0", "OGPGRAPH_ACCESS_LOG": "1" if access_log else "0"}
    with tempfile.TemporaryDirectory(prefix="servers-bench-") as folder:
        running = []
        try:
            for server, workers in SERVERS:
                running.append(start_ogpgraph(
                    label(server, workers), Path(folder),
                    {**env, "OGPGRAPH_QUERY_WORKERS": str(workers)}, server))
            running.append(start_peer(build, Path(folder)))
            iris = commitment_iris(running[-1].url, DEFAULT_BASE_URI)
            table = requests(DEFAULT_BASE_URI, iris=iris)
            peer_table = requests(DEFAULT_BASE_URI, "/query", iris=iris)
            timings = interleaved(running, table, peer_table, repeat, warm_up=5)
            load = {r.name: {name: concurrent(r.url, table[name][1], clients, seconds)
                             for name in ("ask-one-resource", "commitment-page")}
                    for r in running if r.name != PEER}
        finally:
            for r in running:
                r.stop()
    latency = {name: {server: {"p50": statistics.median(values),
                               "p90": percentile(values, 0.9)}
                      for server, values in per_server.items()}
               for name, per_server in timings.items()}
    return {"latency_ms": latency, "concurrent": load,
            "kinds": {name: kind for name, (kind, _) in table.items()}}


def hop(build: Path, repeat: int) -> dict[str, dict[str, float]]:
    """The hop alone, no HTTP: the same job through the worker pool (2 forked workers),
    through a thread (``InProcessExecutor``) and called directly, interleaved; p50 ms."""
    import asyncio

    from ogpgraph.store.executor import InProcessExecutor, WorkerPoolExecutor, run_job
    from ogpgraph.store.factory import open_embedded
    from ogpgraph.store.query_jobs import QueryJob

    store = open_embedded(build).store
    pe = Uris(DEFAULT_BASE_URI).commitment("PE0055")
    jobs = {"ask-one-resource": QueryJob(f"ASK {{ <{pe}> ?p ?o }}"),
            "construct-one-resource": QueryJob(main_query(pe, DEFAULT_BASE_URI),
                                               graph_format="nt")}
    pool = WorkerPoolExecutor(store, 2, 30.0)  # type: ignore[arg-type]
    thread = InProcessExecutor(store, 30.0)  # type: ignore[arg-type]

    async def measure_all() -> dict[str, dict[str, float]]:
        found = {}
        for name, job in jobs.items():
            times: dict[str, list[float]] = {"pool": [], "thread": [], "direct": []}
            for round_ in range(repeat + 20):
                for way in times:
                    start = time.perf_counter()
                    if way == "direct":
                        run_job(store, job)  # type: ignore[arg-type]
                    else:
                        await (pool if way == "pool" else thread).run(job)
                    if round_ >= 20:
                        times[way].append((time.perf_counter() - start) * 1000)
            found[name] = {way: statistics.median(values) for way, values in times.items()}
        return found

    try:
        return asyncio.run(measure_all())
    finally:
        pool.close()
        thread.close()


def markdown(payload: dict) -> str:
    names = [label(s, w) for s, w in SERVERS]
    lat = payload["latency_ms"]
    rows, peer_rows = [], []
    for name, cells in lat.items():
        p50 = [cells[n]["p50"] for n in names]
        rows.append([name, *p50, p50[1] / p50[0], p50[0] - p50[2], p50[1] - p50[3]])
        if PEER in cells:
            peer = cells[PEER]["p50"]
            peer_rows.append([name, peer, p50[1], p50[1] - peer, p50[1] / peer, p50[0] - peer])
    load_rows = []
    for request in ("ask-one-resource", "commitment-page"):
        rps = [payload["concurrent"][n][request]["rps"] for n in names]
        load_rows.append([request, *rps, rps[1] / rps[0],
                          sum(payload["concurrent"][n][request]["errors"] for n in names)])
    return "\n\n".join([
        f"# Web tier: uvicorn vs Granian, and the hop to the query worker\n\n{payload['when']},"
        f" {payload['machine']['cpus']} CPUs, build {payload['build']} "
        f"({payload['triples']:,} triples). `{payload['command']}`. Access log "
        f"{'on' if payload.get('access_log') else 'off, as the peer (it writes none)'}.",
        "## Sequential p50, ms (interleaved; pages with the page cache passed)\n\n"
        "`/w2`: two forked query workers; `/w0`: queries in a thread of the server.",
        markdown_table(["request", *names, "granian / uvicorn (w2)",
                        "hop: uvicorn w2 − w0", "hop: granian w2 − w0"], rows),
        "## `/sparql` beside the peer (`oxigraph serve-read-only`, same store, same rounds),"
        " p50 ms",
        markdown_table(["query", PEER, "granian/w2", "granian/w2 − peer",
                        "granian/w2 / peer", "uvicorn/w2 − peer"], peer_rows),
        "## The hop alone (no HTTP), p50 ms: worker pool, thread, direct call",
        markdown_table(["query", "pool (2 workers)", "thread", "direct", "pool − direct"],
                       [[name, cells["pool"], cells["thread"], cells["direct"],
                         cells["pool"] - cells["direct"]]
                        for name, cells in payload.get("hop_ms", {}).items()]),
        f"## {payload['clients']} concurrent clients, {payload['seconds']:g} s each: "
        "requests/s",
        markdown_table(["request", *names, "granian / uvicorn (w2)", "errors"], load_rows),
        payload.get("notes", ""),
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--notes", default="")
    parser.add_argument("--access-log", action="store_true",
                        help="serve with a line per request (OGPGRAPH_ACCESS_LOG=1)")
    args = parser.parse_args(argv)
    build = args.build or shared_build()
    manifest = BuildLayout.current(build).manifest()
    payload = {"when": now_iso(), "machine": machine(), "build": str(build),
               "triples": manifest["triples"], "clients": args.clients,
               "seconds": args.seconds, "notes": args.notes, "access_log": args.access_log,
               "command": "python bench/servers_bench.py " + " ".join(argv or sys.argv[1:]),
               **measure(build, args.repeat, args.seconds, args.clients, args.access_log),
               "hop_ms": hop(build, args.repeat * 2)}
    json_path, md_path = write_results("servers", payload, markdown(payload))
    print(md_path.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
