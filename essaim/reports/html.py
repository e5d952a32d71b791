"""The restitution as an HTML document for the PDF (essaim.reports.pdf): semantic headings (the
PDF's bookmarks and tags), tables with header cells, charts and the map as inline SVG with their
alternative text, a « Source : … » line under each, the synthesis on the first page and, beyond
eight pages, a contents page. Every text is escaped: imported text never becomes markup."""

from __future__ import annotations

import dataclasses
from html import escape

from essaim.reports.model import (
    Chart,
    KeyNumber,
    KeyNumbers,
    MapBlock,
    Paragraphs,
    Quotes,
    ReportContent,
    SideBySide,
    Table,
)
from essaim.reports.svg import chart_svg, map_svg

FRAME_WIDTH_PT = 481.9  # A4 (595,3 pt) less 2 × 2 cm margins
HALF_WIDTH_PT = (FRAME_WIDTH_PT - 14) / 2
LONG_TABLE_ROWS = 120


def _e(text) -> str:
    """Escaped text; French quotes hold to their words (no line starts with « » »)."""
    text = "" if text is None else str(text)
    text = text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    return escape(text).replace("\n", "<br>")


def _source(text: str) -> str:
    return f'<p class="source">{_e(text)}</p>' if text else ""


def _caption(text: str) -> str:
    return f'<p class="caption">{_e(text)}</p>' if text else ""


def table_html(block: Table, titled: bool = True) -> str:
    """A table sized by its content (a value with its unit never breaks inside), header
    cells repeated on each page."""
    columns = list(block.frame.columns)
    numeric = {j for j, c in enumerate(columns) if c in block.numeric}
    head = "".join(f'<th scope="col"{" class=num" if j in numeric else ""}>{_e(c)}</th>'
                   for j, c in enumerate(columns))
    rows = []
    for row in block.frame.itertuples(index=False):
        cells = "".join(f'<td{" class=num" if j in numeric else ""}>{_e(v)}</td>'
                        for j, v in enumerate(row))
        rows.append(f"<tr>{cells}</tr>")
    title = f"<h3>{_e(block.title)}</h3>" if titled else ""
    layout = ""
    if len(block.frame) > LONG_TABLE_ROWS and block.widths:
        # A long annex is laid out at its declared widths: sizing hundreds of rows by their
        # content costs seconds, and these columns hold words that wrap.
        widths = list(block.widths)[:len(columns)] + [1.0] * (len(columns) - len(block.widths))
        layout = ' class="fixed"'
        head_cols = "".join(f'<col style="width:{100 * w / sum(widths):.1f}%">' for w in widths)
    return (f'<div class="block table">{title}{_caption(block.caption)}'
            f"<table{layout}>" + (f"<colgroup>{head_cols}</colgroup>" if layout else "")
            + f"<thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{_source(block.source)}</div>")


def chart_html(block: Chart, width: float = FRAME_WIDTH_PT, titled: bool = True) -> str:
    title = f"<h3>{_e(block.title)}</h3>" if titled else ""
    return (f'<div class="block chart">{title}{chart_svg(block, width)}'
            f"{_caption(block.caption)}{_source(block.source)}</div>")


def card_html(item: KeyNumber, compact: bool = False) -> str:
    """A key figure: label, value, coverage and status, comparison points (the first only on
    the synthesis page)."""
    comparisons = item.comparisons[:1] if compact else item.comparisons
    lines = "".join(f'<p class="line">{_e(line)}</p>' for line in comparisons)
    facts = [part for part in (item.coverage, item.status and f"Statut : {item.status}") if part]
    return (f'<div class="card"><p class="label">{_e(item.label)}</p>'
            f'<p class="value">{_e(item.value)}</p>'
            + "".join(f'<p class="fact">{_e(fact)}</p>' for fact in facts) + lines + "</div>")


def cards_html(block: KeyNumbers, titled: bool = True) -> str:
    title = f"<h3>{_e(block.title)}</h3>" if titled else ""
    cards = "".join(card_html(item) for item in block.items)
    return (f'<div class="block numbers">{title}<div class="cards">{cards}</div>'
            f"{_caption(block.caption)}{_source(block.source)}</div>")


