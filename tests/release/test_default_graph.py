"""The SPARQL default graph: disagreements between sources resolved by the precedence of
sources and described as data, each source's own statement kept in its named graph, the
default graph validated before publication (a release whose default graph violates a shape
is not published), and ``ogpgraph validate`` clean on the published union dump."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from ogpgraph.cli.validate import validate_path
from ogpgraph.config import DEFAULT_BASE_URI as B
from ogpgraph.config import PROJECT_ROOT
from ogpgraph.release import precedence
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.pipeline import BuildFailed, run_build

OGP = f"{B}ontology#"
PAGE = PROJECT_ROOT / "tests" / "fixtures" / "pages" / "HN0065_es.txt"


def open_store(build_dir: Path) -> ox.Store:
    """The release's on-disk store: its named graphs, and the default graph as published."""
    return ox.Store.read_only(str(BuildLayout.current(build_dir).store_dir))


def select(store: ox.Store, query: str, union: bool = False) -> list[dict[str, str]]:
    solutions = store.query(f"PREFIX ogp: <{OGP}>\n{query}", use_default_graph_as_union=union)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [{n: s[n].value for n in names if s[n] is not None}
            for s in solutions]  # type: ignore[union-attr]


def two_pages(folder: Path) -> Path:
    """The same commitment page twice, one saying the action plan ends in 2021: two sources
    that disagree on the functional ogp:endYear of honduras-2018; each conforms alone."""
    folder.mkdir(parents=True, exist_ok=True)
    text = PAGE.read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text.replace("Honduras 2018-2020", "Honduras 2018-2021"),
                                  encoding="utf-8")
    return folder


@pytest.mark.parametrize("fixture", ["default_build_dir", "shared_build_dir"])
def test_validate_on_the_published_union_dump_finds_no_violation(request, fixture) -> None:
    build = request.getfixturevalue(fixture)
    dump = BuildLayout.current(build).root / "dumps" / "ogpgraph.ttl"
    outcome = validate_path(dump, B)
    assert outcome.conforms, outcome.report_text()
    assert BuildLayout.current(build).manifest()["validation"]["default_graph_conforms"]


def test_the_honduras_end_year_disagreement(shared_build_dir: Path) -> None:
    store = open_store(shared_build_dir)
    plan = f"{B}id/action-plan/honduras-2018"
    # the default graph: one end year, the CSV export's (first in the precedence)
    assert [r["y"] for r in select(store, f"SELECT ?y WHERE {{ <{plan}> ogp:endYear ?y }}")] \
        == ["2021"]
    # each named graph keeps what its source said
    said = {(r["g"].rsplit("/", 1)[-1].split("-")[0], r["y"]) for r in select(
        store, f"SELECT ?g ?y WHERE {{ GRAPH ?g {{ <{plan}> ogp:endYear ?y }} }}")}
    assert said == {("csv", "2021"), ("page", "2020")}
    # the disagreement as data, in the default graph
    rows = select(store, f"""
SELECT ?d ?kept ?value ?source WHERE {{
  ?d a ogp:Disagreement ; ogp:disputedResource <{plan}> ; ogp:disputedProperty ogp:endYear ;
     ogp:keptClaim ?kept ; ogp:claim ?claim .
  ?claim ogp:claimedLiteral ?value ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?source }}""")
    assert {(r["value"], r["source"].rsplit("/", 1)[-1].split("-")[0]) for r in rows} == {
        ("2021", "csv"), ("2020", "page")}
    assert len({r["kept"] for r in rows}) == 1
    manifest = BuildLayout.current(shared_build_dir).manifest()
    assert any("honduras-2018" in w and "default graph keeps" in w for w in manifest["warnings"])


def test_no_institution_has_two_disjoint_classes_in_the_shared_build(shared_build_dir) -> None:
    """The Bulgarian institution two sources classified differently has one class now."""
    store = open_store(shared_build_dir)
    both = select(store, "SELECT ?i WHERE { ?i a ogp:GovernmentBody , "
                         "ogp:NonGovernmentalOrganization }")
    assert both == []
    acm = f"{B}id/institution/bulgaria/administration-of-the-council-of-ministers"
    types = {r["t"] for r in select(store, f"SELECT ?t WHERE {{ <{acm}> a ?t }}")}
    assert f"{OGP}GovernmentBody" in types and f"{OGP}CivilSocietyOrganization" not in types


