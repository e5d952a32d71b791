"""Rendering a restitution as a PowerPoint deck (python-pptx) and a PDF (reportlab), in French."""

from __future__ import annotations

import io
from pathlib import Path

import reportlab
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from xml.sax.saxutils import escape

from essaim.report import ReportContent

MAX_TABLE_ROWS_SLIDE = 12
ACCENT = RGBColor(0xB3, 0x5C, 0x00)


# --- PowerPoint ------------------------------------------------------------------------------

def _text_slide(deck, title: str, lines: list[str], notice: str = "") -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = title
    body = slide.placeholders[1].text_frame
    body.clear()
    for index, line in enumerate(lines or [""]):
        paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(16)
    if notice:
        _notice(slide, notice)


def _notice(slide, notice: str) -> None:
    box = slide.shapes.add_textbox(Inches(0.4), Inches(7.0), Inches(12.5), Inches(0.4))
    run = box.text_frame.paragraphs[0].add_run()
    run.text = notice
    run.font.size = Pt(10)
    run.font.color.rgb = ACCENT


def render_pptx(content: ReportContent, images: dict[int, bytes]) -> bytes:
    """The deck: title slide, one slide per text block, figure and table, then the sources.
    `images` maps id(figure) → PNG; a figure without image gets a French placeholder line."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = content.title
    title.placeholders[1].text = content.subtitle
    if content.notice:
        _notice(title, content.notice)
    for section in content.sections:
        if section.paragraphs or section.bullets:
            _text_slide(deck, section.title, section.paragraphs + section.bullets, content.notice)
        for figure in section.figures:
            slide = deck.slides.add_slide(deck.slide_layouts[5])
            slide.shapes.title.text = figure.title
            png = images.get(id(figure))
            if png:
                picture = slide.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.4),
                                                   height=Inches(5.2))
                if picture.width > deck.slide_width - Inches(1.2):
                    ratio = (deck.slide_width - Inches(1.2)) / picture.width
                    picture.width = Emu(int(picture.width * ratio))
                    picture.height = Emu(int(picture.height * ratio))
            else:
                box = slide.shapes.add_textbox(Inches(0.6), Inches(3), Inches(12), Inches(1))
                box.text_frame.text = "Graphique indisponible (Chromium absent lors de la production)."
            caption = slide.shapes.add_textbox(Inches(0.6), Inches(6.65), Inches(12), Inches(0.4))
            caption.text_frame.text = figure.caption
            caption.text_frame.paragraphs[0].font.size = Pt(11)
            if content.notice:
                _notice(slide, content.notice)
        for block in section.tables:
            frame = block.frame.head(MAX_TABLE_ROWS_SLIDE)
            slide = deck.slides.add_slide(deck.slide_layouts[5])
            slide.shapes.title.text = block.title
            rows, cols = len(frame) + 1, len(frame.columns)
            table = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(1.4), Inches(12.3),
                                           Inches(0.4) * rows).table
            for j, column in enumerate(frame.columns):
                table.cell(0, j).text = str(column)
            for i, row in enumerate(frame.itertuples(index=False), start=1):
                for j, value in enumerate(row):
                    table.cell(i, j).text = "" if value is None else str(value)
            for cell in (table.cell(i, j) for i in range(rows) for j in range(cols)):
                for paragraph in cell.text_frame.paragraphs:
                    paragraph.font.size = Pt(11)
            note = block.caption
            if len(block.frame) > MAX_TABLE_ROWS_SLIDE:
                note += f" ({len(block.frame) - MAX_TABLE_ROWS_SLIDE} lignes de plus dans le PDF.)"
            if note:
                box = slide.shapes.add_textbox(Inches(0.5), Inches(6.65), Inches(12), Inches(0.4))
                box.text_frame.text = note
                box.text_frame.paragraphs[0].font.size = Pt(11)
            if content.notice:
                _notice(slide, content.notice)
    _text_slide(deck, "Sources et millésimes", content.sources, content.notice)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------

def _register_fonts() -> tuple[str, str]:
    fonts = Path(reportlab.__file__).parent / "fonts"
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("VeraBd", str(fonts / "VeraBd.ttf")))
    return "Vera", "VeraBd"


def render_pdf(content: ReportContent, images: dict[int, bytes]) -> bytes:
    """An A4 report with the same content as the deck; tables in full."""
    regular, bold = _register_fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle("corps", parent=styles["BodyText"], fontName=regular, fontSize=10,
                          leading=14)
    small = ParagraphStyle("petit", parent=body, fontSize=8, leading=10, textColor=colors.grey)
    heading = ParagraphStyle("titre2", parent=styles["Heading2"], fontName=bold,
                             textColor=colors.HexColor("#b35c00"))
    title = ParagraphStyle("titre1", parent=styles["Title"], fontName=bold)
    notice = ParagraphStyle("avis", parent=body, textColor=colors.HexColor("#8a4500"),
                            backColor=colors.HexColor("#fff5e0"), borderPadding=6)
    story = [Paragraph(escape(content.title), title), Paragraph(escape(content.subtitle), body),
             Spacer(1, 0.4 * cm)]
    if content.notice:
        story += [Paragraph(escape(content.notice), notice), Spacer(1, 0.4 * cm)]
    for section in content.sections:
        story.append(Paragraph(escape(section.title), heading))
        story += [Paragraph(escape(p), body) for p in section.paragraphs]
        story += [Paragraph("• " + escape(b), body) for b in section.bullets]
        for figure in section.figures:
            png = images.get(id(figure))
            parts = [Paragraph(escape(figure.title), body)]
            if png:
                image = Image(io.BytesIO(png))
                ratio = min(16.5 * cm / image.imageWidth, 11 * cm / image.imageHeight)
                image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
                parts.append(image)
            else:
                parts.append(Paragraph("Graphique indisponible (Chromium absent lors de la "
                                       "production).", small))
            parts.append(Paragraph(escape(figure.caption), small))
            story.append(KeepTogether(parts))
        for block in section.tables:
            data = [[Paragraph(escape(str(c)), small) for c in block.frame.columns]] + [
                [Paragraph(escape("" if v is None else str(v)), small) for v in row]
                for row in block.frame.itertuples(index=False)]
            table = Table(data, repeatRows=1)
            table.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f0f0")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bdbdbd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [Paragraph(escape(block.title), body), table]
            if block.caption:
                story.append(Paragraph(escape(block.caption), small))
        story.append(Spacer(1, 0.3 * cm))
    story += [PageBreak(), Paragraph("Sources et millésimes", heading)]
    story += [Paragraph("• " + escape(s), body) for s in content.sources]

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawString(1.5 * cm, 1 * cm, f"Essaim — {content.title[:90]}")
        canvas.drawRightString(19.5 * cm, 1 * cm, f"page {document.page}")
        if content.notice:
            canvas.setFillColor(colors.HexColor("#8a4500"))
            canvas.drawString(1.5 * cm, 0.6 * cm, "Données fictives de démonstration")
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=content.title, author="Essaim",
                      leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.5 * cm,
                      bottomMargin=1.8 * cm).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
