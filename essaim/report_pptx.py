"""The restitution as a 16:9 PowerPoint deck built in code (python-pptx).

The default template's master and layouts are re-laid for 16:9, so a slide ANSA adds in
PowerPoint lands on the same grid. Every slide has its title in the title placeholder (the deck's
outline and screen readers use it), content in the body band, and a footer with the section, the
demo notice and the slide number. Charts are native PowerPoint charts (editable, restylable);
the map is drawn with freeform shapes. Text is measured (essaim.report_fonts) before it is placed:
tables, paragraphs and cards continue on further slides instead of running off the slide, and no
two boxes overlap.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pptx import Presentation
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from essaim import report_design as design
from essaim.formatting import plural
from essaim.report_fonts import column_widths, wrap
from essaim.report_model import (
    Chart,
    KeyNumber,
    KeyNumbers,
    MapBlock,
    Paragraphs,
    Quotes,
    ReportContent,
    Section,
    SideBySide,
    Table,
)
from essaim.report_pptx_charts import draw_chart, draw_map, emu, plain_fill, rgb, set_alt_text

TEXT_INSET = 0.08  # inches, left and right inside a text box
TEXT_INSET_V = 0.04
CELL_INSET = 0.06
CELL_INSET_V = 0.03
LAYOUT_TITLE_SLIDE, LAYOUT_TITLE_ONLY = 0, 5


@dataclass(frozen=True)
class Run:
    text: str
    size: float
    bold: bool = False
    italic: bool = False
    colour: str = design.TEXT


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    space_before: float = 0  # points
    align: str = "left"

    @classmethod
    def of(cls, text: str, size: float, **style) -> "Para":
        space = style.pop("space_before", 0)
        align = style.pop("align", "left")
        return cls((Run(text, size, **style),), space, align)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def size(self) -> float:
        return max(r.size for r in self.runs)

    @property
    def style(self) -> str:
        return "bold" if any(r.bold for r in self.runs) else "regular"


# Share of a box's width that measured text may fill (see TableLayout.of).
WRAP_SAFETY = 0.93


def _lines(para: Para, width: float) -> int:
    """Lines a paragraph takes in a box `width` inches wide."""
    return len(wrap(para.text, para.size, (width - 2 * TEXT_INSET) * 72, para.style, "deck"))


def text_height(paras: list[Para], width: float) -> float:
    """Inches a list of paragraphs takes in a box `width` inches wide (insets included)."""
    points = sum(_lines(p, width) * p.size * design.LINE_HEIGHT + p.space_before for p in paras)
    return points / 72 + 2 * TEXT_INSET_V


def _style_run(run, spec: Run) -> None:
    font = run.font
    font.name = design.DECK_FONT
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.italic = spec.italic
    font.color.rgb = rgb(spec.colour)
    font.language_id = MSO_LANGUAGE_ID.FRENCH


def _fill_text_frame(frame, paras: list[Para], anchor=MSO_ANCHOR.TOP) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = emu(TEXT_INSET)
    frame.margin_top = frame.margin_bottom = emu(TEXT_INSET_V)
    for index, spec in enumerate(paras):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT,
                               "center": PP_ALIGN.CENTER}[spec.align]
        paragraph.line_spacing = 1.0
        if spec.space_before:
            paragraph.space_before = Pt(spec.space_before)
        for run_spec in spec.runs:
            _style_run(paragraph.add_run(), run_spec)
            paragraph.runs[-1].text = run_spec.text


class Deck:
    """A deck being built: slides on the 16:9 grid, footers numbered once all slides exist."""

    def __init__(self, content: ReportContent):
        self.content = content
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = emu(design.SLIDE_WIDTH), \
            emu(design.SLIDE_HEIGHT)
        _lay_out_for_16_9(self.prs)
        properties = self.prs.core_properties
        properties.title = content.title
        properties.subject = content.subtitle
        properties.author = "Essaim (ANSA)"
        properties.language = "fr-FR"
        self.numbers = []  # slide-number text frames, filled at the end

    # --- frame of every slide ----------------------------------------------------------------

    def slide(self, title: str, section: str):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE_ONLY])
        shape = slide.shapes.title
        shape.left, shape.top = emu(design.MARGIN), emu(design.TITLE_TOP)
        shape.width, shape.height = emu(design.CONTENT_WIDTH), emu(design.TITLE_HEIGHT)
        _fill_text_frame(shape.text_frame, [_title_para(title)], MSO_ANCHOR.BOTTOM)
        rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(design.MARGIN),
                                      emu(design.RULE_TOP), emu(1.6), emu(0.05))
        plain_fill(rule, design.ACCENT)
        self._footer(slide, section)
        return slide

    def _footer(self, slide, section: str) -> None:
        top, height = design.FOOTER_TOP, design.FOOTER_HEIGHT
        size = design.DECK_FOOTER_PT
        left = slide.shapes.add_textbox(emu(design.MARGIN), emu(top), emu(6.3), emu(height))
        _fill_text_frame(left.text_frame, [Para.of(_fit_line(
            f"Essaim · {self.content.title} · {section}", size, 6.3), size,
            colour=design.MUTED)], MSO_ANCHOR.MIDDLE)
        if self.content.notice:
            notice = slide.shapes.add_textbox(emu(7.0), emu(top), emu(4.2), emu(height))
            _fill_text_frame(notice.text_frame, [Para.of("Données fictives de démonstration",
                                                         size, bold=True,
                                                         colour=design.ACCENT)],
                             MSO_ANCHOR.MIDDLE)
        number = slide.shapes.add_textbox(emu(design.SLIDE_WIDTH - design.MARGIN - 1.3),
                                          emu(top), emu(1.3), emu(height))
        self.numbers.append(number.text_frame)

    def finish(self) -> bytes:
        total = len(self.prs.slides)
        for index, frame in enumerate(self.numbers, start=2):  # the cover has no number
            _fill_text_frame(frame, [Para.of(f"{index} / {total}", design.DECK_FOOTER_PT,
                                             colour=design.MUTED, align="right")],
                             MSO_ANCHOR.MIDDLE)
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()

    # --- slides --------------------------------------------------------------------------------

    def cover(self) -> None:
        content = self.content
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE_SLIDE])
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, emu(0.35),
                                      emu(design.SLIDE_HEIGHT))
        plain_fill(band, design.NAVY)
        left, width = 1.0, design.SLIDE_WIDTH - 2.0
        kicker = slide.shapes.add_textbox(emu(left), emu(0.9), emu(width), emu(0.45))
        _fill_text_frame(kicker.text_frame, [Para.of(
            "Essaim · Accélérateur d'innovation sociale #Emploi · ANSA", 14, bold=True,
            colour=design.ACCENT)])
        title_size = _fit_size(content.title, 36, 26, width, 2)
        title_paras = [Para.of(content.title, title_size, bold=True, colour=design.NAVY)]
        title_height = text_height(title_paras, width)
        title = slide.shapes.title
        title.left, title.top, title.width = emu(left), emu(1.6), emu(width)
        title.height = emu(title_height)
        _fill_text_frame(title.text_frame, title_paras, MSO_ANCHOR.TOP)
        top = 1.6 + title_height + 0.25
        subtitle_paras = [Para.of(content.subtitle, 16, colour=design.MUTED)]
        subtitle = next(p for p in slide.placeholders
                        if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE)
        subtitle.left, subtitle.top, subtitle.width = emu(left), emu(top), emu(width)
        subtitle.height = emu(text_height(subtitle_paras, width))
        _fill_text_frame(subtitle.text_frame, subtitle_paras)
        top += text_height(subtitle_paras, width) + 0.35
        if content.notice:
            paras = [Para.of(content.notice, 14, bold=True, colour=design.ACCENT)]
            box = slide.shapes.add_textbox(emu(left), emu(top), emu(width),
                                           emu(text_height(paras, width) + 0.1))
            plain_fill(box, design.NOTICE_FILL)
            _fill_text_frame(box.text_frame, paras, MSO_ANCHOR.MIDDLE)

    def summary(self) -> None:
        """One slide: what, where, when, the figures that matter, the room's decisions; the
        largest type that fits, the decisions on a slide of their own if nothing fits."""
        summary = self.content.summary
        plan = _fit_summary(summary, with_decisions=True) or \
            _fit_summary(summary, with_decisions=False)
        slide = self.slide("Synthèse", "Synthèse")
        top = design.BODY_TOP
        box = slide.shapes.add_textbox(emu(design.MARGIN), emu(top), emu(design.CONTENT_WIDTH),
                                       emu(plan.intro_height))
        _fill_text_frame(box.text_frame, plan.intro)
        top += plan.intro_height + design.GAP
        for row, height in plan.rows:
            _draw_cards(slide, row, top, height, plan.scale, plan.per_row)
            top += height + design.GAP
        if plan.decisions:
            box = slide.shapes.add_textbox(emu(design.MARGIN), emu(top),
                                           emu(design.CONTENT_WIDTH), emu(plan.decision_height))
            plain_fill(box, design.CARD_FILL)
            _fill_text_frame(box.text_frame, plan.decisions)
        elif summary.decisions:
            self.paragraphs(Paragraphs("Synthèse : ce que la salle a décidé", summary.decisions,
                                       bullets=True), "Synthèse")

    def paragraphs(self, block: Paragraphs | Quotes, section: str) -> None:
        paras = _block_paras(block, design.DECK_BODY_PT)
        for page, chunk in enumerate(_paginate_paras(paras, design.CONTENT_WIDTH,
                                                     _body_height())):
            slide = self.slide(_continued(block.title, page), section)
            box = slide.shapes.add_textbox(emu(design.MARGIN), emu(design.BODY_TOP),
                                           emu(design.CONTENT_WIDTH),
                                           emu(text_height(chunk, design.CONTENT_WIDTH)))
            _fill_text_frame(box.text_frame, chunk)

    def key_numbers(self, block: KeyNumbers, section: str) -> None:
        caption = _caption_paras(block.caption)
        caption_height = text_height(caption, design.CONTENT_WIDTH) if caption else 0
        available = _body_height() - (caption_height + design.GAP if caption else 0)
        rows = _card_rows(block.items)
        per_row = len(rows[0]) if rows else 1
        pages, current, used = [], [], 0.0
        for row in rows:
            height = _cards_height(row, 1.0, per_row)
            if current and used + height > available:
                pages.append(current)
                current, used = [], 0.0
            current.append((row, min(height, available)))
            used += min(height, available) + design.GAP
        pages.append(current)
        for page, chunk in enumerate(pages):
            slide = self.slide(_continued(block.title, page), section)
            top = design.BODY_TOP
            for row, height in chunk:
                _draw_cards(slide, row, top, height, per_row=per_row)
                top += height + design.GAP
            if caption:
                _caption_box(slide, caption, caption_height)

    def chart(self, block: Chart, section: str) -> None:
        slide = self.slide(block.title, section)
        caption = _caption_paras(block.caption)
        caption_height = text_height(caption, design.CONTENT_WIDTH) if caption else 0
        height = _body_height() - (caption_height + design.GAP if caption else 0)
        draw_chart(slide, block, design.MARGIN, design.BODY_TOP, design.CONTENT_WIDTH, height)
        if caption:
            _caption_box(slide, caption, caption_height)

    def table(self, block: Table, section: str) -> None:
        caption = _caption_paras(block.caption)
        caption_height = text_height(caption, design.CONTENT_WIDTH) if caption else 0
        available = _body_height() - (caption_height + design.GAP if caption else 0)
        layout = TableLayout.of(block, design.CONTENT_WIDTH)
        pages = layout.pages(available)
        for page, rows in enumerate(pages):
            title = block.title if len(pages) == 1 else f"{block.title} ({page + 1}/{len(pages)})"
            slide = self.slide(title, section)
            layout.draw(slide, rows, design.MARGIN, design.BODY_TOP)
            if caption:
                _caption_box(slide, caption, caption_height)

    def map(self, block: MapBlock, section: str) -> None:
        slide = self.slide(block.title, section)
        caption = _caption_paras(block.caption)
        caption_height = text_height(caption, design.CONTENT_WIDTH)
        height = _body_height() - caption_height - design.GAP
        width = min(height * block.width / block.height, 8.2)
        height = width * block.height / block.width
        draw_map(slide, block, design.MARGIN, design.BODY_TOP, width, height)
        legend_left = design.MARGIN + width + 0.4
        legend_width = design.SLIDE_WIDTH - design.MARGIN - legend_left
        top = design.BODY_TOP
        heading = [Para.of("Innovations", 14, bold=True, colour=design.NAVY)]
        box = slide.shapes.add_textbox(emu(legend_left), emu(top), emu(legend_width),
                                       emu(text_height(heading, legend_width)))
        _fill_text_frame(box.text_frame, heading)
        top += text_height(heading, legend_width) + 0.05
        size = 13 if len(block.legend) <= 8 else 11
        for label, colour in block.legend:
            paras = [Para.of(label, size)]
            label_height = text_height(paras, legend_width - 0.35)
            dot = slide.shapes.add_shape(MSO_SHAPE.OVAL, emu(legend_left + 0.02),
                                         emu(top + label_height / 2 - 0.08), emu(0.16),
                                         emu(0.16))
            plain_fill(dot, colour, design.MAP_MARKER_EDGE)
            box = slide.shapes.add_textbox(emu(legend_left + 0.3), emu(top),
                                           emu(legend_width - 0.3), emu(label_height))
            _fill_text_frame(box.text_frame, paras)
            top += label_height + 0.04
        _caption_box(slide, caption, caption_height)

    def side_by_side(self, block: SideBySide, section: str) -> None:
        half = (design.CONTENT_WIDTH - 0.4) / 2
        left, right = _half_plan(block.left, half), _half_plan(block.right, half)
        if left is None or right is None:  # too long to share a slide: one after the other
            self.block(block.left, section)
            self.block(block.right, section)
            return
        slide = self.slide(block.title, section)
        for plan, x in ((left, design.MARGIN), (right, design.MARGIN + half + 0.4)):
            plan(slide, x)

    def block(self, block, section: str) -> None:
        draw = {Chart: self.chart, Table: self.table, KeyNumbers: self.key_numbers,
                Paragraphs: self.paragraphs, Quotes: self.paragraphs, MapBlock: self.map,
                SideBySide: self.side_by_side}[type(block)]
        draw(block, section)

    def section(self, section: Section) -> None:
        for block in section.blocks:
            self.block(block, section.title)

    def annexes(self, sections: list[Section]) -> None:
        """One slide naming what only the PDF holds in full (raw inputs, every source…)."""
        if not sections:
            return
        lines = ["Le rapport PDF donne en entier :"]
        for section in sections:
            # The section's main table comes last (a key to read it may come before).
            listed = [b for b in section.blocks if isinstance(b, (Table, Quotes))]
            count = (len(listed[-1].frame) if isinstance(listed[-1], Table)
                     else len(listed[-1].items)) if listed else 0
            lines.append(f"{section.title.removeprefix('Annexe : ')} "
                         f"({plural(count, 'ligne')})")
        self.paragraphs(Paragraphs("Annexes du rapport PDF", lines, bullets=True), "Annexes")


# --- layout helpers ------------------------------------------------------------------------------

def _lay_out_for_16_9(prs) -> None:
    """Stretch the default (4:3) master and layouts to 16:9 and put titles and bodies on the
    deck's grid, so that slides added later in PowerPoint match."""
    ratio = design.SLIDE_WIDTH / 10.0
    holders = [prs.slide_master, *prs.slide_layouts]
    # Read every position first: a layout inherits from the master, which is about to change.
    positions = [(shape, shape.left, shape.width) for holder in holders
                 for shape in holder.placeholders]
    for shape, left, width in positions:
        if left is not None and width is not None:
            shape.left, shape.width = Emu(int(left * ratio)), Emu(int(width * ratio))
    for holder in holders:
        for shape in holder.placeholders:
            kind = shape.placeholder_format.type
            if kind == PP_PLACEHOLDER.TITLE:
                shape.left, shape.top = emu(design.MARGIN), emu(design.TITLE_TOP)
                shape.width, shape.height = emu(design.CONTENT_WIDTH), emu(design.TITLE_HEIGHT)
            elif kind in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT) and holder is not \
                    prs.slide_layouts[LAYOUT_TITLE_SLIDE]:
                shape.top, shape.height = emu(design.BODY_TOP), emu(_body_height())


