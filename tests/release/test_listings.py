"""The listing index holds what SPARQL over the same store answers, on disk and in memory.

Two fixture stores: the hand-written web dataset (tests/fixtures/web/dataset.trig) and a
generated one with the awkward cases (several titles in several languages, a commitment
without identifier or member, two policy areas, an assessment linked only by
ogp:assessedCommitment, starred by OGP or by an assessment, two action plans per member).
The reference answers are the SPARQL queries the browse pages used to run.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.static_files import load_support_graphs
from ogpgraph.graph.terms import prefixes_for
from ogpgraph.release.listings.reader import CommitmentQuery, ListingIndex
from ogpgraph.release.listings.schema import has_fts5
from ogpgraph.release.listings.words import fts_query, search_words
from ogpgraph.release.listings.writer import build_listing_index

BASE = DEFAULT_BASE_URI
B = BASE
WEB_DATASET = Path(__file__).resolve().parents[1] / "fixtures" / "web" / "dataset.trig"
PROLOGUE = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes_for(BASE).items())
SORTS = {"id": "?id", "title": "?tkey", "member": "?mkey", "cycle": "?cyc"}

MEMBERS = {"peru": ("Peru", "Perú"), "chile": ("Chile", None), "lima": ("Lima", None)}


def _generated_trig() -> str:
    """40 commitments over 3 members, with the edge cases of the module docstring."""
    lines = [f"@prefix ogp: <{B}ontology#> .", "@prefix dcterms: <http://purl.org/dc/terms/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .", f"<{B}graph/vocabularies> {{"]
    lines.append(f"<{B}id/policy-area> a skos:ConceptScheme .")
    lines.append(f"<{B}id/completion> a skos:ConceptScheme .")
    for n, key in enumerate(("open-data", "water", "health"), start=1):
        lines.append(f'<{B}id/policy-area/{key}> skos:inScheme <{B}id/policy-area> ; '
                     f'skos:notation "{n}" ; skos:prefLabel "{key.title()}"@en, "{key} es"@es .')
    for key, rank in (("limited", 2), ("substantial", 4), ("complete", 5)):
        lines.append(f'<{B}id/completion/{key}> skos:inScheme <{B}id/completion> ; '
                     f'ogp:rank {rank} ; skos:prefLabel "{key}"@en .')
    lines.append("}")
    lines.append(f"<{B}id/source/csv-1> {{")
    for slug, (en, es) in MEMBERS.items():
        kind = "ogp:LocalMember" if slug == "lima" else "ogp:Country"
        labels = f'"{en}"@en' + (f', "{es}"@es' if es else "")
        lines.append(f"<{B}id/member/{slug}> a ogp:Member, {kind} ; rdfs:label {labels} .")
        for year in (2016, 2019):
            lines.append(f'<{B}id/action-plan/{slug}-{year}> a ogp:ActionPlan ; '
                         f'rdfs:label "{slug} {year}"@en ; ogp:member <{B}id/member/{slug}> ; '
                         f'ogp:cycleYear "{year}"^^xsd:gYear .')
        for name in ("Ministry of Water", "Agencia de Educación"):
            key = name.lower().replace(" ", "-")
            # one sector class only, without its superclass (the index adds it)
            sector = ", ogp:ExecutiveBody" if name.startswith("Ministry") else ""
            lines.append(f'<{B}id/institution/{slug}/{key}> a ogp:Institution{sector} ; '
                         f'rdfs:label "{name}" ; ogp:member <{B}id/member/{slug}> .')
    words = ["water", "open", "data", "health", "budget", "school"]
    for n in range(40):
        slug = list(MEMBERS)[n % 3]
        c = f"<{B}id/commitment/C{n:03d}>"
        year = 2016 if n % 4 < 2 else 2019
        parts = [f"{c} a ogp:Commitment"]
        if n != 5:  # no identifier: sorts first by id (as "")
            parts.append(f'dcterms:identifier "{slug[:2].upper()}{(n * 7) % 40:03d}"')
        if n != 6:  # no member
            parts.append(f"ogp:member <{B}id/member/{slug}>")
        parts.append(f"ogp:actionPlan <{B}id/action-plan/{slug}-{year}>")
        title = f"{words[n % 6].title()} commitment {n}"
        parts.append(f'dcterms:title "{title}"@en')
        if n % 5 == 0:
            parts.append(f'dcterms:title "Compromiso {words[(n + 1) % 6]} {n}"@es')
        parts.append(f'dcterms:description "About {words[(n + 2) % 6]} and more {n}."@en')
        area = ["open-data", "water", "health"][n % 3]
        parts.append(f"ogp:policyArea <{B}id/policy-area/{area}>")
        if n % 7 == 0:
            parts.append(f"ogp:policyArea <{B}id/policy-area/open-data>")
        inst = "ministry-of-water" if n % 2 else "agencia-de-educación"
        parts.append(f"ogp:leadInstitution <{B}id/institution/{slug}/{inst}>")
        if n % 3 == 0:
            parts.append(f"ogp:supportingInstitution <{B}id/institution/{slug}/ministry-of-water>")
        if n % 11 == 0:
            parts.append("ogp:starred true")
        if n % 4 != 3:
            a = f"<{B}id/assessment/C{n:03d}-end-of-term>"
            level = ["limited", "substantial", "complete"][n % 3]
            if n % 8 != 1:  # else only the assessment points at the commitment
                parts.append(f"ogp:assessment {a}")
            lines.append(f"{a} a ogp:Assessment ; ogp:assessedCommitment {c} ; "
                         f"ogp:completion <{B}id/completion/{level}> ; "
                         f"ogp:starred {'true' if n % 6 == 0 else 'false'} .")
        lines.append(" ;\n  ".join(parts) + " .")
    lines.append("}")
    return "\n".join(lines)


def _store(name: str) -> ox.Store:
    store = ox.Store()
    text = WEB_DATASET.read_text("utf-8") if name == "web" else _generated_trig()
    store.load(text.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module", params=["generated", "web"])
def case(request, tmp_path_factory) -> tuple[ox.Store, ListingIndex, ListingIndex]:
    store = _store(request.param)
    path = tmp_path_factory.mktemp("listings") / "listings.sqlite"
    on_disk = build_listing_index(store, BASE, path)
    assert path.is_file()
    return store, build_listing_index(store, BASE, None), on_disk


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(PROLOGUE + query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


def sparql_commitments(store: ox.Store, where: str, sort: str, descending: bool) -> list[str]:
    """The old browse query: every matching commitment in the listing's order."""
    direction = "DESC" if descending else "ASC"
    rows = select(store, f"""
SELECT ?x (MIN(STR(?id0)) AS ?id) (MIN(LCASE(STR(?t))) AS ?tkey)
       (MIN(LCASE(STR(?ml))) AS ?mkey) (MIN(STR(?cy)) AS ?cyc) WHERE {{
  ?x a ogp:Commitment . {where}
  OPTIONAL {{ ?x dcterms:identifier ?id0 }}
  OPTIONAL {{ ?x dcterms:title ?t }}
  OPTIONAL {{ ?x ogp:member/rdfs:label ?ml }}
  OPTIONAL {{ ?x ogp:actionPlan/ogp:cycleYear ?cy }}
}} GROUP BY ?x
ORDER BY {direction}(COALESCE({SORTS[sort]}, "")) ASC(COALESCE(?id, "")) ASC(STR(?x))""")
    return [row["x"] for row in rows]


