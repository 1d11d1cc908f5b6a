"""``ogpgraph publish --store`` and ``ogpgraph build --store`` against each engine: the
release is served after success; after a failed load the exit code is 1, the message names
the engine and the reason, and the engine still serves the previous release."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from engines import Engine, build_id, serving
from typer.testing import CliRunner

from ogpgraph.cli.app import app
from ogpgraph.config import PROJECT_ROOT
from ogpgraph.release.layout import BuildLayout
from ogpgraph.store.engines import parse_store_url
from ogpgraph.store.remote_store import RemoteStore

runner = CliRunner()


def served(engine: Engine) -> str | None:
    store = RemoteStore(parse_store_url(engine.url))
    try:
        release = store.read_release()
    finally:
        store.close()
    return release.build_id if release else None


def corrupt_copy(build_dir: Path, target: Path) -> Path:
    """The current release of ``build_dir`` under a new build id, its N-Quads dump cut
    short (a disk that filled up while it was copied)."""
    shutil.copytree(BuildLayout.current(build_dir).root, target)
    manifest_path = target / "build.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["build_id"] = "corrupt-" + manifest["build_id"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    dump = BuildLayout(target).nquads_dump
    with gzip.open(dump, "rb") as stream:
        lines = stream.read().splitlines(keepends=True)
    with gzip.open(dump, "wb") as stream:
        stream.writelines(lines[: len(lines) // 2])
    return target


def test_publish_loads_the_release(engine: Engine, default_build_dir: Path) -> None:
    result = runner.invoke(app, ["publish", "--store", engine.url,
                                 "--release", str(default_build_dir)])
    assert result.exit_code == 0, result.output
    assert f"published release {build_id(default_build_dir)}" in result.output
    assert served(engine) == build_id(default_build_dir)


def test_a_failed_publish_names_the_engine_and_keeps_the_previous_release(
        engine: Engine, compared_build: Path, tmp_path: Path) -> None:
    serving(engine, compared_build).close()
    previous = build_id(compared_build)
    broken = corrupt_copy(compared_build, tmp_path / "broken")
    result = runner.invoke(app, ["publish", "--store", engine.url, "--release", str(broken)])
    assert result.exit_code == 1
    endpoint = parse_store_url(engine.url)
    output = " ".join(result.output.split())  # rich wraps long lines
    assert f"loading into {engine.kind} at {endpoint.query_url}" in output
    assert "the dumps of" in output and "disagree with build.json" in output
    assert f"the engine still serves release {previous}" in output
    assert "dba:dba@" not in output  # the password is never printed
    assert served(engine) == previous


def test_publish_needs_an_engine(monkeypatch) -> None:
    monkeypatch.delenv("OGPGRAPH_STORE", raising=False)
    result = runner.invoke(app, ["publish"])
    assert result.exit_code == 1 and "no engine given" in result.output


def test_build_with_store_publishes_after_the_build(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "build"
    result = runner.invoke(app, ["build", "--no-default", "--source",
                                 str(PROJECT_ROOT / "data"), "--out", str(out),
                                 "--store", engine.url])
    assert result.exit_code == 0, result.output
    assert served(engine) == build_id(out)


def test_build_with_an_unreachable_store_fails_after_publishing_locally(tmp_path: Path) -> None:
    from engines import free_port

    out = tmp_path / "build"
    url = f"oxigraph+http://127.0.0.1:{free_port()}"
    result = runner.invoke(app, ["build", "--no-default", "--source",
                                 str(PROJECT_ROOT / "data"), "--out", str(out), "--store", url])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "loading into oxigraph at http://127.0.0.1:" in output
    assert "connection refused" in output
    assert BuildLayout.current(out).exists()  # the build itself was published


def test_serve_from_an_unreachable_engine_says_so(tmp_path: Path) -> None:
    from engines import free_port

    url = f"virtuoso+http://dba:secret@127.0.0.1:{free_port()}/sparql"
    result = runner.invoke(app, ["serve", "--store", url], env={"OGPGRAPH_BUILD_DIR":
                                                                 str(tmp_path)})
    output = " ".join(result.output.split())
    assert result.exit_code == 1 and "nothing to serve" in output
    assert "connection refused" in output and "secret" not in output


def test_serve_with_a_bad_store_url_says_so(monkeypatch) -> None:
    import os

    monkeypatch.delenv("OGPGRAPH_STORE", raising=False)
    result = runner.invoke(app, ["serve", "--store", "ftp://example.org/sparql"])
    assert result.exit_code == 1 and "not a store URL" in result.output
    assert "OGPGRAPH_STORE" not in os.environ  # never left behind for what runs next
