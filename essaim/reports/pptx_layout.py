"""Layouts of the deck's blocks: key-figure cards, the summary slide's plan, tables that
paginate, a table or text beside a chart."""


from dataclasses import dataclass

from pptx.enum.text import PP_ALIGN

from essaim.reports import design
from essaim.reports.fonts import column_widths, wrap
from essaim.reports.model import (
    Chart,
    KeyNumber,
    Paragraphs,
    Quotes,
    Table,
)
from essaim.reports.pptx_charts import draw_chart, emu, plain_fill, rgb, set_alt_text
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

CARDS_PER_ROW = 3


def card_paras(item: KeyNumber, size: float = design.DECK_MIN_PT,
               compact: bool = False) -> list[Para]:
    """A card's text: label, value, coverage and status, comparisons (the first only when
    `compact`), at `size` points (the value twice as large)."""
    paras = [Para.of(item.label, size + 1, bold=True, colour=design.NAVY),
             Para.of(item.value, 2 * size, bold=True, space_before=2)]
    facts = " · ".join(part for part in (item.coverage, item.status and
                                         f"statut : {item.status}") if part)
    if facts:
        paras.append(Para.of(facts, size, italic=True, colour=design.MUTED, space_before=3))
    lines = item.comparisons[:1] if compact else item.comparisons
    paras += [Para.of(line, size, space_before=4) for line in lines]
    return paras


def card_rows(items: list[KeyNumber], per_row: int = CARDS_PER_ROW) -> list[list[KeyNumber]]:
    return [items[i:i + per_row] for i in range(0, len(items), per_row)]


def card_width(count: int) -> float:
    return (design.CONTENT_WIDTH - (count - 1) * design.GAP) / count


def cards_height(row: list[KeyNumber], per_row: int, size: float = design.DECK_MIN_PT,
                 compact: bool = False) -> float:
    width = card_width(per_row)
    return max(text_height(card_paras(item, size, compact), width) for item in row) + 0.1


def draw_cards(slide, row: list[KeyNumber], top: float, height: float, per_row: int,
               size: float = design.DECK_MIN_PT, compact: bool = False) -> None:
    """A row of cards; a row shorter than `per_row` keeps the others' width."""
    width = card_width(per_row)
    for index, item in enumerate(row):
        left = design.MARGIN + index * (width + design.GAP)
        box = slide.shapes.add_textbox(emu(left), emu(top), emu(width), emu(height))
        plain_fill(box, design.CARD_FILL)
        fill_text_frame(box.text_frame, card_paras(item, size, compact))


def card_pages(items: list[KeyNumber], available: float, size: float = design.DECK_MIN_PT,
               compact: bool = False) -> list[list[tuple[list[KeyNumber], float]]]:
    """Rows of cards per slide, each row with its height, spread evenly over the slides."""
    rows = card_rows(items)
    per_row = min(len(items), CARDS_PER_ROW) or 1
    heights = [cards_height(row, per_row, size, compact) for row in rows]
    pages, current, used = [], [], 0.0
    for row, height in zip(rows, heights):
        if current and used + height > available:
            pages.append(current)
            current, used = [], 0.0
        current.append((row, min(height, available)))
        used += min(height, available) + design.GAP
    if current:
        pages.append(current)
    if len(pages) > 1 and len(pages[-1]) == 1 and len(pages[-2]) > 2:
        pages[-1].insert(0, pages[-2].pop())  # no slide left with a lone row
    return pages


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
        # Lines are broken a little short of the cell (below): widths make room for that too.
        widths = column_widths(block.frame, relative, width, size, "deck",
                               2 * CELL_INSET + 0.02, 72 * WRAP_SAFETY)

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
        caption = caption_paras(block.caption, block.source)
        pages = layout.pages(available - (text_height(caption, width) + design.GAP
                                          if caption else 0))
        if len(pages) > 1:
            return None

        def draw_table(slide, left):
            layout.draw(slide, pages[0], left, design.BODY_TOP)
            if caption:
                top = design.BODY_TOP + layout.height(pages[0]) + design.GAP
                box = slide.shapes.add_textbox(emu(left), emu(top), emu(width),
                                               emu(text_height(caption, width)))
                fill_text_frame(box.text_frame, caption)
        return draw_table
    if isinstance(block, Chart):
        caption = caption_paras(block.caption, block.source)
        caption_height = text_height(caption, width) if caption else 0

        def draw_half_chart(slide, left):
            height = available - (caption_height + design.GAP if caption else 0)
            draw_chart(slide, block, left, design.BODY_TOP, width, height)
            if caption:
                box = slide.shapes.add_textbox(emu(left), emu(design.BODY_BOTTOM - caption_height),
                                               emu(width), emu(caption_height))
                fill_text_frame(box.text_frame, caption)
        return draw_half_chart
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
