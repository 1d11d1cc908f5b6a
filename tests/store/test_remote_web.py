"""The whole HTTP app served from each engine answers what it answers from the embedded
store: pages, RDF documents, listing pages, VoID and ``/sparql``'s protocol cases (the
same request through both apps, compared), and ``/sparql``'s promises (read-only, the
deadline, the result cap) hold from an engine too."""

from __future__ import annotations

import difflib
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from engines import Engine, build_id, serving
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import to_isomorphic

from ogpgraph.config import DEFAULT_BASE_URI, Settings
from ogpgraph.store.remote_store import RemoteStore
from ogpgraph.web.app import create_app

BASE = DEFAULT_BASE_URI
HTML = "text/html"
TTL = "text/turtle"
JSON = "application/sparql-results+json"
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld",
             "application/n-triples": "nt", "application/rdf+xml": "xml"}


@dataclass(frozen=True)
class Request:
    name: str
    path: str
    accept: str = "*/*"
    method: str = "GET"
    form: dict[str, str] | None = None
    body: str | None = None
    content_type: str | None = None
    params: dict[str, str] = field(default_factory=dict)


P = ("PREFIX ogp: <http://127.0.0.1:8000/ontology#> "
     "PREFIX dcterms: <http://purl.org/dc/terms/> ")
