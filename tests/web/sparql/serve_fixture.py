"""Serve the SPARQL fixture app with uvicorn: ``python serve_fixture.py PORT`` (127.0.0.1)."""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sparql_fixture import fixture_app  # noqa: E402

if __name__ == "__main__":
    uvicorn.run(fixture_app(query_workers=2), host="127.0.0.1", port=int(sys.argv[1]),
                log_level="warning")
