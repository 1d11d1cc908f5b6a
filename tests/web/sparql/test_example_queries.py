"""Every example query of the query page answers what it should: exact rows on the
hand-written fixture (checked by hand against tests/fixtures/sparql/dataset.trig), and
something on the real builds."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sparql_fixture import BASE

from ogpgraph.config import DEFAULT_BASE_URI, Settings
from ogpgraph.web.app import create_app
from ogpgraph.web.published import PublishedBuild, load_published
from ogpgraph.web.sparql.examples import example_queries

EXAMPLES = example_queries(BASE)


# slug -> the expected rows: column -> value; a set for a GROUP_CONCAT (order not defined)
EXPECTED: dict[str, list[dict[str, object]]] = {
    "commitments-per-member": [
        {"member": "id/member/peru", "name": "Peru", "commitments": "2"},
        {"member": "id/member/united-kingdom", "name": "United Kingdom", "commitments": "2"}],
    "starred-by-policy-area": [
        {"area": "id/policy-area/open-data", "policyArea": "Open Data", "starred": "2"},
        {"area": "id/policy-area/public-procurement", "policyArea": "Public Procurement",
         "starred": "1"}],
    "completion-by-action-plan": [
        {"plan": "id/action-plan/peru-2015", "completion": "Complete", "commitments": "1"},
        {"plan": "id/action-plan/peru-2015", "completion": "Limited", "commitments": "1"},
        {"plan": "id/action-plan/peru-2015", "completion": "Substantial", "commitments": "1"},
        {"plan": "id/action-plan/peru-2015", "completion": "not assessed", "commitments": "2"},
        {"plan": "id/action-plan/united-kingdom-2016", "completion": "not assessed",
         "commitments": "2"}],
    "lead-institutions": [
        {"institution": "id/institution/united-kingdom/cabinet-office", "commitments": "2"},
        {"institution": "id/institution/peru/pcm", "commitments": "2"}],
    "peru-2015": [
        {"identifier": "PE0055", "policyAreas": {"Capacity Building", "Public Participation"}},
        {"identifier": "PE0056", "policyAreas": {"Open Data"}}],
    "irm-levels": [
        {"commitment": "id/commitment/PE0056", "reportKind": "End-of-Term Report",
         "completion": "Complete", "completionRank": "5"},
        {"commitment": "id/commitment/PE0055", "reportKind": "End-of-Term Report",
         "completion": "Substantial", "completionRank": "4"},
        {"commitment": "id/commitment/PE0055", "reportKind": "Mid-Term Report",
         "completion": "Limited", "completionRank": "2"}],
    "policy-areas-per-member": [
        {"member": "id/member/peru", "areas": "3",
         "policyAreas": {"Open Data", "Capacity Building", "Public Participation"}},
        {"member": "id/member/united-kingdom", "areas": "3",
         "policyAreas": {"Beneficial Ownership", "Public Procurement", "Open Data"}}],
    "irm-reports": [
        {"report": "id/irm-report/peru-2015-end-of-term", "issued": "2018", "assessments": "2"},
        {"report": "id/irm-report/peru-2015-mid-term", "issued": "2017", "assessments": "1"}],
}


def shown(value: str, expected: object) -> object:
    """A result cell as the EXPECTED table writes it (IRIs relative to the base)."""
    if isinstance(expected, set):
        return {part.strip() for part in value.split(",")}
    return value.removeprefix(BASE)


def test_every_example_has_pinned_rows():
    assert {e.slug for e in EXAMPLES} == set(EXPECTED)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_examples_give_the_expected_rows_on_the_fixture(client, example):
    response = client.get("/sparql", params={"query": example.query})
    assert response.status_code == 200, response.text
    bindings = json.loads(response.text)["results"]["bindings"]
    expected = EXPECTED[example.slug]
    rows = [{name: shown(b[name]["value"], want) for name, want in row.items() if name in b}
            for b, row in zip(bindings, expected, strict=False)]
    assert len(bindings) == len(expected), example.slug
    assert rows == expected, example.slug


def empty_examples(published: PublishedBuild) -> list[str]:
    """Run every example over ``published``; the slugs of those that answered nothing."""
    settings = Settings(base_uri=published.base, query_workers=1)
    empty = []
    with TestClient(create_app(settings=settings, published=published)) as client:
        for example in example_queries(published.base):
            response = client.get("/sparql", params={"query": example.query})
            assert response.status_code == 200, (example.slug, response.text)
            if not json.loads(response.text)["results"]["bindings"]:
                empty.append(example.slug)
    return empty


def test_examples_answer_on_the_default_build(default_published):
    """Uses the session fixture ``default_published`` (tests/conftest.py): a build of data/."""
    assert empty_examples(default_published) == []


def test_examples_answer_on_the_shared_build(shared_build_dir):
    """A build of data/ plus ../shared/ogp (pages and the CSV export): every example answers."""
    assert empty_examples(load_published(shared_build_dir, DEFAULT_BASE_URI)) == []
