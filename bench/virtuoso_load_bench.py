"""Where a load into Virtuoso spends its time: releases loaded one after the other into one
fresh engine (the first load into an empty engine, the next ones over the release served),
each step of ``load_release`` timed (prepare, the engine's steps: stage, counts, switch,
drop, and anything else the loader does).

    PYTHONPATH=CODE python bench/virtuoso_load_bench.py --label after \\
        --release REL1 --release REL2 [--memory-mb 4096]

``CODE`` is the folder holding the ``ogpgraph`` package measured: this worktree for the
code now; for the code before, an export of an earlier commit (``git archive COMMIT
ogpgraph | tar -x -C DIR``, the commit's id in ``DIR/COMMIT``): both measured by the same
script on the same machine. ``--table LABEL…`` prints the runs' results side by side.
Writes ``bench/results/virtuoso-load-{label}.json``; ``virtuoso-load.md`` says what the
figures mean. The switch's rate is the release's named-graph quads over its seconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "tests" / "store"))
from common import RESULTS_DIR, machine, now_iso  # noqa: E402
from engines import new_engine  # noqa: E402

import ogpgraph  # noqa: E402
import ogpgraph.store.remote_load as remote_load  # noqa: E402
from ogpgraph.release.layout import BuildLayout  # noqa: E402


class TimedLoader:
    """The engine's loader, each call's seconds added up by method name."""

    def __init__(self, loader: Any, seconds: dict[str, float]) -> None:
        self._loader, self._seconds = loader, seconds

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._loader, name)
        if not callable(method):
            return method

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self._seconds[name] += time.perf_counter() - started
        return timed


def timed_load(release: Path, url: str, work: Path) -> dict[str, Any]:
    seconds: dict[str, float] = defaultdict(float)
    loader_for, prepare = remote_load.loader_for, remote_load.prepare

    def timed_prepare(*args: Any, **kwargs: Any) -> Path:
        started = time.perf_counter()
        try:
            return prepare(*args, **kwargs)
        finally:
            seconds["prepare"] += time.perf_counter() - started

    loaders: list[Any] = []

    def timed_loader(*args: Any, **kwargs: Any) -> TimedLoader:
        loaders.append(loader_for(*args, **kwargs))
        return TimedLoader(loaders[-1], seconds)

    remote_load.loader_for = timed_loader
    remote_load.prepare = timed_prepare
    started = time.perf_counter()
    try:
        remote_load.load_release(release, url, timeout=7200.0, work_dir=work)
    finally:
        remote_load.loader_for, remote_load.prepare = loader_for, prepare
    total = time.perf_counter() - started
    manifest = BuildLayout(release).manifest()
    quads = int(manifest.get("quads") or sum(n for _, n in manifest["graph_triples"]))
    switch = seconds.get("switch", 0.0)
    return {"release": str(release), "build_id": manifest["build_id"],
            "triples": manifest["triples"], "quads": quads,
            "graphs": len(manifest["graph_triples"]), "total_s": round(total, 1),
            "steps_s": {k: round(v, 2) for k, v in seconds.items()},
            "switch_quads_per_s": round(quads / switch) if switch else None,
            # rows the switch's transaction deleted and inserted (code that reports them)
            "switch_rows": getattr(loaders[0], "switched", None) if loaders else None,
            "switch_steps_s": {k: round(v, 2) for k, v in
                               getattr(loaders[0], "switch_seconds", {}).items()}}


def code_version() -> str:
    folder = Path(ogpgraph.__file__).resolve().parent.parent
    if (folder / "COMMIT").exists():  # an export (git archive): its commit written beside
        return (folder / "COMMIT").read_text().strip()
    try:
        return subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (subprocess.CalledProcessError, OSError):
        return str(folder)


def table(labels: list[str]) -> str:
    """The loads of each ``virtuoso-load-{label}.json``, one row per load, as Markdown."""
    head = ("| run | code | load | named-graph quads | graphs | whole load s | prepare s | "
            "stage s | switch s (transaction + clear) | rows written by the switch "
            "(deleted, inserted) | quads / switch s |\n|---|---|---|---|---|---|---|---|---|"
            "---|---|\n")
    rows = []
    for label in labels:
        payload = json.loads((RESULTS_DIR / f"virtuoso-load-{label}.json").read_text())
        for n, load in enumerate(payload["loads"], 1):
            steps, parts = load["steps_s"], load.get("switch_steps_s") or {}
            split = (f" ({parts['transaction']:.1f} + {parts['clear']:.1f})" if parts else "")
            written = load.get("switch_rows")
            rows.append(f"| {label} | {payload['code']} | {n}: {Path(load['release']).name} | "
                        f"{load['quads']:,} | {load['graphs']:,} | {load['total_s']:.1f} | "
                        f"{steps.get('prepare', 0):.1f} | {steps.get('stage', 0):.1f} | "
                        f"{steps.get('switch', 0):.1f}{split} | "
                        f"{tuple(written) if written else 'all rows copied'} | "
                        f"{load['switch_quads_per_s']:,} |")
    return head + "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--release", type=Path, action="append", default=[])
    parser.add_argument("--memory-mb", type=int, default=4096)
    parser.add_argument("--table", nargs="+", metavar="LABEL",
                        help="print the Markdown table of these runs' results, and stop")
    args = parser.parse_args()
    if args.table:
        print(table(args.table))
        return
    folder = BENCH / "work" / f"virtuoso-load-{args.label}"
    shutil.rmtree(folder, ignore_errors=True)
    engine = new_engine("virtuoso", folder / "virtuoso", memory_mb=args.memory_mb)
    engine.start()
    loads = []
    try:
        for release in args.release:
            loads.append(timed_load(release.resolve(), engine.url, folder))
            print(json.dumps(loads[-1]), flush=True)
    finally:
        engine.stop()
    payload = {"when": now_iso(), "machine": machine(), "label": args.label,
               "code": code_version(), "package": str(Path(ogpgraph.__file__).parent),
               "memory_mb": args.memory_mb, "loads": loads}
    out = RESULTS_DIR / f"virtuoso-load-{args.label}.json"
    out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
