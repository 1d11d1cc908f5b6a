"""Helpers shared by the benchmarks: a child process's wall time and peak RSS, medians,
scaling exponents, and writing results as JSON + Markdown into ``bench/results/``.

Peak RSS is per child and is the high-water mark of the child's own address space:
``/proc/PID/status`` VmHWM, polled while the child runs (the last reading counts: VmHWM only
grows, and restarts at ``exec``). ``ru_maxrss`` is only a fallback (no ``/proc``): on Linux it
survives ``exec``, so a child started by ``vfork``/``fork`` from a large parent reports the
parent's size; and ``getrusage(RUSAGE_CHILDREN)`` is a maximum over *all* children so far.
A benchmark child can also report its own VmHWM at its end (see :func:`own_peak_rss_mb`).
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
WORK_DIR = BENCH_DIR / "work"  # generated data and builds; gitignored


@dataclass
class Measured:
    returncode: int
    wall_seconds: float
    peak_rss_mb: float | None
    stdout: str
    stderr: str


def vm_hwm_kb(pid: int) -> int | None:
    """The process's peak resident set size so far (VmHWM), in KiB; None if unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def own_peak_rss_mb() -> float:
    """This process's peak RSS since its ``exec`` (VmHWM), else ``ru_maxrss``."""
    import resource

    kb = vm_hwm_kb(os.getpid())
    if kb:
        return kb / 1024
    return maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def maxrss_mb(ru_maxrss: int) -> float:
    """``ru_maxrss`` in MiB: Linux reports KiB, macOS bytes."""
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def run_measured(cmd: Sequence[str], *, env: dict[str, str] | None = None,
                 cwd: Path | None = None, poll_seconds: float = 0.05) -> Measured:
    """Run ``cmd`` to completion; its wall time, its own peak RSS, stdout and stderr."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=env, cwd=cwd)
        last_kb: int | None = None
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            last_kb = vm_hwm_kb(process.pid) or last_kb
            time.sleep(poll_seconds)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        peak = last_kb / 1024 if last_kb else maxrss_mb(usage.ru_maxrss)
        out.seek(0)
        err.seek(0)
        return Measured(process.returncode, wall, peak or None, out.read(), err.read())


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` quantile (0..1) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spread(values: Sequence[float]) -> dict[str, float | None]:
    """p50, p25, p75 and the count of a list of timings (the benches' latency cells)."""
    return {"p50": median(values), "p25": percentile(values, 0.25),
            "p75": percentile(values, 0.75), "n": len(values)}


def spread_cell(stats: dict) -> str:
    """``p50 (p25–p75)`` of a :func:`spread`, in ms with two decimals."""
    return f"{stats['p50']:.2f} ({stats['p25']:.2f}–{stats['p75']:.2f})"


def scaling_exponent(n1: float, t1: float | None, n2: float, t2: float | None) -> float | None:
    """k in t ∝ n^k between two sizes: log(t2/t1) / log(n2/n1); None when undefined."""
    if not t1 or not t2 or t1 <= 0 or t2 <= 0 or n1 <= 0 or n2 <= 0 or n1 == n2:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def machine() -> dict[str, object]:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "machine": platform.machine()}


def now_iso() -> str:
    return datetime.now(tz=UTC).replace(microsecond=0).isoformat()


def fmt(value: object, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(fmt(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, payload: dict, markdown: str,
                  results_dir: Path = RESULTS_DIR) -> tuple[Path, Path]:
    """``{name}.json`` and ``{name}.md`` in ``results_dir``; returns both paths."""
    results_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = results_dir / f"{name}.json", results_dir / f"{name}.md"
    json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n",
                         encoding="utf-8")
    md_path.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    return json_path, md_path
