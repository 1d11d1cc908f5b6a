"""The web tier served from Virtuoso at scale: load, memory, page latency, the example
queries against Virtuoso's own /sparql, and two replicas behind nginx vs one.

    python bench/scale_bench.py --build bench/work/build-n100000-s1 [--memory-mb 6144]
        [--pages 100] [--repeat 5] [--seconds 10] [--clients 8]

One run per build, in this order: Virtuoso (tests/store/engines.py, its own folder and
ports) is started and the release loaded with ``load_release`` (timed); ``ogpgraph serve
--store`` (uvicorn) starts on it (start-up timed, RSS read); ``--pages`` distinct
commitments' HTML page and Turtle document are asked once each with an If-None-Match that
never matches (the in-process page cache passed: "cache off"); each example query of the
query page runs ``--repeat`` times through the web tier and directly against Virtuoso's
``/sparql`` with the very form the web tier sends (interleaved, Virtuoso's timeout 60 s);
the web tier's RSS is read again; then nginx (deploy/nginx/ogpgraph.conf, its cache off)
in front of one replica, then of two, each under ``--clients`` clients for ``--seconds``
asking commitment pages. Writes ``bench/results/scale-n{N}.json`` and the summary of every
size run so far, with the build figures of ``--build-results`` and the exponents between
sizes, as ``bench/results/scale.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import cycle
from pathlib import Path
from urllib.parse import urlencode

import httpx
from rdflib import URIRef

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "tests" / "store"))
sys.path.insert(0, str(BENCH.parent / "tests" / "deploy"))
from common import (  # noqa: E402
    RESULTS_DIR,
    machine,
    markdown_table,
    now_iso,
    percentile,
    scaling_exponent,
    write_results,
)
from engines import Engine, new_engine  # noqa: E402
from proxy import start_nginx  # noqa: E402
from web_timing import (  # noqa: E402
    NO_CACHE,
    concurrent,
    free_port,
    start_ogpgraph,
    tree_pids,
    tree_rss_mb,
)

from ogpgraph.release.layout import BuildLayout  # noqa: E402
from ogpgraph.store.engines import SPARQL_JSON, parse_store_url  # noqa: E402
from ogpgraph.store.remote_load import load_release  # noqa: E402
from ogpgraph.store.remote_protocol import Plan, plan, timeout_form  # noqa: E402
from ogpgraph.store.remote_store import RemoteStore  # noqa: E402
from ogpgraph.web.resource_document import main_query  # noqa: E402
from ogpgraph.web.sparql.examples import example_queries, prefix_block  # noqa: E402

QUERY_TIMEOUT_S = 60.0
SERVER = "uvicorn"  # ogpgraph serve's default
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def start_virtuoso(folder: Path, memory_mb: int):
    engine = new_engine("virtuoso", folder, memory_mb=memory_mb)
    ini = folder / "virtuoso.ini"
    text = ini.read_text()
    for key in ("MaxQueryExecutionTime", "MaxClientConnections", "ServerThreads"):
        lines = [ln for ln in text.splitlines() if ln.startswith(key)]
        for line in lines:
            value = "60" if key == "MaxQueryExecutionTime" else "40"
            text = text.replace(line, f"{key} = {value}")
    ini.write_text(text)
    engine.start()
    return engine


def restart_virtuoso(folder: Path):
    """The engine of an earlier run of this script, on its files (the release it loaded)."""
    ini = (folder / "virtuoso.ini").read_text()
    ports = [int(line.rsplit(":", 1)[1]) for line in ini.splitlines()
             if line.startswith("ServerPort")]
    engine = Engine("virtuoso", folder, http_port=ports[1], sql_port=ports[0])
    engine.start()
    return engine


def stop_virtuoso(engine) -> None:  # noqa: ANN001
    """A checkpoint first: stopped without one, Virtuoso replays its transaction log at
    the next start (5 minutes at 100,000 commitments)."""
    if engine.process is not None and engine.process.poll() is None:
        try:
            subprocess.run(["isql-vt", str(engine.sql_port), "dba", "dba", "exec=checkpoint;"],
                           capture_output=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired):
            pass  # stopped all the same; the next start replays the log
    engine.stop()


def commitment_ids(url: str, base: str, count: int) -> list[str]:
    query = prefix_block(base) + ("SELECT ?id WHERE { ?c a ogp:Commitment ; dcterms:identifier"
                                  " ?id } ORDER BY ?id")
    answer = httpx.post(f"{url}/sparql", data={"query": query},
                        headers={"Accept": "text/csv"}, timeout=QUERY_TIMEOUT_S)
    ids = answer.text.splitlines()[1:]
    step = max(len(ids) // count, 1)
    return ids[::step][:count]


OLD_DOCUMENT_PART = re.compile(
    r"\{ <([^>]+)> \?op \?n FILTER\(STR\(\?op\) IN \(([^)]*)\)\) \?n \?np \?no \.")


def old_document_query(iri: str, base: str) -> str:
    """The document query as it was (``VALUES ?op``), for the shape probe."""
    def values(found: re.Match[str]) -> str:
        owned = " ".join(f"<{part.strip().strip(chr(34))}>" for part in found.group(2).split(","))
        return f"{{ VALUES ?op {{ {owned} }} <{found.group(1)}> ?op ?n . ?n ?np ?no ."
    return OLD_DOCUMENT_PART.sub(values, main_query(URIRef(iri), base))


def shape_probe(engine_url: str, base: str, ids: list[str],
                only: tuple[str, ...] = ()) -> dict[str, dict]:
    """The page's two costly queries straight to Virtuoso, as sent before and now: the
    graphs of a resource with every graph of the release as ``named-graph-uri`` vs joined
    with the release's description; the document query with ``VALUES ?op`` vs ``STR(?op)
    IN`` (``only``: these shapes). p50 ms over the commitments, and any failure (an HTTP
    error, a reset)."""
    store = RemoteStore(parse_store_url(engine_url), timeout=QUERY_TIMEOUT_S)
    release, profile = store.release, store.endpoint.profile
    uris = [f"{base}id/commitment/{i}" for i in ids]
    graphs = "SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{}> ?p ?o }} }} ORDER BY ?g"
    shapes = {
        "graphs: every graph as named-graph-uri": lambda iri: Plan(
            graphs.format(iri), (release.union_graph,), release.named_graphs),
        "graphs: joined with the description": lambda iri: plan(
            profile, graphs.format(iri), release),
        "document: VALUES ?op": lambda iri: plan(profile, old_document_query(iri, base),
                                                 release),
        "document: STR(?op) IN": lambda iri: plan(profile, main_query(URIRef(iri), base),
                                                  release),
    }
    results: dict[str, dict] = {}
    with httpx.Client(timeout=QUERY_TIMEOUT_S + 5) as client:
        for name, make in shapes.items():
            if only and name not in only:
                continue
            times, failures = [], []
            for iri in uris:
                form = make(iri).form() + timeout_form(profile, QUERY_TIMEOUT_S)
                start = time.perf_counter()
                try:
                    answer = client.post(store.endpoint.query_url, content=urlencode(form),
                                         headers={"Accept": SPARQL_JSON, **FORM})
                    if answer.status_code != 200:
                        failures.append(f"{answer.status_code}: {answer.text[:200]}")
                except httpx.HTTPError as error:
                    failures.append(f"{type(error).__name__}: {error}")
                times.append((time.perf_counter() - start) * 1000)
            results[name] = {"p50": statistics.median(times), "n": len(times),
                             "request_bytes": len(urlencode(make(uris[0]).form())),
                             "failures": len(failures), "first_failure": failures[:1]}
    store.close()
    return results


def page_latencies(url: str, ids: list[str]) -> dict[str, dict[str, float | None]]:
    """Each commitment's HTML page, then its Turtle document, once (cache off)."""
    timings: dict[str, list[float]] = {"commitment-page": [], "commitment-ttl": []}
    with httpx.Client(base_url=url, timeout=QUERY_TIMEOUT_S) as client:
        for identifier in ids[:3]:  # warm-up
            client.get(f"/doc/commitment/{identifier}", headers={"Accept": "text/html"})
        for identifier in ids:
            for name, path, accept in (
                    ("commitment-page", f"/doc/commitment/{identifier}", "text/html"),
                    ("commitment-ttl", f"/doc/commitment/{identifier}.ttl", "text/turtle")):
                start = time.perf_counter()
                response = client.get(path, headers={"Accept": accept, **NO_CACHE})
                timings[name].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
    return {name: {"p50": statistics.median(v), "p90": percentile(v, 0.9), "n": len(v)}
            for name, v in timings.items()}


