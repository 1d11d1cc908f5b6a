"""Query workers without network: a seccomp filter that refuses every new socket but Unix ones.

Oxigraph evaluates ``SERVICE`` by opening an HTTP connection, and there is no switch to
turn that off. The query check (``query_check.py``) refuses SERVICE on a real parse; this
is the second wall, so that a query that slips past the check still reaches nobody. The
filter is installed in the worker after it starts and cannot be lifted by it; sockets the
worker already holds (its socket pair to the server) keep working.
"""

from __future__ import annotations

import errno
import socket
import sys

NETWORK_ERRNO = errno.EPERM  # what socket() answers inside the sandbox
BLOCKED_MESSAGE = "Operation not permitted"


class SandboxUnavailable(RuntimeError):
    """The platform cannot forbid the network to this process."""


def _seccomp():  # noqa: ANN202 - the pyseccomp module
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(f"seccomp is Linux-only (this is {sys.platform})")
    try:
        import pyseccomp
    except (ImportError, OSError) as error:  # OSError: libseccomp.so.2 missing
        raise SandboxUnavailable(f"libseccomp is not available: {error}") from error
    return pyseccomp


def ensure_available() -> None:
    """SandboxUnavailable, with the reason, where workers could not be sandboxed (checked
    once in the server, so it refuses to start rather than running unsandboxed workers)."""
    _seccomp()


def forbid_network() -> None:
    """From now on, this process (and threads and children it starts) cannot create any
    socket but AF_UNIX ones. Raises SandboxUnavailable where seccomp is not available."""
    seccomp = _seccomp()
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        rules.add_rule(seccomp.ERRNO(NETWORK_ERRNO), "socket",
                       seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(seccomp.ERRNO(NETWORK_ERRNO), "socketpair",
                       seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.load()
    except Exception as error:  # the kernel refused the filter
        raise SandboxUnavailable(f"the seccomp filter could not be loaded: {error}") from error


def network_is_forbidden() -> bool:
    """True when this process cannot open an Internet socket (checked by trying)."""
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except PermissionError:
        return True
    probe.close()
    return False
