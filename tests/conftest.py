"""Shared fixtures: a real build of data/ (the default build), and where ../shared is."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT

SHARED_OGP = PROJECT_ROOT.parent / "shared" / "ogp"
FIXTURES = Path(__file__).parent / "fixtures"


def require_shared() -> Path:
    if not SHARED_OGP.is_dir():
        pytest.skip(f"{SHARED_OGP} is absent: the shared OGP data sits beside the repository in CI")
    return SHARED_OGP


@pytest.fixture(scope="session")
def default_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of the default sources (data/) into a temporary folder."""
    from ogpgraph.release.pipeline import run_build

    out = tmp_path_factory.mktemp("default-build")
    run_build([PROJECT_ROOT / "data"], out, DEFAULT_BASE_URI)
    return out


@pytest.fixture(scope="session")
def default_published(default_build_dir: Path):
    """The default build opened as the web layer opens it."""
    from ogpgraph.web.published import load_published

    return load_published(default_build_dir, DEFAULT_BASE_URI)


@pytest.fixture(scope="session")
def shared_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build of data/ plus everything in ../shared/ogp (seed, pages, CSV)."""
    from ogpgraph.release.pipeline import run_build

    shared = require_shared()
    out = tmp_path_factory.mktemp("shared-build")
    run_build([PROJECT_ROOT / "data", shared], out, DEFAULT_BASE_URI)
    return out
