"""The pages' own words (headings, navigation, buttons, explanations) in the reader's language.

The words are gettext messages: ``_("Commitments")`` and ``{% trans %}…{% endtrans %}`` in
the templates (Jinja2's ``jinja2.ext.i18n``, new-style: every message is a format string
with named placeholders), ``N_("…")`` in Python for a message a template translates later
(a heading passed to it). English is the messages themselves; the other languages have a
catalog each, ``locale/{lang}/LC_MESSAGES/messages.po`` — sources, compiled here in memory
by Babel the first time a page needs them (no compiled ``.mo`` is kept in the repository).
``make messages`` extracts the messages of the templates and of ``ogpgraph/web`` into
``locale/messages.pot`` and updates each catalog from it (``locale/babel.cfg``).

The language is the one the labels use (:func:`ogpgraph.web.reader_labels.reader_lang`:
``?lang=``, else ``Accept-Language``, else English); templates see it as ``lang``.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from ogpgraph.graph.labels import DEFAULT_LANG, LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "translate later"
    """Marks a message for extraction; a template translates it when it shows it."""
    return message


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of ``lang`` (English and unknown languages: the messages as
    written). Fuzzy entries are left out, as ``msgfmt`` does: an unchecked translation shows
    the English message."""
    path = catalog_path(lang)
    if lang == DEFAULT_LANG or lang not in LANGUAGES or not path.is_file():
        return NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    return translations(lang).ngettext(singular, plural, n)


@pass_context
def _context_gettext(ctx: Context, message: str) -> str:
    return gettext(ctx.get("lang") or DEFAULT_LANG, message)


@pass_context
def _context_ngettext(ctx: Context, singular: str, plural: str, n: int) -> str:
    return ngettext(ctx.get("lang") or DEFAULT_LANG, singular, plural, n)


def install(env: Environment) -> None:
    """Jinja2's i18n extension on ``env``, translating into each template's ``lang``.

    The extension calls these through the template context (``Context.call`` passes it to
    ``pass_context`` functions), so one environment serves every language. Whitespace in
    ``{% trans %}`` blocks is collapsed (``trimmed``), as ``locale/babel.cfg`` extracts them.
    """
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _context_gettext, _context_ngettext, newstyle=True)
