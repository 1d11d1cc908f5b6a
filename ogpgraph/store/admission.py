"""Admission to the query endpoint: who a client is, and how many queries each may have.

A client is the peer address of the connection; behind a reverse proxy every peer is the
proxy, so ``X-Forwarded-For`` is believed from the peers of ``OGPGRAPH_TRUSTED_PROXIES``
only (anyone else could write any address there): the client is then the right-most
address of the header that is not itself a trusted proxy.

Each client may have ``OGPGRAPH_QUERY_PER_CLIENT`` queries running or waiting for a worker;
one more is refused at once (429 with Retry-After), so no single client can take every
worker. Refusals are logged with the client, at most once per client every
``LOG_EVERY`` seconds (with the number refused meanwhile), so a flood cannot fill the log.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

log = logging.getLogger("ogpgraph.sparql")

LOG_EVERY = 10.0  # seconds between two refusal lines about the same client
_FORGET_AFTER = 600.0  # seconds after which a quiet client's refusal record is dropped

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR blocks (``10.0.0.1``, ``10.0.0.0/8``, ``::1``); ValueError naming
    the entry that is neither."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"OGPGRAPH_TRUSTED_PROXIES: {entry!r} is not an IP address or "
                             "network") from None
    return tuple(networks)


def _trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: list[str],
                   trusted: tuple[Network, ...]) -> str:
    """The client of a request: the peer, or, when the peer is a trusted proxy, the
    right-most address of the X-Forwarded-For headers that is not a trusted proxy."""
    client = peer or "unknown"
    if not trusted or not _trusted(client, trusted):
        return client
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _trusted(hop, trusted):
            return hop
        client = hop
    return client


@dataclass
class _Refusals:
    last_logged: float = 0.0
    unlogged: int = 0


@dataclass
class ClientLimiter:
    """Queries in flight per client, capped at ``per_client`` (0: no cap)."""

    per_client: int
    _in_flight: dict[str, int] = field(default_factory=dict)
    _refusals: dict[str, _Refusals] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self, client: str) -> bool:
        """Count one more query of ``client``; False (and logged) when over its cap."""
        with self._lock:
            running = self._in_flight.get(client, 0)
            if self.per_client > 0 and running >= self.per_client:
                self._log_refusal(client, f"it already has {running} queries running or "
                                          f"waiting (OGPGRAPH_QUERY_PER_CLIENT={self.per_client})")
                return False
            self._in_flight[client] = running + 1
            return True

    def leave(self, client: str) -> None:
        with self._lock:
            left = self._in_flight.get(client, 0) - 1
            if left > 0:
                self._in_flight[client] = left
            else:
                self._in_flight.pop(client, None)

    def in_flight(self, client: str) -> int:
        with self._lock:
            return self._in_flight.get(client, 0)

    def refused(self, client: str, why: str) -> None:
        """Log that a query of ``client`` was refused, and why (rate-limited per client)."""
        with self._lock:
            self._log_refusal(client, why)

    def _log_refusal(self, client: str, why: str) -> None:
        now = time.monotonic()
        record = self._refusals.setdefault(client, _Refusals())
        if now - record.last_logged < LOG_EVERY:
            record.unlogged += 1
            return
        also = f"; {record.unlogged} more refused since the last line" if record.unlogged else ""
        log.warning("query of client %s refused: %s%s", client, why, also)
        record.last_logged, record.unlogged = now, 0
        if len(self._refusals) > 10_000:  # forget quiet clients
            for name in [n for n, r in self._refusals.items()
                         if now - r.last_logged > _FORGET_AFTER]:
                del self._refusals[name]