def _body_height() -> float:
    return design.BODY_BOTTOM - design.BODY_TOP


def _fit_size(text: str, largest: float, smallest: float, width: float, max_lines: int) -> float:
    size = largest
    while size > smallest and _lines(Para.of(text, size, bold=True), width) > max_lines:
        size -= 1
    return size


def _fit_line(text: str, size: float, width: float) -> str:
    """`text` shortened with "…" to hold on one line of a box `width` inches wide."""
    if _lines(Para.of(text, size), width) <= 1:
        return text
    while len(text) > 4 and _lines(Para.of(text + "…", size), width) > 1:
        text = text[:-1]
    return text.rstrip(" ·,") + "…"


def _title_para(title: str) -> Para:
    size = _fit_size(title, design.DECK_TITLE_PT, design.DECK_TITLE_MIN_PT,
                     design.CONTENT_WIDTH, 2)
    if _lines(Para.of(title, size, bold=True), design.CONTENT_WIDTH) > 2:
        title = _fit_line(title, size, design.CONTENT_WIDTH * 2 - 1)
    return Para.of(title, size, bold=True, colour=design.NAVY)


def _continued(title: str, page: int) -> str:
    return title if page == 0 else f"{title} (suite)"


def _caption_paras(text: str) -> list[Para]:
    return [Para.of(text, design.DECK_CAPTION_PT, colour=design.MUTED)] if text else []


