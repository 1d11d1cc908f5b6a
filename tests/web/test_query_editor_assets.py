"""The query editor's files (installed from npm) served from our own origin, safely, and the
query page with and without them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.web import web_assets

SCRIPT = b"window.Yasgui = function () {};\n"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake YASGUI build folder, beside a file that must never be served."""
    build = tmp_path / "node_modules" / "@zazuko" / "yasgui" / "build"
    build.mkdir(parents=True)
    (build / "yasgui.min.js").write_bytes(SCRIPT)
    (build / "yasgui.min.css").write_text(".yasgui {}\n")
    (build / ".hidden.js").write_text("secret")
    (tmp_path / "node_modules" / "secret.js").write_text("secret")
    monkeypatch.setitem(web_assets.PACKAGES, "yasgui", build)
    return build


def test_the_editor_files_are_served_with_a_content_etag(res_client: TestClient,
                                                         installed: Path) -> None:
    response = res_client.get("/static/vendor/yasgui/yasgui.min.js")
    assert response.status_code == 200 and response.content == SCRIPT
    assert response.headers["content-type"].startswith("text/javascript")
    etag = response.headers["etag"]
    again = res_client.get("/static/vendor/yasgui/yasgui.min.js",
                           headers={"if-none-match": etag})
    assert again.status_code == 304
    (installed / "yasgui.min.js").write_bytes(SCRIPT + b"// changed\n")
    changed = res_client.get("/static/vendor/yasgui/yasgui.min.js",
                             headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert web_assets.asset("yasgui", "yasgui.min.js").digest == hashlib.sha256(
        SCRIPT + b"// changed\n").hexdigest()


@pytest.mark.parametrize("path", [
    "/static/vendor/yasgui/..%2Fsecret.js",
    "/static/vendor/yasgui/..%2F..%2Fsecret.js",
    "/static/vendor/yasgui/.hidden.js",
    "/static/vendor/yasgui/%2Fetc%2Fpasswd",
    "/static/vendor/yasgui/yasgui.min.txt",
    "/static/vendor/other/yasgui.min.js",
    "/static/vendor/..%2Fyasgui/yasgui.min.js",
    "/static/vendor/yasgui/missing.js",
])
def test_nothing_else_is_served(res_client: TestClient, installed: Path, path: str) -> None:
    response = res_client.get(path)
    assert response.status_code == 404
    assert b"secret" not in response.content


def test_the_query_page_loads_the_editor_when_it_is_installed(res_client: TestClient,
                                                              installed: Path) -> None:
    tree = HTMLParser(res_client.get("/sparql", headers={"accept": "text/html"}).text)
    scripts = [s.attributes.get("src") for s in tree.css("script[src]")]
    assert scripts == [f"{DEFAULT_BASE_URI}static/vendor/yasgui/yasgui.min.js",
                       f"{DEFAULT_BASE_URI}static/sparql-editor.js"]
    config = json.loads(tree.css_first("#editor-config").text())
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"]["ogp"] == f"{DEFAULT_BASE_URI}ontology#"
    assert config["examples"] and all("SELECT" in e["query"] for e in config["examples"])
    assert f"{DEFAULT_BASE_URI}ontology#leadInstitution" in config["terms"]["property"]
    assert f"{DEFAULT_BASE_URI}ontology#Commitment" in config["terms"]["class"]
    assert tree.css_first("form#query-form textarea#query") is not None  # still there


def test_without_the_editor_the_page_is_the_form(res_client: TestClient, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(web_assets.PACKAGES, "yasgui", tmp_path / "not-installed")
    tree = HTMLParser(res_client.get("/sparql", headers={"accept": "text/html"}).text)
    assert tree.css("script[src]") == [] and tree.css_first("#editor") is None
    assert tree.css_first("form#query-form textarea#query") is not None


def test_the_editor_script_is_ours_and_flat(res_client: TestClient) -> None:
    response = res_client.get("/static/sparql-editor.js")
    assert response.status_code == 200 and b"Yasgui" in response.content