def index_commitments(index: ListingIndex, where: CommitmentQuery, sort: str,
                      descending: bool, per_page: int = 4) -> list[str]:
    """All pages of the index's listing, concatenated."""
    found: list[str] = []
    total = index.count_commitments(where)
    for offset in range(0, total, per_page):
        found += [row[0] for row in index.commitment_page(where, sort, descending, per_page,
                                                          offset)]
    assert len(found) == total
    return found


FILTERS = [
    ("", {}),
    (f"?x ogp:member <{B}id/member/peru> .", {"member": f"{B}id/member/peru"}),
    (f"?x ogp:member <{B}id/member/nowhere> .", {"member": f"{B}id/member/nowhere"}),
    ('?x ogp:actionPlan/ogp:cycleYear ?fc . FILTER(STR(?fc) = "2019")', {"cycle": "2019"}),
    (f"?x ogp:policyArea <{B}id/policy-area/open-data> .",
     {"policy_area": f"{B}id/policy-area/open-data"}),
    ("{ ?x ogp:starred true } UNION { ?x ogp:assessment/ogp:starred true } "
     "UNION { ?a ogp:assessedCommitment ?x ; ogp:starred true }", {"starred": True}),
    ("FILTER NOT EXISTS { { ?x ogp:starred true } UNION { ?x ogp:assessment/ogp:starred true } "
     "UNION { ?a ogp:assessedCommitment ?x ; ogp:starred true } }", {"starred": False}),
    ("{ ?x ogp:assessment ?fa } UNION { ?fa ogp:assessedCommitment ?x } "
     "?fa ogp:completion/ogp:rank ?frank . FILTER(?frank >= 4)", {"min_rank": 4}),
    (f"?x ogp:member <{B}id/member/chile> ; ogp:policyArea <{B}id/policy-area/water> .",
     {"member": f"{B}id/member/chile", "policy_area": f"{B}id/policy-area/water"}),
]


