"""Shapes generated from the ontology's axioms, so that a new axiom is checked without a
hand-written shape:

- every ``owl:FunctionalProperty``: at most one value per subject (``sh:targetSubjectsOf``
  the property, ``sh:maxCount 1``);
- every ``owl:disjointWith`` pair: no node of both classes (``sh:targetClass`` the one,
  ``sh:not`` a shape requiring ``sh:class`` the other; subclasses count on both sides).

They are written into the generated section at the end of ``shapes/ogp-shapes.ttl``, so that
every reader of the shapes (the build, ``ogpgraph validate``, the ``/shapes`` page, the
shapes dump, pyshacl in the tests) sees them, and they are published like the hand-written
ones. Regenerate with ``python -m ogpgraph.validation.axioms --write``;
``tests/validation/test_axiom_shapes.py`` fails, naming that command, when the file is not in
sync with the ontology.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.static_files import ONTOLOGY_FILE, SHAPES_FILE
from ogpgraph.validation.shapes import Shape

DISJOINT_MARK = "DisjointWith"  # in the name of every generated disjointness shape
BEGIN = ("# === Generated from ontology/ogp.ttl by ogpgraph/validation/axioms.py "
         "(python -m ogpgraph.validation.axioms --write): do not edit by hand ===")
END = "# === End of the generated shapes ==="


def _local(iri: URIRef) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def _label(ontology: Graph, iri: URIRef) -> str:
    for label in ontology.objects(iri, RDFS.label):
        if isinstance(label, Literal) and label.language == "en":
            return str(label)
    return _local(iri)


def _curie(iri: URIRef, ogp: str) -> str:
    if str(iri).startswith(ogp):
        return f"ogp:{_local(iri)}"
    return f"<{iri}>"


def _a(label: str) -> str:
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generated_shapes(ontology: Graph, ogp: str = f"{DEFAULT_BASE_URI}ontology#") -> str:
    """The generated section (Turtle, using the shapes file's prefixes)."""
    out = [BEGIN,
           "# One shape per owl:FunctionalProperty (at most one value per subject) and per",
           "# owl:disjointWith pair (no node typed with both classes, subclasses included).", ""]
    for prop in sorted(p for p in ontology.subjects(RDF.type, OWL.FunctionalProperty)
                       if isinstance(p, URIRef)):
        name = _local(prop)
        shape = f"ogpsh:{name[0].upper()}{name[1:]}Functional"
        message = (f"At most one {_label(ontology, prop)} per resource "
                   f"({_curie(prop, ogp)} is an owl:FunctionalProperty)")
        out += [f"{shape} a sh:NodeShape ;",
                f"    sh:name {_quote(f'{_label(ontology, prop)}: functional')} ;",
                f"    sh:targetSubjectsOf {_curie(prop, ogp)} ;",
                f"    sh:property {shape}Value .", "",
                f"{shape}Value a sh:PropertyShape ;",
                f"    sh:path {_curie(prop, ogp)} ;",
                f"    sh:message {_quote(message)} ;",
                "    sh:maxCount 1 .", ""]
    pairs = {tuple(sorted((a, b), key=str)) for a, b in ontology.subject_objects(OWL.disjointWith)
             if isinstance(a, URIRef) and isinstance(b, URIRef)}
    for a, b in sorted(pairs, key=lambda pair: (str(pair[0]), str(pair[1]))):
        shape = f"ogpsh:{_local(a)}{DISJOINT_MARK}{_local(b)}"
        message = (f"Nothing is both {_a(_label(ontology, a))} and {_a(_label(ontology, b))} "
                   f"({_curie(a, ogp)} owl:disjointWith {_curie(b, ogp)})")
        out += [f"{shape} a sh:NodeShape ;",
                f"    sh:name {_quote(f'{_label(ontology, a)} / {_label(ontology, b)}')} ;",
                f"    sh:targetClass {_curie(a, ogp)} ;",
                f"    sh:message {_quote(message)} ;",
                f"    sh:not {shape}Other .", "",
                f"{shape}Other a sh:NodeShape ;",
                f"    sh:class {_curie(b, ogp)} .", ""]
    out.append(END)
    return "\n".join(out) + "\n"


def per_source(shapes: tuple[dict[Node, Shape], tuple[Shape, ...]]
               ) -> tuple[dict[Node, Shape], tuple[Shape, ...]]:
    """The shapes a build runs on each source graph: all but the disjointness ones. A node's
    classes may come from several sources (the export's ``ogp:Country``, a page's
    ``ogp:LocalMember``): the precedence of sources settles that in the default graph, where
    the disjointness shapes then run (``release/default_graph.py``)."""
    every, roots = shapes
    return every, tuple(r for r in roots if DISJOINT_MARK not in str(r.node))


def hand_written(text: str) -> str:
    """The shapes file without its generated section."""
    return text.split(BEGIN, 1)[0].rstrip() + "\n"


def in_sync(ontology_file: Path = ONTOLOGY_FILE, shapes_file: Path = SHAPES_FILE) -> bool:
    text = shapes_file.read_text(encoding="utf-8")
    return text == _with_generated(text, ontology_file)


def _with_generated(text: str, ontology_file: Path) -> str:
    ontology = Graph().parse(ontology_file, format="turtle")
    return hand_written(text) + "\n" + generated_shapes(ontology)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite shapes/ogp-shapes.ttl")
    args = parser.parse_args(argv)
    text = SHAPES_FILE.read_text(encoding="utf-8")
    wanted = _with_generated(text, ONTOLOGY_FILE)
    if args.write:
        SHAPES_FILE.write_text(wanted, encoding="utf-8")
        return 0
    sys.stdout.write(generated_shapes(Graph().parse(ONTOLOGY_FILE, format="turtle")))
    return 0 if text == wanted else 1


if __name__ == "__main__":
    raise SystemExit(main())
