"""The store interface the web layer talks to, and its embedded Oxigraph implementation."""

from ogpgraph.store.base import GraphStore, QueryDataset
from ogpgraph.store.oxigraph_store import OxigraphStore

__all__ = ["GraphStore", "OxigraphStore", "QueryDataset"]
