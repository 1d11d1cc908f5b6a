"""Browser assets installed from the npm registry (``make install``: ``npm ci`` into
``node_modules/``, at the versions ``package-lock.json`` pins), served from our own origin.

Only the files of each package's build folder are served, by flat name, through
:func:`asset`: no path of a request ever reaches the file system unchecked. Without npm the
folder is missing and the pages that use an asset fall back to what works without it
(:func:`available`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ogpgraph.config import PROJECT_ROOT

NODE_MODULES = PROJECT_ROOT / "node_modules"
# package name in our URLs -> its folder of built files (the npm package's dist)
PACKAGES: dict[str, Path] = {
    "yasgui": NODE_MODULES / "@zazuko" / "yasgui" / "build",
}
TYPES = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
         "map": "application/json"}
EDITOR_FILES = ("yasgui.min.js", "yasgui.min.css")  # what the query page loads


@dataclass(frozen=True)
class Asset:
    body: bytes
    digest: str  # sha256 of the body: the ETag, the same in every process and restart
    media_type: str


_cache: dict[tuple[Path, int, int], Asset] = {}


def asset(package: str, name: str) -> Asset | None:
    """The file ``name`` of ``package``'s build folder, or None. ``name`` must be a plain
    file name there (no separator, no dot-dot, a known type)."""
    folder = PACKAGES.get(package)
    ext = name.rsplit(".", 1)[-1]
    if folder is None or ext not in TYPES or "/" in name or "\\" in name \
            or name.startswith("."):
        return None
    path = folder / name
    try:
        if path.resolve().parent != folder.resolve() or not path.is_file():
            return None
        stat = path.stat()
    except OSError:
        return None
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _cache:
        body = path.read_bytes()
        _cache[key] = Asset(body, hashlib.sha256(body).hexdigest(), TYPES[ext])
    return _cache[key]


def available(package: str, files: tuple[str, ...]) -> bool:
    """Whether every file is installed (the query page's editor: ``EDITOR_FILES``)."""
    folder = PACKAGES.get(package)
    return folder is not None and all((folder / name).is_file() for name in files)
