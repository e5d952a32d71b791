"""Layouts of the deck's blocks: key-figure cards, the summary slide's plan, tables that
paginate, a table or text beside a chart."""


from dataclasses import dataclass

from pptx.enum.text import PP_ALIGN

from essaim.reports import design
from essaim.reports.fonts import column_widths, wrap
from essaim.reports.model import (
    KeyNumber,
    Paragraphs,
    Quotes,
    Table,
)
from essaim.reports.pptx_charts import emu, plain_fill, rgb, set_alt_text
from essaim.reports.pptx_text import (
    CELL_INSET,
    CELL_INSET_V,
    WRAP_SAFETY,
    Para,
    Run,
    block_paras,
    body_height,
    caption_paras,
    fill_text_frame,
    style_run,
    text_height,
)

# --- key figure cards -----------------------------------------------------------------------------

def card_paras(item: KeyNumber, scale: float) -> list[Para]:
    paras = [Para.of(item.label, 13 * scale, bold=True, colour=design.NAVY),
             Para.of(item.value, 24 * scale, bold=True, space_before=2)]
    paras += [Para.of(line, 11 * scale, space_before=4) for line in item.comparisons]
    if item.coverage:
        paras.append(Para.of(item.coverage, 11 * scale, italic=True, colour=design.MUTED,
                             space_before=4))
    return paras


def card_rows(items: list[KeyNumber]) -> list[list[KeyNumber]]:
    per_row = len(items) if len(items) <= 5 else 3
    return [items[i:i + per_row] for i in range(0, len(items), per_row)]


def card_width(count: int) -> float:
    return (design.CONTENT_WIDTH - (count - 1) * design.GAP) / count


def cards_height(row: list[KeyNumber], scale: float, per_row: int | None = None) -> float:
    width = card_width(per_row or len(row))
    return max(text_height(card_paras(item, scale), width) for item in row) + 0.1


def draw_cards(slide, row: list[KeyNumber], top: float, height: float,
                scale: float | None = None, per_row: int | None = None) -> None:
    """A row of cards; a row shorter than `per_row` keeps the others' width."""
    per_row = per_row or len(row)
    width = card_width(per_row)
    scale = scale or card_scale(row, height, per_row)
    for index, item in enumerate(row):
        left = design.MARGIN + index * (width + design.GAP)
        box = slide.shapes.add_textbox(emu(left), emu(top), emu(width), emu(height))
        plain_fill(box, design.CARD_FILL)
        fill_text_frame(box.text_frame, card_paras(item, scale))


def card_scale(row: list[KeyNumber], height: float, per_row: int) -> float:
    for scale in (1.0, 0.92, 0.85, 0.78, 0.72):
        if cards_height(row, scale, per_row) <= height + 1e-6:
            return scale
    return 0.72


@dataclass
class SummaryPlan:
    scale: float
    per_row: int
    intro: list[Para]
    intro_height: float
    rows: list[tuple[list[KeyNumber], float]]
    decisions: list[Para]
    decision_height: float


def fit_summary(summary, with_decisions: bool) -> SummaryPlan | None:
    """The summary at the largest type scale that fits one slide (cards in one row, or rows of
    three), or None; at the smallest scale the plan is kept whatever its height when the
    decisions are already left out (the figures alone always fit)."""
    count = len(summary.figures)
    layouts = [count] + ([3] if count > 3 else [])
    for scale in (1.0, 0.92, 0.85, 0.78, 0.72):
        for per_row in layouts:
            plan = summary_plan(summary, scale, with_decisions, per_row)
            if plan is not None:
                return plan
    return None if with_decisions else summary_plan(summary, 0.72, False, layouts[-1], True)


def summary_plan(summary, scale: float, with_decisions: bool, per_row: int,
                  force: bool = False) -> SummaryPlan | None:
    """The summary slide's parts at a type scale, or None when they do not fit."""
    size = 15 * scale
    intro = [Para((Run("Quoi : ", size, bold=True, colour=design.NAVY), Run(summary.what, size))),
             Para((Run("Où : ", size, bold=True, colour=design.NAVY), Run(summary.where, size)),
                  space_before=4),
             Para((Run("Quand : ", size, bold=True, colour=design.NAVY), Run(summary.when, size)),
                  space_before=4)]
    if summary.figures_note:
        intro.append(Para.of(summary.figures_note, size, italic=True, space_before=6))
    intro_height = text_height(intro, design.CONTENT_WIDTH)
    used = intro_height + design.GAP
    rows = []
    for start in range(0, len(summary.figures), max(per_row, 1)):
        row = summary.figures[start:start + per_row]
        height = cards_height(row, scale, per_row)
        rows.append((row, height))
        used += height + design.GAP
    decisions, decision_height = [], 0.0
    if with_decisions and summary.decisions:
        decisions = [Para.of("Ce que la salle a décidé", 14 * scale, bold=True,
                             colour=design.NAVY)]
        decisions += [Para.of(f"• {line}", 13 * scale, space_before=3)
                      for line in summary.decisions]
        decision_height = text_height(decisions, design.CONTENT_WIDTH)
        used += decision_height
    if used > body_height() and not force:
        return None
    return SummaryPlan(scale, per_row, intro, intro_height, rows, decisions, decision_height)


# --- tables ---------------------------------------------------------------------------------------

