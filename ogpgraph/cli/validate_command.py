"""`ogpgraph validate`: the shapes applied to a build folder or an RDF file.

Both run the shapes compiled to SPARQL (``ogpgraph.validation``) on an Oxigraph store:
a build's own store, or a store holding the file beside the ontology and vocabularies.
Each named graph is validated on its own; triples outside any named graph form one graph.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ogpgraph.graph.static_files import ONTOLOGY_FILE, VOCABULARIES_FILE, rebased_text
from ogpgraph.graph.uris import Uris
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.writer import load_text_into
from ogpgraph.validation.pyshacl_reference import ValidationOutcome
from ogpgraph.validation.run import validate_store

RDF_FILE_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
                    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG,
                    ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML}


class ValidationInputError(Exception):
    pass


def validate_path(path: Path, base: str) -> ValidationOutcome:
    if path.is_dir():
        for layout in (BuildLayout.current(path), BuildLayout(path)):
            if layout.exists():
                return validate_store(ox.Store.read_only(str(layout.store_dir)), base)
        raise ValidationInputError(f"{path}: not a build folder (no build.json)")
    return validate_store(store_of_file(path, base), base)


def store_of_file(path: Path, base: str) -> ox.Store:
    rdf_format = RDF_FILE_FORMATS.get(path.suffix.lower())
    if rdf_format is None or not path.is_file():
        raise ValidationInputError(
            f"{path}: not an RDF file ({', '.join(RDF_FILE_FORMATS)}) or a build folder")
    store = ox.Store()
    target = None if rdf_format.supports_datasets else ox.NamedNode(f"{base}graph/input")
    try:
        store.load(path=str(path), format=rdf_format, to_graph=target)
    except (SyntaxError, ValueError, OSError) as error:
        raise ValidationInputError(f"{path}: cannot parse as {rdf_format.name}: {error}") from error
    if target is None:  # a dataset's default graph is validated as one more graph
        default = ox.NamedNode(f"{base}graph/input-default")
        store.extend(ox.Quad(q.subject, q.predicate, q.object, default)
                     for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if len(store) == 0:
        raise ValidationInputError(f"{path}: no triples to validate")
    uris = Uris(base)
    load_text_into(store, rebased_text(ONTOLOGY_FILE, base), uris.graph("ontology"))
    load_text_into(store, rebased_text(VOCABULARIES_FILE, base), uris.graph("vocabularies"))
    return store
