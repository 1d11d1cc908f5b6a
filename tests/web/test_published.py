"""Opening a release for serving: the union in memory and the named graphs on disk, or,
for a release of an earlier version, both in memory."""

from __future__ import annotations

import json
import shutil
from hashlib import sha256
from pathlib import Path

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT
from ogpgraph.release.layout import BuildLayout
from ogpgraph.web.published import load_published

PE0055 = f"{DEFAULT_BASE_URI}id/commitment/PE0055"
SOURCES_OF_PE0055 = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{PE0055}> ?p ?o }} }}"


def test_a_release_is_served_with_the_union_in_memory(default_build_dir: Path) -> None:
    published = load_published(default_build_dir, DEFAULT_BASE_URI)
    store = published.store
    manifest = published.manifest
    assert store.named_graphs == BuildLayout.current(default_build_dir).store_dir
    assert len(store.store) == manifest["triples"]  # memory holds the union alone
    assert store.quad_count() == manifest["quads"]
    # answered by the on-disk store: PE0055 is stated by the seed page's graph alone, named
    # by the page file's SHA-256 (computed here, not by the build)
    seed = PROJECT_ROOT / "data" / "PE0055.txt"
    page_graph = f"{DEFAULT_BASE_URI}id/source/page-{sha256(seed.read_bytes()).hexdigest()[:16]}"
    assert [str(row["g"]) for row in store.select(SOURCES_OF_PE0055)] == [page_graph]
    assert [entry["iri"] for entry in manifest["sources"]] == [page_graph]


def test_a_release_of_an_earlier_version_is_served_from_memory(default_build_dir: Path,
                                                               tmp_path: Path) -> None:
    """Its on-disk store does not hold the union: the named graphs are loaded as well."""
    release = BuildLayout.current(default_build_dir).root
    old = tmp_path / "releases" / "old"
    shutil.copytree(release, old, ignore=shutil.ignore_patterns("store"))
    manifest = json.loads((old / "build.json").read_text(encoding="utf-8"))
    del manifest["store_default_graph"]
    (old / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    (tmp_path / "current").symlink_to(old)
    published = load_published(tmp_path, DEFAULT_BASE_URI)
    store = published.store
    assert store.named_graphs is None and store.union_materialised
    assert len(store.store) == manifest["triples"] + manifest["quads"]
    assert store.select(SOURCES_OF_PE0055) == load_published(
        default_build_dir, DEFAULT_BASE_URI).store.select(SOURCES_OF_PE0055)


def test_every_iri_the_dataset_mints_dereferences(default_build_dir: Path) -> None:
    """Subjects, objects, predicates and graph names under the base: each answers 200 in
    Turtle (after its 303), including the named graphs that are not sources."""
    import gzip

    import pyoxigraph as ox
    from fastapi.testclient import TestClient

    from ogpgraph.config import Settings
    from ogpgraph.web.app import create_app

    layout = BuildLayout.current(default_build_dir)
    minted: set[str] = set()
    with gzip.open(layout.nquads_dump, "rb") as stream:
        for quad in ox.parse(stream, ox.RdfFormat.N_QUADS):
            for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
                if isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE_URI):
                    minted.add(term.value.split("#", 1)[0])
    assert f"{DEFAULT_BASE_URI}graph/vocabularies" in minted
    client = TestClient(create_app(Settings(build_dir=default_build_dir, query_workers=0)))
    broken = []
    for iri in sorted(minted):
        response = client.get("/" + iri[len(DEFAULT_BASE_URI):],
                              headers={"accept": "text/turtle"}, follow_redirects=True)
        if response.status_code != 200:
            broken.append((iri, response.status_code))
    assert broken == []
