"""The query page: a form that works without JavaScript, examples, HTML results."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sparql_fixture import BASE, PREFIXES

from ogpgraph.web.sparql.examples import PAGE_PREFIXES, example_queries

HTML_ACCEPT = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
TITLES = PREFIXES + ("SELECT ?c ?title WHERE { ?c a ogp:Commitment ; dcterms:title ?title "
                     "FILTER(langMatches(lang(?title), 'en')) } ORDER BY ?c")


def page(client, **params):
    response = client.get("/sparql", params=params or None, headers=HTML_ACCEPT)
    return response, HTMLParser(response.text)


def test_form(client):
    response, tree = page(client)
    assert response.status_code == 200
    form = tree.css_first("form[method=get][action='/sparql']")
    assert form is not None
    textarea = form.css_first("textarea[name=query]")
    assert textarea is not None
    assert form.css_first(f"label[for={textarea.attributes['id']}]") is not None
    assert form.css_first("select[name=format] option[value=csv]") is not None
    default = textarea.text()
    for prefix in PAGE_PREFIXES:
        assert f"PREFIX {prefix}:" in default
    # no CDN: the editor's scripts, where installed, come from our own origin; the form
    # above needs none of them
    assert all(s.attributes["src"].startswith(f"{BASE}static/") for s in tree.css("script[src]"))


def test_examples_are_listed_as_runnable_links(client):
    _, tree = page(client)
    links = tree.css("#examples ol a")
    examples = example_queries(BASE)
    assert len(links) == len(examples) == 8
    for link, example in zip(links, examples, strict=True):
        assert link.text() == example.title
        assert parse_qs(urlsplit(link.attributes["href"]).query)["query"] == [example.query]


def test_results_table(client):
    response, tree = page(client, query=TITLES)
    assert response.status_code == 200
    headers = [th.text() for th in tree.css("#results thead th")]
    assert headers == ["c", "title"]
    rows = tree.css("#results tbody tr")
    assert len(rows) == 4
    first_link = rows[0].css_first("a")
    assert first_link.attributes["href"] == f"{BASE}id/commitment/PE0055"
    # the query stays in the form, ready to edit
    assert tree.css_first("textarea[name=query]").text() == TITLES


def test_literals_are_escaped(client):
    response, tree = page(client, query=TITLES)
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in response.text
    assert any("<script>alert('x')</script>" in td.text() for td in tree.css("#results td"))


def test_only_web_iris_become_links(client):
    query = "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <urn:isbn:123> } }"
    response, tree = page(client, query=query)
    assert response.status_code == 200
    assert not tree.css("#results td a")
    assert "javascript:alert(1)" in tree.css_first("#results td").text()


@pytest.mark.parametrize("query, formats", [
    (TITLES, ["json", "xml", "csv", "tsv"]),
    (f"DESCRIBE <{BASE}id/commitment/UK0063>", ["turtle", "jsonld", "nt", "rdfxml", "nq", "trig"]),
])
def test_download_links(client, query, formats):
    _, tree = page(client, query=query)
    links = tree.css("#results ul.downloads a")
    assert [parse_qs(urlsplit(a.attributes["href"]).query)["format"][0] for a in links] == formats
    for link in links:  # every link answers the same query in its format
        response = client.get(link.attributes["href"])
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == link.attributes["type"]


def test_construct_as_table(client):
    response, tree = page(client, query=f"DESCRIBE <{BASE}id/commitment/UK0063>")
    assert [th.text() for th in tree.css("#results thead th")] == ["subject", "predicate", "object"]
    assert len(tree.css("#results tbody tr")) > 5


def test_ask_answer(client):
    _, tree = page(client, query="ASK { ?s ?p ?o }")
    assert tree.css_first("#ask-answer").text() == "true"


def test_format_html_without_accept(client):
    response = client.get("/sparql", params={"query": TITLES, "format": "html"})
    assert response.headers["content-type"].startswith("text/html")
    assert len(HTMLParser(response.text).css("#results tbody tr")) == 4


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE {\n  ?s ?p\n}", "syntax error"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "updates are not allowed"),
])
def test_error_box(client, query, message):
    response, tree = page(client, query=query)
    assert response.status_code == 400
    box = tree.css_first(".error[role=alert]")
    assert box is not None and message in box.text()
    assert tree.css_first("textarea[name=query]").text() == query
