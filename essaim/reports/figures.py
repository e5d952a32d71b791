"""The figures of a restitution with their comparison points: the key figures at the common
reference year (essaim.figures.key_figures) beside the year before, the other territories or
innovations, and the public statistic they compare with; how their values were settled; the
detailed indicators table.

A territory running several innovations is compared innovation by innovation: each of its key
figures is given per innovation, against the other territories running that innovation. Its own
rate is never the median of its innovations' rates."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.figures.comparison import compare_with_peers
from essaim.figures.counted import STATUS_SHORT
from essaim.figures.key_figures import KeyFigure, key_figures
from essaim.figures.summaries import summarise, summarise_groups
from essaim.numbers.formatting import (
    NOT_AVAILABLE,
    format_number,
    format_relative_change,
    plural,
)
from essaim.numbers.measures import ADDITIVE_MEASURES
from essaim.partners.provenance import figure_cells
from essaim.reports.context import reference_points
from essaim.reports.model import KeyNumber, Table
from essaim.reports.scope import Scope
from essaim.reports.sources import declarations
from essaim.reports.units import change_text, decimals_of, value_text


@dataclass(frozen=True)
class ComparedFigure:
    figure: KeyFigure
    comparisons: tuple[str, ...]
    status: str = ""  # « source unique », or how many values of each status
    scope: Scope | None = None  # the (sub-)scope the figure is computed on
    innovation: str = ""  # the innovation's name when a territory is read innovation by innovation

    @property
    def label(self) -> str:
        """The figure's name; « (médiane des territoires) » only when it is one."""
        label = self.figure.label + (f" — {self.innovation}" if self.innovation else "")
        if self.figure.aggregation == "médiane" and self.figure.reporting > 1:
            label += " (médiane des territoires)"
        return label

    @property
    def value(self) -> str:
        return value_text(self.figure.value, self.figure.unit, self.figure.measure)

    @property
    def change(self) -> str:
        return figure_change(self.figure)

    def as_key_number(self) -> KeyNumber:
        """The figure as a card: value with its unit, year and coverage, status, comparisons."""
        figure = self.figure
        coverage = figure.coverage if figure.in_scope > 1 else f"Déclaré en {figure.year}"
        return KeyNumber(label=self.label, value=self.value, comparisons=self.comparisons,
                         coverage=coverage, status=self.status)


def figure_change(figure: KeyFigure) -> str:
    """The change since the year before on the same territories, with its unit."""
    if pd.isna(figure.previous_value) or pd.isna(figure.value) or figure.comparable == 0:
        return NOT_AVAILABLE
    text = change_text(figure.value_on_same_base - figure.previous_value, figure.unit,
                       figure.measure)
    if figure.measure in ADDITIVE_MEASURES:
        text += f" ({format_relative_change(figure.value_on_same_base, figure.previous_value)})"
    return text


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


def spread(values: pd.Series, unit: str, measure: str) -> str:
    """"médiane 12 personnes (de 4 à 30, 8 territoires)"; one territory is its value."""
    if len(values) == 1:
        return f"{value_text(values.iloc[0], unit, measure)} (1 territoire)"
    return (f"médiane {value_text(values.median(), unit, measure)} (de "
            f"{format_number(values.min(), decimals_of(unit, measure))} à "
            f"{value_text(values.max(), unit, measure)}, {plural(len(values), 'territoire')})")


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


def innovation_scopes(dataset: Dataset, scope: Scope) -> list[tuple[str, Scope]]:
    """(innovation name, sub-scope) per innovation of a territory running several; [("",
    scope)] otherwise."""
    if scope.comparison != "territoire" or scope.essaimages["innovation_code"].nunique() < 2:
        return [("", scope)]
    names = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    return [(names.get(code, code), dataclasses.replace(
        scope, essaimages=scope.essaimages[scope.essaimages["innovation_code"] == code]))
        for code in sorted(set(scope.essaimages["innovation_code"]))]


def _peer_line(dataset: Dataset, counted: pd.DataFrame, scope: Scope, figure: KeyFigure,
               innovation: str) -> str:
    unit, measure, year = figure.unit, figure.measure, figure.year
    peers = territory_values(counted, peer_essaimages(dataset, scope), figure.indicator_code,
                             year, measure)
    own = territory_values(counted, scope.essaimage_codes, figure.indicator_code, year, measure)
    if scope.comparison == "territoire":
        who = f"Autres territoires {innovation}" if innovation else \
            "Autres territoires de la même innovation"
        if peers.empty:
            return f"{who} : aucun n'a déclaré en {year}"
        return f"{who} : {spread(peers, unit, measure)}"
    if own.empty:
        return ""
    if scope.comparison == "innovation":
        others = (f" ; autres innovations : médiane {value_text(peers.median(), unit, measure)}"
                  if len(peers) else "")
        here = spread(own, unit, measure)
        return f"Par territoire : {here}{others}"
    return f"Entre territoires : {spread(own, unit, measure)}"


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
            change = change_text(figure.value - before, figure.unit, figure.measure)
            return (f"Par rapport à {period} (dernière déclaration, {previous_year(figure.year)} "
                    f"non déclaré) : {change}")
    return f"Sur un an : {NOT_AVAILABLE} (aucun territoire n'a déclaré les deux années)"


def status_text(statuses: pd.Series) -> str:
    """« source unique », or « source unique : 35 valeurs ; accordé : 2 valeurs » when the
    values behind a figure were settled in several ways (labels of STATUS_SHORT)."""
    counts = statuses.map(STATUS_SHORT).dropna().value_counts()
    if counts.empty:
        return ""
    if len(counts) == 1:
        return str(counts.index[0])
    return " ; ".join(f"{label} : {plural(int(n), 'valeur')}" for label, n in counts.items())


