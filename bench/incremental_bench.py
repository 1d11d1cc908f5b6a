"""Incremental build benchmark: one changed page, rebuilt incrementally and in full.

``python bench/incremental_bench.py --sizes 10000 100000 --seed 1`` takes, for each size, the
sources of ``bench/generate.py`` (as ``build_bench.py`` makes and caches them under
``bench/work/``), copies them to a work folder and builds them once in full: the release a
rebuild starts from. Its build folder is then copied (hard links: no build writes into an
earlier release), one page's status is changed, and the same sources are built side by side
in one run: incrementally on one copy (``ogpgraph build``), in full on the other
(``ogpgraph build --full``). Both rebuilds run with the same ``SOURCE_DATE_EPOCH``, a day
after the first build's (every source's description carries the build time, so all of them
change, as in real use), each in its own child process; per build: wall seconds, CPU
seconds (user + system of the build and of its worker processes: compare CPU, not wall, on
a busy machine), peak RSS and seconds per step. Then both new releases are compared: every
published file byte for byte (the build cache, the store's and listing index's database
files aside) and the listing index's rows.
Results: ``bench/results/incremental.{json,md}``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

if __package__:
    from . import build_bench, common
else:  # run as a script: the modules sit beside this file
    import build_bench
    import common

RESULT_MARK = "INCREMENTAL-BENCH-RESULT "
FIRST_EPOCH = 1767225600  # the first build; the two rebuilds a day later, as in real use
REBUILD_EPOCH = FIRST_EPOCH + 86_400
UNCOMPARED = ("cache", "store", "listings.sqlite")


class StepTimer:
    """The build's step/advance protocol, with wall and CPU seconds per step."""

    def __init__(self) -> None:
        self.steps: list[dict] = []
        self._open: tuple[str, float, float] | None = None

    def _close(self) -> None:
        if self._open is not None:
            name, wall, cpu = self._open
            self.steps.append({"step": name, "wall": time.perf_counter() - wall,
                               "cpu": time.process_time() - cpu})
        self._open = None

    def step(self, description: str, total: int) -> None:
        self._close()
        self._open = (description, time.perf_counter(), time.process_time())

    def advance(self) -> None:
        pass


def child(source: Path, out: Path, full: bool) -> int:
    import resource

    from ogpgraph.config import Settings
    from ogpgraph.release.pipeline import BuildFailed, run_build

    timer = StepTimer()
    started = time.perf_counter()
    result: dict = {}
    try:
        build = run_build([source], out, Settings.from_env().base_uri, timer, full=full)
    except BuildFailed as failure:
        result.update(ok=False, errors=failure.errors[:20])
    else:
        result.update(ok=True, release=str(build.release), reuse=build.reuse,
                      notes=build.notes, triples=build.manifest["triples"])
    timer._close()
    result["seconds"] = time.perf_counter() - started
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                        resource.RUSAGE_CHILDREN))
    result["cpu_seconds"] = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    result["steps"] = timer.steps
    result["peak_rss_mb"] = common.own_peak_rss_mb()
    print(RESULT_MARK + json.dumps(result))
    return 0 if result["ok"] else 1


def run_child(source: Path, out: Path, full: bool, epoch: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--source", str(source),
           "--out", str(out)] + (["--full"] if full else [])
    measured = common.run_measured(cmd, env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)})
    lines = [ln for ln in measured.stdout.splitlines() if ln.startswith(RESULT_MARK)]
    if not lines:
        return {"ok": False, "errors": [measured.stderr.strip()[-2000:]]}
    found = json.loads(lines[-1][len(RESULT_MARK):])
    found["wall_seconds"] = measured.wall_seconds
    return found


def change_one_page(sources: Path) -> str:
    """The first page's status flipped: what a month of OGP's edits often is."""
    page = sorted((sources / "pages").glob("*.txt"))[0]
    text = page.read_text(encoding="utf-8")
    flipped = text.replace("Status: Inactive", "Status: Active", 1) \
        if "Status: Inactive" in text else text.replace("Status: Active", "Status: Inactive", 1)
    assert flipped != text, f"{page}: no status line to change"
    page.write_text(flipped, encoding="utf-8")
    return page.name


def digests(release: Path) -> dict[str, str]:
    found = {}
    for path in sorted(release.rglob("*")):
        relative = path.relative_to(release)
        if path.is_file() and relative.parts[0] not in UNCOMPARED:
            found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def compare(one: Path, two: Path) -> dict:
    from tests.release.test_build import listing_rows

    first, second = digests(one), digests(two)
    differ = sorted(name for name in first.keys() | second.keys()
                    if first.get(name) != second.get(name))
    same_listing = listing_rows(one / "listings.sqlite") == listing_rows(two / "listings.sqlite")
    return {"files_compared": len(first), "files_differing": differ,
            "listing_rows_identical": same_listing,
            "identical": not differ and same_listing}


