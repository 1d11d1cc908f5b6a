"""The mapping: the build's quad path states exactly what the rdflib path does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT
from ogpgraph.graph.convert import to_rdflib
from ogpgraph.graph.mapping import map_records, map_records_to_quads
from ogpgraph.sources.csv_export import read_csv_export
from ogpgraph.sources.page_text import read_page_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("reader, path", [
    (read_page_text, PROJECT_ROOT / "data" / "PE0055.txt"),
    (read_page_text, FIXTURES / "pages" / "UK0063.txt"),
    (lambda p: read_csv_export(p, workers=1), FIXTURES / "csv" / "sample.csv"),
])
def test_quads_equal_the_rdflib_graph(reader, path: Path) -> None:
    records = reader(path)
    iri, graph = map_records(records, DEFAULT_BASE_URI, WHEN)
    quads = [q for batch in map_records_to_quads(records, DEFAULT_BASE_URI, WHEN, batch_size=2)
             for q in batch]
    assert {str(q.graph_name.value) for q in quads} == {str(iri)}
    as_triples = {(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
                  for q in quads}
    assert as_triples == set(graph)


def test_shared_resources_are_stated_once_per_batch() -> None:
    records = read_page_text(PROJECT_ROOT / "data" / "PE0055.txt")
    [quads] = list(map_records_to_quads(records, DEFAULT_BASE_URI, WHEN, batch_size=1000))
    member = f"{DEFAULT_BASE_URI}id/member/peru"
    labels = [q for q in quads if q.subject.value == member and q.predicate.value.endswith("label")]
    assert len(labels) == 1  # 84 commitments name Peru; its label is written once


def test_a_plan_gets_one_made_up_label_however_its_references_differ() -> None:
    """Rows of one export that disagree on a plan's end year (or where one row lacks it)
    give the plan one made-up label, the most complete; a plan that some record of the
    source names gets no made-up label at all."""
    from dataclasses import replace

    from rdflib import URIRef
    from rdflib.namespace import RDFS

    records = read_csv_export(FIXTURES / "csv" / "sample.csv", workers=1)
    first, second, *_ = records.commitments
    plan = first.action_plan
    assert plan is not None and plan.name is None
    second.action_plan = replace(plan, end_year=None)
    first.action_plan = replace(plan, end_year=(plan.cycle_year or 2000) + 2)
    records.commitments = [second, first]  # the shorter reference first
    iri, graph = map_records(records, DEFAULT_BASE_URI, WHEN)
    plan_iri = URIRef(f"{DEFAULT_BASE_URI}id/action-plan/{plan.member_slug}-{plan.cycle_year}")
    labels = [str(o) for o in graph.objects(plan_iri, RDFS.label)]
    assert len(labels) == 1 and labels[0].endswith(f"-{first.action_plan.end_year}")

    first.action_plan = replace(plan, name="A plan's own name")
    iri, graph = map_records(records, DEFAULT_BASE_URI, WHEN)
    assert [str(o) for o in graph.objects(plan_iri, RDFS.label)] == ["A plan's own name"]
