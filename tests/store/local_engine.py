"""A stand-in SPARQL engine on a local port, for the tests of the engine client and of how
``/sparql`` reads answers: a threading HTTP server bound to 127.0.0.1 only."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalEngine(ThreadingHTTPServer):
    """Serves ``handler`` on a free port of 127.0.0.1 from ``start()`` to ``stop()``."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 (keep-alive), and no access log on the test's output."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass
