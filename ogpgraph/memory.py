"""How the process uses memory: freed memory handed back during a long build, and huge
pages for the store that ``ogpgraph serve`` keeps in memory."""

from __future__ import annotations

import ctypes
import gc
import os
import sys
from collections.abc import Mapping
from pathlib import Path

HUGE_PAGES_TUNABLE = "glibc.malloc.hugetlb=1"
THP_MODE_FILE = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def return_free_memory() -> None:
    """Collect garbage, then give freed heap pages back to the system (glibc's
    ``malloc_trim``): without it the resident size of a build never falls when a large
    structure (language models, records, a store) is dropped, since freed pages stay with
    the allocator."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def glibc_version() -> tuple[int, int] | None:
    try:
        name, version = os.confstr("CS_GNU_LIBC_VERSION").split()  # "glibc 2.36"
        major, minor = version.split(".")[:2]
    except (AttributeError, OSError, ValueError):
        return None
    return (int(major), int(minor)) if name == "glibc" else None


def thp_mode() -> str | None:
    """The kernel's transparent huge page mode (``always``, ``madvise``, ``never``)."""
    try:
        text = THP_MODE_FILE.read_text(encoding="ascii")
    except OSError:
        return None
    start, end = text.find("["), text.find("]")
    return text[start + 1:end] if 0 <= start < end else None


def huge_pages_environment(environ: Mapping[str, str], glibc: tuple[int, int] | None,
                           mode: str | None) -> dict[str, str] | None:
    """The environment that makes glibc's malloc back the heap with transparent huge pages,
    or None when it cannot or need not (already set, turned off, no glibc 2.35+, the kernel
    gives none). The in-memory store is a few hundred MB to GB of pointer-linked indexes:
    huge pages spare the TLB, which is dear in a virtual machine (measured at 10,000
    commitments: a listing query 96 → 72 ms, a GROUP BY 38 → 28 ms)."""
    tunables = environ.get("GLIBC_TUNABLES", "")
    if "glibc.malloc.hugetlb" in tunables or environ.get("OGPGRAPH_HUGE_PAGES") == "0":
        return None
    if glibc is None or glibc < (2, 35) or mode not in ("madvise", "always"):
        return None
    return {**environ, "GLIBC_TUNABLES": ":".join(filter(None, [tunables, HUGE_PAGES_TUNABLE]))}


def restart_with_huge_pages() -> None:
    """Run this same command again with huge pages for the heap, if it would get them.
    glibc reads its tunables only at start-up, hence a fresh ``exec`` (same process id)."""
    if not sys.platform.startswith("linux"):
        return
    environ = huge_pages_environment(os.environ, glibc_version(), thp_mode())
    if environ is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], environ)
