"""What stands beside the key figures in a restitution: indirect impacts read with what people
said, the disagreements between partners, and the avoided public costs per euro invested."""

from __future__ import annotations

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.model import INDIRECT_IMPACTS_FAMILY
from essaim.figures.counted import STATUS_SHORT
from essaim.figures.disagreements import find_disagreements, indicator_tolerances
from essaim.figures.key_figures import key_figures
from essaim.methods.avoided_costs import (
    RATIO_NAME,
    SCENARIOS,
    SROI_GUIDE,
    Assumptions,
    unit_costs_from,
)
from essaim.methods.avoided_costs_summary import (
    AvoidedCostSummary,
    avoided_costs_by,
    summarise_avoided_costs,
)
from essaim.numbers.formatting import (
    NOT_AVAILABLE,
    format_number,
    format_percent,
    plural,
)
from essaim.reports.figures import figure_change, previous_year
from essaim.reports.model import (
    Chart,
    KeyNumber,
    KeyNumbers,
    Paragraphs,
    Quote,
    Quotes,
    Series,
    SideBySide,
    Table,
)
from essaim.reports.scope import Scope
from essaim.reports.sources import declarations, years_text
from essaim.reports.units import value_text
from essaim.text import quoted

QUOTES_BESIDE_FIGURES = 5
QUOTES_IN_DECK = 12  # more verbatims than this go to the PDF's annex
SENSITIVITY_COLOURS = ("#9CC3E4", "#0072B2", "#1F3A5F")  # low, central, high: light to dark


def scope_quotes(dataset: Dataset, scope: Scope) -> pd.DataFrame:
    """The scope's verbatims, newest first, each text once (with how many more times it was
    heard elsewhere), with the territory and innovation they come from."""
    quotes = dataset.verbatims[dataset.verbatims["essaimage_code"].isin(scope.essaimage_codes)]
    places = scope.essaimages.set_index("code")[["territory", "innovation"]]
    quotes = quotes.join(places, on="essaimage_code").sort_values("period", ascending=False)
    heard = quotes.groupby("text")["text"].transform("size")
    return quotes.assign(heard=heard).drop_duplicates("text")


def _quote(row, several_places: bool) -> Quote:
    where = f", {row.territory}" if several_places else ""
    again = f" ; propos rapporté aussi {plural(int(row.heard) - 1, 'autre fois', 'autres fois')}" \
        if getattr(row, "heard", 1) > 1 else ""
    return Quote(row.text, f"{row.speaker}{where}, {row.period}{again}")


def _spread_quotes(quotes: pd.DataFrame, count: int) -> pd.DataFrame:
    """`count` quotes taking in turn from each innovation, so that one does not fill the page."""
    ranked = quotes.assign(rank=quotes.groupby("innovation").cumcount())
    return ranked.sort_values(["rank", "period"], ascending=[True, False]).head(count)


def indirect_impacts(dataset: Dataset, counted: pd.DataFrame,
                     scope: Scope) -> tuple[list, Quotes | None]:
    """The indirect impacts (well-being family) of the scope beside a few verbatims, and every
    verbatim as a block of its own when there are more than beside the figures."""
    definitions = dataset.indicators
    codes = list(definitions.loc[definitions["family"] == INDIRECT_IMPACTS_FAMILY, "code"])
    figures = [f for f in key_figures(dataset, counted, scope.essaimage_codes,
                                      scope.territory_codes, indicator_codes=codes) if f.reporting] \
        if codes else []
    quotes = scope_quotes(dataset, scope)
    several = scope.essaimages["territory_code"].nunique() > 1
    if figures:
        left = Table(f"Impacts indirects en {figures[0].year}", pd.DataFrame({
            "Indicateur": [f.label + (" (médiane)" if f.aggregation == "médiane"
                                      and f.reporting > 1 else "") for f in figures],
            "Valeur": [value_text(f.value, f.unit, f.measure) for f in figures],
            "Sur un an": [figure_change(f) for f in figures],
            "Couverture": [f"{f.reporting} sur {f.in_scope}" for f in figures]}),
            widths=(3.0, 1.3, 1.3, 1.1), numeric=("Valeur", "Sur un an", "Couverture"),
            caption="Mesures en fin de parcours ; évolution sur les mêmes territoires, en points "
                    "pour un taux.",
            source=declarations(dataset, counted, scope.essaimage_codes,
                                [f.indicator_code for f in figures],
                                [figures[0].year, previous_year(figures[0].year)]))
    else:
        left = Paragraphs("Impacts indirects", [("Pas encore de mesure des impacts indirects "
                                                "(bien-être, confiance, santé) dans ce périmètre.")])
    chosen = _spread_quotes(quotes, QUOTES_BESIDE_FIGURES) if not quotes.empty else quotes
    right = Quotes("Paroles d'acteurs", [_quote(r, several) for r in chosen.itertuples()]) \
        if not chosen.empty else Paragraphs("Paroles d'acteurs", [("Aucune parole recueillie dans "
                                                                  "ce périmètre.")])
    every = Quotes("Toutes les paroles recueillies",
                   [_quote(r, several) for r in quotes.itertuples()]) \
        if len(quotes) > len(chosen) else None
    return [SideBySide("Impacts indirects et paroles d'acteurs", left, right)], every