def _caption_box(slide, caption: list[Para], height: float) -> None:
    box = slide.shapes.add_textbox(emu(design.MARGIN), emu(design.BODY_BOTTOM - height),
                                   emu(design.CONTENT_WIDTH), emu(height))
    _fill_text_frame(box.text_frame, caption)


def _block_paras(block: Paragraphs | Quotes, size: float) -> list[Para]:
    if isinstance(block, Quotes):
        paras = []
        for quote in block.items:
            paras.append(Para((Run(f"« {quote.text} »", size, italic=True),
                               Run(f" — {quote.who}", size - 2, colour=design.MUTED)),
                              space_before=6))
        return paras
    if block.bullets:  # a first line ending with ":" introduces the list
        lead = block.lines[:1] if block.lines and block.lines[0].endswith(":") else []
        return [Para.of(line, size) for line in lead] + [
            Para.of(f"• {line}", size, space_before=6) for line in block.lines[len(lead):]]
    return [Para.of(line, size, space_before=8 if index else 0)
            for index, line in enumerate(block.lines)]


def _paginate_paras(paras: list[Para], width: float, height: float) -> list[list[Para]]:
    """Paragraphs in slide-sized chunks; a paragraph taller than a slide is cut at a sentence
    or a word so that nothing runs off."""
    pages, current = [], []
    for para in paras:
        if text_height(current + [para], width) <= height:
            current.append(para)
            continue
        if current:
            pages.append(current)
            current = []
        while text_height([para], width) > height:
            head, para = _split_para(para, width, height)
            pages.append([head])
        current = [para]
    if current:
        pages.append(current)
    return pages


