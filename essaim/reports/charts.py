"""One chart per key figure of a restitution: a territory against the other territories running
the same innovation over the years (innovation by innovation when it runs several), an
innovation's territories, or the accelerator's innovations. Series are named after what they are
(the territory, « Médiane des autres territoires TAPAJ », a year); every chart says its source."""

from __future__ import annotations

import numpy as np
import pandas as pd

from essaim.data.dataset import Dataset
from essaim.figures.key_figures import KeyFigure
from essaim.figures.summaries import summarise, summary_word
from essaim.reports.design import PREVIOUS_YEAR, SERIES_PALETTE
from essaim.reports.figures import (
    ComparedFigure,
    peer_essaimages,
    previous_year,
    territory_values,
)
from essaim.reports.model import Chart, Series
from essaim.reports.scope import Scope
from essaim.reports.sources import declarations
from essaim.reports.units import axis_title, decimals_of, number_format, value_text

MAX_CHART_CATEGORIES = 14  # beyond, a chart's labels stop being readable on a slide


def key_indicator_charts(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                         figures: list[ComparedFigure]) -> list[Chart]:
    """One chart per key figure that has values."""
    charts = []
    for compared in figures:
        figure, part = compared.figure, compared.scope or scope
        if not figure.reporting:
            continue
        if scope.comparison == "territoire":
            chart = _territory_chart(dataset, counted, part, compared)
        elif scope.comparison == "innovation":
            chart = _by_territory_chart(dataset, counted, scope, figure)
        else:
            chart = _by_innovation_chart(dataset, counted, scope, figure)
        if chart is not None:
            charts.append(chart)
    return charts


def _series(name: str, values: list[float], figure: KeyFigure) -> Series:
    clean = [None if v is None or pd.isna(v) else float(v) for v in values]
    return Series(name, tuple(clean),
                  tuple(value_text(v, figure.unit, figure.measure) for v in values))


def _chart(figure: KeyFigure, title: str, categories, series, kind: str, caption: str,
           source: str, colours) -> Chart:
    return Chart(title, list(categories), series, kind=kind,
                 axis_title=axis_title(figure.unit, figure.measure),
                 decimals=decimals_of(figure.unit, figure.measure), caption=caption,
                 colours=colours, source=source,
                 number_format=number_format(figure.unit, figure.measure))


def place_name(dataset: Dataset, scope: Scope) -> str:
    """The territory a scope compares (a session on one territory is named after it)."""
    names = dict(zip(dataset.territories["code"], dataset.territories["name"]))
    return names.get(scope.territory_code, scope.label)


def _territory_chart(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                     compared: ComparedFigure) -> Chart | None:
    figure = compared.figure
    mine = counted[(counted["indicator_code"] == figure.indicator_code)
                   & counted["essaimage_code"].isin(scope.essaimage_codes) & counted["value"].notna()]
    years = sorted(set(mine["period"]))
    if not years:
        return None
    peers = peer_essaimages(dataset, scope)
    own, others = [], []
    for year in years:
        own.append(summarise(territory_values(counted, scope.essaimage_codes,
                                               figure.indicator_code, year, figure.measure),
                              figure.measure))
        values = territory_values(counted, peers, figure.indicator_code, year, figure.measure)
        others.append(values.median() if len(values) else np.nan)
    place = place_name(dataset, scope)
    innovation = compared.innovation
    name = f"{place} ({innovation})" if innovation else place
    series = [_series(name, own, figure)]
    peers_name = f"Médiane des autres territoires {innovation}" if innovation else \
        "Médiane des autres territoires de la même innovation"
    if any(pd.notna(v) for v in others):
        series.append(_series(peers_name, others, figure))
    title = f"{figure.label}{f' — {innovation}' if innovation else ''} : {place} et les " \
            "autres territoires"
    return _chart(figure, title, years, series, "lines",
                  "Valeurs qui font foi, par année déclarée ; médiane des autres territoires qui "
                  "portent la même innovation, la même année. n.d. : non déclaré.",
                  declarations(dataset, counted, scope.essaimage_codes | peers,
                               [figure.indicator_code], years),
                  (SERIES_PALETTE[0], PREVIOUS_YEAR))


def _by_territory_chart(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                        figure: KeyFigure) -> Chart | None:
    year, previous = figure.year, previous_year(figure.year)
    now = territory_values(counted, scope.essaimage_codes, figure.indicator_code, year,
                           figure.measure)
    before = territory_values(counted, scope.essaimage_codes, figure.indicator_code, previous,
                              figure.measure)
    names = dataset.territories.set_index("code")["name"]
    order = now.sort_values(ascending=False).index.tolist()[:MAX_CHART_CATEGORIES]
    if not order:
        return None
    caption = "Valeurs qui font foi de chaque territoire ; n.d. : non déclaré cette année-là."
    if len(now) > MAX_CHART_CATEGORIES:
        caption += f" Les {MAX_CHART_CATEGORIES} territoires aux valeurs les plus hautes."
    return _chart(figure, f"{figure.label} par territoire", [names[c] for c in order],
                  [_series(previous, [before.get(c, np.nan) for c in order], figure),
                   _series(year, [now.get(c, np.nan) for c in order], figure)], "bars", caption,
                  declarations(dataset, counted, scope.essaimage_codes, [figure.indicator_code],
                               [previous, year]),
                  (PREVIOUS_YEAR, SERIES_PALETTE[0]))


def _by_innovation_chart(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                         figure: KeyFigure) -> Chart | None:
    year, previous = figure.year, previous_year(figure.year)
    groups = scope.essaimages.groupby("innovation")["code"].agg(set)
    now = {name: summarise(territory_values(counted, codes, figure.indicator_code, year,
                                             figure.measure), figure.measure)
           for name, codes in groups.items()}
    before = {name: summarise(territory_values(counted, codes, figure.indicator_code, previous,
                                                figure.measure), figure.measure)
              for name, codes in groups.items()}
    order = sorted(now, key=lambda name: (pd.isna(now[name]), -(now[name] or 0)))
    how = f"{summary_word(figure.measure)} des territoires"
    return _chart(figure, f"{figure.label} par innovation ({how})", order,
                  [_series(previous, [before[n] for n in order], figure),
                   _series(year, [now[n] for n in order], figure)], "bars",
                  f"Valeurs qui font foi, {how} de chaque innovation ; n.d. : aucun territoire "
                  "n'a déclaré cette année-là.",
                  declarations(dataset, counted, scope.essaimage_codes, [figure.indicator_code],
                               [previous, year]),
                  (PREVIOUS_YEAR, SERIES_PALETTE[0]))
