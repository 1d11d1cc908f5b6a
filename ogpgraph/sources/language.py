"""Content-language detection for prose, with lingua; None when it cannot tell reliably.

Two detectors over the same candidate languages, each built on first use:

* texts of :data:`TRIGRAM_CHARS` characters or more go to lingua's low-accuracy mode, which
  reads trigrams only. Its high-accuracy mode reads trigrams only at that length too, so
  the answers are the same (checked on every source we have: 585 of 585), but it loads
  about a tenth of the models (~1 s instead of ~10 s, 100 MB instead of 0.9 GB);
* shorter texts whose source declares a language (``hint``) in the same script take the
  declared language: on every short text of our sources with a declared language (122)
  the full detector agreed with it, and where it is unsure lingua's guesses on two to ten
  words are poor ("Portal Electronic Procurement System State": Romanian, low-accuracy);
* other short texts (no declared language, or another script) go to the full
  high-accuracy detector, loaded the first time one comes.

``bench/language_fidelity.py`` checks that every detection and every parsed graph of the
real sources is unchanged.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from ogpgraph.release.memory import return_free_memory

# Languages OGP members publish in; a closed set keeps lingua fast and its guesses sane.
CANDIDATES = (
    "ENGLISH", "SPANISH", "FRENCH", "PORTUGUESE", "ITALIAN", "GERMAN", "DUTCH", "ARABIC",
    "UKRAINIAN", "RUSSIAN", "GEORGIAN", "ARMENIAN", "INDONESIAN", "KOREAN", "MONGOLIAN",
    "CROATIAN", "SERBIAN", "ALBANIAN", "MACEDONIAN", "ROMANIAN", "GREEK", "ESTONIAN",
    "LATVIAN", "LITHUANIAN", "FINNISH", "SWEDISH", "DANISH", "CZECH", "SLOVAK", "SLOVENE",
    "BOSNIAN", "TAGALOG", "AZERBAIJANI", "TURKISH", "BULGARIAN", "NYNORSK", "BOKMAL",
)
# Candidates not written in the Latin alphabet (lingua's Serbian is Cyrillic).
NON_LATIN = frozenset({"ar", "uk", "ru", "ka", "hy", "ko", "mn", "sr", "mk", "el", "bg"})
MIN_CHARS = 12  # below this, detection is a guess
# lingua's cost grows with the text; on OGP's export 250 characters decide exactly as
# 600 do (547 descriptions, 100 % agreement) at a quarter of the time.
MAX_CHARS = 250
TRIGRAM_CHARS = 120  # from this length lingua's high-accuracy mode reads trigrams only
RELATIVE_DISTANCE = 0.2


_detectors: dict[str, LanguageDetector] = {}  # "trigram" / "full", built on first use


def _detector(kind: str, preload: bool = False) -> LanguageDetector:
    """The detector of ``kind``; lazily loading its models unless ``preload``. lingua keeps
    the models in a process-wide cache, so a rebuilt detector reuses what is loaded."""
    found = _detectors.get(kind)
    if found is None or preload:
        languages = [getattr(Language, name) for name in CANDIDATES if hasattr(Language, name)]
        builder = (LanguageDetectorBuilder.from_languages(*languages)
                   .with_minimum_relative_distance(RELATIVE_DISTANCE))
        if kind == "trigram":
            builder = builder.with_low_accuracy_mode()
        if preload:
            builder = builder.with_preloaded_language_models()
        found = _detectors[kind] = builder.build()
    return found


def warm_up(full: bool = False) -> None:
    """Load the models now, before forking workers, so that they share them instead of each
    loading them again (~10 s a worker for the full models). ``full``: also the models
    that short texts without a declared language need (a CSV export has some)."""
    _detector("trigram", preload=True)
    if full:
        _detector("full", preload=True)


def release() -> None:
    """Drop the models and the memo (a later detection loads them again).

    lingua keeps models in a process-wide cache that outlives the detectors, so they are
    unloaded explicitly; the freed pages then go back to the system."""
    for detector in _detectors.values():
        detector.unload_language_models()
    _detectors.clear()
    _detect.cache_clear()
    return_free_memory()


def detect_language(text: str | None, hint: str | None = None) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short or too uncertain.

    ``hint`` (the language a source declares) is returned for short texts in its script,
    and when the detector cannot tell.
    """
    if not text or len(text.strip()) < MIN_CHARS:
        return hint
    sample = text[:MAX_CHARS]
    if len(sample) < TRIGRAM_CHARS and hint is not None and _same_script(sample, hint):
        return hint
    detected = _detect(sample)
    return detected if detected is not None else hint


def _same_script(text: str, lang: str) -> bool:
    """Whether ``text``'s letters are all in the alphabet of ``lang``, as far as telling
    Latin from the others goes (enough for the hints OGP's sources give)."""
    latin = all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())
    return latin == (lang not in NON_LATIN)


@lru_cache(maxsize=65_536)
def _detect(sample: str) -> str | None:
    kind = "trigram" if len(sample) >= TRIGRAM_CHARS else "full"
    language = _detector(kind).detect_language_of(sample)
    if language is None:
        return None
    code: IsoCode639_1 = language.iso_code_639_1
    return code.name.lower()