@pytest.mark.parametrize(("sparql", "filters"), FILTERS)
@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_filtered_sorted_pages_agree_with_sparql(case, sparql: str, filters: dict, sort: str,
                                                 descending: bool) -> None:
    store, index, _ = case
    expected = sparql_commitments(store, sparql, sort, descending)
    where = index.commitment_where(**filters)
    assert index_commitments(index, where, sort, descending) == expected


def test_generated_fixture_exercises_the_filters() -> None:
    """Guards the agreement test against vacuous fixtures: each filter selects some."""
    store = _store("generated")
    for sparql, _ in FILTERS:
        found = len(sparql_commitments(store, sparql, "id", False))
        assert ("nowhere" in sparql) == (found == 0), sparql
    assert len(sparql_commitments(store, "", "id", False)) == 40


def test_member_counts_agree_with_sparql(case) -> None:
    store, index, _ = case
    rows = select(store, """
SELECT ?x (MIN(LCASE(STR(?l))) AS ?key) (COUNT(DISTINCT ?c) AS ?n)
       (MAX(IF(BOUND(?loc), 1, 0)) AS ?local) WHERE {
  ?x a ogp:Member . OPTIONAL { ?x rdfs:label ?l }
  OPTIONAL { ?c a ogp:Commitment ; ogp:member ?x }
  OPTIONAL { ?x a ogp:LocalMember . BIND(true AS ?loc) }
} GROUP BY ?x ORDER BY ASC(COALESCE(?key, "")) ASC(STR(?x))""")
    expected = [(r["x"], int(r["local"]), int(r["n"])) for r in rows]
    got = [(iri, local, n) for iri, _, local, n in index.members_page(1000, 0)]
    assert got == expected and expected
    assert index.totals["members"] == len(expected)
    assert index.totals["local_members"] == sum(local for _, local, _ in expected)
    per_member = {iri: index.count_commitments(index.commitment_where(member=iri))
                  for iri, _, _ in expected}
    assert per_member == {iri: n for iri, _, n in expected}


def test_policy_area_and_concept_counts_agree_with_sparql(case) -> None:
    store, index, _ = case
    scheme = f"{B}id/policy-area"
    rows = select(store, f"""
SELECT ?x (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?x skos:inScheme <{scheme}> .
  OPTIONAL {{ ?c a ogp:Commitment ; ogp:policyArea ?x }} }} GROUP BY ?x""")
    expected = {r["x"]: int(r["n"]) for r in rows}
    assert expected and any(expected.values())
    got = {x: index.count_commitments(index.commitment_where(policy_area=x)) for x in expected}
    assert got == expected
    users = {x: uses for x, _, _, uses in index.concepts(scheme)}
    assert users == expected  # only commitments point at policy areas here


def test_institution_type_facet_agrees_with_sparql(case) -> None:
    """Filtering by a class lists the institutions of that class or of a subclass of it
    (the ontology's subclass axioms; the data may state the most specific class alone)."""
    store, index, _ = case
    with_ontology = ox.Store()
    with_ontology.extend(store)
    load_support_graphs(with_ontology, BASE)
    ogp = f"{BASE}ontology#"
    counts = dict(index.institution_types())
    assert len(counts) >= 2, "the fixture types some institutions"
    for cls in (*counts, f"{ogp}GovernmentBody", f"{ogp}NonGovernmentalOrganization"):
        rows = select(with_ontology, "SELECT DISTINCT ?x WHERE { ?x a ogp:Institution ; a ?t . "
                                     f"?t rdfs:subClassOf* <{cls}> }}")
        expected = {r["x"] for r in rows}
        got = {row[0] for row in index.institutions_page(None, 1000, 0, cls)}
        assert got == expected, cls
        assert index.count_institutions(None, cls) == len(expected) == counts.get(cls, 0)
    for iri, _, _, _, kind in index.institutions_page(None, 1000, 0):
        # the row's type is its most specific class: no other class of it is below it
        below = select(with_ontology, f"SELECT ?t WHERE {{ <{iri}> a ?t . ?t rdfs:subClassOf+ "
                                      f"<{kind}> }}")
        assert kind.startswith(ogp) and not below, (iri, kind)


