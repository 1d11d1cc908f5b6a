"""``ogpgraph validate`` says how much it checked and never passes vacuously: per-shape focus
node counts from the engine's own targets, exit 2 (no verdict) when no shape found a node,
exit 1 on violations, and every dump the release publishes is accepted."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from ogpgraph.cli.app import app
from ogpgraph.cli.validate import rdf_format_of
from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT
from ogpgraph.release.layout import DUMPS, BuildLayout

runner = CliRunner()
OTHER_BASE = "http://example.org/ogp/"
OGP = f"{DEFAULT_BASE_URI}ontology#"


@pytest.fixture(scope="module")
def seed_turtle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed page as ``ogpgraph parse`` prints it, under the default base."""
    result = runner.invoke(app, ["parse", str(PROJECT_ROOT / "data" / "PE0055.txt")],
                           env={"OGPGRAPH_BASE_URI": DEFAULT_BASE_URI})
    assert result.exit_code == 0, result.output
    path = tmp_path_factory.mktemp("seed") / "seed.ttl"
    path.write_text(result.stdout, encoding="utf-8")
    return path


def _table(output: str) -> dict[str, tuple[int, int, int]]:
    """The per-shape table: shape -> (focus nodes, violations, warnings)."""
    rows = re.findall(r"^(ogpsh:\w+|total)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)$", output,
                      re.MULTILINE)
    return {name: tuple(int(n.replace(",", "")) for n in counts)  # type: ignore[misc]
            for name, *counts in rows}


def _instances(path: Path, cls: str) -> int:
    """Nodes of a class, counted by rdflib (independently of the validation engine)."""
    return len(set(Graph().parse(path).subjects(RDF.type, URIRef(cls))))


def test_a_file_shows_the_focus_nodes_of_each_shape(seed_turtle: Path) -> None:
    result = runner.invoke(app, ["validate", str(seed_turtle)])
    assert result.exit_code == 0, result.output
    table = _table(result.stdout)
    assert table["ogpsh:CommitmentShape"][0] == _instances(seed_turtle, f"{OGP}Commitment") > 1
    assert table["ogpsh:MilestoneShape"][0] == _instances(seed_turtle, f"{OGP}Milestone") > 0
    assert table["total"][0] == sum(row[0] for name, row in table.items() if name != "total")
    assert table["total"][1] == 0


def test_data_built_under_another_base_is_refused_and_named(seed_turtle: Path,
                                                           tmp_path: Path) -> None:
    other = tmp_path / "other.ttl"
    other.write_text(seed_turtle.read_text(encoding="utf-8").replace(DEFAULT_BASE_URI,
                                                                      OTHER_BASE),
                     encoding="utf-8")
    result = runner.invoke(app, ["validate", str(other)])
    assert result.exit_code == 2, result.output
    assert "Conforms" not in result.output
    assert "nothing was checked" in result.output
    assert f"target classes and properties in {OGP}" in result.output  # what it looked for
    assert f"mostly in {OTHER_BASE}ontology#" in result.output  # what the file uses
    assert f"--base {OTHER_BASE}" in result.output and "OGPGRAPH_BASE_URI" in result.output

    rebased = runner.invoke(app, ["validate", "--base", OTHER_BASE, str(other)])
    assert rebased.exit_code == 0, rebased.output
    assert _table(rebased.stdout)["ogpsh:CommitmentShape"][0] == _instances(
        seed_turtle, f"{OGP}Commitment")


def test_a_file_of_no_known_vocabulary_is_refused(tmp_path: Path) -> None:
    foaf = tmp_path / "people.ttl"
    foaf.write_text("<http://people.example/a> a <http://xmlns.com/foaf/0.1/Person> .\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["validate", str(foaf)])
    assert result.exit_code == 2
    assert "mostly in http://xmlns.com/foaf/0.1/" in result.output
    assert "give it with --base" in result.output


def test_a_violation_exits_1_and_is_counted_on_its_shape(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(f"<{DEFAULT_BASE_URI}id/commitment/XX> a <{OGP}Commitment> .\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1, result.output
    commitment = _table(result.stdout)["ogpsh:CommitmentShape"]
    assert commitment[0] == 1 and commitment[1] >= 1
    assert _table(result.stdout)["total"][1] == result.stdout.count("\nViolation: ")


def test_ttl_output_stays_turtle_and_the_table_goes_to_stderr(seed_turtle: Path) -> None:
    result = runner.invoke(app, ["validate", str(seed_turtle), "--format", "ttl"])
    assert result.exit_code == 0
    Graph().parse(data=result.stdout, format="turtle")  # nothing but Turtle on stdout
    assert "ogpsh:CommitmentShape" in result.stderr


def test_gzipped_nquads_are_validated(seed_turtle: Path, tmp_path: Path) -> None:
    store = ox.Store()
    store.load(path=str(seed_turtle), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(f"{DEFAULT_BASE_URI}id/source/x"))
    path = tmp_path / "seed.nq.gz"
    with gzip.open(path, "wb") as stream:
        store.dump(stream, ox.RdfFormat.N_QUADS)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert _table(result.stdout)["ogpsh:CommitmentShape"][0] == _instances(
        seed_turtle, f"{OGP}Commitment")


def test_a_broken_gzip_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.nq.gz"
    path.write_bytes(b"not gzip at all")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "broken.nq.gz: cannot parse as gzipped N-Quads" \
        in result.output


def test_every_published_dump_is_accepted(default_build_dir: Path) -> None:
    """Each file of the release's dumps/ is read; the whole-dataset dumps conform and check
    every commitment; the subsets (ontology, vocabularies, shapes) are read too (they hold
    little or nothing the shapes target: exit 0 or 2, never refused as a format)."""
    layout = BuildLayout.current(default_build_dir)
    commitments = layout.manifest()["counts"]["commitments"]
    for dump in DUMPS:
        path = layout.dump_path(dump)
        assert rdf_format_of(path) is not None, path
        result = runner.invoke(app, ["validate", str(path)])
        if dump.whole_dataset:
            assert result.exit_code == 0, (dump.file, result.output)
            assert _table(result.stdout)["ogpsh:CommitmentShape"][0] == commitments
        else:
            assert result.exit_code in (0, 2), (dump.file, result.output)
            assert "not an RDF file" not in result.output
            assert "cannot parse" not in result.output
