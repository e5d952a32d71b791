"""The fonts of the restitution documents, shipped in data/fonts/ with their licences, and their
metrics (read with reportlab's TrueType reader) to measure text before it is placed.

- The PDF embeds DejaVu Sans (WeasyPrint, essaim.reports.pdf): it has every character Essaim
  writes (« », −, →, ≥, …, accented capitals). Its SVG charts are laid out with the same metrics.
- The deck names Arial (present wherever PowerPoint runs; LibreOffice substitutes Liberation
  Sans). Liberation Sans has Arial's metrics, so the deck measures its text with it: what fits
  when measured here fits on the slide.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from essaim.paths import DATA_DIR

FONT_DIR = DATA_DIR / "fonts"
FACES = {
    "pdf": {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf",
            "italic": "DejaVuSans-Oblique.ttf"},
    "deck": {"regular": "LiberationSans-Regular.ttf", "bold": "LiberationSans-Bold.ttf",
             "italic": "LiberationSans-Italic.ttf"},
}
# Names under which reportlab knows the shipped faces.
FONT_NAMES = {"pdf": {"regular": "EssaimSans", "bold": "EssaimSans-Bold",
                      "italic": "EssaimSans-Oblique"},
              "deck": {"regular": "EssaimDeck", "bold": "EssaimDeck-Bold",
                       "italic": "EssaimDeck-Italic"}}


@cache
def register_fonts(family: str = "pdf") -> dict[str, str]:
    """Register a family's faces with reportlab (once per process); style → font name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = FONT_NAMES[family]
    for style, name in names.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / FACES[family][style])))
    for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"),
                                (1, 1, "bold")):
        addMapping(names["regular"], bold, italic, names[style])
    return dict(names)


@lru_cache(maxsize=65_536)
def text_width(text: str, size: float, style: str = "regular", family: str = "pdf") -> float:
    """Width of one line of `text` in points at `size` points: the sum of its characters'
    advances (no kerning), so the width of a line is the sum of its words' and spaces'."""
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, register_fonts(family)[style], size)


def wrap(text: str, size: float, width: float, style: str = "regular",
         family: str = "pdf") -> list[str]:
    """`text` broken into lines no wider than `width` points (explicit line breaks kept); a word
    longer than a line breaks after its hyphens (« Auvergne-Rhône-Alpes »), and is cut only
    when a piece is still too long."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        current, current_width = "", 0.0
        for word in _pieces(paragraph, size, width, style, family):
            joiner = "" if current.endswith("-") and current and word.startswith("\x00") else " "
            word = word.lstrip("\x00")
            word_width = text_width(word, size, style, family)
            candidate_width = (current_width + text_width(joiner, size, style, family)
                               + word_width) if current else word_width
            if candidate_width <= width:
                current = f"{current}{joiner}{word}" if current else word
                current_width = candidate_width
                continue
            if current:
                lines.append(current)
            while text_width(word, size, style, family) > width and len(word) > 1:
                cut = _longest_prefix(word, size, width, style, family)
                lines.append(word[:cut])
                word = word[cut:]
            current, current_width = word, text_width(word, size, style, family)
        lines.append(current)
    return lines


def _pieces(paragraph: str, size: float, width: float, style: str, family: str) -> list[str]:
    """The paragraph's words; a word too long for a line split after its hyphens, the pieces
    after the first marked "\x00" (joined to the line before without a space)."""
    pieces = []
    for word in paragraph.split(" "):
        if "-" in word.strip("-") and text_width(word, size, style, family) > width:
            parts = re.split(r"(?<=-)(?=.)", word)
            pieces += [parts[0]] + ["\x00" + part for part in parts[1:]]
        else:
            pieces.append(word)
    return pieces


def _longest_prefix(word: str, size: float, width: float, style: str, family: str) -> int:
    cut = len(word) - 1
    while cut > 1 and text_width(word[:cut], size, style, family) > width:
        cut -= 1
    return cut


def longest_word(text: str, size: float, style: str = "regular", family: str = "pdf") -> float:
    """Width in points of the widest word of `text` (how narrow a column may get)."""
    words = re.split(r"[ \n]|(?<=-)(?=.)", str(text))  # a line may break after a hyphen
    return max((text_width(w, size, style, family) for w in words), default=0.0)


def column_widths(frame, relative: list[float], total: float, size: float, family: str,
                  padding: float, points_per_unit: float = 1.0) -> list[float]:
    """Widths of a table's columns summing to `total`: the `relative` shares, widened where a
    column's longest word (its header in bold) would otherwise be cut, the other columns
    narrowed to keep the total. `padding` is a cell's inner margins, in the same unit."""
    needed = []
    for column in frame.columns:
        widest = max([longest_word(column, size, "bold", family)]
                     + [longest_word(v, size, family=family) for v in frame[column].head(300)])
        needed.append(widest / points_per_unit + padding)
    widths = [total * w / sum(relative) for w in relative]
    for _ in range(len(widths)):
        short = [j for j, w in enumerate(widths) if w < needed[j] - 1e-9]
        if not short:
            break
        for j in short:
            widths[j] = needed[j]
        free = [j for j in range(len(widths)) if widths[j] > needed[j]]
        room = sum(widths[j] - needed[j] for j in free)
        excess = sum(widths) - total
        if not free or room <= 0:
            break
        for j in free:
            widths[j] -= min(excess, room) * (widths[j] - needed[j]) / room
    scale = total / sum(widths)
    return [w * scale for w in widths]


@cache
def covered_characters(style: str = "regular", family: str = "pdf") -> frozenset[int]:
    """The code points a shipped face has a glyph for."""
    from reportlab.pdfbase import pdfmetrics

    return frozenset(pdfmetrics.getFont(register_fonts(family)[style]).face.charToGlyph)


def missing_glyphs(text: str, style: str = "regular", family: str = "pdf") -> set[str]:
    """Characters of `text` (line breaks aside) a shipped face cannot draw."""
    covered = covered_characters(style, family)
    return {ch for ch in set(text) if ch not in "\n\r\t\v" and ord(ch) not in covered}
