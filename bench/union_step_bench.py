"""The full build's default-graph steps alone, on a release's N-Quads dump:
``python bench/union_step_bench.py DUMP.nq.gz`` runs ``release.writer.write_union`` (the
default graph loaded and validated, its counts, the listing index, the union dumps) in a
scratch folder, with ``build_bench``'s per-step VmHWM, and prints each step's RSS at start
and peak, the wall and CPU seconds. No precedence drops (an empty ``dropped``): the graph is
the union of the dump's graphs as it is, so where sources disagree it may violate the shapes:
the check still runs whole, and its violations are counted instead of stopping the steps."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__:
    from . import build_bench
else:  # run as a script: the modules sit beside this file
    import build_bench


def main(dump: Path) -> None:
    from ogpgraph.config import Settings
    from ogpgraph.release import writer
    from ogpgraph.release.default_graph import DefaultGraphViolations
    from ogpgraph.release.layout import BuildLayout
    from ogpgraph.release.manifest import ReleaseFacts
    from ogpgraph.release.writer import ReleaseInput, write_union

    violations: list[str] = []
    check = writer.check_default_graph

    def counting_check(union: object, base: str) -> None:
        try:
            check(union, base)  # type: ignore[arg-type]
        except DefaultGraphViolations as found:
            violations.extend(found.lines)

    writer.check_default_graph = counting_check  # type: ignore[assignment]

    root = Path(tempfile.mkdtemp(prefix="union-step-"))
    layout = BuildLayout(root)
    layout.dumps_dir.mkdir(parents=True)
    shutil.copy(dump, layout.nquads_dump)
    base = Settings.from_env().base_uri
    given = ReleaseInput(sources=[], results=[], base=base, built_at=datetime.now(tz=UTC),
                         warnings=[], shacl_warnings=[])
    progress = build_bench.TimingProgress()
    wall, cpu = time.perf_counter(), time.process_time()
    facts = ReleaseFacts()
    write_union(layout, given, facts, progress)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    for row in progress.stop():
        print(f"{row['step']:45s} RSS at start {row['start_rss_mb']:8.1f} MB, "
              f"peak {row['peak_rss_mb']:8.1f} MB")
    print(f"wall {wall:.1f} s, CPU {cpu:.1f} s, {facts.triples:,} triples, "
          f"{len(violations)} violations (no precedence drops)")
    shutil.rmtree(root)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
