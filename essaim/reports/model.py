"""The parts a restitution is made of, independent of how they are drawn: the deck
(essaim.reports.pptx) and the PDF (essaim.reports.pdf) draw the same blocks, each in its own way.

Every text here is final French text (numbers already formatted); charts carry their numbers and
French labels so that PowerPoint gets native, editable charts and the PDF vector ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: not available (no bar, label "n.d.")
    labels: tuple[str, ...]  # each value as French text, shown on the bar or point


@dataclass
class Chart:
    """A bar or line chart. `kind`: "columns" (vertical bars), "bars" (horizontal, for long
    category names) or "lines" (a time series)."""

    title: str
    categories: list[str]
    series: list[Series]
    kind: str = "columns"
    axis_title: str = ""
    caption: str = ""
    decimals: int = 0
    colours: tuple[str, ...] = ()  # one per series; the design's palette when empty
    source: str = ""  # « Source : … » under the chart: who declared, which year, which vintage
    number_format: str = ""  # the deck's label format (essaim.reports.units.number_format)
    # Series drawn as the low and high bounds of an interval around series 0 (an event study):
    # the value axis always holds them whole.
    interval: tuple[int, int] | None = None

    @property
    def alt(self) -> str:
        """The chart in words, for screen readers: title, axis, then every labelled value."""
        parts = []
        for series in self.series:
            values = ", ".join(f"{c} : {label}" for c, label, v in
                               zip(self.categories, series.labels, series.values) if v is not None)
            parts.append(f"{series.name} — {values}" if values else f"{series.name} — n.d.")
        axis = f" ({self.axis_title})" if self.axis_title else ""
        return f"Graphique : {self.title}{axis}. " + " ; ".join(parts) + "."


@dataclass
class Table:
    """A table of French text; `widths` are relative column widths, `numeric` the columns to
    align right. Long tables continue over several slides or pages with their header."""

    title: str
    frame: pd.DataFrame
    caption: str = ""
    widths: tuple[float, ...] | None = None
    numeric: tuple[str, ...] = ()
    source: str = ""  # « Source : … » under the table


@dataclass(frozen=True)
class KeyNumber:
    """A figure that matters: its value, what it is, its comparison points and coverage."""

    label: str
    value: str
    comparisons: tuple[str, ...] = ()
    coverage: str = ""
    status: str = ""  # how its values were settled: « source unique », « accordé »…


@dataclass
class KeyNumbers:
    title: str
    items: list[KeyNumber]
    caption: str = ""
    source: str = ""


@dataclass
class Paragraphs:
    title: str
    lines: list[str]
    bullets: bool = False


@dataclass(frozen=True)
class Quote:
    text: str
    who: str


@dataclass
class Quotes:
    title: str
    items: list[Quote]


@dataclass
class MapBlock:
    """The scope's territories on a map of France: département outlines (projected, in a box
    `width` × `height` in arbitrary units, y downwards) and one marker per territory."""

    title: str
    # Land: each département (overseas ones in their insets) as its rings (mainland, islands).
    outlines: list[list[list[tuple[float, float]]]]
    frames: list[list[tuple[float, float]]]  # the insets' borders (lines only)
    markers: list[tuple[float, float, str]]  # x, y, colour
    legend: list[tuple[str, str]]  # label, colour
    width: float
    height: float
    caption: str = ""


@dataclass
class SideBySide:
    """Two blocks read together (indirect impacts beside what people said)."""

    title: str
    left: object
    right: object


Block = Chart | Table | KeyNumbers | Paragraphs | Quotes | MapBlock | SideBySide


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    deck: bool = True  # False: in the PDF only (the raw annexes), the deck says where to find it


@dataclass
class Summary:
    """The one-page synthesis: a headline stating the main finding, a few sentences made from the
    data (what changed, how sure we are, what partners disagree on, what the room decided), then
    the figures that matter; what, where and when open the document's first section."""

    headline: str
    sentences: list[str]
    what: str
    where: str
    when: str
    figures: list[KeyNumber]
    decisions: list[str] = field(default_factory=list)
    figures_note: str = ""
    source: str = ""


@dataclass
class ReportContent:
    kind: str  # a key of essaim.reports.content.SCOPES
    code: str  # the innovation, territory or session code ("" for the accelerator)
    title: str
    subtitle: str
    produced_at: dt.datetime  # aware, Europe/Paris
    document_date: dt.date  # the date in the file name (the session's date for a workshop)
    notice: str  # the demo notice, "" for real data
    summary: Summary
    sections: list[Section]

    def blocks(self) -> list[Block]:
        """Every block of every section, in order (side-by-side blocks opened)."""
        found = []
        for section in self.sections:
            for block in section.blocks:
                found += [block.left, block.right] if isinstance(block, SideBySide) else [block]
        return found

    def text(self) -> str:
        """All the text of the content, for checks (fonts, escaping)."""
        summary = self.summary
        parts = [self.title, self.subtitle, self.notice, summary.headline, *summary.sentences,
                 summary.what, summary.where, summary.when, summary.figures_note, summary.source,
                 *summary.decisions]
        for number in summary.figures:
            parts += [number.label, number.value, number.coverage, number.status,
                      *number.comparisons]
        for section in self.sections:
            parts.append(section.title)
            for block in section.blocks:
                parts += _block_text(block)
        return "\n".join(p for p in parts if p)


def _block_text(block) -> list[str]:
    if isinstance(block, SideBySide):
        return [block.title, *_block_text(block.left), *_block_text(block.right)]
    parts = [getattr(block, "title", ""), getattr(block, "caption", ""),
             getattr(block, "source", "")]
    if isinstance(block, Table):
        parts += [str(c) for c in block.frame.columns]
        parts += [str(v) for v in block.frame.to_numpy().ravel()]
    elif isinstance(block, Chart):
        parts += [block.axis_title, *block.categories]
        for series in block.series:
            parts += [series.name, *series.labels]
    elif isinstance(block, KeyNumbers):
        for item in block.items:
            parts += [item.label, item.value, item.coverage, item.status, *item.comparisons]
    elif isinstance(block, Paragraphs):
        parts += block.lines
    elif isinstance(block, Quotes):
        parts += [q.text for q in block.items] + [q.who for q in block.items]
    elif isinstance(block, MapBlock):
        parts += [label for label, _ in block.legend]
    return parts
