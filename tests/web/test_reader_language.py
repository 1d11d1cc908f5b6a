"""Every kind of page as a Spanish, French or English reader gets it (``Accept-Language``)
from a real build of the fixture sources: the page's own words from the message catalogs,
property and class names from the ontology, dates in words, the language said in
``Content-Language`` and ``<html lang>``, and caches told that the page varies with it
(``Vary``, one ETag per language, 304 only for the same language)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser

LANGS = ("en", "es", "fr")
# what a reader sees in the page's own elements (headings, property names, table heads,
# form labels, the navigation, the kind of resource): element text, stripped
SHOWN = "h1, h2, h3, dt, th, label, nav a, p.kind, button, figcaption, summary"
# the fixture build is dated 2024-05-01 (SOURCE_DATE_EPOCH): every footer says so in words
BUILD_DATE = {"en": "May 1, 2024", "es": "1 de mayo de 2024", "fr": "1 mai 2024"}

# page -> language -> (its <h1>, texts its elements show)
PAGES: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "/": {
        "en": ("Open Government Partnership commitments as linked data",
               ("What is in it", "Use it", "Members", "Action plans", "Downloads")),
        "es": ("Los compromisos de la Alianza para el Gobierno Abierto como datos enlazados",
               ("Qué contiene", "Cómo usarlo", "Miembros", "Planes de acción", "Descargas")),
        "fr": ("Les engagements du Partenariat pour un gouvernement ouvert en données liées",
               ("Ce qu'il contient", "L'utiliser", "Membres", "Plans d'action",
                "Téléchargements")),
    },
    "/doc/commitment/PE0055.html": {
        "en": ("Management of Citizen Participationen",
               ("Commitment", "Milestones", "IRM assessments", "All properties", "Member",
                "Action plan", "Start date", "End date", "Identifier", "Supporting institution",
                "History")),
        "es": ("Management of Citizen Participationen",
               ("Compromiso", "Hitos", "Evaluaciones del IRM", "Todas las propiedades",
                "Miembro", "Plan de acción", "Fecha de inicio", "Fecha de finalización",
                "Identificador", "Institución de apoyo", "¿Se abrió el gobierno?", "Historial")),
        "fr": ("Management of Citizen Participationen",
               ("Engagement", "Jalons", "Évaluations de l'IRM", "Toutes les propriétés",
                "Membre", "Plan d'action", "Date de début", "Date de fin", "Identifiant",
                "Institution de soutien", "A-t-il ouvert le gouvernement ?", "Historique")),
    },
    "/doc/member/peru.html": {
        "en": ("Peruen", ("OGP member", "Completion", "Action plans", "Commitments by cycle",
                          "Cycle 2015(17)", "Properties")),
        "es": ("Peruen", ("Miembro de OGP", "Terminación", "Planes de acción",
                          "Compromisos por ciclo", "Ciclo 2015(17)", "Propiedades")),
        "fr": ("Peruen", ("Membre de l'OGP", "Achèvement", "Plans d'action",
                          "Engagements par cycle", "Cycle 2015(17)", "Propriétés")),
    },
    "/doc/action-plan/peru-2015.html": {
        "en": ("Peru, Second Action Plan, 2015-16",
               ("Action plan", "Commitments(17)", "IRM reports", "Action plan cycleogp:cycleYear",
                "End yearogp:endYear")),
        "es": ("Peru, Second Action Plan, 2015-16",
               ("Plan de acción", "Compromisos(17)", "Informes del IRM",
                "Ciclo del plan de acciónogp:cycleYear", "Año de finalizaciónogp:endYear")),
        "fr": ("Peru, Second Action Plan, 2015-16",
               ("Plan d'action", "Engagements(17)", "Rapports de l'IRM",
                "Cycle du plan d'actionogp:cycleYear", "Année de finogp:endYear")),
    },
    "/doc/institution/peru/proetica.html": {
        "en": ("Proética", ("Institution", "Commitments(leads 0, supports 1)",
                            "Works most often with", "Role", "Type")),
        "es": ("Proética", ("Institución", "Compromisos(dirige 0, apoya 1)",
                            "Trabaja más a menudo con", "Función", "Tipo")),
        "fr": ("Proética", ("Institution", "Engagements(pilote 0, soutient 1)",
                            "Travaille le plus souvent avec", "Rôle", "Type")),
    },
    "/doc/policy-area/open-data.html": {
        "en": ("Open Dataen", ("Concept", "Preferred labelskos:prefLabel",
                               "Is in schemeskos:inScheme", "Links to this resource")),
        "es": ("Datos abiertoses", ("Concepto", "Etiqueta preferidaskos:prefLabel",
                                    "Está en el esquemaskos:inScheme", "Enlaces a este recurso")),
        "fr": ("Données ouvertesfr", ("Concept", "Libellé préférentielskos:prefLabel",
                                      "Est dans le schémaskos:inScheme",
                                      "Liens vers cette ressource")),
    },
    "/doc/milestone/PE0055-1.html": {
        "en": ("PE0055-1", ("Milestone", "Is part ofdcterms:isPartOf", "Positionschema:position")),
        "es": ("PE0055-1", ("Hito", "Es parte dedcterms:isPartOf", "Posiciónschema:position")),
        "fr": ("PE0055-1", ("Jalon", "Fait partie dedcterms:isPartOf",
                            "Positionschema:position")),
    },
    "/doc/irm-report/peru-2015-mid-term.html": {
        "en": ("Peru Mid-Term Progress Report 2015-2017",
               ("IRM report", "Assessments(1)", "Specificity", "Potential impact")),
        "es": ("Peru Mid-Term Progress Report 2015-2017",
               ("Informe del IRM", "Evaluaciones(1)", "Especificidad", "Impacto potencial")),
        "fr": ("Peru Mid-Term Progress Report 2015-2017",
               ("Rapport de l'IRM", "Évaluations(1)", "Spécificité", "Impact potentiel")),
    },
    "/members": {
        "en": ("Members", ("Member", "Kind", "Commitments")),
        "es": ("Miembros", ("Miembro", "Tipo", "Compromisos")),
        "fr": ("Membres", ("Membre", "Type", "Engagements")),
    },
    "/action-plans": {
        "en": ("Action plans", ("Action plan", "Cycle")),
        "es": ("Planes de acción", ("Plan de acción", "Ciclo")),
        "fr": ("Plans d'action", ("Plan d'action", "Cycle")),
    },
    "/commitments": {
        "en": ("Commitments", ("Title", "Cycle year", "Completion at least", "Filter")),
        "es": ("Compromisos", ("Título", "Año del ciclo", "Terminación al menos", "Filtrar")),
        "fr": ("Engagements", ("Titre", "Année du cycle", "Achèvement au moins", "Filtrer")),
    },
    "/institutions": {
        "en": ("Institutions", ("Commitments led", "Commitments supported", "Filter")),
        "es": ("Instituciones", ("Compromisos que dirige", "Compromisos que apoya", "Filtrar")),
        "fr": ("Institutions", ("Engagements pilotés", "Engagements soutenus", "Filtrer")),
    },
    "/policy-areas": {
        "en": ("Policy areas", ("Concept", "Notation")),
        "es": ("Áreas de política", ("Concepto", "Notación")),
        "fr": ("Domaines politiques", ("Concept", "Notation")),
    },
    "/search?q=citizen": {
        "en": ("Search commitments", ("Words in a title, a description or an institution's name",
                                      "Search")),
        "es": ("Buscar compromisos",
               ("Palabras del título o la descripción de un compromiso, o del nombre de una "
                "institución", "Buscar")),
        "fr": ("Rechercher des engagements",
               ("Mots d'un titre, d'une description ou du nom d'une institution",
                "Rechercher")),
    },
    "/downloads": {
        "en": ("Downloads", ("File", "Content", "Size (bytes)")),
        "es": ("Descargas", ("Archivo", "Contenido", "Tamaño (bytes)")),
        "fr": ("Téléchargements", ("Fichier", "Contenu", "Taille (octets)")),
    },
    "/sparql": {
        "en": ("SPARQL query", ("Example queries", "Run query", "Results as")),
        "es": ("Consulta SPARQL", ("Consultas de ejemplo", "Ejecutar la consulta",
                                   "Resultados en")),
        "fr": ("Requête SPARQL", ("Requêtes d'exemple", "Exécuter la requête", "Résultats en")),
    },
    "/vocabularies": {
        "en": ("Controlled vocabularies", ("Used by", "Did it open government?")),
        "es": ("Vocabularios controlados", ("Usado por", "¿Se abrió el gobierno?")),
        "fr": ("Vocabulaires contrôlés", ("Utilisé par", "A-t-il ouvert le gouvernement ?")),
    },
    "/ontology": {
        "en": ("OGP commitments ontology", ("Relations between classes", "Labels")),
        "es": ("Ontología de compromisos de OGP", ("Relaciones entre clases", "Etiquetas")),
        "fr": ("Ontologie des engagements de l'OGP", ("Relations entre classes", "Libellés")),
    },
    "/shapes": {
        "en": ("SHACL shapes", ("Path", "Severity")),
        "es": ("Formas SHACL", ("Ruta", "Gravedad")),
        "fr": ("Formes SHACL", ("Chemin", "Gravité")),
    },
    "/validation-report": {
        "en": ("Validation report", ("Focus node", "Severity")),
        "es": ("Informe de validación", ("Nodo evaluado", "Gravedad")),
        "fr": ("Rapport de validation", ("Nœud évalué", "Gravité")),
    },
    "/changes": {
        "en": ("Changes", ("Releases", "Added", "Kind of change")),
        "es": ("Cambios", ("Versiones", "Altas", "Tipo de cambio")),
        "fr": ("Modifications", ("Versions", "Ajouts", "Type de modification")),
    },
    "/doc/commitment/PE9999.html": {  # a 404, with suggestions
        "en": ("Not Found", ("Did you mean",)),
        "es": ("No encontrado", ("Quizás buscaba",)),
        "fr": ("Introuvable", ("Vouliez-vous dire",)),
    },
}


def fetch(client: TestClient, path: str, lang: str, **headers: str):
    return client.get(path, headers={"accept": "text/html", "accept-language": lang, **headers})


@pytest.mark.parametrize("path", sorted(PAGES))
def test_every_page_kind_speaks_the_readers_language(fixture_client: TestClient,
                                                    path: str) -> None:
    for lang in LANGS:
        heading, shown = PAGES[path][lang]
        response = fetch(fixture_client, path, lang)
        assert response.status_code == (404 if "PE9999" in path else 200), (path, lang)
        assert response.headers["content-language"] == lang
        tree = HTMLParser(response.text)
        assert tree.css_first("html").attributes["lang"] == lang
        assert tree.css_first("h1").text(strip=True) == heading, (path, lang)
        texts = {node.text(strip=True) for node in tree.css(SHOWN)}
        missing = [text for text in shown if text not in texts]
        assert not missing, (path, lang, missing)
        assert tree.css_first("footer time").text() == BUILD_DATE[lang]


@pytest.mark.parametrize(("lang", "dates", "yes_no"), [
    ("en", ("August 2015", "July 2016"), ("Relevant to OGP values", "yes")),
    ("es", ("agosto de 2015", "julio de 2016"), ("Relevante para los valores de OGP", "sí")),
    ("fr", ("août 2015", "juillet 2016"), ("Pertinent pour les valeurs OGP", "oui")),
])
def test_dates_and_booleans_read_in_the_readers_words(fixture_client: TestClient, lang: str,
                                                      dates: tuple[str, str],
                                                      yes_no: tuple[str, str]) -> None:
    tree = HTMLParser(fetch(fixture_client, "/doc/commitment/PE0055.html", lang).text)
    summary = tree.css_first("article dl.props")
    shown = {dt.text(strip=True): dd.text(strip=True)
             for dt, dd in zip(summary.css("dt"), summary.css("dd"), strict=True)}
    start, end = dates
    assert start in shown.values() and end in shown.values()
    assessment = tree.css_first("#irm-h").parent.css_first("dl.props")
    values = {dt.text(strip=True): dd.text(strip=True)
              for dt, dd in zip(assessment.css("dt"), assessment.css("dd"), strict=True)}
    name, word = yes_no
    assert values[name] == word
    # datatypes only in the "all properties" table
    assert not summary.css(".datatype") and not assessment.css(".datatype")
    history = tree.css_first("#history-h").parent
    assert history.css_first("time").text() == BUILD_DATE[lang]


@pytest.mark.parametrize("path", ["/commitments", "/doc/commitment/PE0055.html", "/",
                                  "/commitments?format=csv", "/policy-areas?format=json",
                                  "/action-plans?format=ttl"])
def test_each_language_is_its_own_representation(fixture_client: TestClient,
                                                 path: str) -> None:
    """Caches keep one copy per language: Vary names Accept-Language, the ETag differs by
    language, and a validator of one language is no 304 for another."""
    tags = {}
    for lang in LANGS:
        response = fetch(fixture_client, path, lang)
        assert response.status_code == 200
        assert response.headers["content-language"] == lang
        vary = {v.strip().lower() for v in response.headers["vary"].split(",")}
        assert "accept-language" in vary
        tags[lang] = response.headers["etag"]
    assert len(set(tags.values())) == len(LANGS), tags
    again = fetch(fixture_client, path, "es-PE,es;q=0.9,en;q=0.5", **{
        "if-none-match": tags["es"]})
    assert again.status_code == 304
    other = fetch(fixture_client, path, "fr", **{"if-none-match": tags["es"]})
    assert other.status_code == 200 and other.headers["content-language"] == "fr"


def test_the_listing_data_says_its_language(fixture_client: TestClient) -> None:
    """A listing as CSV holds names in the reader's language, and says which."""
    for lang, name in (("es", "Datos abiertos"), ("fr", "Données ouvertes")):
        response = fetch(fixture_client, "/policy-areas?format=csv", lang)
        assert response.headers["content-language"] == lang
        assert f"{name},open-data," in response.text


def test_lang_parameter_fixes_the_language_and_does_not_vary(
        fixture_client: TestClient) -> None:
    response = fetch(fixture_client, "/commitments?lang=fr", "es")
    assert response.headers["content-language"] == "fr"
    assert "accept-language" not in response.headers.get("vary", "").lower()
    assert HTMLParser(response.text).css_first("h1").text() == "Engagements"
