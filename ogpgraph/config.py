"""Settings read from OGPGRAPH_* environment variables, with defaults for a local run."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE_URI = "http://127.0.0.1:8000/"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# the hand-written RDF files, written against DEFAULT_BASE_URI (graph/static_files rebases them)
ONTOLOGY_FILE = PROJECT_ROOT / "ontology" / "ogp.ttl"
VOCABULARIES_FILE = PROJECT_ROOT / "ontology" / "vocabularies.ttl"
SHAPES_FILE = PROJECT_ROOT / "shapes" / "ogp-shapes.ttl"


@dataclass(frozen=True)
class Settings:
    base_uri: str = DEFAULT_BASE_URI
    data_dir: Path = PROJECT_ROOT / "data"
    build_dir: Path = PROJECT_ROOT / "var" / "build"
    query_timeout: float = 30.0
    max_results: int = 10_000
    max_body_bytes: int = 1_000_000
    keep_releases: int = 3  # releases kept on disk, the current one included
    query_workers: int = 2  # started with the server and always kept
    query_max_workers: int = 6  # the pool grows on demand up to this many
    query_memory_mb: int = 1024  # per worker, beyond its size at the start of a query
    query_queue: int = 32  # queries waiting for a worker; more are answered 503 at once
    query_per_client: int = 2  # queries one client may have running or waiting (0: no cap)
    trusted_proxies: tuple[str, ...] = ()  # peers whose X-Forwarded-For is believed
    # a SPARQL engine to serve from (ogpgraph/store/engines.py); None: the embedded store
    store_url: str | None = None

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
            query_max_workers=int(env.get("OGPGRAPH_QUERY_MAX_WORKERS", cls.query_max_workers)),
            query_memory_mb=int(env.get("OGPGRAPH_QUERY_MEMORY", cls.query_memory_mb)),
            query_queue=int(env.get("OGPGRAPH_QUERY_QUEUE", cls.query_queue)),
            query_per_client=int(env.get("OGPGRAPH_QUERY_PER_CLIENT", cls.query_per_client)),
            trusted_proxies=tuple(part.strip() for part in env.get(
                "OGPGRAPH_TRUSTED_PROXIES", "").split(",") if part.strip()),
            store_url=env.get("OGPGRAPH_STORE") or None,
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
