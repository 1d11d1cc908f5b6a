"""The web tier's own time per request, before and after a change, in one run: the same
``ogpgraph serve`` (one HTTP server, forked query workers) started from two checkouts of
the code (``--before DIR``: a checkout of the base commit, put first on PYTHONPATH; the
"after" side is this checkout), beside the peer, ``oxigraph serve-read-only`` on the
release's own on-disk store, all serving the same build at once.

    python bench/web_latency_bench.py --build DIR --before /tmp/base-checkout \
        [--repeat 200] [--server granian] [--workers 2]

Requests are interleaved (before, after, peer; the order rotates per round). The /sparql
queries are the ones of ``servers_bench.py`` (ASK and CONSTRUCT of one resource, counts per
type), sent to the peer at ``/query``; pages and documents are asked with an If-None-Match
that never matches, so the page cache is passed. Reported: p50 and the spread (p25-p75)
in ms, after − peer, before − peer, after / before. Results:
``bench/results/web-latency-{name}.{json,md}``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, markdown_table, now_iso, spread, spread_cell, write_results  # noqa: E402
from servers_bench import PEER, interleaved, requests, start_peer  # noqa: E402
from web_timing import start_ogpgraph  # noqa: E402

from ogpgraph.config import DEFAULT_BASE_URI  # noqa: E402
from ogpgraph.release.layout import BuildLayout  # noqa: E402

BEFORE, AFTER = "before", "after"
WARM_UP = 10


def measure(build: Path, before: Path, repeat: int, server: str, workers: int,
            member: str) -> dict[str, dict[str, list[float]]]:
    env = {"OGPGRAPH_BUILD_DIR": str(build), "OGPGRAPH_BASE_URI": DEFAULT_BASE_URI,
           "OGPGRAPH_QUERY_PER_CLIENT": "0", "OGPGRAPH_QUERY_WORKERS": str(workers)}
    table = {name: entry for name, entry in requests(DEFAULT_BASE_URI, member=member).items()
             if not name.endswith("-cached")}
    peer_table = requests(DEFAULT_BASE_URI, "/query", member=member)
    with tempfile.TemporaryDirectory(prefix="web-latency-") as folder:
        running = []
        try:
            running.append(start_ogpgraph(BEFORE, Path(folder),
                                          {**env, "PYTHONPATH": str(before)}, server))
            running.append(start_ogpgraph(AFTER, Path(folder), env, server))
            running.append(start_peer(build, Path(folder)))
            timings = interleaved(running, table, peer_table, repeat, WARM_UP)
        finally:
            for r in running:
                r.stop()
    return timings


def summary(timings: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, dict]]:
    return {name: {side: spread(values) for side, values in sides.items()}
            for name, sides in timings.items()}


def markdown(payload: dict) -> str:
    rows = []
    for name, sides in payload["latency_ms"].items():
        before, after = sides[BEFORE], sides[AFTER]
        peer = sides.get(PEER)
        rows.append([name, spread_cell(before), spread_cell(after),
                     spread_cell(peer) if peer else "",
                     f"{before['p50'] - peer['p50']:.2f}" if peer else "",
                     f"{after['p50'] - peer['p50']:.2f}" if peer else "",
                     f"{after['p50'] / before['p50']:.2f}"])
    return "\n\n".join([
        f"# Web tier's own time per request, before and after ({payload['name']})\n\n"
        f"{payload['when']}, {payload['machine']['cpus']} CPUs, load average "
        f"{payload['load_before']} at the start and {payload['load_after']} at the end; "
        f"build {payload['build']} ({payload['triples']:,} triples); "
        f"{payload['server']}, {payload['workers']} query workers; before = "
        f"{payload['before']}. `{payload['command']}`",
        "p50 ms (p25–p75), interleaved in the same rounds; pages with the page cache passed.",
        markdown_table(["request", "before", "after", PEER, "before − peer", "after − peer",
                        "after / before"], rows),
        payload.get("notes", ""),
    ])


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--before", type=Path, required=True,
                        help="a checkout of the code to compare with (put on PYTHONPATH)")
    parser.add_argument("--name", default="shared", help="results file suffix")
    parser.add_argument("--member", default="PE0055", help="the commitment asked for")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--server", default="granian", choices=("granian", "uvicorn"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--notes", default="")
    args = parser.parse_args(argv)
    manifest = BuildLayout.current(args.build).manifest()
    load_before = load_average()
    timings = measure(args.build, args.before, args.repeat, args.server, args.workers,
                      args.member)
    payload = {"when": now_iso(), "machine": machine(), "build": str(args.build),
               "name": args.name, "triples": manifest.get("triples") or 0,
               "before": str(args.before), "server": args.server, "workers": args.workers,
               "load_before": load_before, "load_after": load_average(),
               "notes": args.notes,
               "command": "python bench/web_latency_bench.py " + " ".join(argv or sys.argv[1:]),
               "latency_ms": summary(timings)}
    json_path, md_path = write_results(f"web-latency-{args.name}", payload, markdown(payload))
    print(md_path.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
