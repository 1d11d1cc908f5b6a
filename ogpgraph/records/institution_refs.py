"""Institution fields -> :class:`InstitutionRef` records, for the readers (one field alone).

Readers call :func:`read_institution_field` on each institution field (a CSV cell, a page's
``Lead Institution:`` value or its bullet lines) and keep the field's text in the commitment
(:class:`InstitutionField`), so that the build-level pass (``release/institutions.py``) can
read every field of a member again with the member's gazetteer and reconcile the names.
"""

from __future__ import annotations

from ogpgraph.records.institutions import Mention, Role, read_field
from ogpgraph.records.model import InstitutionField, InstitutionRef


def ref_of_mention(mention: Mention) -> InstitutionRef:
    """What one field alone says about one institution."""
    parent = InstitutionRef(mention.parent) if mention.parent else None
    via = InstitutionRef(mention.via) if mention.via else None
    return InstitutionRef(name=mention.name, sector=mention.sector.value,
                          acronym=mention.acronym, note=mention.note, parent=parent, via=via,
                          spelling=mention.name)


def read_institution_field(role: Role | str, label: str, text: str,
                           fields: list[InstitutionField]) -> list[InstitutionRef]:
    """The institutions of one field; the field's text is appended to ``fields`` (when it
    has any) for the build-level pass."""
    if not text.strip():
        return []
    fields.append(InstitutionField(Role(role).value, label, text))
    return [ref_of_mention(m) for m in read_field(text, role).mentions]
