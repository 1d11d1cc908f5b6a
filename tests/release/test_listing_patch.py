"""The listing index patched for a change holds what an index written from scratch holds:
every table's rows and every search term, for changes to a resource's own statements and
to what its rows read of its neighbours."""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT
from ogpgraph.release.full import load_parts
from ogpgraph.release.listings.patch import patch_listing_index
from ogpgraph.release.listings.writer import write_listing
from ogpgraph.release.pipeline import NullProgress, prepare
from tests.release.test_build import listing_rows
from tests.release.test_incremental import fts_terms

B = DEFAULT_BASE_URI
OGP = f"{B}ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DEFAULT = ox.DefaultGraph()
Change = Callable[[ox.Store], None]


@pytest.fixture(scope="module")
def union(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The seed page and the export sample, mapped, as one default graph (N-Triples)."""
    sources = tmp_path_factory.mktemp("listing")
    shutil.copy(PROJECT_ROOT / "data" / "PE0055.txt", sources)
    shutil.copy(PROJECT_ROOT / "tests" / "fixtures" / "csv" / "sample.csv", sources)
    shutil.copy(PROJECT_ROOT / "tests" / "fixtures" / "pages" / "UK0063.txt", sources)
    prepared = prepare([sources], B, NullProgress())
    store, _ = load_parts(prepared.all_parts, B, prepared.built_at, NullProgress())
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)


def default_store(ntriples: bytes) -> ox.Store:
    store = ox.Store()
    store.load(ntriples, ox.RdfFormat.N_TRIPLES)  # into the default graph, as a release's
    return store


def one(store: ox.Store, s: str | None, p: ox.NamedNode) -> ox.Quad:
    return next(iter(store.quads_for_pattern(ox.NamedNode(s) if s else None, p, None, DEFAULT)))


def relabel_member(store: ox.Store) -> None:
    """Peru's label: every Peruvian commitment's member sort key (a neighbour's statement)."""
    old = one(store, f"{B}id/member/peru", LABEL)
    store.remove(old)
    store.add(ox.Quad(old.subject, LABEL, ox.Literal("Zzz Peru", language="en"), DEFAULT))


def new_sector(store: ox.Store) -> None:
    """An institution becomes a multilateral organisation: a class new to the index."""
    institution = one(store, None, ox.NamedNode(f"{OGP}leadInstitution")).object
    for quad in list(store.quads_for_pattern(institution, RDF_TYPE, None, DEFAULT)):
        store.remove(quad)
    for name in ("Institution", "MultilateralOrganization"):
        store.add(ox.Quad(institution, RDF_TYPE, ox.NamedNode(f"{OGP}{name}"), DEFAULT))


def relabel_institution(store: ox.Store) -> None:
    """An institution's name: the search documents of the commitments it leads."""
    institution = one(store, None, ox.NamedNode(f"{OGP}leadInstitution")).object
    for quad in list(store.quads_for_pattern(institution, LABEL, None, DEFAULT)):
        store.remove(quad)
    store.add(ox.Quad(institution, LABEL, ox.Literal("Renamed Agency"), DEFAULT))


def drop_commitment(store: ox.Store) -> None:
    """A commitment gone: the ids (and search rows) of those after it move."""
    gone = ox.NamedNode(f"{B}id/commitment/PE0055")
    for quad in list(store.quads_for_pattern(gone, None, None, DEFAULT)) + list(
            store.quads_for_pattern(None, None, gone, DEFAULT)):
        store.remove(quad)


def completion(store: ox.Store) -> None:
    """An assessment's completion: its commitment's highest rank."""
    assessment = one(store, None, ox.NamedNode(f"{OGP}assessedCommitment")).subject
    for quad in list(store.quads_for_pattern(assessment, ox.NamedNode(f"{OGP}completion"),
                                             None, DEFAULT)):
        store.remove(quad)
    store.add(ox.Quad(assessment, ox.NamedNode(f"{OGP}completion"),
                      ox.NamedNode(f"{B}id/completion/complete"), DEFAULT))


def changed(before: ox.Store, after: ox.Store) -> dict[str, set[str]]:
    """Subject -> the predicates of its statements that differ."""
    found: dict[str, set[str]] = defaultdict(set)
    one_way = {(q.subject, q.predicate, q.object) for q in before}
    other = {(q.subject, q.predicate, q.object) for q in after}
    for s, p, _ in one_way ^ other:
        found[s.value].add(p.value)
    return found


@pytest.mark.parametrize("change", [relabel_member, new_sector, relabel_institution,
                                    drop_commitment, completion], ids=lambda f: f.__name__)
def test_a_patched_index_is_the_index_written_anew(union: bytes, tmp_path: Path,
                                                   change: Change) -> None:
    before, after = default_store(union), default_store(union)
    change(after)
    changes = changed(before, after)
    assert changes
    _, state = write_listing(before, B, tmp_path / "before.sqlite", union=False)
    patched = patch_listing_index(tmp_path / "patched.sqlite", tmp_path / "before.sqlite",
                                  state, after, before, B, {}, changes)
    _, anew = write_listing(after, B, tmp_path / "anew.sqlite", union=False)
    assert listing_rows(tmp_path / "patched.sqlite") == listing_rows(tmp_path / "anew.sqlite")
    assert listing_rows(tmp_path / "patched.sqlite") != listing_rows(tmp_path / "before.sqlite")
    assert fts_terms(tmp_path / "patched.sqlite") == fts_terms(tmp_path / "anew.sqlite")
    assert patched.commitments == anew.commitments and patched.uses == anew.uses