def test_institution_and_plan_counts_agree_with_sparql(case) -> None:
    store, index, _ = case
    rows = select(store, """
SELECT ?x (MIN(LCASE(STR(?l))) AS ?key) (COUNT(DISTINCT ?led) AS ?nled)
       (COUNT(DISTINCT ?sup) AS ?nsup) WHERE { ?x a ogp:Institution .
  OPTIONAL { ?x rdfs:label ?l } OPTIONAL { ?led ogp:leadInstitution ?x }
  OPTIONAL { ?sup ogp:supportingInstitution ?x }
} GROUP BY ?x ORDER BY ASC(COALESCE(?key, "")) ASC(STR(?x))""")
    expected = [(r["x"], int(r["nled"]), int(r["nsup"])) for r in rows]
    got = [(iri, led, sup) for iri, _, led, sup, _ in index.institutions_page(None, 1000, 0)]
    assert got == expected and any(led for _, led, _ in expected)
    plans = select(store, """
SELECT ?x (MIN(LCASE(STR(?ml))) AS ?mkey) (MIN(STR(?cy)) AS ?cycle) (COUNT(DISTINCT ?c) AS ?n)
WHERE { ?x a ogp:ActionPlan . OPTIONAL { ?x ogp:member/rdfs:label ?ml }
  OPTIONAL { ?x ogp:cycleYear ?cy } OPTIONAL { ?c a ogp:Commitment ; ogp:actionPlan ?x }
} GROUP BY ?x ORDER BY ASC(COALESCE(?mkey, "")) DESC(COALESCE(?cycle, "")) ASC(STR(?x))""")
    assert [(iri, n) for iri, _, _, n in index.action_plans_page(None, 1000, 0)] == [
        (r["x"], int(r["n"])) for r in plans]


def test_member_filter_of_plans_and_institutions(case) -> None:
    store, index, _ = case
    for member in {m for _, m, _, _ in index.action_plans_page(None, 1000, 0) if m}:
        rows = select(store, f"SELECT DISTINCT ?x WHERE {{ ?x a ogp:Institution ; "
                             f"ogp:member <{member}> }}")
        assert index.count_institutions(member) == len(rows)
        assert {iri for iri, *_ in index.institutions_page(member, 1000, 0)} == {
            r["x"] for r in rows}


def test_completion_rank_and_cycles(case) -> None:
    store, index, _ = case
    assert index.completion_rank(f"{B}id/completion/substantial") == 4
    assert index.completion_rank(f"{B}id/completion/unknown") is None
    years = [r["y"] for r in select(store, "SELECT DISTINCT (STR(?c) AS ?y) WHERE { ?p a "
                                           "ogp:ActionPlan ; ogp:cycleYear ?c } ORDER BY ?y")]
    assert index.cycles() == years


def test_disk_and_memory_give_the_same_answers(case) -> None:
    _, memory, disk = case
    assert disk.path is not None and memory.path is None
    for where in (memory.commitment_where(), memory.commitment_where(starred=True)):
        for sort in SORTS:
            assert (memory.commitment_page(where, sort, True, 7, 3)
                    == disk.commitment_page(where, sort, True, 7, 3))
    assert memory.members_page(100, 0) == disk.members_page(100, 0)
    assert memory.institutions_page(None, 100, 0) == disk.institutions_page(None, 100, 0)
    assert memory.search_page(["water"], 50, 0) == disk.search_page(["water"], 50, 0)
    assert memory.totals == disk.totals
    everything = [r[0] for r in memory.commitment_page(memory.commitment_where(), "id",
                                                      False, 1000, 0)]
    assert memory.labels(everything, "es") == disk.labels(everything, "es")


def test_labels_follow_the_reader_language() -> None:
    index = build_listing_index(_store("generated"), BASE, None)
    peru, c0 = f"{B}id/member/peru", f"{B}id/commitment/C000"
    assert index.labels([peru], "es")[peru] == ("Perú", "es")
    assert index.labels([peru], "fr")[peru] == ("Peru", "en")  # falls back to English
    assert index.labels([c0], "es")[c0] == ("Compromiso open 0", "es")
    assert index.labels([c0], "en")[c0] == ("Water commitment 0", "en")
    assert index.labels([f"{B}id/nothing"], "en") == {}


