"""Charts drawn on the server as inline SVG: no script, no CDN, readable on a counter PC and a phone."""

from __future__ import annotations

from dataclasses import dataclass

# Colour-blind-safe (Okabe–Ito) and distinct in grey print.
COLOURS = {
    "early": "#009E73",
    "on_time": "#56B4E9",
    "late": "#D55E00",
    "in_time": "#F0E442",
    "overdue": "#CC79A7",
    "closed": "#999999",
}


@dataclass
class Segment:
    key: str
    x: float
    width: float
    value: int
    colour: str


@dataclass
class Bar:
    label: str
    y: int
    total: int
    segments: list[Segment]


@dataclass
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    legend: list[tuple[str, str, str]]


def stacked(rows: list[tuple[str, dict[str, int]]], keys: list[tuple[str, str]], *, width: int = 640) -> Chart:
    """One horizontal bar per row, split by ``keys`` [(key, label)], scaled to the largest row."""
    label_width, bar_height, gap = 200, 22, 8
    biggest = max((sum(cells[k] for k, _label in keys) for _name, cells in rows), default=0) or 1
    scale = (width - label_width - 60) / biggest
    bars = []
    for i, (name, cells) in enumerate(rows):
        x = float(label_width)
        segments = []
        for key, _label in keys:
            w = cells[key] * scale
            segments.append(Segment(key=key, x=x, width=w, value=cells[key], colour=COLOURS[key]))
            x += w
        bars.append(Bar(label=name, y=i * (bar_height + gap), total=sum(cells[k] for k, _l in keys), segments=segments))
    height = len(rows) * (bar_height + gap) + 30
    legend = [(key, label, COLOURS[key]) for key, label in keys]
    return Chart(bars=bars, width=width, height=height, label_width=label_width, legend=legend)
