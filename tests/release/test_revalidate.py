"""Validating again only what a change can reach gives what validating everything gives:
checked against the full validation, for changes whose effect is on a node's own results
and for changes whose effect is on its neighbours'."""

from __future__ import annotations

import shutil
from collections import defaultdict

import pyoxigraph as ox
import pytest

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT
from ogpgraph.release.full import load_parts
from ogpgraph.release.incremental.locality import followed, reach
from ogpgraph.release.incremental.revalidate import result_order, revalidate_graphs
from ogpgraph.release.pipeline import NullProgress, prepare
from ogpgraph.validation.axioms import per_source
from ogpgraph.validation.run import GraphResult, data_shapes, validate_store_graphs

B = DEFAULT_BASE_URI
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DERIVED = frozenset({f"{B}graph/disagreements", f"{B}graph/history"})


@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[str]]:
    """The seed page and the export sample, mapped: the store's N-Quads and source graphs."""
    sources = tmp_path_factory.mktemp("revalidate")
    shutil.copy(PROJECT_ROOT / "data" / "PE0055.txt", sources)
    shutil.copy(PROJECT_ROOT / "tests" / "fixtures" / "csv" / "sample.csv", sources)
    prepared = prepare([sources], B, NullProgress())
    graphs = [parts.graph for parts in prepared.all_parts]
    store, _ = load_parts(prepared.all_parts, B, prepared.built_at, NullProgress())
    return store.dump(format=ox.RdfFormat.N_QUADS), graphs


def fresh(nquads: bytes) -> ox.Store:
    store = ox.Store()
    store.load(nquads, ox.RdfFormat.N_QUADS)
    return store


def full(store: ox.Store, graphs: list[str]) -> list[GraphResult]:
    return sorted(validate_store_graphs(store, B, graphs, shapes=per_source(data_shapes(B))),
                  key=result_order)


def by_graph(results: list[GraphResult]) -> dict[str, list[GraphResult]]:
    found: dict[str, list[GraphResult]] = defaultdict(list)
    for item in results:
        found[str(item[0])].append(item)
    return found


def remove(store: ox.Store, quads: list[ox.Quad]) -> dict[str, set[str]]:
    for quad in quads:
        store.remove(quad)
    changes: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        changes[quad.subject.value].add(quad.predicate.value)
    return changes


def test_a_change_reaching_its_neighbours_is_found(mapped: tuple[bytes, list[str]]) -> None:
    """Peru stops being typed a member anywhere: the commitments that name it now violate
    ``sh:class ogp:Member``, though none of their own statements changed."""
    nquads, graphs = mapped
    store = fresh(nquads)
    before = full(store, graphs)
    peru = ox.NamedNode(f"{B}id/member/peru")
    changes = remove(store, list(store.quads_for_pattern(peru, RDF_TYPE, None, None)))
    after = full(store, graphs)
    reached = {str(r.focus) for _, r in after} - {str(r.focus) for _, r in before}
    assert any("/commitment/" in focus for focus in reached)  # the neighbours' results
    assert revalidate_graphs(store, changes, by_graph(before), graphs, B, DERIVED) == after


def test_a_change_of_a_node_alone_is_found(mapped: tuple[bytes, list[str]]) -> None:
    """A commitment loses its titles: its own results change, and only those."""
    nquads, graphs = mapped
    store = fresh(nquads)
    before = full(store, graphs)
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    commitment = ox.NamedNode(f"{B}id/commitment/PE0055")
    changes = remove(store, list(store.quads_for_pattern(commitment, title, None, None)))
    after = full(store, graphs)
    assert after != before
    assert revalidate_graphs(store, changes, by_graph(before), graphs, B, DERIVED) == after


def test_a_new_graph_is_checked_whole(mapped: tuple[bytes, list[str]]) -> None:
    nquads, graphs = mapped
    store = fresh(nquads)
    expected = full(store, graphs)
    kept = {g: items for g, items in by_graph(expected).items() if g != graphs[0]}
    kept.setdefault(graphs[1], [])
    assert revalidate_graphs(store, {}, kept, graphs, B, DERIVED) == expected


def test_what_checks_read_beyond_their_node() -> None:
    """The shapes read types (sh:class) and a concept's scheme (the scheme shapes) on
    other nodes, and no SPARQL constraint reads a variable predicate."""
    read = followed(B)
    assert read is not None
    assert {str(RDF_TYPE.value), "http://www.w3.org/2004/02/skos/core#inScheme"} <= read
    assert reach(B) >= 2
