"""How a query worker's query or life ended, in words: the messages of the outcomes the
pool answers with, and the cause of a worker's end for the log (``worker_pool.py``)."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

from ogpgraph.store.worker_process import SANDBOX_FAILED_EXIT


def timeout_message(seconds: float) -> str:
    return (f"query stopped: it ran longer than the {seconds:g} s limit "
            "(OGPGRAPH_QUERY_TIMEOUT). Narrow it down, add a LIMIT, or download a dump.")


def queued_message(seconds: float) -> str:
    return (f"query not run: no query worker became free within the {seconds:g} s limit "
            "(OGPGRAPH_QUERY_TIMEOUT, counted from the request's arrival): the endpoint is "
            "busy, try again shortly")


def busy_message(queue: int) -> str:
    return (f"all query workers are busy and {queue} queries are already waiting "
            "(OGPGRAPH_QUERY_QUEUE): try again shortly")


def memory_message(megabytes: int) -> str:
    return (f"query stopped: the query needed more than {megabytes} MB of memory "
            "(OGPGRAPH_QUERY_MEMORY). Narrow it down or add a LIMIT (ORDER BY, DISTINCT and "
            "GROUP BY over large results hold them whole), or download a dump.")


@dataclass(frozen=True)
class Ending:
    """How a worker ended: ``kind`` is timeout, client, long, memory, crash or unknown."""

    kind: str
    text: str


KILL_REASONS = {  # why the pool killed a worker -> what the log says
    "timeout": "killed: its query ran past the deadline",
    "client": "killed: its client went away",
    "long": "replaced after a long query (its priority had been lowered)",
    "memory": "ended: its query ran out of memory",
}


def describe_ending(status: int | None, reason: str | None, memory_mb: int) -> Ending:
    """The cause of a worker's end, from why it was killed (``reason``, None if it died by
    itself) and its wait status (None: not known)."""
    if reason == "memory":
        return Ending("memory", f"ended: its query needed more than {memory_mb} MB")
    if reason is not None:
        return Ending(reason, KILL_REASONS[reason])
    if status is None:
        return Ending("unknown", "died (its wait status is not known)")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        if sig == signal.SIGABRT and memory_mb > 0:
            return Ending("memory", f"died: out of memory, its query needed more than "
                                    f"{memory_mb} MB (OGPGRAPH_QUERY_MEMORY; {name})")
        return Ending("crash", f"crashed: killed by {name}")
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else status
    if code == SANDBOX_FAILED_EXIT:
        return Ending("crash", "exited: it could not forbid itself the network")
    return Ending("crash", f"exited with code {code}")
