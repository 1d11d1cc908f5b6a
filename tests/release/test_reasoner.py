"""The published default graph plus the ontology is consistent for an OWL reasoner (HermiT,
bundled with owlready2; it needs Java). The check can fail: the same graph with one more
end year of an action plan, or an institution typed with two disjoint classes, is
inconsistent.

HermiT knows only the OWL 2 datatype map, which has no ``xsd:gYear``, ``xsd:gYearMonth`` or
``xsd:date``: those literals (and ranges) are given to it as ``xsd:string`` with the same
lexical form, which keeps two different years two different values. (Pellet, also bundled,
does not run on this machine's Java 17: its Jena jar needs a newer one.)"""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest

from ogpgraph.config import DEFAULT_BASE_URI as B
from ogpgraph.release.layout import BuildLayout

owlready2 = pytest.importorskip("owlready2", reason="owlready2 is not installed (test extra)")
if shutil.which("java") is None:
    pytest.skip("no Java runtime: HermiT (owlready2's reasoner) runs on Java",
                allow_module_level=True)

XSD = "http://www.w3.org/2001/XMLSchema#"
OWL2_DATATYPES = {"string", "integer", "boolean", "decimal", "double", "float", "dateTime",
                  "anyURI", "int", "long", "nonNegativeInteger", "positiveInteger"}
_DATATYPE = re.compile(r"<http://www\.w3\.org/2001/XMLSchema#(\w+)>")


def consistent(union_nt_gz: Path, tmp: Path, extra: str = "") -> bool:
    """HermiT's verdict on the N-Triples dump (plus ``extra`` N-Triples lines)."""
    def owl2(line: str) -> str:
        return _DATATYPE.sub(lambda m: m.group(0) if m.group(1) in OWL2_DATATYPES
                             else f"<{XSD}string>", line)

    text = tmp / "union.nt"
    with gzip.open(union_nt_gz, "rt", encoding="utf-8") as src, \
            text.open("w", encoding="utf-8") as out:
        for line in src:
            out.write(owl2(line))
        out.write(owl2(extra))
    world = owlready2.World()
    ontology = world.get_ontology(text.as_uri()).load(format="ntriples")
    try:
        with ontology:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return True


def _dump(build: Path) -> Path:
    return BuildLayout.current(build).root / "dumps" / "ogpgraph.nt.gz"


def test_the_shared_build_is_consistent(shared_build_dir: Path, tmp_path: Path) -> None:
    assert consistent(_dump(shared_build_dir), tmp_path)


@pytest.mark.parametrize("extra", [
    # a second end year of the functional ogp:endYear
    f'<{B}id/action-plan/peru-2015> <{B}ontology#endYear> "2099"^^<{XSD}gYear> .\n',
    # an institution both a government body and a civil society organisation
    f"<{B}id/institution/peru/proetica> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    f"<{B}ontology#ExecutiveBody> .\n"
    f"<{B}id/institution/peru/proetica> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    f"<{B}ontology#CivilSocietyOrganization> .\n",
], ids=["functional", "disjoint"])
def test_the_reasoner_finds_a_contradiction(default_build_dir: Path, tmp_path: Path,
                                            extra: str) -> None:
    dump = _dump(default_build_dir)
    assert consistent(dump, tmp_path)
    assert not consistent(dump, tmp_path, extra)
