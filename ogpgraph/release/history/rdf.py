"""The history as RDF (graph ``{base}graph/history``): PROV and ``dcterms`` for who
changed what from which source.

    <{base}releases/R> a ogp:Release, prov:Activity ; dcterms:identifier "R" ;
        prov:endedAtTime "…"^^xsd:dateTime ; prov:wasInformedBy <previous release> ;
        prov:used <source> .
    <…/changes/commitment/PE0055> a ogp:Change, ogp:Modification ;
        ogp:changedResource <{base}id/commitment/PE0055> ; prov:wasGeneratedBy <release> ;
        prov:wasDerivedFrom <source of new values> ; ogp:formerSource <source of old values> ;
        ogp:propertyChange <…#ogp-status> .
    <…#ogp-status> a ogp:PropertyChange ; ogp:changedProperty ogp:status ;
        ogp:oldValue status:inactive ; ogp:newValue status:complete ;
        prov:wasDerivedFrom <source> ; ogp:formerSource <source> .
    <source> a prov:Entity ; dcterms:title "US0020.txt" ; dcterms:identifier "sha256:…" .

No blank nodes: the same history is the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ogpgraph.release.history.iris import HistoryIris
from ogpgraph.release.history.model import Change, ReleaseRecord

KIND_CLASS = {"added": "Addition", "removed": "Removal", "modified": "Modification"}


def literal(text: str, datatype: str | None = None) -> str:
    quoted = json.dumps(text, ensure_ascii=False)  # JSON string escapes are N-Triples ones
    return f"{quoted}^^<{datatype}>" if datatype else quoted


class HistoryQuads:
    """N-Quads lines of the history graph, for one release's part."""

    def __init__(self, base: str) -> None:
        self.iris = HistoryIris(base)
        self.ogp = f"{base}ontology#"
        self.graph = f"<{self.iris.graph}>"

    def line(self, subject: str, predicate: str, obj: str) -> str:
        return f"<{subject}> <{predicate}> {obj} {self.graph} .\n"

    def release(self, release: ReleaseRecord) -> Iterator[str]:
        iri = self.iris.release(release.id)
        yield self.line(iri, str(RDF.type), f"<{self.ogp}Release>")
        yield self.line(iri, str(RDF.type), f"<{PROV.Activity}>")
        yield self.line(iri, str(DCTERMS.identifier), literal(release.id))
        yield self.line(iri, str(PROV.endedAtTime), literal(release.iso_time, str(XSD.dateTime)))
        if release.previous:
            previous = self.iris.release(release.previous)
            yield self.line(iri, str(PROV.wasInformedBy), f"<{previous}>")
        for source in release.sources:
            yield self.line(iri, str(PROV.used), f"<{source}>")

    def source(self, iri: str, title: str | None, identifier: str | None) -> Iterator[str]:
        yield self.line(iri, str(RDF.type), f"<{PROV.Entity}>")
        if title:
            yield self.line(iri, str(DCTERMS.title), literal(title))
        if identifier:
            yield self.line(iri, str(DCTERMS.identifier), literal(identifier))

    def change(self, release: ReleaseRecord, change: Change) -> Iterator[str]:
        iri = self.iris.change(release.id, change.resource)
        yield self.line(iri, str(RDF.type), f"<{self.ogp}Change>")
        yield self.line(iri, str(RDF.type), f"<{self.ogp}{KIND_CLASS[change.kind]}>")
        yield self.line(iri, f"{self.ogp}changedResource", f"<{change.resource}>")
        yield self.line(iri, str(PROV.wasGeneratedBy), f"<{self.iris.release(release.id)}>")
        yield from self._sources(iri, change.new_sources, change.old_sources)
        for prop in change.properties:
            node = self.iris.property_change(iri, prop.property)
            yield self.line(iri, f"{self.ogp}propertyChange", f"<{node}>")
            yield self.line(node, str(RDF.type), f"<{self.ogp}PropertyChange>")
            yield self.line(node, f"{self.ogp}changedProperty", f"<{prop.property}>")
            for value in prop.old:
                yield self.line(node, f"{self.ogp}oldValue", value)
            for value in prop.new:
                yield self.line(node, f"{self.ogp}newValue", value)
            yield from self._sources(node, prop.new_sources, prop.old_sources)

    def _sources(self, iri: str, new: tuple[str, ...], old: tuple[str, ...]) -> Iterator[str]:
        for source in new:
            yield self.line(iri, str(PROV.wasDerivedFrom), f"<{source}>")
        for source in old:
            yield self.line(iri, f"{self.ogp}formerSource", f"<{source}>")
