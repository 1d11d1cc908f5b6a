"""Where the default graph's memory goes: ``python bench/default_graph_probe.py DUMP.nq.gz
[memory|disk]`` loads a release's N-Quads dump as the build's default graph (in memory, or in
a scratch on-disk store), runs every compiled check on it (each query's own peak RSS), the
counts and the listing index, printing RSS and peak RSS (VmHWM, reset per stage) and CPU
seconds after each stage. Linux only (``/proc/self/status``, ``clear_refs``)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def status(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as lines:
        for line in lines:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def mark(name: str, started: list[float]) -> None:
    now = time.perf_counter()
    print(f"{name:44s} rss {status('VmRSS:'):8.1f} peak {status('VmHWM:'):8.1f} "
          f"wall {now - started[0]:7.1f} s cpu {time.process_time():7.1f} s", flush=True)
    started[0] = now
    reset_peak()


def main(dump: Path, mode: str) -> None:
    from ogpgraph.config import Settings
    from ogpgraph.release.default_graph import UNION_GRAPH, default_graph_of
    from ogpgraph.release.listings.writer import write_listing
    from ogpgraph.release.memory import return_free_memory
    from ogpgraph.release.union import entity_counts
    from ogpgraph.validation.compile import Compiler
    from ogpgraph.validation.run import _subclass_lookup, data_shapes

    base = Settings.from_env().base_uri
    scratch = Path(tempfile.mkdtemp(prefix="default-graph-probe-"))
    started = [time.perf_counter()]
    reset_peak()
    union = default_graph_of(dump, [], scratch / "store" if mode == "disk" else None)
    mark(f"loaded ({len(union):,} quads)", started)
    return_free_memory()
    mark("trimmed", started)
    every, roots = data_shapes(base)
    compiler = Compiler(every, _subclass_lookup(union), f"VALUES ?g {{ <{UNION_GRAPH.value}> }}")
    per_check = []
    for root in roots:
        for check in compiler.checks(root):
            reset_peak()
            began = time.perf_counter()
            rows = sum(1 for _ in union.query(check.query, use_default_graph_as_union=True))
            per_check.append((status("VmHWM:"), time.perf_counter() - began,
                              f"{check.shape.node} {check.component}", rows))
    for peak, seconds, name, rows in sorted(per_check, reverse=True)[:5]:
        print(f"  check peak {peak:8.1f} MB {seconds:6.2f} s rows {rows} {name}")
    mark("validated", started)
    entity_counts(union, base)
    mark("counts", started)
    _, state = write_listing(union, base, scratch / "listings.sqlite")
    mark("listing index written (state kept)", started)
    del state
    return_free_memory()
    mark("listing state let go, trimmed", started)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "disk")
