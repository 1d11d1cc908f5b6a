"""Smoke test of the benchmark tools: the synthetic sources are deterministic, shaped like the
real export, and go through the real build; the build benchmark writes its results."""

from __future__ import annotations

import csv
import importlib
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.store.query_check import check_query
from ogpgraph.web.published import load_published

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "ogp"
SIZE, PAGES, SEED = 30, 3, 7


@pytest.fixture(scope="module")
def bench() -> dict[str, ModuleType]:
    if not SHARED.is_dir():
        pytest.skip(f"the real OGP sources are absent ({SHARED}); the generator samples them")
    sys.path.insert(0, str(ROOT))  # bench/ is a folder of scripts, not an installed package
    try:
        return {name: importlib.import_module(f"bench.{name}")
                for name in ("common", "generate", "build_bench", "incremental_bench",
                             "dumps_bench")}
    finally:
        sys.path.remove(str(ROOT))


@pytest.fixture(scope="module")
def generated(bench, tmp_path_factory) -> Path:
    # named as build_bench caches it, so that the benchmark test below reuses it
    folder = tmp_path_factory.mktemp("work") / f"data-n{SIZE}-s{SEED}"
    bench["generate"].generate(SIZE, SEED, folder, PAGES)
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_same_seed_gives_identical_files(bench, generated, tmp_path):
    again = tmp_path / "again"
    bench["generate"].generate(SIZE, SEED, again, PAGES)
    first, second = files_of(generated), files_of(again)
    assert sorted(first) == sorted(second)
    assert len([name for name in first if name.startswith("pages/")]) == PAGES
    assert first == second


def test_csv_has_the_real_header_and_unique_ids(generated):
    real_header = csv_rows(SHARED / "commitments.csv")[0]
    rows = csv_rows(generated / "commitments.csv")
    assert rows[0] == real_header
    assert len(rows[0]) == 171
    body = rows[1:]
    assert len(body) == SIZE
    assert all(len(row) == len(real_header) for row in body)
    ids = [row[real_header.index("Commitment Unique Identifier")] for row in body]
    assert len(set(ids)) == SIZE
    assert all(re.fullmatch(r"[A-Z]{2,5}[0-9]{4}", i) for i in ids)


def test_rows_are_consistent_per_member_and_plan(generated):
    rows = csv_rows(generated / "commitments.csv")
    header, body = rows[0], rows[1:]
    at = {name: header.index(name) for name in header}
    member_facts: dict[str, set] = {}
    for row in body:
        facts = (row[at["Code"]], row[at["Region"]], row[at["National Or Local"]])
        member_facts.setdefault(row[at["Country/Locality"]], set()).add(facts)
        year, end = int(row[at["Year Of Submission"]]), int(row[at["Action Plan End Year"]])
        assert year < end
        assert row[at["Action Plan ID"]].endswith(f"{int(row[at['Action Plan Number']]):02d}")
        start_date, end_date = row[at["Start Date"]], row[at["End Date"]]
        if start_date != "NA" and end_date != "NA":
            m1, d1, y1 = map(int, start_date.split("/"))
            m2, d2, y2 = map(int, end_date.split("/"))
            assert (y1, m1, d1) <= (y2, m2, d2)
    assert all(len(facts) == 1 for facts in member_facts.values())


def test_pages_are_commitments_of_the_csv(generated):
    rows = csv_rows(generated / "commitments.csv")
    ids = {row[0] for row in rows[1:]}
    for page in sorted((generated / "pages").glob("*.txt")):
        lines = page.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# source: https://www.opengovpartnership.org/members/")
        assert page.stem in ids
        assert any(line.endswith(f"({page.stem})") for line in lines[:6])


@pytest.fixture(scope="module")
def generated_manifest(generated, tmp_path_factory) -> dict:
    """The manifest of a real build of the generated sources."""
    from ogpgraph.release.pipeline import run_build

    out = tmp_path_factory.mktemp("generated-build")
    return run_build([generated], out, "http://127.0.0.1:8000/").manifest


def test_generated_sources_go_through_the_real_build(generated_manifest):
    manifest = generated_manifest
    assert manifest["counts"]["commitments"] == SIZE  # the pages' commitments are in the CSV
    assert manifest["validation"]["conforms"] is True
    kinds = sorted(source["kind"] for source in manifest["sources"])
    assert kinds == ["csv"] + ["page"] * PAGES


def test_build_benchmark_writes_its_results(bench, generated, generated_manifest, tmp_path):
    results = tmp_path / "results"
    code = bench["build_bench"].main(["--sizes", str(SIZE), "--seed", str(SEED), "--results",
                                      str(results), "--work", str(generated.parent)])
    assert code == 0
    payload = json.loads((results / "build.json").read_text(encoding="utf-8"))
    assert {"benchmark", "generated_at", "seed", "machine", "phases", "runs", "scaling"} \
        <= set(payload)
    (run,) = payload["runs"]
    assert run["generation_seconds"] is None  # the fixture's data was reused
    assert run["ok"] is True and run["size"] == SIZE and run["commitments"] == SIZE
    assert run["triples"] == generated_manifest["triples"]  # the build it timed is a build
    assert run["peak_rss_mb"] > 0
    assert set(run["seconds"]) == set(bench["build_bench"].PHASES)
    assert sum(run["seconds"].values()) == pytest.approx(run["total_seconds"])
    assert payload["scaling"] == []
    assert "| 30 | 30 |" in (results / "build.md").read_text(encoding="utf-8")


