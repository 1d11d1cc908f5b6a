"""Content-language detection for prose, with lingua; None when it cannot tell reliably."""

from __future__ import annotations

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
MIN_CHARS = 12  # below this, detection is a guess
# lingua's cost grows with the text; on OGP's export 250 characters decide exactly as
# 600 do (547 descriptions, 100 % agreement) at a quarter of the time.
MAX_CHARS = 250


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    languages = [getattr(Language, name) for name in CANDIDATES if hasattr(Language, name)]
    # Preloaded, so that worker processes forked by the build share the models instead of
    # each loading them again (lazy loading costs every worker ~10 s).
    return (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_minimum_relative_distance(0.2)
        .with_preloaded_language_models()
        .build()
    )


def warm_up() -> None:
    """Load the models now (before forking workers)."""
    _detector()


def release() -> None:
    """Drop the models and the memo (a later detection loads them again).

    lingua keeps preloaded models in a process-wide cache that outlives the detector, so
    they are unloaded explicitly; the freed pages then go back to the system."""
    if _detector.cache_info().currsize:
        _detector().unload_language_models()
    _detect.cache_clear()
    _detector.cache_clear()
    return_free_memory()


def detect_language(text: str | None, hint: str | None = None) -> str | None:
    """ISO 639-1 code of the text's language, or None when too short or too uncertain.

    ``hint`` (e.g. the language a source declares) is returned for short texts.
    """
    if not text or len(text.strip()) < MIN_CHARS:
        return hint
    detected = _detect(text[:MAX_CHARS])
    return detected if detected is not None else hint


@lru_cache(maxsize=65_536)
def _detect(sample: str) -> str | None:
    language = _detector().detect_language_of(sample)
    if language is None:
        return None
    code: IsoCode639_1 = language.iso_code_639_1
    return code.name.lower()
