"""Serving from a SPARQL engine: load time per engine, and query latency through
``RemoteQueryExecutor`` against the engine's own endpoint answering the same request.

    python bench/remote_bench.py [--build DIR] [--loads 3] [--repeat 40]

Builds ``data/`` + ``../shared/ogp`` into ``bench/work/remote-shared`` unless ``--build``
names a build; starts each engine of ``tests/store/engines.py`` (Virtuoso, Oxigraph
server) in a temporary folder; loads the release ``--loads`` times with ``load_release``
(the whole path: prepare, stage, check, switch); then times each query ``--repeat`` times
both ways, interleaved. "direct" is one httpx request with the same query, dataset and
Accept as the executor sends, the body read whole. Results: ``bench/results/remote.{json,md}``.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "store"))
from engines import missing, new_engine  # noqa: E402

if __package__:
    from .common import (
        BENCH_DIR,
        machine,
        markdown_table,
        median,
        now_iso,
        percentile,
        write_results,
    )
else:  # run as a script: common.py sits beside this file
    from common import (  # type: ignore[no-redef]
        BENCH_DIR,
        machine,
        markdown_table,
        median,
        now_iso,
        percentile,
        write_results,
    )
from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT  # noqa: E402
from ogpgraph.graph.uris import Uris  # noqa: E402
from ogpgraph.release.layout import BuildLayout  # noqa: E402
from ogpgraph.store.query_jobs import QueryJob  # noqa: E402
from ogpgraph.store.remote_load import load_release  # noqa: E402
from ogpgraph.store.remote_protocol import accept_for, plan, result_kind  # noqa: E402
from ogpgraph.store.remote_store import open_store  # noqa: E402
from ogpgraph.web.resource_document import main_query  # noqa: E402
from ogpgraph.web.sparql.examples import prefix_block  # noqa: E402

ENGINES = ("virtuoso", "oxigraph")


def queries(base: str) -> dict[str, str]:
    return {
        "construct-one-resource": main_query(Uris(base).commitment("PE0055"), base),
        "graphs-of-one-resource": f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ "
                                  f"<{Uris(base).commitment('PE0055')}> ?p ?o }} }} ORDER BY ?g",
        "per-type-counts": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
        "commitments-per-member": prefix_block(base) + (
            "SELECT ?member (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ogp:Commitment ; "
            "ogp:member ?member } GROUP BY ?member"),
    }


def shared_build() -> Path:
    out = BENCH_DIR / "work" / "remote-shared"
    if not BuildLayout.current(out).exists():
        subprocess.run([str(Path(sys.executable).with_name("ogpgraph")), "build", "--source",
                        str(PROJECT_ROOT.parent / "shared" / "ogp"), "--out", str(out)],
                       check=True, cwd=PROJECT_ROOT)
    return out


def time_loads(build: Path, url: str, loads: int) -> list[float]:
    seconds = []
    for _ in range(loads):
        start = time.perf_counter()
        load_release(build, url)
        seconds.append(time.perf_counter() - start)
    return seconds


def time_queries(url: str, base: str, repeat: int) -> dict[str, dict[str, float | None]]:
    """Milliseconds, p50 and p90, through the executor and direct, interleaved."""
    store, executor = open_store(url, query_timeout=60)
    endpoint = store.endpoint
    direct = httpx.Client(timeout=60)
    loop = asyncio.new_event_loop()
    results: dict[str, dict[str, float | None]] = {}
    for name, query in queries(base).items():
        form = urlencode(plan(endpoint.profile, query, store.release).form())
        headers = {"Accept": accept_for(endpoint.profile, result_kind(query)),
                   "Content-Type": "application/x-www-form-urlencoded"}
        job = QueryJob(query, solutions_format="json", graph_format="turtle")
        timings: dict[str, list[float]] = {"executor": [], "direct": []}
        for i in range(repeat + 3):  # 3 warm-ups
            start = time.perf_counter()
            outcome = loop.run_until_complete(executor.run(job))
            middle = time.perf_counter()
            answer = direct.post(endpoint.query_url, content=form, headers=headers)
            end = time.perf_counter()
            assert outcome.kind == "ok" and answer.status_code == 200, outcome.message
            if i >= 3:
                timings["executor"].append((middle - start) * 1000)
                timings["direct"].append((end - middle) * 1000)
        results[name] = {f"{way}_{q}": (percentile(values, f) if q != "p50" else median(values))
                         for way, values in timings.items()
                         for q, f in (("p50", 0.5), ("p90", 0.9))}
    loop.run_until_complete(executor.aclose())
    loop.close()
    direct.close()
    store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path)
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    build = args.build or shared_build()
    manifest = BuildLayout.current(build).manifest()
    payload: dict = {"when": now_iso(), "machine": machine(), "triples": manifest["triples"],
                     "quads": manifest["quads"], "engines": {}}
    for kind in ENGINES:
        if missing(kind):
            payload["engines"][kind] = {"skipped": missing(kind)}
            continue
        with tempfile.TemporaryDirectory(prefix=f"remote-bench-{kind}-") as folder:
            engine = new_engine(kind, Path(folder), memory_mb=1024)
            start = time.perf_counter()
            engine.start()
            started = time.perf_counter() - start
            try:
                loads = time_loads(build, engine.url, args.loads)
                latencies = time_queries(engine.url, DEFAULT_BASE_URI, args.repeat)
            finally:
                engine.stop()
        payload["engines"][kind] = {"start_s": started, "load_s": loads,
                                    "queries_ms": latencies}
        print(kind, f"start {started:.1f} s, loads {[round(s, 2) for s in loads]} s", flush=True)
    write_results("remote", payload, report(payload, args))


def report(payload: dict, args: argparse.Namespace) -> str:
    engines = {k: v for k, v in payload["engines"].items() if "skipped" not in v}
    loads = [[kind, v["start_s"], median(v["load_s"]), min(v["load_s"])]
             for kind, v in engines.items()]
    rows = [[kind, name, q["executor_p50"], q["direct_p50"], q["executor_p50"] - q["direct_p50"],
             q["executor_p90"], q["direct_p90"]]
            for kind, v in engines.items() for name, q in v["queries_ms"].items()]
    skipped = [f"- {k}: skipped ({v['skipped']})" for k, v in payload["engines"].items()
               if "skipped" in v]
    return "\n".join([
        "# Serving from a SPARQL engine",
        "",
        f"{payload['when']}, {payload['machine']['cpus']} CPUs. Shared build: "
        f"{payload['triples']:,} triples in the union, {payload['quads']:,} quads in the "
        f"named graphs. `python bench/remote_bench.py --loads {args.loads} "
        f"--repeat {args.repeat}`.",
        "",
        "## Load (`load_release`: prepare, stage, check, switch), seconds",
        "",
        markdown_table(["engine", "start", "load p50", "load min"], loads),
        "",
        "## Query latency, ms: through `RemoteQueryExecutor` vs the engine directly",
        "",
        "Same query, dataset and Accept; the executor also parses the query, cuts the answer "
        "and converts it (SPARQL JSON, or Turtle for the CONSTRUCT).",
        "",
        markdown_table(["engine", "query", "executor p50", "direct p50", "overhead p50",
                        "executor p90", "direct p90"], rows),
        "",
        *skipped,
    ])


if __name__ == "__main__":
    main()
