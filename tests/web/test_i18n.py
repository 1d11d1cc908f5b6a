"""The pages' words in Spanish and French: message catalogs that hold every message the
templates and the web code have (as ``make messages`` extracts them), translated, with the
same placeholders; the messages other code hands the templates; the filters that write
dates, numbers and sentences as a reader reads them; the labels of every term a page shows."""

from __future__ import annotations

import re
from datetime import date, datetime
from http import HTTPStatus
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from rdflib import RDF, URIRef

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT
from ogpgraph.graph.labels import LANGUAGES
from ogpgraph.graph.uris import SCHEMES
from ogpgraph.release.history.model import CHANGE_KINDS
from ogpgraph.release.layout import DUMPS
from ogpgraph.web import i18n, i18n_messages
from ogpgraph.web.history_views import KIND_WORDS
from ogpgraph.web.pages.registry import PAGE_KINDS
from ogpgraph.web.reader_labels import fetch_labels, ontology_labels
from ogpgraph.web.reader_values import human_day, human_number
from ogpgraph.web.templating import sentence

TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted() -> set[str | tuple[str, ...]]:
    """The messages of the templates and of ogpgraph/web, as `make messages` finds them."""
    with (i18n.LOCALE_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}

    def in_package(path: str) -> bool:  # the walk stays out of .venv and node_modules
        return Path(path).resolve().relative_to(PROJECT_ROOT).parts[:1] == ("ogpgraph",)

    return {message for _, _, message, _, _ in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=keywords,
        directory_filter=in_package)}


@pytest.fixture(scope="module")
def sources() -> set[str | tuple[str, ...]]:
    return extracted()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_catalog_translates_every_message(sources, lang: str) -> None:
    with i18n.catalog_path(lang).open("rb") as stream:
        catalog = read_po(stream, locale=lang)
    entries = {m.id: m for m in catalog if m.id}
    assert set(entries) == sources, {"missing": sources - set(entries),
                                     "obsolete": set(entries) - sources}
    for message_id, message in entries.items():
        assert "fuzzy" not in message.flags, message_id
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{lang}: untranslated {message_id!r}"
        wanted = {name for text in ids for name in PLACEHOLDER.findall(text)}
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted, (lang, message_id, text)
            assert set(PLACEHOLDER.findall(text)) >= {n for n in wanted if n != "num"}, \
                (lang, message_id, text)
        assert not list(message.check(catalog)), (lang, message_id)


def test_the_template_catalog_is_up_to_date(sources) -> None:
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as stream:
        template = read_po(stream)
    assert {m.id for m in template if m.id} == sources


def test_messages_written_elsewhere_are_listed_and_translated() -> None:
    """What other code hands the templates to translate: the dumps' descriptions, HTTP's
    reason phrases, kinds of change and of resource, SHACL severities."""
    written_elsewhere = {
        *(d.description for d in DUMPS),
        *(HTTPStatus(code).phrase for code in (400, 404, 405, 406, 413, 429, 500, 503)),
        *KIND_WORDS.values(), *CHANGE_KINDS,
        *(kind.replace("-", " ") for kind in PAGE_KINDS), *(s.replace("-", " ") for s in SCHEMES),
        "Violation", "Warning", "Info",
    }
    listed = {m for group in (i18n_messages.ROUTER_MESSAGES, i18n_messages.DUMP_DESCRIPTIONS,
                              i18n_messages.HTTP_PHRASES, i18n_messages.CHANGE_WORDS,
                              i18n_messages.RESOURCE_KINDS, i18n_messages.SEVERITIES)
              for m in group}
    assert written_elsewhere <= listed, written_elsewhere - listed
    for lang in TRANSLATED:
        with i18n.catalog_path(lang).open("rb") as stream:
            catalog = read_po(stream, locale=lang)
        untranslated = {m for m in listed if m not in catalog or not catalog[m].string}
        assert not untranslated, (lang, untranslated)