def text_html(block: Paragraphs | Quotes, titled: bool = True) -> str:
    title = f"<h3>{_e(block.title)}</h3>" if titled else ""
    if isinstance(block, Quotes):
        body = "".join(f'<blockquote><p>« {_e(q.text)} »</p><p class="who">— {_e(q.who)}</p>'
                       "</blockquote>" for q in block.items)
    elif block.bullets:
        lead = block.lines[:1] if block.lines and block.lines[0].endswith(":") else []
        body = "".join(f"<p>{_e(line)}</p>" for line in lead) + "<ul>" + "".join(
            f"<li>{_e(line)}</li>" for line in block.lines[len(lead):]) + "</ul>"
    else:
        body = "".join(f"<p>{_e(line)}</p>" for line in block.lines)
    return f'<div class="block text">{title}{body}</div>'


def map_html(block: MapBlock, titled: bool = True) -> str:
    title = f"<h3>{_e(block.title)}</h3>" if titled else ""
    legend = "".join(f'<li><span class="dot" style="background:{colour}"></span>{_e(label)}</li>'
                     for label, colour in block.legend)
    return (f'<div class="block map">{title}<div class="map-layout">'
            f"{map_svg(block, FRAME_WIDTH_PT - 150, 300)}"
            f'<div class="legend"><p class="label">Innovations</p><ul>{legend}</ul></div></div>'
            f'{_source("Source : " + block.caption.removeprefix("Contours : "))}</div>')


def block_html(block, titled: bool = True, width: float = FRAME_WIDTH_PT) -> str:
    if isinstance(block, Table):
        return table_html(block, titled)
    if isinstance(block, Chart):
        return chart_html(block, width, titled)
    if isinstance(block, KeyNumbers):
        return cards_html(block, titled)
    if isinstance(block, MapBlock):
        return map_html(block, titled)
    if isinstance(block, SideBySide):
        return (f'<div class="block pair"><div>{block_html(block.left, True, HALF_WIDTH_PT)}'
                f"</div><div>{block_html(block.right, True, HALF_WIDTH_PT)}</div></div>")
    return text_html(block, titled)


def synthesis_html(content: ReportContent, level: int = 0) -> str:
    """The first page; `level` 1 sets it tighter, 2 also leaves the cards' comparison points to
    the section of key figures (the synthesis is one page, whatever its length)."""
    summary = content.summary
    notice = f'<p class="notice">{_e(content.notice)}</p>' if content.notice else ""
    items = summary.figures if level < 2 else [
        dataclasses.replace(item, comparisons=()) for item in summary.figures]
    cards = "".join(card_html(item, compact=True) for item in items)
    figures = (f'<h2 class="figures-title">Les chiffres clés</h2><div class="cards">{cards}</div>'
               + _source(summary.source)) if cards else \
        f'<p class="lead">{_e(summary.figures_note)}</p>'
    return (f'<section class="synthesis level-{level}"><p class="kicker">{_e(content.title)}</p>'
            f'<h1 id="synthese">{_e(summary.headline)}</h1>'
            f'<p class="subtitle">{_e(content.subtitle)}</p>{notice}'
            + "".join(f'<p class="lead">{_e(s)}</p>' for s in summary.sentences)
            + figures + "</section>")


def contents_html(content: ReportContent) -> str:
    items = "".join(f'<li><a href="#s{i}">{_e(section.title)}</a></li>'
                    for i, section in enumerate(content.sections))
    return (f'<nav class="contents" aria-label="Sommaire"><h2 id="sommaire">Sommaire</h2>'
            f'<ul><li><a href="#synthese">Synthèse</a></li>{items}</ul></nav>')


def document_html(content: ReportContent, with_contents: bool, level: int = 0,
                  synthesis_only: bool = False) -> str:
    """The whole report as one HTML document (lang fr-FR); the synthesis at tightness `level`
    (see synthesis_html)."""
    parts = [synthesis_html(content, level)]
    if synthesis_only:
        content = dataclasses.replace(content, sections=[])
    if with_contents:
        parts.append(contents_html(content))
    first_annex = True
    for index, section in enumerate(content.sections):
        annex = section.title.startswith("Annexe")
        classes = "section annex-start" if annex and first_annex else "section"
        first_annex = first_annex and not annex
        body = []
        for position, block in enumerate(section.blocks):
            titled = not (position == 0 and getattr(block, "title", "") == section.title)
            body.append(block_html(block, titled))
        parts.append(f'<section class="{classes}"><h2 id="s{index}">{_e(section.title)}</h2>'
                     + "".join(body) + "</section>")
    return (f'<!DOCTYPE html><html lang="fr-FR"><head><meta charset="utf-8">'
            f"<title>{escape(content.title)}</title>"  # metadata: the title as written
            f'<meta name="author" content="Essaim (ANSA)">'
            f'<meta name="description" content="{escape(content.subtitle)}">'
            f'<meta name="generator" content="Essaim"></head><body>'
            + "".join(parts) + "</body></html>")
