"""The web tier's own CPU time per request, before and after a change: robust on a busy
machine, where wall-clock latency is mostly time spent waiting for a CPU.

    python bench/web_cpu_bench.py --build DIR --before /tmp/base-checkout [--repeat 100]

For each side a child process (``--before``: that checkout first on PYTHONPATH; "after":
this checkout; both run at once, so that both meet the same contention for the CPUs)
makes the app over the build, as ``ogpgraph serve`` does, and sends it
requests in process: the ASGI app is called on the event loop's thread, and sync routes
run inline (FastAPI's thread hop patched out), so one thread does all the request's work
and ``time.thread_time()`` counts it, whatever else the machine runs. ``/sparql`` queries
run in a thread of the process (``OGPGRAPH_QUERY_WORKERS=0``: the worker's share of the
CPU is not in these figures; its checked-query cache is, warm after the first request)
except the "new text" rows, which check a text never seen before on every request (the
query checker's real parse: what a new query costs a worker). The HTTP server is not
included either. Pages pass the page cache (If-None-Match that never matches). Results:
``bench/results/web-cpu-{name}.{json,md}``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, markdown_table, now_iso, spread, spread_cell, write_results  # noqa: E402

from ogpgraph.release.layout import BuildLayout  # noqa: E402

WARM_UP = 10


def child(build: Path, repeat: int, member: str) -> dict[str, list[float]]:
    """(In the child process) CPU ms per request, by request."""
    import asyncio
    from urllib.parse import parse_qsl, urlencode

    import fastapi.dependencies.utils
    import fastapi.routing
    from rdflib import URIRef

    from ogpgraph.store.query_check import check_query
    from ogpgraph.web.resource_document import main_query

    async def inline(func, /, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        return func(*args, **kwargs)

    fastapi.routing.run_in_threadpool = inline  # type: ignore[attr-defined]
    fastapi.dependencies.utils.run_in_threadpool = inline  # type: ignore[attr-defined]
    os.environ.update({"OGPGRAPH_BUILD_DIR": str(build), "OGPGRAPH_QUERY_WORKERS": "0",
                       "OGPGRAPH_QUERY_PER_CLIENT": "0"})
    from ogpgraph.config import Settings
    from ogpgraph.web.app import create_app
    from ogpgraph.web.sparql.endpoint import executor_for

    settings = Settings.from_env()
    app = create_app(settings)
    base = settings.base_uri
    iri = f"{base}id/commitment/{member}"

    def post(query: str, accept: str) -> tuple[str, str, bytes, str]:
        return ("POST", "/sparql", urlencode({"query": query}).encode(), accept)

    def new_text(query: str) -> object:
        counter = iter(range(10**9))
        return lambda: post(f"{query}\n# {next(counter)}", "application/sparql-results+json")

    requests = {
        "ask-one-resource": lambda: post(f"ASK {{ <{iri}> ?p ?o }}",
                                         "application/sparql-results+json"),
        "construct-one-resource": lambda: post(main_query(URIRef(iri), base),
                                               "application/n-triples"),
        "per-type-counts": lambda: post(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
            "application/sparql-results+json"),
        "check only: ask, new text": new_text(f"ASK {{ <{iri}> ?p ?o }}"),
        "check only: construct, new text": new_text(main_query(URIRef(iri), base)),
        "commitment-page": lambda: ("GET", f"/doc/commitment/{member}", b"", "text/html"),
        "commitment-ttl": lambda: ("GET", f"/doc/commitment/{member}.ttl", b"",
                                   "text/turtle"),
        "commitment-jsonld": lambda: ("GET", f"/doc/commitment/{member}.jsonld", b"",
                                      "application/ld+json"),
    }

    async def one(method: str, path: str, body: bytes, accept: str) -> None:
        headers = [(b"host", b"127.0.0.1"), (b"accept", accept.encode()),
                   (b"if-none-match", b'"bench-never-matches"')]
        if method == "POST":
            headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
                 "method": method, "scheme": "http", "path": path,
                 "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": headers, "client": ("127.0.0.1", 1),
                 "server": ("127.0.0.1", 80), "app": app, "state": {}}
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        sent: list[dict] = []

        async def receive() -> dict:
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        await app(scope, receive, send)
        if sent[0]["status"] != 200:
            raise RuntimeError(f"{method} {path} answered {sent[0]['status']}: {sent[1:]}")

    async def measure() -> dict[str, list[float]]:
        executor_for(app, app.state.published)
        found: dict[str, list[float]] = {}
        for name, request in requests.items():
            times = []
            for round_ in range(repeat + WARM_UP):
                if name.startswith("check only"):
                    text = request()[2]  # type: ignore[index, operator]
                    query = dict(parse_qsl(text.decode()))
                    start = time.thread_time()
                    check_query(query["query"])
                else:
                    args = request()  # type: ignore[operator]
                    start = time.thread_time()
                    await one(*args)
                if round_ >= WARM_UP:
                    times.append((time.thread_time() - start) * 1000)
            found[name] = times
        return found

    return asyncio.run(measure())


def start_side(build: Path, code: Path | None, repeat: int, member: str
               ) -> subprocess.Popen[str]:
    env = {**os.environ}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return subprocess.Popen([sys.executable, __file__, "--child", "--build", str(build),
                             "--repeat", str(repeat), "--member", member],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_round(build: Path, before: Path, repeat: int, member: str
              ) -> dict[str, dict[str, list[float]]]:
    """Both sides at once, so that both meet the same contention for the CPUs (on a shared
    machine even CPU time per request drifts with it: hyperthreads, caches)."""
    children = {"before": start_side(build, before, repeat, member),
                "after": start_side(build, None, repeat, member)}
    found = {}
    for side, child_process in children.items():
        out, err = child_process.communicate()
        if child_process.returncode != 0:
            raise RuntimeError(f"the {side} side failed: {err[-2000:]}")
        found[side] = json.loads(out.strip().splitlines()[-1])
    return found


def markdown(payload: dict) -> str:
    rows = [[name, spread_cell(sides["before"]), spread_cell(sides["after"]),
             f"{sides['after']['p50'] / sides['before']['p50']:.2f}"]
            for name, sides in payload["cpu_ms"].items()]
    return "\n\n".join([
        f"# Web tier's CPU time per request, before and after ({payload['name']})\n\n"
        f"{payload['when']}, {payload['machine']['cpus']} CPUs, build {payload['build']} "
        f"({payload['triples']:,} triples); before = {payload['before']}; "
        f"{payload['rounds']} rounds, the two sides running at the same time in each. "
        f"`{payload['command']}`",
        "CPU ms of the thread that handles the request (p50, p25–p75), no HTTP server, "
        "queries in a thread (no worker hop); pages with the page cache passed.",
        markdown_table(["request", "before", "after", "after / before"], rows),
        payload.get("notes", ""),
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--name", default="shared", help="results file suffix")
    parser.add_argument("--member", default="PE0055", help="the commitment asked for")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2,
                        help="runs of the two sides (at the same time)")
    parser.add_argument("--notes", default="")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.build, args.repeat, args.member)))
        return 0
    if args.before is None:
        parser.error("--before is required")
    merged: dict[str, dict[str, list[float]]] = {}
    for _ in range(args.rounds):
        for side, by_name in run_round(args.build, args.before, args.repeat,
                                       args.member).items():
            for name, values in by_name.items():
                merged.setdefault(name, {}).setdefault(side, []).extend(values)
    manifest = BuildLayout.current(args.build).manifest()
    payload = {"when": now_iso(), "machine": machine(), "build": str(args.build),
               "name": args.name, "triples": manifest.get("triples") or 0,
               "before": str(args.before), "rounds": args.rounds, "notes": args.notes,
               "command": "python bench/web_cpu_bench.py " + " ".join(argv or sys.argv[1:]),
               "cpu_ms": {name: {side: spread(values) for side, values in sides.items()}
                          for name, sides in merged.items()}}
    write_results(f"web-cpu-{args.name}", payload, markdown(payload))
    print(markdown(payload))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
