"""Language detection: fidelity on every real source, and the time of ``ogpgraph parse``.

    python bench/language_fidelity.py record --label before   # detections + graphs -> JSON
    python bench/language_fidelity.py compare before after     # identical or not, and where
    python bench/language_fidelity.py timing --label after     # ogpgraph parse of one page

``record`` reads every source on its own (``../shared/ogp/pages``, the seed, ``data/``, the
page, HTML and CSV fixtures, and ``../shared/ogp/commitments.csv`` whole) in this process
(``OGPGRAPH_BUILD_WORKERS=1``) and keeps, per file, every call of ``detect_language`` in call
order (a digest of the text, its length, the hint, the answer) and the digest of the whole
mapped graph (sorted N-Triples, fixed build time): the language tag of every text field is
in that graph. ``compare`` says whether two records agree call by call and graph by graph.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from common import RESULTS_DIR, markdown_table, median, run_measured, write_results

os.environ["OGPGRAPH_BUILD_WORKERS"] = "1"  # detections happen in this process
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "ogp"
BASE = "http://127.0.0.1:8000/"
READERS = ("ogpgraph.sources.page_text", "ogpgraph.sources.commitment_list",
           "ogpgraph.sources.csv_export")


def sources() -> list[Path]:
    """Every real source this project reads, each on its own."""
    found = sorted((SHARED / "pages").glob("*.txt")) + sorted((SHARED / "seed").glob("*"))
    found += sorted((ROOT / "data").glob("*.txt"))
    found += sorted((ROOT / "tests" / "fixtures" / "pages").glob("*.txt"))
    found += sorted((ROOT / "tests" / "fixtures" / "html").glob("*.html"))
    found += [ROOT / "tests" / "fixtures" / "csv" / "sample.csv", SHARED / "commitments.csv"]
    return [p for p in found if p.is_file()]


def name_of(path: Path) -> str:
    """The path as the README writes it: from the repository, or ``../shared/…``."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) \
        else f"../{path.relative_to(ROOT.parent)}"


def recording(calls: list[list]) -> Callable:
    import ogpgraph.sources.language as language

    original = language.detect_language  # the readers' names are patched, never this one

    def detect(text: str | None, hint: str | None = None) -> str | None:
        answer = original(text, hint)
        digest = hashlib.sha256((text or "").encode()).hexdigest()[:16]
        calls.append([digest, len(text or ""), hint, answer])
        return answer

    return detect


def record_one(path: Path) -> dict:
    import importlib

    from ogpgraph.release.pipeline import NullProgress, build_time, map_all, read_all
    from ogpgraph.sources import csv_export

    calls: list[list] = []
    detect = recording(calls)
    for name in READERS:
        module = importlib.import_module(name)
        if hasattr(module, "detect_language"):
            module.detect_language = detect  # type: ignore[attr-defined]
    for cached in (csv_export._language,):
        cached.cache_clear()
    records, errors, _ = read_all([path], NullProgress())
    if errors:
        return {"errors": errors}
    graphs = map_all(records, BASE, build_time())
    lines = sorted(line for _, graph in graphs
                   for line in graph.serialize(format="nt").splitlines() if line)
    tags = Counter(line.rsplit("@", 1)[1].split(" ", 1)[0] for line in lines
                   if line.endswith(" .") and '"@' in line)
    return {"calls": calls, "graph_sha256": hashlib.sha256("\n".join(lines).encode())
            .hexdigest(), "triples": len(lines), "tagged_literals": dict(sorted(tags.items())),
            "detected": dict(sorted(Counter(str(c[3]) for c in calls).items()))}


def record(label: str) -> int:
    result = {}
    for path in sources():
        result[name_of(path)] = record_one(path)
        print(name_of(path), result[name_of(path)].get("detected"), file=sys.stderr)
    out = RESULTS_DIR / f"language-fidelity-{label}.json"
    out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out}")
    return 0


def compare(first: str, second: str) -> int:
    a = json.loads((RESULTS_DIR / f"language-fidelity-{first}.json").read_text())
    b = json.loads((RESULTS_DIR / f"language-fidelity-{second}.json").read_text())
    rows, same_all = [], a.keys() == b.keys()
    for name in sorted(a.keys() | b.keys()):
        x, y = a.get(name, {}), b.get(name, {})
        calls_same = x.get("calls") == y.get("calls")
        graph_same = x.get("graph_sha256") == y.get("graph_sha256")
        differing = sum(1 for p, q in zip(x.get("calls", []), y.get("calls", []), strict=False)
                        if p != q)
        same_all &= calls_same and graph_same
        rows.append([name, len(x.get("calls", [])), differing, "yes" if calls_same else "NO",
                     x.get("triples"), "yes" if graph_same else "NO"])
    print(markdown_table(["source", "detections", "differing", "all identical", "triples",
                          "graph identical"], rows))
    print("IDENTICAL" if same_all else "DIFFERENT")
    return 0 if same_all else 1


def timing(label: str, runs: int) -> int:
    page = SHARED / "seed" / "PE0055.txt"
    exe = Path(sys.executable).parent / "ogpgraph"
    measured, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        measured.append(run_measured([str(exe), "parse", str(page)]))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if any(m.returncode for m in measured):
        print(measured[0].stderr, file=sys.stderr)
        return 1
    walls = [m.wall_seconds for m in measured]
    rss = [m.peak_rss_mb for m in measured if m.peak_rss_mb is not None]
    payload = {"label": label, "command": f"ogpgraph parse {name_of(page)}",
               "wall_seconds": walls, "median_seconds": median(walls),
               "cpu_seconds": cpu, "peak_rss_mb": rss, "load_average": os.getloadavg()}
    md = (f"# `ogpgraph parse` of one page ({label})\n\n"
          + markdown_table(["runs", "median s", "min s", "max s", "median CPU s",
                            "peak RSS MB", "load average"],
                           [[runs, median(walls), min(walls), max(walls), median(cpu),
                             max(rss or [0]), os.getloadavg()[0]]])
          + "\n")
    write_results(f"parse-{label}", payload, md)
    print(md)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("--label", required=True)
    cmp_ = sub.add_parser("compare")
    cmp_.add_argument("first")
    cmp_.add_argument("second")
    tim = sub.add_parser("timing")
    tim.add_argument("--label", required=True)
    tim.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.command == "record":
        return record(args.label)
    if args.command == "compare":
        return compare(args.first, args.second)
    return timing(args.label, args.runs)


if __name__ == "__main__":
    sys.exit(main())
