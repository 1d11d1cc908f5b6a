"""Every example query of the query page runs and answers something."""

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


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_examples_answer_on_the_fixture(client, example):
    response = client.get("/sparql", params={"query": example.query})
    assert response.status_code == 200, response.text
    assert json.loads(response.text)["results"]["bindings"], example.slug


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
