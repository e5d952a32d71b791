"""The restitution as an A4 PDF report (reportlab), in DejaVu Sans embedded.

The first page is the summary, kept on one page. Then every section and its blocks: headings
stay with what follows them, tables repeat their header on each page, in 9 pt dark text, charts
and the map are vector drawings. Each page carries the report's title, the demo notice when demo
data is in use, and « page n sur N »."""

from __future__ import annotations

import io
from contextlib import contextmanager
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from essaim.reports import design
from essaim.reports.fonts import column_widths, register_pdf_fonts
from essaim.reports.model import (
    Chart,
    KeyNumber,
    KeyNumbers,
    MapBlock,
    Paragraphs,
    Quotes,
    ReportContent,
    SideBySide,
)
from essaim.reports.model import Table as TableBlock
from essaim.reports.pdf_charts import chart_drawing, map_drawing, swatch

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 2 * cm, 1.8 * cm, 2.2 * cm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
CELL_PADDING = 4
KEEP_WITH_HEADING = 5 * cm


def _colour(hex_colour: str):
    return colors.HexColor(hex_colour)


def _table_style(commands: list) -> TableStyle:
    """A table style in the embedded font (reportlab's default cell font is Helvetica, which
    would be named, unembedded, on every page)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), register_pdf_fonts()["regular"],
                        design.PDF_TABLE_PT)] + commands)


def _text(value) -> str:
    """Imported or typed text made safe for reportlab's paragraph markup."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


class Styles:
    """The report's paragraph styles (DejaVu Sans)."""

    def __init__(self):
        fonts = register_pdf_fonts()
        regular, bold, italic = fonts["regular"], fonts["bold"], fonts["italic"]
        text = _colour(design.TEXT)
        self.body = ParagraphStyle("corps", fontName=regular, fontSize=design.PDF_BODY_PT,
                                   leading=14, textColor=text, spaceAfter=5)
        self.bullet = ParagraphStyle("puce", parent=self.body, leftIndent=12, bulletIndent=2,
                                     bulletFontName=regular)
        self.quote = ParagraphStyle("citation", parent=self.body, fontName=italic, spaceAfter=6)
        self.caption = ParagraphStyle("legende", parent=self.body, fontSize=design.PDF_CAPTION_PT,
                                      leading=12, textColor=_colour(design.MUTED), spaceBefore=3,
                                      spaceAfter=8, allowWidows=0, allowOrphans=0)
        self.note = ParagraphStyle("note", parent=self.caption, spaceBefore=0, spaceAfter=5,
                                   keepWithNext=1)
        self.title = ParagraphStyle("titre", parent=self.body, fontName=bold, fontSize=22,
                                    leading=27, textColor=_colour(design.NAVY), spaceAfter=6)
        self.subtitle = ParagraphStyle("sous-titre", parent=self.body, fontSize=10.5,
                                       textColor=_colour(design.MUTED), spaceAfter=10)
        self.notice = ParagraphStyle("avis", parent=self.body, fontName=bold,
                                     textColor=_colour(design.ACCENT),
                                     backColor=_colour(design.NOTICE_FILL), borderPadding=6,
                                     spaceBefore=4, spaceAfter=14)
        self.section = ParagraphStyle("titre1", parent=self.body, fontName=bold, fontSize=16,
                                      leading=20, textColor=_colour(design.NAVY), spaceBefore=14,
                                      spaceAfter=8, keepWithNext=1)
        self.block = ParagraphStyle("titre2", parent=self.body, fontName=bold, fontSize=11.5,
                                    leading=15, spaceBefore=10, spaceAfter=5, keepWithNext=1)
        self.cell = ParagraphStyle("cellule", fontName=regular, fontSize=design.PDF_TABLE_PT,
                                   leading=11.5, textColor=text)
        self.cell_number = ParagraphStyle("nombre", parent=self.cell, alignment=TA_RIGHT)
        self.header = ParagraphStyle("entete", parent=self.cell, fontName=bold,
                                     textColor=colors.white)
        self.header_number = ParagraphStyle("entete_nombre", parent=self.header,
                                            alignment=TA_RIGHT)
        self.card_label = ParagraphStyle("carte_titre", parent=self.cell, fontName=bold,
                                         fontSize=9.5, leading=12,
                                         textColor=_colour(design.NAVY))
        self.card_value = ParagraphStyle("carte_valeur", parent=self.cell, fontName=bold,
                                         fontSize=15, leading=19, spaceBefore=2, spaceAfter=2)
        self.card_line = ParagraphStyle("carte_ligne", parent=self.cell, spaceBefore=2)
        self.card_coverage = ParagraphStyle("carte_couverture", parent=self.card_line,
                                            fontName=italic, textColor=_colour(design.MUTED))


# --- blocks --------------------------------------------------------------------------------------

