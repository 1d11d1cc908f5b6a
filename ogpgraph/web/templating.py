"""The Jinja2 environment every HTML page is rendered with, and ``render()``.

Autoescape is on for everything. Context every template gets from :func:`render`:
``base`` (the public base URI, ends with ``/``), ``lang`` (the reader's language),
``alternates`` (list of ``{"href", "type", "label"}``), ``canonical`` (URL or None),
``build_date`` (``YYYY-MM-DD`` of the published build or None), ``license_url``,
``request``, ``labels`` (IRI -> label literal/str; used by the ``label`` filter).

Filters (those marked * read ``base``/``labels``/``lang`` from the template context):
    iri | label *     its label in the reader's language, or a readable IRI tail
    iri | href *      where to link it: our ``{base}id/...`` IRIs go straight to their
                      HTML document ``{base}doc/....html``; other IRIs as they are
    term | term *     any rdflib term as HTML, as a reader reads it: a linked label, a
                      literal with its language tag, dates in words and booleans as yes/no
                      in the reader's language (reader_values), no datatype
    term | term_typed *  the same with the datatype's badge (``xsd:gYearMonth``): for the
                      "all properties" table
    text | sentence   its first letter in upper case (labels are lower case)
    lit | lang_tag    ``<span class="lang">es</span>`` (empty when untagged)
    iri | curie *     ``ogp:Commitment``, ``dcterms:title``; the IRI when no prefix fits
    obj | json_script  JSON safe to embed in ``<script>`` (``<``, ``>``, ``&`` escaped)
    n | number *      a number as the reader writes it (``59,553``, ``59.553``, ``59 553``)
    d | day *         a date, datetime or ISO string as a date in words ("2 de mayo de 2024");
                      ``d | day("short")`` for ``2/5/24``, ``d | day("time")`` with the time

The pages' own words are gettext messages in the reader's language (:mod:`ogpgraph.web.i18n`:
``_("…")``, ``{% trans %}``). Every page says its language (``Content-Language``) and, unless
``?lang=`` fixed it, that it varies with ``Accept-Language``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ogpgraph.graph.terms import prefixes_for
from ogpgraph.web import i18n
from ogpgraph.web.http_cache import finish, not_modified, validators
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.reader_labels import DEFAULT_LANG, fallback_label, reader_lang
from ogpgraph.web.reader_values import human_day, human_number, human_value

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

env = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    # templates ship with the package: no stat of each one (and its includes) per render
    auto_reload=False,
)
i18n.install(env)


def doc_href(iri: str, base: str, extension: str = "html") -> str:
    """``{base}id/commitment/PE0055`` -> ``{base}doc/commitment/PE0055.html``."""
    id_root = f"{base}id/"
    if iri.startswith(id_root) and "#" not in iri and "?" not in iri:
        return f"{base}doc/{iri[len(id_root):]}.{extension}"
    return iri


@pass_context
def _label(ctx: Context, term: Any) -> str:
    if isinstance(term, Literal):
        return str(term)
    labels = ctx.get("labels") or {}
    found = labels.get(term)
    if found is None and isinstance(term, str) and not isinstance(term, URIRef):
        found = labels.get(URIRef(term))  # an IRI the template spelt as a string
    return str(found) if found is not None else fallback_label(str(term))


@pass_context
def _href(ctx: Context, iri: Any) -> str:
    return doc_href(str(iri), ctx.get("base") or "")


# The markup below is written with escape() and f-strings rather than Markup.format: the
# same text (format escapes each value as escape() does), without string.Formatter's
# per-field machinery, which was a third of a resource page's template time.
NO_MARKUP = Markup("")


def lang_tag(term: Any) -> Markup:
    if isinstance(term, Literal) and term.language:
        return Markup(f'<span class="lang" title="language">{escape(term.language)}</span>')
    return NO_MARKUP


@pass_context
def _curie(ctx: Context, iri: Any) -> str:
    text = str(iri)
    best = ""
    best_prefix = ""
    for prefix, namespace in prefixes_for(ctx.get("base") or "").items():
        if text.startswith(namespace) and len(namespace) > len(best):
            best, best_prefix = namespace, prefix
    return f"{best_prefix}:{text[len(best):]}" if best else text


def _show(ctx: Context, term: Any, typed: bool) -> Markup:
    if isinstance(term, URIRef):
        found = (ctx.get("labels") or {}).get(term)
        text = str(found) if found is not None else fallback_label(str(term))
        tag = lang_tag(found) if isinstance(found, Literal) and found.language not in (
            None, ctx.get("lang")) else NO_MARKUP
        return Markup(f'<a href="{escape(_href(ctx, term))}">{escape(text)}</a>{tag}')
    if isinstance(term, Literal):
        if term.language:
            return Markup(f'<span lang="{escape(term.language)}">{escape(str(term))}</span> '
                          f'{lang_tag(term)}')
        if term.datatype and term.datatype != XSD.string:
            text, machine = human_value(term, ctx.get("lang") or DEFAULT_LANG)
            shown = (Markup(f'<time datetime="{escape(machine)}">{escape(text)}</time>')
                     if machine else escape(text))
            if not typed:
                return shown
            return Markup(f'{shown} <span class="datatype" title="{escape(str(term.datatype))}">'
                          f'{escape(_curie(ctx, term.datatype))}</span>')
        return escape(str(term))
    return escape(str(term))  # a blank node: show its label, which has no page


@pass_context
def _term(ctx: Context, term: Any) -> Markup:
    return _show(ctx, term, typed=False)


@pass_context
def _term_typed(ctx: Context, term: Any) -> Markup:
    return _show(ctx, term, typed=True)


def sentence(text: Any) -> str:
    """Its first letter in upper case, after any opening punctuation ("¿se abrió…?")."""
    value = str(text)
    for position, char in enumerate(value):
        if char.isalpha():
            return value[:position] + char.upper() + value[position + 1:]
    return value


@pass_context
def _number(ctx: Context, value: Any) -> str:
    return human_number(value, ctx.get("lang") or DEFAULT_LANG)


@pass_context
def _day(ctx: Context, value: Any, width: str = "long") -> str:
    return human_day(value, ctx.get("lang") or DEFAULT_LANG, width)


def json_script(value: Any) -> Markup:
    """JSON that cannot close the script element it sits in (``</script>``, ``<!--``)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)


