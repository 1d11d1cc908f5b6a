"""Institutions named by OGP commitments: read, classified, reconciled within a member.

Two passes, because a field can only be split well with what the whole build knows:

Per field (any reader can call it)
    ``read_field(text, role, gazetteer=None) -> FieldReading`` — one field's text (page
    text, saved HTML's text, a CSV ``Lead Institution`` / ``Supporting Institution(s)``
    cell) in any UI language (en, es, fr, pt) -> ``FieldReading.mentions``: one
    :class:`Mention` per institution (``name``, ``raw``, ``sector`` and its ``evidence``,
    ``acronym``, ``note``, ``parent``, ``via``, ``confident``), and ``FieldReading.issues``:
    what was left out or kept whole (:class:`Issue`: ``unsplit``, ``prose``, ``person``,
    ``contact``, ``generic``, ``conflict``, ``convention``). ``role`` is :class:`Role`
    (``lead``, ``support``, ``involved``): OGP's ``;`` convention applies to ``support`` only.

Per member (the build)
    ``reconcile_member(member_slug, [FieldInput(where, role, text), …]) ->
    MemberInstitutions`` — reads every field, builds the member's :class:`Gazetteer` from
    what was read with confidence, reads every field again with it, and gathers the
    mentions into :class:`Institution` records: ``name`` (canonical: the most frequent
    spelling, ties broken by a fixed rule), ``slug`` (for ``{base}id/institution/{member}/
    {slug}``), ``sector`` + ``evidence`` (headings > convention > patterns), ``acronym``,
    ``alt_labels``, ``parent`` (slug), ``merged`` (other spelling -> the slug it would have
    had alone), ``why``. ``MemberInstitutions.of(where)`` pairs a field's mentions with their
    institutions; ``.redirects()`` gives old slug -> kept slug (for HTTP 301);
    ``.ambiguous``, ``.conflicts`` and ``.issues`` feed the report (``report.render``).

Also: ``classify_name(name) -> Sector`` (name patterns alone), ``quality.doubts(label)``
(why a label may not be one institution), :class:`Sector` (``executive``, ``legislature``,
``judiciary``, ``government`` (branch unknown), ``civil-society``, ``private-sector``,
``non-government`` (either), ``multilateral``, ``academia``, ``unknown``).

Modules: ``lexicon`` (the words of each language), ``text`` (cleaning, folding),
``headings``, ``blocks`` (layout and headings), ``split`` (separators, commas,
conjunctions), ``names`` (one piece -> name, acronym, notes), ``shape`` (what a piece looks
like), ``gazetteer`` (glued lists), ``classify``, ``segment`` (the per-field pass),
``identity`` (keys, canonical names), ``reconcile`` (the member pass), ``report``,
``quality``. Standard library and python-slugify only.
"""

from ogpgraph.records.institutions.classify import classify_name
from ogpgraph.records.institutions.gazetteer import Gazetteer
from ogpgraph.records.institutions.quality import doubts
from ogpgraph.records.institutions.reconcile import (
    FieldInput,
    Institution,
    MemberInstitutions,
    reconcile_member,
)
from ogpgraph.records.institutions.segment import read_field
from ogpgraph.records.institutions.types import (
    Evidence,
    FieldReading,
    Issue,
    Mention,
    Role,
    Sector,
)

__all__ = [
    "Evidence", "FieldInput", "FieldReading", "Gazetteer", "Institution", "Issue",
    "MemberInstitutions", "Mention", "Role", "Sector", "classify_name", "doubts",
    "read_field", "reconcile_member",
]