def table(block: TableBlock, styles: Styles, width: float) -> Table:
    """A table at ≥ 9 pt in dark text, header repeated on each page, long rows split."""
    columns = list(block.frame.columns)
    relative = list(block.widths or [1.0] * len(columns))[:len(columns)]
    relative += [1.0] * (len(columns) - len(relative))
    widths = column_widths(block.frame, relative, width, design.PDF_TABLE_PT, "pdf",
                           2 * CELL_PADDING + 1)
    numeric = {j for j, c in enumerate(columns) if c in block.numeric}
    data = [[Paragraph(_text(c), styles.header_number if j in numeric else styles.header)
             for j, c in enumerate(columns)]]
    for row in block.frame.itertuples(index=False):
        data.append([Paragraph(_text(v), styles.cell_number if j in numeric else styles.cell)
                     for j, v in enumerate(row)])
    result = Table(data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    result.setStyle(_table_style([
        ("BACKGROUND", (0, 0), (-1, 0), _colour(design.NAVY)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, _colour(design.STRIPE_FILL)]),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, _colour(design.RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5)]))
    return result


def cards(items: list[KeyNumber], styles: Styles, width: float, columns: int = 2) -> Table:
    """Key figures as cards, `columns` per row."""
    def card(item: KeyNumber) -> list:
        parts = [Paragraph(_text(item.label), styles.card_label),
                 Paragraph(_text(item.value), styles.card_value)]
        parts += [Paragraph(_text(line), styles.card_line) for line in item.comparisons]
        if item.coverage:
            parts.append(Paragraph(_text(item.coverage), styles.card_coverage))
        return parts

    cells = [card(item) for item in items]
    cells += [""] * (-len(cells) % columns)
    rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    gap = 8
    result = Table(rows, colWidths=[(width - gap * (columns - 1)) / columns] * columns,
                   hAlign="LEFT", splitInRow=0)
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
                ("LINEAFTER", (0, 0), (-2, -1), gap, colors.white),
                ("LINEBELOW", (0, 0), (-1, -2), gap, colors.white)]
    for index, item in enumerate(cells):
        if item:
            commands.append(("BACKGROUND", (index % columns, index // columns),
                             (index % columns, index // columns), _colour(design.CARD_FILL)))
    result.setStyle(_table_style(commands))
    return result


def _paragraphs(block: Paragraphs | Quotes, styles: Styles) -> list:
    if isinstance(block, Quotes):
        return [Paragraph(f"« {_text(q.text)} » <font name='{styles.body.fontName}' "
                          f"color='{design.MUTED}' size='9'>— {_text(q.who)}</font>", styles.quote)
                for q in block.items]
    if block.bullets:
        lead = block.lines[:1] if block.lines and block.lines[0].endswith(":") else []
        return [Paragraph(_text(line), styles.body) for line in lead] + [
            Paragraph(_text(line), styles.bullet, bulletText="•")
            for line in block.lines[len(lead):]]
    return [Paragraph(_text(line), styles.body) for line in block.lines]


def _map(block: MapBlock, styles: Styles, width: float) -> list:
    legend_width = 5.2 * cm
    drawing = map_drawing(block, width - legend_width - 10, 11 * cm)
    swatches = Table([[swatch(colour), Paragraph(_text(label), styles.cell)]
                      for label, colour in block.legend], colWidths=[14, legend_width - 14],
                     hAlign="LEFT")
    swatches.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    legend = [Paragraph("Innovations", styles.card_label), Spacer(1, 4), swatches]
    layout = Table([[drawing, legend]], colWidths=[width - legend_width, legend_width],
                   hAlign="LEFT")
    layout.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [layout, Paragraph(_text(block.caption), styles.caption)]


def block_flowables(block, styles: Styles, width: float, titled: bool = True,
                    lead: list | None = None) -> list:
    """The flowables of one block, its title (and `lead`, the section's heading) kept with what
    follows. reportlab's keepWithNext cannot join a heading to a KeepTogether, so headings go
    inside it."""
    heading = list(lead or []) + ([Paragraph(_text(block.title), styles.block)] if titled else [])
    if isinstance(block, TableBlock):
        # The reading note comes first: kept with the heading, never alone after a long table.
        note = [Paragraph(_text(block.caption), styles.note)] if block.caption else []
        return heading + note + [table(block, styles, width)]
    elif isinstance(block, Chart):
        body = [chart_drawing(block, width)]
        caption = block.caption
    elif isinstance(block, KeyNumbers):
        body = [cards(block.items, styles, width)]
        caption = block.caption
    elif isinstance(block, MapBlock):
        return [KeepTogether(heading + _map(block, styles, width))]
    elif isinstance(block, SideBySide):
        return heading + _side_by_side(block, styles, width)
    else:
        body, caption = _paragraphs(block, styles), ""
    parts = heading + body + ([Paragraph(_text(caption), styles.caption)] if caption else [])
    if isinstance(block, (Chart, KeyNumbers)):
        return [KeepTogether(parts)]
    return parts


def _side_by_side(block: SideBySide, styles: Styles, width: float) -> list:
    half = (width - 14) / 2
    left = block_flowables(block.left, styles, half)
    right = block_flowables(block.right, styles, half)
    pair = Table([[left, right]], colWidths=[half + 14, half], hAlign="LEFT")
    pair.setStyle(_table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (0, 0), 14)]))
    if pair.wrap(width, FRAME_HEIGHT)[1] <= FRAME_HEIGHT * 0.9:
        return [pair]
    return block_flowables(block.left, styles, width) + block_flowables(block.right, styles, width)


# --- document ------------------------------------------------------------------------------------

def _summary(content: ReportContent, styles: Styles) -> list:
    summary = content.summary
    parts = [Paragraph(_text(content.title), styles.title),
             Paragraph(_text(content.subtitle), styles.subtitle)]
    if content.notice:
        parts.append(Paragraph(_text(content.notice), styles.notice))
    parts.append(Paragraph("Synthèse", styles.section))
    for label, text in (("Quoi", summary.what), ("Où", summary.where), ("Quand", summary.when)):
        parts.append(Paragraph(f"<b>{label} :</b> {_text(text)}", styles.body))
    if summary.figures:
        parts += [Spacer(1, 4), cards(summary.figures, styles, FRAME_WIDTH)]
    if summary.figures_note:
        parts.append(Paragraph(_text(summary.figures_note), styles.body))
    if summary.decisions:
        parts.append(Paragraph("Ce que la salle a décidé", styles.block))
        parts += [Paragraph(_text(line), styles.bullet, bulletText="•")
                  for line in summary.decisions]
    # The summary is one page: shrunk if it would run over.
    return [KeepInFrame(FRAME_WIDTH, FRAME_HEIGHT - 6, parts, mode="shrink"), PageBreak()]


def _footer_painter(content: ReportContent, fonts: dict):
    title = content.title if len(content.title) <= 90 else content.title[:89] + "…"

    def paint(canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(_colour(design.RULE))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, 1.55 * cm, PAGE_WIDTH - MARGIN_X, 1.55 * cm)
        canvas.setFont(fonts["regular"], design.PDF_CAPTION_PT)
        canvas.setFillColor(_colour(design.MUTED))
        canvas.drawString(MARGIN_X, 1.1 * cm, f"Essaim — {title}")
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, 1.1 * cm, f"page {page} sur {total}")
        if content.notice:
            canvas.setFont(fonts["bold"], design.PDF_CAPTION_PT)
            canvas.setFillColor(_colour(design.ACCENT))
            canvas.drawString(MARGIN_X, 0.7 * cm, "Données fictives de démonstration")
        canvas.restoreState()

    return paint


