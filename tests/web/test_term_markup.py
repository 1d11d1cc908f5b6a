"""The ``term`` / ``term_typed`` filters' markup, exactly: links with their label, a
label's language tag when it is not the reader's, tagged and typed literals, and every
value escaped (labels and literals are data from sources)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ogpgraph.web.templating import env

BASE = "http://127.0.0.1:8000/"
PLAN = URIRef(f"{BASE}id/action-plan/peru-2015")


def shown(term: object, typed: bool = False, labels: dict | None = None,
          lang: str = "en") -> str:
    template = env.from_string("{{ t | term_typed }}" if typed else "{{ t | term }}")
    return template.render(t=term, base=BASE, lang=lang, labels=labels or {})


def test_a_link_shows_its_label_escaped_with_its_language_when_not_the_readers() -> None:
    labels = {PLAN: Literal('Perú <2015> & "co"', lang="es")}
    assert shown(PLAN, labels=labels) == (
        f'<a href="{BASE}doc/action-plan/peru-2015.html">Perú &lt;2015&gt; &amp; '
        '&#34;co&#34;</a><span class="lang" title="language">es</span>')
    assert shown(PLAN, labels=labels, lang="es") == (
        f'<a href="{BASE}doc/action-plan/peru-2015.html">Perú &lt;2015&gt; &amp; '
        '&#34;co&#34;</a>')


def test_a_link_without_label_shows_the_iri_tail_and_escapes_the_href() -> None:
    odd = URIRef('http://example.org/a"b<c')
    assert shown(odd) == '<a href="http://example.org/a&#34;b&lt;c">a&#34;b&lt;c</a>'


def test_tagged_and_typed_literals() -> None:
    assert shown(Literal("<b>datos</b>", lang="es")) == (
        '<span lang="es">&lt;b&gt;datos&lt;/b&gt;</span> '
        '<span class="lang" title="language">es</span>')
    day = Literal("2024-05-02", datatype=XSD.date)
    assert shown(day) == '<time datetime="2024-05-02">May 2, 2024</time>'
    assert shown(day, typed=True) == (
        '<time datetime="2024-05-02">May 2, 2024</time> <span class="datatype" '
        'title="http://www.w3.org/2001/XMLSchema#date">xsd:date</span>')
    assert shown(Literal("a < b")) == "a &lt; b"
