"""Downloads: the dump list, the dump files themselves, and the VoID/DCAT description.

``/dumps/{file}`` serves only files the manifest lists (so no path can leave the dumps
folder), with Starlette's FileResponse: Content-Length, Last-Modified, ``Accept-Ranges:
bytes`` and 206 answers to Range requests. The ETag is the file's SHA-256 from the
manifest. A ``.gz`` dump is a gzip *file* (``Content-Type: application/gzip``, no
Content-Encoding), so clients save exactly the bytes whose checksum we publish.
An uncompressed dump is sent gzip-encoded (``Content-Encoding: gzip``) only when the build
put a pre-compressed ``{file}.gz`` sibling beside it that is not itself a listed dump, the
client accepts gzip and asked for no byte range.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from ogpgraph.graph.formats import DOCUMENT_FORMATS, Format, serialize_graph
from ogpgraph.graph.terms import SPDX, prefixes_for
from ogpgraph.release.layout import BuildLayout
from ogpgraph.web.dataset_description import describe
from ogpgraph.web.documents import DocumentSpec, serve_document
from ogpgraph.web.errors import HttpProblem
from ogpgraph.web.http_cache import cache_headers, not_modified, validators
from ogpgraph.web.published import Published, PublishedBuild
from ogpgraph.web.templating import page_response

router = APIRouter()

GZIP = "application/gzip"


def dump_entries(published: PublishedBuild) -> list[dict[str, Any]]:
    return list(published.manifest.get("dumps", []))


def _entry(published: PublishedBuild, name: str) -> dict[str, Any] | None:
    return next((d for d in dump_entries(published) if d.get("file") == name), None)


def dump_path(published: PublishedBuild, name: str) -> Path | None:
    """The file of a listed dump, or None: unlisted names, and anything resolving outside
    the dumps folder, never reach the file system."""
    return listed_file(published.dumps_dir, published.manifest, name)


def listed_file(folder: Path | None, manifest: dict[str, Any], name: str) -> Path | None:
    """``folder/name`` if the manifest lists a dump of that name and it is a file there."""
    listed = any(d.get("file") == name for d in manifest.get("dumps", []))
    if folder is None or not listed:
        return None
    path = (folder / name).resolve()
    if path.parent != folder.resolve() or not path.is_file():
        return None
    return path


def content_type(entry: dict[str, Any]) -> str:
    if entry["file"].endswith(".gz"):
        return GZIP
    media = entry.get("media_type") or "application/octet-stream"
    textual = media.startswith("text/") or media in (
        "application/ld+json", "application/trig", "application/n-triples",
        "application/n-quads")
    return f"{media}; charset=utf-8" if textual else media


def _accepts_gzip(request: Request) -> bool:
    """Accept-Encoding lists gzip (or ``*``) with a non-zero q-value."""
    for item in request.headers.get("accept-encoding", "").split(","):
        coding, _, params = item.partition(";")
        if coding.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        name, _, value = params.strip().partition("=")
        try:
            q = float(value) if name.strip().lower() == "q" else 1.0
        except ValueError:
            q = 0.0
        return q > 0
    return False


@router.api_route("/downloads", methods=["GET", "HEAD"], include_in_schema=False)
def downloads(request: Request, published: Published) -> Response:
    base = published.base
    dumps = dump_entries(published)
    catalog = {
        "@context": "https://schema.org/", "@type": "Dataset",
        "@id": str(published.uris.dataset), "name": "Open Government Partnership commitments",
        "url": base, "license": "https://creativecommons.org/licenses/by/4.0/",
        "distribution": [
            {"@type": "DataDownload", "contentUrl": f"{base}dumps/{d['file']}",
             "encodingFormat": d.get("media_type"), "contentSize": d.get("bytes"),
             "sha256": d.get("sha256"), "name": d["file"]} for d in dumps],
    }
    return page_response(
        request, published, "downloads.html", dumps=dumps, manifest=published.manifest,
        served_types={d["file"]: content_type(d).split(";")[0] for d in dumps},
        jsonld=catalog,
        alternates=[{"href": f"{base}.well-known/void", "type": "text/turtle",
                     "label": "VoID description (Turtle)"}])


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def dump_file(name: str, request: Request, published: Published) -> Response:
    path = dump_path(published, name)
    entry = _entry(published, name)
    if path is None or entry is None:
        raise HttpProblem(404, f"no dump named {name!r}; see /downloads")
    etag = f'"{entry["sha256"]}"' if entry.get("sha256") else None
    headers = cache_headers(etag or validators(published, name)["ETag"],
                            published.last_modified)
    sibling = path.with_name(path.name + ".gz")
    compressible = (not name.endswith(".gz") and sibling.is_file()
                    and _entry(published, sibling.name) is None)
    if compressible:
        headers["Vary"] = "Accept-Encoding"
    if (hit := not_modified(request, headers)) is not None:
        return hit
    if compressible and _accepts_gzip(request) and "range" not in request.headers:
        # a different representation (encoded bytes): its own ETag
        headers["ETag"] = headers["ETag"][:-1] + '-gzip"'
        headers["Content-Encoding"] = "gzip"
        return FileResponse(sibling, media_type=content_type(entry), headers=headers,
                            filename=name)
    return FileResponse(path, media_type=content_type(entry), headers=headers, filename=name)


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], include_in_schema=False)
def void_description(request: Request, published: Published) -> Response:
    """Turtle by default (no Accept, ``*/*``); JSON-LD, N-Triples, RDF/XML on request."""
    spec = DocumentSpec(url=lambda fmt: f"{published.base}.well-known/void",
                        formats=tuple(f for f in DOCUMENT_FORMATS if f.is_rdf), variants=False)

    def body(fmt: Format, headers: dict[str, str]) -> bytes:
        return published.memo(f"void.{fmt.extension}", lambda: serialize_graph(
            describe(published), fmt, {**prefixes_for(published.base), "spdx": str(SPDX)}))

    return serve_document(request, published, spec, body)


# --- the dumps of every release kept (OGPGRAPH_KEEP_RELEASES) ---------------------------------

def kept_releases(published: PublishedBuild) -> dict[str, BuildLayout]:
    """The releases still on disk beside the published one, by their history id."""
    if published.layout is None:
        return {}
    found = {}
    for folder in sorted(published.layout.root.parent.iterdir()):
        layout = BuildLayout(folder)
        if folder.name.startswith(".") or not layout.exists():
            continue
        try:
            release_id = layout.manifest().get("release_id")
        except (OSError, ValueError):
            continue
        if release_id:
            found[release_id] = layout
    return found


def kept_release_ids(published: PublishedBuild) -> set[str]:
    return set(kept_releases(published))


@router.api_route("/releases/{release_id}/dumps/{name}", methods=["GET", "HEAD"],
                  include_in_schema=False)
def release_dump(release_id: str, name: str, request: Request,
                 published: Published) -> Response:
    """A dump of a kept release, at a URL that stays the same while it is kept: only the
    files its manifest lists, in its own dumps folder; never modified (a year's cache)."""
    layout = kept_releases(published).get(release_id)
    if layout is None:
        raise HttpProblem(404, f"release {release_id!r} is not kept (or never was); the "
                               f"releases kept are listed at /changes")
    manifest = layout.manifest()
    path = listed_file(layout.dumps_dir, manifest, name)
    entry = next((d for d in manifest.get("dumps", []) if d.get("file") == name), None)
    if path is None or entry is None:
        raise HttpProblem(404, f"release {release_id} has no dump named {name!r}")
    built_at = datetime.fromisoformat(manifest["built_at"]).astimezone(UTC)
    headers = cache_headers(f'"{entry["sha256"]}"', format_datetime(built_at, usegmt=True),
                            "public, max-age=31536000, immutable")
    if (hit := not_modified(request, headers)) is not None:
        return hit
    return FileResponse(path, media_type=content_type(entry), headers=headers, filename=name)
