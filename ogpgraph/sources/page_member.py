"""A page's member and action plan: from the country line, the action plan's name or the
source URL."""

from __future__ import annotations

import re

from ogpgraph.records import vocabulary
from ogpgraph.records.model import ActionPlanRef, MemberRef
from ogpgraph.records.slugs import slug
from ogpgraph.sources import page_labels
from ogpgraph.sources.errors import SourceError
from ogpgraph.sources.page_scan import URL_MEMBER, YEAR_RANGE, Page


def _member_from_plan_name(name: str) -> tuple[str | None, bool]:
    """(member name, translated?) from an action plan's name."""
    text = re.sub(r"\(.*?\)", " ", name)
    text = YEAR_RANGE.sub(" ", text)
    text = re.sub(r"\b(?:19|20)\d\d\b", " ", text)
    text = " ".join(text.split()).strip(" ,;:–—-")
    folded = page_labels.fold(text)
    translated = page_labels.TRANSLATED_PLAN_NAME.match(folded)
    if translated:
        return text[translated.start("member"):].strip(" ,;:–—-") or None, True
    english = page_labels.ENGLISH_PLAN_NAME.match(folded)
    if english:
        return text[:english.end("member")].strip(" ,;:–—-") or None, False
    return None, False


def page_member(
    page: Page, country_line: str | None, url: str | None, identifier: str,
    ui_lang: str | None,
) -> MemberRef | None:
    """The page's member: the country line, else the action plan's name, else the URL."""
    url_match = URL_MEMBER.search(url or "")
    url_slug = url_match.group("slug").lower() if url_match else None
    url_name = url_slug.replace("-", " ").title() if url_slug else None
    name = country_line
    if name is None and page.value("action_plan"):
        plan_member, translated = _member_from_plan_name(page.value("action_plan"))
        if plan_member and translated and url_name and ui_lang != "en":
            # a translated name ("Ucrania") is not the English name the URL gives
            name = url_name if slug(plan_member) != url_slug else plan_member
        else:
            name = plan_member
    name = name or url_name
    if name is None:
        page.warnings.append(f"{page.path}: no member named on the page or in its URL")
        return None
    if url_slug and slug(name) != url_slug:
        page.warnings.append(
            f"{page.path}: the source URL names member '{url_slug}' but the page is about "
            f"{name!r}; keeping {name!r}")
    local = True if _is_local(page, identifier) else None  # absence is not evidence
    return MemberRef(name=name, slug=slug(name), local=local)


def _is_local(page: Page, identifier: str) -> bool:
    prefix = re.match(r"[A-Z]+", identifier)
    local_layout = any(f in page.glance for f in ("institutions_involved", "inception_report",
                                                  "primary_policy_area"))
    return bool(prefix and len(prefix.group()) >= 3) or local_layout


def page_action_plan(page: Page, member_slug: str | None) -> ActionPlanRef | None:
    if member_slug is None:
        return None
    name = page.value("action_plan")
    if vocabulary.normalise(name) in page_labels.NO_VALUE or vocabulary.is_not_assessed(name):
        name = ""
    cycle_text = page.value("cycle")
    cycle: int | None = None
    if cycle_text and not vocabulary.is_not_assessed(cycle_text):
        if re.fullmatch(r"(19|20)\d\d", cycle_text):
            cycle = int(cycle_text)
        else:
            page.errors.append(SourceError(page.path, f"action plan cycle {cycle_text!r} is "
                                           "not a year", line=page.line_of("cycle"),
                                           field="cycle"))
    end_year = None
    ranges = list(YEAR_RANGE.finditer(name))
    if ranges:
        start, end = ranges[-1].group("start"), ranges[-1].group("end")
        end_year = int(start[:2] + end if len(end) == 2 else end)
    return ActionPlanRef(member_slug=member_slug, cycle_year=cycle, name=name or None,
                         end_year=end_year)

