"""The local stand-in for OGP's site, fresh (counts, faults) for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from harvest_server import HarvestServer, serving


@pytest.fixture
def site() -> Iterator[HarvestServer]:
    with serving() as server:
        yield server
