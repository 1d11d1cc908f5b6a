"""Tiny server-side SVG charts: no JavaScript, readable without CSS, scale to the viewport.

Pure functions returning markup; every text is escaped here, so the result is safe to
insert into a page as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None


def _attr(text: str) -> str:
    return escape(text, quote=True)


def bar_chart(bars: Sequence[Bar], title: str, *, width: int = 640, bar_height: int = 22,
              gap: int = 6, label_width: int = 240) -> Markup:
    """A horizontal bar chart: one row per bar, label left, value right of the bar.

    The SVG has a ``viewBox`` and ``width=100%`` so it shrinks on a phone; ``<title>`` and
    ``role`` (img; group when bars link) + ``aria-labelledby`` name the chart, and each bar
    carries its own ``<title>`` with label and value.
    """
    chart_id = "chart-" + "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:40]
    height = max(1, len(bars)) * (bar_height + gap) + gap
    largest = max((bar.value for bar in bars), default=0) or 1
    value_room = 56
    span = max(1, width - label_width - value_room)
    rows: list[str] = []
    for i, bar in enumerate(bars):
        y = gap + i * (bar_height + gap)
        length = max(1, round(span * bar.value / largest)) if bar.value > 0 else 0
        middle = y + bar_height / 2
        label = escape(bar.label if len(bar.label) <= 34 else bar.label[:33] + "…")
        body = (
            f'<title>{escape(bar.label)}: {bar.value}</title>'
            f'<text x="{label_width - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle">{label}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="#2b6cb0"/>'
            f'<text x="{label_width + length + 6}" y="{middle}" '
            f'dominant-baseline="middle">{bar.value}</text>'
        )
        if bar.href:
            body = f'<a href="{_attr(bar.href)}">{body}</a>'
        rows.append(f"<g>{body}</g>")
    # role=img makes children presentational: with links inside, a group keeps them usable
    role = "group" if any(bar.href for bar in bars) else "img"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="{role}" aria-labelledby="{chart_id}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-family="sans-serif" font-size="13">'
        f'<title id="{chart_id}">{escape(title)}</title>'
        + "".join(rows)
        + "</svg>"
    )
    return Markup(svg)
