"""`ogpgraph validate`: the shapes applied to a build folder or an RDF file."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from ogpgraph.build_layout import BuildLayout

RDF_FILE_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
                    ".jsonld": "json-ld", ".rdf": "xml"}


class ValidationInputError(Exception):
    pass


def graphs_of(path: Path) -> list[Graph]:
    """The graphs to validate: each named graph of a build or a quad file on its own."""
    if path.is_dir():
        for candidate in (BuildLayout.current(path), BuildLayout(path)):
            if candidate.exists():
                return graphs_of_dataset(candidate.trig_dump, "trig")
        raise ValidationInputError(f"{path}: not a build folder (no build.json)")
    fmt = RDF_FILE_FORMATS.get(path.suffix.lower())
    if fmt is None or not path.is_file():
        raise ValidationInputError(
            f"{path}: not an RDF file ({', '.join(RDF_FILE_FORMATS)}) or build folder")
    if fmt in ("nquads", "trig"):
        return graphs_of_dataset(path, fmt)
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except Exception as error:  # rdflib raises many parser-specific types
        raise ValidationInputError(f"{path}: cannot parse as {fmt}: {error}") from error
    return [graph]


def graphs_of_dataset(path: Path, fmt: str) -> list[Graph]:
    dataset = Dataset()
    try:
        dataset.parse(path, format=fmt)
    except Exception as error:
        raise ValidationInputError(f"{path}: cannot parse as {fmt}: {error}") from error
    graphs = []
    for context in dataset.graphs():
        graph = Graph()
        for triple in context:
            graph.add(triple)
        if len(graph) and "/graph/" not in str(context.identifier):
            graphs.append(graph)
    return graphs


def validate_path(path: Path, base: str):
    from ogpgraph.validation import merge_outcomes, validate

    graphs = graphs_of(path)
    if not graphs:
        raise ValidationInputError(f"{path}: no triples to validate")
    return merge_outcomes([validate(graph, base) for graph in graphs])
