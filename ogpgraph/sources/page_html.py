"""Saved HTML of OGP commitment pages: flattened with selectolax into the text form that
``page_text`` reads (one block element per line, ``<li>`` as ``  • item``, ``<dt>`` and its
``<dd>`` on one ``Label: value`` line), then read as text.

Line numbers in errors and warnings refer to the flattened text, not to the HTML.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ogpgraph.records.model import Source, SourceRecords
from ogpgraph.sources.files import read_utf8
from ogpgraph.sources.page_text import is_page_text, read_page_text

# Page furniture, not content.
NOISE = ["script", "style", "noscript", "template", "svg", "nav", "footer", "iframe", "form",
         "button", "select", "head"]
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "details", "div", "dl",
    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "html", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
})
BULLET = "\u2022"
_LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype\s+html|html|body|h1|div|main)\b", re.IGNORECASE)


def _walk(node: LexborNode, out: list[str]) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            # source line breaks are not text line breaks
            out.append(re.sub(r"\s+", " ", child.text(deep=False) or ""))
        elif tag == "br":
            out.append("\n")
        elif tag == "li":
            out.append(f"\n{BULLET} ")
            _walk(child, out)
            out.append("\n")
        elif tag == "dt":  # the label; its <dd> value follows on the same line
            out.append("\n")
            _walk(child, out)
            out.append(" ")
        elif tag == "dd":
            _walk(child, out)
            out.append("\n")
        elif tag in BLOCKS:
            out.append("\n")
            _walk(child, out)
            out.append("\n")
        elif not tag.startswith("-"):  # inline element (comments are "-comment")
            _walk(child, out)
        child = child.next


def page_url(tree: LexborHTMLParser) -> str | None:
    for selector, attribute in (('link[rel="canonical"]', "href"),
                                ('meta[property="og:url"]', "content")):
        node = tree.css_first(selector)
        if node is not None and node.attributes.get(attribute):
            return (node.attributes[attribute] or "").strip() or None
    return None


def flatten(html: str) -> str:
    """The page as text: ``# source: URL`` (from the canonical link), then its lines."""
    tree = LexborHTMLParser(html)
    url = page_url(tree)
    tree.strip_tags(NOISE)
    out: list[str] = []
    root = tree.body or tree.root
    if root is not None:
        _walk(root, out)
    lines = []
    for line in "".join(out).split("\n"):
        line = " ".join(line.split())
        if line.startswith(BULLET):
            line = f"  {BULLET} {line[1:].strip()}"
        if line:
            lines.append(line)
    if url:
        lines.insert(0, f"# source: {url}")
    return "\n".join(lines) + "\n"


def is_page_html(text: str) -> bool:
    """Saved HTML of an OGP commitment page (cheap enough for the head of a file)."""
    return bool(_LOOKS_LIKE_HTML.search(text)) and is_page_text(flatten(text))


def read_page_html(path: Path, html: str | None = None) -> SourceRecords:
    """The records of a saved commitment page; the Source hashes the HTML's bytes."""
    if html is None:
        raw, html = read_utf8(path)
    else:
        raw = html.encode("utf-8")
    text = flatten(html)
    source = Source(kind="page", path=str(path), sha256=hashlib.sha256(raw).hexdigest())
    return read_page_text(path, text, source=source)