def _split_para(para: Para, width: float, height: float) -> tuple[Para, Para]:
    words = para.text.split(" ")
    style = para.runs[0]
    cut = len(words) - 1
    while cut > 1 and text_height([Para.of(" ".join(words[:cut]), style.size)], width) > height:
        cut -= 1
    make = dict(bold=style.bold, italic=style.italic, colour=style.colour)
    return (Para.of(" ".join(words[:cut]), style.size, **make),
            Para.of(" ".join(words[cut:]), style.size, **make))


# --- key figure cards -----------------------------------------------------------------------------

def _card_paras(item: KeyNumber, scale: float) -> list[Para]:
    paras = [Para.of(item.label, 13 * scale, bold=True, colour=design.NAVY),
             Para.of(item.value, 24 * scale, bold=True, space_before=2)]
    paras += [Para.of(line, 11 * scale, space_before=4) for line in item.comparisons]
    if item.coverage:
        paras.append(Para.of(item.coverage, 11 * scale, italic=True, colour=design.MUTED,
                             space_before=4))
    return paras


def _card_rows(items: list[KeyNumber]) -> list[list[KeyNumber]]:
    per_row = len(items) if len(items) <= 5 else 3
    return [items[i:i + per_row] for i in range(0, len(items), per_row)]


def _card_width(count: int) -> float:
    return (design.CONTENT_WIDTH - (count - 1) * design.GAP) / count


