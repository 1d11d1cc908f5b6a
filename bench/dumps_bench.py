"""Where the dumps' time goes: serialising each format, and compressing at each gzip level.

``python bench/dumps_bench.py --release bench/work/incremental-n100000-s1/full/current``
reads a release's N-Quads dump (all named graphs) and N-Triples dump (the default graph)
into stores, then times, on this one process (CPU seconds; wall beside them): Oxigraph
writing each format from the store, the same through the chunked writer of the build
(``release/dumps.py``: bucketing, sorting, serialising chunk by chunk), and zlib at levels
1, 4 and 6 on the N-Triples and N-Quads bytes (size of each). Results:
``bench/results/dumps.{json,md}``.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

if __package__:
    from . import common
else:
    import common

FORMATS = {"N-Triples": ox.RdfFormat.N_TRIPLES, "Turtle": ox.RdfFormat.TURTLE,
           "JSON-LD": ox.RdfFormat.JSON_LD}
QUAD_FORMATS = {"N-Quads": ox.RdfFormat.N_QUADS, "TriG": ox.RdfFormat.TRIG}


def timed(name: str, work: Callable[[], object], rows: list[dict]) -> object:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    rows.append({"what": name, "cpu": time.process_time() - cpu,
                 "wall": time.perf_counter() - wall,
                 "bytes": len(result) if isinstance(result, bytes) else None})
    print(f"{name}: {rows[-1]['cpu']:.2f} s CPU", file=sys.stderr, flush=True)
    return result


def measure(release: Path, base: str) -> list[dict]:
    from ogpgraph.release.dumps import Formats, bucket_order, bucketed, dump_prefixes

    rows: list[dict] = []
    quads, union = ox.Store(), ox.Store()
    with gzip.open(release / "dumps" / "ogpgraph.nq.gz", "rb") as stream:
        timed("parse N-Quads into a store", lambda: quads.bulk_load(
            input=stream, format=ox.RdfFormat.N_QUADS), rows)
    with gzip.open(release / "dumps" / "ogpgraph.nt.gz", "rb") as stream:
        timed("parse N-Triples into a store", lambda: union.bulk_load(
            input=stream, format=ox.RdfFormat.N_TRIPLES), rows)
    prefixes = dump_prefixes(base)
    texts = {}
    for name, fmt in FORMATS.items():
        options: dict = {"from_graph": ox.DefaultGraph()}
        if fmt is not ox.RdfFormat.N_TRIPLES:
            options["prefixes"] = prefixes
        texts[name] = timed(f"Oxigraph: default graph as {name}",
                            lambda f=fmt, o=options: union.dump(format=f, **o), rows)
    for name, fmt in QUAD_FORMATS.items():
        options = {} if fmt is ox.RdfFormat.N_QUADS else {"prefixes": prefixes}
        texts[name] = timed(f"Oxigraph: all graphs as {name}",
                            lambda f=fmt, o=options: quads.dump(format=f, **o), rows)
    formats = Formats(base)
    buckets = timed("chunked: bucket the N-Triples lines",
                    lambda: bucketed(texts["N-Triples"], base), rows)
    ordered = timed("chunked: sort each bucket", lambda: [
        b"".join(sorted(set(buckets[b]))) for b in sorted(buckets, key=bucket_order)], rows)
    timed("chunked: Turtle, bucket by bucket",
          lambda: b"".join(formats.turtle(chunk) for chunk in ordered), rows)
    timed("chunked: JSON-LD, bucket by bucket",
          lambda: b",".join(formats.jsonld(chunk) for chunk in ordered), rows)
    for name in ("N-Triples", "N-Quads"):
        for level in (1, 4, 6):
            timed(f"zlib level {level} of the {name}",
                  lambda data=texts[name], lv=level: zlib.compress(data, lv), rows)
    return rows


def markdown(payload: dict) -> str:
    return "\n".join([
        f"# Where the dumps' time goes ({payload['generated_at']})", "",
        f"Command: `{payload['command']}`; release {payload['release']} "
        f"({payload['triples']:,} triples in the default graph). One process, "
        f"{payload['machine']['cpus']} CPUs shared with other work: CPU seconds count.", "",
        common.markdown_table(["what", "CPU s", "wall s", "bytes"],
                              [[r["what"], r["cpu"], r["wall"], r["bytes"]]
                               for r in payload["rows"]])])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", type=Path, required=True)
    parser.add_argument("--results", type=Path, default=common.RESULTS_DIR)
    args = parser.parse_args(argv)
    import json

    release = args.release.resolve()
    manifest = json.loads((release / "build.json").read_text(encoding="utf-8"))
    payload = {"benchmark": "dumps", "generated_at": common.now_iso(),
               "command": "python bench/dumps_bench.py " + " ".join(
                   sys.argv[1:] if argv is None else argv),
               "release": release.name, "triples": manifest["triples"],
               "machine": common.machine(), "rows": measure(release, manifest["base_uri"])}
    json_path, md_path = common.write_results("dumps", payload, markdown(payload),
                                              args.results)
    print(md_path.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
