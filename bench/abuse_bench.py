"""Abuse benchmark: cheap queries and pages while clients abuse the server (issue 15).

``python bench/abuse_bench.py --build data=DIR [--build 10k=DIR ...] [--baseline-src SRC]
[--seconds 20] [--timeout 5]`` serves each build with ``ogpgraph serve`` on 127.0.0.1
(``OGPGRAPH_QUERY_TIMEOUT=5`` and 2 workers, as in the issue's probe) and, with
``--baseline-src``, the same command run from another source tree (the code before the
hardening: ``git archive`` of the commit before it), one after the other. Every client is a
thread with a keep-alive ``httpx.Client``; the server trusts 127.0.0.1 as a proxy
(``OGPGRAPH_TRUSTED_PROXIES``) and each thread sends ``X-Forwarded-For: 10.0.0.N``, so each
is a client of its own, as behind a real proxy (the baseline ignores the header).

Scenarios, ``--seconds`` each:

* ``quiet``: one client loops cheap queries (``ASK { <commitment> ?p ?o }``), one loops
  pages (a random commitment's HTML page, or a listing page);
* ``runaway``: the same two, while two clients loop a query that runs for ever
  (a 3-way cartesian COUNT: CPU only);
* ``memory``: the same two, while two clients loop ``SELECT ?a ?d WHERE {?a ?b ?c . ?d ?e
  ?f} ORDER BY ?c ?f LIMIT 1`` (memory for ever);
* ``unknown-ids``: the same two, while 8 clients ask random near-miss identifiers (404 with
  "did you mean" suggestions);
* ``mix16``: 16 clients, each alternating a page and a cheap query.

Reported per scenario: p50/p99 in ms of cheap queries and of pages (all answers, whatever
their status, and the statuses counted), the abusers' answers by status and rate, and RSS
peaks sampled every 0.1 s: the web process and the largest query process (a worker or the
fork server; a forked worker's RSS counts the store pages it shares). Results:
``bench/results/abuse.{json,md}``. The machine's other load is not controlled: compare the
two servers of one run, as ratios.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

if __package__:
    from . import common
    from .serve_bench import free_port, rss_mb, stop
else:  # run as a script: the modules sit beside this file
    import common
    from serve_bench import free_port, rss_mb, stop

from ogpgraph.release.layout import BuildLayout

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MEMORY_HOG = "SELECT ?a ?d WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?c ?f LIMIT 1"
JSON_RESULTS = "application/sparql-results+json"
HTML = "text/html"
REQUEST_TIMEOUT = 60.0
TARGET_CHEAP_P50_MS = 100.0  # issue 15: a cheap query under runaway loops


@dataclass
class Server:
    name: str
    url: str
    process: Any
    log: Path


@dataclass
class Samples:
    """Latencies (s) and statuses of one kind of request."""

    seconds: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, elapsed: float, status: int | str) -> None:
        with self.lock:
            self.seconds.append(elapsed)
            self.statuses[str(status)] += 1

    def summary(self, duration: float) -> dict[str, Any]:
        def ms(fraction: float) -> float | None:
            value = common.percentile(self.seconds, fraction)
            return None if value is None else value * 1000

        return {"n": len(self.seconds), "p50_ms": ms(0.5), "p99_ms": ms(0.99),
                "per_second": len(self.seconds) / duration if duration else None,
                "statuses": dict(sorted(self.statuses.items()))}


@dataclass(frozen=True)
class Picks:
    """What the clients ask for, read from the build's listing index."""

    commitments: list[tuple[str, str]]  # (IRI, identifier)
    listing_pages: int

    @classmethod
    def of(cls, build_dir: Path) -> Picks:
        layout = BuildLayout.current(build_dir)
        with sqlite3.connect(f"{layout.listings_path.resolve().as_uri()}?mode=ro",
                             uri=True) as conn:
            rows = conn.execute("SELECT iri, identifier FROM commitments ORDER BY id").fetchall()
        return cls([(iri, ident) for iri, ident in rows if ident], max(1, len(rows) // 50))


# --- the server ------------------------------------------------------------------------------

def start(name: str, build_dir: Path, source: Path | None, timeout: float,
          workdir: Path) -> Server:
    base = BuildLayout.current(build_dir).manifest().get("base_uri", "http://127.0.0.1:8000/")
    port = free_port()
    env = {**os.environ, "OGPGRAPH_BUILD_DIR": str(build_dir.resolve()), "OGPGRAPH_BASE_URI": base,
           "OGPGRAPH_QUERY_TIMEOUT": str(timeout), "OGPGRAPH_QUERY_WORKERS": "2",
           "OGPGRAPH_TRUSTED_PROXIES": "127.0.0.1"}
    if source is not None:  # and run from there: ``python -c`` puts the cwd first
        env["PYTHONPATH"] = str(source)
    command = [sys.executable, "-c", "from ogpgraph.cli.app import app; app()", "serve",
               "--host", "127.0.0.1", "--port", str(port)]
    log = workdir / f"abuse-{name}.log"
    with log.open("wb") as sink:  # its own session: stopped with its workers
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env,
                                   cwd=source or Path.cwd(), start_new_session=True)
    server = Server(name, f"http://127.0.0.1:{port}", process, log)
    wait_answering(server)
    return server


def wait_answering(server: Server, limit: float = 300.0) -> None:
    deadline = time.monotonic() + limit
    with httpx.Client(timeout=10) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"{server.name} exited: "
                                   f"{server.log.read_text(errors='replace')[-1500:]}")
            try:
                if client.get(f"{server.url}/sparql", params={"query": "ASK {}"},
                              headers={"Accept": JSON_RESULTS}).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"{server.name} did not answer within {limit:g} s")


