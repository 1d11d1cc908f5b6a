"""The registries are complete, and adding to each is one module plus one registry line:
a source format, a page kind and a result format are added here the way a developer
would (the README's "how to add" sections), and the whole path works end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from ogpgraph.cli import app as cli_app
from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT, Settings
from ogpgraph.graph import formats
from ogpgraph.graph.formats import FORMATS, serialize_graph
from ogpgraph.graph.uris import SCHEMES, Uris
from ogpgraph.records.model import ActionPlanRef, Commitment, MemberRef, Source, SourceRecords, Text
from ogpgraph.release.pipeline import run_build
from ogpgraph.sources import registry
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.app import create_app
from ogpgraph.web.pages import registry as pages
from ogpgraph.web.pages.kind import PageContext, PageKind, PageView
from ogpgraph.web.published import PublishedBuild

B = DEFAULT_BASE_URI
TEMPLATES = PROJECT_ROOT / "ogpgraph" / "web" / "templates"


# -- complete -----------------------------------------------------------------------------

def test_every_kind_of_iri_we_mint_has_a_page_kind() -> None:
    uris = Uris(B)
    minted = [uris.commitment("PE0055"), uris.milestone("PE0055", 1),
              uris.assessment("PE0055", "mid-term"), uris.member("peru"),
              uris.action_plan("peru", 2015), uris.report("peru", 2015, "mid-term"),
              uris.institution("peru", "Proética"), uris.source("page", "0" * 64),
              *(uris.scheme(s) for s in SCHEMES), *(uris.concept(s, "x") for s in SCHEMES)]
    for iri in minted:
        target = pages.parse_target(str(iri)[len(f"{B}id/"):])
        assert target is not None, iri
        assert (TEMPLATES / pages.page_kind(target).template).is_file(), iri


def test_every_cli_module_is_a_registered_command() -> None:
    helpers = {"__init__", "app", "console"}
    modules = {p.stem for p in (PROJECT_ROOT / "ogpgraph" / "cli").glob("*.py")} - helpers
    commands = {fn.__module__.rsplit(".", 1)[1] for fn in cli_app.COMMANDS.values()}
    assert modules == commands


def test_every_router_is_in_the_app() -> None:
    app = create_app(Settings(), PublishedBuild(OxigraphStore(), B))

    def endpoints(routes: list) -> set[str]:
        found: set[str] = set()
        for route in routes:
            if hasattr(route, "original_router"):  # an included router (FastAPI >= 0.165)
                found |= endpoints(route.original_router.routes)
            elif hasattr(route, "endpoint"):
                found.add(route.endpoint.__module__)
        return found

    routed = endpoints(app.routes)
    routers = {f"ogpgraph.web.routers.{p.stem}" for p in
               (PROJECT_ROOT / "ogpgraph" / "web" / "routers").glob("*.py") if p.stem != "__init__"}
    assert routers | {"ogpgraph.web.sparql.endpoint"} <= routed


def test_formats_have_distinct_names_and_working_serialisers() -> None:
    keys = [(f.kind in ("solutions",), f.key) for f in FORMATS]
    assert len(keys) == len(set(keys))
    graph = Graph()
    graph.add((URIRef(f"{B}id/x"), URIRef(f"{B}ontology#p"), Literal("é", lang="fr")))
    for fmt in formats.RDF_FORMATS:
        if fmt.kind == "graph":  # rdflib writes documents (graphs); Oxigraph writes datasets
            assert serialize_graph(graph, fmt, {"ogp": f"{B}ontology#"}), fmt.key
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode(f"{B}id/x"), ox.NamedNode(f"{B}p"), ox.Literal("1")))
        assert ox.serialize(store, format=fmt.oxigraph), fmt.key  # type: ignore[arg-type]
    for fmt in formats.SOLUTION_FORMATS:
        result = ox.Store().query("SELECT ?x { VALUES ?x { 1 } }")
        assert result.serialize(format=fmt.oxigraph), fmt.key  # type: ignore[union-attr]


# -- add one: a source format ------------------------------------------------------------

def claims_ogp_json(path: Path, head: str) -> bool:
    return path.suffix == ".ogpjson"


def read_ogp_json(path: Path, source: Source) -> SourceRecords:
    """A toy format: one commitment as a JSON object."""
    data = json.loads(path.read_text(encoding="utf-8"))
    member = MemberRef(name=data["member"], slug=data["member"].lower())
    commitment = Commitment(identifier=data["id"], source=source, member=member,
                            action_plan=ActionPlanRef(member.slug, data["cycle"]),
                            titles=[Text(data["title"], "en")])
    return SourceRecords(source=source, commitments=[commitment])


def test_a_new_source_format_is_one_reader_and_one_registry_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = registry.Reader("page", "toy JSON commitment", claims_ogp_json, read_ogp_json)
    monkeypatch.setattr(registry, "READERS", (*registry.READERS, reader))
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "one.ogpjson").write_text(json.dumps(
        {"id": "ZZ0001", "member": "Atlantis", "cycle": 2024,
         "title": "Open the harbour's books"}))
    result = run_build([sources], tmp_path / "out", B)
    store = ox.Store.read_only(str(result.release / "store"))
    assert store.query(f'ASK {{ <{B}id/commitment/ZZ0001> <http://purl.org/dc/terms/title> '
                       '"Open the harbour\'s books"@en }')


# -- add one: a page kind ------------------------------------------------------------------

def harbour_view(ctx: PageContext) -> PageView:
    return PageView({"harbour_note": f"a harbour of {ctx.target.key}"})


def test_a_new_page_kind_is_one_module_and_one_registry_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    kind = PageKind("harbour", 1, "resource.html", harbour_view)
    monkeypatch.setitem(pages.PAGE_KINDS, "harbour", kind)
    store = ox.Store()
    harbour = ox.NamedNode(f"{B}id/harbour/piraeus")
    store.add(ox.Quad(harbour, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("Piraeus", language="en")))
    client = TestClient(create_app(Settings(query_workers=0),
                                   PublishedBuild(OxigraphStore(store), B)))
    see_other = client.get("/id/harbour/piraeus", headers={"accept": "text/html"},
                           follow_redirects=False)
    assert see_other.headers["location"] == f"{B}doc/harbour/piraeus.html"
    page = client.get("/doc/harbour/piraeus.html")
    assert page.status_code == 200 and "Piraeus" in page.text
    turtle = client.get("/doc/harbour/piraeus.ttl")
    assert "Piraeus" in turtle.text
    assert client.get("/id/harbour/atlantis").status_code == 404


# -- add one: a result format ----------------------------------------------------------------

NEW_FORMAT_SCRIPT = """
import json, sys
import pyoxigraph as ox
from ogpgraph.graph import formats
new = formats.Format("ntt", "ntt", ("application/x-test-triples",), "Test triples", "graph",
                     (), ox.RdfFormat.N_TRIPLES, "nt")
