"""Pages served from Virtuoso, before and after a change, in one run: two web tiers (a
checkout of the base commit put first on PYTHONPATH, and this checkout) on the one engine
an earlier ``scale_bench.py`` run loaded, asked the same commitments' HTML page and Turtle
document in turn (the order alternating), the page cache passed.

    python bench/page_ab_bench.py --build bench/work/build-n100000-s1 \
        --before /tmp/base-checkout [--pages 100] [--rounds 3]

The engine is restarted on the files in ``bench/work/scale-run-n{N}/virtuoso`` (see
``scale_bench.py``). Each round asks ``--pages`` distinct commitments (a different set
per round), each asked once before the timed rounds so that the engine's buffers hold
them for both sides alike. ``--examples SLUG …``: those example queries too, through
both tiers and straight to the engine (the form the tier sends), interleaved. Reported:
p50 and p25-p75 in ms, after / before (and after / direct for the examples). Results:
``bench/results/page-ab-n{N}.{json,md}``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, markdown_table, now_iso, spread, spread_cell, write_results  # noqa: E402
from scale_bench import (  # noqa: E402
    BENCH,
    FORM,
    QUERY_TIMEOUT_S,
    SERVER,
    restart_virtuoso,
    stop_virtuoso,
)
from web_timing import NO_CACHE, interleaved_ms, start_ogpgraph, timed_ms  # noqa: E402

from ogpgraph.release.layout import BuildLayout  # noqa: E402
from ogpgraph.store.engines import SPARQL_JSON, parse_store_url  # noqa: E402
from ogpgraph.store.remote_protocol import plan, timeout_form  # noqa: E402
from ogpgraph.store.remote_store import RemoteStore  # noqa: E402
from ogpgraph.web.sparql.examples import example_queries  # noqa: E402

BEFORE, AFTER, DIRECT = "before", "after", "direct"
KINDS = {"commitment-page": ("", "text/html"), "commitment-ttl": (".ttl", "text/turtle")}


def all_commitment_ids(url: str) -> list[str]:
    query = ("SELECT ?id WHERE { ?c a ?t ; <http://purl.org/dc/terms/identifier> ?id "
             "FILTER(STRENDS(STR(?t), \"ontology#Commitment\")) } ORDER BY ?id")
    answer = httpx.post(f"{url}/sparql", data={"query": query},
                        headers={"Accept": "text/csv"}, timeout=600)
    return [line.strip('"') for line in answer.text.splitlines()[1:]]


def example_timings(engine_url: str, urls: dict[str, str], base: str, slugs: list[str],
                    repeat: int) -> dict[str, dict[str, list[float]]]:
    """Each example through every tier and straight to the engine, in turn (one warm-up)."""
    store = RemoteStore(parse_store_url(engine_url), timeout=QUERY_TIMEOUT_S)
    found = {e.slug: e.query for e in example_queries(base) if e.slug in slugs}
    timings: dict[str, dict[str, list[float]]] = {}
    with httpx.Client(timeout=QUERY_TIMEOUT_S + 5) as client:
        for slug, query in found.items():
            form = urlencode(plan(store.endpoint.profile, query, store.release).form()
                             + timeout_form(store.endpoint.profile, QUERY_TIMEOUT_S))
            asks = {name: (lambda c, url=url, query=query: c.post(
                f"{url}/sparql", data={"query": query}, headers={"Accept": SPARQL_JSON}))
                for name, url in urls.items()}
            asks[DIRECT] = lambda c, form=form: c.post(
                store.endpoint.query_url, content=form, headers={"Accept": SPARQL_JSON, **FORM})
            timings[f"example {slug}"] = interleaved_ms(client, asks, repeat)
    store.close()
    return timings


def measure(build: Path, before: Path, pages: int, rounds: int, examples: list[str],
            repeat: int) -> dict[str, dict[str, list[float]]]:
    manifest = BuildLayout.current(build).manifest()
    folder = BENCH / "work" / f"scale-run-n{manifest['counts']['commitments']}"
    engine = restart_virtuoso(folder / "virtuoso")
    env = {"OGPGRAPH_BUILD_DIR": str(build),
           "OGPGRAPH_BASE_URI": manifest.get("base_uri") or "http://127.0.0.1:8000/"}
    timings: dict[str, dict[str, list[float]]] = {k: {BEFORE: [], AFTER: []} for k in KINDS}
    with tempfile.TemporaryDirectory(prefix="page-ab-") as logs:
        running = []
        try:
            running.append(start_ogpgraph(BEFORE, Path(logs), {**env, "PYTHONPATH": str(before)},
                                          SERVER, store=engine.url))
            running.append(start_ogpgraph(AFTER, Path(logs), env, SERVER, store=engine.url))
            ids = all_commitment_ids(running[1].url)
            step = max(1, len(ids) // pages)
            clients = {r.name: httpx.Client(base_url=r.url, timeout=120) for r in running}
            for round_ in range(rounds):  # warm-up: the engine's buffers hold these pages
                for identifier in ids[round_::step][:pages]:
                    clients[AFTER].get(f"/doc/commitment/{identifier}", headers=NO_CACHE)
            for kind, (suffix, accept) in KINDS.items():
                for round_ in range(rounds):
                    for n, identifier in enumerate(ids[round_::step][:pages]):
                        order = running if n % 2 == 0 else running[::-1]
                        for r in order:
                            timings[kind][r.name].append(timed_ms(clients[r.name], (
                                lambda client, path=f"/doc/commitment/{identifier}{suffix}",
                                headers={"Accept": accept, **NO_CACHE}:
                                client.get(path, headers=headers))))
            if examples:
                timings.update(example_timings(engine.url, {r.name: r.url for r in running},
                                               env["OGPGRAPH_BASE_URI"], examples, repeat))
        finally:
            for r in running:
                r.stop()
            stop_virtuoso(engine)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--examples", nargs="*", default=[], metavar="SLUG")
    parser.add_argument("--repeat", type=int, default=30, help="per example query")
    parser.add_argument("--notes", default="")
    args = parser.parse_args(argv)
    manifest = BuildLayout.current(args.build).manifest()
    timings = measure(args.build, args.before, args.pages, args.rounds, args.examples,
                      args.repeat)
    stats = {kind: {side: spread(v) for side, v in sides.items()}
             for kind, sides in timings.items()}
    commitments = manifest["counts"]["commitments"]
    payload = {"when": now_iso(), "machine": machine(), "build": str(args.build),
               "commitments": commitments, "before": str(args.before), "server": SERVER,
               "notes": args.notes,
               "command": "python bench/page_ab_bench.py " + " ".join(argv or sys.argv[1:]),
               "latency_ms": stats}

    rows = [[kind, spread_cell(s[BEFORE]), spread_cell(s[AFTER]),
             f"{s[AFTER]['p50'] / s[BEFORE]['p50']:.2f}",
             spread_cell(s[DIRECT]) if DIRECT in s else "",
             f"{s[AFTER]['p50'] / s[DIRECT]['p50']:.2f}" if DIRECT in s else "",
             s[AFTER]["n"]] for kind, s in stats.items()]
    markdown = "\n\n".join([
        f"# Pages from Virtuoso at {commitments:,} commitments, before and after",
        f"{payload['when']}, {payload['machine']['cpus']} CPUs; before = {args.before}; "
        f"{SERVER}; `{payload['command']}`",
        "p50 ms (p25–p75), both web tiers on one engine, interleaved; page cache passed.",
        markdown_table(["request", "before", "after", "after / before", "engine direct",
                        "after / direct", "requests each"], rows),
        args.notes])
    _, md_path = write_results(f"page-ab-n{commitments}", payload, markdown)
    print(md_path.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
