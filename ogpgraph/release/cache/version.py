"""The version of everything that decides a build's output besides its sources: our code,
the ontology, vocabularies and shapes, and the libraries that read, map, check and write.

A cache written by another version is never used (the build is then a full one): any change
to a reader, the mapping, a shape or a serialiser could change what the same input yields.
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from importlib import metadata

from ogpgraph.config import ONTOLOGY_FILE, PROJECT_ROOT, SHAPES_FILE, VOCABULARIES_FILE

CACHE_SCHEMA = 1  # bump when the cache's files change meaning
# the libraries whose output ends up in a release (parsing, language detection, slugs, RDF)
# the stages a build runs (the web, store and command-line code do not shape a release)
BUILD_STAGES = ("sources", "records", "graph", "validation", "release")
LIBRARIES = ("pyoxigraph", "rdflib", "lingua-language-detector", "python-slugify",
             "selectolax", "dateparser", "babel")


@lru_cache(maxsize=1)
def code_version() -> str:
    """sha256 over the build's modules, the RDF files, the libraries' versions and
    Python's: computed once per process (a few milliseconds)."""
    digest = hashlib.sha256(f"cache schema {CACHE_SCHEMA}\n".encode())
    digest.update(f"python {sys.version_info[:3]}\n".encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{name} {version}\n".encode())
    package = PROJECT_ROOT / "ogpgraph"
    files = sorted(path for stage in BUILD_STAGES for path in (package / stage).rglob("*.py"))
    files += [package / "config.py", ONTOLOGY_FILE, VOCABULARIES_FILE, SHAPES_FILE]
    for path in files:
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
