"""Memory of a whole-listing download: ``/commitments?format=csv`` of a large build.

    python bench/generate.py --commitments 100000 --seed 1 --out bench/work/src-100k --pages 0
    ogpgraph build --no-default --source bench/work/src-100k --out bench/work/build-100k
    python bench/listing_stream_bench.py --build bench/work/build-100k

Serves the build in a child process and downloads whole listings as CSV and JSON, reading
the body as it streams; the child's resident size is polled (``/proc/PID/status`` VmRSS,
and VmHWM, its peak) before and during each download. Two servers:

* ``listings``: the app over the release's on-disk store (opened read-only, nothing loaded)
  and its listing index, which is all a listing reads: the download's own footprint;
* ``serve``: ``ogpgraph serve`` itself, whose union graph in memory dominates its size:
  the growth during the download is what the download costs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from common import (
    RESULTS_DIR,
    machine,
    markdown_table,
    now_iso,
    vm_hwm_kb,
    write_results,
)

ROOT = Path(__file__).resolve().parents[1]
DOWNLOADS = ("/commitments?format=csv", "/commitments?format=json",
             "/commitments?sort=title&order=desc&format=csv",
             "/commitments?starred=false&format=csv", "/search?q=open+data&format=csv")


def vm_rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def serve_listings(build: Path, port: int) -> None:
    """The child: the app over the on-disk store and the listing index only."""
    import uvicorn

    from ogpgraph.config import Settings
    from ogpgraph.release.layout import BuildLayout
    from ogpgraph.store.oxigraph_store import OxigraphStore
    from ogpgraph.web.app import create_app
    from ogpgraph.web.published import PublishedBuild

    settings = Settings.from_env()
    layout = BuildLayout.current(build)
    store = OxigraphStore.open_read_only(layout.store_dir, union_materialised=True)
    published = PublishedBuild(store=store, base=settings.base_uri, manifest=layout.manifest(),
                               layout=layout)
    uvicorn.run(create_app(settings, published), host="127.0.0.1", port=port,
                log_level="warning")


def wait_ready(url: str, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {process.returncode}")
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.5)
    raise RuntimeError(f"no answer from {url} in {seconds} s")


def download(url: str, pid: int) -> dict:
    """Stream one download; the server's RSS polled every 256 KiB of body."""
    before = vm_rss_kb(pid) or 0
    peak_rss, size, lines, polled_at = before, 0, 0, 0
    start = time.perf_counter()
    with httpx.stream("GET", url, timeout=600) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
            if size - polled_at >= 256 * 1024:
                peak_rss, polled_at = max(peak_rss, vm_rss_kb(pid) or 0), size
    seconds = time.perf_counter() - start
    return {"url": url, "bytes": size, "lines": lines, "seconds": round(seconds, 2),
            "rss_before_mb": round(before / 1024, 1),
            "rss_peak_during_mb": round(max(peak_rss, vm_rss_kb(pid) or 0) / 1024, 1),
            "hwm_after_mb": round((vm_hwm_kb(pid) or 0) / 1024, 1)}


def measure(kind: str, build: Path, port: int) -> list[dict]:
    env = {**os.environ, "OGPGRAPH_BUILD_DIR": str(build)}
    exe = Path(sys.executable)
    command = ([str(exe), __file__, "--child", "--build", str(build), "--port", str(port)]
               if kind == "listings" else
               [str(exe.parent / "ogpgraph"), "serve", "--host", "127.0.0.1", "--port",
                str(port)])
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(f"{base}/members", process)
        results = []
        for path in DOWNLOADS:
            found = download(base + path, process.pid)
            found["server"] = kind
            print(found, flush=True)
            results.append(found)
        return results
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--servers", nargs="+", default=["listings", "serve"])
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    if args.child:
        serve_listings(args.build, args.port)
        return 0
    if args.report_only:  # the table again, from the last results
        payload = json.loads((RESULTS_DIR / "listing-stream.json").read_text())
    else:
        payload = {"machine": machine(), "at": now_iso(), "build": str(args.build),
                   "results": [r for kind in args.servers
                               for r in measure(kind, args.build, args.port)]}
    md = report(payload)
    write_results("listing-stream", payload, md)
    print(md)
    print(f"written to {RESULTS_DIR}")
    return 0


def report(payload: dict) -> str:
    """The results as Markdown: a row per download (rows: CSV lines less the header, JSON
    lines less its head and tail)."""
    rows = [[r["server"], r["url"].split("/", 3)[-1],
             r["lines"] - (2 if "format=json" in r["url"] else 1),
             round(r["bytes"] / 2**20, 1), r["seconds"], r["rss_before_mb"],
             r["rss_peak_during_mb"], round(r["rss_peak_during_mb"] - r["rss_before_mb"], 1)]
            for r in payload["results"]]
    return ("# Whole-listing downloads, streamed\n\n"
            f"`python bench/listing_stream_bench.py --build {payload.get('build', '…')}` "
            f"({payload.get('at', '')})\n\n"
            "`listings`: the app over the on-disk store and the listing index; `serve`: "
            "`ogpgraph serve` (the union graph in memory). RSS of the server process, polled "
            "every 256 KiB of body.\n\n"
            + markdown_table(["server", "download", "rows", "MiB", "s", "RSS before MB",
                              "RSS peak during MB", "growth MB"], rows) + "\n")


if __name__ == "__main__":
    sys.exit(main())
