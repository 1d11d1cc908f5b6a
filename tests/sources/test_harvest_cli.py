"""`ogpgraph harvest` on the command line: options, summary lines, exit codes."""

from __future__ import annotations

from pathlib import Path

from harvest_server import EXPORT, UK0063, Fault, HarvestServer
from typer.testing import CliRunner

from ogpgraph.cli.app import app

runner = CliRunner()
FAST = {"OGPGRAPH_HARVEST_RATE": "1000", "OGPGRAPH_HARVEST_BACKOFF": "0.01",
        "OGPGRAPH_HARVEST_ATTEMPTS": "2"}


def invoke(site: HarvestServer, out: Path, *extra: str):
    return runner.invoke(app, ["harvest", "--out", str(out), "--base-url", site.base_url,
                               "--export-url", EXPORT.lstrip("/"), *extra], env=FAST)


def test_harvest_then_harvest_again(site: HarvestServer, tmp_path: Path) -> None:
    first = invoke(site, tmp_path)
    assert first.exit_code == 0, first.output
    assert "harvest: 7 fetched, 0 unchanged, 0 failed, 0 skipped" in first.output
    second = invoke(site, tmp_path)
    assert second.exit_code == 0, second.output
    assert "harvest: 0 fetched, 7 unchanged, 0 failed, 0 skipped" in second.output


def test_failures_are_listed_and_exit_1(site: HarvestServer, tmp_path: Path) -> None:
    site.fail_always(UK0063, Fault(status=500))
    result = invoke(site, tmp_path, "--member", "united-kingdom", "--member", "honduras")
    assert result.exit_code == 1
    assert "harvest: 5 fetched, 0 unchanged, 1 failed, 0 skipped" in result.output
    assert (f"failed  {site.url(UK0063)}: HTTP 500 Internal Server Error (after 2 attempts)"
            in result.output)
    assert "Traceback" not in result.output


def test_a_bad_setting_is_an_error_message(site: HarvestServer, tmp_path: Path) -> None:
    result = invoke(site, tmp_path, "--rate", "0")
    assert result.exit_code == 2
    assert "rate and timeout must be > 0" in result.output
    assert not tmp_path.joinpath(".harvest-cache.sqlite").exists()
