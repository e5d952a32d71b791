"""Native drawings of the deck: PowerPoint charts (python-pptx chart API: ANSA can restyle and
edit them, French labels on every point) and the map as freeform shapes; with the small helpers
the deck's other slides share (inches to EMU, colours, fills, alternative text)."""

from __future__ import annotations

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Pt

from essaim.reports import design
from essaim.reports.model import Chart, MapBlock
from essaim.reports.svg import nice_scale

EMU_PER_INCH = 914400
MAX_LABELLED_POINTS = 48  # beyond, data labels would cover each other


def emu(inches: float) -> Emu:
    return Emu(round(inches * EMU_PER_INCH))


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def plain_fill(shape, colour: str, line: str | None = None) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(colour)
    if line:
        shape.line.color.rgb = rgb(line)
        shape.line.width = Pt(0.75)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False


def set_alt_text(shape, text: str) -> None:
    """Alternative text of a chart, map or table for screen readers. python-pptx has no public
    setter: the `descr` attribute of the shape's cNvPr is what PowerPoint's « Texte de
    remplacement » writes (tests/test_restitution.py pins it)."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


CHART_TYPES = {"columns": XL_CHART_TYPE.COLUMN_CLUSTERED, "bars": XL_CHART_TYPE.BAR_CLUSTERED,
               "lines": XL_CHART_TYPE.LINE_MARKERS}


def french_number_format(decimals: int) -> str:
    """An Excel number format with grouped thousands (a space in a French PowerPoint) and the
    minus sign "−" rather than a hyphen."""
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f'{number};"−"{number}'


LABEL_PT = 12
AXIS_PT = 12


def draw_chart(slide, block: Chart, left: float, top: float, width: float, height: float):
    """A native PowerPoint chart of `block` (editable in PowerPoint, French labels)."""
    data = CategoryChartData(number_format=french_number_format(block.decimals))
    # Horizontal bars are drawn bottom-up: the data go in reversed so that the first category
    # reads at the top, with the value axis below (reversing the axis would move it on top).
    flip = (lambda items: list(items)[::-1]) if block.kind == "bars" else list
    data.categories = flip(block.categories)
    for series in block.series:
        data.add_series(series.name, flip(series.values))
    frame = slide.shapes.add_chart(CHART_TYPES[block.kind], emu(left), emu(top), emu(width),
                                   emu(height), data)
    chart = frame.chart
    chart.font.name = design.DECK_FONT
    chart.font.size = Pt(AXIS_PT)
    chart.font.color.rgb = rgb(design.TEXT)
    chart.has_title = False
    chart.has_legend = len(block.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(AXIS_PT)
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = rgb(design.RULE)
    values.tick_labels.font.size = Pt(AXIS_PT)
    values.tick_labels.number_format = french_number_format(block.decimals)
    values.tick_labels.number_format_is_linked = False
    shown = [v for spec in block.series for v in spec.values if v is not None]
    if shown and min(shown) >= 0:
        values.minimum_scale = 0  # bars and counts start at zero, or their lengths mislead
    elif shown:  # an interval below zero is drawn whole, on round steps
        start, end, step = nice_scale(min(shown), max(shown + [0.0]))
        values.minimum_scale, values.maximum_scale, values.major_unit = start, end, step
        values.tick_labels.number_format = french_number_format(
            0 if float(step).is_integer() else 1)
    values.format.line.fill.background()
    if block.axis_title:
        values.has_title = True
        values.axis_title.text_frame.text = block.axis_title
        values.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(AXIS_PT)
        values.axis_title.text_frame.paragraphs[0].runs[0].font.bold = False
    categories = chart.category_axis
    categories.tick_labels.font.size = Pt(AXIS_PT)
    # Category labels at the bottom of the plot, not on the zero line among negative values.
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    plot = chart.plots[0]
    if block.kind != "lines":
        plot.gap_width = 60
        plot.overlap = -10 if len(block.series) > 1 else 0
    colours = list(block.colours) or design.SERIES_PALETTE
    points = len(block.categories) * len(block.series)
    for index, series in enumerate(plot.series):
        colour = rgb(colours[index % len(colours)])
        if block.kind == "lines":
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(2.5 if index == 0 else 1.75)
            series.smooth = False
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
            series.marker.format.line.color.rgb = colour
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
        labelled = points <= MAX_LABELLED_POINTS and (block.kind != "lines" or index == 0)
        if labelled:
            # Labels show the chart's own values through a number format: edit a value in
            # PowerPoint's data sheet and its label follows.
            labels = series.data_labels
            labels.show_value = True
            labels.number_format = block.number_format or french_number_format(block.decimals)
            labels.number_format_is_linked = False
            labels.position = XL_LABEL_POSITION.ABOVE if block.kind == "lines" \
                else XL_LABEL_POSITION.OUTSIDE_END
            labels.font.size = Pt(LABEL_PT)
            labels.font.color.rgb = rgb(design.TEXT)
    set_alt_text(frame, block.alt)
    return frame


MAP_UNITS = 10000  # freeform coordinates are integers: map units are scaled up before drawing


def draw_map(slide, block: MapBlock, left: float, top: float, width: float, height: float):
    """The map as one group: a freeform shape per département (its islands as further contours),
    the insets' frames, and the markers."""
    group = slide.shapes.add_group_shape()
    scale = height * EMU_PER_INCH / block.height / MAP_UNITS
    origin_x, origin_y = emu(left), emu(top)
    for rings, fill in [(rings, design.MAP_LAND) for rings in block.outlines] + \
            [(block.frames, None)]:
        if not rings:
            continue
        shape = _freeform(group, rings, scale, origin_x, origin_y)
        if fill:
            shape.fill.solid()
            shape.fill.fore_color.rgb = rgb(fill)
        else:
            shape.fill.background()
        shape.line.color.rgb = rgb(design.MAP_EDGE)
        shape.line.width = Pt(0.5)
        shape.shadow.inherit = False
    radius = 0.075
    for x, y, colour in block.markers:
        cx = left + x * width / block.width
        cy = top + y * height / block.height
        marker = group.shapes.add_shape(MSO_SHAPE.OVAL, emu(cx - radius), emu(cy - radius),
                                        emu(2 * radius), emu(2 * radius))
        plain_fill(marker, colour, design.MAP_MARKER_EDGE)
    set_alt_text(group, f"Carte : {len(block.markers)} essaimages sur la carte de France ; "
                         + ", ".join(label for label, _ in block.legend) + ".")
    return group


def _freeform(group, rings, scale: float, origin_x: int, origin_y: int):
    """One freeform shape drawing every ring as a closed contour."""
    rings = [[(int(x * MAP_UNITS), int(y * MAP_UNITS)) for x, y in ring] for ring in rings]
    builder = group.shapes.build_freeform(rings[0][0][0], rings[0][0][1], scale=scale)
    for index, ring in enumerate(rings):
        if index:
            builder.move_to(*ring[0])
        builder.add_line_segments(ring[1:], close=True)
    return builder.convert_to_shape(origin_x, origin_y)
