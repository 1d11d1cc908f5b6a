"""The IRIs the history mints (README "Change history"), each served by
``ogpgraph/web/routers/changes.py``:

    {base}releases/{release}                          a release (prov:Activity)
    {base}releases/{release}/changes/{kind}/{key}     what it changed in {base}id/{kind}/{key}
    {base}releases/{release}/changes/…#{prefix}-{name}   one property of that change
    {base}releases/{release}/versions/{kind}/{key}    the resource as it was then (LDES member)
    {base}changes/stream, {base}changes/stream/{n}    the event stream and its pages
    {base}graph/history                               the named graph of the history
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ogpgraph.graph.terms import curie, prefixes_for


@dataclass(frozen=True)
class HistoryIris:
    base: str

    def release(self, release_id: str) -> str:
        return f"{self.base}releases/{release_id}"

    def resource_path(self, resource: str) -> str:
        """``{base}id/commitment/PE0055`` -> ``commitment/PE0055``."""
        return resource[len(f"{self.base}id/"):]

    def resource(self, path: str) -> str:
        return f"{self.base}id/{path}"

    def change(self, release_id: str, resource: str) -> str:
        return f"{self.release(release_id)}/changes/{self.resource_path(resource)}"

    def property_change(self, change: str, prop: str) -> str:
        return f"{change}#{self.fragment(prop)}"

    def fragment(self, prop: str) -> str:
        short = curie(prop, prefixes_for(self.base))
        if short is None:
            return "p-" + hashlib.sha256(prop.encode()).hexdigest()[:12]
        return short.replace(":", "-")

    def version(self, release_id: str, resource: str) -> str:
        return f"{self.release(release_id)}/versions/{self.resource_path(resource)}"

    @property
    def stream(self) -> str:
        return f"{self.base}changes/stream"

    def page(self, number: int) -> str:
        return f"{self.stream}/{number}"

    @property
    def graph(self) -> str:
        return f"{self.base}graph/history"
