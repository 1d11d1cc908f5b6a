"""Publishing a release atomically: written in a staging folder, renamed into place, then
``current`` swapped to it. A failed write removes its staging folder and leaves the
previous release published; staging folders left by a killed build are removed at the
next build."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from ogpgraph.config import keep_releases_from
from ogpgraph.release.layout import STAGING_PREFIX

T = TypeVar("T")
log = logging.getLogger("ogpgraph.release")


class WriteFailed(Exception):
    """Writing the release failed; nothing was published."""


def remove_stale_staging(releases: Path) -> list[Path]:
    """Staging folders of builds that never finished (killed, power cut): removed."""
    stale = [p for p in releases.glob(f"{STAGING_PREFIX}*") if p.is_dir()]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def publish_release(out_dir: Path, built_at: datetime,
                    write: Callable[[Path], T]) -> tuple[Path, T]:
    """``write(staging)`` then publish the folder it wrote as ``current``. Any failure of
    ``write`` is a :class:`WriteFailed` naming the staging folder and the cause. The
    releases kept afterwards are the newest ``OGPGRAPH_KEEP_RELEASES`` (the current one
    always among them)."""
    try:
        keep = keep_releases_from(os.environ.get("OGPGRAPH_KEEP_RELEASES"))
    except ValueError as error:
        raise WriteFailed(str(error)) from error
    releases = out_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(releases)
    stamp = built_at.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
    staging = releases / f"{STAGING_PREFIX}{stamp}"
    before = previous_release(staging)
    try:
        written = write(staging)
        if previous_release(staging) != before:
            raise RuntimeError("another build was published while this one was written, and "
                               "this one's change history compares with the release before "
                               "it: build again")
        release = releases / stamp
        staging.rename(release)
    except Exception as error:
        shutil.rmtree(staging, ignore_errors=True)
        log.exception("writing the release failed")
        raise WriteFailed(f"{staging}: writing the release failed: "
                          f"{type(error).__name__}: {error}") from error
    except BaseException:  # interrupted: clean up, and let the interruption through
        shutil.rmtree(staging, ignore_errors=True)
        raise
    publish_current(out_dir, release)
    prune_releases(releases, keep=keep)
    return release, written


def previous_release(staging: Path) -> Path | None:
    """The release ``current`` points at while ``staging`` (``{out}/releases/.staging-…``)
    is written: the one the new release's change history compares with."""
    link = staging.parent.parent / "current"
    if not (link.is_symlink() or link.exists()):
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def publish_current(out_dir: Path, release: Path) -> None:
    """Swap ``current`` to the new release atomically (rename of a fresh symlink)."""
    link = out_dir / "current"
    temporary = out_dir / f".current-{uuid.uuid4().hex[:8]}"
    temporary.symlink_to(release.relative_to(out_dir))
    os.replace(temporary, link)


def prune_releases(releases: Path, keep: int) -> None:
    """All but the newest ``keep`` releases removed (never the current one). Each release
    carries the whole change history, so pruning loses no history, only old dumps."""
    done = sorted((p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: (p.name.split("-", 1)[0], p.stat().st_mtime_ns))
    current = (releases.parent / "current").resolve()
    for old in done[:-keep]:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)