@pytest.mark.parametrize(("lang", "message", "expected"), [
    ("es", "Commitments", "Compromisos"),
    ("fr", "Commitments", "Engagements"),
    ("en", "Commitments", "Commitments"),
    ("de", "Commitments", "Commitments"),  # a language we have no catalog for: English
])
def test_gettext_by_language(lang: str, message: str, expected: str) -> None:
    assert i18n.gettext(lang, message) == expected


def test_plural_forms() -> None:
    one = "%(num)s commitment"
    many = "%(num)s commitments"
    assert i18n.ngettext("es", one, many, 1) % {"num": 1} == "1 compromiso"
    assert i18n.ngettext("es", one, many, 3) % {"num": 3} == "3 compromisos"
    assert i18n.ngettext("fr", one, many, 0) % {"num": 0} == "0 engagement"  # French: 0 is one
    assert i18n.ngettext("fr", one, many, 2) % {"num": 2} == "2 engagements"


@pytest.mark.parametrize(("text", "expected"), [
    ("start date", "Start date"),
    ("¿se abrió el gobierno?", "¿Se abrió el gobierno?"),
    ("«citation»", "«Citation»"),
    ("2015", "2015"),
    ("", ""),
])
def test_sentence_capitalises_the_first_letter(text: str, expected: str) -> None:
    assert sentence(text) == expected


@pytest.mark.parametrize(("value", "lang", "width", "expected"), [
    (date(2024, 5, 1), "en", "long", "May 1, 2024"),
    (date(2024, 5, 1), "es", "long", "1 de mayo de 2024"),
    (date(2024, 5, 1), "fr", "long", "1 mai 2024"),
    ("2024-05-01T12:00:00+00:00", "es", "long", "1 de mayo de 2024"),
    (datetime.fromisoformat("2024-05-01T12:30:00+00:00"), "fr", "time",
     "1 mai 2024, 12:30:00 UTC"),
    (datetime.fromisoformat("2024-05-01T14:30:00+02:00"), "en", "time",
     "May 1, 2024, 12:30:00\u202fPM UTC"),
    ("2024-05-01", "fr", "short", "01/05/2024"),
    ("not a date", "en", "long", "not a date"),
])
def test_days_in_words(value, lang: str, width: str, expected: str) -> None:
    assert human_day(value, lang, width) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (59553, "en", "59,553"), (59553, "es", "59.553"), (59553, "fr", "59\u202f553"),
    (7, "fr", "7"), (None, "en", ""), ("12", "en", "12"), (True, "en", "True"),
])
def test_numbers_with_the_readers_separators(value, lang: str, expected: str) -> None:
    assert human_number(value, lang) == expected


def test_every_term_a_page_shows_has_a_label_in_each_language(fixture_build) -> None:
    """Every property and class of the fixture build (what the pages name) has a label in
    Spanish and French, from the ontology (ours) or the reused vocabularies' table."""
    from ogpgraph.web.published import load_published

    published = load_published(fixture_build, DEFAULT_BASE_URI)
    ours = f"FILTER(STRSTARTS(STR(?s), '{DEFAULT_BASE_URI}id/'))"
    rows = published.store.select(
        f"SELECT DISTINCT ?t WHERE {{ {{ ?s ?t ?o {ours} }} UNION {{ ?s a ?t {ours} }} }}")
    terms = {row["t"] for row in rows if isinstance(row["t"], URIRef)} - {RDF.type}
    for lang in TRANSLATED:
        labels = fetch_labels(published.store, terms, lang)
        labels.update(ontology_labels(DEFAULT_BASE_URI, terms - labels.keys(), lang))
        unlabelled = sorted(str(t) for t in terms if t not in labels)
        assert not unlabelled, (lang, unlabelled)
        wrong = sorted(str(t) for t in terms if labels[t].language not in (lang, None))
        assert not wrong, (lang, wrong)