def process_tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
                parents[int(name)] = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [], {root}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - set(found)
        found += sorted(frontier)
    return found


class RssSampler:
    """Peak RSS of the web process and of its largest descendant, sampled every 0.1 s."""

    def __init__(self, root: int) -> None:
        self.root, self.web_mb, self.worker_mb, self.processes = root, 0.0, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            self.web_mb = max(self.web_mb, rss_mb(self.root) or 0.0)
            below = process_tree(self.root)
            self.processes = max(self.processes, len(below))
            for pid in below:
                self.worker_mb = max(self.worker_mb, rss_mb(pid) or 0.0)


# --- clients ---------------------------------------------------------------------------------

def near_miss(rng: random.Random, known: set[str], identifiers: list[str]) -> str:
    """A real identifier with one character changed: an identifier that does not exist."""
    while True:
        ident = rng.choice(identifiers)
        at = rng.randrange(len(ident))
        candidate = ident[:at] + rng.choice("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") + ident[at + 1:]
        if candidate not in known:
            return candidate


def requests_for(server: Server, picks: Picks, seed: int
                 ) -> dict[str, Callable[[httpx.Client], httpx.Response]]:
    """Callables making one request of each kind, each with its own random stream."""
    rng = random.Random(seed)
    identifiers = [ident for _, ident in picks.commitments]
    known = set(identifiers)
    sparql = f"{server.url}/sparql"

    def cheap(client: httpx.Client) -> httpx.Response:
        iri = rng.choice(picks.commitments)[0]
        return client.get(sparql, params={"query": f"ASK {{ <{iri}> ?p ?o }}"},
                          headers={"Accept": JSON_RESULTS})

    def page(client: httpx.Client) -> httpx.Response:
        if rng.random() < 0.2:
            return client.get(f"{server.url}/commitments",
                              params={"page": rng.randint(1, picks.listing_pages)},
                              headers={"Accept": HTML})
        return client.get(f"{server.url}/doc/commitment/{rng.choice(identifiers)}.html")

    def unknown(client: httpx.Client) -> httpx.Response:
        return client.get(f"{server.url}/doc/commitment/"
                          f"{quote(near_miss(rng, known, identifiers))}.html")

    def runaway(client: httpx.Client) -> httpx.Response:
        return client.get(sparql, params={"query": RUNAWAY}, headers={"Accept": JSON_RESULTS})

    def memory(client: httpx.Client) -> httpx.Response:
        return client.get(sparql, params={"query": MEMORY_HOG},
                          headers={"Accept": JSON_RESULTS})

    return {"cheap": cheap, "page": page, "unknown": unknown, "runaway": runaway,
            "memory": memory}