def scope_disagreements(dataset: Dataset, scope: Scope) -> pd.DataFrame:
    """The cells of the scope (its essaimages, its territories as a whole) where partners'
    reports differ beyond the indicator's tolerance (essaim.figures.disagreements)."""
    values = dataset.indicator_values
    values = values[values["essaimage_code"].isin(scope.essaimage_codes)
                    | (values["essaimage_code"].isna()
                       & values["territory_code"].isin(scope.territory_codes))]
    return find_disagreements(values, indicator_tolerances(dataset.indicators))


def disagreements_table(dataset: Dataset, counted: pd.DataFrame,
                        scope: Scope) -> Table | Paragraphs:
    """Where partners report different values for the same cell, and which report counts."""
    found = scope_disagreements(dataset, scope)
    if found.empty:
        return Paragraphs("Désaccords entre partenaires", [
            ("Aucun désaccord : quand plusieurs partenaires déclarent le même chiffre, leurs "
            "déclarations concordent (à la tolérance de chaque indicateur près).")])
    definitions = dataset.indicators.set_index("code")
    partners = dataset.partners.set_index("code")["name"]
    places = dataset.territories.set_index("code")["name"]
    cells = counted.assign(essaimage_code=counted["essaimage_code"].fillna("")).set_index(
        ["indicator_code", "territory_code", "essaimage_code", "period"])
    rows = []
    for r in found.itertuples():
        unit, measure = definitions.at[r.indicator_code, "unit"], \
            definitions.at[r.indicator_code, "measure"]
        # A territory-level cell has no essaimage: missing (None or NaN) is the key "".
        essaimage = r.essaimage_code if isinstance(r.essaimage_code, str) else ""
        key = (r.indicator_code, r.territory_code, essaimage, r.period)
        counted_row = cells.loc[key] if key in cells.index else None
        counts = _what_counts(counted_row, partners, unit, measure)
        rows.append({
            "Où, quoi, quand": f"{places.get(r.territory_code, r.territory_code)} · "
                               f"{definitions.at[r.indicator_code, 'label']} · {r.period}",
            "Déclaration basse": f"{value_text(r.low_value, unit, measure)} — "
                                 f"{partners.get(r.low_partner, r.low_partner)}",
            "Déclaration haute": f"{value_text(r.high_value, unit, measure)} — "
                                 f"{partners.get(r.high_partner, r.high_partner)}",
            "Écart": format_percent(100 * r.relative_gap, 0),
            "Ce qui compte": counts,
            "Statut": STATUS_SHORT.get(counted_row["status"], "") if counted_row is not None
            else NOT_AVAILABLE})
    return Table("Les déclarations qui divergent", pd.DataFrame(rows),
                 widths=(3.0, 2.4, 2.4, 0.8, 2.4, 1.3), numeric=("Écart",),
                 caption="Même indicateur, territoire et année, valeurs plus éloignées que la "
                         "tolérance de l'indicateur. Toutes les déclarations sont conservées ; la "
                         "déclaration du partenaire désigné pour l'indicateur (à défaut, de la "
                         "structure relais) fait foi, sauf accord entre partenaires ou arbitrage "
                         f"de l'ANSA. {plural(len(found), 'cas', 'cas')}.",
                 source=f"Source : déclarations de "
                        f"{plural(len(set(found['low_partner']) | set(found['high_partner'])), 'partenaire')}"
                        f", {years_text(found['period'])} ; toutes les déclarations sont "
                        "conservées.")


def _what_counts(row, partners: pd.Series, unit: str, measure: str) -> str:
    """The value that counts for a disputed cell and why: the prevailing report (its partner),
    the agreed or arbitrated value, or none while the disagreement is open."""
    if row is None:
        return NOT_AVAILABLE
    status = row["status"]
    if status == "conteste" or pd.isna(row["value"]):
        return "aucune : désaccord non tranché, n.d."
    value = value_text(row["value"], unit, measure)
    if status in ("accord", "arbitrage", "remis_en_cause"):
        return f"{value} ({STATUS_SHORT[status]})"
    partner = row["partner_code"]
    if not isinstance(partner, str):
        return f"{value} ({STATUS_SHORT[status]})"
    return f"{value} — {partners.get(partner, partner)}"


