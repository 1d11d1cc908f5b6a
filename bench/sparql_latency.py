"""SPARQL latency: the example queries against `ogpgraph serve` and `oxigraph serve`.

Both servers hold the same data (the build's dumps/ogpgraph.nq.gz) with the union of all
graphs as default graph, bind 127.0.0.1 only and are killed at the end. Requests are
interleaved (server order alternates per round) so drift hits both alike. Prints a
Markdown table of medians and writes bench/results/sparql_latency.json.

    pip install oxigraph   # the Oxigraph CLI (PyPI package "oxigraph")
    python bench/sparql_latency.py --runs 20 [--build-dir var/build]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from ogpgraph.build_layout import BuildLayout
from ogpgraph.settings import Settings
from ogpgraph.web.example_queries import example_queries

RESULTS = Path(__file__).resolve().parent / "results" / "sparql_latency.json"
JSON_RESULTS = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}: {process.args}")
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up within {seconds:g} s")


def start_ogpgraph(build_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OGPGRAPH_BUILD_DIR": str(build_dir)}
    command = [sys.executable, "-c", "from ogpgraph.cli import app; app()",
               "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)


def start_oxigraph(binary: str, dump: Path, workdir: Path, port: int) -> subprocess.Popen[bytes]:
    data = workdir / "ogpgraph.nq"
    with gzip.open(dump, "rb") as source, data.open("wb") as target:
        shutil.copyfileobj(source, target)
    location = workdir / "oxigraph-store"
    subprocess.run([binary, "load", "--location", str(location), "--file", str(data)],
                   check=True, stdout=subprocess.DEVNULL)
    return subprocess.Popen([binary, "serve-read-only", "--location", str(location),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL)


def timed_query(client: httpx.Client, url: str, query: str) -> tuple[float, int]:
    """Seconds for one POSTed query, and the number of result rows."""
    started = time.perf_counter()
    response = client.post(url, data={"query": query}, headers={"Accept": JSON_RESULTS})
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, len(response.json()["results"]["bindings"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--build-dir", type=Path, default=Settings.from_env().build_dir)
    parser.add_argument("--oxigraph", default=shutil.which("oxigraph") or "oxigraph",
                        help="the Oxigraph CLI binary (pip install oxigraph)")
    args = parser.parse_args()

    layout = BuildLayout.current(args.build_dir)
    if not layout.exists():
        raise SystemExit(f"no build in {args.build_dir}: run `ogpgraph build` first")
    base = layout.manifest().get("base_uri") or Settings.from_env().base_uri
    queries = example_queries(base)
    servers: dict[str, tuple[str, subprocess.Popen[bytes]]] = {}
    with tempfile.TemporaryDirectory(prefix="ogpgraph-bench-") as tmp:
        try:
            port = free_port()
            servers["ogpgraph"] = (f"http://127.0.0.1:{port}/sparql",
                                   start_ogpgraph(args.build_dir, port))
            port = free_port()
            servers["oxigraph"] = (f"http://127.0.0.1:{port}/query",
                                   start_oxigraph(args.oxigraph, layout.nquads_dump, Path(tmp),
                                                  port))
            for url, process in servers.values():
                wait_until_up(url, process)
            times: dict[str, dict[str, list[float]]] = {
                q.slug: {name: [] for name in servers} for q in queries}
            rows: dict[str, dict[str, int]] = {q.slug: {} for q in queries}
            with httpx.Client(timeout=120) as client:
                for name, (url, _) in servers.items():  # warm-up, and row counts
                    for q in queries:
                        rows[q.slug][name] = timed_query(client, url, q.query)[1]
                for run in range(args.runs):
                    order = list(servers) if run % 2 == 0 else list(reversed(servers))
                    for q in queries:
                        for name in order:
                            times[q.slug][name].append(timed_query(client, servers[name][0],
                                                                   q.query)[0])
        finally:
            for _, process in servers.values():
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

    report = []
    for q in queries:
        ogp = statistics.median(times[q.slug]["ogpgraph"]) * 1000
        oxi = statistics.median(times[q.slug]["oxigraph"]) * 1000
        report.append({"query": q.slug, "title": q.title, "runs": args.runs,
                       "ogpgraph_median_ms": round(ogp, 2), "oxigraph_median_ms": round(oxi, 2),
                       "ratio": round(ogp / oxi, 2) if oxi else None,
                       "rows": rows[q.slug]})
    print("| query | ogpgraph median (ms) | oxigraph median (ms) | ratio | rows |")
    print("|---|---:|---:|---:|---:|")
    for r in report:
        same = len(set(r["rows"].values())) == 1
        counts = str(r["rows"]["ogpgraph"]) if same else json.dumps(r["rows"])
        print(f"| {r['query']} | {r['ogpgraph_median_ms']} | {r['oxigraph_median_ms']} | "
              f"{r['ratio']} | {counts} |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"build": layout.manifest().get("build_id"),
                                   "results": report}, indent=2) + "\n")
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
