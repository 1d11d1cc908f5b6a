"""The history as a Linked Data Event Stream (SEMIC LDES, paginated with TREE).

One member per change: a version object ``{base}releases/{R}/versions/{kind}/{key}`` with
``dcterms:isVersionOf`` the resource, ``prov:generatedAtTime`` the release time, and the
resource's whole state at that release (its facts, with the version as subject); a removal
is a version typed ``as:Delete`` with no state. Members are numbered in history order and
page ``n`` holds numbers ``(n-1)·size+1 … n·size``: a full page never changes (it links to
the next with a ``tree:GreaterThanOrEqualToRelation`` on the timestamp, whose value is its
own last timestamp, known when it fills), and only the last page grows. Page 1 is the view
(root node): it carries the stream's description and its retention policy (every member
since the first release is kept).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from ogpgraph.release.history.iris import HistoryIris
from ogpgraph.release.history.model import iso_time
from ogpgraph.release.history.queries import HistoryIndex, VersionRow

LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
AS_DELETE = "https://www.w3.org/ns/activitystreams#Delete"
STREAM_PREFIXES = {"ldes": LDES, "tree": TREE, "prov": str(PROV), "dcterms": str(DCTERMS),
                   "xsd": str(XSD), "as": "https://www.w3.org/ns/activitystreams#"}


@dataclass(frozen=True)
class StreamPage:
    number: int
    lines: list[str]  # N-Triples
    full: bool  # immutable from now on

    @property
    def text(self) -> str:
        return "".join(self.lines)


def triple(subject: str, predicate: str, obj: str) -> str:
    return f"<{subject}> <{predicate}> {obj} .\n"


def timestamp(moment: object) -> str:
    return f'"{iso_time(moment)}"^^<{XSD.dateTime}>'  # type: ignore[arg-type]


def page_count(total: int, size: int) -> int:
    """The pages that exist: every full one, and the growing last one (maybe empty)."""
    return total // size + 1


class EventStream:
    def __init__(self, base: str, index: HistoryIndex) -> None:
        self.iris = HistoryIris(base)
        self.index = index

    def description(self) -> list[str]:
        """The stream, its paths and its view (page 1) with the retention policy."""
        stream, view = self.iris.stream, self.iris.page(1)
        policy = f"{view}#retention"
        lines = [triple(stream, str(RDF.type), f"<{LDES}EventStream>"),
                 triple(stream, f"{LDES}timestampPath", f"<{PROV.generatedAtTime}>"),
                 triple(stream, f"{LDES}versionOfPath", f"<{DCTERMS.isVersionOf}>"),
                 triple(stream, f"{LDES}versionDeletePath", f"<{RDF.type}>"),
                 triple(stream, f"{LDES}versionDeleteObject", f"<{AS_DELETE}>"),
                 triple(stream, f"{TREE}view", f"<{view}>"),
                 triple(view, str(RDF.type), f"<{TREE}Node>"),
                 triple(view, f"{LDES}retentionPolicy", f"<{policy}>"),
                 triple(policy, str(RDF.type), f"<{LDES}RetentionPolicy>"),
                 triple(policy, str(RDF.type), f"<{LDES}PointInTimePolicy>")]
        if self.index.stream_start is not None:
            start = timestamp(self.index.stream_start)
            lines += [triple(policy, f"{LDES}startingFrom", start),
                      triple(policy, f"{LDES}pointInTime", start)]
        return lines

    def page(self, number: int) -> StreamPage | None:
        size = self.index.page_size
        total = self.index.total()
        if not 1 <= number <= page_count(total, size):
            return None
        members = self.index.versions((number - 1) * size + 1, number * size)
        url = self.iris.page(number)
        lines = self.description() if number == 1 else []
        lines.append(triple(url, str(RDF.type), f"<{TREE}Node>"))
        for version in members:
            lines += self.member(version)
        full = len(members) == size
        if full:
            relation = f"{url}#next"
            lines += [triple(url, f"{TREE}relation", f"<{relation}>"),
                      triple(relation, str(RDF.type), f"<{TREE}GreaterThanOrEqualToRelation>"),
                      triple(relation, f"{TREE}node", f"<{self.iris.page(number + 1)}>"),
                      triple(relation, f"{TREE}path", f"<{PROV.generatedAtTime}>"),
                      triple(relation, f"{TREE}value", timestamp(members[-1].timestamp))]
        return StreamPage(number, lines, full)

    def member(self, version: VersionRow) -> list[str]:
        iri = self.iris.version(version.release, version.resource)
        return [triple(self.iris.stream, f"{TREE}member", f"<{iri}>"),
                *self.version_lines(version)]

    def version_lines(self, version: VersionRow) -> list[str]:
        iri = self.iris.version(version.release, version.resource)
        lines = [triple(iri, str(DCTERMS.isVersionOf), f"<{version.resource}>"),
                 triple(iri, str(PROV.generatedAtTime), timestamp(version.timestamp))]
        if version.deleted:
            lines.append(triple(iri, str(RDF.type), f"<{AS_DELETE}>"))
        lines += [f"<{iri}> {pair} .\n" for pair in version.state]
        return lines
