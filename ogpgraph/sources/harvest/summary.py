"""What a harvest did, URL by URL, and how to say it: one line of counts, then one line for
each URL that failed or was skipped, with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from ogpgraph.sources.harvest.fetch import FetchResult


@dataclass
class Summary:
    fetched: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # done by the interrupted run resumed
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    resumed: bool = False
    interrupted: bool = False

    def add(self, result: FetchResult, previous_copy: bool) -> None:
        if result.outcome == "fetched":
            self.fetched.append(result.url)
        elif result.outcome == "unchanged":
            self.unchanged.append(result.url)
        else:
            kept = "; the copy from an earlier harvest is kept" if previous_copy else ""
            self.failed.append((result.url, result.reason + kept))

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted

    def counts(self) -> str:
        parts = [f"{len(self.fetched)} fetched", f"{len(self.unchanged)} unchanged"]
        if self.kept:
            parts.append(f"{len(self.kept)} already fetched by the interrupted run")
        parts += [f"{len(self.failed)} failed", f"{len(self.skipped)} skipped"]
        return ", ".join(parts)

    def lines(self) -> list[str]:
        head = "harvest interrupted" if self.interrupted else "harvest"
        if self.resumed:
            head += " (resumed)"
        lines = [f"{head}: {self.counts()}"]
        lines += [f"failed  {url}: {reason}" for url, reason in self.failed]
        lines += [f"skipped {url}: {reason}" for url, reason in self.skipped]
        lines += [f"note    {note}" for note in self.notes]
        if self.interrupted:
            lines.append("run the same command again to resume where it stopped")
        return lines
