"""The look shared by the deck and the PDF: colours (AA contrast on white), the chart palette,
type sizes, and the 16:9 slide grid in inches."""

from __future__ import annotations

# Text and fills. Every text colour reaches at least 7:1 on white, the accent 6.9:1.
NAVY = "#1F3A5F"  # titles, table headers (white text on it: 11.8:1)
TEXT = "#1A1A1A"
MUTED = "#3F3F3F"  # captions and notes (10.4:1)
ACCENT = "#8A4500"  # the demo notice, the rule under titles
NOTICE_FILL = "#FFF3E0"
CARD_FILL = "#EEF3F8"
STRIPE_FILL = "#F4F6F8"
RULE = "#C9D3DE"
MAP_LAND = "#ECEFF3"
MAP_EDGE = "#8C96A3"
MAP_MARKER_EDGE = "#1A1A1A"

# Series colours: colour-blind-safe (Okabe–Ito, as essaim.explorer.geo), the darker ones first so that a
# single series and thin lines stay visible on white; a previous year is grey beside the current.
SERIES_PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
PREVIOUS_YEAR = "#9AA5B1"

# The deck names Arial (Liberation Sans in LibreOffice); text is measured with DejaVu Sans, wider.
DECK_FONT = "Arial"

# 16:9 slide grid, in inches.
SLIDE_WIDTH = 13.333
SLIDE_HEIGHT = 7.5
MARGIN = 0.5
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_TOP = 0.3
TITLE_HEIGHT = 0.95
RULE_TOP = 1.3
BODY_TOP = 1.5
BODY_BOTTOM = 6.6
FOOTER_TOP = 6.95
FOOTER_HEIGHT = 0.38
GAP = 0.2

# Type sizes in points.
DECK_TITLE_PT = 26
DECK_TITLE_MIN_PT = 20
DECK_BODY_PT = 16
DECK_BODY_MIN_PT = 14
DECK_TABLE_PT = 12
DECK_TABLE_MIN_PT = 12
DECK_CAPTION_PT = 12
DECK_FOOTER_PT = 12
DECK_MIN_PT = 12  # nothing on a slide is smaller
DECK_SYNTHESIS_PT = 16  # the synthesis' sentences and figures: never under 14 pt
DECK_SYNTHESIS_MIN_PT = 14
DECK_SYNTHESIS_MAX_PT = 22
LINE_HEIGHT = 1.2  # line height as a multiple of the font size

PDF_BODY_PT = 10
PDF_TABLE_PT = 9
PDF_CAPTION_PT = 9
