"""The records the institution library produces: sectors, mentions, issues, readings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Sector(StrEnum):
    """What kind of institution a name denotes. Two values are coarse: ``GOVERNMENT`` (a
    public body whose branch is not known) and ``NON_GOVERNMENT`` (OGP's "civil society /
    private sector" side, not told apart further)."""

    EXECUTIVE = "executive"
    LEGISLATURE = "legislature"
    JUDICIARY = "judiciary"
    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil-society"
    PRIVATE_SECTOR = "private-sector"
    NON_GOVERNMENT = "non-government"
    MULTILATERAL = "multilateral"
    ACADEMIA = "academia"
    UNKNOWN = "unknown"

    @property
    def broader(self) -> Sector | None:
        """The coarse sector a fine one belongs to (None for coarse or unrelated ones)."""
        return _BROADER.get(self)

    def refines(self, other: Sector) -> bool:
        """``self`` says the same as ``other`` or more (``LEGISLATURE`` refines
        ``GOVERNMENT``; everything refines ``UNKNOWN``)."""
        return self == other or other == Sector.UNKNOWN or self.broader == other


_BROADER = {
    Sector.EXECUTIVE: Sector.GOVERNMENT, Sector.LEGISLATURE: Sector.GOVERNMENT,
    Sector.JUDICIARY: Sector.GOVERNMENT, Sector.CIVIL_SOCIETY: Sector.NON_GOVERNMENT,
    Sector.PRIVATE_SECTOR: Sector.NON_GOVERNMENT,
}


class Evidence(IntEnum):
    """Where a classification comes from; a higher value wins (the documented precedence)."""

    NONE = 0
    PATTERN = 1  # the name itself: "Ministry of …", "Fundación …", "World Bank"
    CONVENTION = 2  # OGP's "government; civil society" convention of Support Institution(s)
    HEADING = 3  # the field's own category heading ("Civil Society / Private Sector")


class Role(StrEnum):
    LEAD = "lead"
    SUPPORT = "support"
    INVOLVED = "involved"  # OGP Local's "Institutions involved" (no convention applies)


@dataclass(frozen=True)
class Mention:
    """One institution named in one field.

    ``name`` is the name without acronym, qualifiers or list furniture; ``raw`` is the text
    it was read from (what earlier readers would have used as the name); ``acronym`` the
    acronym the text pairs with it (``Commission on Administrative Justice (CAJ)``);
    ``note`` qualifiers (``by agreement``, ``TBC``); ``parent`` the institution it is a unit of
    when the field says so (a ``Del Senado:`` heading, ``Ministry of Finance: …``); ``via`` the
    unit it acts through (``X a través de Y`` gives name X, via Y). ``sector``/``evidence``:
    the classification this field alone gives. ``confident`` is False when the mention is a
    whole piece of text that could not be split with confidence."""

    name: str
    raw: str
    sector: Sector = Sector.UNKNOWN
    evidence: Evidence = Evidence.NONE
    acronym: str | None = None
    note: str | None = None
    parent: str | None = None
    via: str | None = None
    confident: bool = True
    pattern_sector: Sector = Sector.UNKNOWN  # what the name alone says (for conflict reports)


@dataclass(frozen=True)
class Issue:
    """Something the reader left out or could not do: ``kind`` is one of ``unsplit`` (kept
    whole, may be several institutions), ``prose`` (a sentence, not a name), ``person``,
    ``contact``, ``generic`` (``Line Ministries``, ``other NGOs``), ``heading`` (a heading with
    no name under it), ``convention`` (the ``;`` convention did not hold for this field),
    ``conflict`` (the heading or convention contradicts the name's pattern)."""

    kind: str
    text: str
    detail: str = ""


@dataclass
class FieldReading:
    """What one institution field yields."""

    text: str
    role: Role
    mentions: list[Mention] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.mentions]
