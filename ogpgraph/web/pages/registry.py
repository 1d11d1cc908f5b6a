"""The registry of page kinds: every kind of IRI our URI scheme mints (README "The URI
scheme"), with its key shape, template and view. A new kind is one module + one line."""

from __future__ import annotations

import re

from ogpgraph.graph.uris import SCHEMES
from ogpgraph.web.pages.action_plan import action_plan_view
from ogpgraph.web.pages.commitment import commitment_view
from ogpgraph.web.pages.concept import concept_view
from ogpgraph.web.pages.institution import institution_view
from ogpgraph.web.pages.irm_report import irm_report_view
from ogpgraph.web.pages.kind import PageKind, Target
from ogpgraph.web.pages.member import member_view

SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


def _upper(key: str) -> str:
    return key.upper()


def _upper_identifier(key: str) -> str:
    """``pe0055-mid-term`` -> ``PE0055-mid-term``: the commitment id part only."""
    ident, dash, rest = key.partition("-")
    return ident.upper() + dash + rest


PAGE_KINDS: dict[str, PageKind] = {kind.kind: kind for kind in (
    PageKind("commitment", 1, "commitment.html", commitment_view, _upper),
    PageKind("milestone", 1, canonical=_upper),
    PageKind("assessment", 1, canonical=_upper_identifier),
    PageKind("member", 1, "member.html", member_view),
    PageKind("action-plan", 1, "action_plan.html", action_plan_view),
    PageKind("irm-report", 1, "irm_report.html", irm_report_view),
    PageKind("institution", 2, "institution.html", institution_view),
    PageKind("source", 1),
    PageKind("disagreement", 1),  # ogp:Disagreement and its claims (release/precedence.py)
    # every SKOS scheme (id/{scheme}) and its concepts (id/{scheme}/{key})
    *(PageKind(scheme, 1, "concept.html", concept_view) for scheme in SCHEMES),
)}


def page_kind(target: Target) -> PageKind:
    return PAGE_KINDS[target.kind]


def is_scheme_kind(kind: str) -> bool:
    return kind in SCHEMES


def parse_target(path: str) -> Target | None:
    """A request path as a target, if it has the shape of one of our IRIs (a known kind with
    its number of well-formed key segments; a concept scheme may have none)."""
    kind, _, key = path.partition("/")
    segments = key.split("/") if key else []
    found = PAGE_KINDS.get(kind)
    if found is None or not all(SEGMENT.match(s) for s in segments):
        return None
    allowed = {found.segments} | ({0} if is_scheme_kind(kind) else set())
    return Target(kind, key) if len(segments) in allowed else None


def canonical_target(target: Target) -> Target | None:
    """The target spelled canonically (``pe0055`` -> ``PE0055``), or None if it already is."""
    fix = PAGE_KINDS[target.kind].canonical
    fixed = fix(target.key) if fix is not None else target.key
    return Target(target.kind, fixed) if fixed != target.key else None
