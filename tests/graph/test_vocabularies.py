"""The SKOS vocabularies: structure, keys, labels and the look-ups the readers rely on."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from slugify import slugify

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.static_files import VOCABULARIES_FILE, load_graph
from ogpgraph.graph.terms import OGP
from ogpgraph.graph.uris import SCHEMES, Uris
from ogpgraph.records import vocabulary

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SHARED_OGP = Path(__file__).resolve().parents[3] / "shared" / "ogp"
FIXTURE_PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
URIS = Uris(DEFAULT_BASE_URI)
LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.notation)
# Scales whose concepts carry ogp:rank, in increasing order (off-scale values excluded).
ORDERED = {
    "completion": ["not-started", "limited", "substantial", "complete"],
    "potential-impact": ["none", "minor", "moderate", "transformative"],
    "specificity": ["none", "low", "medium", "high"],
    "potential-for-results": ["modest", "substantial"],
    "ambition": ["low", "moderate", "high"],
    "did-it-open-government": ["worsens", "did-not-change", "marginal", "major", "outstanding"],
    "early-results": ["no-notable-results", "moderate", "significant"],
    "change-in-completion": ["decrease", "no-change", "increase"],
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph(VOCABULARIES_FILE, DEFAULT_BASE_URI)


def concepts(graph: Graph, scheme: str) -> list[URIRef]:
    return sorted(c for c in graph.subjects(SKOS.inScheme, URIS.scheme(scheme)))


def key_of(concept: URIRef) -> str:
    return str(concept).rsplit("/", 1)[1]


def english(graph: Graph, concept: URIRef) -> list[str]:
    return [str(label) for label in graph.objects(concept, SKOS.prefLabel)
            if isinstance(label, Literal) and label.language == "en"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme_exists_with_concepts(graph: Graph, scheme: str) -> None:
    iri = URIS.scheme(scheme)
    assert (iri, RDF.type, SKOS.ConceptScheme) in graph
    for predicate in (SKOS.prefLabel, SKOS.definition):
        assert graph.value(iri, predicate) is not None, f"{scheme} lacks {predicate}"
    members = concepts(graph, scheme)
    assert len(members) >= 2
    for concept in members:
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert (concept, SKOS.topConceptOf, iri) in graph
        assert (iri, SKOS.hasTopConcept, concept) in graph
        assert str(concept).startswith(f"{iri}/")


def test_every_concept_is_in_a_known_scheme(graph: Graph) -> None:
    schemes = {URIS.scheme(s) for s in SCHEMES}
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        assert set(graph.objects(concept, SKOS.inScheme)) <= schemes, concept
        assert len(set(graph.objects(concept, SKOS.inScheme))) == 1, concept


@pytest.mark.parametrize("scheme", SCHEMES)
def test_one_english_preflabel_and_key_is_its_slug(graph: Graph, scheme: str) -> None:
    for concept in concepts(graph, scheme):
        labels = english(graph, concept)
        assert len(labels) == 1, f"{concept}: {labels}"
        expected = slugify(labels[0])
        if scheme == "report-kind":
            # documented exception: report-kind keys drop "-report" (records.model.ReportKind)
            expected = expected.removesuffix("-report")
        assert key_of(concept) == expected
        # at most one prefLabel per language
        langs = [label.language for label in graph.objects(concept, SKOS.prefLabel)]
        assert len(langs) == len(set(langs)), concept


def test_report_kind_keys_are_the_model_keys() -> None:
    assert vocabulary.keys("report-kind") == {
        "design", "mid-term", "end-of-term", "action-plan-review", "results", "inception"
    }


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_normalised_label_names_two_concepts(graph: Graph, scheme: str) -> None:
    seen: dict[str, set[URIRef]] = defaultdict(set)
    for concept in concepts(graph, scheme):
        for predicate in LABELS:
            for label in graph.objects(concept, predicate):
                seen[vocabulary.normalise(str(label))].add(concept)
    clashes = {label: sorted(cs) for label, cs in seen.items() if len(cs) > 1}
    assert clashes == {}
    assert "" not in seen  # a label that normalises to nothing would match any empty cell


@pytest.mark.parametrize(("scheme", "order"), sorted(ORDERED.items()))
def test_ordered_scales_have_increasing_ranks(graph: Graph, scheme: str, order: list[str]) -> None:
    ranks = [graph.value(URIS.concept(scheme, key), OGP.rank) for key in order]
    assert all(r is not None for r in ranks), ranks
    values = [r.toPython() for r in ranks]
    assert all(isinstance(v, int) for v in values)
    assert values == sorted(values) and len(set(values)) == len(values)
    # every ranked concept of the scheme is in the expected order list
    ranked = {key_of(c) for c in concepts(graph, scheme) if graph.value(c, OGP.rank) is not None}
    assert ranked == set(order)


def test_off_scale_values_have_no_rank(graph: Graph) -> None:
    for scheme, key in [("completion", "withdrawn"), ("completion", "unclear"),
                        ("potential-for-results", "unclear")]:
        assert graph.value(URIS.concept(scheme, key), OGP.rank) is None


def test_at_least_substantial_completion_by_rank(graph: Graph) -> None:
    found = graph.query(
        """SELECT ?c WHERE { ?c skos:inScheme ?s ; ogp:rank ?r FILTER(?r >= 4) }""",
        initNs={"skos": SKOS, "ogp": OGP},
        initBindings={"s": URIS.scheme("completion")},
    )
    assert {key_of(row.c) for row in found} == {"substantial", "complete"}


# Codes of the "_"-prefixed twin columns of OGP's export, checked against commitments.csv.
NOTATIONS = [
    ("completion", "withdrawn", "0"), ("completion", "unclear", "1"),
    ("completion", "not-started", "2"), ("completion", "limited", "3"),
    ("completion", "substantial", "4"), ("completion", "complete", "5"),
    ("specificity", "none", "0"), ("specificity", "high", "3"),
    ("potential-impact", "none", "0"), ("potential-impact", "transformative", "3"),
    ("potential-for-results", "unclear", "0"), ("potential-for-results", "substantial", "2"),
    ("early-results", "no-notable-results", "0"), ("early-results", "significant", "2"),
    ("did-it-open-government", "worsens", "0"), ("did-it-open-government", "outstanding", "4"),
]


@pytest.mark.parametrize(("scheme", "key", "code"), NOTATIONS)
def test_notation_is_the_export_code(scheme: str, key: str, code: str) -> None:
    assert vocabulary.notation(scheme, key) == code
    assert vocabulary.lookup(scheme, code) == key


TWIN_COLUMNS = [
    ("Specificity", "_Specificity", "specificity"),
    ("Potential Impact", "_Potential Impact", "potential-impact"),
    ("Completion (Progress Report)", "_CompletionProgress", "completion"),
    ("Completion (End Of Term)", "_CompletionEndTerm", "completion"),
    ("Potential for Results", "_Potential for Results", "potential-for-results"),
    ("Early Results", "_Early Results", "early-results"),
    ("Did It Open Government (Overall)", "_OpenGovernment", "did-it-open-government"),
]


def shared_csv() -> Path:
    path = SHARED_OGP / "commitments.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared OGP data sits beside the repository")
    return path


@pytest.mark.parametrize(("label_column", "code_column", "scheme"), TWIN_COLUMNS)
def test_notations_agree_with_the_csv_twin_columns(label_column: str, code_column: str,
                                                   scheme: str) -> None:
    with shared_csv().open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    checked = 0
    for row in rows:
        key = vocabulary.lookup(scheme, row[label_column])
        if key is None:
            continue  # ND / NR / NA and "No early results to report yet"
        assert vocabulary.notation(scheme, key) == row[code_column], row[label_column]
        checked += 1
    assert checked > 0


def test_every_csv_policy_area_column_resolves() -> None:
    with shared_csv().open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    first = header.index("Anti-Corruption and Integrity")
    last = header.index("Report Publication Year (Progress Report)")
    columns = header[first:last]
    assert len(columns) > 80
    unresolved = [c for c in columns if vocabulary.lookup("policy-area", c) is None]
    assert unresolved == []
    # each column is its own concept
    assert len({vocabulary.lookup("policy-area", c) for c in columns}) == len(columns)


def page_policy_areas(name: str) -> list[str]:
    """The comma-separated list under the policy-areas heading of a flattened page."""
    lines = (FIXTURE_PAGES / name).read_text(encoding="utf-8").splitlines()
    headings = {"Policy Areas", "Áreas de política", "Domaines politiques"}
    start = next(i for i, line in enumerate(lines) if line.strip() in headings)
    text = next(line for line in lines[start + 1:] if line.strip())
    return [label.strip() for label in text.split(",")]


@pytest.mark.parametrize(
    ("page", "english"),
    [
        # HN0065's English page lists the same areas in the older taxonomy
        ("HN0065_es.txt", ["Anti-Corruption", "Asset Disclosure", "Audits and Controls",
                           "Capacity Building", "Legislation & Regulation",
                           "Sustainable Development Goals"]),
        ("UA0087_fr.txt", ["Anti-Corruption and Integrity", "Fiscal Openness", "Legislation",
                           "Public Procurement", "Publication of Budget/Fiscal Information",
                           "Regulation"]),
    ],
)
def test_translated_policy_areas_map_to_the_english_concept(page: str,
                                                            english: list[str]) -> None:
    translated = page_policy_areas(page)
    assert len(translated) == len(english)
    for label, original in zip(translated, english, strict=True):
        key = vocabulary.lookup("policy-area", label)
        assert key is not None, label
        assert key == vocabulary.lookup("policy-area", original), (label, original)


def test_every_policy_area_on_the_pages_and_seed_resolves() -> None:
    labels: set[str] = set()
    for page in sorted(FIXTURE_PAGES.glob("*.txt")):
        try:
            labels.update(page_policy_areas(page.name))
        except StopIteration:
            continue  # a layout without the heading (KEMKC0001's "Primary Policy Area")
    # the compact layout glues the next heading on: "Public ProcurementIRM Review"
    labels = {re.sub(r"(IRM Review|Description)$", "", label) for label in labels}
    seed = SHARED_OGP / "seed" / "PE0055.txt"
    if seed.is_file():
        text = seed.read_text(encoding="utf-8")
        labels.update(m.strip() for m in re.findall(r"^\s+[A-Z]{2,5}\d{4}, \d{4}, ?(.*)$",
                                                    text, flags=re.M) if m.strip())
        labels.update(p.strip() for p in text.split("Policy Areas\n\n", 1)[1]
                      .split("\n", 1)[0].split(","))
    assert len(labels) > 25
    assert [label for label in sorted(labels)
            if vocabulary.lookup("policy-area", label) is None] == []


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Anti Corruption and Integrity", "anti-corruption-and-integrity"),
        ("Anti-Corruption and Integrity", "anti-corruption-and-integrity"),
        ("Legislation & Regulation", "legislation-and-regulation"),
        ("Legislation and Regulation", "legislation-and-regulation"),
        ("Infrastructure & Transport", "infrastructure-and-transport"),
        ("Open Contracting and Procurement", "open-contracting-and-procurement"),
        ("OGP", "ogp"),
    ],
)
def test_policy_area_lookup(label: str, key: str) -> None:
    assert vocabulary.lookup("policy-area", label) == key


def test_legislation_and_regulation_is_broader_than_both(graph: Graph) -> None:
    parent = URIS.concept("policy-area", "legislation-and-regulation")
    narrower = set(graph.objects(parent, SKOS.narrower))
    assert {URIS.concept("policy-area", "legislation"),
            URIS.concept("policy-area", "regulation")} <= narrower


@pytest.mark.parametrize(
    ("scheme", "label", "key"),
    [
        ("completion", "Not Started", "not-started"),
        ("completion", "Substantial", "substantial"),
        ("did-it-open-government", "Did Not Change", "did-not-change"),
        ("did-it-open-government", "marginaux", "marginal"),
        ("early-results", "No notable results", "no-notable-results"),
        ("ambition", "Haut", "high"),
        ("ambition", "Medium", "moderate"),
        ("ogp-value", "Technology",
         "technology-and-innovation-for-transparency-and-accountability"),
        ("ogp-value", "Access to information", "access-to-information"),
        ("status", "Activo", "active"),
        ("status", "Inactif", "inactive"),
        ("region", "Asia and the Pacific", "asia-and-the-pacific"),
        ("change-in-completion", "No Change", "no-change"),
        ("completion", "Pending IRM Review", None),
        ("completion", "ND", None),
    ],
)
def test_scale_lookup(scheme: str, label: str, key: str | None) -> None:
    assert vocabulary.lookup(scheme, label) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("United Kingdom End-of-Term Report 2016-2018", "end-of-term"),
        ("United Kingdom Mid-Term Report 2016-2018", "mid-term"),
        ("Peru Mid-Term Progress Report 2015-2017", "mid-term"),
        ("United States First Progress Report 2011-2013", "mid-term"),
        ("Informe de Diseño de Honduras 2018-2020", "design"),
        ("Examen du plan d'action de l'Ukraine 2021-2022", "action-plan-review"),
        ("Kenya Transitional Results Report 2020-2022", "results"),
        ("Makueni Inception Report", "inception"),
    ],
)
def test_report_kind_found_in_report_names(text: str, key: str) -> None:
    assert vocabulary.find_in("report-kind", text) == key