def test_peak_rss_is_measured_per_child(bench):
    common = bench["common"]
    big = common.run_measured([sys.executable, "-c", "b = bytearray(300 * 2**20); b[::4096]"])
    # the test process is large: a child must not report its parent's size (ru_maxrss would)
    small = common.run_measured([sys.executable, "-c", "import time; time.sleep(0.5)"])
    assert big.returncode == 0 and small.returncode == 0
    assert big.peak_rss_mb > 250
    assert small.peak_rss_mb < 100  # not the maximum over all children so far


def test_scaling_exponent(bench):
    exponent = bench["common"].scaling_exponent
    assert exponent(1000, 2.0, 10000, 20.0) == pytest.approx(1.0)
    assert exponent(1000, 1.0, 10000, 100.0) == pytest.approx(2.0)
    assert exponent(1000, 0.0, 10000, 1.0) is None


def test_harness_serves_a_build_and_reports_every_query(default_build_dir, tmp_path):
    # only ogpgraph as peer: the peers' installation must not be needed by the test suite
    sys.path.insert(0, str(ROOT))
    try:
        harness = importlib.import_module("bench.harness")
        importlib.import_module("bench.serve_bench")
    finally:
        sys.path.remove(str(ROOT))
    results = tmp_path / "results"
    code = harness.main(["--build-dir", str(default_build_dir), "--peers", "ogpgraph",
                         "--quick", "--results", str(results), "--work", str(tmp_path / "work")])
    assert code == 0
    payload = json.loads((results / "harness.json").read_text(encoding="utf-8"))
    assert {"benchmark", "generated_at", "machine", "options", "sizes"} <= set(payload)
    (size,) = payload["sizes"]
    serve = size["serve"]
    assert size["peers"] == ["ogpgraph"] and list(serve["servers"]) == ["ogpgraph"]
    assert {"servers", "picks", "sparql", "sparql_concurrent", "linked_data", "targets"} \
        <= set(serve)
    # the rows the bench counted are the rows the store gives the same query directly
    serve_bench = importlib.import_module("bench.serve_bench")
    store = load_published(default_build_dir, DEFAULT_BASE_URI).store
    queries = {q.slug: q.query for q in serve_bench.bench_queries(
        DEFAULT_BASE_URI, serve_bench.Picks(**serve["picks"]))}
    for row in serve["sparql"]:
        query = queries[row["query"]]
        form = check_query(query).form
        direct = (int(store.ask(query)) if form == "ASK" else len(store.construct(query))
                  if form in ("CONSTRUCT", "DESCRIBE") else len(store.select(query)))
        assert row["servers"]["ogpgraph"]["rows"] == direct, row["query"]
    slugs = {row["query"] for row in serve["sparql"]}
    assert {"commitments-per-member", "describe-commitment", "ask-starred",
            "commitments-irm-values", "text-filter"} <= slugs
    for row in serve["sparql"]:
        cell = row["servers"]["ogpgraph"]
        assert cell["status"] == 200, row["query"]
        assert cell["runs"] >= 1 and cell["rows"] is not None, row["query"]
    assert serve["sparql_concurrent"]
    for row in serve["sparql_concurrent"]:
        assert set(row["servers"]["ogpgraph"]["statuses"]) == {"200"}, row["query"]
    pages = serve["linked_data"]["pages"]
    assert [p["page"] for p in pages] == ["commitment-html", "commitment-turtle",
                                          "member-html", "listing-html"]
    for page in pages:
        assert page["statuses"] == ["200"], page["path"]
        assert set(page["concurrent"]["statuses"]) == {"200"}, page["path"]
    load = serve["linked_data"]["under_load"]
    assert load["heavy_runs"] >= 1 and load["heavy_statuses"] == ["200"]
    assert set(load["overall"]["statuses"]) == {"200"}
    assert "| commitment-html |" in (results / "harness.md").read_text(encoding="utf-8")


def test_incremental_benchmark_finds_the_two_rebuilds_identical(bench, generated, tmp_path):
    """One page changed: the incremental rebuild reuses every other source, and its release
    is the full rebuild's, byte for byte; the dump timings run on that release."""
    results = tmp_path / "results"
    code = bench["incremental_bench"].main(["--sizes", str(SIZE), "--seed", str(SEED),
                                            "--results", str(results),
                                            "--work", str(generated.parent)])
    assert code == 0
    (run,) = json.loads((results / "incremental.json").read_text(encoding="utf-8"))["runs"]
    assert run["comparison"]["identical"] and run["comparison"]["files_compared"] > 10
    assert run["incremental"]["reuse"]["sources_reused"] == PAGES  # all but the changed page
    assert run["full"]["reuse"]["sources_reused"] == 0
    assert run["ratio_cpu"] > 0 and run["incremental"]["steps"]
    release = Path(run["full"]["release"])
    assert bench["dumps_bench"].main(["--release", str(release), "--results", str(results)]) == 0
    rows = json.loads((results / "dumps.json").read_text(encoding="utf-8"))["rows"]
    assert {"zlib level 1 of the N-Triples", "Oxigraph: default graph as JSON-LD"} <= {
        r["what"] for r in rows}
