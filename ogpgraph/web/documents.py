"""One way to serve a document that exists in several formats.

Resources (``/doc/…``), the ontology, vocabularies, shapes and validation report, and the
VoID description all go through :func:`serve_document`: content negotiation over the
formats the document declares (406 when none fits), ``Link`` headers to every variant,
``Vary`` and ``Content-Location`` when the format was negotiated, validators and 304s,
HEAD. A route supplies only what the document is (:class:`DocumentSpec`) and how to render
it in a chosen format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request, Response

from ogpgraph.graph.formats import DOCUMENT_FORMATS, HTML, TURTLE, Format
from ogpgraph.web.errors import HttpProblem
from ogpgraph.web.http_cache import finish, not_modified, validators
from ogpgraph.web.negotiation import negotiate_format, offered_media_types
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.reader_labels import reader_lang

# (the chosen format, the response headers so far) -> a body, or a whole response (HTML)
Render = Callable[[Format, dict[str, str]], "bytes | Response"]


@dataclass(frozen=True)
class DocumentSpec:
    url: Callable[[Format], str]  # the public URL of the document in one format
    formats: tuple[Format, ...] = DOCUMENT_FORMATS
    default: Format = TURTLE  # no Accept, or */*: machines ask without saying
    cache_parts: tuple[str, ...] = ()  # what else tells representations apart (a page)
    variants: bool = True  # each format also has a URL of its own (url(fmt) differs)
    by_language: bool = False  # every format holds labels in the reader's language (listings)

    def link_header(self, current: Format | None, describedby: bool = False) -> str:
        """``rel="canonical"`` for ``current``, ``rel="alternate"`` for every other variant."""
        if not self.variants:
            return ""
        links = [f'<{self.url(f)}>; rel="alternate"; type="{f.media_type}"'
                 for f in self.formats if f is not current]
        if current is not None:
            rel = "canonical describedby" if describedby else "canonical"
            links.insert(0, f'<{self.url(current)}>; rel="{rel}"; type="{current.media_type}"')
        return ", ".join(links)


def negotiated(request: Request, spec: DocumentSpec) -> Format:
    """The format the Accept header prefers among the document's; HttpProblem 406 if none."""
    fmt = negotiate_format(request.headers.get("accept"), spec.formats, spec.default)
    if fmt is None:
        raise HttpProblem(406, "this document is available as "
                               + offered_media_types(spec.formats),
                          headers={"Vary": "Accept", **(
                              {"Link": spec.link_header(None)} if spec.variants else {})})
    return fmt


def serve_document(request: Request, published: PublishedBuild, spec: DocumentSpec,
                   render: Render, fixed: Format | None = None) -> Response:
    """The document in ``fixed`` (its URL named the format) or in the negotiated format."""
    fmt = fixed or negotiated(request, spec)
    in_language = fmt is HTML or spec.by_language  # the reader's language shapes the body
    by_language = in_language and "lang" not in request.query_params
    lang = reader_lang(request) if in_language else ""
    headers = validators(published, spec.url(fmt), fmt.key, *spec.cache_parts, lang)
    if lang:
        headers["Content-Language"] = lang
    if spec.variants:
        headers["Link"] = spec.link_header(fmt)
    vary = (["Accept"] if fixed is None else []) + (["Accept-Language"] if by_language else [])
    if vary:
        headers["Vary"] = ", ".join(vary)
    if fixed is None and spec.variants:
        headers["Content-Location"] = spec.url(fmt)
    if (hit := not_modified(request, headers)) is not None:
        return hit
    body = render(fmt, headers)
    if isinstance(body, Response):
        return finish(request, body)
    return finish(request, Response(body, media_type=fmt.content_type, headers=headers))
