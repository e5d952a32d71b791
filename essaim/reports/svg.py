"""The PDF's charts and map as inline SVG (WeasyPrint draws them as vectors and tags them as
figures): a <title> gives screen readers the chart in words, text is DejaVu Sans (the PDF's
embedded face), sizes are in points and nothing is under 9 pt. Value axes start at zero for
bars and for values that cannot be negative; an interval (an event study) is always drawn whole;
axes carry their unit; a missing value is written « n.d. », never drawn as 0."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from essaim.numbers.formatting import NOT_AVAILABLE, format_number
from essaim.reports import design
from essaim.reports.fonts import text_width, wrap
from essaim.reports.model import Chart, MapBlock

FONT = "DejaVu Sans"
TICK_PT = 9
LABEL_PT = 9
BAR_PT = 11  # thickness of one bar
LEGEND_ROW = 14


def _text(x: float, y: float, text: str, size: float = TICK_PT, anchor: str = "start",
          colour: str = design.TEXT, weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
            f'font-weight="{weight}" fill="{colour}" text-anchor="{anchor}">{escape(text)}</text>')


def _lines(x: float, y: float, lines: list[str], anchor: str, size: float = TICK_PT) -> str:
    return "".join(_text(x, y + i * (size + 2), line, size, anchor) for i, line in enumerate(lines))


def _colours(block: Chart) -> list[str]:
    palette = list(block.colours) or design.SERIES_PALETTE
    return [palette[i % len(palette)] for i in range(len(block.series))]


def nice_scale(low: float, high: float, ticks: int = 5) -> tuple[float, float, float]:
    """A range holding [low, high] on round steps: (start, end, step)."""
    if high == low:
        high = low + 1
    raw = (high - low) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def value_range(block: Chart) -> tuple[float, float, float]:
    """The value axis: from zero unless values go below it; every value (interval bounds
    included) inside."""
    values = [v for s in block.series for v in s.values if v is not None]
    if not values:
        return 0.0, 1.0, 0.2
    return nice_scale(min(values + [0.0]), max(values + [0.0]))


def _tick_text(value: float, block: Chart, step: float) -> str:
    decimals = 0 if float(step).is_integer() else max(block.decimals, 1)
    return format_number(value, decimals)


def _legend(block: Chart, width: float, top: float) -> tuple[str, float]:
    if len(block.series) < 2:
        return "", 0.0
    parts, x, y = [], 0.0, top + 10
    for colour, series in zip(_colours(block), block.series):
        item = text_width(series.name, TICK_PT) + 26
        if x and x + item > width:
            x, y = 0.0, y + LEGEND_ROW
        parts.append(f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="10" height="10" '
                     f'fill="{colour}"/>' + _text(x + 14, y, series.name))
        x += item
    return "".join(parts), y - top + 6


def chart_svg(block: Chart, width: float) -> str:
    """An SVG chart `width` points wide."""
    if block.kind == "bars":
        body, height = _bars(block, width)
    else:
        body, height = _vertical(block, width)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}pt" '
            f'height="{height:.0f}pt" viewBox="0 0 {width:.1f} {height:.1f}">'
            f"<title>{escape(block.alt)}</title>{body}</svg>")


def _bars(block: Chart, width: float) -> tuple[str, float]:
    names = [wrap(c, TICK_PT, width * 0.34)[:2] for c in block.categories]
    label_width = max(max(text_width(line, TICK_PT) for line in name) for name in names) + 8
    count = len(block.series)
    slot = max(count * BAR_PT + 6, max(len(n) for n in names) * (TICK_PT + 2) + 6)
    value_labels = [lab for s in block.series for lab in s.labels]
    right_room = max(text_width(lab, LABEL_PT) for lab in value_labels) + 6
    left, plot_width = label_width, width - label_width - right_room
    top, plot_height = 4.0, slot * len(block.categories)
    start, end, step = value_range(block)
    span = end - start

    def x(value: float) -> float:
        return left + (value - start) / span * plot_width

    parts = []
    ticks = round(span / step)
    for i in range(ticks + 1):
        value = start + i * step
        parts.append(f'<line x1="{x(value):.1f}" y1="{top}" x2="{x(value):.1f}" '
                     f'y2="{top + plot_height:.1f}" stroke="{design.RULE}" stroke-width="0.5"/>')
        parts.append(_text(x(value), top + plot_height + 11, _tick_text(value, block, step),
                           anchor="middle"))
    colours = _colours(block)
    for index, name in enumerate(names):
        y0 = top + index * slot + (slot - count * BAR_PT) / 2
        centre = top + index * slot + slot / 2
        parts.append(_lines(left - 6, centre + 3 - (len(name) - 1) * (TICK_PT + 2) / 2, name,
                            "end"))
        for s, series in enumerate(block.series):
            value, label = series.values[index], series.labels[index]
            y = y0 + s * BAR_PT
            if value is None:
                parts.append(_text(x(0) + 3, y + BAR_PT - 3, NOT_AVAILABLE, LABEL_PT,
                                   colour=design.MUTED))
                continue
            a, b = sorted((x(0), x(value)))
            parts.append(f'<rect x="{a:.1f}" y="{y + 1:.1f}" width="{max(b - a, 0.5):.1f}" '
                         f'height="{BAR_PT - 2}" fill="{colours[s]}"/>')
            parts.append(_text(b + 3, y + BAR_PT - 3, label, LABEL_PT))
    parts.append(f'<line x1="{x(0):.1f}" y1="{top}" x2="{x(0):.1f}" y2="{top + plot_height:.1f}" '
                 f'stroke="{design.MAP_EDGE}" stroke-width="0.8"/>')
    y = top + plot_height + 26
    if block.axis_title:
        parts.append(_text(left + plot_width / 2, y, block.axis_title, anchor="middle",
                           colour=design.MUTED))
        y += 6
    legend, legend_height = _legend(block, width, y)
    return "".join(parts) + legend, y + legend_height + 2


def _vertical(block: Chart, width: float) -> tuple[str, float]:
    start, end, step = value_range(block)
    span = end - start
    ticks = round(span / step)
    tick_labels = [_tick_text(start + i * step, block, step) for i in range(ticks + 1)]
    left = max(text_width(t, TICK_PT) for t in tick_labels) + 8
    plot_width, top, plot_height = width - left - 10, 34.0, 170.0
    slot = plot_width / max(len(block.categories), 1)
    names = [[piece for part in c.split("\n") for piece in wrap(part, TICK_PT, slot - 4)]
             for c in block.categories]

    def y(value: float) -> float:
        return top + (end - value) / span * plot_height

    parts = []
    if block.axis_title:
        parts.append(_text(0, 10, block.axis_title, colour=design.MUTED))
    for i, label in enumerate(tick_labels):
        value = start + i * step
        parts.append(f'<line x1="{left:.1f}" y1="{y(value):.1f}" x2="{left + plot_width:.1f}" '
                     f'y2="{y(value):.1f}" stroke="{design.RULE}" stroke-width="0.5"/>')
        parts.append(_text(left - 4, y(value) + 3, label, anchor="end"))
    parts.append(f'<line x1="{left:.1f}" y1="{y(0):.1f}" x2="{left + plot_width:.1f}" '
                 f'y2="{y(0):.1f}" stroke="{design.MAP_EDGE}" stroke-width="0.8"/>')
    colours = _colours(block)
    bottom = top + plot_height
    for index, name in enumerate(names):
        parts.append(_lines(left + (index + 0.5) * slot, bottom + 12, name, "middle"))
    if block.kind == "columns":
        width_bar = min(slot * 0.7 / len(block.series), 40)
        for s, series in enumerate(block.series):
            for index, (value, label) in enumerate(zip(series.values, series.labels)):
                cx = left + index * slot + (slot - width_bar * len(block.series)) / 2 \
                    + s * width_bar
                if value is None:
                    parts.append(_text(cx + width_bar / 2, y(0) - 3, NOT_AVAILABLE, LABEL_PT,
                                       "middle", design.MUTED))
                    continue
                a, b = sorted((y(0), y(value)))
                parts.append(f'<rect x="{cx:.1f}" y="{a:.1f}" width="{width_bar - 1:.1f}" '
                             f'height="{max(b - a, 0.5):.1f}" fill="{colours[s]}"/>')
                parts.append(_text(cx + width_bar / 2, a - 3, label, LABEL_PT, "middle"))
    else:
        parts += _line_series(block, colours, left, slot, y)
    height = bottom + 12 + max(len(n) for n in names) * (TICK_PT + 2) + 4
    legend, legend_height = _legend(block, width, height)
    return "".join(parts) + legend, height + legend_height + 2


def _line_series(block: Chart, colours: list[str], left: float, slot: float, y) -> list[str]:
    parts = []
    low_high = block.interval
    if low_high:  # the interval as a band, drawn first, whole
        low, high = (block.series[i].values for i in low_high)
        points = [(left + (i + 0.5) * slot, lo, hi) for i, (lo, hi) in
                  enumerate(zip(low, high)) if lo is not None and hi is not None]
        for cx, lo, hi in points:
            parts.append(f'<line x1="{cx:.1f}" y1="{y(lo):.1f}" x2="{cx:.1f}" y2="{y(hi):.1f}" '
                         f'stroke="{design.PREVIOUS_YEAR}" stroke-width="6" '
                         'stroke-opacity="0.55"/>')
    for s, series in enumerate(block.series):
        if low_high and s in low_high:
            continue
        points = [(left + (i + 0.5) * slot, v, lab) for i, (v, lab) in
                  enumerate(zip(series.values, series.labels))]
        run = []
        for cx, value, label in points + [(0, None, "")]:
            if value is None:
                if len(run) > 1:
                    parts.append('<polyline fill="none" stroke="{}" stroke-width="{}" '
                                 'points="{}"/>'.format(colours[s], 2 if s == 0 else 1.4,
                                                        " ".join(run)))
                run = []
                continue
            run.append(f"{cx:.1f},{y(value):.1f}")
            parts.append(f'<circle cx="{cx:.1f}" cy="{y(value):.1f}" r="2.6" '
                         f'fill="{colours[s]}"/>')
            if s == 0:
                parts.append(_text(cx, y(value) - 6, label, LABEL_PT, "middle"))
    return parts


def map_svg(block: MapBlock, width: float, height: float) -> str:
    """The map: département outlines, insets and markers, at most `width` × `height` points."""
    scale = min(width / block.width, height / block.height)
    w, h = block.width * scale, block.height * scale

    def path(ring) -> str:
        return "M" + " L".join(f"{x * scale:.1f},{y * scale:.1f}" for x, y in ring) + " Z"

    land = " ".join(path(ring) for rings in block.outlines for ring in rings)
    frames = " ".join(path(ring) for ring in block.frames)
    markers = "".join(f'<circle cx="{x * scale:.1f}" cy="{y * scale:.1f}" r="3.4" '
                      f'fill="{colour}" stroke="{design.MAP_MARKER_EDGE}" stroke-width="0.6"/>'
                      for x, y, colour in block.markers)
    names = ", ".join(label for label, _ in block.legend)
    alt = f"Carte : {len(block.markers)} essaimages sur la carte de France ; {names}."
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{w:.0f}pt" '
            f'height="{h:.0f}pt" viewBox="0 0 {w:.1f} {h:.1f}"><title>{escape(alt)}</title>'
            f'<path d="{land}" fill="{design.MAP_LAND}" stroke="{design.MAP_EDGE}" '
            f'stroke-width="0.4" fill-rule="nonzero"/>'
            + (f'<path d="{frames}" fill="none" stroke="{design.MAP_EDGE}" stroke-width="0.6"/>'
               if frames else "") + markers + "</svg>")