ONTOLOGY = f"{BASE}graph/ontology"
REQUESTS = [
    # pages (HTML), one per kind of page
    Request("page-commitment", "/doc/commitment/PE0055", HTML),
    Request("page-member", "/doc/member/peru", HTML),
    Request("page-action-plan", "/doc/action-plan/peru-2015", HTML),
    Request("page-irm-report", "/doc/irm-report/peru-2015-end-of-term", HTML),
    Request("page-policy-area", "/doc/policy-area/open-data", HTML),
    Request("page-scheme", "/doc/policy-area", HTML),
    Request("page-home", "/", HTML),
    Request("page-missing", "/doc/commitment/ZZ9999", HTML),
    # documents
    Request("doc-ttl", "/doc/commitment/PE0055.ttl", TTL),
    Request("doc-jsonld", "/doc/commitment/PE0055.jsonld"),
    Request("doc-nt", "/doc/member/peru.nt"),
    Request("doc-rdf", "/doc/policy-area/open-data.rdf"),
    Request("dereference", "/id/commitment/PE0055", TTL),
    # listing and browse pages (the listing index of the release folder, labels from the store)
    Request("list-commitments", "/commitments", HTML),
    Request("list-commitments-2", "/commitments", HTML, params={"page": "2"}),
    Request("list-members", "/members", HTML),
    Request("list-action-plans", "/action-plans", HTML),
    Request("list-institutions", "/institutions", HTML),
    Request("list-policy-areas", "/policy-areas", HTML),
    Request("search", "/search", HTML, params={"q": "transparency"}),
    Request("ontology", "/ontology", HTML),
    Request("downloads", "/downloads", HTML),
    # VoID + DCAT, and the service description
    Request("void", "/.well-known/void", TTL),
    Request("service-description", "/sparql", TTL),
    # the protocol
    Request("get-select", "/sparql", JSON, params={
        "query": P + "SELECT ?id WHERE { ?c dcterms:identifier ?id } ORDER BY ?id LIMIT 20"}),
    Request("post-form", "/sparql", JSON, "POST", form={
        "query": "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"}),
    Request("post-direct", "/sparql", JSON, "POST", content_type="application/sparql-query",
            body="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
    Request("ask", "/sparql", JSON, params={"query": "ASK { ?s a ?c }"}),
    Request("construct-ttl", "/sparql", TTL, params={
        "query": f"CONSTRUCT WHERE {{ <{BASE}id/commitment/PE0055> ?p ?o }}"}),
    Request("format-csv", "/sparql", params={"format": "csv", "query": P +
            "SELECT ?id WHERE { ?c a ogp:Commitment ; dcterms:identifier ?id } ORDER BY ?id"}),
    Request("default-graph-uri", "/sparql", JSON, params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": ONTOLOGY}),
    Request("named-graph-uri", "/sparql", JSON, params={
        "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "named-graph-uri": ONTOLOGY}),
    Request("graph-var", "/sparql", JSON, params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g "
                 f"{{ <{BASE}id/commitment/PE0055> ?p ?o }} }} ORDER BY ?g"}),
    Request("query-page", "/sparql", HTML, params={
        "query": "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"}),
    Request("update-refused", "/sparql", JSON, "POST", form={
        "update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    Request("update-as-query", "/sparql", JSON, "POST", form={
        "query": "DELETE WHERE { ?s ?p ?o }"}),
    Request("service-refused", "/sparql", JSON, params={
        "query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}),
    Request("load-refused", "/sparql", JSON, "POST", form={
        "query": "LOAD <http://example.org/data.ttl>"}),
    Request("syntax-error", "/sparql", JSON, params={"query": "SELECT ?s WHERE { ?s"}),
    Request("from-known", "/sparql", JSON, params={
        "query": f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}"}),
    Request("from-remote-refused", "/sparql", JSON, params={
        "query": "SELECT * FROM <http://remote.example.org/g> WHERE { ?s ?p ?o }"}),
    Request("named-graph-uri-file-refused", "/sparql", HTML, params={
        "query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": "file:///etc/passwd"}),
    Request("put-refused", "/sparql", JSON, "PUT"),
]


def send(client: TestClient, request: Request):
    headers = {"Accept": request.accept}
    if request.content_type:
        headers["Content-Type"] = request.content_type
    return client.request(request.method, request.path, params=request.params,
                          data=request.form, content=request.body, headers=headers,
                          follow_redirects=False)


JSON_LD_SCRIPT = re.compile(r'(<script type="application/ld\+json">)(.*?)(</script>)', re.DOTALL)
SYNTAX_ERROR = re.compile(r"(SPARQL syntax error): .*", re.DOTALL)


def canonical_json_ld(match: re.Match[str]) -> str:
    """A page's embedded JSON-LD as its sorted triples (its layout is the writer's)."""
    text = html.unescape(match.group(2))
    data = json.loads(text)
    if isinstance(data, dict) and isinstance(data.get("@context"), str):  # schema.org's
        return match.group(0)
    graph = Graph().parse(data=text, format="json-ld")
    return match.group(1) + "\n".join(sorted(graph.serialize(format="nt").splitlines())) + \
        match.group(3)


def comparable(response) -> object:
    """The answer with what may differ between stores left out: RDF as a canonical graph,
    solutions as a multiset of rows, a page's JSON-LD as sorted triples, and the parser's
    wording of a syntax error (the embedded store's sandboxed workers give Oxigraph's, the
    web process of a remote store rdflib's: the same position and status)."""
    media = response.headers.get("content-type", "").split(";")[0]
    if media in RDF_TYPES and response.status_code == 200:
        return to_isomorphic(Graph().parse(data=response.content, format=RDF_TYPES[media]))
    if media == HTML:
        return JSON_LD_SCRIPT.sub(canonical_json_ld, response.text)
    if response.status_code == 400:
        return SYNTAX_ERROR.sub(r"\1", response.text)
    if media == JSON and response.status_code == 200:
        answer = json.loads(response.content)
        rows = answer.get("results", {}).get("bindings")
        if rows is not None:
            answer["results"]["bindings"] = sorted(json.dumps(r, sort_keys=True) for r in rows)
        return answer
    return response.text


@dataclass
class Apps:
    embedded: TestClient
    remote: TestClient
    build: Path


def app_client(build: Path, **settings: object) -> TestClient:
    return TestClient(create_app(Settings(base_uri=BASE, build_dir=build, **settings)))


@pytest.fixture(scope="module")
def apps(engine: Engine, compared_build: Path) -> Iterator[Apps]:
    serving(engine, compared_build).close()
    with app_client(compared_build) as embedded, \
            app_client(compared_build, store_url=engine.url) as remote:
        yield Apps(embedded, remote, compared_build)


@pytest.mark.parametrize("request_", REQUESTS, ids=[r.name for r in REQUESTS])
def test_the_app_answers_alike_from_each_store(request_: Request, apps: Apps) -> None:
    ours, theirs = send(apps.remote, request_), send(apps.embedded, request_)
    assert ours.status_code == theirs.status_code, ours.text[:500]
    for header in ("content-type", "location", "etag", "vary", "link"):
        assert ours.headers.get(header) == theirs.headers.get(header), header
    got, expected = comparable(ours), comparable(theirs)
    assert got == expected, "\n".join(difference(got, expected))


def difference(got: object, expected: object) -> list[str]:
    if isinstance(got, str) and isinstance(expected, str):
        return list(difflib.unified_diff(expected.splitlines(), got.splitlines(), "embedded",
                                         "remote", n=1, lineterm=""))[:60]
    return [f"remote: {got!r:.2000}", f"embedded: {expected!r:.2000}"]


def test_the_remote_app_serves_the_engine_release(apps: Apps, engine: Engine) -> None:
    published = apps.remote.app.state.published
    assert isinstance(published.store, RemoteStore)  # not silently the embedded store
    assert published.build_id == apps.embedded.app.state.published.build_id
    assert published.manifest["build_id"] == build_id(apps.build)


def test_the_result_cap_and_its_notice_hold(engine: Engine, compared_build: Path) -> None:
    serving(engine, compared_build).close()
    query = {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"}
    answers = []
    for store_url in (None, engine.url):
        with app_client(compared_build, store_url=store_url, max_results=7) as client:
            answers.append(client.get("/sparql", params=query, headers={"Accept": JSON}))
    ours, theirs = answers[1], answers[0]
    assert ours.status_code == 200
    assert ours.headers["OGPGRAPH-Results-Truncated"] == "true"
    assert ours.headers["OGPGRAPH-Results-Limit"] == "7"
    assert len(json.loads(ours.content)["results"]["bindings"]) == 7
    assert comparable(ours) == comparable(theirs)


def test_the_deadline_answers_503(engine: Engine, compared_build: Path) -> None:
    """A query with no end, from the engine: 503 at the deadline, then the next answers."""
    serving(engine, compared_build).close()
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with app_client(compared_build, store_url=engine.url, query_timeout=1.0) as client:
        stopped = client.get("/sparql", params={"query": endless}, headers={"Accept": JSON})
        after = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": JSON})
    assert stopped.status_code == 503, stopped.text
    assert "OGPGRAPH_QUERY_TIMEOUT" in stopped.text
    assert after.status_code == 200 and json.loads(after.content)["boolean"] is True


def test_no_release_folder_for_the_engine_release_fails_at_start(
        engine: Engine, compared_build: Path, tmp_path: Path) -> None:
    """The web tier needs the release folder (listings, dumps): an empty build folder is a
    clear error naming the engine's release, not a half-working site."""
    serving(engine, compared_build).close()
    with pytest.raises(FileNotFoundError, match="no release folder .* has that build id"):
        create_app(Settings(base_uri=BASE, build_dir=tmp_path, store_url=engine.url))


def test_the_engine_bookkeeping_graphs_are_refused(apps: Apps) -> None:
    """The one documented difference: a query naming ``urn:ogpgraph:`` graphs (the union
    and release graphs the loader keeps in the engine) is refused from an engine, where the
    embedded store, which has no such graphs, answers nothing."""
    query = {"query": "SELECT * WHERE { GRAPH <urn:ogpgraph:union> { ?s ?p ?o } } LIMIT 1"}
    ours = apps.remote.get("/sparql", params=query, headers={"Accept": JSON})
    theirs = apps.embedded.get("/sparql", params=query, headers={"Accept": JSON})
    assert ours.status_code == 400 and "urn:ogpgraph:" in ours.text
    assert "syntax error" not in ours.text  # it is well-formed: refused, not misread
    assert theirs.status_code == 200 and json.loads(theirs.content)["results"]["bindings"] == []


VOCABULARIES = f"{BASE}graph/vocabularies"
REMOTE_GRAPH = "http://remote.example.org/data.ttl"
LOCAL_FILE = "file:///etc/passwd"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# request -> status: the release's graphs answer, any other graph is refused by name
DATASET_REQUESTS = [
    ({"query": f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}"}, 200),
    ({"query": f"SELECT (COUNT(*) AS ?n) FROM NAMED <{VOCABULARIES}> "
               "WHERE { GRAPH ?g { ?s ?p ?o } }"}, 200),
    ({"query": COUNT, "default-graph-uri": VOCABULARIES}, 200),
    ({"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
      "named-graph-uri": ONTOLOGY}, 200),
    ({"query": f"SELECT * FROM <{REMOTE_GRAPH}> WHERE {{ ?s ?p ?o }}"}, 400),
    ({"query": f"SELECT * FROM <{LOCAL_FILE}> WHERE {{ ?s ?p ?o }}"}, 400),
    ({"query": f"SELECT * FROM NAMED <{REMOTE_GRAPH}> WHERE {{ ?s ?p ?o }}"}, 400),
    ({"query": f"SELECT * FROM NAMED <{LOCAL_FILE}> WHERE {{ ?s ?p ?o }}"}, 400),
    ({"query": COUNT, "default-graph-uri": REMOTE_GRAPH}, 400),
    ({"query": COUNT, "default-graph-uri": LOCAL_FILE}, 400),
    ({"query": COUNT, "named-graph-uri": REMOTE_GRAPH}, 400),
    ({"query": COUNT, "named-graph-uri": LOCAL_FILE}, 400),
]


@pytest.mark.parametrize("params, status", DATASET_REQUESTS,
                         ids=[f"{i}-{s}" for i, (_, s) in enumerate(DATASET_REQUESTS)])
def test_a_graph_outside_the_release_is_refused_from_the_engine(
        apps: Apps, params: dict[str, str], status: int) -> None:
    """From an engine as from the embedded store: a graph of the release answers, any other
    is a 400 that names it (not the engine's empty answer, nor a fetch by the engine)."""
    ours = apps.remote.get("/sparql", params=params, headers={"Accept": JSON})
    theirs = apps.embedded.get("/sparql", params=params, headers={"Accept": JSON})
    assert (ours.status_code, theirs.status_code) == (status, status), ours.text
    if status == 400:
        named = next(iri for iri in (REMOTE_GRAPH, LOCAL_FILE) if iri in str(params))
        assert f"<{named}> names a graph not in this dataset" in ours.text
        assert ours.text == theirs.text
    else:
        assert int(json.loads(ours.content)["results"]["bindings"][0]["n"]["value"]) > 0
        assert comparable(ours) == comparable(theirs)
