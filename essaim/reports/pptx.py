"""The restitution as a 16:9 PowerPoint deck built in code (python-pptx).

The default template's master and layouts are re-laid for 16:9, so a slide ANSA adds in
PowerPoint lands on the same grid. Every slide has its title in the title placeholder (the deck's
outline and screen readers use it), content in the body band, and a footer with the section, the
demo notice and the slide number. Charts are native PowerPoint charts (editable, restylable);
the map is drawn with freeform shapes. Text is measured (essaim.reports.fonts) before it is placed:
tables, paragraphs and cards continue on further slides instead of running off the slide, and no
two boxes overlap.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR

from essaim.numbers.formatting import plural
from essaim.reports import design
from essaim.reports.model import (
    Chart,
    KeyNumbers,
    MapBlock,
    Paragraphs,
    Quotes,
    ReportContent,
    Section,
    SideBySide,
    Table,
)
from essaim.reports.pptx_brief import brief_paras, group_brief_sections
from essaim.reports.pptx_charts import (
    draw_chart,
    draw_map,
    emu,
    plain_fill,
)
from essaim.reports.pptx_layout import (
    CARDS_PER_ROW,
    TableLayout,
    card_pages,
    draw_cards,
    half_plan,
)
from essaim.reports.pptx_text import (
    LAYOUT_TITLE_ONLY,
    LAYOUT_TITLE_SLIDE,
    Para,
    block_paras,
    body_height,
    caption_box,
    caption_paras,
    continued,
    fill_text_frame,
    fit_size,
    lay_out_for_16_9,
    paginate_paras,
    text_height,
    title_para,
)

SHORT_TABLE_SHARE = 0.4  # a table under this share of the body shares its slide with a chart


class Deck:
    """A deck being built: slides on the 16:9 grid, footers numbered once all slides exist."""

    def __init__(self, content: ReportContent):
        self.content = content
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = emu(design.SLIDE_WIDTH), \
            emu(design.SLIDE_HEIGHT)
        lay_out_for_16_9(self.prs)
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
        fill_text_frame(shape.text_frame, [title_para(title)], MSO_ANCHOR.BOTTOM)
        rule = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(design.MARGIN),
                                      emu(design.RULE_TOP), emu(1.6), emu(0.05))
        plain_fill(rule, design.ACCENT)
        self._footer(slide, section)
        return slide

    def _footer(self, slide, section: str) -> None:
        top, height = design.FOOTER_TOP, design.FOOTER_HEIGHT
        size = design.DECK_FOOTER_PT
        # The section, whole (a footer is never cut): the title is on the cover and each slide.
        left = slide.shapes.add_textbox(emu(design.MARGIN), emu(top), emu(6.3), emu(height))
        fill_text_frame(left.text_frame, [Para.of(f"Essaim · {section}", size,
                                                  colour=design.MUTED)], MSO_ANCHOR.MIDDLE)
        if self.content.notice:
            notice = slide.shapes.add_textbox(emu(7.0), emu(top), emu(4.2), emu(height))
            fill_text_frame(notice.text_frame, [Para.of("Données fictives de démonstration",
                                                         size, bold=True,
                                                         colour=design.ACCENT)],
                             MSO_ANCHOR.MIDDLE)
        number = slide.shapes.add_textbox(emu(design.SLIDE_WIDTH - design.MARGIN - 1.3),
                                          emu(top), emu(1.3), emu(height))
        self.numbers.append(number.text_frame)

    def finish(self) -> bytes:
        total = len(self.prs.slides)
        for index, frame in enumerate(self.numbers, start=2):  # the cover has no number
            fill_text_frame(frame, [Para.of(f"{index} / {total}", design.DECK_FOOTER_PT,
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
        fill_text_frame(kicker.text_frame, [Para.of(
            "Essaim · Accélérateur d'innovation sociale #Emploi · ANSA", 14, bold=True,
            colour=design.ACCENT)])
        title_size = fit_size(content.title, 36, 26, width, 2)
        title_paras = [Para.of(content.title, title_size, bold=True, colour=design.NAVY)]
        title_height = text_height(title_paras, width)
        title = slide.shapes.title
        title.left, title.top, title.width = emu(left), emu(1.6), emu(width)
        title.height = emu(title_height)
        fill_text_frame(title.text_frame, title_paras, MSO_ANCHOR.TOP)
        top = 1.6 + title_height + 0.25
        subtitle_paras = [Para.of(content.subtitle, 16, colour=design.MUTED)]
        subtitle = next(p for p in slide.placeholders
                        if p.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE)
        subtitle.left, subtitle.top, subtitle.width = emu(left), emu(top), emu(width)
        subtitle.height = emu(text_height(subtitle_paras, width))
        fill_text_frame(subtitle.text_frame, subtitle_paras)
        top += text_height(subtitle_paras, width) + 0.35
        if content.notice:
            paras = [Para.of(content.notice, 14, bold=True, colour=design.ACCENT)]
            box = slide.shapes.add_textbox(emu(left), emu(top), emu(width),
                                           emu(text_height(paras, width) + 0.1))
            plain_fill(box, design.NOTICE_FILL)
            fill_text_frame(box.text_frame, paras, MSO_ANCHOR.MIDDLE)

    def summary(self) -> None:
        """The synthesis: the main finding as the slide's title and the sentences made from the
        data (16 pt, never under 14), then the key figures (14 pt) on a slide of their own."""
        summary = self.content.summary

        def sized(size: float) -> list[Para]:
            return [Para.of(line, size, space_before=10 if i else 0)
                    for i, line in enumerate(summary.sentences)]

        # The largest type that holds on the slide: a short synthesis reads from the back row.
        size = next((s for s in range(design.DECK_SYNTHESIS_MAX_PT, design.DECK_SYNTHESIS_MIN_PT,
                                      -1) if text_height(sized(s), design.CONTENT_WIDTH)
                     <= body_height()), design.DECK_SYNTHESIS_MIN_PT)
        paras = sized(size)
        if summary.figures_note and not summary.figures:
            paras.append(Para.of(summary.figures_note, size, italic=True, space_before=10))
        for page, chunk in enumerate(paginate_paras(paras, design.CONTENT_WIDTH,
                                                     body_height())):
            slide = self.slide(continued(summary.headline, page), "Synthèse")
            box = slide.shapes.add_textbox(emu(design.MARGIN), emu(design.BODY_TOP),
                                           emu(design.CONTENT_WIDTH),
                                           emu(text_height(chunk, design.CONTENT_WIDTH)))
            fill_text_frame(box.text_frame, chunk)
        if summary.figures:
            self.cards(summary.figures, "Les chiffres clés", "Synthèse", summary.source,
                       design.DECK_SYNTHESIS_MIN_PT, compact=True)


    def cards(self, items, title: str, section: str, note: str, size: float,
              compact: bool = False) -> None:
        """Key figures as cards, rows of three, over as many slides as they need."""
        caption = caption_paras(note, size=max(size, design.DECK_CAPTION_PT))
        caption_height = text_height(caption, design.CONTENT_WIDTH) if caption else 0
        available = body_height() - (caption_height + design.GAP if caption else 0)
        per_row = min(len(items), CARDS_PER_ROW)
        for page, chunk in enumerate(card_pages(items, available, size, compact)):
            slide = self.slide(continued(title, page), section)
            top = design.BODY_TOP
            for row, height in chunk:
                draw_cards(slide, row, top, height, per_row, size, compact)
                top += height + design.GAP
            if caption:
                caption_box(slide, caption, caption_height)

    def paragraphs(self, block: Paragraphs | Quotes, section: str) -> None:
        """Text over as few slides as type from 16 down to 14 pt allows, spread evenly."""
        plans = [paginate_paras(block_paras(block, size), design.CONTENT_WIDTH, body_height())
                 for size in range(design.DECK_BODY_PT, design.DECK_BODY_MIN_PT, -1)]
        fewest = min(len(plan) for plan in plans)
        pages = next(plan for plan in plans if len(plan) == fewest)
        for page, chunk in enumerate(pages):
            slide = self.slide(continued(block.title, page), section)
            box = slide.shapes.add_textbox(emu(design.MARGIN), emu(design.BODY_TOP),
                                           emu(design.CONTENT_WIDTH),
                                           emu(text_height(chunk, design.CONTENT_WIDTH)))
            fill_text_frame(box.text_frame, chunk)

    def brief(self, sections: list[Section]) -> None:
        """Several short text sections on one slide, each under its heading."""
        paras = brief_paras(sections)
        slide = self.slide(" · ".join(s.title for s in sections), " · ".join(
            s.title for s in sections))
        box = slide.shapes.add_textbox(emu(design.MARGIN), emu(design.BODY_TOP),
                                       emu(design.CONTENT_WIDTH),
                                       emu(text_height(paras, design.CONTENT_WIDTH)))
        fill_text_frame(box.text_frame, paras)

    def key_numbers(self, block: KeyNumbers, section: str) -> None:
        note = " ".join(part for part in (block.caption, block.source) if part)
        self.cards(block.items, block.title, section, note, design.DECK_MIN_PT)

    def chart(self, block: Chart, section: str) -> None:
        slide = self.slide(block.title, section)
        caption = caption_paras(block.caption, block.source)
        caption_height = text_height(caption, design.CONTENT_WIDTH) if caption else 0
        height = body_height() - (caption_height + design.GAP if caption else 0)
        draw_chart(slide, block, design.MARGIN, design.BODY_TOP, design.CONTENT_WIDTH, height)
        if caption:
            caption_box(slide, caption, caption_height)

    def table(self, block: Table, section: str) -> None:
        caption = caption_paras(block.caption, block.source)
        caption_height = text_height(caption, design.CONTENT_WIDTH) if caption else 0
        available = body_height() - (caption_height + design.GAP if caption else 0)
        layout = TableLayout.of(block, design.CONTENT_WIDTH)
        pages = layout.pages(available)
        for page, rows in enumerate(pages):
            title = block.title if len(pages) == 1 else f"{block.title} ({page + 1}/{len(pages)})"
            slide = self.slide(title, section)
            layout.draw(slide, rows, design.MARGIN, design.BODY_TOP)
            if caption:
                caption_box(slide, caption, caption_height)

    def map(self, block: MapBlock, section: str) -> None:
        slide = self.slide(block.title, section)
        caption = caption_paras(block.caption.replace("Contours : ", "Source : "))
        caption_height = text_height(caption, design.CONTENT_WIDTH)
        height = body_height() - caption_height - design.GAP
        width = min(height * block.width / block.height, 8.2)
        height = width * block.height / block.width
        draw_map(slide, block, design.MARGIN, design.BODY_TOP, width, height)
        legend_left = design.MARGIN + width + 0.4
        legend_width = design.SLIDE_WIDTH - design.MARGIN - legend_left
        top = design.BODY_TOP
        heading = [Para.of("Innovations", 14, bold=True, colour=design.NAVY)]
        box = slide.shapes.add_textbox(emu(legend_left), emu(top), emu(legend_width),
                                       emu(text_height(heading, legend_width)))
        fill_text_frame(box.text_frame, heading)
        top += text_height(heading, legend_width) + 0.05
        size = 14 if len(block.legend) <= 8 else design.DECK_MIN_PT
        for label, colour in block.legend:
            paras = [Para.of(label, size)]
            label_height = text_height(paras, legend_width - 0.35)
            dot = slide.shapes.add_shape(MSO_SHAPE.OVAL, emu(legend_left + 0.02),
                                         emu(top + label_height / 2 - 0.08), emu(0.16),
                                         emu(0.16))
            plain_fill(dot, colour, design.MAP_MARKER_EDGE)
            box = slide.shapes.add_textbox(emu(legend_left + 0.3), emu(top),
                                           emu(legend_width - 0.3), emu(label_height))
            fill_text_frame(box.text_frame, paras)
            top += label_height + 0.04
        caption_box(slide, caption, caption_height)

    def side_by_side(self, block: SideBySide, section: str) -> None:
        half = (design.CONTENT_WIDTH - 0.4) / 2
        left, right = half_plan(block.left, half), half_plan(block.right, half)
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
        blocks = list(section.blocks)
        index = 0
        while index < len(blocks):
            block = blocks[index]
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(following, Chart) and self.table_above_chart(block, following,
                                                                        section.title):
                index += 2
                continue
            self.block(block, section.title)
            index += 1

    def table_above_chart(self, block, chart: Chart, section: str) -> bool:
        """A short table and the chart after it share a slide (the table on top, the chart
        under its own heading), rather than leaving the table alone on a slide. False when the
        table is not short enough."""
        if not isinstance(block, Table):
            return False
        caption = caption_paras(block.caption, block.source)
        layout = TableLayout.of(block, design.CONTENT_WIDTH)
        pages = layout.pages(body_height())
        table_height = layout.height(pages[0]) if len(pages) == 1 else body_height()
        caption_height = text_height(caption, design.CONTENT_WIDTH) if caption else 0
        if table_height + caption_height > SHORT_TABLE_SHARE * body_height():
            return False
        slide = self.slide(block.title, section)
        layout.draw(slide, pages[0], design.MARGIN, design.BODY_TOP)
        top = design.BODY_TOP + table_height + 0.05
        if caption:
            box = slide.shapes.add_textbox(emu(design.MARGIN), emu(top),
                                           emu(design.CONTENT_WIDTH), emu(caption_height))
            fill_text_frame(box.text_frame, caption)
            top += caption_height
        heading = [Para.of(chart.title, 14, bold=True, colour=design.NAVY)]
        heading_height = text_height(heading, design.CONTENT_WIDTH)
        box = slide.shapes.add_textbox(emu(design.MARGIN), emu(top + design.GAP),
                                       emu(design.CONTENT_WIDTH), emu(heading_height))
        fill_text_frame(box.text_frame, heading)
        top += design.GAP + heading_height
        notes = caption_paras(chart.caption, chart.source)
        notes_height = text_height(notes, design.CONTENT_WIDTH) if notes else 0
        draw_chart(slide, chart, design.MARGIN, top, design.CONTENT_WIDTH,
                   design.BODY_BOTTOM - top - (notes_height + 0.05 if notes else 0))
        if notes:
            caption_box(slide, notes, notes_height)
        return True

    def annexes(self, sections: list[Section]) -> None:
        """One slide naming what only the PDF holds in full (raw inputs, every source…)."""
        if not sections:
            return
        lines = ["Le rapport PDF donne en entier :"]
        for section in sections:
            # The section's main table comes last (a key to read it may come before).
            listed = [b for b in section.blocks if isinstance(b, (Table, Quotes))]
            count = sum(len(b.frame) if isinstance(b, Table) else len(b.items) for b in listed
                        if not b.title.startswith("Annexe : clé"))
            lines.append(f"{section.title.removeprefix('Annexe : ')} "
                         f"({plural(count, 'ligne')})")
        self.paragraphs(Paragraphs("Annexes du rapport PDF", lines, bullets=True), "Annexes")


def render_pptx(content: ReportContent) -> bytes:
    """The deck: cover, one-page summary, then each section's blocks on as many slides as they
    need; the PDF-only annexes are announced by one slide each."""
    deck = Deck(content)
    deck.cover()
    deck.summary()
    for group in group_brief_sections([s for s in content.sections if s.deck]):
        if len(group) == 1:
            deck.section(group[0])
        else:
            deck.brief(group)
    deck.annexes([s for s in content.sections if not s.deck])
    return deck.finish()
