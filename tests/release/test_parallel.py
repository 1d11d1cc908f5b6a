"""Worker-process fan-out keeps order, and errors from workers keep their fields."""

from __future__ import annotations

import pickle

import pytest

from ogpgraph.release.parallel import ordered_map
from ogpgraph.sources.errors import SourceError


def square(n: int) -> int:
    return n * n


def fail_on_three(n: int) -> int:
    if n == 3:
        raise SourceError("x.csv", "bad row", line=n, field="Commitment Title")
    return n


@pytest.mark.parametrize("workers", [1, 2])
def test_results_keep_input_order(workers: int) -> None:
    assert list(ordered_map(square, range(50), workers)) == [n * n for n in range(50)]


def test_a_worker_error_arrives_whole() -> None:
    with pytest.raises(SourceError) as caught:
        list(ordered_map(fail_on_three, range(10), 2))
    assert (caught.value.line, caught.value.field) == (3, "Commitment Title")
    assert str(caught.value) == "x.csv:3: field 'Commitment Title': bad row"


def test_source_error_pickles() -> None:
    error = SourceError("a.txt", "bad date", line=7, field="start_date")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)
