"""``ogpgraph build`` reuses the previous release and says so; ``--full`` reuses nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ogpgraph.cli.app import app
from ogpgraph.config import PROJECT_ROOT

runner = CliRunner()


def test_build_says_what_it_reused_and_full_reuses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(PROJECT_ROOT / "data" / "PE0055.txt", data / "PE0055.txt")
    monkeypatch.setenv("OGPGRAPH_DATA_DIR", str(data))
    monkeypatch.setenv("OGPGRAPH_BUILD_DIR", str(tmp_path / "build"))
    first = runner.invoke(app, ["build"])
    assert first.exit_code == 0, first.output
    assert "0 of 1" in first.stdout and "no previous release" in first.output
    again = runner.invoke(app, ["build"])
    assert again.exit_code == 0, again.output
    assert "1 of 1" in again.stdout and "parts mapped anew: 0" in again.stdout
    full = runner.invoke(app, ["build", "--full"])
    assert full.exit_code == 0, full.output
    assert "0 of 1" in full.stdout and "--full" in full.output
    releases = sorted((tmp_path / "build" / "releases").iterdir())
    assert len(releases) == 3