def _range(values: dict[str, float], decimals: int, unit: str = "") -> str:
    return (f"de {format_number(values['low'], decimals, unit)} à "
            f"{format_number(values['high'], decimals, unit)}")


def avoided_cost_number(summary: AvoidedCostSummary) -> KeyNumber | None:
    """The public costs avoided per euro invested, as a figure that matters (None without)."""
    if summary.period is None or pd.isna(summary.ratio["central"]):
        return None
    return KeyNumber(
        label=RATIO_NAME,
        value=f"{format_number(summary.ratio['central'], 2, '€')} en {summary.window}",
        comparisons=(f"Fourchette selon les hypothèses : {_range(summary.ratio, 2, '€')}",
                     (f"Coûts publics évités nets {format_number(summary.net['central'], 0, '€')}"
                      f" pour {format_number(summary.invested, 0, '€')} investis les mêmes "
                      "années")),
        coverage=f"{plural(summary.outcomes, 'résultat valorisé', 'résultats valorisés')}")


def avoided_costs(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                  assumptions: Assumptions | None = None) -> tuple[list, AvoidedCostSummary | None]:
    """Blocks on the avoided costs (summary, range, assumptions, unit costs and sources, by
    innovation or territory) and the summary itself (None when nothing can be valued)."""
    assumptions = assumptions or Assumptions()
    unit_costs = unit_costs_from(dataset.indicators)
    if not unit_costs:
        return [Paragraphs("Coûts évités", [
            ("Aucun indicateur du jeu de données n'a le rôle « coût évité » : les coûts évités ne "
            "peuvent pas être estimés.")])], None
    summary = summarise_avoided_costs(dataset, counted, scope.essaimage_codes, assumptions,
                                      unit_costs)
    if summary.period is None:
        return [Paragraphs("Coûts évités", [("Pas encore de résultat à valoriser dans ce "
                                            "périmètre.")])], None
    numbers = KeyNumbers(f"Coûts publics évités en {summary.window}", [
        KeyNumber(f"Coûts publics évités bruts ({summary.window})",
                  format_number(summary.gross, 0, "€")),
        KeyNumber(f"Coûts publics évités nets ({summary.window}, actualisés)",
                  format_number(summary.net["central"], 0, "€"),
                  (f"Fourchette {_range(summary.net, 0, '€')}",)),
        KeyNumber(f"Montant investi ({summary.window})", format_number(summary.invested, 0, "€")),
        KeyNumber(RATIO_NAME, format_number(summary.ratio["central"], 2, "€"),
                  (f"Fourchette {_range(summary.ratio, 2, '€')}",)),
    ], caption="Montant investi et coûts évités comptés sur les mêmes années. Seuls des coûts "
               "publics sont comptés, pas la valeur créée pour chaque partie prenante : ce n'est "
               "pas un SROI complet. Un ordre de grandeur pour le dialogue, pas une évaluation "
               "certifiée. n.d. : montant investi non déclaré.",
       source=_costs_source(dataset, counted, scope, summary, unit_costs))
    blocks = [numbers, _assumptions_table(assumptions), Table(
        "Coûts unitaires retenus et leurs sources", pd.DataFrame([{
            "Coût évité": c.label, "Part concernée": format_percent(100 * c.share, 0),
            "Montant par an": format_number(c.euros, 0, "€"),
            "Durée": "une fois" if c.years == 1 else plural(c.years, "an"), "Source": c.source}
            for c in unit_costs]), widths=(3.0, 1.2, 1.3, 1.0, 3.6),
        numeric=("Part concernée", "Montant par an"),
        source="Source : coûts unitaires, parts et durées déclarés avec les indicateurs du jeu "
               "de données (source de chaque montant en dernière colonne).")]
    # The chart by territory before the declared amounts: a page holds the tall chart with the
    # short table under it, not the table alone with the chart pushed to the next page.
    chart = _ratio_chart(dataset, counted, scope, summary, assumptions, unit_costs)
    if chart is not None:
        chart.source = numbers.source
        blocks.append(chart)
    declared = _declared_table(summary, numbers.source)
    if declared is not None:
        blocks.append(declared)
    return blocks, summary


def _costs_source(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                  summary: AvoidedCostSummary, unit_costs) -> str:
    """The results valued and the amounts invested, as declared; the unit costs' sources."""
    first = int(summary.start or summary.period)
    years = [str(year) for year in range(first, int(summary.period) + 1)]
    return declarations(dataset, counted, scope.essaimage_codes,
                        [c.indicator_code for c in unit_costs], years,
                        calculation="coûts unitaires sourcés ; calcul Essaim")


