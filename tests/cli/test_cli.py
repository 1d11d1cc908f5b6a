"""The CLI is a thin face over the same functions: exit codes and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ogpgraph.cli.app import app
from ogpgraph.config import PROJECT_ROOT

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(PROJECT_ROOT / "data" / "PE0055.txt", data / "PE0055.txt")
    monkeypatch.setenv("OGPGRAPH_DATA_DIR", str(data))
    monkeypatch.setenv("OGPGRAPH_BUILD_DIR", str(tmp_path / "build"))
    return tmp_path


def test_build_then_query_validate_and_dump(env: Path) -> None:
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 0, result.output
    assert "commitments" in result.stdout and "83" in result.stdout
    query = runner.invoke(app, ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?c a "
                                "<http://127.0.0.1:8000/ontology#Milestone> }", "--format", "csv"])
    assert query.exit_code == 0 and query.stdout.strip().splitlines()[-1] == "5"
    checked = runner.invoke(app, ["validate"])
    assert checked.exit_code == 0, checked.output
    dumped = runner.invoke(app, ["dump", "--format", "ttl", "--out", str(env / "d.ttl")])
    assert dumped.exit_code == 0 and (env / "d.ttl").stat().st_size > 1000


def test_parse_prints_turtle() -> None:
    result = runner.invoke(app, ["parse", str(PROJECT_ROOT / "data" / "PE0055.txt")])
    assert result.exit_code == 0
    assert "<http://127.0.0.1:8000/id/commitment/PE0055>" in result.stdout or \
        "commitment:PE0055" in result.stdout


def test_parse_of_a_non_page_fails_clearly(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("just some notes\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(bogus)])
    assert result.exit_code == 1
    assert str(bogus) in result.output and "Traceback" not in result.output


def test_failed_build_exits_non_zero_and_names_the_file(env: Path) -> None:
    (env / "data" / "bad.csv").write_text("Commitment Unique Identifier\nX\n", encoding="utf-8")
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 1
    assert "bad.csv" in result.output and "nothing was published" in result.output


def test_validate_reports_violations(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://127.0.0.1:8000/id/commitment/XX> a "
                   "<http://127.0.0.1:8000/ontology#Commitment> .\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    as_turtle = runner.invoke(app, ["validate", str(bad), "--format", "ttl"])
    assert "sh:ValidationReport" in as_turtle.stdout


def test_validate_of_a_missing_file_fails_clearly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 2 and "nope.ttl" in result.output


def test_validate_of_an_empty_file_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("# nothing\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(empty)])
    assert result.exit_code == 2 and "no triples to validate" in result.output


def test_validate_of_a_broken_file_names_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 2 and "broken.ttl: cannot parse" in result.output


@pytest.mark.parametrize(("argv", "env", "logged"), [
    ([], {}, True),
    (["--no-access-log"], {}, False),
    ([], {"OGPGRAPH_ACCESS_LOG": "0"}, False),
    (["--access-log"], {"OGPGRAPH_ACCESS_LOG": "0"}, True),
])
def test_serve_passes_the_access_log_choice_to_the_http_server(
        default_build_dir: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str],
        env: dict[str, str], logged: bool) -> None:
    from ogpgraph.cli import serve as serve_module

    calls: list[tuple[str, bool]] = []
    for server in serve_module.Server:
        monkeypatch.setitem(serve_module.SERVERS, server,
                            lambda host, port, settings, access_log, name=server.value:
                            calls.append((name, access_log)))
    monkeypatch.delenv("OGPGRAPH_ACCESS_LOG", raising=False)
    monkeypatch.delenv("OGPGRAPH_SERVER", raising=False)
    result = CliRunner().invoke(app, ["serve", *argv], env={
        "OGPGRAPH_BUILD_DIR": str(default_build_dir), "OGPGRAPH_QUERY_WORKERS": "0", **env})
    assert result.exit_code == 0, result.output
    assert calls == [("uvicorn", logged)]  # uvicorn: the default server


def test_serve_refuses_an_access_log_setting_that_is_not_a_boolean(
        default_build_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ogpgraph.cli import serve as serve_module

    calls: list[bool] = []
    for server in serve_module.Server:
        monkeypatch.setitem(serve_module.SERVERS, server,
                            lambda host, port, settings, access_log: calls.append(access_log))
    result = CliRunner().invoke(app, ["serve"], env={
        "OGPGRAPH_BUILD_DIR": str(default_build_dir), "OGPGRAPH_ACCESS_LOG": "maybe",
        "COLUMNS": "200"})
    output = " ".join(result.output.split())
    assert result.exit_code == 2 and "OGPGRAPH_ACCESS_LOG" in output
    assert "valid boolean" in output
    assert calls == []
