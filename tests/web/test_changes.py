"""The change history end to end: two releases of the shared data (``../shared/ogp`` +
``data/``) that differ by edited pages show exactly those changes — in ``/changes``, the
Atom feed and the RDF — and the event stream, replicated over HTTP by the reference LDES
client, rebuilds the current state of every resource."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from ogpgraph.config import PROJECT_ROOT, Settings
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.pipeline import map_all, read_all, run_build
from ogpgraph.web.app import create_app
from tests.conftest import require_shared
from tests.live_server import free_port, running

PORT = free_port()
B = f"http://127.0.0.1:{PORT}/"  # the live server's base: the stream's IRIs are its URLs
OGP, SCHEMA = f"{B}ontology#", "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Edit:
    """One edit of a source file and what it must change (resource, kind, property,
    values that went, values that came)."""

    name: str
    file: str
    old: str
    new: str
    resource: str
    kind: str = "modified"
    prop: str | None = None
    gone: tuple[str, ...] = ()
    came: tuple[str, ...] = ()


EDITS = (
    Edit("status", "pages/US0020.txt", "Status: Inactive", "Status: Active",
         "commitment/US0020", prop=f"{OGP}status",
         gone=(f"<{B}id/status/inactive>",), came=(f"<{B}id/status/active>",)),
    Edit("policy area", "pages/US0020.txt", "Extractive Industries, Public Participation",
         "Extractive Industries, Open Data", "commitment/US0020", prop=f"{OGP}policyArea",
         gone=(f"<{B}id/policy-area/public-participation>",),
         came=(f"<{B}id/policy-area/open-data>",)),
    Edit("date", "pages/KEMKC0001_local.txt", "Commitment End: Jun 2022",
         "Commitment End: Dec 2022", "commitment/KEMKC0001", prop=f"{SCHEMA}endDate",
         gone=(f'"2022-06"^^<{XSD}gYearMonth>',), came=(f'"2022-12"^^<{XSD}gYearMonth>',)),
    Edit("IRM value", "pages/HN0065_es.txt", "Verificable: sí", "Verificable: no",
         "assessment/HN0065-design", prop=f"{OGP}verifiable",
         gone=(f'"true"^^<{XSD}boolean>',), came=(f'"false"^^<{XSD}boolean>',)),
)
ADDED_PAGE = "pages/BUE0006_local.txt"  # left out of the first release
REMOVED_PAGE = "pages/KEMKC0099_local.txt"  # made from KEMKC0001: only in the first


@dataclass(frozen=True)
class TwoReleases:
    out: Path
    first: Path
    second: Path
    first_id: str
    second_id: str
    added_page_facts: dict[str, set[tuple[str, str]]]  # subject -> (p, o) as N-Triples


def copy_sources(target: Path) -> Path:
    shutil.copytree(require_shared(), target)
    page = (target / "pages" / "KEMKC0001_local.txt").read_text(encoding="utf-8")
    (target / REMOVED_PAGE).write_text(page.replace("KEMKC0001", "KEMKC0099").replace(
        "kemkc0001", "kemkc0099"), encoding="utf-8")
    return target


def facts_of_page(path: Path) -> dict[str, set[tuple[str, str]]]:
    """What the added page states, read and mapped on its own (rdflib): the oracle for
    what adding it changes."""
    records, errors, _ = read_all([path], _NoProgress())
    assert not errors
    [(_, graph)] = map_all(records, B, datetime(2026, 1, 1, tzinfo=UTC))
    facts: dict[str, set[tuple[str, str]]] = {}
    for s, p, o in graph:
        if str(s).startswith(f"{B}id/") and not str(s).startswith(f"{B}id/source/"):
            facts.setdefault(str(s), set()).add((p.n3(), o.n3()))
    return facts


class _NoProgress:
    def step(self, description: str, total: int) -> None:
        pass

    def advance(self) -> None:
        pass


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> TwoReleases:
    root = tmp_path_factory.mktemp("history")
    first_sources = copy_sources(root / "first")
    (first_sources / ADDED_PAGE).unlink()
    out = root / "out"
    monkey = pytest.MonkeyPatch()
    monkey.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    first = run_build([PROJECT_ROOT / "data", first_sources], out, B)
    second_sources = copy_sources(root / "second")
    (second_sources / REMOVED_PAGE).unlink()
    for edit in EDITS:
        path = second_sources / edit.file
        text = path.read_text(encoding="utf-8")
        assert edit.old in text, edit.name
        path.write_text(text.replace(edit.old, edit.new), encoding="utf-8")
    monkey.setenv("SOURCE_DATE_EPOCH", "1767312000")  # a day later
    second = run_build([PROJECT_ROOT / "data", second_sources], out, B)
    monkey.undo()
    return TwoReleases(out, first.release, second.release, first.manifest["release_id"],
                       second.manifest["release_id"],
                       facts_of_page(second_sources / ADDED_PAGE))


def expected_changes(r: TwoReleases) -> dict[str, str]:
    """resource IRI -> kind, for everything the second release must show and no more."""
    before = ox.Store.read_only(str(r.first / "store"))
    expected = {f"{B}id/{e.resource}": e.kind for e in EDITS}
    expected[f"{B}id/commitment/KEMKC0099"] = "removed"
    for subject, facts in r.added_page_facts.items():
        known = {(str(q.predicate), str(q.object))
                 for q in before.quads_for_pattern(ox.NamedNode(subject), None, None)}
        if not known:
            expected.setdefault(subject, "added")
        elif not facts <= known:  # the page says something new about it
            expected.setdefault(subject, "modified")
    return expected


def client(out: Path) -> TestClient:
    return TestClient(create_app(Settings(base_uri=B, build_dir=out, query_workers=0)))


def test_the_rdf_holds_exactly_the_edits(releases: TwoReleases) -> None:
    store = ox.Store.read_only(str(releases.second / "store"))
    rows = store.query(f"""PREFIX ogp: <{OGP}> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?r ?kind WHERE {{ ?c a ?kind ; ogp:changedResource ?r ;
          prov:wasGeneratedBy <{B}releases/{releases.second_id}> .
          FILTER(?kind != ogp:Change) }}""")
    found = {row["r"].value: row["kind"].value.rsplit("#", 1)[1] for row in rows}
    kinds = {"added": "Addition", "removed": "Removal", "modified": "Modification"}
    assert found == {r: kinds[k] for r, k in expected_changes(releases).items()}
    assert f"{B}id/commitment/BUE0006" in found  # the added page's commitment
    for edit in EDITS:
        values = list(store.query(f"""PREFIX ogp: <{OGP}>
            SELECT ?old ?new WHERE {{ ?c ogp:changedResource <{B}id/{edit.resource}> ;
              ogp:propertyChange ?pc . ?pc ogp:changedProperty <{edit.prop}> .
              OPTIONAL {{ ?pc ogp:oldValue ?old }} OPTIONAL {{ ?pc ogp:newValue ?new }}
              FILTER(STRSTARTS(STR(?c), "{B}releases/{releases.second_id}/")) }}"""))
        olds = {str(r["old"]) for r in values if r["old"] is not None}
        news = {str(r["new"]) for r in values if r["new"] is not None}
        assert set(edit.gone) <= olds and not set(edit.gone) & news, edit.name
        assert set(edit.came) <= news and not set(edit.came) & olds, edit.name


def test_each_modification_names_exactly_the_edited_properties(releases: TwoReleases) -> None:
    history = BuildLayout(releases.second).root / "history" / "history.sqlite"
    with sqlite3.connect(history) as conn:
        rows = conn.execute(
            "SELECT c.resource, p.property, p.new_sources FROM changes c JOIN property_changes p"
            " ON p.change = c.seq WHERE c.release = ? AND c.resource IN (?, ?, ?)",
            (releases.second_id, *{f"{B}id/{e.resource}" for e in EDITS})).fetchall()
    by_resource: dict[str, set[str]] = {}
    for resource, prop, sources in rows:
        by_resource.setdefault(resource, set()).add(prop)
        assert len(json.loads(sources)) == 1  # the edited page's graph, and it alone
    assert by_resource == {f"{B}id/{e.resource}": {x.prop for x in EDITS
                                                   if x.resource == e.resource} for e in EDITS}


def listed_changes(html: str) -> dict[str, str]:
    return {f"{B}id/{path}": kind for kind, path in
            re.findall(r'<li class="change change-(\w+)" id="([^"]+)">', html)}


def test_the_changes_page_lists_exactly_the_edits(releases: TwoReleases) -> None:
    web = client(releases.out)
    page = web.get("/changes", params={"release": releases.second_id})
    assert page.status_code == 200
    assert listed_changes(page.text) == expected_changes(releases)
    status = web.get("/changes", params={"release": releases.second_id,
                                         "member": "united-states"})
    assert listed_changes(status.text) == {f"{B}id/commitment/US0020": "modified"}
    assert "Inactive" in status.text and "Open Data" in status.text
    removed = web.get("/changes", params={"kind": "removed"})
    assert listed_changes(removed.text) == {f"{B}id/commitment/KEMKC0099": "removed"}
    assert web.get("/changes", params={"kind": "renamed"}).status_code == 400


def test_the_atom_feed_is_valid_and_lists_exactly_the_edits(releases: TwoReleases) -> None:
    import feedparser

    web = client(releases.out)
    response = web.get("/changes.atom", params={"release": releases.second_id})
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    expected = expected_changes(releases)
    prefix = f"{B}releases/{releases.second_id}/changes/"
    assert {e.id[len(prefix):] for e in feed.entries} == {
        iri[len(f"{B}id/"):] for iri in expected}
    united_states = feedparser.parse(
        web.get("/changes.atom", params={"member": "united-states"}).content)
    assert not united_states.bozo
    latest = [e for e in united_states.entries if e.id.startswith(prefix)]
    assert [e.id for e in latest] == [f"{prefix}commitment/US0020"]
    assert "Inactive → Active" in latest[0].summary
    assert all(e.updated_parsed for e in feed.entries) and feed.feed.title


def test_the_resource_page_shows_its_history(releases: TwoReleases) -> None:
    page = client(releases.out).get("/doc/commitment/US0020.html")
    section = page.text[page.text.index('id="history-h"'):]
    assert f"changes?release={releases.second_id}" in section
    assert f"changes?release={releases.first_id}" in section
    assert "Policy areas" in section or "policy area" in section.lower()


def test_full_stream_pages_are_immutable_and_the_last_is_not(releases: TwoReleases) -> None:
    web = client(releases.out)
    first, last = web.get("/changes/stream/1"), None
    assert first.headers["cache-control"].endswith("immutable")
    number = 1
    while True:
        response = web.get(f"/changes/stream/{number + 1}")
        if response.status_code == 404:
            break
        number, last = number + 1, response
    assert last is not None and "immutable" not in last.headers["cache-control"]
    again = web.get("/changes/stream/1", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304


def test_replicating_the_stream_rebuilds_every_resource(releases: TwoReleases) -> None:
    """The reference LDES client (npm ldes-client), from the stream over HTTP: the last
    version of every resource is its state in the current release; removed ones end in a
    deletion."""
    script = PROJECT_ROOT / "tests" / "web" / "ldes_replicate.mjs"
    if shutil.which("node") is None or not (PROJECT_ROOT / "node_modules" / "ldes-client"
                                            ).is_dir():
        pytest.skip("node or node_modules/ldes-client missing: `make install` installs it "
                    "where npm exists")
    env = {"OGPGRAPH_BASE_URI": B, "OGPGRAPH_BUILD_DIR": str(releases.out),
           "OGPGRAPH_QUERY_WORKERS": "0", "PATH": "/usr/bin:/bin"}
    command = [str(Path(sys.executable).parent / "ogpgraph"), "serve", "--port", str(PORT)]
    with running(command, f"{B}changes/stream", env):
        done = subprocess.run(["node", str(script), f"{B}changes/stream"], cwd=PROJECT_ROOT,
                              capture_output=True, text=True, timeout=300, check=True)
    latest: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        member = json.loads(line)
        latest[member["id"]] = member["quads"].splitlines()  # ascending: later wins
    replicated = {iri: sorted(state_of(lines)) for iri, lines in latest.items()
                  if "<https://www.w3.org/ns/activitystreams#Delete>" not in "".join(lines)}
    assert replicated == current_state(releases.second)
    assert f"{B}id/commitment/KEMKC0099" in latest
    assert f"{B}id/commitment/KEMKC0099" not in replicated


def state_of(lines: list[str]) -> list[str]:
    """A materialised member's facts, less the version's timestamp, as "p o" strings."""
    facts = ox.parse("\n".join(lines).encode(), ox.RdfFormat.N_TRIPLES)
    return [f"{t.predicate} {t.object}" for t in facts
            if t.predicate.value != "http://www.w3.org/ns/prov#generatedAtTime"]


def current_state(release: Path) -> dict[str, list[str]]:
    """Every resource of the release (sources aside) and its facts, from its union dump."""
    import gzip

    state: dict[str, set[str]] = {}
    with gzip.open(BuildLayout(release).ntriples_dump, "rb") as stream:
        for t in ox.parse(stream, ox.RdfFormat.N_TRIPLES):
            s = t.subject
            if isinstance(s, ox.NamedNode) and s.value.startswith(f"{B}id/") and \
                    not s.value.startswith(f"{B}id/source/"):
                state.setdefault(s.value, set()).add(f"{t.predicate} {t.object}")
    return {iri: sorted(facts) for iri, facts in state.items()}
