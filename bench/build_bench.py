"""Build benchmark: the real build on synthetic OGP-scale sources, timed per phase.

``python bench/build_bench.py --sizes 1000 10000 [100000] --seed 1`` generates (or reuses,
under ``bench/work/``) the sources of ``bench/generate.py`` for each size and builds them in a
child Python process that does what ``ogpgraph build --no-default --source DIR --out OUT``
does (``run_build`` with the base URI of the environment) with a progress object that
timestamps each ``step()``. Per size it records triples, commitments, seconds per phase,
the child's wall time and peak RSS; between consecutive sizes, the scaling exponent
log(t2/t1)/log(n2/n1). Results: ``bench/results/build.{json,md}``.

Phases (from the build's step descriptions): discover (finding and hashing the sources,
before the first step), parse ("Reading sources", "Reconciling institutions"), map ("Mapping
to RDF"), validate ("Validating (SHACL)", "Resolving disagreements between sources", "Loading
and validating the default graph"), load ("Loading the store"),
dumps (the "Writing …" steps to the end of ``run_build``: dumps, validation report, on-disk store,
counts, manifest, publishing). ``startup`` is the child's import time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

if __package__:
    from . import common, generate
else:  # run as a script: the modules sit beside this file
    import common
    import generate

PHASES = ("discover", "parse", "map", "validate", "load", "dumps")
STEP_KEYWORDS = (("read", "parse"), ("pars", "parse"), ("reconcil", "parse"), ("map", "map"),
                 ("valid", "validate"), ("resolv", "validate"), ("load", "load"),
                 ("dump", "dumps"), ("writ", "dumps"))
RESULT_MARK = "BUILD-BENCH-RESULT "


def phase_of(description: str) -> str:
    lowered = description.lower()
    return next((phase for word, phase in STEP_KEYWORDS if word in lowered),
                lowered.split()[0] if lowered.split() else "other")


# --- the child: one build, timed ------------------------------------------------------------


def own_rss_mb() -> float:
    """This process's resident set size now (VmRSS), in MiB; 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def own_hwm_mb() -> float:
    kb = common.vm_hwm_kb(os.getpid())
    return kb / 1024 if kb else 0.0