def run_size(size: int, seed: int, work: Path) -> dict:
    data, params, _ = build_bench.ensure_data(size, seed, work)
    root = work / f"incremental-n{size}-s{seed}"
    shutil.rmtree(root, ignore_errors=True)
    sources = root / "sources"
    shutil.copytree(data, sources)
    print(f"[incremental-bench] n={size:,}: first build ...", file=sys.stderr, flush=True)
    first = run_child(sources, root / "incremental", full=False, epoch=FIRST_EPOCH)
    shutil.copytree(root / "incremental", root / "full", symlinks=True, copy_function=os.link)
    page = change_one_page(sources)
    print(f"[incremental-bench] n={size:,}: {page} changed; incremental, then full ...",
          file=sys.stderr, flush=True)
    incremental = run_child(sources, root / "incremental", full=False, epoch=REBUILD_EPOCH)
    full = run_child(sources, root / "full", full=True, epoch=REBUILD_EPOCH)
    run = {"size": size, "pages": params.get("pages"), "changed_page": page, "first": first,
           "incremental": incremental, "full": full}
    if incremental.get("ok") and full.get("ok"):
        run["comparison"] = compare(Path(incremental["release"]), Path(full["release"]))
        run["ratio_wall"] = incremental["wall_seconds"] / full["wall_seconds"]
        run["ratio_cpu"] = incremental["cpu_seconds"] / full["cpu_seconds"]
    return run


def markdown(payload: dict) -> str:
    rows = []
    for run in payload["runs"]:
        inc, full = run["incremental"], run["full"]
        rows.append([run["size"], full.get("wall_seconds"), inc.get("wall_seconds"),
                     run.get("ratio_wall"), full.get("cpu_seconds"), inc.get("cpu_seconds"),
                     run.get("ratio_cpu"), full.get("peak_rss_mb"), inc.get("peak_rss_mb"),
                     "yes" if run.get("comparison", {}).get("identical") else "NO"])
    parts = [f"# Incremental build benchmark ({payload['generated_at']})", "",
             f"Command: `{payload['command']}` (code version {payload['code_version'][:16]}: "
             "what the build cache is keyed by)", "",
             f"Seed {payload['seed']}; {payload['machine']['platform']}, Python "
             f"{payload['machine']['python']}, {payload['machine']['cpus']} CPUs (shared with "
             "other engineers' work: CPU seconds are the steadier figure). One page's status "
             "changed after a first full build; then the incremental build and a full build "
             "(`--full`) of the same sources on copies of the same previous release, one after "
             "the other in one run. CPU = user + system of the build and its workers.", "",
             common.markdown_table(
                 ["commitments", "full wall s", "incremental wall s", "wall ratio",
                  "full CPU s", "incremental CPU s", "CPU ratio", "full peak RSS MB",
                  "incremental peak RSS MB", "byte-identical"], rows)]
    for run in payload["runs"]:
        for kind in ("full", "incremental"):
            steps = run[kind].get("steps", [])
            parts += ["", f"Steps of the {kind} build at {run['size']:,} (wall s, CPU s of the "
                      "build process):", "", common.markdown_table(
                          ["step", "wall s", "CPU s"],
                          [[s["step"], s["wall"], s["cpu"]] for s in steps])]
        parts += ["", f"At {run['size']:,}: reuse {run['incremental'].get('reuse')}; "
                  f"comparison {json.dumps(run.get('comparison'))}"]
    return "\n".join(parts)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", type=Path, default=common.RESULTS_DIR)
    parser.add_argument("--work", type=Path, default=common.WORK_DIR)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args.source, args.out, args.full)
    sys.path.insert(0, str(common.BENCH_DIR.parent))  # the comparison reuses the tests' helpers
    from ogpgraph.release.cache.version import code_version

    runs: list[dict] = []
    for size in sorted(set(args.sizes)):  # written after each size: a long run keeps the first
        runs.append(run_size(size, args.seed, args.work))
        payload = {"benchmark": "incremental", "generated_at": common.now_iso(),
                   "seed": args.seed, "command": "python bench/incremental_bench.py " + " ".join(
                       sys.argv[1:] if argv is None else argv),
                   "code_version": code_version(), "machine": common.machine(), "runs": runs}
        json_path, md_path = common.write_results("incremental", payload, markdown(payload),
                                                  args.results)
    print(md_path.read_text(encoding="utf-8"))
    print(f"written {json_path} and {md_path}", file=sys.stderr)
    return 0 if all(r.get("comparison", {}).get("identical") for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
