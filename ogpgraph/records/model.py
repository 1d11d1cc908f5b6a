"""The typed record model every source is read into before it is mapped to RDF.

Values are already normalised: controlled values are *concept keys* (slugs in the
SKOS schemes of `ontology/vocabularies.ttl`, e.g. ``completion="substantial"``), dates
are ISO strings (``2015-08`` or ``2018-09-01``), not-assessed markers are ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["page", "commitment-list", "csv"]
ReportKind = Literal[
    "design", "mid-term", "end-of-term", "action-plan-review", "results", "inception"
]


@dataclass(frozen=True)
class Text:
    """A piece of prose and its language (BCP 47 tag or None when unknown)."""

    value: str
    lang: str | None = None


@dataclass
class Source:
    """One input file (or one logical source inside it), which becomes one named graph."""

    kind: SourceKind
    path: str  # the file as given to the build
    sha256: str  # of the file's bytes
    url: str | None = None  # the web page it was retrieved from, where known
    label: str = ""


@dataclass
class MemberRef:
    name: str  # English display name, e.g. "Peru", "Buenos Aires, Argentina"
    slug: str  # python-slugify of the name: "peru", "buenos-aires-argentina"
    local: bool | None = None  # True for OGP Local members, None when unknown
    region: str | None = None  # concept key in the region scheme: "europe", "americas", ...
    iso_code: str | None = None  # ISO 3166-1 alpha-3 where known ("PER")


@dataclass
class ActionPlanRef:
    member_slug: str
    cycle_year: int | None  # year of submission; the action plan's key with the member
    name: str | None = None
    end_year: int | None = None
    number: int | None = None
    identifier: str | None = None  # OGP's id, e.g. "AP_ALB01"


@dataclass
class InstitutionRef:
    """An institution as a commitment names it.

    A reader fills it from one field alone (``records.institutions.read_field``); the
    build-level pass (``release/institutions.py``) replaces it with the member's reconciled
    institution: canonical ``name``, ``slug``, one ``sector`` for every source, ``acronym``,
    ``parent``. ``spelling`` is how this source wrote it, ``note`` its qualifiers there
    (``by agreement``), ``via`` the unit it acts through (``X a través de Y``)."""

    name: str
    sector: str = "unknown"  # a records.institutions.Sector value
    acronym: str | None = None
    note: str | None = None
    parent: InstitutionRef | None = None
    via: InstitutionRef | None = None
    spelling: str | None = None
    slug: str | None = None  # None until reconciled: the IRI then uses slug(name)


@dataclass(frozen=True)
class InstitutionField:
    """One institution field as the source wrote it, kept for the build-level pass:
    ``role`` lead / support / involved, ``label`` the column or page label."""

    role: str
    label: str
    text: str


@dataclass
class ReportRef:
    """An IRM report. Key: (member_slug, cycle_year of its action plan, kind)."""

    kind: ReportKind
    member_slug: str
    cycle_year: int | None
    name: str | None = None
    year: int | None = None  # publication year


@dataclass
class Assessment:
    """The values one IRM report gives one commitment. Unassessed values are None."""

    report: ReportRef
    specificity: str | None = None
    verifiable: bool | None = None
    relevant: bool | None = None  # "Relevant to OGP Values: Yes/No" (newer layout)
    ogp_values: list[str] = field(default_factory=list)  # ogp-value concept keys
    potential_impact: str | None = None
    ambition: str | None = None
    potential_for_results: str | None = None
    completion: str | None = None
    change_in_completion: str | None = None
    did_it_open_government: str | None = None
    diog_by_value: dict[str, str] = field(default_factory=dict)  # ogp-value key -> diog key
    early_results: str | None = None
    starred: bool | None = None
    starred_formula: str | None = None  # "2015" or "current"
    carried_forward: bool | None = None


@dataclass
class Commitment:
    identifier: str  # upper case OGP id, e.g. "PE0055"
    source: Source
    member: MemberRef | None = None
    action_plan: ActionPlanRef | None = None
    titles: list[Text] = field(default_factory=list)
    short_title: Text | None = None
    description: Text | None = None
    theme: str | None = None
    commitment_number: int | None = None
    lead_institutions: list[InstitutionRef] = field(default_factory=list)
    supporting_institutions: list[InstitutionRef] = field(default_factory=list)
    institution_fields: list[InstitutionField] = field(default_factory=list)  # raw text
    policy_areas: list[str] = field(default_factory=list)  # policy-area concept keys
    milestones: list[Text] = field(default_factory=list)  # in order
    start_date: str | None = None  # ISO: YYYY-MM-DD or YYYY-MM
    end_date: str | None = None
    status: str | None = None  # "active" / "inactive"
    page_url: str | None = None
    starred: bool | None = None  # OGP's own "Starred commitment" marker
    # OGP values the commitment itself declares (OGP Local pages), apart from any IRM finding
    ogp_values: list[str] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    line: int | None = None  # line or row where the record starts, for messages


@dataclass
class SourceRecords:
    """What one source yields: its commitments, plus non-fatal warnings."""

    source: Source
    commitments: list[Commitment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # concepts a source names that our vocabularies do not know: (scheme, key) -> label
    new_concepts: dict[tuple[str, str], Text] = field(default_factory=dict)
