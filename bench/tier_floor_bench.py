"""How much of the web tier's time on a quick example query any Python tier would add:
the example queries straight to Virtuoso, through ``minimal_proxy.py`` (the same form,
posted on by libcurl from a thread, under the HTTP server ``ogpgraph serve`` runs) and
through ogpgraph's ``/sparql``, interleaved, on the engine an earlier ``scale_bench.py``
run loaded (restarted on its files).

    python bench/tier_floor_bench.py --build bench/work/build-n100000-s1 \
        [--examples peru-2015 …] [--repeat 60]

Reported: p50 and p25–p75 in ms, each tier's p50 over the engine's. Results:
``bench/results/tier-floor-n{N}.{json,md}``.
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
from web_timing import free_port, interleaved_ms, start, start_ogpgraph  # noqa: E402

from ogpgraph.release.layout import BuildLayout  # noqa: E402
from ogpgraph.store.engines import SPARQL_JSON, parse_store_url  # noqa: E402
from ogpgraph.store.remote_protocol import plan, timeout_form  # noqa: E402
from ogpgraph.store.remote_store import RemoteStore  # noqa: E402
from ogpgraph.web.sparql.examples import example_queries  # noqa: E402

DIRECT, FLOOR, OGPGRAPH = "engine direct", "minimal proxy", "ogpgraph"
HEADERS = {"Accept": SPARQL_JSON, **FORM}
# the floor under the same HTTP server as ogpgraph, with an access log as ogpgraph's default
FLOOR_COMMANDS = {
    "granian": ["granian", "--interface", "asgi", "--workers", "1", "--access-log"],
    "uvicorn": ["uvicorn", "--loop", "uvloop", "--http", "httptools"],
}


def start_floor(folder: Path, engine_query_url: str):  # -> web_timing.Running
    port = free_port()
    program, *options = FLOOR_COMMANDS[SERVER]
    command = [str(Path(sys.executable).with_name(program)), *options, "--host", "127.0.0.1",
               "--port", str(port), "minimal_proxy:app"]
    return start(FLOOR, command, f"http://127.0.0.1:{port}", "/", folder / "floor.log",
                 {"OGPGRAPH_FLOOR_ENGINE": engine_query_url,
                  "PYTHONPATH": str(Path(__file__).resolve().parent)})


def measure(build: Path, slugs: list[str], repeat: int) -> dict[str, dict[str, list[float]]]:
    manifest = BuildLayout.current(build).manifest()
    base = manifest.get("base_uri") or "http://127.0.0.1:8000/"
    folder = BENCH / "work" / f"scale-run-n{manifest['counts']['commitments']}"
    engine = restart_virtuoso(folder / "virtuoso")
    timings: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="tier-floor-") as logs:
        running = []
        store = RemoteStore(parse_store_url(engine.url), timeout=QUERY_TIMEOUT_S)
        try:
            running.append(start_ogpgraph(OGPGRAPH, Path(logs), {
                "OGPGRAPH_BUILD_DIR": str(build), "OGPGRAPH_BASE_URI": base}, SERVER,
                store=engine.url))
            query_url = store.endpoint.query_url
            running.append(start_floor(Path(logs), query_url))
            tier, floor = running[0].url, running[1].url
            with httpx.Client(timeout=QUERY_TIMEOUT_S + 5) as client:
                for example in example_queries(base):
                    if example.slug not in slugs:
                        continue
                    form = urlencode(plan(store.endpoint.profile, example.query, store.release)
                                     .form() + timeout_form(store.endpoint.profile,
                                                            QUERY_TIMEOUT_S))
                    asks = {
                        DIRECT: lambda c, form=form: c.post(query_url, content=form,
                                                            headers=HEADERS),
                        FLOOR: lambda c, form=form: c.post(f"{floor}/", content=form,
                                                           headers=HEADERS),
                        OGPGRAPH: lambda c, q=example.query: c.post(
                            f"{tier}/sparql", data={"query": q},
                            headers={"Accept": SPARQL_JSON}),
                    }
                    timings[example.slug] = interleaved_ms(client, asks, repeat, warm_up=3)
        finally:
            store.close()
            for r in running:
                r.stop()
            stop_virtuoso(engine)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--examples", nargs="*", default=["peru-2015"], metavar="SLUG")
    parser.add_argument("--repeat", type=int, default=60, help="per example query")
    parser.add_argument("--notes", default="")
    args = parser.parse_args(argv)
    commitments = BuildLayout.current(args.build).manifest()["counts"]["commitments"]
    timings = measure(args.build, args.examples, args.repeat)
    stats = {slug: {side: spread(v) for side, v in sides.items()}
             for slug, sides in timings.items()}
    payload = {"when": now_iso(), "machine": machine(), "build": str(args.build),
               "commitments": commitments, "server": SERVER, "notes": args.notes,
               "command": "python bench/tier_floor_bench.py " + " ".join(argv or sys.argv[1:]),
               "latency_ms": stats}

    rows = [[slug, spread_cell(s[DIRECT]), spread_cell(s[FLOOR]),
             f"{s[FLOOR]['p50'] / s[DIRECT]['p50']:.2f}", spread_cell(s[OGPGRAPH]),
             f"{s[OGPGRAPH]['p50'] / s[DIRECT]['p50']:.2f}", s[DIRECT]["n"]]
            for slug, s in stats.items()]
    markdown = "\n\n".join([
        f"# The least a Python tier adds: example queries at {commitments:,} commitments",
        f"{payload['when']}, {payload['machine']['cpus']} CPUs; {SERVER} for both tiers; "
        f"`{payload['command']}`",
        "p50 ms (p25–p75), interleaved, one keep-alive client; the minimal proxy posts the "
        "form ogpgraph would send, as it is, with libcurl from a thread.",
        markdown_table(["example", DIRECT, FLOOR, "proxy / direct", OGPGRAPH,
                        "ogpgraph / direct", "requests each"], rows),
        args.notes])
    _, md_path = write_results(f"tier-floor-n{commitments}", payload, markdown)
    print(md_path.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
