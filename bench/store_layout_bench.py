"""The embedded store's two layouts, side by side on one release: the union in memory (what
``ogpgraph serve`` queries) against the release's on-disk store, whose default graph is the
union (what ``oxigraph serve --location`` queries). Page-like queries (an ASK, a one-resource
CONSTRUCT, the document query, the per-type counts) and the query page's examples, each run
``--repeat`` times on both, interleaved; p50 ms and the ratio disk / memory.

    python bench/store_layout_bench.py --build BUILD_DIR [--resources 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from common import RESULTS_DIR, machine, markdown_table, now_iso, write_results  # noqa: E402

from ogpgraph.release.layout import BuildLayout  # noqa: E402
from ogpgraph.store.oxigraph_store import OxigraphStore  # noqa: E402
from ogpgraph.web.resource_document import main_query  # noqa: E402
from ogpgraph.web.sparql.examples import example_queries  # noqa: E402


def timed(store: ox.Store, query: str) -> float:
    start = time.perf_counter()
    answer = store.query(query)
    if not isinstance(answer, ox.QueryBoolean):
        for _ in answer:
            pass
    return (time.perf_counter() - start) * 1000


def compare(stores: dict[str, ox.Store], queries: list[str], repeat: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in stores}
    for _ in range(repeat):
        for query in queries:
            for name, store in stores.items():
                times[name].append(timed(store, query))
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--resources", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--name", default="store-layout")
    args = parser.parse_args(argv)
    layout = BuildLayout.current(args.build)
    manifest = layout.manifest()
    base = manifest["base_uri"]
    memory = OxigraphStore.union_in_memory(layout.ntriples_dump, layout.store_dir).store
    stores = {"memory": memory, "disk": ox.Store.read_only(str(layout.store_dir))}
    commitments = [row["c"].value for row in memory.query(  # type: ignore[union-attr]
        f"SELECT ?c WHERE {{ ?c a <{base}ontology#Commitment> }} ORDER BY ?c")]
    picked = commitments[::max(len(commitments) // args.resources, 1)][:args.resources]
    shapes: dict[str, Callable[[str], str]] = {
        "ASK one resource": lambda iri: f"ASK {{ <{iri}> ?p ?o }}",
        "CONSTRUCT one resource":
            lambda iri: f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}",
        "document query": lambda iri: main_query(iri, base),  # type: ignore[arg-type]
    }
    rows = []
    for name, shape in shapes.items():
        found = compare(stores, [shape(iri) for iri in picked], args.repeat)
        rows.append((name, found["memory"], found["disk"], found["disk"] / found["memory"]))
    counts = "SELECT ?t (COUNT(?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t"
    found = compare(stores, [counts], args.repeat)
    rows.append(("per-type counts", found["memory"], found["disk"],
                 found["disk"] / found["memory"]))
    for example in example_queries(base):
        found = compare(stores, [example.query], args.repeat)
        rows.append((f"example: {example.slug}", found["memory"], found["disk"],
                     found["disk"] / found["memory"]))
    headers = ["query", "memory p50 ms", "disk p50 ms", "disk / memory"]
    payload = {"when": now_iso(), "machine": machine(), "build": str(args.build),
               "triples": manifest.get("triples"), "resources": len(picked),
               "repeat": args.repeat, "rows": [dict(zip(headers, row, strict=True))
                                               for row in rows]}
    markdown = (f"# The embedded store's layouts ({payload['when']})\n\n"
                f"`python bench/store_layout_bench.py --build {args.build}` on a release of "
                f"{manifest.get('triples'):,} triples; {len(picked)} commitments, each query "
                f"{args.repeat} times, memory and disk interleaved.\n\n"
                + markdown_table(headers, rows))
    write_results(args.name, payload, markdown, RESULTS_DIR)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