@dataclass
class TableLayout:
    """A table's cells wrapped at its column widths, ready to be cut into slide-sized pages."""

    block: Table
    widths: list[float]
    size: float
    header: list[list[str]]
    rows: list[list[list[str]]]  # row → cell → wrapped lines

    @classmethod
    def of(cls, block: Table, width: float) -> "TableLayout":
        columns = list(block.frame.columns)
        relative = list(block.widths or [1.0] * len(columns))[:len(columns)]
        relative += [1.0] * (len(columns) - len(relative))
        size = design.DECK_TABLE_PT if len(columns) <= 6 else design.DECK_TABLE_MIN_PT
        widths = column_widths(block.frame, relative, width, size, "deck",
                               2 * CELL_INSET + 0.02, 72)

        def lines(text: str, column: int, style: str = "regular") -> list[str]:
            # Broken a little short of the cell's width: a renderer whose metrics differ
            # slightly (LibreOffice, another Arial) must not wrap a measured line again.
            return wrap(str(text), size, (widths[column] - 2 * CELL_INSET) * 72 * WRAP_SAFETY,
                        style, "deck")

        header = [lines(c, j, "bold") for j, c in enumerate(columns)]
        rows = [[lines("" if v is None else v, j) for j, v in enumerate(row)]
                for row in block.frame.itertuples(index=False)]
        return cls(block, widths, size, header, rows)

    def row_height(self, cells: list[list[str]]) -> float:
        lines = max((len(c) for c in cells), default=1)
        return lines * self.size * design.LINE_HEIGHT / 72 + 2 * CELL_INSET_V + 0.02

    def pages(self, available: float) -> list[list[list[list[str]]]]:
        """Rows per slide, the header repeated on each, spread evenly over the slides needed
        (no slide left with one row); a row taller than a slide is cut."""
        pages = self._fill(available)
        if len(pages) > 1:
            rows = [row for page in pages for row in page]
            heights = [self.row_height(row) for row in rows]
            header = self.row_height(self.header)
            even = sum(heights) / len(pages) + max(heights) + header
            balanced = self._fill(min(available, even), rows)
            if len(balanced) == len(pages):
                return balanced
        return pages

    def _fill(self, available: float, rows=None) -> list[list[list[list[str]]]]:
        room = available - self.row_height(self.header)
        line_height = self.size * design.LINE_HEIGHT / 72
        pages, current, used = [], [], 0.0
        for row in self.rows if rows is None else rows:
            pieces = [row]
            if self.row_height(row) > room:
                per_piece = max(int((room - 2 * CELL_INSET_V - 0.02) / line_height), 1)
                count = max(len(c) for c in row)
                pieces = [[c[i:i + per_piece] for c in row] for i in range(0, count, per_piece)]
            for piece in pieces:
                height = self.row_height(piece)
                if current and used + height > room:
                    pages.append(current)
                    current, used = [], 0.0
                current.append(piece)
                used += height
        if current or not pages:
            pages.append(current)
        return pages

    def draw(self, slide, rows, left: float, top: float) -> None:
        heights = [self.row_height(self.header)] + [self.row_height(r) for r in rows]
        shape = slide.shapes.add_table(len(rows) + 1, len(self.widths), emu(left), emu(top),
                                       emu(sum(self.widths)), emu(sum(heights)))
        table = shape.table
        table.horz_banding = False
        table.first_row = True
        numeric = {j for j, c in enumerate(self.block.frame.columns) if c in self.block.numeric}
        for j, width in enumerate(self.widths):
            table.columns[j].width = emu(width)
        for i, height in enumerate(heights):
            table.rows[i].height = emu(height)
        for i, cells in enumerate([self.header] + rows):
            for j, lines in enumerate(cells):
                cell = table.cell(i, j)
                cell.margin_left = cell.margin_right = emu(CELL_INSET)
                cell.margin_top = cell.margin_bottom = emu(CELL_INSET_V)
                cell.fill.solid()
                cell.fill.fore_color.rgb = rgb(design.NAVY if i == 0 else
                                                design.STRIPE_FILL if i % 2 == 0 else "#FFFFFF")
                frame = cell.text_frame
                frame.word_wrap = True
                paragraph = frame.paragraphs[0]
                paragraph.alignment = PP_ALIGN.RIGHT if j in numeric and i else PP_ALIGN.LEFT
                # Broken where it was measured: the row is exactly as tall as planned.
                paragraph.text = "\v".join(lines)
                for run in paragraph.runs:
                    style_run(run, Run("", self.size, bold=i == 0,
                                        colour="#FFFFFF" if i == 0 else design.TEXT))
        set_alt_text(shape, f"Tableau : {self.block.title}")

    def height(self, rows) -> float:
        return self.row_height(self.header) + sum(self.row_height(r) for r in rows)


def half_plan(block, width: float):
    """A function drawing `block` in a column `width` inches wide, or None if it needs more
    than one slide."""
    available = body_height()
    if isinstance(block, Table):
        layout = TableLayout.of(block, width)
        pages = layout.pages(available - (text_height(caption_paras(block.caption), width)
                                          + design.GAP if block.caption else 0))
        if len(pages) > 1:
            return None

        def draw_table(slide, left):
            layout.draw(slide, pages[0], left, design.BODY_TOP)
            if block.caption:
                caption = caption_paras(block.caption)
                top = design.BODY_TOP + layout.height(pages[0]) + design.GAP
                box = slide.shapes.add_textbox(emu(left), emu(top), emu(width),
                                               emu(text_height(caption, width)))
                fill_text_frame(box.text_frame, caption)
        return draw_table
    if isinstance(block, (Paragraphs, Quotes)):
        heading = [Para.of(block.title, 15, bold=True, colour=design.NAVY)]
        paras = heading + block_paras(block, 14)
        if text_height(paras, width) > available:
            return None

        def draw_text(slide, left):
            box = slide.shapes.add_textbox(emu(left), emu(design.BODY_TOP), emu(width),
                                           emu(text_height(paras, width)))
            fill_text_frame(box.text_frame, paras)
        return draw_text
    return None
