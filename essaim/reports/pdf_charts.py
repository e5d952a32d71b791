"""Charts and the map of the PDF report as vector drawings (reportlab graphics), in DejaVu Sans
with French labels: the same blocks the deck draws as native PowerPoint charts."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.textlabels import NA_Label
from reportlab.graphics.shapes import Circle, Drawing, Polygon, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from essaim.numbers.formatting import NOT_AVAILABLE, format_number
from essaim.reports import design
from essaim.reports.fonts import register_pdf_fonts, text_width, wrap
from essaim.reports.model import Chart, MapBlock

# Nothing in the report is smaller than 9 pt.
LABEL_PT = 9
TICK_PT = 9
LEGEND_PT = 9
BAR_SLOT = 16  # points of height per bar in a horizontal bar chart


def _colour(hex_colour: str):
    return colors.HexColor(hex_colour)


def _series_colours(block: Chart) -> list[str]:
    palette = list(block.colours) or design.SERIES_PALETTE
    return [palette[i % len(palette)] for i in range(len(block.series))]


def _legend(block: Chart, width: float, fonts: dict) -> tuple[Legend | None, float]:
    if len(block.series) < 2:
        return None, 0.0
    legend = Legend()
    legend.fontName, legend.fontSize = fonts["regular"], LEGEND_PT
    legend.fillColor = _colour(design.TEXT)
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.columnMaximum = 1
    legend.deltax = max(text_width(s.name, LEGEND_PT) for s in block.series) + 22
    legend.dx = legend.dy = 7
    legend.colorNamePairs = [(_colour(c), s.name) for c, s in
                             zip(_series_colours(block), block.series)]
    per_row = max(int(width // legend.deltax), 1)
    rows = -(-len(block.series) // per_row)
    legend.columnMaximum = rows
    height = rows * 13 + 4
    legend.x, legend.y = 0, height  # from its top-left corner down to the drawing's bottom
    return legend, height


def _value_axis(axis, block: Chart, fonts: dict) -> None:
    axis.labels.fontName, axis.labels.fontSize = fonts["regular"], TICK_PT
    axis.labels.fillColor = _colour(design.TEXT)
    axis.labelTextFormat = lambda v: format_number(v, block.decimals if block.decimals else 0)
    axis.visibleGrid = True
    axis.gridStrokeColor = _colour(design.RULE)
    axis.gridStrokeWidth = 0.5
    axis.strokeColor = _colour(design.MAP_EDGE)
    values = [v for s in block.series for v in s.values if v is not None]
    low, high = min(values + [0.0]), max(values + [0.0])
    axis.valueMin = min(0, low)
    axis.valueMax = high * 1.15 if high > 0 else 1
    axis.forceZero = 1


def _label_lines(label: str, width: float) -> str:
    lines = wrap(label, TICK_PT, width)
    if len(lines) > 2:
        lines = lines[:2]
        lines[1] = lines[1][:-1] + "…" if len(lines[1]) > 1 else lines[1]
    return "\n".join(lines)


def chart_drawing(block: Chart, width: float) -> Drawing:
    """A drawing `width` points wide of a bar, column or line chart with French labels."""
    fonts = register_pdf_fonts()
    legend, legend_height = _legend(block, width, fonts)
    colours = _series_colours(block)
    data = [list(s.values) for s in block.series]  # None: no bar, labelled "n.d."
    labels = [list(s.labels) for s in block.series]
    axis_title_height = 14 if block.axis_title else 0
    if block.kind == "bars":
        label_width = min(max(text_width(c, TICK_PT) for c in block.categories) + 6, width * 0.38)
        names = [_label_lines(c, label_width - 6) for c in block.categories]
        # Each category is as tall as its bars or its (one or two line) name, whichever is more.
        slot = max(len(block.series) * BAR_SLOT * 0.8,
                   max(n.count("\n") + 1 for n in names) * (TICK_PT + 2) + 6)
        plot_height = max(len(block.categories) * slot, 60)
        # Bottom up: legend, axis title, tick labels, bars.
        height = plot_height + legend_height + axis_title_height + 26
        chart = HorizontalBarChart()
        chart.x, chart.y = label_width + 4, legend_height + axis_title_height + 20
        chart.width, chart.height = width - label_width - 44, plot_height
        # reportlab draws the first category at the bottom: reversed, it reads top-down.
        chart.data = [row[::-1] for row in data]
        chart.barLabelArray = [row[::-1] for row in labels]
        chart.categoryAxis.categoryNames = names[::-1]
        chart.categoryAxis.labels.textAnchor = "end"
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
        chart.categoryAxis.joinAxisMode = "left"  # names stay left of negative bars
    else:
        # Bottom up: legend, category names, plot, and the axis title above the plot.
        height = 220 + legend_height + axis_title_height
        chart = VerticalBarChart() if block.kind == "columns" else HorizontalLineChart()
        chart.x, chart.y = 44, legend_height + 30
        chart.width, chart.height = width - 60, height - chart.y - 14 - axis_title_height
        chart.categoryAxis.joinAxisMode = "bottom"  # names stay below negative values
        chart.data = data
        chart.categoryAxis.categoryNames = [_label_lines(c, chart.width / max(
            len(block.categories), 1) - 4) for c in block.categories]
        if block.kind == "columns":
            chart.barLabelArray = labels
            chart.barLabels.boxAnchor = "s"
            chart.barLabels.dy = 2
    axis = chart.categoryAxis
    axis.labels.fontName, axis.labels.fontSize = fonts["regular"], TICK_PT
    axis.labels.fillColor = _colour(design.TEXT)
    axis.strokeColor = _colour(design.MAP_EDGE)
    _value_axis(chart.valueAxis, block, fonts)
    if block.kind == "lines":
        for index, colour in enumerate(colours):
            chart.lines[index].strokeColor = _colour(colour)
            chart.lines[index].strokeWidth = 2 if index == 0 else 1.2
            chart.lines[index].symbol = makeMarker("FilledCircle", size=4,
                                                   fillColor=_colour(colour),
                                                   strokeColor=_colour(colour))
        chart.lineLabelArray = [labels[0]] + [[""] * len(block.categories)] * (len(labels) - 1)
        chart.lineLabelFormat = "values"
        chart.lineLabels.fontName, chart.lineLabels.fontSize = fonts["regular"], LABEL_PT
        chart.lineLabels.dy = 6
    else:
        for index, colour in enumerate(colours):
            chart.bars[index].fillColor = _colour(colour)
            chart.bars[index].strokeColor = None
        chart.barLabels.fontName, chart.barLabels.fontSize = fonts["regular"], LABEL_PT
        chart.barLabels.fillColor = _colour(design.TEXT)
        chart.barLabelFormat = "values"
        chart.naLabel = NA_Label()
        chart.naLabel.text = NOT_AVAILABLE
        chart.naLabel.fontName, chart.naLabel.fontSize = fonts["regular"], LABEL_PT
        chart.naLabel.boxAnchor = chart.barLabels.boxAnchor
        chart.barSpacing = 1
        chart.groupSpacing = 6
    drawing = Drawing(width, height)
    drawing.add(chart)
    if block.axis_title:
        drawing.add(String(chart.x + chart.width / 2 if block.kind == "bars" else 4,
                           legend_height + 4 if block.kind == "bars" else height - 10,
                           block.axis_title, fontName=fonts["regular"], fontSize=TICK_PT,
                           fillColor=_colour(design.MUTED),
                           textAnchor="middle" if block.kind == "bars" else "start"))
    if legend is not None:
        drawing.add(legend)
    return drawing


def map_drawing(block: MapBlock, width: float, height: float) -> Drawing:
    """The map: département outlines, insets and markers, `width` × `height` points at most."""
    scale = min(width / block.width, height / block.height)
    drawing = Drawing(block.width * scale, block.height * scale)
    top = block.height * scale

    def point(x: float, y: float) -> tuple[float, float]:
        return x * scale, top - y * scale  # the map's y runs downwards, the PDF's upwards

    for ring in (ring for rings in block.outlines for ring in rings):
        coordinates = [c for x, y in ring for c in point(x, y)]
        drawing.add(Polygon(coordinates, fillColor=_colour(design.MAP_LAND),
                            strokeColor=_colour(design.MAP_EDGE), strokeWidth=0.4))
    for ring in block.frames:
        drawing.add(Polygon([c for x, y in ring for c in point(x, y)], fillColor=None,
                            strokeColor=_colour(design.MAP_EDGE), strokeWidth=0.6))
    for x, y, colour in block.markers:
        cx, cy = point(x, y)
        drawing.add(Circle(cx, cy, 3.6, fillColor=_colour(colour),
                           strokeColor=_colour(design.MAP_MARKER_EDGE), strokeWidth=0.6))
    return drawing


def swatch(colour: str) -> Drawing:
    """A legend's coloured dot, drawn like the map's markers."""
    drawing = Drawing(10, 10)
    drawing.add(Circle(5, 5, 4, fillColor=_colour(colour),
                       strokeColor=_colour(design.MAP_MARKER_EDGE), strokeWidth=0.6))
    return drawing
