"""The territory map as a still image to share: mainland France with the département classes, one
inset per overseas département, a marker per innovation and territory, both legends, a title,
the filters applied, the source and vintage, and the demo notice when the data is fictitious.
A plotly figure (Streamlit-free); essaim.reports.images draws it as PNG."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from essaim.explorer.classify import MISSING_COLOUR, assign_class, class_colour, class_label
from essaim.explorer.geo import is_overseas, mainland_bounds, overseas_insets

WIDTH, HEIGHT = 1600, 1250
INSET_COLUMN = 0.15  # share of the width taken by the overseas insets, on the left
MAP_RIGHT = 0.70  # the legends stand to the right of the map
MAP_TOP, MAP_BOTTOM = 0.97, 0.08
MARKER_SPREAD = 0.09  # degrees between the markers of one territory's innovations
LABELLED = 20  # most territories named on the image (more would cover each other)


@dataclass(frozen=True)
class MapImageText:
    """The words around the map: title, subtitle (filters), indicator legend title, footer
    lines (source, vintage, data notice)."""

    title: str
    subtitle: str
    indicator: str
    footer: list[str]


def _rings(geometry: dict) -> list[list[list[float]]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def _project(lon: float, lat: float, mean_latitude: float) -> tuple[float, float]:
    """A simple equirectangular view: longitude shortened by the cosine of the map's latitude.
    Plain x/y axes, so plotly needs no world map from the internet (its geo charts fetch one)."""
    return lon * math.cos(math.radians(mean_latitude)), lat


def _outline_xy(features: list[dict], mean_latitude: float) -> tuple[list, list]:
    xs: list = []
    ys: list = []
    for feature in features:
        for ring in _rings(feature["geometry"]):
            for lon, lat in ring:
                x, y = _project(lon, lat, mean_latitude)
                xs.append(x)
                ys.append(y)
            xs.append(None)
            ys.append(None)
    return xs, ys


def _axes(bounds: list[list[float]], x: list[float], y: list[float], mean_latitude: float,
          suffix: str, margin: float) -> dict:
    (south, west), (north, east) = bounds
    left, bottom = _project(west - margin, south - margin, mean_latitude)
    right, top = _project(east + margin, north + margin, mean_latitude)
    hidden = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    return {f"xaxis{suffix}": {**hidden, "domain": x, "range": [left, right],
                               "constrain": "domain"},
            f"yaxis{suffix}": {**hidden, "domain": y, "range": [bottom, top],
                               "scaleanchor": f"x{suffix}", "scaleratio": 1,
                               "constrain": "domain"}}


def _class_of(value, breaks: list[float]) -> int | None:
    known = value is not None and not pd.isna(value)
    return assign_class(round(float(value), 1), breaks) if known else None


def _inside(point: dict, bounds: list[list[float]]) -> bool:
    (south, west), (north, east) = bounds
    return south <= point["lat"] <= north and west <= point["lon"] <= east


def name_labels(points: list[dict], bounds: list[list[float]]) -> go.Scatter | None:
    """The names of the territories in the main panel's view, beside their marker, when the
    view holds few enough of them to be read (at most LABELLED); else None."""
    shown = [p for p in points if _inside(p, bounds)]
    if not shown or len(shown) > LABELLED:
        return None
    mean_latitude = (bounds[0][0] + bounds[1][0]) / 2
    xy = [_project(p["lon"], p["lat"], mean_latitude) for p in shown]
    return go.Scatter(x=[x for x, _ in xy], y=[y for _, y in xy], mode="text",
                      text=[f"<b>{p['name']}</b>" for p in shown], textposition="middle right",
                      textfont={"size": 15, "color": "#000000"}, showlegend=False,
                      hoverinfo="skip", cliponaxis=False)


def map_image_figure(geojson: dict, values: dict[str, float], breaks: list[float], unit: str,
                     points: list[dict], innovations: list[dict], text: MapImageText,
                     view: list[list[float]] | None = None) -> go.Figure:
    """The figure: `geojson` the département contours, `values` the indicator per département
    code with its class `breaks`, `points` and `innovations` from essaim.explorer.map_data;
    `view` the bounds the map showed ([[south, west], [north, east]]; mainland France when
    None). Territories are named when the view holds few of them."""
    features = geojson["features"]
    insets = overseas_insets(geojson)
    count = max(len(breaks) - 1, 0)
    # Panels: mainland France (or the view), then one inset per overseas département (left).
    main_features = features if view else [f for f in features
                                           if not is_overseas(f["properties"]["code"])]
    main_bounds = view or mainland_bounds(geojson)
    panels = [("", main_features, main_bounds, [INSET_COLUMN + 0.01, MAP_RIGHT],
               [MAP_BOTTOM, MAP_TOP], 0.02 if view else 0.3)]
    gap = 0.012
    height = (MAP_TOP - MAP_BOTTOM - gap * (len(insets) - 1)) / max(len(insets), 1)
    annotations = []
    for index, inset in enumerate(insets):
        top = MAP_TOP - index * (height + gap)
        panels.append((str(index + 2),
                       [f for f in features if f["properties"]["code"] == inset["code"]],
                       inset["bounds"], [0.0, INSET_COLUMN], [top - height, top], 0.06))
        annotations.append({"text": f"<b>{inset['name']}</b>", "x": 0.003, "y": top,
                            "xref": "paper", "yref": "paper", "xanchor": "left",
                            "yanchor": "top", "showarrow": False, "font": {"size": 15},
                            "bgcolor": "#ffffff"})
    fig = go.Figure()
    layout: dict = {}
    for suffix, members, bounds, x, y, margin in panels:
        mean_latitude = (bounds[0][0] + bounds[1][0]) / 2
        layout.update(_axes(bounds, x, y, mean_latitude, suffix, margin))
        axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        groups: dict[int | None, list[dict]] = {}
        for feature in members:
            groups.setdefault(_class_of(values.get(feature["properties"]["code"]), breaks),
                              []).append(feature)
        for index in list(range(count)) + [None]:
            colour = class_colour(index, count) if index is not None else MISSING_COLOUR
            name = class_label(breaks, index, unit) if index is not None else "n.d. (non disponible)"
            xs, ys = _outline_xy(groups.get(index, []), mean_latitude)
            fig.add_trace(go.Scatter(
                x=xs or [None], y=ys or [None], mode="lines", fill="toself", fillcolor=colour,
                line={"color": "#555555", "width": 0.6}, name=name, legend="legend2",
                legendgroup=f"classe-{index}", showlegend=suffix == "", hoverinfo="skip",
                **axes))
        for innovation in innovations:
            xs, ys, names = [], [], []
            for point in points:
                if innovation["code"] not in point["innovations"]:
                    continue
                if suffix:
                    in_panel = any(point["departement"] == f["properties"]["code"]
                                   for f in members)
                else:
                    in_panel = _inside(point, view) if view else not is_overseas(
                        point["departement"])
                if not in_panel:
                    continue
                rank = point["innovations"].index(innovation["code"])
                offset = (rank - (len(point["innovations"]) - 1) / 2) * MARKER_SPREAD
                x_, y_ = _project(point["lon"] + offset, point["lat"], mean_latitude)
                xs.append(x_)
                ys.append(y_)
                names.append(point["name"])
            if xs:
                fig.add_trace(go.Scatter(
                    x=xs, y=ys, text=names, mode="markers", name=innovation["name"],
                    marker={"size": 15, "color": innovation["colour"],
                            "line": {"color": "#111111", "width": 1.5}},
                    legendgroup=innovation["code"], legend="legend",
                    showlegend=not any(t.legendgroup == innovation["code"] and t.showlegend
                                       for t in fig.data), **axes))
    labels = name_labels(points, main_bounds)
    if labels is not None:
        fig.add_trace(labels)
    annotations.append({"text": "<br>".join(text.footer), "x": 0, "y": 0, "xref": "paper",
                        "yref": "paper", "xanchor": "left", "yanchor": "top", "yshift": -10,
                        "showarrow": False, "align": "left", "font": {"size": 15}})
    fig.update_layout(
        **layout, width=WIDTH, height=HEIGHT, annotations=annotations,
        title={"text": f"<b>{text.title}</b><br><span style='font-size:17px'>{text.subtitle}</span>",
               "x": 0.01, "xanchor": "left", "yref": "container", "y": 0.975, "yanchor": "top",
               "font": {"size": 26}},
        margin={"l": 20, "r": 20, "t": 100, "b": 70}, paper_bgcolor="#ffffff",
        plot_bgcolor="#eef3f7",
        font={"family": "Source Sans Pro, DejaVu Sans, sans-serif", "size": 16, "color": "#000000"},
        separators=", ",
        legend={"title": {"text": "<b>Innovations</b>"}, "x": MAP_RIGHT + 0.02, "xanchor": "left",
                "y": MAP_TOP, "yanchor": "top", "bordercolor": "#555555", "borderwidth": 1},
        legend2={"title": {"text": f"<b>{text.indicator}</b>"}, "x": MAP_RIGHT + 0.02,
                 "xanchor": "left", "y": MAP_BOTTOM, "yanchor": "bottom",
                 "bordercolor": "#555555", "borderwidth": 1},
    )
    return fig


def produced_on(today: dt.date | None = None) -> str:
    """"Carte produite par Essaim le 21/11/2026"."""
    return f"Carte produite par Essaim le {(today or dt.date.today()):%d/%m/%Y}."
