"""The figures of a restitution with their comparison points: the key figures at the common
reference year (essaim.figures.key_figures) beside the year before, the other territories or innovations,
and the public statistic they compare with; the detailed indicators table; one chart per key
indicator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.figures.comparison import compare_with_peers
from essaim.figures.counted import STATUS_LABELS
from essaim.figures.key_figures import KeyFigure, key_figures
from essaim.figures.summaries import summarise, summarise_groups, summary_word
from essaim.numbers.formatting import NOT_AVAILABLE, format_change, format_value, plural
from essaim.numbers.measures import ADDITIVE_MEASURES
from essaim.reports.context import reference_points
from essaim.reports.design import PREVIOUS_YEAR, SERIES_PALETTE
from essaim.reports.model import Chart, KeyNumber, Series, Table
from essaim.reports.scope import Scope

MAX_CHART_CATEGORIES = 14  # beyond, a chart's labels stop being readable on a slide


@dataclass(frozen=True)
class ComparedFigure:
    figure: KeyFigure
    comparisons: tuple[str, ...]

    reliability: str = ""

    def as_key_number(self, with_reliability: bool = True) -> KeyNumber:
        """The figure as a card; the summary leaves out how the values were settled."""
        label = self.figure.label + (" (médiane des territoires)"
                                     if self.figure.aggregation == "médiane" else "")
        lines = self.comparisons + ((self.reliability,) if with_reliability and
                                    self.reliability else ())
        return KeyNumber(label=label, value=f"{self.figure.text} en {self.figure.year}",
                         comparisons=lines, coverage=self.figure.coverage)


def territory_values(counted: pd.DataFrame, essaimage_codes: set[str], indicator: str,
                     period: str | None, measure: str) -> pd.Series:
    """Territory → the counted value of `indicator` in `period` over the given essaimages (a
    territory's essaimages add up for counts and amounts, take the median otherwise)."""
    rows = counted[(counted["indicator_code"] == indicator) & (counted["period"] == period)
                   & counted["essaimage_code"].isin(essaimage_codes)]
    return summarise_groups(rows, ["territory_code"], measure)


def previous_year(year: str) -> str | None:
    """The year before a period like "2022" (None for a period that is not a year)."""
    return str(int(year) - 1) if str(year).isdigit() else None


def _spread(values: pd.Series, unit: str, measure: str) -> str:
    """"médiane 12 (de 4 à 30, 8 territoires)"."""
    return (f"médiane {format_value(values.median(), unit, measure)} (de "
            f"{format_value(values.min(), unit, measure)} à "
            f"{format_value(values.max(), unit, measure)}, {plural(len(values), 'territoire')})")


def peer_essaimages(dataset: Dataset, scope: Scope) -> set[str]:
    """The essaimages the scope is compared with: the other territories running the same
    innovations (territory), the other innovations (innovation), none (accelerator)."""
    essaimages = dataset.essaimages
    if scope.comparison == "territoire":
        innovations = set(scope.essaimages["innovation_code"])
        return set(essaimages.loc[essaimages["innovation_code"].isin(innovations)
                                  & (essaimages["territory_code"] != scope.territory_code), "code"])
    if scope.comparison == "innovation":
        return set(essaimages.loc[essaimages["innovation_code"] != scope.innovation_code, "code"])
    return set()


def _peer_line(dataset: Dataset, counted: pd.DataFrame, scope: Scope, figure: KeyFigure) -> str:
    unit, measure, year = figure.unit, figure.measure, figure.year
    peers = territory_values(counted, peer_essaimages(dataset, scope), figure.indicator_code,
                             year, measure)
    own = territory_values(counted, scope.essaimage_codes, figure.indicator_code, year, measure)
    if scope.comparison == "territoire":
        if scope.essaimages["innovation_code"].nunique() > 1:
            return _peer_line_per_innovation(dataset, counted, scope, figure)
        if peers.empty:
            return f"Autres territoires de la même innovation : aucun n'a déclaré en {year}"
        return f"Autres territoires de la même innovation : {_spread(peers, unit, measure)}"
    if own.empty:
        return ""
    if scope.comparison == "innovation":
        others = (f" ; autres innovations : médiane "
                  f"{format_value(peers.median(), unit, measure)}" if len(peers) else "")
        return (f"Par territoire : médiane {format_value(own.median(), unit, measure)} "
                f"ici{others}")
    return f"Entre territoires : {_spread(own, unit, measure)}"


def _peer_line_per_innovation(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                              figure: KeyFigure) -> str:
    """A territory running several innovations is compared innovation by innovation: its total
    over all of them is not comparable with territories running one."""
    unit, measure, year = figure.unit, figure.measure, figure.year
    essaimages = dataset.essaimages
    names = dataset.innovations.set_index("code")["name"]
    parts = []
    for innovation in sorted(set(scope.essaimages["innovation_code"])):
        mine = set(scope.essaimages.loc[scope.essaimages["innovation_code"] == innovation, "code"])
        others = set(essaimages.loc[(essaimages["innovation_code"] == innovation)
                                    & (essaimages["territory_code"] != scope.territory_code),
                                    "code"])
        own = territory_values(counted, mine, figure.indicator_code, year, measure)
        peers = territory_values(counted, others, figure.indicator_code, year, measure)
        here = format_value(own.iloc[0], unit, measure) if len(own) else NOT_AVAILABLE
        there = _spread(peers, unit, measure) if len(peers) else "aucun n'a déclaré"
        parts.append(f"{names.get(innovation, innovation)} : ici {here}, autres territoires "
                     f"{there}")
    return "Par innovation — " + " ; ".join(parts)


def _last_report_line(counted: pd.DataFrame, scope: Scope, figure: KeyFigure) -> str:
    """Without the year before, a territory is compared with its last earlier report."""
    if scope.comparison == "territoire" and figure.reporting:
        rows = counted[(counted["indicator_code"] == figure.indicator_code)
                       & counted["essaimage_code"].isin(scope.essaimage_codes)
                       & counted["value"].notna() & (counted["period"] < figure.year)]
        if not rows.empty:
            period = str(rows["period"].max())
            before = summarise(territory_values(counted, scope.essaimage_codes,
                                                 figure.indicator_code, period, figure.measure),
                                figure.measure)
            change = format_change(figure.value - before, figure.unit, figure.measure)
            return (f"Par rapport à {period} (dernière déclaration, {previous_year(figure.year)} "
                    f"non déclaré) : {change}")
    return f"Sur un an : {NOT_AVAILABLE} (aucun territoire n'a déclaré les deux années)"


def _reliability(counted: pd.DataFrame, scope: Scope, figure: KeyFigure) -> str:
    """How the year's values were settled: single source, agreed, disputed and settled, open."""
    cells = counted[(counted["indicator_code"] == figure.indicator_code)
                    & (counted["period"] == figure.year)
                    & counted["essaimage_code"].isin(scope.essaimage_codes)]
    counts = cells["status"].value_counts()
    if counts.empty:
        return ""
    parts = [f"{STATUS_LABELS[status]} ({format_value(n, '', 'count')})"
             for status, n in counts.items()]
    return "Statut des valeurs : " + ", ".join(parts)


def compared_key_figures(dataset: Dataset, counted: pd.DataFrame, departements: pd.DataFrame,
                         scope: Scope) -> list[ComparedFigure]:
    """The scope's key figures with their comparison points, in the declared order."""
    figures = key_figures(dataset, counted, scope.essaimage_codes, scope.territory_codes)
    definitions = dataset.indicators.set_index("code")
    compared = []
    for figure in figures:
        lines = []
        if figure.year != NOT_AVAILABLE and figure.comparable:
            lines.append(f"Sur un an ({previous_year(figure.year)} → {figure.year}, "
                         f"{plural(figure.comparable, 'territoire')} comparable"
                         f"{'s' if figure.comparable > 1 else ''}) : {figure.change}")
        elif figure.year != NOT_AVAILABLE:
            lines.append(_last_report_line(counted, scope, figure))
        if figure.reporting:
            lines.append(_peer_line(dataset, counted, scope, figure))
        statistic = definitions.at[figure.indicator_code, "reference_statistic"]
        if isinstance(statistic, str) and statistic in REFERENCE_INDICATORS:
            lines.append(reference_points(departements, scope, dataset, statistic))
        compared.append(ComparedFigure(figure, tuple(line for line in lines if line),
                                       _reliability(counted, scope, figure)))
    return compared


def indicators_table(dataset: Dataset, counted: pd.DataFrame, scope: Scope) -> Table | None:
    """Every indicator of the scope with its comparison points (as on the portrait)."""
    if scope.comparison == "territoire":
        return _territory_indicators_table(dataset, counted, scope)
    codes = [c for c in dataset.indicators["code"] if c in set(
        counted.loc[counted["essaimage_code"].isin(scope.essaimage_codes), "indicator_code"])]
    if not codes:
        return None
    figures = key_figures(dataset, counted, scope.essaimage_codes, scope.territory_codes,
                          indicator_codes=codes)
    figures = [f for f in figures if f.reporting]
    peers = peer_essaimages(dataset, scope)
    rows = []
    for f in figures:
        own = territory_values(counted, scope.essaimage_codes, f.indicator_code, f.year, f.measure)
        row = {"Indicateur": f.label + (" (médiane)" if f.aggregation == "médiane" else ""),
               "Valeur": f.text, "Sur un an (mêmes territoires)": f.change,
               "Par territoire : médiane (min – max)": _range(own, f.unit, f.measure)}
        if scope.comparison == "innovation":
            others = territory_values(counted, peers, f.indicator_code, f.year, f.measure)
            row["Autres innovations : médiane"] = format_value(
                others.median() if len(others) else np.nan, f.unit, f.measure)
        row["Couverture"] = f"{f.reporting} / {f.in_scope}"
        rows.append(row)
    year = figures[0].year if figures else NOT_AVAILABLE
    numeric = ("Valeur", "Sur un an (mêmes territoires)", "Couverture",
               "Autres innovations : médiane")
    return Table(f"Tous les indicateurs en {year}", pd.DataFrame(rows),
                 caption="Valeur : total des territoires (effectifs, montants) ou médiane (taux, "
                         "scores), valeurs qui font foi. Sur un an : sur les territoires qui ont "
                         "déclaré les deux années, en points pour un taux. Couverture : "
                         "territoires qui ont déclaré sur territoires du périmètre.",
                 widths=(3.2, 1.2, 1.6, 2.2, 1.4, 1.1) if scope.comparison == "innovation"
                 else (3.4, 1.3, 1.8, 2.6, 1.2), numeric=numeric)


def _range(values: pd.Series, unit: str, measure: str) -> str:
    if values.empty:
        return NOT_AVAILABLE
    return (f"{format_value(values.median(), unit, measure)} "
            f"({format_value(values.min(), unit, measure)} – "
            f"{format_value(values.max(), unit, measure)})")


def _territory_indicators_table(dataset: Dataset, counted: pd.DataFrame,
                                scope: Scope) -> Table | None:
    compared = compare_with_peers(dataset, counted, scope.territory_code)
    if compared.empty:
        return None
    compared = compared[compared["essaimage_code"].isin(scope.essaimage_codes)]
    definitions = dataset.indicators.set_index("code")
    names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    order = {code: i for i, code in enumerate(dataset.indicators["code"])}
    compared = compared.assign(order=compared["indicator_code"].map(order)).sort_values(
        ["innovation_code", "order"])
    several = compared["innovation_code"].nunique() > 1
    rows = []
    for r in compared.itertuples():
        unit, measure = definitions.at[r.indicator_code, "unit"], \
            definitions.at[r.indicator_code, "measure"]
        peers = NOT_AVAILABLE if not r.peer_count else (
            f"{format_value(r.peer_median, unit, measure)} "
            f"({format_value(r.peer_min, unit, measure)} – {format_value(r.peer_max, unit, measure)})")
        row = {"Innovation": names.get(r.innovation_code, r.innovation_code)} if several else {}
        row.update({
            "Indicateur": definitions.at[r.indicator_code, "label"],
            "Année": r.period, "Valeur": format_value(r.value, unit, measure),
            "Sur un an": format_change(r.value - r.previous, unit, measure),
            "Autres territoires : médiane (min – max)": peers,
            "Statut": STATUS_LABELS.get(r.status, r.status)})
        rows.append(row)
    widths = (2.6, 0.8, 1.1, 1.2, 2.4, 2.2)
    return Table("Tous les indicateurs du territoire", pd.DataFrame(rows),
                 caption="Dernière année déclarée de chaque indicateur ; valeur qui fait foi ; "
                         "évolution sur un an en points pour un taux ; médiane des autres "
                         "territoires qui portent la même innovation, la même année.",
                 widths=((1.8,) + widths) if several else widths,
                 numeric=("Année", "Valeur", "Sur un an"))


def key_indicator_charts(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                         figures: list[ComparedFigure]) -> list[Chart]:
    """One chart per key indicator: the territory against the others over the years, the
    innovation's territories, or the innovations of the accelerator."""
    charts = []
    for compared in figures:
        figure = compared.figure
        if not figure.reporting:
            continue
        if scope.comparison == "territoire":
            chart = _territory_chart(dataset, counted, scope, figure)
        elif scope.comparison == "innovation":
            chart = _by_territory_chart(dataset, counted, scope, figure)
        else:
            chart = _by_innovation_chart(counted, scope, figure)
        if chart is not None:
            charts.append(chart)
    return charts


def _labels(values, figure: KeyFigure) -> tuple[str, ...]:
    return tuple(format_value(v, figure.unit, figure.measure) for v in values)


def _series(name: str, values: list[float], figure: KeyFigure) -> Series:
    clean = [None if v is None or pd.isna(v) else float(v) for v in values]
    return Series(name, tuple(clean), _labels(values, figure))


def _axis(figure: KeyFigure) -> str:
    return figure.unit if figure.unit not in ("", "%") else ("en %" if figure.unit == "%" else "")


def _decimals(figure: KeyFigure) -> int:
    return 0 if figure.measure in ADDITIVE_MEASURES else 1


def _territory_chart(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                     figure: KeyFigure) -> Chart | None:
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
    series = [_series(scope.label, own, figure)]
    if any(pd.notna(v) for v in others):
        series.append(_series("Médiane des autres territoires de la même innovation", others,
                              figure))
    return Chart(f"{figure.label} : le territoire et les autres", years, series, kind="lines",
                 axis_title=_axis(figure), decimals=_decimals(figure),
                 colours=(SERIES_PALETTE[0], PREVIOUS_YEAR),
                 caption="Valeurs qui font foi, par année déclarée ; médiane des autres "
                         "territoires qui portent la même innovation. n.d. : non déclaré.")


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
    return Chart(f"{figure.label} par territoire", [names[c] for c in order],
                 [_series(previous, [before.get(c, np.nan) for c in order], figure),
                  _series(year, [now.get(c, np.nan) for c in order], figure)],
                 kind="bars", axis_title=_axis(figure), decimals=_decimals(figure),
                 caption=caption, colours=(PREVIOUS_YEAR, SERIES_PALETTE[0]))


def _by_innovation_chart(counted: pd.DataFrame, scope: Scope, figure: KeyFigure) -> Chart | None:
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
    return Chart(f"{figure.label} par innovation ({how})", order,
                 [_series(previous, [before[n] for n in order], figure),
                  _series(year, [now[n] for n in order], figure)],
                 kind="bars", axis_title=_axis(figure), decimals=_decimals(figure),
                 colours=(PREVIOUS_YEAR, SERIES_PALETTE[0]),
                 caption=f"Valeurs qui font foi, {how} de chaque innovation ; n.d. : aucun "
                         "territoire n'a déclaré cette année-là.")