def figure_status(counted: pd.DataFrame, scope: Scope, figure: KeyFigure) -> str:
    """How the values a figure adds up or summarises were settled."""
    if figure.year == NOT_AVAILABLE:
        return ""
    cells = figure_cells(counted, figure.indicator_code, figure.year, scope.essaimage_codes)
    return status_text(cells["status"])


def compared_key_figures(dataset: Dataset, counted: pd.DataFrame, departements: pd.DataFrame,
                         scope: Scope) -> list[ComparedFigure]:
    """The scope's key figures with their comparison points and status, in the declared order
    (innovation by innovation for a territory running several)."""
    definitions = dataset.indicators.set_index("code")
    compared = []
    for innovation, part in innovation_scopes(dataset, scope):
        for figure in key_figures(dataset, counted, part.essaimage_codes, part.territory_codes):
            lines = []
            if figure.year != NOT_AVAILABLE and figure.comparable:
                lines.append(f"Sur un an ({previous_year(figure.year)} → {figure.year}, "
                             f"{plural(figure.comparable, 'territoire')} comparable"
                             f"{'s' if figure.comparable > 1 else ''}) : "
                             f"{figure_change(figure)}")
            elif figure.year != NOT_AVAILABLE:
                lines.append(_last_report_line(counted, part, figure))
            if figure.reporting:
                lines.append(_peer_line(dataset, counted, part, figure, innovation))
            statistic = definitions.at[figure.indicator_code, "reference_statistic"]
            if isinstance(statistic, str) and statistic in REFERENCE_INDICATORS:
                lines.append(reference_points(departements, part, dataset, statistic))
            compared.append(ComparedFigure(figure, tuple(line for line in lines if line),
                                           figure_status(counted, part, figure), part,
                                           innovation))
    if len(innovation_scopes(dataset, scope)) > 1:  # indicator by indicator, innovations side by side
        order = {code: i for i, code in enumerate(dataset.indicators["code"])}
        compared.sort(key=lambda f: order.get(f.figure.indicator_code, 0))
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
        row = {"Indicateur": f.label + (" (médiane)" if f.aggregation == "médiane"
                                        and f.reporting > 1 else ""),
               "Valeur": value_text(f.value, f.unit, f.measure),
               "Sur un an (mêmes territoires)": figure_change(f),
               "Par territoire : médiane (min – max)": _range(own, f.unit, f.measure)}
        if scope.comparison == "innovation":
            others = territory_values(counted, peers, f.indicator_code, f.year, f.measure)
            row["Autres innovations : médiane"] = value_text(
                others.median() if len(others) else None, f.unit, f.measure)
        row["Couverture"] = f"{f.reporting} sur {f.in_scope}"
        rows.append(row)
    year = figures[0].year if figures else NOT_AVAILABLE
    numeric = ("Valeur", "Sur un an (mêmes territoires)", "Couverture",
               "Autres innovations : médiane")
    return Table(f"Tous les indicateurs en {year}", pd.DataFrame(rows),
                 caption="Valeur : total des territoires (effectifs, montants) ou médiane (taux, "
                         "scores), valeurs qui font foi. Sur un an : sur les territoires qui ont "
                         "déclaré les deux années, en points pour un taux. Couverture : "
                         "territoires qui ont déclaré sur territoires du périmètre.",
                 widths=(3.2, 1.4, 1.8, 2.4, 1.6, 1.1) if scope.comparison == "innovation"
                 else (3.4, 1.5, 2.0, 2.8, 1.1), numeric=numeric,
                 source=declarations(dataset, counted, scope.essaimage_codes, codes,
                                     [year, previous_year(year)] if year != NOT_AVAILABLE
                                     else []))


def _range(values: pd.Series, unit: str, measure: str) -> str:
    if values.empty:
        return NOT_AVAILABLE
    if len(values) == 1:
        return f"{value_text(values.iloc[0], unit, measure)} (1 territoire)"
    return (f"{value_text(values.median(), unit, measure)} "
            f"({format_number(values.min(), decimals_of(unit, measure))} à "
            f"{value_text(values.max(), unit, measure)})")


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
        if not r.peer_count:
            peers = NOT_AVAILABLE
        elif r.peer_count == 1:
            peers = f"{value_text(r.peer_median, unit, measure)} (1 territoire)"
        else:
            peers = (f"{value_text(r.peer_median, unit, measure)} "
                     f"({format_number(r.peer_min, decimals_of(unit, measure))} à "
                     f"{value_text(r.peer_max, unit, measure)})")
        row = {"Innovation": names.get(r.innovation_code, r.innovation_code)} if several else {}
        row.update({
            "Indicateur": definitions.at[r.indicator_code, "label"],
            "Année": r.period, "Valeur": value_text(r.value, unit, measure),
            "Sur un an": change_text(r.value - r.previous, unit, measure),
            "Autres territoires : médiane (min – max)": peers,
            "Statut": STATUS_SHORT.get(r.status, r.status)})
        rows.append(row)
    widths = (2.6, 0.8, 1.4, 1.4, 2.6, 1.5)
    years = set(compared["period"].astype(str))
    return Table("Tous les indicateurs du territoire", pd.DataFrame(rows),
                 caption="Dernière année déclarée de chaque indicateur ; valeur qui fait foi ; "
                         "évolution sur un an en points pour un taux ; médiane des autres "
                         "territoires qui portent la même innovation, la même année.",
                 widths=((1.8,) + widths) if several else widths,
                 numeric=("Année", "Valeur", "Sur un an"),
                 source=declarations(dataset, counted, None, set(compared["indicator_code"]),
                                     years | {previous_year(y) for y in years
                                              if previous_year(y)}))