def reset_peak_rss() -> bool:
    """Start a new VmHWM period (Linux: '5' into /proc/self/clear_refs); False if refused."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


class TimingProgress:
    """The build's step/advance protocol (see ``ogpgraph.cli.app.RichProgress``), timestamped,
    with the build process's exact peak RSS per step: VmHWM is read and reset at every
    step (where the kernel refuses the reset, RSS sampled every ``interval`` s instead)."""

    def __init__(self, interval: float = 0.1) -> None:
        self.steps: list[tuple[str, float]] = []
        self.exact = reset_peak_rss()
        self.step_peak_mb: list[float] = [own_rss_mb()]  # [0]: before the first step
        self.step_start_mb: list[float] = [self.step_peak_mb[0]]  # RSS as each step starts
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        if not self.exact:
            self._sampler.start()

    def _sample(self, interval: float) -> None:
        while not self._stop.wait(interval):
            rss = own_rss_mb()
            if rss > self.step_peak_mb[-1]:
                self.step_peak_mb[-1] = rss

    def _close_step(self) -> None:
        if self.exact:
            self.step_peak_mb[-1] = own_hwm_mb()
            reset_peak_rss()

    def step(self, description: str, total: int) -> None:
        self._close_step()
        self.steps.append((description, time.perf_counter()))
        self.step_peak_mb.append(own_rss_mb())
        self.step_start_mb.append(self.step_peak_mb[-1])

    def advance(self) -> None:
        pass

    def stop(self) -> list[dict]:
        """Per step (the first is "before the first step"): its peak RSS in MiB and the RSS
        as it started (what the steps before it left resident)."""
        self._close_step()
        self._stop.set()
        if self._sampler.is_alive():
            self._sampler.join()
        names = ["(discovery)", *[d for d, _ in self.steps]]
        return [{"step": name, "peak_rss_mb": round(mb, 1), "start_rss_mb": round(start, 1)}
                for name, mb, start in zip(names, self.step_peak_mb, self.step_start_mb,
                                           strict=True)]


def phase_seconds(started: float, steps: list[tuple[str, float]], ended: float) -> dict:
    """Seconds per phase; time before the first step is discovery."""
    seconds = {phase: 0.0 for phase in PHASES}
    marks = [("discover", started)] + [(phase_of(d), t) for d, t in steps] + [("end", ended)]
    for (phase, begin), (_, finish) in zip(marks, marks[1:], strict=False):
        seconds[phase] = seconds.get(phase, 0.0) + (finish - begin)
    return seconds


def child(source: Path, out: Path) -> int:
    import resource

    started_process = time.perf_counter()
    from ogpgraph.config import Settings
    from ogpgraph.release.pipeline import BuildFailed, run_build

    progress = TimingProgress()
    started = time.perf_counter()
    result: dict = {"startup": started - started_process}
    try:
        build = run_build([source], out, Settings.from_env().base_uri, progress)
    except BuildFailed as failure:
        result.update(ok=False, errors=failure.errors[:20], error_count=len(failure.errors))
    else:
        manifest = build.manifest
        result.update(ok=True, triples=manifest["triples"], quads=manifest["quads"],
                      counts=manifest["counts"], warnings=len(build.warnings),
                      sources=len(manifest["sources"]))
    ended = time.perf_counter()
    result["rss_by_step"] = progress.stop()
    result["seconds"] = phase_seconds(started, progress.steps, ended)
    result["total_seconds"] = ended - started
    result["steps"] = [d for d, _ in progress.steps]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # the peak of the whole build: the largest of the steps' peaks (VmHWM was reset per step)
    result["maxrss_mb"] = max([s["peak_rss_mb"] for s in result["rss_by_step"]]
                              + [common.own_peak_rss_mb()])
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # robust to a busy machine
    print(RESULT_MARK + json.dumps(result))
    return 0 if result["ok"] else 1


# --- the parent ------------------------------------------------------------------------------


def ensure_data(size: int, seed: int, work: Path) -> tuple[Path, dict, float]:
    """The generated sources for ``size`` (reused when generated by this generator)."""
    folder = work / f"data-n{size}-s{seed}"
    marker = folder / ".generator.json"
    if marker.is_file():
        params = json.loads(marker.read_text(encoding="utf-8"))
        if (params.get("generator_sha256") == generate.source_digest()
                and params.get("commitments") == size and params.get("seed") == seed
                and params.get("pages") == generate.default_pages(size)):
            return folder, params, 0.0
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    params = generate.generate(size, seed, folder)
    return folder, params, time.perf_counter() - started


def run_one(size: int, seed: int, work: Path) -> dict:
    data, params, generation = ensure_data(size, seed, work)
    out = work / f"build-n{size}-s{seed}"
    shutil.rmtree(out, ignore_errors=True)
    print(f"[build-bench] n={size:,}: building {data} ...", file=sys.stderr, flush=True)
    measured = common.run_measured(
        [sys.executable, str(Path(__file__).resolve()), "--child", "--source", str(data),
         "--out", str(out)], env=dict(os.environ))
    lines = [ln for ln in measured.stdout.splitlines() if ln.startswith(RESULT_MARK)]
    run: dict = {"size": size, "pages": params.get("pages"), "members": params.get("members"),
                 "generation_seconds": generation or None,
                 "csv_bytes": (data / "commitments.csv").stat().st_size,
                 "wall_seconds": measured.wall_seconds, "peak_rss_mb": measured.peak_rss_mb,
                 "returncode": measured.returncode}
    if not lines:
        run.update(ok=False, errors=[measured.stderr.strip()[-2000:] or "no result printed"])
        return run
    child_result = json.loads(lines[-1][len(RESULT_MARK):])
    run.update(child_result)
    run["commitments"] = child_result.get("counts", {}).get("commitments")
    # the child's own VmHWM at its end is exact; the parent's polling may miss the last peak
    run["peak_rss_mb"] = child_result.get("maxrss_mb") or measured.peak_rss_mb
    run["build_dir"] = str(out)  # kept (gitignored) for inspection and the SPARQL benchmark
    return run


def scaling(runs: list[dict]) -> list[dict]:
    rows = []
    done = [r for r in runs if r.get("ok")]
    for first, second in zip(done, done[1:], strict=False):
        rows.append({
            "from": first["size"], "to": second["size"],
            "total": common.scaling_exponent(first["size"], first["total_seconds"],
                                             second["size"], second["total_seconds"]),
            "cpu": common.scaling_exponent(first["size"], first.get("cpu_seconds"),
                                           second["size"], second.get("cpu_seconds")),
            "peak_rss": common.scaling_exponent(first["size"], first["peak_rss_mb"],
                                                second["size"], second["peak_rss_mb"]),
            "phases": {p: common.scaling_exponent(first["size"], first["seconds"].get(p),
                                                  second["size"], second["seconds"].get(p))
                       for p in PHASES},
        })
    return rows


def markdown(payload: dict) -> str:
    runs, exponents = payload["runs"], payload["scaling"]
    by_size = {row["to"]: row["total"] for row in exponents}
    headers = ["commitments (generated)", "built", "triples", "startup s",
               *[f"{p} s" for p in PHASES], "total s", "CPU s", "wall s", "peak RSS MB",
               "exponent"]
    rows = []
    for run in runs:
        if not run.get("ok"):
            rows.append([run["size"], "FAILED", *["–"] * (len(headers) - 2)])
            continue
        seconds = run["seconds"]
        rows.append([run["size"], run["commitments"], run["triples"], run["startup"],
                     *[seconds.get(p) for p in PHASES], run["total_seconds"],
                     run.get("cpu_seconds"), run["wall_seconds"], run["peak_rss_mb"],
                     by_size.get(run["size"])])
    parts = [f"# Build benchmark ({payload['generated_at']})", "",
             f"Seed {payload['seed']}; {payload['machine']['platform']}, "
             f"Python {payload['machine']['python']}, {payload['machine']['cpus']} CPUs. "
             "Sources from `bench/generate.py` (CSV + pages); `total` is `run_build` from start "
             "to end, `CPU` the child's user+system time (compare it with `wall` on a busy "
             "machine), `wall` the whole child process; exponent = log(t2/t1)/log(n2/n1) of "
             "`total` against the previous size.", "", common.markdown_table(headers, rows)]
    if exponents:
        parts += ["", "Scaling exponent per phase:", "", common.markdown_table(
            ["sizes", *PHASES, "total", "CPU", "peak RSS"],
            [[f"{e['from']:,} → {e['to']:,}", *[e["phases"][p] for p in PHASES], e["total"],
              e.get("cpu"), e["peak_rss"]] for e in exponents])]
    for run in runs:
        if run.get("rss_by_step"):
            parts += ["", f"Peak RSS per step at {run['size']:,} (the build process's VmHWM, "
                      "reset at each step, and its RSS as the step starts; MiB):", "",
                      common.markdown_table(
                          ["step", "RSS at start MB", "peak RSS MB"],
                          [[s["step"], s.get("start_rss_mb"), s["peak_rss_mb"]]
                           for s in run["rss_by_step"]])]
    failed = [r for r in runs if not r.get("ok")]
    for run in failed:
        parts += ["", f"n={run['size']:,} failed:", "", "```",
                  *[str(e) for e in run.get("errors", [])[:10]], "```"]
    return "\n".join(parts)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", type=Path, default=common.RESULTS_DIR,
                        help="where build.json and build.md go")
    parser.add_argument("--work", type=Path, default=common.WORK_DIR,
                        help="generated data and builds (cached between runs)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args.source, args.out)
    runs = [run_one(size, args.seed, args.work) for size in sorted(set(args.sizes))]
    payload = {"benchmark": "build", "generated_at": common.now_iso(), "seed": args.seed,
               "machine": common.machine(), "phases": list(PHASES), "runs": runs}
    payload["scaling"] = scaling(runs)
    json_path, md_path = common.write_results("build", payload, markdown(payload), args.results)
    print(md_path.read_text(encoding="utf-8"))
    print(f"written {json_path} and {md_path}", file=sys.stderr)
    return 0 if all(r.get("ok") for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