formats.FORMATS = (*formats.FORMATS, new)  # the one registry line
formats.derive_views()
sys.path.insert(0, sys.argv[1])
from sparql_fixture import fixture_app  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
accept = {"accept": "application/x-test-triples"}
with TestClient(fixture_app(query_workers=0)) as client:
    answer = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"},
                        headers=accept)
    document = client.get("/doc/commitment/PE0055", headers=accept)
    by_name = client.get("/sparql", params={"query": "DESCRIBE <x:y>", "format": "ntt"})
print(json.dumps({"sparql": [answer.status_code, answer.headers["content-type"]],
                  "document": [document.status_code, document.headers["content-type"]],
                  "format_param": by_name.status_code}))
"""


def test_a_new_result_format_is_one_line_in_the_formats_table() -> None:
    """Run in a fresh interpreter: the line is added before the app is imported, as it
    would be in the source."""
    fixtures = PROJECT_ROOT / "tests" / "web" / "sparql"
    done = subprocess.run([sys.executable, "-c", NEW_FORMAT_SCRIPT, str(fixtures)],
                          capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["sparql"][0] == 200
    assert seen["sparql"][1].startswith("application/x-test-triples")
    assert seen["document"][0] == 200
    assert seen["document"][1].startswith("application/x-test-triples")
    assert seen["format_param"] == 200
