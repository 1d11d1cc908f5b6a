"""The one command: build, SPARQL and linked-data benchmarks per size, in one report.

``python bench/harness.py --sizes 10000 [100000] --seed 1 [--quick]`` runs
``bench/build_bench.py`` for the sizes (generated sources are reused when current; each
build is timed anew), then ``bench/serve_bench.py`` on each size's build with every peer
(``ogpgraph serve``, ``oxigraph serve``, ``rdflib-endpoint``; rdflib-endpoint only up to
``--rdflib-max-size``), and writes ``bench/results/harness.{json,md}``: per size the build's
wall time, peak RSS and phases, then the serving tables with their ratios and targets.

``--skip-build`` reuses the builds in ``bench/work/`` and the rows of the last
``bench/results/build.json``; ``--build-dir DIR`` benchmarks one existing build folder
(its size read from its manifest) without building.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

if __package__:
    from . import build_bench, common, serve_bench
else:  # run as a script: the modules sit beside this file
    import build_bench
    import common
    import serve_bench

from ogpgraph.release.layout import BuildLayout


def build_runs(args: argparse.Namespace) -> dict[int, dict[str, Any]]:
    """Build rows by size: measured now, or (``--skip-build``) from the last build.json."""
    if args.skip_build or args.build_dir:
        previous = args.results / "build.json"
        if not previous.is_file():
            return {}
        runs = json.loads(previous.read_text(encoding="utf-8")).get("runs", [])
        return {run["size"]: run for run in runs}
    build_bench.main(["--sizes", *map(str, args.sizes), "--seed", str(args.seed),
                      "--results", str(args.results), "--work", str(args.work)])
    payload = json.loads((args.results / "build.json").read_text(encoding="utf-8"))
    return {run["size"]: run for run in payload["runs"]}


def targets_of(args: argparse.Namespace) -> list[tuple[int, Path]]:
    if args.build_dir:
        manifest = BuildLayout.current(args.build_dir).manifest()
        return [(manifest["counts"]["commitments"], args.build_dir)]
    return [(size, args.work / f"build-n{size}-s{args.seed}") for size in sorted(set(args.sizes))]


def build_table(run: dict[str, Any] | None) -> str:
    if not run:
        return "No build measurement for this size (run without --skip-build)."
    if not run.get("ok"):
        return f"The build failed: {run.get('errors', [])[:3]}"
    seconds = run["seconds"]
    return common.markdown_table(
        ["triples", *[f"{p} s" for p in build_bench.PHASES], "total s", "CPU s", "wall s",
         "peak RSS MB"],
        [[run["triples"], *[seconds.get(p) for p in build_bench.PHASES], run["total_seconds"],
          run.get("cpu_seconds"), run["wall_seconds"], run["peak_rss_mb"]]])


def markdown(payload: dict[str, Any]) -> str:
    machine = payload["machine"]
    parts = [f"# Benchmark harness ({payload['generated_at']})", "",
             f"Seed {payload['seed']}; {machine['platform']}, Python {machine['python']}, "
             f"{machine['cpus']} CPUs. Ratios: ogpgraph / oxigraph (lower is better for "
             "ogpgraph), rdflib-endpoint / ogpgraph (higher is better for ogpgraph; "
             "`>N` = rdflib-endpoint timed out). Medians in ms unless said otherwise."]
    for size in payload["sizes"]:
        serve = size["serve"]
        parts += ["", f"## {size['size']:,} commitments", "",
                  f"Build {serve['build_dir'] if serve else size['build_dir']}: "
                  f"{common.fmt(serve and serve['triples'])} triples.", "",
                  "### Build (`ogpgraph build`, by phase)", "", build_table(size["build"])]
        if serve:
            parts += ["", serve_bench.markdown_body(serve, "###")]
        else:
            parts += ["", f"Serving benchmark failed: {size.get('error')}"]
    return "\n".join(parts)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="few runs (smoke tests)")
    parser.add_argument("--skip-build", action="store_true",
                        help="reuse bench/work builds and the last build.json")
    parser.add_argument("--build-dir", type=Path, help="benchmark this build folder only")
    parser.add_argument("--peers", nargs="+", choices=serve_bench.PEERS,
                        default=list(serve_bench.PEERS))
    parser.add_argument("--rdflib-max-size", type=int, default=10_000,
                        help="rdflib-endpoint only up to this many commitments (it is slow)")
    parser.add_argument("--runs", type=int, help="sequential runs per query")
    parser.add_argument("--seconds", type=float, help="per concurrent measurement")
    parser.add_argument("--timeout", type=float, help="per request")
    parser.add_argument("--results", type=Path, default=common.RESULTS_DIR)
    parser.add_argument("--work", type=Path, default=common.WORK_DIR)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    opts = serve_bench.options_from(args)
    builds = build_runs(args)
    sizes = []
    for size, build_dir in targets_of(args):
        peers = ["ogpgraph", *[p for p in args.peers if p != "ogpgraph"
                               and (p != "rdflib-endpoint" or size <= args.rdflib_max_size)]]
        entry: dict[str, Any] = {"size": size, "build_dir": str(build_dir),
                                 "build": builds.get(size), "peers": peers, "serve": None}
        try:
            entry["serve"] = serve_bench.run(build_dir, peers, opts, args.work / "peers",
                                             args.work / f"serve-{build_dir.resolve().name}")
        except (RuntimeError, OSError) as error:  # one size failing leaves the others
            entry["error"] = str(error)
            print(f"[harness] n={size:,}: {error}", file=sys.stderr)
        sizes.append(entry)
        # written after each size, so a long run that fails late keeps what it measured
        payload = {"benchmark": "harness", "generated_at": common.now_iso(),
                   "seed": args.seed, "machine": common.machine(),
                   "options": dict(opts.__dict__), "sizes": sizes}
        json_path, md_path = common.write_results("harness", payload, markdown(payload),
                                                  args.results)
    print(md_path.read_text(encoding="utf-8"))
    print(f"written {json_path} and {md_path}", file=sys.stderr)
    return 0 if all(entry["serve"] for entry in sizes) else 1


if __name__ == "__main__":
    sys.exit(main())
