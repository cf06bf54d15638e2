"""Tiny hand-written SVG line charts (no plotting library): safe to inline in a page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 36, 40


@dataclass(frozen=True)
class Point:
    when: datetime
    value: float
    label: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]
    colour: str = "#7a3e9d"


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def line_chart(
    title: str,
    series: Sequence[Series],
    y_min: float,
    y_max: float,
    *,
    y_label: str = "",
    reference: float | None = None,
    reference_label: str = "",
) -> str:
    """An accessible SVG line chart of one or more series over time (oldest left).

    Empty data gives a chart with a "no data yet" note, never an error.
    """
    all_points = [p for s in series for p in s.points]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span_y = (y_max - y_min) or 1.0

    def y(v: float) -> float:
        return TOP + plot_h - (min(max(v, y_min), y_max) - y_min) / span_y * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="22" font-family="sans-serif" font-size="14" '
        f'fill="#222">{escape(title)}</text>',
    ]
    for frac in (0.0, 0.25, 0.5, 0.75, 1.0):
        v = y_min + frac * span_y
        yy = y(v)
        parts.append(f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" '
                     'stroke="#e6e6e6" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" font-family="sans-serif" '
                     f'font-size="11" text-anchor="end" fill="#555">{_fmt(v)}</text>')
    if y_label:
        parts.append(f'<text x="12" y="{TOP + plot_h / 2:.1f}" font-family="sans-serif" '
                     f'font-size="11" fill="#555" transform="rotate(-90 12 {TOP + plot_h / 2:.1f})"'
                     f' text-anchor="middle">{escape(y_label)}</text>')
    if reference is not None:
        yy = y(reference)
        parts.append(f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" '
                     'stroke="#c0392b" stroke-width="1" stroke-dasharray="4 3"/>')
        if reference_label:
            parts.append(f'<text x="{WIDTH - RIGHT}" y="{yy - 4:.1f}" font-family="sans-serif" '
                         f'font-size="11" text-anchor="end" fill="#c0392b">'
                         f'{escape(reference_label)}</text>')
    if not all_points:
        parts.append(f'<text x="{WIDTH / 2:.0f}" y="{TOP + plot_h / 2:.0f}" '
                     'font-family="sans-serif" font-size="13" text-anchor="middle" '
                     'fill="#777">No data yet</text>')
        parts.append("</svg>")
        return "\n".join(parts)

    t0 = min(p.when for p in all_points).timestamp()
    t1 = max(p.when for p in all_points).timestamp()
    span_t = (t1 - t0) or 1.0

    def x(p: Point) -> float:
        if t1 == t0:
            return LEFT + plot_w / 2
        return LEFT + (p.when.timestamp() - t0) / span_t * plot_w

    first = min(all_points, key=lambda p: p.when)
    last = max(all_points, key=lambda p: p.when)
    for p, anchor in ((first, "start"), (last, "end")):
        parts.append(f'<text x="{x(p):.1f}" y="{HEIGHT - 14}" font-family="sans-serif" '
                     f'font-size="11" text-anchor="{anchor}" fill="#555">'
                     f'{p.when.date().isoformat()}</text>')
    for s in series:
        pts = sorted(s.points, key=lambda p: p.when)
        if not pts:
            continue
        coords = " ".join(f"{x(p):.1f},{y(p.value):.1f}" for p in pts)
        if len(pts) > 1:
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{s.colour}" '
                         'stroke-width="2"/>')
        for p in pts:
            tip = f"{p.when.date().isoformat()}: {_fmt(p.value)}"
            if p.label:
                tip += f" ({p.label})"
            parts.append(f'<circle cx="{x(p):.1f}" cy="{y(p.value):.1f}" r="3.5" '
                         f'fill="{s.colour}"><title>{escape(s.name)} {escape(tip)}</title>'
                         "</circle>")
    if len(series) > 1:
        lx = LEFT
        for s in series:
            parts.append(f'<rect x="{lx}" y="{HEIGHT - 30}" width="10" height="10" '
                         f'fill="{s.colour}"/>')
            parts.append(f'<text x="{lx + 14}" y="{HEIGHT - 21}" font-family="sans-serif" '
                         f'font-size="11" fill="#333">{escape(s.name)}</text>')
            lx += 14 + 7 * len(s.name) + 16
    parts.append("</svg>")
    return "\n".join(parts)
