"""Serve the SPARQL fixture app with uvicorn on 127.0.0.1:
``python serve_fixture.py PORT [QUERY_TIMEOUT_SECONDS]``. Idle keep-alive connections are
closed after 2 s (uvicorn's default is 5 s)."""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sparql_fixture import fixture_app  # noqa: E402

KEEP_ALIVE_SECONDS = 2

if __name__ == "__main__":
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    uvicorn.run(fixture_app(query_workers=2, query_timeout=timeout), host="127.0.0.1",
                port=int(sys.argv[1]), log_level="warning",
                timeout_keep_alive=KEEP_ALIVE_SECONDS)
