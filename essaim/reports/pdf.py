"""The restitution as an accessible A4 PDF: HTML and CSS (essaim.reports.html) laid out by
WeasyPrint as PDF/UA-1 — tagged (headings, paragraphs, lists, tables with header cells, figures
with their alternative text), language fr-FR, bookmarks from the headings, DejaVu Sans embedded.

reportlab, which drew the PDF before, cannot write a tagged PDF; public bodies receiving these
reports are bound by the RGAA, which covers documents. WeasyPrint needs Pango (Debian packages
libpango-1.0-0 and libpangoft2-1.0-0, installed by .ci/run). Nothing is fetched: the fonts come
from data/fonts/, the charts are inline SVG.

The first page is the synthesis; a report of more than eight pages gets a contents page after
it; each page's footer gives the report's title, the demo notice when demo data is in use and
« page n sur N »."""

from __future__ import annotations

import atexit
import logging
from functools import cache

from essaim.reports import design
from essaim.reports.fonts import FACES, FONT_DIR
from essaim.reports.html import document_html
from essaim.reports.model import ReportContent

log = logging.getLogger(__name__)

CONTENTS_FROM_PAGES = 9  # « a contents page beyond eight pages »


def _font_faces() -> str:
    faces = FACES["pdf"]
    rules = []
    for style, weight, slant in (("regular", "normal", "normal"), ("bold", "bold", "normal"),
                                 ("italic", "normal", "italic")):
        url = (FONT_DIR / faces[style]).resolve().as_uri()
        rules.append(f"@font-face {{ font-family: 'DejaVu Sans'; font-weight: {weight}; "
                     f"font-style: {slant}; src: url('{url}'); }}")
    return "\n".join(rules)


def footer_stylesheet(content: ReportContent) -> str:
    """The page's footer: the report's title (whole, on two lines if need be), the demo notice,
    « page n sur N »."""
    title = content.title
    notice = "\\A Données fictives de démonstration" if content.notice else ""
    footer_title = ("Essaim — " + title).replace('"', '\\"')
    return f"""
@page {{
  size: A4; margin: 1.8cm 2cm 2.4cm 2cm;
  @bottom-left {{ content: "{footer_title}{notice}"; white-space: pre-wrap;
    font-family: 'DejaVu Sans'; font-size: 9pt; color: {design.MUTED}; width: 75%;
    vertical-align: top; padding-top: 6pt; border-top: 0.5pt solid {design.RULE}; }}
  @bottom-right {{ content: "page " counter(page) " sur " counter(pages);
    font-family: 'DejaVu Sans'; font-size: 9pt; color: {design.MUTED}; vertical-align: top;
    padding-top: 6pt; border-top: 0.5pt solid {design.RULE}; }}
}}"""


