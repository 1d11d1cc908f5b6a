"""Minting of our IRIs. The URI scheme, documented in README.md:

    {base}id/commitment/{ID}                 ID upper case: PE0055
    {base}id/milestone/{ID}-{n}              n from 1, in the commitment's order
    {base}id/assessment/{ID}-{report kind}   PE0055-mid-term (one per commitment and report)
    {base}id/member/{slug}                   peru, buenos-aires-argentina
    {base}id/action-plan/{member}-{cycle}    peru-2015
    {base}id/irm-report/{member}-{cycle}-{kind}   peru-2015-mid-term
    {base}id/institution/{member}/{slug}     peru/proetica
    {base}id/{scheme}/{key}                  policy-area/open-data, completion/substantial
    {base}id/{scheme}                        the SKOS concept scheme itself
    {base}id/source/{kind}-{sha256[:16]}     a source file; also its named graph's IRI
    {base}ontology#{Term}, {base}shapes#{Shape}
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from ogpgraph.records.slugs import slug

SCHEMES = (
    "policy-area", "completion", "potential-impact", "ambition", "did-it-open-government",
    "early-results", "potential-for-results", "specificity", "ogp-value", "status",
    "report-kind", "region", "change-in-completion",
)


@dataclass(frozen=True)
class Uris:
    base: str

    def _id(self, path: str) -> URIRef:
        return URIRef(f"{self.base}id/{path}")

    def commitment(self, identifier: str) -> URIRef:
        return self._id(f"commitment/{identifier.upper()}")

    def milestone(self, identifier: str, n: int) -> URIRef:
        return self._id(f"milestone/{identifier.upper()}-{n}")

    def assessment(self, identifier: str, report_kind: str) -> URIRef:
        return self._id(f"assessment/{identifier.upper()}-{report_kind}")

    def member(self, member_slug: str) -> URIRef:
        return self._id(f"member/{member_slug}")

    def action_plan(self, member_slug: str, cycle_year: int | None) -> URIRef:
        return self._id(f"action-plan/{member_slug}-{cycle_year or 'undated'}")

    def report(self, member_slug: str, cycle_year: int | None, kind: str) -> URIRef:
        return self._id(f"irm-report/{member_slug}-{cycle_year or 'undated'}-{kind}")

    def institution(self, member_slug: str, name: str) -> URIRef:
        return self.institution_slug(member_slug, slug(name))

    def institution_slug(self, member_slug: str, institution_slug: str) -> URIRef:
        """The IRI of an institution the build reconciled (its slug chosen by
        ``records.institutions.reconcile_member``: the canonical name's, made unique)."""
        return self._id(f"institution/{member_slug}/{institution_slug}")

    def concept(self, scheme: str, key: str) -> URIRef:
        return self._id(f"{scheme}/{key}")

    def scheme(self, scheme: str) -> URIRef:
        return self._id(scheme)

    def source(self, kind: str, sha256: str) -> URIRef:
        return self._id(f"source/{kind}-{sha256[:16]}")

    @property
    def ontology(self) -> URIRef:
        return URIRef(f"{self.base}ontology")

    @property
    def shapes(self) -> URIRef:
        return URIRef(f"{self.base}shapes")

    @property
    def dataset(self) -> URIRef:
        return URIRef(f"{self.base}.well-known/void#dataset")

    def graph(self, name: str) -> URIRef:
        """Named graphs that are not sources: ontology, vocabularies."""
        return URIRef(f"{self.base}graph/{name}")
