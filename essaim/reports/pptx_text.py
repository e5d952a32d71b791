"""Text on the deck's slides, measured before it is placed: runs and paragraphs, their height in
a box, titles and captions that fit, paragraphs paginated across slides."""


from dataclasses import dataclass

from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from essaim.reports import design
from essaim.reports.fonts import wrap
from essaim.reports.model import (
    Paragraphs,
    Quotes,
)
from essaim.reports.pptx_charts import emu, rgb

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


def lines(para: Para, width: float) -> int:
    """Lines a paragraph takes in a box `width` inches wide."""
    return len(wrap(para.text, para.size, (width - 2 * TEXT_INSET) * 72, para.style, "deck"))


def text_height(paras: list[Para], width: float) -> float:
    """Inches a list of paragraphs takes in a box `width` inches wide (insets included)."""
    points = sum(lines(p, width) * p.size * design.LINE_HEIGHT + p.space_before for p in paras)
    return points / 72 + 2 * TEXT_INSET_V


def style_run(run, spec: Run) -> None:
    font = run.font
    font.name = design.DECK_FONT
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.italic = spec.italic
    font.color.rgb = rgb(spec.colour)
    font.language_id = MSO_LANGUAGE_ID.FRENCH


def fill_text_frame(frame, paras: list[Para], anchor=MSO_ANCHOR.TOP) -> None:
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
            style_run(paragraph.add_run(), run_spec)
            paragraph.runs[-1].text = run_spec.text.replace("« ", "«\u00a0").replace(
                " »", "\u00a0»")


# --- layout helpers ------------------------------------------------------------------------------

def lay_out_for_16_9(prs) -> None:
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
                shape.top, shape.height = emu(design.BODY_TOP), emu(body_height())


def body_height() -> float:
    return design.BODY_BOTTOM - design.BODY_TOP


def fit_size(text: str, largest: float, smallest: float, width: float, max_lines: int) -> float:
    size = largest
    while size > smallest and lines(Para.of(text, size, bold=True), width) > max_lines:
        size -= 1
    return size


def fit_line(text: str, size: float, width: float) -> str:
    """`text` shortened with "…" to hold on one line of a box `width` inches wide."""
    if lines(Para.of(text, size), width) <= 1:
        return text
    while len(text) > 4 and lines(Para.of(text + "…", size), width) > 1:
        text = text[:-1]
    return text.rstrip(" ·,") + "…"


def title_para(title: str) -> Para:
    size = fit_size(title, design.DECK_TITLE_PT, design.DECK_TITLE_MIN_PT,
                     design.CONTENT_WIDTH, 2)
    if lines(Para.of(title, size, bold=True), design.CONTENT_WIDTH) > 2:
        title = fit_line(title, size, design.CONTENT_WIDTH * 2 - 1)
    return Para.of(title, size, bold=True, colour=design.NAVY)


def continued(title: str, page: int) -> str:
    return title if page == 0 else f"{title} (suite)"


def caption_paras(text: str, source: str = "", size: float = design.DECK_CAPTION_PT) -> list[Para]:
    """A block's reading note and its « Source : … » line, in muted 12 pt."""
    return [Para.of(part, size, colour=design.MUTED,
                    space_before=2 if index else 0)
            for index, part in enumerate(p for p in (text, source) if p)]


def caption_box(slide, caption: list[Para], height: float) -> None:
    box = slide.shapes.add_textbox(emu(design.MARGIN), emu(design.BODY_BOTTOM - height),
                                   emu(design.CONTENT_WIDTH), emu(height))
    fill_text_frame(box.text_frame, caption)


def block_paras(block: Paragraphs | Quotes, size: float) -> list[Para]:
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


def paginate_paras(paras: list[Para], width: float, height: float) -> list[list[Para]]:
    """Paragraphs in slide-sized chunks, spread evenly (no slide left with a line); a paragraph
    taller than a slide is cut at a word so that nothing runs off."""
    pages = _fill_paras(paras, width, height)
    if len(pages) > 1:  # the smallest slide height that needs no more slides: even ones
        total = sum(text_height(page, width) for page in pages)
        for step in range(20):
            even = total / len(pages) + step * (height - total / len(pages)) / 20
            balanced = _fill_paras(paras, width, even)
            if len(balanced) == len(pages):
                return balanced
    return pages


def _fill_paras(paras: list[Para], width: float, height: float) -> list[list[Para]]:
    pages, current = [], []
    for para in paras:
        if text_height(current + [para], width) <= height:
            current.append(para)
            continue
        if current:
            pages.append(current)
            current = []
        while text_height([para], width) > height:
            head, para = split_para(para, width, height)
            pages.append([head])
        current = [para]
    if current:
        pages.append(current)
    return pages


def split_para(para: Para, width: float, height: float) -> tuple[Para, Para]:
    words = para.text.split(" ")
    style = para.runs[0]
    cut = len(words) - 1
    while cut > 1 and text_height([Para.of(" ".join(words[:cut]), style.size)], width) > height:
        cut -= 1
    make = {"bold": style.bold, "italic": style.italic, "colour": style.colour}
    return (Para.of(" ".join(words[:cut]), style.size, **make),
            Para.of(" ".join(words[cut:]), style.size, **make))