def loop(server: Server, picks: Picks, kinds: list[str], number: int, until: float,
         samples: dict[str, Samples]) -> None:
    """One client: cycle through ``kinds`` until ``until``, recording each answer."""
    calls = requests_for(server, picks, seed=number)
    headers = {"X-Forwarded-For": f"10.0.{number // 250}.{number % 250 + 1}"}
    with httpx.Client(timeout=REQUEST_TIMEOUT, headers=headers) as client:
        turn = 0
        while time.monotonic() < until:
            kind = kinds[turn % len(kinds)]
            turn += 1
            started = time.perf_counter()
            try:
                status: int | str = calls[kind](client).status_code
            except httpx.HTTPError as error:
                status = type(error).__name__
            samples[kind].add(time.perf_counter() - started, status)


SCENARIOS: dict[str, list[tuple[list[str], int]]] = {  # (kinds a client cycles, clients)
    "quiet": [(["cheap"], 1), (["page"], 1)],
    "runaway": [(["cheap"], 1), (["page"], 1), (["runaway"], 2)],
    "memory": [(["cheap"], 1), (["page"], 1), (["memory"], 2)],
    "unknown-ids": [(["cheap"], 1), (["page"], 1), (["unknown"], 8)],
    "mix16": [(["page", "cheap"], 16)],
}


def run_scenario(server: Server, picks: Picks, name: str, seconds: float) -> dict[str, Any]:
    samples = {kind: Samples() for kind in ("cheap", "page", "unknown", "runaway", "memory")}
    until = time.monotonic() + seconds
    threads, number = [], 0
    for kinds, clients in SCENARIOS[name]:
        for _ in range(clients):
            number += 1
            threads.append(threading.Thread(
                target=loop, args=(server, picks, kinds, number, until, samples)))
    with RssSampler(server.process.pid) as rss:
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.monotonic() - started
    return {"seconds": duration,
            **{kind: s.summary(duration) for kind, s in samples.items() if s.seconds},
            "rss": {"web_mb": rss.web_mb, "largest_query_process_mb": rss.worker_mb,
                    "processes_below_web": rss.processes}}


BASELINE_INDEX = """
import sys
from pathlib import Path
from ogpgraph.release.listings.writer import build_listing_index
from ogpgraph.web.published import load_published
build, base = Path(sys.argv[1]), sys.argv[2]
published = load_published(build, base)
path = published.layout.listings_path
path.unlink()
store = published.store
build_listing_index(store.store, base, path, union=not store.union_materialised)
"""


def baseline_build(build_dir: Path, source: Path, workdir: Path) -> Path:
    """A copy of the build (hard links) whose listing index the baseline code wrote: the
    baseline reads another version of the index and would otherwise rebuild it in memory
    (seconds of a first listing page, and its memory)."""
    copy = workdir / f"{build_dir.resolve().name}-for-baseline"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(build_dir.resolve(), copy, symlinks=True, copy_function=os.link)
    base = BuildLayout.current(copy).manifest().get("base_uri", "http://127.0.0.1:8000/")
    subprocess.run([sys.executable, "-c", BASELINE_INDEX, str(copy), base], check=True,
                   cwd=source, env={**os.environ, "PYTHONPATH": str(source)})
    return copy


def warm_up(server: Server, picks: Picks) -> None:
    """A listing page, a commitment page and a query: first-use costs out of the way."""
    with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
        client.get(f"{server.url}/commitments", headers={"Accept": HTML})
        client.get(f"{server.url}/doc/commitment/{picks.commitments[0][1]}.html")
        client.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"})


def bench_server(name: str, build_dir: Path, source: Path | None, args: argparse.Namespace,
                 picks: Picks) -> dict[str, Any]:
    if source is not None:
        build_dir = baseline_build(build_dir, source, args.workdir)
    server = start(name, build_dir, source, args.timeout, args.workdir)
    warm_up(server, picks)
    results: dict[str, Any] = {}
    try:
        for scenario in args.scenarios:
            log(f"{name}: {scenario} ({args.seconds:g} s)")
            results[scenario] = run_scenario(server, picks, scenario, args.seconds)
            time.sleep(args.timeout + 1)  # let killed workers be replaced before the next
            wait_answering(server)
    finally:
        stop(server)
    return results


# --- results ---------------------------------------------------------------------------------