def _cards_height(row: list[KeyNumber], scale: float, per_row: int | None = None) -> float:
    width = _card_width(per_row or len(row))
    return max(text_height(_card_paras(item, scale), width) for item in row) + 0.1


def _draw_cards(slide, row: list[KeyNumber], top: float, height: float,
                scale: float | None = None, per_row: int | None = None) -> None:
    """A row of cards; a row shorter than `per_row` keeps the others' width."""
    per_row = per_row or len(row)
    width = _card_width(per_row)
    scale = scale or _card_scale(row, height, per_row)
    for index, item in enumerate(row):
        left = design.MARGIN + index * (width + design.GAP)
        box = slide.shapes.add_textbox(emu(left), emu(top), emu(width), emu(height))
        plain_fill(box, design.CARD_FILL)
        _fill_text_frame(box.text_frame, _card_paras(item, scale))


def _card_scale(row: list[KeyNumber], height: float, per_row: int) -> float:
    for scale in (1.0, 0.92, 0.85, 0.78, 0.72):
        if _cards_height(row, scale, per_row) <= height + 1e-6:
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


def _fit_summary(summary, with_decisions: bool) -> SummaryPlan | None:
    """The summary at the largest type scale that fits one slide (cards in one row, or rows of
    three), or None; at the smallest scale the plan is kept whatever its height when the
    decisions are already left out (the figures alone always fit)."""
    count = len(summary.figures)
    layouts = [count] + ([3] if count > 3 else [])
    for scale in (1.0, 0.92, 0.85, 0.78, 0.72):
        for per_row in layouts:
            plan = _summary_plan(summary, scale, with_decisions, per_row)
            if plan is not None:
                return plan
    return None if with_decisions else _summary_plan(summary, 0.72, False, layouts[-1], True)


