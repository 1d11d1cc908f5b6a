"""The downloads page, the dump files (ranges, traversal, gzip) and the VoID/DCAT description."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from browse_fixtures import make_client, write_release
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, VOID
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ogpgraph.graph.terms import SPDX, ontology_namespace

HTML = {"accept": "text/html,*/*;q=0.8"}
COUNT_DISTINCT = ("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                  "WHERE { ?s ?p ?o } }")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory):
    return write_release(tmp_path_factory.mktemp("downloads") / "release")


@pytest.fixture(scope="module")
def client(release):
    return make_client(release[0])


def dump_bytes(published, name: str) -> bytes:
    return (published.dumps_dir / name).read_bytes()


# --- /downloads ------------------------------------------------------------------------------

def test_downloads_page_lists_every_dump_with_true_checksums(client, release) -> None:
    published, _ = release
    response = client.get("/downloads", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    rows = HTMLParser(response.text).css("tbody tr")
    assert len(rows) == len(published.manifest["dumps"])
    for row in rows:
        link = row.css_first("a")
        name = link.text()
        assert link.attributes["href"] == f"{published.base}dumps/{name}"
        data = dump_bytes(published, name)
        assert row.css_first("code.sha256").text() == hashlib.sha256(data).hexdigest()
        assert row.css_first("td[data-bytes]").attributes["data-bytes"] == str(len(data))
    assert "application/gzip" in response.text  # how the .gz files are served
    assert json.loads(HTMLParser(response.text).css_first(
        'script[type="application/ld+json"]').text())["@type"] == "Dataset"


# --- /dumps/{file} ---------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content_type"), [
    ("ogpgraph.ttl", "text/turtle"),
    ("ogpgraph.trig", "application/trig"),
    ("ogpgraph.jsonld", "application/ld+json"),
    ("ogpgraph.nt.gz", "application/gzip"),
    ("ogpgraph.nq.gz", "application/gzip"),
])
def test_dump_file(client, release, name: str, content_type: str) -> None:
    published, _ = release
    data = dump_bytes(published, name)
    response = client.get(f"/dumps/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    assert "content-encoding" not in response.headers  # a .gz download is a gzip file
    assert response.headers["content-length"] == str(len(data))
    assert response.content == data
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert response.headers["last-modified"]


def test_gzip_dump_is_a_real_gzip_file(client, release) -> None:
    body = client.get("/dumps/ogpgraph.nt.gz").content
    assert gzip.decompress(body).count(b"\n") == release[0].manifest["triples"]


def test_range_request(client, release) -> None:
    data = dump_bytes(release[0], "ogpgraph.ttl")
    response = client.get("/dumps/ogpgraph.ttl", headers={"range": "bytes=10-29"})
    assert response.status_code == 206
    assert response.content == data[10:30]
    assert response.headers["content-range"] == f"bytes 10-29/{len(data)}"
    assert response.headers["content-length"] == "20"
    tail = client.get("/dumps/ogpgraph.ttl", headers={"range": "bytes=-5"})
    assert tail.status_code == 206 and tail.content == data[-5:]


def test_conditional_request(client) -> None:
    first = client.get("/dumps/ogpgraph.ttl")
    again = client.get("/dumps/ogpgraph.ttl", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_head_has_length_but_no_body(client, release) -> None:
    response = client.head("/dumps/ogpgraph.trig")
    assert response.status_code == 200
    assert response.headers["content-length"] == str(len(dump_bytes(release[0],
                                                                     "ogpgraph.trig")))
    assert response.content == b""


@pytest.mark.parametrize("path", [
    "/dumps/nothing.ttl",
    "/dumps/..%2Fbuild.json",
    "/dumps/%2E%2E%2Fbuild.json",
    "/dumps/..%2F..%2Fbuild.json",
    "/dumps/%2Fetc%2Fpasswd",
    "/dumps/unlisted.txt",
    "/dumps/ogpgraph.ttl%00",
])
def test_unknown_and_traversal_refused(client, release, path: str) -> None:
    (release[0].dumps_dir / "unlisted.txt").write_text("not a dump")
    response = client.get(path)
    assert response.status_code == 404
    assert b"build_id" not in response.content and b"not a dump" not in response.content


def test_uncompressed_dump_gzip_encoded_from_sibling(tmp_path) -> None:
    published, _ = write_release(tmp_path / "release")
    original = dump_bytes(published, "ogpgraph.ttl")
    (published.dumps_dir / "ogpgraph.ttl.gz").write_bytes(gzip.compress(original))
    client = make_client(published)
    encoded = client.get("/dumps/ogpgraph.ttl", headers={"accept-encoding": "gzip"})
    assert encoded.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in encoded.headers["vary"]
    assert encoded.content == original  # httpx decodes it
    plain = client.get("/dumps/ogpgraph.ttl", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == original
    assert plain.headers["etag"] != encoded.headers["etag"]
    ranged = client.get("/dumps/ogpgraph.ttl",
                        headers={"accept-encoding": "gzip", "range": "bytes=0-9"})
    assert ranged.status_code == 206 and ranged.content == original[:10]


# --- /.well-known/void -----------------------------------------------------------------------

def void_graph(client, accept: str | None = None, fmt: str = "turtle") -> Graph:
    headers = {"accept": accept} if accept else {}
    response = client.get("/.well-known/void", headers=headers)
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content, format=fmt)
    return graph


def _int(graph: Graph, subject, predicate) -> int:
    value = graph.value(subject, predicate)
    assert value is not None, f"no {predicate}"
    return int(value)


def test_void_numbers_equal_the_store(client, release) -> None:
    published, expected = release
    graph = void_graph(client)
    dataset = published.uris.dataset
    assert (dataset, RDF.type, VOID.Dataset) in graph
    assert (dataset, RDF.type, DCAT.Dataset) in graph
    triples = _int(graph, dataset, VOID.triples)
    store_count = int(published.store.select(COUNT_DISTINCT)[0]["n"])
    assert triples == store_count == published.manifest["triples"]
    turtle_dump = Graph().parse(published.dumps_dir / "ogpgraph.ttl", format="turtle")
    assert triples == len(turtle_dump)

    partitions = {graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
                  for p in graph.objects(dataset, VOID.classPartition)}
    ogp = ontology_namespace(published.base)
    assert partitions[ogp.Commitment] == expected.commitments
    assert partitions[ogp.Member] == 3
    assert _int(graph, dataset, VOID.classes) == len(partitions)
    properties = {graph.value(p, VOID.property): int(graph.value(p, VOID.triples))
                  for p in graph.objects(dataset, VOID.propertyPartition)}
    assert sum(properties.values()) == triples
    assert _int(graph, dataset, VOID.properties) == len(properties)
    assert properties[ogp.member] == int(published.store.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE "
        f"{{ ?s <{ogp.member}> ?o }} }}")[0]["n"])
    entities = _int(graph, dataset, VOID.entities)
    id_space = f"{published.base}id/"  # counted here from the dump, not by the route's code
    assert entities == len({s for s in turtle_dump.subjects()
                            if isinstance(s, URIRef) and str(s).startswith(id_space)}) > 0


def test_void_links_endpoint_dumps_and_checksums(client, release) -> None:
    published, _ = release
    base = published.base
    graph = void_graph(client)
    dataset = published.uris.dataset
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{base}sparql")
    assert graph.value(dataset, VOID.uriSpace) == Literal(f"{base}id/")
    assert len(list(graph.objects(dataset, VOID.exampleResource))) == 3
    vocabularies = set(graph.objects(dataset, VOID.vocabulary))
    assert URIRef(f"{base}ontology") in vocabularies and len(vocabularies) == 7
    whole = {"ogpgraph.ttl", "ogpgraph.nt.gz", "ogpgraph.nq.gz", "ogpgraph.trig",
             "ogpgraph.jsonld"}
    dumps = set(graph.objects(dataset, VOID.dataDump))
    assert dumps == {URIRef(f"{base}dumps/{d['file']}") for d in published.manifest["dumps"]
                     if d["file"] in whole}
    subsets = {str(s).rsplit("#", 1)[1]: s for s in graph.objects(dataset, VOID.subset)}
    assert set(subsets) == {"ontology", "vocabularies", "shapes"}
    for name, subset in subsets.items():
        [dump] = graph.objects(subset, VOID.dataDump)
        assert dump == URIRef(f"{base}dumps/{name}.ttl")
    iana = "https://www.iana.org/assignments/media-types/"
    # a .gz dump's dcat:mediaType is that of what it holds (dcat:compressFormat says gzip)
    inner = {"ogpgraph.nt.gz": "application/n-triples", "ogpgraph.nq.gz": "application/n-quads"}
    # expectations independent of the route: build.json as written, the files as they are
    written = json.loads(published.layout.manifest_path.read_text(encoding="utf-8"))
    assert {e["file"] for e in written["dumps"]} >= whole | {"ontology.ttl", "shapes.ttl"}
    for entry in written["dumps"]:
        data = dump_bytes(published, entry["file"])
        distribution = graph.value(predicate=DCAT.downloadURL,
                                   object=URIRef(f"{base}dumps/{entry['file']}"))
        owner = dataset if entry["file"] in whole else subsets[entry["file"][:-4]]
        assert (owner, DCAT.distribution, distribution) in graph
        assert int(graph.value(distribution, DCAT.byteSize)) == len(data)
        checksum = graph.value(distribution, SPDX.checksum)
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        media = inner.get(entry["file"], entry["media_type"])
        assert list(graph.objects(distribution, DCAT.mediaType)) == [URIRef(iana + media)]
    gz = graph.value(predicate=DCAT.downloadURL, object=URIRef(f"{base}dumps/ogpgraph.nt.gz"))
    assert graph.value(gz, DCAT.compressFormat) is not None
    service = next(graph.subjects(RDF.type, DCAT.DataService))
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{base}sparql")
    assert graph.value(service, DCAT.servesDataset) == dataset


@pytest.mark.parametrize(("accept", "fmt", "content_type"), [
    (None, "turtle", "text/turtle"),
    ("*/*", "turtle", "text/turtle"),
    ("application/ld+json", "json-ld", "application/ld+json"),
    ("application/rdf+xml", "xml", "application/rdf+xml"),
    ("application/n-triples", "nt", "application/n-triples"),
])
def test_void_conneg(client, accept, fmt: str, content_type: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/.well-known/void", headers=headers)
    assert response.headers["content-type"].startswith(content_type)
    assert "Accept" in response.headers["vary"]
    graph = Graph().parse(data=response.content, format=fmt)
    assert len(graph) > 50


def test_void_not_acceptable_and_304(client) -> None:
    assert client.get("/.well-known/void", headers={"accept": "image/png"}).status_code == 406
    first = client.get("/.well-known/void")
    again = client.get("/.well-known/void", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304


def test_void_on_the_real_build(request: pytest.FixtureRequest) -> None:
    """On the default build: VoID's void:triples = manifest = distinct triples of the union
    graph = the triples of the Turtle dump."""
    pytest.importorskip("ogpgraph.release.pipeline")
    published = request.getfixturevalue("default_published")
    client = make_client(published)
    graph = void_graph(client)
    triples = _int(graph, published.uris.dataset, VOID.triples)
    assert triples == published.manifest["triples"]
    assert triples == int(published.store.select(COUNT_DISTINCT)[0]["n"])
    turtle = published.dumps_dir / "ogpgraph.ttl"
    assert triples == len(Graph().parse(turtle, format="turtle"))
    partitions = sum(int(graph.value(p, VOID.triples))
                     for p in graph.objects(published.uris.dataset, VOID.propertyPartition))
    assert partitions == triples
    assert_distributions_describe_the_files(graph, published)


# what each dump of a real build holds, written out here (a .gz: what is inside)
REAL_MEDIA_TYPES = {
    "ogpgraph.ttl": "text/turtle", "ogpgraph.trig": "application/trig",
    "ogpgraph.nt.gz": "application/n-triples", "ogpgraph.nq.gz": "application/n-quads",
    "ogpgraph.jsonld": "application/ld+json", "ontology.ttl": "text/turtle",
    "vocabularies.ttl": "text/turtle", "shapes.ttl": "text/turtle"}


def assert_distributions_describe_the_files(graph: Graph, published) -> None:
    """Every dump of build.json is a distribution whose media type is the table's, and
    whose size and checksum are those of the file (computed here)."""
    iana = "https://www.iana.org/assignments/media-types/"
    written = json.loads(published.layout.manifest_path.read_text(encoding="utf-8"))
    assert {entry["file"] for entry in written["dumps"]} == set(REAL_MEDIA_TYPES)
    for name, media in REAL_MEDIA_TYPES.items():
        data = dump_bytes(published, name)
        distribution = graph.value(predicate=DCAT.downloadURL,
                                   object=URIRef(f"{published.base}dumps/{name}"))
        assert list(graph.objects(distribution, DCAT.mediaType)) == [URIRef(iana + media)]
        compressed = list(graph.objects(distribution, DCAT.compressFormat))
        assert compressed == ([URIRef(iana + "application/gzip")] if name.endswith(".gz")
                              else [])
        assert int(graph.value(distribution, DCAT.byteSize)) == len(data)
        checksum = graph.value(distribution, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
