"""Settings read from OGPGRAPH_* environment variables, with defaults for a local run."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_URI = "http://127.0.0.1:8000/"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    base_uri: str = DEFAULT_BASE_URI
    data_dir: Path = PROJECT_ROOT / "data"
    build_dir: Path = PROJECT_ROOT / "var" / "build"
    query_timeout: float = 30.0
    max_results: int = 10_000
    max_body_bytes: int = 1_000_000
    query_workers: int = 2
    keep_releases: int = 3  # releases kept on disk, the current one included

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        base = env.get("OGPGRAPH_BASE_URI", DEFAULT_BASE_URI)
        if not base.endswith("/"):
            base += "/"
        return cls(
            base_uri=base,
            data_dir=Path(env.get("OGPGRAPH_DATA_DIR", cls.data_dir)),
            build_dir=Path(env.get("OGPGRAPH_BUILD_DIR", cls.build_dir)),
            query_timeout=float(env.get("OGPGRAPH_QUERY_TIMEOUT", cls.query_timeout)),
            max_results=int(env.get("OGPGRAPH_MAX_RESULTS", cls.max_results)),
            max_body_bytes=int(env.get("OGPGRAPH_MAX_BODY_BYTES", cls.max_body_bytes)),
            query_workers=int(env.get("OGPGRAPH_QUERY_WORKERS", cls.query_workers)),
            keep_releases=keep_releases_from(env.get("OGPGRAPH_KEEP_RELEASES")),
        )


def keep_releases_from(value: str | None) -> int:
    """``OGPGRAPH_KEEP_RELEASES``: how many releases stay on disk (at least the current)."""
    if value is None or not value.strip():
        return Settings.keep_releases
    try:
        keep = int(value)
    except ValueError:
        keep = 0
    if keep < 1:
        raise ValueError(f"OGPGRAPH_KEEP_RELEASES must be a whole number of at least 1 "
                         f"(the current release), not {value!r}")
    return keep
