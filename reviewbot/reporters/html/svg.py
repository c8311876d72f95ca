"""Inline SVG charts drawn from the data: stacked bars, grouped bars, and a small meter.

No library and no script: each chart is a self-contained `<svg role="img">` with a `<title>` and
`<desc>` for screen readers, styled only by presentation attributes and the page's one hashed
stylesheet (the page's Content-Security-Policy allows no inline `style=` attributes). Every chart
sits next to a table holding the same numbers, so colour is never the only carrier of meaning.
Labels are escaped: they may come from the data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from reviewbot.reporters.html.markup import Html

_W, _H = 960, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 12, 30, 44


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[int]


def nice_step(value: float) -> int:
    """The smallest whole 1, 2 or 5 times a power of ten that is >= value (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(int(step * power) for step in (1, 2, 5, 10) if step * power >= value)


def axis(largest: int) -> tuple[int, int]:
    """(step, ticks): whole-number gridlines, about five, whose top is at least `largest`."""
    step = nice_step(largest / 5)
    return step, max(1, math.ceil(largest / step))


def _open(uid: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>',
    ]


def _axes(largest: int, plot_w: int, plot_h: int) -> tuple[int, list[str]]:
    """The axis top (a whole number) and its gridlines with labels."""
    step, ticks = axis(largest)
    out = []
    for i in range(ticks + 1):
        y = _TOP + plot_h - plot_h * i / ticks
        out.append(f'<line class="grid" x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{step * i}</text>')
    return step * ticks, out


def _legend(series: Sequence[Series], width: int) -> list[str]:
    out, x = [], _LEFT
    for s in series:
        out.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{escape(s.colour)}"/>')
        out.append(f'<text class="legend" x="{x + 17}" y="18">{escape(s.name)}</text>')
        x += 30 + 7 * len(s.name)
    return out if x < width else out[: 2 * len(series)]


def _x_labels(labels: Sequence[str], slot: float) -> list[str]:
    every = max(1, math.ceil(len(labels) * 64 / (_W - _LEFT - _RIGHT)))
    out = []
    for i, label in enumerate(labels):
        if i % every == 0:
            x = _LEFT + slot * (i + 0.5)
            out.append(
                f'<text class="tick" x="{x:.1f}" y="{_H - _BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    return out


def stacked_bars(uid: str, labels: Sequence[str], series: Sequence[Series], *, title: str, desc: str) -> Html:
    """One bar per label, the series stacked bottom-up in the order given."""
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top, grid = _axes(max(totals, default=0), plot_w, plot_h)
    slot = plot_w / max(1, len(labels))
    bar = max(1.0, slot * 0.72)
    out = [*_open(uid, title, desc, _W, _H), *grid, *_legend(series, _W)]
    for i, label in enumerate(labels):
        x = _LEFT + slot * i + (slot - bar) / 2
        y = float(_TOP + plot_h)
        for s in series:
            v = s.values[i]
            if not v:
                continue
            h = plot_h * v / top
            y -= h
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{escape(s.colour)}">'
                f"<title>{escape(label)}: {v} {escape(s.name)}</title></rect>"
            )
    out.extend(_x_labels(labels, slot))
    out.append("</svg>")
    return Html("".join(out))


def grouped_bars(
    uid: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    marker: float | None = None,
    marker_label: str = "",
) -> Html:
    """Bars side by side per label; `marker` (0..1 of the x axis) draws a dashed vertical line."""
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    top, grid = _axes(max((v for s in series for v in s.values), default=0), plot_w, plot_h)
    slot = plot_w / max(1, len(labels))
    bar = slot * 0.8 / max(1, len(series))
    out = [*_open(uid, title, desc, _W, _H), *grid, *_legend(series, _W)]
    for i, label in enumerate(labels):
        for j, s in enumerate(series):
            v = s.values[i]
            if not v:
                continue
            h = plot_h * v / top
            x = _LEFT + slot * i + slot * 0.1 + bar * j
            out.append(
                f'<rect x="{x:.1f}" y="{_TOP + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{escape(s.colour)}"><title>{escape(label)}: {v} {escape(s.name)}</title></rect>'
            )
    if marker is not None and 0 <= marker <= 1:
        x = _LEFT + plot_w * marker
        out.append(f'<line class="marker" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP - 4}" y2="{_TOP + plot_h}"/>')
        out.append(f'<text class="tick" x="{x + 4:.1f}" y="{_TOP + 8}">{escape(marker_label)}</text>')
    out.extend(_x_labels(labels, slot))
    out.append("</svg>")
    return Html("".join(out))


def meter(fraction: float, *, label: str, width: int = 120, height: int = 12) -> Html:
    """A small horizontal bar filled to `fraction` (0..1), for a table cell."""
    f = min(1.0, max(0.0, fraction))
    return Html(
        f'<svg class="meter" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="{width}" height="{height}" class="meter-bg"/>'
        f'<rect width="{width * f:.1f}" height="{height}" class="meter-fill"/></svg>'
    )


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    values: Sequence[float | None]  # 0..1 per label; None: no data that week (a gap in the line)


def share_lines(uid: str, labels: Sequence[str], lines: Sequence[Line], *, title: str, desc: str) -> Html:
    """Shares (0..100 %) per label as lines with a dot per point; a None breaks the line."""
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    out = [*_open(uid, title, desc, _W, _H), *_legend([Series(x.name, x.colour, ()) for x in lines], _W)]
    for i in range(5):
        y = _TOP + plot_h - plot_h * i / 4
        out.append(f'<line class="grid" x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{25 * i}%</text>')
    slot = plot_w / max(1, len(labels))
    for line in lines:
        runs: list[list[str]] = [[]]
        for i, (label, v) in enumerate(zip(labels, line.values, strict=True)):
            if v is None:
                runs.append([])
                continue
            x, y = _LEFT + slot * (i + 0.5), _TOP + plot_h * (1 - min(1.0, max(0.0, v)))
            runs[-1].append(f"{x:.1f},{y:.1f}")
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{escape(line.colour)}">'
                f"<title>{escape(label)}: {v:.0%} {escape(line.name)}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                out.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{escape(line.colour)}" stroke-width="2"/>'
                )
    out.extend(_x_labels(labels, slot))
    out.append("</svg>")
    return Html("".join(out))