def example_latencies(url: str, engine_url: str, base: str, repeat: int) -> dict[str, dict]:
    """Each example query through the web tier and straight to Virtuoso (same form)."""
    store = RemoteStore(parse_store_url(engine_url), timeout=QUERY_TIMEOUT_S)
    profile, release = store.endpoint.profile, store.release
    results: dict[str, dict] = {}
    with httpx.Client(timeout=QUERY_TIMEOUT_S + 5) as client:
        for example in example_queries(base):
            form = plan(profile, example.query, release).form() + timeout_form(
                profile, QUERY_TIMEOUT_S)
            web, direct = [], []
            for i in range(repeat + 1):  # one warm-up
                start = time.perf_counter()
                ours = client.post(f"{url}/sparql", data={"query": example.query},
                                   headers={"Accept": SPARQL_JSON})
                middle = time.perf_counter()
                theirs = client.post(store.endpoint.query_url, content=urlencode(form),
                                     headers={"Accept": SPARQL_JSON, **FORM})
                end = time.perf_counter()
                if i:
                    web.append((middle - start) * 1000)
                    direct.append((end - middle) * 1000)
            rows = len(json.loads(ours.content)["results"]["bindings"]) \
                if ours.status_code == 200 else None
            results[example.slug] = {
                "web_p50": statistics.median(web), "direct_p50": statistics.median(direct),
                "ratio": statistics.median(web) / statistics.median(direct),
                "web_status": ours.status_code, "direct_status": theirs.status_code,
                "partial": theirs.headers.get("x-sql-state"), "rows": rows}
    store.close()
    return results


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its descendants (live ones: /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for member in tree_pids(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def with_cpu(run: Callable[[], dict], processes: dict[str, int]) -> dict:
    """``run()``'s result with the cores each process used meanwhile (CPU s / wall s),
    the machine's cores busy in all, and the load average at the end."""
    before = {name: cpu_seconds(pid) for name, pid in processes.items()}
    busy, total = machine_busy()
    own = time.process_time()  # the clients' threads
    started = time.perf_counter()
    result = run()
    wall = time.perf_counter() - started
    own = time.process_time() - own
    busy_after, total_after = machine_busy()
    result["cores_used"] = {name: (cpu_seconds(pid) - before[name]) / wall
                            for name, pid in processes.items()}
    result["cores_used"]["clients (this process)"] = own / wall
    result["cores_busy_machine"] = (busy_after - busy) / wall
    result["load_average"] = os.getloadavg()[0]
    return result


def replicas_load(build: Path, engine_url: str, first, ids: list[str], folder: Path,
                  clients: int, seconds: float, engine_pid: int) -> dict:
    env = {"OGPGRAPH_BUILD_DIR": str(build), "OGPGRAPH_QUERY_TIMEOUT": str(QUERY_TIMEOUT_S)}
    second = start_ogpgraph("replica-2", folder, env, SERVER, store=engine_url)
    paths = cycle([f"/doc/commitment/{i}" for i in ids])
    lock = __import__("threading").Lock()

    def page(client: httpx.Client) -> httpx.Response:
        with lock:
            path = next(paths)
        return client.get(path, headers={"Accept": "text/html", **NO_CACHE})

    results = {}
    try:
        with httpx.Client(base_url=second.url, timeout=QUERY_TIMEOUT_S) as client:
            for identifier in ids[:20]:  # the second replica warmed up as the first was
                client.get(f"/doc/commitment/{identifier}", headers={"Accept": "text/html"})
        for name, ports in (("one replica", [first]), ("two replicas", [first, second])):
            listen = free_port()
            nginx = start_nginx([int(r.url.rsplit(":", 1)[1]) for r in ports], listen,
                                folder / f"nginx-{len(ports)}", cache=False)
            processes = {"replica 1": first.process.pid, "replica 2": second.process.pid,
                         "virtuoso": engine_pid, "nginx": nginx.process.pid}
            try:
                concurrent(f"http://127.0.0.1:{listen}", page, clients, 2.0)  # warm-up
                proxy = f"http://127.0.0.1:{listen}"
                results[name] = with_cpu(lambda proxy=proxy: concurrent(
                    proxy, page, clients, seconds), processes)
            finally:
                nginx.stop()
        results["direct, one replica"] = concurrent(first.url, page, clients, seconds)
    finally:
        second.stop()
    results["ratio"] = results["two replicas"]["rps"] / results["one replica"]["rps"]
    return results


DOCUMENT_SHAPE = "document: STR(?op) IN"


def restart_after_load(engine, base: str, ids: list[str], payload: dict):  # noqa: ANN001, ANN201
    """Right after a load Virtuoso ran the document query ~50x slower than after a restart
    of the engine on the same files (700 vs 13 ms at 100,000 commitments, 2026-12-02):
    timed before and after a restart, which the rest of the run then uses (see
    deploy/README.md)."""
    before = shape_probe(engine.url, base, ids, only=(DOCUMENT_SHAPE,))[DOCUMENT_SHAPE]
    folder = Path(engine.folder)
    stop_virtuoso(engine)
    started = time.perf_counter()
    engine = restart_virtuoso(folder)
    after = shape_probe(engine.url, base, ids, only=(DOCUMENT_SHAPE,))[DOCUMENT_SHAPE]
    payload["after_load"] = {"document_query_p50_ms_before_restart": before["p50"],
                             "document_query_p50_ms_after_restart": after["p50"],
                             "restart_s": time.perf_counter() - started, "n": len(ids)}
    return engine


def run(args: argparse.Namespace) -> dict:
    build = args.build
    manifest = BuildLayout.current(build).manifest()
    base = manifest.get("base_uri") or "http://127.0.0.1:8000/"
    payload: dict = {"when": now_iso(), "machine": machine(), "build": str(build),
                     "commitments": manifest["counts"]["commitments"],
                     "triples": manifest["triples"], "quads": manifest["quads"],
                     "command": "python bench/scale_bench.py " + " ".join(sys.argv[1:])}
    folder = BENCH / "work" / f"scale-run-n{payload['commitments']}"  # logs kept after a run
    if args.loaded_seconds is None:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    engine = (restart_virtuoso(folder / "virtuoso") if args.loaded_seconds is not None
              else start_virtuoso(folder / "virtuoso", args.memory_mb))
    payload["virtuoso_start_s"] = time.perf_counter() - started
    try:
        started = time.perf_counter()
        if args.loaded_seconds is None:
            load_release(build, engine.url, timeout=7200.0, work_dir=folder)
        payload["load_s"] = args.loaded_seconds or time.perf_counter() - started
        env = {"OGPGRAPH_BUILD_DIR": str(build), "OGPGRAPH_BASE_URI": base,
               "OGPGRAPH_QUERY_TIMEOUT": str(QUERY_TIMEOUT_S)}
        web = start_ogpgraph("web", folder, env, SERVER, store=engine.url)
        try:
            payload["web_start_s"] = web.ready_seconds
            payload["web_rss_start_mb"] = tree_rss_mb(web.process.pid)
            ids = commitment_ids(web.url, base, args.pages)
            if args.loaded_seconds is None and not args.no_restart:
                engine = restart_after_load(engine, base, ids[:10], payload)
            payload["shapes"] = shape_probe(engine.url, base, ids[:20])
            payload["pages"] = page_latencies(web.url, ids)
            if not args.pages_only:
                payload["examples"] = example_latencies(web.url, engine.url, base,
                                                        args.repeat)
            payload["web_rss_mb"] = tree_rss_mb(web.process.pid)
            payload["virtuoso_rss_mb"] = tree_rss_mb(engine.process.pid)
            if not args.pages_only:
                payload["replicas"] = replicas_load(build, engine.url, web, ids, folder,
                                                    args.clients, args.seconds,
                                                    engine.process.pid)
            payload["web_rss_end_mb"] = tree_rss_mb(web.process.pid)
        finally:
            web.stop()
    finally:
        stop_virtuoso(engine)
    return payload


def size_rows(runs: list[dict]) -> list[list[object]]:
    rows = []
    for r in runs:
        pages, replicas = r["pages"], r.get("replicas") or {}
        ratios = [e["ratio"] for e in (r.get("examples") or {}).values()]
        rows.append([r["commitments"], r["triples"], r["load_s"], r["web_start_s"],
                     r["web_rss_mb"], r["web_rss_end_mb"], pages["commitment-page"]["p50"],
                     pages["commitment-ttl"]["p50"], max(ratios) if ratios else None,
                     (replicas.get("one replica") or {}).get("rps"),
                     (replicas.get("two replicas") or {}).get("rps"), replicas.get("ratio")])
    return rows


def build_rows(build_results: Path) -> tuple[list[list[object]], list[list[object]]]:
    if not build_results.is_file():
        return [], []
    payload = json.loads(build_results.read_text(encoding="utf-8"))
    rows = [[r["size"], r.get("commitments"), r.get("triples"), r.get("total_seconds"),
             r.get("cpu_seconds"), r.get("peak_rss_mb"), r.get("ok")]
            for r in payload["runs"]]
    exponents = [[f"{e['from']:,} → {e['to']:,}", e["total"], e["cpu"], e["peak_rss"]]
                 for e in payload.get("scaling", [])]
    return rows, exponents


def exponent_rows(runs: list[dict]) -> list[list[object]]:
    rows = []
    for a, b in zip(runs, runs[1:], strict=False):
        n1, n2 = a["commitments"], b["commitments"]
        rows.append([f"{n1:,} → {n2:,}",
                     scaling_exponent(n1, a["load_s"], n2, b["load_s"]),
                     scaling_exponent(n1, a["web_rss_mb"], n2, b["web_rss_mb"]),
                     *(scaling_exponent(n1, a["pages"][k]["p50"], n2, b["pages"][k]["p50"])
                       for k in ("commitment-page", "commitment-ttl"))])
    return rows


def target_row(run: dict) -> list[object]:
    examples = run.get("examples") or {}
    worst = max((e["ratio"] for e in examples.values()), default=None)
    over = ", ".join(f"{slug} ({e['ratio']:.2f}: {e['web_p50']:.1f} vs {e['direct_p50']:.1f} ms)"
                     for slug, e in examples.items() if e["ratio"] > 1.5) or "none"
    return [run["commitments"], max(run["web_rss_mb"], run["web_rss_end_mb"]),
            run["pages"]["commitment-page"]["p50"], run["pages"]["commitment-ttl"]["p50"],
            worst, over, (run.get("replicas") or {}).get("ratio")]


def summary(build_results: list[Path]) -> str:
    runs = sorted((json.loads(p.read_text(encoding="utf-8"))
                   for p in RESULTS_DIR.glob("scale-n*.json")), key=lambda r: r["commitments"])
    parts = ["# At scale, served from Virtuoso", "Each size run once, with "
             "`python bench/scale_bench.py --build bench/work/build-n{N}-s1`, on the 2-core "
             "machine shared with other work (see each run's notes)."]
    for results in build_results:
        builds, build_exponents = build_rows(results)
        if not builds:
            continue
        payload = json.loads(results.read_text(encoding="utf-8"))
        sizes = " ".join(str(row[0]) for row in builds)
        parts += [f"## Build (`python bench/build_bench.py --sizes {sizes} --seed 1`, "
                  f"{payload.get('generated_at', '')}; `{results.name}`)",
                  markdown_table(["commitments generated", "built", "triples", "wall s",
                                  "CPU s", "peak RSS MB", "ok"], builds)]
        if build_exponents:
            parts += [markdown_table(["exponent", "wall", "CPU", "peak RSS"], build_exponents)]
    if runs:
        parts += ["## Served from Virtuoso",
                  markdown_table(["commitments", "triples", "load into Virtuoso s",
                                  "web start s", "web RSS MB", "web RSS after replicas MB",
                                  "page p50 ms", "Turtle p50 ms", "worst example / direct",
                                  "1 replica req/s", "2 replicas req/s", "2 / 1"],
                                 size_rows(runs))]
        if len(runs) > 1:
            parts += ["Exponents between sizes (t ∝ n^k):",
                      markdown_table(["sizes", "load", "web RSS", "page p50", "Turtle p50"],
                                     exponent_rows(runs))]
        for r in (r for r in runs if r.get("examples")):
            parts += [f"### Example queries at {r['commitments']:,} commitments: web tier vs "
                      "Virtuoso's /sparql, p50 ms",
                      markdown_table(["query", "web", "direct", "web / direct", "rows",
                                      "status"],
                                     [[slug, e["web_p50"], e["direct_p50"], e["ratio"],
                                       e["rows"], f"{e['web_status']}/{e['direct_status']}"
                                       + (f" {e['partial']}" if e["partial"] else "")]
                                      for slug, e in r["examples"].items()])]
        for r in (r for r in runs if r.get("shapes")):
            parts += [f"### The page's two costly queries straight at Virtuoso at "
                      f"{r['commitments']:,} commitments, before and now (p50 ms)",
                      markdown_table(["query shape", "p50 ms", "request bytes", "failures",
                                      "first failure"],
                                     [[name, e["p50"], e["request_bytes"], e["failures"],
                                       "; ".join(e["first_failure"])[:200]]
                                      for name, e in r["shapes"].items()])]
        restarted = [r for r in runs if r.get("after_load")]
        if restarted:
            parts += ["### The document query straight at Virtuoso right after the load, and "
                      "after a restart of the engine on the same files (p50 ms)",
                      markdown_table(["commitments", "after the load", "after a restart",
                                      "restart s", "commitments asked"],
                                     [[f"{r['commitments']:,}",
                                       r["after_load"]["document_query_p50_ms_before_restart"],
                                       r["after_load"]["document_query_p50_ms_after_restart"],
                                       r["after_load"]["restart_s"], r["after_load"]["n"]]
                                      for r in restarted])]
        for r in runs:
            used = [(name, run) for name, run in (r.get("replicas") or {}).items()
                    if isinstance(run, dict) and run.get("cores_used")]
            if used:
                names = list(used[0][1]["cores_used"])
                parts += [f"### Cores used during the replica runs at {r['commitments']:,} "
                          "commitments (CPU seconds per second of the run)",
                          markdown_table(["run", "req/s", *names, "machine busy",
                                          "load average"],
                                         [[name, run["rps"], *(run["cores_used"][n]
                                                               for n in names),
                                           run["cores_busy_machine"], run["load_average"]]
                                          for name, run in used])]
        parts += ["## Against the targets (issue 12), per size served",
                  markdown_table(["commitments", "web RSS MB (< 300)", "page p50 ms (< 20)",
                                  "Turtle p50 ms (< 20)", "worst example / direct (≤ 1.5)",
                                  "examples over 1.5", "2 replicas / 1 (≥ 1.6)"],
                                 [target_row(r) for r in runs])]
        parts += [f"Notes at {r['commitments']:,}: {r['notes']}" for r in runs if r.get("notes")]
    return "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path)
    parser.add_argument("--memory-mb", type=int, default=6144)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--notes", default="")
    parser.add_argument("--build-results", type=Path, nargs="+", default=[
        RESULTS_DIR / "scale-build.json", RESULTS_DIR / "scale-build-n10000-n100000.json"])
    parser.add_argument("--summary-only", action="store_true")
    parser.add_argument("--loaded-seconds", type=float, default=None,
                        help="serve what an earlier run loaded (its engine's files in "
                             "bench/work/scale-run-n{N}), that load having taken so long")
    parser.add_argument("--no-restart", action="store_true",
                        help="measure the engine as the load left it (no restart after it)")
    parser.add_argument("--pages-only", action="store_true",
                        help="load and pages only: no example queries, no replicas")
    args = parser.parse_args(argv)
    if not args.summary_only:
        payload = run(args)
        payload["notes"] = args.notes
        write_results(f"scale-n{payload['commitments']}", payload,
                      f"See scale.md.\n\n```json\n{json.dumps(payload, indent=1)}\n```\n")
    (RESULTS_DIR / "scale.md").write_text(summary(args.build_results), encoding="utf-8")
    print((RESULTS_DIR / "scale.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
