"""A page's IRM values: the reports it lists and the values of the latest one."""

from __future__ import annotations

import re
from typing import cast

from ogpgraph.records import vocabulary
from ogpgraph.records.model import Assessment, ReportKind, ReportRef
from ogpgraph.sources import page_labels
from ogpgraph.sources.page_scan import YEAR_RANGE, Page, clean_name, no_value


def dedouble(value: str) -> str:
    """``Did Not Change Did Not Change`` (a flattening artefact) -> ``Did Not Change``."""
    words = value.split()
    half = len(words) // 2
    if words and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return " ".join(words)




def value_lookup(scheme: str, value: str) -> str | None:
    english = page_labels.VALUE_TRANSLATIONS.get(vocabulary.normalise(value))
    return vocabulary.lookup(scheme, value) or (vocabulary.lookup(scheme, english)
                                                if english else None)


def page_concept(page: Page, name: str, scheme: str) -> str | None:
    value = dedouble(page.value(name))
    if no_value(value):
        return None
    key = value_lookup(scheme, value)
    if key is None:
        page.warnings.append(f"{page.where(page.line_of(name))}: unknown {scheme} value "
                             f"{value!r}; left out")
    return key


def _yes_no(page: Page, name: str) -> bool | None:
    value = dedouble(page.value(name))
    if no_value(value):
        return None
    norm = vocabulary.normalise(value)
    first = norm.split()[0]
    if norm in page_labels.YES or first in page_labels.YES:
        return True
    if norm in page_labels.NO or first in page_labels.NO:
        return False
    page.warnings.append(f"{page.where(page.line_of(name))}: unreadable yes/no value "
                         f"{value!r} for {name}; left out")
    return None


def ogp_values_in(text: str) -> tuple[list[str], list[str]]:
    """OGP value keys named in a text, matching known labels greedily (they may run together:
    ``Access to Information Civic Participation``); also the words left unmatched."""
    keys: list[str] = []
    unmatched: list[str] = []
    for part in text.split(","):
        words = part.split()
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                key = value_lookup("ogp-value", " ".join(words[i:j]))
                if key:
                    if key not in keys:
                        keys.append(key)
                    i = j
                    break
            else:
                unmatched.append(words[i])
                i += 1
    return keys, unmatched


def _relevance(page: Page, assessment: Assessment) -> None:
    value = dedouble(page.value("relevant"))
    if no_value(value):
        return
    norm = vocabulary.normalise(value)
    if norm in page_labels.NOT_RELEVANT or norm in page_labels.NO:
        assessment.relevant = False
        return
    if norm in page_labels.YES:
        assessment.relevant = True
        return
    keys, unmatched = ogp_values_in(value)
    if keys:
        assessment.relevant, assessment.ogp_values = True, keys
    if unmatched:
        page.warnings.append(f"{page.where(page.line_of('relevant'))}: unknown OGP value "
                             f"words {' '.join(unmatched)!r}; left out")


def _early_results(page: Page, assessment: Assessment) -> None:
    """Older pages put did-it-open-government values under "Early Results"."""
    value = dedouble(page.value("early_results"))
    if no_value(value):
        return
    diog = value_lookup("did-it-open-government", value)
    if diog:
        assessment.did_it_open_government = diog
        return
    early = value_lookup("early-results", value)
    if early:
        assessment.early_results = early
        return
    page.warnings.append(f"{page.where(page.line_of('early_results'))}: unknown early results "
                         f"value {value!r}; left out")


def _reports(page: Page, member_slug: str, cycle: int | None) -> list[ReportRef]:
    reports: list[ReportRef] = []
    for name in ("irm_report", "inception_report"):
        value = page.value(name)
        if no_value(value):
            continue
        for report_name in (clean_name(n) for n in value.split(",")):
            if not report_name or no_value(report_name):
                continue
            kind = "inception" if name == "inception_report" else _report_kind(report_name)
            if kind is None:
                page.warnings.append(f"{page.where(page.line_of(name))}: cannot tell the kind "
                                     f"of IRM report {report_name!r}; left out")
                continue
            years = re.findall(r"\b(?:19|20)\d\d\b", report_name)
            year = int(years[0]) if len(years) == 1 and not YEAR_RANGE.search(report_name) \
                else None
            reports.append(ReportRef(cast(ReportKind, kind), member_slug, cycle,
                                     name=report_name, year=year))
    return reports


def _report_kind(name: str) -> str | None:
    key = vocabulary.find_in("report-kind", name)
    if key:
        return key
    norm = vocabulary.normalise(name)
    return next((kind for pattern, kind in page_labels.REPORT_KIND_PATTERNS
                 if re.search(pattern, norm)), None)


def page_assessments(page: Page, member_slug: str | None, cycle: int | None) -> list[Assessment]:
    """The page's IRM values, on the latest listed report; the other listed reports get an
    assessment without values (so that the commitment still links to them)."""
    if member_slug is None:
        return []
    reports = _reports(page, member_slug, cycle)
    reports.sort(key=lambda r: page_labels.REPORT_PRECEDENCE.index(r.kind))
    # without a report the values are still read, to say in a warning what is left out
    values = Assessment(report=reports[0] if reports else ReportRef("design", member_slug, cycle))
    values.starred = _yes_no(page, "starred")
    values.verifiable = _yes_no(page, "verifiable")
    _early_results(page, values)
    did = page_concept(page, "did_it_open_government", "did-it-open-government")
    values.did_it_open_government = did or values.did_it_open_government
    _relevance(page, values)
    values.potential_impact = page_concept(page, "potential_impact", "potential-impact")
    values.ambition = page_concept(page, "ambition", "ambition")
    values.completion = page_concept(page, "completion", "completion")
    values.specificity = page_concept(page, "specificity", "specificity")
    values.potential_for_results = page_concept(page, "potential_for_results",
                                            "potential-for-results")
    if not reports:
        found = _set_values(values)
        if found:
            page.warnings.append(f"{page.path}: IRM values without an IRM report are left out: "
                                 + ", ".join(found))
        return []
    return [values] + [Assessment(report=r) for r in reports[1:]]


def _set_values(assessment: Assessment) -> list[str]:
    names = ("starred", "verifiable", "relevant", "did_it_open_government", "early_results",
             "potential_impact", "ambition", "completion", "specificity",
             "potential_for_results")
    found = [f"{n}={getattr(assessment, n)!r}" for n in names
             if getattr(assessment, n) is not None]
    if assessment.ogp_values:
        found.append(f"ogp_values={assessment.ogp_values!r}")
    return found

