"""Reading the lines of a flattened OGP commitment page: ``Label: value`` pairs and headings
in the site's interface languages (``page_labels``), matched on folded text by one generic
scanner, so layouts that glue headings to values, drop headings, or put a space before the
colon all read alike; and :class:`Page`, what the readers of a page share."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ogpgraph.records import vocabulary
from ogpgraph.records.model import Text
from ogpgraph.sources import page_labels
from ogpgraph.sources.errors import SourceError

TITLE = re.compile(r"^\s*(?P<title>\S.*?)\s*\((?P<id>[A-Z]{2,6}[0-9]{2,6})\)\s*$")
SOURCE_LINE = re.compile(r"^#\s*source:\s*(?P<url>\S+)\s*$", re.IGNORECASE)
URL_MEMBER = re.compile(r"/members/(?P<slug>[^/?#]+)/")
BULLET = re.compile(r"^\s*(?:[•◦▪●*]|-(?=\s))\s*(?P<item>.*?)\s*$")
YEAR_RANGE = re.compile(r"\b(?P<start>(?:19|20)\d\d)\s*[-–/]\s*(?P<end>(?:19|20)?\d\d)\b")
DATE_RANGE_LINE = re.compile(r"^(?P<a>[^–-]{4,40}?\d{4})\s*[-–]\s*(?P<b>[^–-]{4,40}?\d{4})\.?$")
# ---------------------------------------------------------------------------------------------
# Label and heading matching (on folded text: same positions as the original)


@dataclass(frozen=True)
class Label:
    field: str
    lang: str | None
    value: str
    line: int


def _variant_pattern(variant: str) -> str:
    return r"\s+".join(re.escape(part) for part in page_labels.fold(variant).split())


@lru_cache(maxsize=4)
def _label_regex(fields: frozenset[str]) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    rows = [row for row in page_labels.all_variants(page_labels.LABELS) if row[0] in fields]
    index: dict[str, tuple[str, str]] = {}
    for name, lang, variant in rows:
        key = label_key(variant)
        if key in index and index[key][1] != lang:
            index[key] = (name, "")  # the same word in two languages says nothing
        else:
            index.setdefault(key, (name, lang))
    alternation = "|".join(_variant_pattern(v) for _, _, v in rows)
    return re.compile(rf"(?P<label>{alternation})\s*:", re.IGNORECASE), index


def label_key(text: str) -> str:
    return " ".join(page_labels.fold(text).casefold().split())


@lru_cache(maxsize=1)
def _headings() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for name, lang, variant in page_labels.all_variants(page_labels.HEADINGS):
        index.setdefault(label_key(variant), (name, lang))
    return index


def _glued_boundary(text: str, start: int) -> bool:
    """A label or heading may start a line, follow a space, or be glued to the previous value
    in the compact layout ("Public ProcurementIRM Review": lower case, then upper case)."""
    if start == 0 or not text[start - 1].isalnum():
        return True
    return text[start].isupper() and (text[start - 1].islower() or text[start - 1].isdigit())


def scan_labels(line: str, number: int, fields: frozenset[str]) -> list[Label] | None:
    """The ``Label: value`` pairs of a line that starts with a known label, else None."""
    pattern, index = _label_regex(fields)
    folded = page_labels.fold(line)
    matches = [m for m in pattern.finditer(folded) if _glued_boundary(folded, m.start())]
    if not matches or folded[:matches[0].start()].strip():
        return None
    found = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        name, lang = index[label_key(match.group("label"))]
        found.append(Label(name, lang or None, line[match.end():end].strip(), number))
    return found


def heading_of(line: str) -> tuple[str, str] | None:
    """(section, language) when the whole line is a heading."""
    return _headings().get(label_key(line))


@lru_cache(maxsize=1)
def _headings_longest_first() -> list[tuple[str, tuple[str, str]]]:
    return sorted(_headings().items(), key=lambda item: -len(item[0]))


def split_glued_heading(line: str) -> tuple[str, tuple[str, str] | None]:
    """``Public ProcurementIRM Review`` -> (``Public Procurement``, irm_review heading)."""
    folded = page_labels.fold(line.rstrip())
    for key, heading in _headings_longest_first():
        cut = len(folded) - len(key)
        if cut > 0 and label_key(folded[cut:]) == key and _glued_boundary(folded, cut) \
                and folded[cut - 1].isalnum() and folded[cut].isupper():
            return line[:cut].rstrip(), heading
    return line, None


def is_summary_heading(line: str) -> bool:
    folded = page_labels.fold(line.strip())
    if len(folded) > page_labels.SUMMARY_HEADING_MAX:
        return False
    return any(re.fullmatch(p, folded, re.IGNORECASE)
               for p in page_labels.SUMMARY_HEADING_PATTERNS)


@lru_cache(maxsize=1)
def summary_sections() -> frozenset[str]:
    return frozenset(label_key(h) for h in page_labels.SUMMARY_SECTION_HEADINGS)



@dataclass
class Page:
    path: str
    lines: list[str]
    warnings: list[str] = field(default_factory=list)
    # bad fields, collected so that the page reports all of them (``read_page_text`` raises)
    errors: list[SourceError] = field(default_factory=list)
    new_concepts: dict[tuple[str, str], Text] = field(default_factory=dict)
    glance: dict[str, Label] = field(default_factory=dict)
    bullets: dict[str, list[str]] = field(default_factory=dict)
    langs: Counter[str] = field(default_factory=Counter)

    def where(self, line: int | None) -> str:
        return f"{self.path}:{line}" if line is not None else self.path

    def value(self, name: str) -> str:
        label = self.glance.get(name)
        return label.value if label else ""

    def line_of(self, name: str) -> int | None:
        label = self.glance.get(name)
        return label.line if label else None



def clean_name(text: str) -> str:
    return " ".join(text.split()).strip().rstrip(".").strip()


def no_value(value: str) -> bool:
    return vocabulary.is_not_assessed(value) or vocabulary.normalise(value) in page_labels.NO_VALUE
