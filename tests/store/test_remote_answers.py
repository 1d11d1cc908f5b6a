"""The same requests against the embedded store of a real build and against each engine
serving that build: the same answers, through ``/sparql``'s executor and through the
``GraphStore`` the pages use."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from engines import Engine, build_id, serving
from remote_table import Case, normalised, table

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.uris import Uris
from ogpgraph.release.layout import BuildLayout
from ogpgraph.store.executor import run_job
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.query_jobs import QueryJob, QueryOutcome
from ogpgraph.store.remote_store import open_store
from ogpgraph.web.dataset_description import compute_statistics
from ogpgraph.web.resource_document import build_document

BASE = DEFAULT_BASE_URI


def job_for(case: Case, max_results: int = 10_000) -> QueryJob:
    """The job ``/sparql`` makes of a request (see ogpgraph/web/routers/sparql.py)."""
    return QueryJob(query=case.query, solutions_format="json", graph_format="nt",
                    max_results=max_results, default_graph_uris=case.default_graphs,
                    named_graph_uris=case.named_graphs)


def source_graphs(build_dir: Path) -> list[str]:
    sizes = BuildLayout.current(build_dir).manifest()["graph_triples"]
    sources = sorted(((n, iri) for iri, n in sizes if "/id/source/" in iri), reverse=True)
    return [iri for _, iri in sources]


CASES = table(BASE, ["urn:big", "urn:small"])  # names only: the real table is per build


class Remote:
    """A RemoteStore and a RemoteQueryExecutor on one engine, and one event loop to drive
    the executor from these synchronous tests."""

    def __init__(self, url: str) -> None:
        self.store, self.executor = open_store(url, query_timeout=60)
        self.loop = asyncio.new_event_loop()

    def run(self, job: QueryJob) -> QueryOutcome:
        return self.loop.run_until_complete(self.executor.run(job))

    def close(self) -> None:
        self.store.close()
        self.loop.run_until_complete(self.executor.aclose())
        self.loop.close()


@pytest.fixture(scope="module")
def remote(engine: Engine, compared_build: Path) -> Iterator[Remote]:
    serving(engine, compared_build).close()
    opened = Remote(engine.url)
    yield opened
    opened.close()


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_sparql_answers_are_the_embedded_ones(name: str, remote: Remote, embedded: OxigraphStore,
                                               compared_build: Path) -> None:
    case = next(c for c in table(BASE, source_graphs(compared_build)) if c.name == name)
    assert remote.store.release.build_id == build_id(compared_build)
    got = remote.run(job_for(case))
    assert got.kind == "ok", got.message
    if case.unordered_limit:  # any rows of the whole answer, as many as asked for
        whole = normalised(run_job(embedded, job_for(case.without_limit())), case)
        kind, names, rows, truncated = normalised(got, case)
        assert (kind, names) == whole[:2] and not rows - whole[2]
        assert got.count == run_job(embedded, job_for(case)).count > 0
        return
    expected = run_job(embedded, job_for(case))
    assert normalised(got, case) == normalised(expected, case)
    if expected.result_kind != "boolean":
        assert got.count == expected.count


def test_answers_are_cut_as_the_embedded_ones(remote: Remote, embedded: OxigraphStore) -> None:
    case = Case("all", "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o")
    expected = run_job(embedded, job_for(case, max_results=7))
    got = remote.run(job_for(case, max_results=7))
    assert (got.count, got.truncated) == (expected.count, expected.truncated) == (7, True)
    assert normalised(got, case) == normalised(expected, case)
    graph = Case("graph", "CONSTRUCT WHERE { ?s ?p ?o }")
    got = remote.run(job_for(graph, max_results=5))
    assert (got.count, got.truncated) == (5, True)


def test_documents_and_statistics_are_the_embedded_ones(remote: Remote, embedded: OxigraphStore,
                                                        compared_build: Path) -> None:
    """What the pages read: a commitment's and a member's RDF document, the dataset's
    statistics, the counts."""
    store = remote.store
    uris = Uris(BASE)
    built = datetime(2024, 1, 1)
    for iri in (uris.commitment("PE0055"), uris.member("peru"), uris.concept("policy-area",
                                                                             "open-data")):
        ours = build_document(store, BASE, iri, f"{iri}.ttl", built)
        theirs = build_document(embedded, BASE, iri, f"{iri}.ttl", built)
        assert set(ours.graph) == set(theirs.graph)
        assert (ours.sources, ours.incoming_total) == (theirs.sources, theirs.incoming_total)
        assert len(ours.graph) > 10
    assert compute_statistics(store, BASE) == compute_statistics(embedded, BASE)
    assert store.triple_count() == embedded.triple_count()
    assert store.quad_count() == embedded.quad_count()
    assert store.ask(f"ASK {{ <{uris.commitment('PE0055')}> ?p ?o }}")