def _numbered_canvas(paint):
    """A canvas that paints each page's footer once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                paint(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(content: ReportContent) -> bytes:
    """The A4 report: the one-page summary, then every section in full (annexes included)."""
    styles = Styles()
    story = _summary(content, styles)
    for section in content.sections:
        # A heading never ends a page: room for it and the start of what follows, or a new
        # page. (The headings' keepWithNext then holds them to their first block.)
        story.append(CondPageBreak(KEEP_WITH_HEADING))
        lead = [Paragraph(_text(section.title), styles.section)]
        for index, block in enumerate(section.blocks):
            if index:
                story.append(CondPageBreak(KEEP_WITH_HEADING))
            # A block named like its section needs no second heading.
            titled = not (index == 0 and block.title == section.title)
            story += block_flowables(block, styles, FRAME_WIDTH, titled,
                                     lead if index == 0 else None)
    buffer = io.BytesIO()
    with _drawings_in_embedded_font():
        _build(content, story, buffer)
    return buffer.getvalue()


@contextmanager
def _drawings_in_embedded_font():
    """reportlab starts pages and drawings in Helvetica (rl_config), which is never embedded:
    while the report is built, they start in the embedded face instead."""
    settings = ("canvas_basefontname", "defaultGraphicsFontName")
    previous = {name: getattr(rl_config, name) for name in settings}
    for name in settings:
        setattr(rl_config, name, register_pdf_fonts()["regular"])
    try:
        yield
    finally:
        for name, value in previous.items():
            setattr(rl_config, name, value)


def _build(content: ReportContent, story: list, buffer: io.BytesIO) -> None:
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=content.title, author="Essaim (ANSA)",
        subject=content.subtitle, creator="Essaim", lang="fr-FR",
        # Otherwise every page names Helvetica (not embedded) as its starting font.
        initialFontName=register_pdf_fonts()["regular"], leftMargin=MARGIN_X,
        rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM)
    document.build(story, canvasmaker=_numbered_canvas(
        _footer_painter(content, register_pdf_fonts())))