def test_disagreeing_sources_are_resolved_and_published(tmp_path: Path) -> None:
    result = run_build([two_pages(tmp_path / "src")], tmp_path / "out", B)
    store = open_store(tmp_path / "out")
    years = select(store, f"SELECT ?y WHERE {{ <{B}id/action-plan/honduras-2018> ogp:endYear ?y }}")
    assert len(years) == 1
    assert result.manifest["default_graph"]["disagreements"] == 1


@pytest.mark.parametrize("full", [True, False], ids=["full", "incremental"])
def test_a_default_graph_violating_a_shape_is_not_published(tmp_path: Path, monkeypatch,
                                                             full: bool) -> None:
    """Without the precedence the default graph holds both end years: the build stops,
    naming the violation, and the previous release stays published (a full build checks
    the whole default graph, an incremental one what the change can reach)."""
    out = tmp_path / "out"
    first = run_build([PROJECT_ROOT / "data"], out, B)
    for module in ("full", "incremental.steps"):
        monkeypatch.setattr(f"ogpgraph.release.{module}.resolve_disagreements",
                            lambda *args, **kwargs: precedence.Resolution())
    with pytest.raises(BuildFailed) as failure:
        run_build([two_pages(tmp_path / "src")], out, B, full=full)
    assert any(e.startswith("default graph:") and "honduras-2018" in e and "end year" in e
               for e in failure.value.errors), failure.value.errors
    assert (out / "current").resolve() == first.release
    assert json.loads((first.release / "build.json").read_text())["build_id"] == \
        first.manifest["build_id"]
    assert not [p for p in (out / "releases").iterdir() if p.name.startswith(".staging")]


def test_the_release_carries_the_reconciliation_report(shared_build_dir: Path) -> None:
    layout = BuildLayout.current(shared_build_dir)
    manifest = layout.manifest()
    files = {entry["file"] for entry in manifest["reports"]}
    assert files == {"institutions-report.json", "institutions-report.md"}
    report = json.loads((layout.root / "institutions-report.json").read_text("utf-8"))
    argentina = report["members"]["argentina"]
    assert argentina["institutions"] > 10 and argentina["redirects"]
    # fields kept whole are in the build report, never split by guess
    assert any("kept whole" in w for w in manifest["warnings"])


def test_a_node_two_sources_classify_into_disjoint_classes_keeps_the_first_sources_class(
        ) -> None:
    """The export says country, a page says OGP Local member: the default graph keeps the
    export's class (precedence), the page's stays in its named graph, and the disagreement
    is described; then the default graph passes the disjointness shapes."""
    from ogpgraph.graph.static_files import load_support_graphs
    from ogpgraph.records.model import Source, SourceRecords
    from ogpgraph.release.default_graph import (
        UNION_GRAPH,
        DefaultGraphViolations,
        check_default_graph,
    )

    csv = SourceRecords(Source("csv", "x.csv", "c" * 64))
    page = SourceRecords(Source("page", "x.txt", "a" * 64))
    member = ox.NamedNode(f"{B}id/member/papua-new-guinea")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store = ox.Store()
    load_support_graphs(store, B)
    for records, cls in ((csv, "Country"), (page, "LocalMember")):
        graph = ox.NamedNode(f"{B}id/source/{records.source.kind}-{records.source.sha256[:16]}")
        store.add(ox.Quad(member, rdf_type, ox.NamedNode(f"{OGP}Member"), graph))
        store.add(ox.Quad(member, rdf_type, ox.NamedNode(f"{OGP}{cls}"), graph))
        store.add(ox.Quad(member, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                          ox.Literal("Papua New Guinea", language="en"), graph))
    resolution = precedence.resolve_disagreements(store, [page, csv], B)
    assert resolution.dropped == [(member, rdf_type, ox.NamedNode(f"{OGP}LocalMember"))]
    assert any("papua-new-guinea" in w and "ogp:Country" in w for w in resolution.warnings)
    union = ox.Store()
    union.extend(ox.Quad(q.subject, q.predicate, q.object, UNION_GRAPH)
                 for q in [*store, *resolution.quads])
    with pytest.raises(DefaultGraphViolations, match="disagreements|violat"):
        check_default_graph(union, B)  # both classes: disjoint
    for t in resolution.dropped:
        union.remove(ox.Quad(*t, UNION_GRAPH))
    try:
        check_default_graph(union, B)
    except DefaultGraphViolations as failed:
        raise AssertionError(failed.lines) from failed
    kept = [q.object.value for q in resolution.quads if q.predicate.value == f"{OGP}keptClaim"]
    assert len(kept) == 1
