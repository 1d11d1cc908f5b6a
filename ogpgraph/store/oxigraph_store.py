"""The embedded Oxigraph store: in memory (the default for serving), on disk, or both."""

from __future__ import annotations

import gzip
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ogpgraph.graph.convert import rdflib_graph, rdflib_rows
from ogpgraph.store.sparql_text import has_dataset_clause, reads_named_graphs
from ogpgraph.store.unsendable import dropped_here


def dataset_arguments(union_stored: bool, from_clause: bool,
                      default_graphs: tuple[str, ...] = (),
                      named_graphs: tuple[str, ...] = ()) -> dict[str, Any]:
    """The one dataset rule, as pyoxigraph ``query`` arguments: the protocol's dataset
    (default-graph-uri / named-graph-uri) when given, else the query's FROM clauses, else
    the union of all graphs as default graph: the store's own when it holds it
    (``union_stored``), else taken on the fly. pyoxigraph's union flag would override FROM,
    hence the order."""
    if default_graphs or named_graphs:
        return {"default_graph": [ox.NamedNode(iri) for iri in default_graphs],
                "named_graphs": [ox.NamedNode(iri) for iri in named_graphs]}
    if from_clause or union_stored:
        return {}
    return {"use_default_graph_as_union": True}


class OxigraphStore:
    """Implements :class:`ogpgraph.store.base.GraphStore` over a ``pyoxigraph.Store``.

    The dataset's default graph is the union of its named graphs. Three layouts:

    - the store holds the named graphs, and each query asks Oxigraph for their union on
      the fly, which visits a fact once per source graph that states it (stores made in
      tests);
    - it also holds their union as its default graph (``union_materialised``);
    - it holds only the union, and the named graphs live in the release's on-disk store
      (``named_graphs``, which also stores the union as its default graph): how
      ``ogpgraph serve`` loads a build. Oxigraph's indexes span all graphs, so a store of
      the union alone answers the common queries up to twice as fast, in half the memory;
      the queries that read named graphs (GRAPH, FROM) go to disk.
    """

    def __init__(self, store: ox.Store | None = None, union_materialised: bool = False,
                 quads: int | None = None, named_graphs: Path | None = None) -> None:
        self.store = store if store is not None else ox.Store()
        self.union_materialised = union_materialised or named_graphs is not None
        self.named_graphs = named_graphs
        self._quads = quads
        self._triples: int | None = None
        self._disk: tuple[int, ox.Store] | None = None  # (pid, store): one per process
        self._disk_lock = (os.getpid(), threading.Lock())

    def gather(self, calls: Sequence[Callable[[], Any]]) -> list[Any]:
        return [call() for call in calls]  # in process: nothing to wait on in parallel

    @classmethod
    def in_memory_from_nquads_gz(cls, path: Path) -> OxigraphStore:
        store = ox.Store()
        with gzip.open(path, "rb") as stream:
            store.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
        return cls(store)

    @classmethod
    def in_memory_with_union(cls, nquads_gz: Path, ntriples_gz: Path) -> OxigraphStore:
        """The named graphs from the N-Quads dump and, as the default graph, their union
        from the N-Triples dump (the build wrote it with each fact once)."""
        store = ox.Store()
        with gzip.open(nquads_gz, "rb") as stream:
            store.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
        quads = len(store)
        with gzip.open(ntriples_gz, "rb") as stream:
            store.bulk_load(input=stream, format=ox.RdfFormat.N_TRIPLES)
        return cls(store, union_materialised=True, quads=quads)

    @classmethod
    def union_in_memory(cls, ntriples_gz: Path, named_graphs: Path,
                        quads: int | None = None) -> OxigraphStore:
        """The union from the N-Triples dump in memory; the named graphs stay in the
        on-disk store ``named_graphs``, which must hold the union as its default graph."""
        if not named_graphs.is_dir():
            raise FileNotFoundError(f"no on-disk store at {named_graphs}")
        store = ox.Store()
        with gzip.open(ntriples_gz, "rb") as stream:
            store.bulk_load(input=stream, format=ox.RdfFormat.N_TRIPLES)
        return cls(store, quads=quads, named_graphs=named_graphs)

    @classmethod
    def open_read_only(cls, path: Path, union_materialised: bool = False) -> OxigraphStore:
        return cls(ox.Store.read_only(str(path)), union_materialised)

    def for_query(self, named_graphs: bool) -> tuple[ox.Store, bool]:
        """The store to run a query on, and whether its default graph holds the union.
        ``named_graphs``: the query reads them (GRAPH, FROM, the protocol's dataset)."""
        if self.named_graphs is None or not named_graphs:
            return self.store, self.union_materialised
        return self._named_graphs_store(), True

    def _named_graphs_store(self) -> ox.Store:
        """The on-disk store, opened read-only once per process: query workers are forked,
        and a RocksDB handle must not cross a fork."""
        pid = os.getpid()
        if self._disk_lock[0] != pid:  # forked: the parent's lock may have been held
            self._disk_lock = (pid, threading.Lock())
        with self._disk_lock[1]:  # pages ask from several threads
            if self._disk is None or self._disk[0] != pid:
                assert self.named_graphs is not None
                self._disk = (pid, ox.Store.read_only(str(self.named_graphs)))
            return self._disk[1]

    def query(self, query: str) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        """pyoxigraph's own result, on the dataset whose default graph is the union of the
        graphs, or the graphs the query names with FROM (Oxigraph's union flag would
        override them)."""
        store, union_stored = self.for_query(reads_named_graphs(query))
        return store.query(query, **dataset_arguments(union_stored, has_dataset_clause(query)))

    @dropped_here  # pages ask from threads: results stay on theirs (unsendable.py)
    def select(self, query: str) -> list[dict[str, Node]]:
        solutions = self.query(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        return rdflib_rows(solutions)

    @dropped_here  # pages ask from threads: results stay on theirs (unsendable.py)
    def ask(self, query: str) -> bool:
        return bool(self.query(query))

    @dropped_here  # pages ask from threads: results stay on theirs (unsendable.py)
    def construct(self, query: str) -> Graph:
        return rdflib_graph(self.query(query))  # type: ignore[arg-type]

    def triple_count(self) -> int:
        if self._triples is None and self.named_graphs is not None:
            self._triples = len(self.store)  # the union alone
        if self._triples is None:
            rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                               "WHERE { ?s ?p ?o } }")
            self._triples = int(rows[0]["n"])
        return self._triples

    def quad_count(self) -> int:
        """Quads in the named graphs (the materialised default graph not counted)."""
        if self._quads is None:
            self._quads = len(self.for_query(named_graphs=True)[0]) - (
                self.triple_count() if self.union_materialised else 0)
        return self._quads