env.filters.update(label=_label, href=_href, term=_term, term_typed=_term_typed,
                   lang_tag=lang_tag, curie=_curie, json_script=json_script, sentence=sentence,
                   number=_number, day=_day)


def public_base(request: Request) -> str:
    return request.app.state.settings.base_uri


def build_date(request: Request) -> str | None:
    published = getattr(request.app.state, "published", None)
    if published is None or not getattr(published, "manifest", None):
        return None
    return published.built_at.date().isoformat()


def render(request: Request, template: str, *, status_code: int = 200,
           headers: dict[str, str] | None = None, **ctx: Any) -> HTMLResponse:
    """Render ``template`` with the shared context (see module docstring) plus ``ctx``."""
    context: dict[str, Any] = {
        "request": request,
        "base": public_base(request),
        "lang": reader_lang(request),
        "alternates": [],
        "canonical": None,
        "build_date": build_date(request),
        "license_url": LICENSE_URL,
        "labels": {},
    }
    context.update(ctx)
    body = env.get_template(template).render(context)
    return HTMLResponse(body, status_code=status_code,
                        headers=language_headers(request, context["lang"], headers))


def language_headers(request: Request, lang: str, headers: dict[str, str] | None
                     ) -> dict[str, str]:
    """``headers`` plus ``Content-Language`` and, unless ``?lang=`` chose the language,
    ``Accept-Language`` in ``Vary`` (caches keep one copy per language)."""
    found = dict(headers or {})
    found["Content-Language"] = lang
    if "lang" not in request.query_params:
        vary = [v.strip() for v in found.get("Vary", "").split(",") if v.strip()]
        if "accept-language" not in {v.lower() for v in vary}:
            found["Vary"] = ", ".join([*vary, "Accept-Language"])
    return found


def page_response(request: Request, published: PublishedBuild, template: str, *,
                  vary: str = "Accept-Language", status_code: int = 200, **ctx: Any) -> Response:
    """A page that exists only as HTML (home, listings, downloads), with validators (per
    build, URL and reader language), 304s and HEAD."""
    headers = validators(published, str(request.url), "text/html", reader_lang(request))
    headers["Vary"] = vary
    if (hit := not_modified(request, headers)) is not None:
        return hit
    return finish(request, render(request, template, status_code=status_code,
                                  headers=headers, **ctx))
