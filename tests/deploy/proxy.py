"""Replicas of ``ogpgraph serve`` and Debian's nginx in front of them, on free ports of
127.0.0.1, with deploy/nginx/ogpgraph.conf itself (its replica list, port and cache folder
swapped for the test's), for the end-to-end test and for bench/replicas_bench.py."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from ogpgraph.config import PROJECT_ROOT

SITE_CONF = PROJECT_ROOT / "deploy" / "nginx" / "ogpgraph.conf"
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 20.0
REPLICA_LINES = ("    server 127.0.0.1:8001 max_fails=1 fail_timeout=5s;\n"
                 "    server 127.0.0.1:8002 max_fails=1 fail_timeout=5s;\n")
ACCESS_LOG = 'log_format replicas "$status|$upstream_addr|$upstream_status|$request_uri";'


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def site_config(ports: Sequence[int], listen: int, cache_dir: Path, cache: bool = True) -> str:
    """deploy/nginx/ogpgraph.conf with the test's replicas, port and cache folder; each
    swapped line must be found, so the test follows the real file. ``cache=False``: every
    request reaches a replica (benchmarks of the replicas)."""
    text = SITE_CONF.read_text(encoding="utf-8")
    swaps = {
        REPLICA_LINES: "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n"
                               for p in ports),
        "    listen 80;\n": f"    listen 127.0.0.1:{listen};\n",
        "/var/cache/nginx/ogpgraph": str(cache_dir),
    }
    if not cache:
        swaps["        proxy_cache ogpgraph;\n"] = "        proxy_cache off;\n"
    for old, new in swaps.items():
        if text.count(old) != 1:
            raise AssertionError(f"{SITE_CONF} no longer has {old.strip()!r} once")
        text = text.replace(old, new)
    return text


def main_config(folder: Path, site: str) -> str:
    """A whole nginx.conf for a process of its own: pid, logs and temp files in ``folder``."""
    temp = {name: folder / name for name in ("client", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    return f"""worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 512; }}
http {{
    {ACCESS_LOG}
    access_log {folder}/access.log replicas;
    client_body_temp_path {temp["client"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    default_type application/octet-stream;
{site}
}}
"""


@dataclass
class Process:
    name: str
    process: subprocess.Popen
    log: Path

    def kill(self) -> None:
        """SIGKILL to its whole process group (a replica's query workers too), as a crash."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT_S)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""


def start(name: str, command: Sequence[str], ready_url: str, log: Path,
          env: Mapping[str, str] | None = None) -> Process:
    """Start ``command`` in a session of its own; wait (bounded) until ``ready_url`` is 200."""
    with log.open("ab") as out:
        process = subprocess.Popen(list(command), stdout=out, stderr=subprocess.STDOUT,
                                   env=dict(env) if env is not None else None,
                                   start_new_session=True)
    started = Process(name, process, log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}: {started.tail()}")
        try:
            if httpx.get(ready_url, timeout=5).status_code == 200:
                return started
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            started.stop()
            raise RuntimeError(f"{name} did not answer within {START_TIMEOUT_S:g} s: "
                               f"{started.tail()}")
        time.sleep(0.2)


def start_replica(port: int, folder: Path, env: Mapping[str, str],
                  server: str | None = None) -> Process:
    """``ogpgraph serve`` on ``port``, with the default HTTP server unless ``server``."""
    command = [sys.executable, "-m", "ogpgraph.cli.app", "serve", "--host", "127.0.0.1",
               "--port", str(port), *(["--server", server] if server else [])]
    return start(f"replica {port}", command, f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D",
                 folder / f"replica-{port}.log", env={**os.environ, **env})


def start_nginx(ports: Sequence[int], listen: int, folder: Path, cache: bool = True) -> Process:
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(main_config(folder, site_config(ports, listen, folder / "cache", cache)),
                    encoding="utf-8")
    command = [binary, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"]
    checked = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True, timeout=30)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused {conf}: {checked.stderr}")
    return start("nginx", command, f"http://127.0.0.1:{listen}/sparql?query=ASK%7B%7D",
                 folder / "nginx.out")


def upstreams(folder: Path) -> list[tuple[int, str]]:
    """(status, upstream addresses tried) of each request nginx logged, in order."""
    lines = (folder / "access.log").read_text(encoding="utf-8").splitlines()
    return [(int(line.split("|")[0]), line.split("|")[1]) for line in lines if line]
