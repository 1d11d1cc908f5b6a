"""Handing freed memory back to the system during a long build."""

from __future__ import annotations

import ctypes
import gc


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