def _assumptions_table(assumptions: Assumptions) -> Table:
    rows = []
    for name, label in (("deadweight", "Poids mort (serait arrivé sans l'innovation)"),
                        ("attribution", "Attribution à d'autres acteurs"),
                        ("displacement", "Déplacement (pris ailleurs)"),
                        ("drop_off", "Érosion annuelle de l'effet")):
        low, central, high = (getattr(assumptions.scenario(case), name) for case in SCENARIOS)
        rows.append({"Hypothèse": label, "Basse": format_percent(100 * low, 0),
                     "Centrale": format_percent(100 * central, 0),
                     "Haute": format_percent(100 * high, 0)})
    rows.append({"Hypothèse": "Coûts unitaires", "Basse": "−20 %", "Centrale": "tels quels",
                 "Haute": "+20 %"})
    rows.append({"Hypothèse": "Actualisation, dès la première année",
                 "Basse": "", "Centrale": f"{format_percent(100 * assumptions.discount_rate, 1)} "
                                          "par an", "Haute": ""})
    return Table("Hypothèses et fourchette de sensibilité", pd.DataFrame(rows),
                 widths=(4.0, 1.3, 1.6, 1.3), numeric=("Basse", "Centrale", "Haute"),
                 caption="Hypothèse basse : chaque part +10 points et coûts unitaires −20 % ; "
                         "haute : −10 points et +20 %. Actualisation : taux public de France "
                         "Stratégie, la première année de coûts évités actualisée une fois, les "
                         f"montants investis en début d'année ({SROI_GUIDE}). Chaque résultat "
                         "compte sur sa durée déclarée (une fois s'il est ponctuel), avec "
                         "l'érosion après sa première année.",
                 source="Source : conventions de la méthode des coûts évités d'Essaim ; taux "
                        "d'actualisation : France Stratégie.")


def _declared_table(summary: AvoidedCostSummary, source: str) -> Table | None:
    """The partners' own declared amounts beside the computed ones, and why they differ."""
    table = summary.declared
    if table.empty:
        return None
    return Table(f"Montants déclarés par les partenaires et montants calculés ({summary.window})",
                 pd.DataFrame({
                     "Coût évité (calculé)": table["cost"],
                     "Calculé brut": [format_number(v, 0, "€") for v in table["computed_gross"]],
                     "Calculé net": [format_number(v, 0, "€") for v in table["computed_net"]],
                     "Déclaré": [f"{format_number(v, 0, '€')} ({quoted(label)})" for v, label in
                                 zip(table["declared"], table["declared_label"])],
                     "Pourquoi ils diffèrent": table["why"]}),
                 widths=(2.2, 1.3, 1.3, 2.0, 4.2), numeric=("Calculé brut", "Calculé net"),
                 caption="Le montant déclaré n'entre pas dans le ratio : il est montré pour "
                         "qu'on ne lise pas deux chiffres de tailles différentes sans "
                         "explication.", source=source)


def _ratio_chart(dataset: Dataset, counted: pd.DataFrame, scope: Scope,
                 summary: AvoidedCostSummary, assumptions: Assumptions, unit_costs) -> Chart | None:
    if scope.comparison == "territoire":
        return None
    by, names = (["innovation_code"], dict(zip(dataset.innovations["code"],
                                               dataset.innovations["name"]))) \
        if scope.comparison == "accelerateur" else \
        (["territory_code"], dict(zip(dataset.territories["code"], dataset.territories["name"])))
    table = avoided_costs_by(dataset, counted, scope.essaimages, (summary.start, summary.period),
                             assumptions, unit_costs, by).dropna(subset=["ratio_central"])
    if len(table) < 2:
        return None
    table = table.sort_values("ratio_central", ascending=False).head(14)
    categories = [names.get(code, code) for code in table[by[0]]]
    series = [Series(f"Hypothèse {label}", tuple(float(v) for v in table[f"ratio_{case}"]),
                     tuple(format_number(v, 2) for v in table[f"ratio_{case}"]))
              for case, label in SCENARIOS.items()]
    which = "innovation" if by == ["innovation_code"] else "territoire"
    return Chart(f"{RATIO_NAME}, par {which} ({summary.window})", categories, series,
                 kind="bars", axis_title="€ évités par € investi", decimals=2,
                 colours=SENSITIVITY_COLOURS,
                 caption="Coûts publics évités nets rapportés au montant investi les mêmes "
                         "années ; les trois barres "
                         "montrent la fourchette de sensibilité. Sans montant investi déclaré, "
                         "pas de ratio.")