def log(message: str) -> None:
    print(f"[abuse_bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


METRICS = (("cheap", "p50_ms", "cheap query p50 (ms)"), ("cheap", "p99_ms", "cheap query p99"),
           ("page", "p50_ms", "page p50 (ms)"), ("page", "p99_ms", "page p99"),
           ("unknown", "per_second", "404s per second"), ("unknown", "p50_ms", "404 p50 (ms)"),
           ("runaway", "statuses", "runaway answers"), ("memory", "statuses", "memory-hog answers"),
           ("rss", "web_mb", "web process RSS peak (MB)"),
           ("rss", "largest_query_process_mb", "largest query process RSS peak (MB)"),
           ("rss", "processes_below_web", "query processes, at most"))


def cell(scenario: dict[str, Any], part: str, key: str) -> Any:
    value = scenario.get(part, {}).get(key)
    if isinstance(value, dict):
        return ", ".join(f"{status}×{n}" for status, n in value.items())
    return value


def ratio(new: Any, old: Any) -> str:
    if isinstance(new, int | float) and isinstance(old, int | float) and new:
        return f"{old / new:,.2f}×"
    return "–"


def markdown(payload: dict[str, Any]) -> str:
    parts = ["# Abuse benchmark (issue 15)", "",
             f"`{payload['command']}` — {payload['when']}, {payload['machine']['cpus']} CPUs "
             f"(shared), query timeout {payload['timeout']:g} s, 2 workers at start, "
             f"{payload['seconds']:g} s per scenario. *baseline* = {payload['baseline']}. "
             "Ratio = baseline / hardened (above 1: the hardened server is faster or smaller).",
             "", "Clients loop (closed loop): where the hardened server answers cheap queries "
             "in milliseconds instead of seconds, that client sends hundreds of times more "
             "requests, which the pages then share the CPUs with. The machine is shared with "
             "other work: differences under 2× between two runs of the same code were seen.",
             "", "Scenarios: " + "; ".join(
                 f"**{name}**: " + ", ".join(f"{n}× {'/'.join(k)}" for k, n in clients)
                 for name, clients in SCENARIOS.items()), ""]
    for build, servers in payload["builds"].items():
        parts += [f"## {build} ({servers['commitments']:,} commitments)", ""]
        for scenario in payload["scenarios"]:
            rows = []
            for part, key, label in METRICS:
                new = cell(servers["hardened"].get(scenario, {}), part, key)
                old = cell(servers.get("baseline", {}).get(scenario, {}), part, key)
                if new is not None or old is not None:
                    rows.append([label, new, old, ratio(new, old)])
            parts += [f"### {scenario}", "",
                      common.markdown_table(["", "hardened", "baseline", "ratio"], rows), ""]
    parts += ["## Target", "", *[f"- {line}" for line in payload["targets"]]]
    return "\n".join(parts)


def targets(payload: dict[str, Any]) -> list[str]:
    lines = []
    for build, servers in payload["builds"].items():
        p50 = servers["hardened"].get("runaway", {}).get("cheap", {}).get("p50_ms")
        if p50 is not None:
            lines.append(f"{build}: cheap query p50 while two clients loop runaway queries: "
                         f"{p50:.1f} ms (target < {TARGET_CHEAP_P50_MS:g} ms: "
                         f"{'met' if p50 < TARGET_CHEAP_P50_MS else 'NOT met'})")
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="append", required=True, metavar="NAME=DIR",
                        help="a build folder (holding current/), named; repeatable")
    parser.add_argument("--baseline-src", type=Path, default=None,
                        help="a source tree of ogpgraph to serve the same builds with")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=SCENARIOS)
    parser.add_argument("--workdir", type=Path, default=common.WORK_DIR)
    parser.add_argument("--out", default="abuse", help="results name in bench/results/")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    payload: dict[str, Any] = {
        "command": "python bench/abuse_bench.py " + " ".join(sys.argv[1:] if argv is None
                                                             else argv),
        "when": common.now_iso(), "machine": common.machine(), "timeout": args.timeout,
        "seconds": args.seconds, "scenarios": args.scenarios,
        "baseline": str(args.baseline_src) if args.baseline_src else "none", "builds": {}}
    for spec in args.build:
        name, _, folder = spec.partition("=")
        build_dir = Path(folder)
        picks = Picks.of(build_dir)
        servers: dict[str, Any] = {"commitments": len(picks.commitments)}
        servers["hardened"] = bench_server(f"{name}-hardened", build_dir, None, args, picks)
        if args.baseline_src is not None:
            servers["baseline"] = bench_server(f"{name}-baseline", build_dir,
                                               args.baseline_src, args, picks)
        payload["builds"][name] = servers
        payload["targets"] = targets(payload)
        common.write_results(args.out, payload, markdown(payload))
    log(f"results: bench/results/{args.out}.{{json,md}}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