def _summary_plan(summary, scale: float, with_decisions: bool, per_row: int,
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
        height = _cards_height(row, scale, per_row)
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
    if used > _body_height() and not force:
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
                    _style_run(run, Run("", self.size, bold=i == 0,
                                        colour="#FFFFFF" if i == 0 else design.TEXT))
        set_alt_text(shape, f"Tableau : {self.block.title}")

    def height(self, rows) -> float:
        return self.row_height(self.header) + sum(self.row_height(r) for r in rows)


def _half_plan(block, width: float):
    """A function drawing `block` in a column `width` inches wide, or None if it needs more
    than one slide."""
    available = _body_height()
    if isinstance(block, Table):
        layout = TableLayout.of(block, width)
        pages = layout.pages(available - (text_height(_caption_paras(block.caption), width)
                                          + design.GAP if block.caption else 0))
        if len(pages) > 1:
            return None

        def draw_table(slide, left):
            layout.draw(slide, pages[0], left, design.BODY_TOP)
            if block.caption:
                caption = _caption_paras(block.caption)
                top = design.BODY_TOP + layout.height(pages[0]) + design.GAP
                box = slide.shapes.add_textbox(emu(left), emu(top), emu(width),
                                               emu(text_height(caption, width)))
                _fill_text_frame(box.text_frame, caption)
        return draw_table
    if isinstance(block, (Paragraphs, Quotes)):
        heading = [Para.of(block.title, 15, bold=True, colour=design.NAVY)]
        paras = heading + _block_paras(block, 14)
        if text_height(paras, width) > available:
            return None

        def draw_text(slide, left):
            box = slide.shapes.add_textbox(emu(left), emu(design.BODY_TOP), emu(width),
                                           emu(text_height(paras, width)))
            _fill_text_frame(box.text_frame, paras)
        return draw_text
    return None


def render_pptx(content: ReportContent) -> bytes:
    """The deck: cover, one-page summary, then each section's blocks on as many slides as they
    need; the PDF-only annexes are announced by one slide each."""
    deck = Deck(content)
    deck.cover()
    deck.summary()
    for section in content.sections:
        if section.deck:
            deck.section(section)
    deck.annexes([s for s in content.sections if not s.deck])
    return deck.finish()
