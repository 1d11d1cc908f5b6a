"""Validating again only what a change can have touched (see ``locality.py``).

A changed node is checked again; so is every node within :func:`locality.reach` links
backwards of a changed node whose changed statements a check follows (``followed``). Each
is checked on a small store holding, for every graph checked, the statements in that graph
of the nodes within ``reach`` links of it, and the union of their statements (what nested
shapes read) beside the ontology and vocabularies, exactly as a full check sees them; only
the results whose focus node was to be checked are kept (the others' neighbourhoods may be
cut short in the small store).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from ogpgraph.graph.static_files import load_support_graphs
from ogpgraph.release.incremental.locality import followed, reach, traversed
from ogpgraph.validation.axioms import per_source
from ogpgraph.validation.run import GraphResult, data_shapes, validate_store_graphs

GraphTest = Callable[[ox.NamedNode | ox.DefaultGraph], bool]
CONTEXT = ox.NamedNode("urn:ogpgraph:build:context")


def to_check(store: ox.Store, changes: dict[str, set[str]], base: str,
             keep: GraphTest) -> set[str]:
    """The nodes whose results may differ: the changed ones, and those within reach
    backwards of a change a check follows, along the links checks step along (through the
    graphs ``keep`` accepts)."""
    read, links = followed(base), traversed(base)
    seeds = {s for s, predicates in changes.items() if read is None or predicates & read}
    found, frontier = set(changes), seeds
    for _ in range(reach(base)):
        step: set[str] = set()
        for node in frontier:
            for quad in store.quads_for_pattern(None, None, ox.NamedNode(node), None):
                subject = quad.subject
                if (isinstance(subject, ox.NamedNode) and keep(quad.graph_name)
                        and (links is None or quad.predicate.value in links)
                        and subject.value not in found):
                    step.add(subject.value)
        found |= step
        frontier = step
    return found


def neighbourhood(store: ox.Store, nodes: Iterable[str], base: str,
                  keep: GraphTest) -> list[ox.Quad]:
    """The statements (in the graphs ``keep`` accepts) of ``nodes`` and of every node
    within reach of them along the links checks step along."""
    links, depth = traversed(base), reach(base)
    seen: set[str] = set()
    frontier = set(nodes)
    quads: list[ox.Quad] = []
    for level in range(depth + 1):
        step: set[str] = set()
        for node in frontier - seen:
            seen.add(node)
            for quad in store.quads_for_pattern(ox.NamedNode(node), None, None, None):
                if not keep(quad.graph_name):
                    continue
                quads.append(quad)
                if (level < depth and isinstance(quad.object, ox.NamedNode)
                        and (links is None or quad.predicate.value in links)):
                    step.add(quad.object.value)
        frontier = step
    return quads


def check_nodes(quads: list[ox.Quad], graphs: dict[str, set[str]], base: str,
                shapes: str = "per source") -> list[GraphResult]:
    """Validate, in each graph of ``graphs``, its nodes (the values), on a store of
    ``quads`` (the statements around them, in their own graphs) and the support graphs."""
    sub = ox.Store()
    load_support_graphs(sub, base)
    wanted = {ox.NamedNode(g) for g in graphs}
    sub.extend(q for q in quads if q.graph_name in wanted)
    sub.extend(ox.Quad(q.subject, q.predicate, q.object, CONTEXT) for q in quads)
    chosen = per_source(data_shapes(base)) if shapes == "per source" else data_shapes(base)
    results = validate_store_graphs(sub, base, sorted(graphs), shapes=chosen)
    return [(graph, result) for graph, result in results
            if str(result.focus) in graphs[str(graph)]]


def result_order(item: GraphResult) -> tuple[str, ...]:
    """The order ``validate_store_graphs`` returns results in."""
    graph, r = item
    return (str(graph), str(r.focus), str(r.shape), str(r.path), str(r.value), r.component)


def revalidate_graphs(store: ox.Store, changes: dict[str, set[str]],
                      previous: dict[str, list[GraphResult]], graphs: list[str], base: str,
                      derived: frozenset[str]) -> list[GraphResult]:
    """The results of validating each of ``graphs`` on its own, as a full check of
    ``store`` gives them, from the ``previous`` results (by graph) and ``changes`` (the
    nodes whose statements in the source graphs changed, with the predicates that did):
    the nodes a change can have reached are checked again, a graph without previous
    results whole. ``derived``: graphs that are not source graphs (never checked)."""
    def source_graph(graph: ox.NamedNode | ox.DefaultGraph) -> bool:
        return isinstance(graph, ox.NamedNode) and graph.value not in derived

    recheck = to_check(store, changes, base, source_graph)
    wanted = set(graphs)
    focus: dict[str, set[str]] = defaultdict(set)
    for node in recheck:
        for quad in store.quads_for_pattern(ox.NamedNode(node), None, None, None):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in wanted:
                focus[quad.graph_name.value].add(node)
    for graph in graphs:
        if graph not in previous:
            focus[graph] |= {q.subject.value for q in store.quads_for_pattern(
                None, None, None, ox.NamedNode(graph)) if isinstance(q.subject, ox.NamedNode)}
    fresh: dict[str, list[GraphResult]] = defaultdict(list)
    if focus:
        quads = neighbourhood(store, set().union(*focus.values()), base, source_graph)
        for item in check_nodes(quads, focus, base):
            fresh[str(item[0])].append(item)
    results = [item for graph in graphs for item in
               [r for r in previous.get(graph, []) if str(r[1].focus) not in recheck]
               + fresh.get(graph, [])]
    return sorted(results, key=result_order)