# --- search ---------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["fts5", "like"])
def generated(request) -> ListingIndex:
    """Search runs on FTS5, or on LIKE over folded text where SQLite lacks FTS5."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "like":
            patch.setattr("ogpgraph.release.listings.writer.has_fts5", lambda: False)
        index = build_listing_index(_store("generated"), BASE, None)
    assert index.fts == (request.param == "fts5")
    return index


def _ids(rows: list[tuple]) -> list[str]:
    return [row[0].rsplit("/", 1)[-1] for row in rows]


def test_search_ranks_title_then_institution_then_description(generated) -> None:
    words = search_words("water")
    rows = generated.search_page(words, 100, 0)
    assert generated.search_count(words) == len(rows)
    fields = [row[-1] for row in rows]
    assert fields == sorted(fields, reverse=True)  # 3 title, 2 institution, 1 description
    assert {3, 2, 1} <= set(fields)
    titled = {f"C{n:03d}" for n in range(40)  # English title, or Spanish one (n % 5 == 0)
              if n % 6 == 0 or (n % 5 == 0 and (n + 1) % 6 == 0)}
    assert set(_ids(rows[:len(titled)])) == titled


def test_search_requires_every_word_ignores_case_and_accents(generated) -> None:
    one = _ids(generated.search_page(search_words("EDUCACION agencia"), 100, 0))
    assert one and one == _ids(generated.search_page(search_words("Educación"), 100, 0))
    both = set(_ids(generated.search_page(search_words("budget 16"), 100, 0)))
    assert both == {"C016"}  # "Budget commitment 16"
    assert _ids(generated.search_page(search_words("compromiso"), 100, 0))


@pytest.mark.parametrize("text", [
    'water"', '"water', 'wa"ter', "water*", "NEAR(water open)", "water -open", "-water",
    "water OR open", "water AND NOT open", "title: water", "{title}: water", "water\\",
    "\\\\water", "^water", "water + open", "'water'", "(water", "water)", "water;--",
])
def test_search_input_is_never_an_operator(generated, text: str) -> None:
    words = search_words(text)
    rows = generated.search_page(words, 100, 0)  # raises on an FTS syntax error
    assert generated.search_count(words) == len(rows)
    plain = {w.lower() for w in words}
    assert plain <= {"water", "open", "near", "or", "and", "not", "title", "wa", "ter"}
    if plain == {"water"}:
        assert len(rows) == generated.search_count(["water"]) > 0


@pytest.mark.parametrize(("words", "expected"), [
    (["water"], '"water"'),
    (['say "x"'], '"say ""x"""'),
    (["NEAR", "a"], '"NEAR" "a"'),
])
def test_fts_query_quotes_each_word(words: list[str], expected: str) -> None:
    assert fts_query(words) == expected


def test_search_words_split_on_punctuation() -> None:
    assert search_words('He said "hi" \\ then-left_x') == ["He", "said", "hi", "then", "left",
                                                           "x"]
    assert search_words(".* ( [ ] ;") == []


def test_fts5_is_available_here() -> None:
    """The LIKE fallback exists for SQLite builds without FTS5; this one has it."""
    assert has_fts5()
    assert build_listing_index(_store("web"), BASE, None).fts


def test_completion_counts_group_commitments_by_highest_rank() -> None:
    import pyoxigraph as ox

    from ogpgraph.config import DEFAULT_BASE_URI as B

    store = ox.Store()
    ogp = f"{B}ontology#"
    data = f"""
@prefix ogp: <{ogp}> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{B}id/completion/limited> skos:inScheme <{B}id/completion> ; ogp:rank 3 .
<{B}id/completion/complete> skos:inScheme <{B}id/completion> ; ogp:rank 5 .
<{B}id/member/x> a ogp:Member .
<{B}id/commitment/XX0001> a ogp:Commitment ; ogp:member <{B}id/member/x> ;
    ogp:assessment <{B}id/assessment/XX0001-mid-term>, <{B}id/assessment/XX0001-end-of-term> .
<{B}id/assessment/XX0001-mid-term> ogp:completion <{B}id/completion/limited> .
<{B}id/assessment/XX0001-end-of-term> ogp:completion <{B}id/completion/complete> .
<{B}id/commitment/XX0002> a ogp:Commitment ; ogp:member <{B}id/member/x> .
"""
    store.load(input=data.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{B}g"))
    index = build_listing_index(store, B, None)
    counts = index.completion_counts(index.commitment_where(member=f"{B}id/member/x"))
    assert counts == [(5, 1), (None, 1)]
    assert index.concept_with_rank(f"{B}id/completion", 5) == f"{B}id/completion/complete"