def stylesheet() -> str:
    """The report's CSS: fonts, type, tables, cards, figures (the same for every report)."""
    return _font_faces() + f"""
html {{ font-family: 'DejaVu Sans'; font-size: {design.PDF_BODY_PT}pt; color: {design.TEXT};
  line-height: 1.4; hyphens: manual; overflow-wrap: normal; }}
body {{ margin: 0; }}
p {{ margin: 0 0 5pt 0; orphans: 2; widows: 2; }}
h1, h2, h3 {{ color: {design.NAVY}; break-after: avoid; line-height: 1.25; }}
h1 {{ font-size: 20pt; margin: 4pt 0 6pt 0; bookmark-level: 1; bookmark-label: "Synthèse"; }}
h2 {{ font-size: 15pt; margin: 16pt 0 8pt 0; bookmark-level: 1; }}
h3 {{ font-size: 11.5pt; color: {design.TEXT}; margin: 12pt 0 5pt 0; bookmark-level: 2; }}
.synthesis {{ break-after: page; }}
.kicker {{ font-weight: bold; color: {design.ACCENT}; font-size: 10.5pt; margin: 0; }}
.subtitle {{ color: {design.MUTED}; font-size: 9.5pt; margin-bottom: 8pt; }}
.notice {{ font-weight: bold; color: {design.ACCENT}; background: {design.NOTICE_FILL};
  padding: 5pt 7pt; margin: 4pt 0 10pt 0; font-size: 9.5pt; }}
.lead {{ font-size: 11pt; line-height: 1.4; margin-bottom: 5pt; }}
h2.figures-title {{ font-size: 13pt; margin-top: 12pt; bookmark-level: none; }}
.cards {{ display: grid; grid-template-columns: 1fr 1fr; gap: 7pt; }}
.card {{ background: {design.CARD_FILL}; padding: 6pt 8pt; break-inside: avoid; }}
.card p {{ margin: 0 0 2pt 0; font-size: 9pt; line-height: 1.3; }}
.card .label {{ font-weight: bold; color: {design.NAVY}; font-size: 9.5pt; }}
.card .value {{ font-weight: bold; font-size: 15pt; margin: 2pt 0; }}
.card .fact {{ font-style: italic; color: {design.MUTED}; }}
.caption, .source {{ font-size: 9pt; color: {design.MUTED}; line-height: 1.3; }}
.caption {{ margin: 0 0 4pt 0; }}
.source {{ margin: 3pt 0 8pt 0; }}
.block {{ margin-bottom: 6pt; }}
.chart, .map {{ break-inside: avoid; }}
.chart svg, .map svg {{ display: block; margin: 2pt 0; }}
table {{ width: 100%; border-collapse: collapse; table-layout: auto; font-size: {design.PDF_TABLE_PT}pt;
  line-height: 1.3; }}
table.fixed {{ table-layout: fixed; }}
thead {{ display: table-header-group; }}
th {{ background: {design.NAVY}; color: #FFFFFF; font-weight: bold; text-align: left;
  padding: 3pt 4pt; vertical-align: bottom; }}
td {{ padding: 2.5pt 4pt 3.5pt 4pt; border-bottom: 0.4pt solid {design.RULE}; vertical-align: top; }}
tr {{ break-inside: avoid; }}
tbody tr:nth-child(even) td {{ background: {design.STRIPE_FILL}; }}
.num {{ text-align: right; }}
ul {{ margin: 0 0 6pt 0; padding-left: 14pt; }}
li {{ margin-bottom: 3pt; }}
blockquote {{ margin: 0 0 7pt 0; break-inside: avoid; }}
blockquote p {{ margin: 0; font-style: italic; }}
blockquote .who {{ font-style: normal; font-size: 9pt; color: {design.MUTED}; }}
.pair {{ display: grid; grid-template-columns: 1fr 1fr; gap: 14pt; break-inside: avoid; }}
.map-layout {{ display: grid; grid-template-columns: 1fr 140pt; gap: 10pt; break-inside: avoid; }}
.legend ul {{ list-style: none; padding: 0; }}
.legend .label {{ font-weight: bold; color: {design.NAVY}; }}
.dot {{ display: inline-block; width: 8pt; height: 8pt; border-radius: 4pt; margin-right: 5pt;
  border: 0.6pt solid {design.MAP_MARKER_EDGE}; }}
.level-1 .lead, .level-2 .lead {{ font-size: 10pt; margin-bottom: 4pt; }}
.level-1 h1, .level-2 h1 {{ font-size: 17pt; }}
.level-1 .card .value, .level-2 .card .value {{ font-size: 13pt; }}
.contents {{ break-after: page; }}
.contents h2 {{ bookmark-level: 1; }}
.contents ul {{ list-style: none; padding: 0; font-size: 11pt; }}
.contents li {{ margin-bottom: 5pt; }}
.contents a {{ color: {design.TEXT}; text-decoration: none; }}
.contents a::after {{ content: leader(".") target-counter(attr(href), page); }}
.annex-start {{ break-before: page; }}
"""


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    # Dropped before the interpreter tears its modules down: FontConfiguration.__del__ then
    # calls into modules already gone (« 'NoneType' object is not callable » at exit).
    atexit.register(_shared_css.cache_clear)
    atexit.register(_font_config.cache_clear)
    return FontConfiguration()


@cache
def _shared_css():
    """The fonts and styles, parsed once per process."""
    from weasyprint import CSS

    return CSS(string=stylesheet(), font_config=_font_config())


def _render(content: ReportContent, with_contents: bool, level: int = 0,
            synthesis_only: bool = False):
    from weasyprint import CSS, HTML

    # WeasyPrint narrates every layout step at INFO: one line per report is ours to write.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    fonts = _font_config()
    footer = CSS(string=footer_stylesheet(content), font_config=fonts)
    return HTML(string=document_html(content, with_contents, level, synthesis_only)).render(
        stylesheets=[_shared_css(), footer], font_config=fonts)


def _synthesis_level(content: ReportContent) -> int:
    """The loosest setting at which the synthesis holds on its page (tried alone: fast)."""
    for level in (0, 1):
        if len(_render(content, False, level, synthesis_only=True).pages) == 1:
            return level
    return 2


def render_pdf(content: ReportContent) -> bytes:
    """The A4 report, PDF/UA-1: the synthesis on one page, a contents page beyond eight pages,
    then every section in full (annexes included)."""
    level = _synthesis_level(content)
    document = _render(content, with_contents=True, level=level)
    if len(document.pages) < CONTENTS_FROM_PAGES + 1:  # without its contents page, 8 or fewer
        document = _render(content, with_contents=False, level=level)
    log.info("Rapport PDF « %s » : %d pages", content.title, len(document.pages))
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
