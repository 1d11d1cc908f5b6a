"""Which lingua models a detection needs: the trigram ones for long texts, none for a short
text in its source's declared language and alphabet, the full ones otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ogpgraph.sources import language

LONG_ENGLISH = (
    "The government will publish the budget of every ministry as open data, every quarter, "
    "with the documents that explain it, and will ask citizens to comment on it online.")


@pytest.fixture(autouse=True)
def fresh_detectors() -> Iterator[None]:
    language.release()
    yield
    language.release()


def test_a_long_text_is_read_with_the_trigram_models_only() -> None:
    assert len(LONG_ENGLISH) >= language.TRIGRAM_CHARS
    assert language.detect_language(LONG_ENGLISH) == "en"
    assert set(language._detectors) == {"trigram"}  # the full models were never loaded


def test_a_short_text_in_its_declared_language_and_alphabet_loads_no_model() -> None:
    # low-accuracy lingua calls this Romanian; the page declares English, rightly
    assert language.detect_language("Portal Electronic Procurement System State",
                                    hint="en") == "en"
    assert language._detectors == {}


def test_a_short_text_in_another_alphabet_than_declared_is_detected() -> None:
    title = "Відкритий уряд та прозорість державних закупівель"
    assert language.detect_language(title, hint="en") == "uk"
    assert "full" in language._detectors


def test_too_short_a_text_takes_the_hint() -> None:
    assert language.detect_language("Open data", hint="fr") == "fr"
    assert language.detect_language("", hint=None) is None
