"""Avoided public costs on screen: the summary (gross, net range, costs avoided per euro invested),
the unit costs with their durations and sources, the partners' declared amounts beside the
computed ones, and the editors of the assumptions (values out of range are refused with a
message, never clamped silently)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from components.number_field import french_number_field
from components.tables import show_table_with_download
from essaim.methods.avoided_costs import (
    MAX_BENEFIT_YEARS,
    RATIO_NAME,
    SROI_GUIDE,
    AssumptionError,
    Assumptions,
    UnitCost,
    validate_unit_costs,
)
from essaim.methods.avoided_costs_summary import AvoidedCostSummary
from essaim.numbers.entry import read_number
from essaim.numbers.formatting import (
    NBSP,
    format_number,
    format_percent,
    format_plain,
    plural,
)
from essaim.numbers.ranges import ValueRule


def _range(values: dict[str, float], decimals: int, unit: str) -> str:
    return (f"de {format_number(values['low'], decimals, unit)} à "
            f"{format_number(values['high'], decimals, unit)}")


def draw_avoided_cost_summary(summary: AvoidedCostSummary, assumptions: Assumptions) -> None:
    """Three figures over the summary's years: gross, net with its low–high range, and public
    costs avoided per euro invested with its range ("n.d." when the money invested is unknown);
    then the projection after those years and the declared amounts beside the computed ones."""
    columns = st.columns(3)
    columns[0].metric(f"Coûts publics évités bruts ({summary.window})",
                      format_number(summary.gross, 0, "€"))
    columns[1].metric(f"Coûts publics évités nets ({summary.window}, actualisés)",
                      format_number(summary.net["central"], 0, "€"),
                      help="Fourchette " + _range(summary.net, 0, "€") + " selon les hypothèses.")
    columns[2].metric(f"{RATIO_NAME} ({summary.window})",
                      format_number(summary.ratio["central"], 2, "€"),
                      help=("Fourchette " + _range(summary.ratio, 2, "€") + ". Montant investi "
                            f"sur les mêmes années : {format_number(summary.invested, 0, '€')}."))
    st.caption(f"Fourchette nette {_range(summary.net, 0, '€')} ; par euro investi "
               f"{_range(summary.ratio, 2, '€')}. Montant investi et coûts évités sont comptés "
               f"sur les mêmes années ({summary.window}). " + describe_assumptions(assumptions)
               + projection_sentence(summary))
    draw_declared(summary)


def projection_sentence(summary: AvoidedCostSummary) -> str:
    """What the outcomes of the years shown will still avoid afterwards ("" when nothing)."""
    if pd.isna(summary.projected) or summary.projected <= 0:
        return ""
    return (f" Les résultats de ces années éviteront encore environ "
            f"{format_number(summary.projected, 0, '€')} (net, actualisé) après {summary.period} "
            "si leurs effets durent comme déclaré : une projection, hors du ratio.")


def describe_assumptions(assumptions: Assumptions) -> str:
    """The assumptions in French sentences, with the discounting convention and its source."""
    return (f"Poids mort {format_percent(100 * assumptions.deadweight, 0)}, attribution à "
            f"d'autres {format_percent(100 * assumptions.attribution, 0)}, déplacement "
            f"{format_percent(100 * assumptions.displacement, 0)}, érosion annuelle des effets "
            f"durables {format_percent(100 * assumptions.drop_off, 0)}, actualisation "
            f"{format_percent(100 * assumptions.discount_rate, 1)} par an dès la première année "
            f"({SROI_GUIDE}). Chaque résultat compte sur sa durée déclarée (1 an : une seule "
            "fois). Hypothèse basse : +10 points sur chaque part et coûts unitaires −20 % ; "
            "haute : −10 points et +20 %. Seuls des coûts publics sont comptés, pas la valeur "
            "créée pour chaque partie prenante : ce n'est pas un SROI complet.")


def draw_declared(summary: AvoidedCostSummary) -> None:
    """The partners' declared avoided amounts beside the computed ones, and why they differ."""
    if summary.declared.empty:
        return
    st.markdown("**Montants déclarés par les partenaires et montants calculés**")
    table = summary.declared
    show_table_with_download(pd.DataFrame({
        "Coût évité (calculé)": table["cost"],
        "Calculé, brut (€)": [format_number(v, 0) for v in table["computed_gross"]],
        "Calculé, net (€)": [format_number(v, 0) for v in table["computed_net"]],
        "Montant déclaré": table["declared_label"],
        "Déclaré (€)": [format_number(v, 0) for v in table["declared"]]}),
        "couts_declares_calcules", key=f"declared_{summary.window}")
    st.caption("Pourquoi ils diffèrent : " + " ".join(table["why"]) + " Le montant déclaré "
               "n'entre pas dans le ratio.")


def draw_unit_costs(unit_costs: list[UnitCost]) -> None:
    """The unit costs used, with their durations and sources."""
    st.markdown("**Coûts unitaires retenus**")
    show_table_with_download(pd.DataFrame([{
        "Coût évité": c.label, "Part concernée": format_percent(100 * c.share, 0),
        "Montant unitaire (par an)": format_number(c.euros, 0, "€"),
        "Durée de l'effet": "une fois" if c.years == 1 else plural(c.years, "an"),
        "Source": c.source,
    } for c in unit_costs]), "couts_unitaires", key="unit_costs_table")


def edit_unit_costs(unit_costs: list[UnitCost], key: str) -> list[UnitCost] | None:
    """An editable table of the unit costs (amount, share, duration), typed the French way
    (« 1 300 », « 12,5 »); None, with a French message naming the row, when an edited value
    cannot be."""
    frame = pd.DataFrame([{"Coût évité": c.label,
                           "Part concernée (%)": format_plain(100 * c.share).replace(NBSP, " "),
                           "Montant (€ par an)": format_plain(c.euros).replace(NBSP, " "),
                           "Durée (années)": str(c.years),
                           "Source": c.source} for c in unit_costs])
    edited = st.data_editor(frame, hide_index=True, key=key, disabled=["Coût évité", "Source"],
                            column_config={
                                # Text read by essaim's French rules: a number column drops the
                                # decimal comma.
                                "Part concernée (%)": st.column_config.TextColumn(
                                    help="De 0 à 100 (ex. 25 ou 12,5)."),
                                "Montant (€ par an)": st.column_config.TextColumn(
                                    help="Montant positif (ex. 1 300)."),
                                "Durée (années)": st.column_config.TextColumn(
                                    help=f"De 1 (une seule fois) à {MAX_BENEFIT_YEARS}."),
                            })
    changed, problems = [], []
    for cost, row in zip(unit_costs, edited.to_dict("records")):
        share = read_number(row["Part concernée (%)"], ValueRule("rate", "%"))
        euros = read_number(row["Montant (€ par an)"], ValueRule("amount", "€"))
        years = read_number(row["Durée (années)"],
                            ValueRule("count", "années", 1, MAX_BENEFIT_YEARS))
        for entry, column in ((share, "part concernée"), (euros, "montant"), (years, "durée")):
            if not entry.ok:
                problems.append(f"{cost.label}, {column} « {entry.text} » : {entry.error}")
        if share.ok and euros.ok and years.ok:
            changed.append(dataclasses.replace(cost, share=share.value / 100, euros=euros.value,
                                               years=int(years.value)))
    if problems:
        st.error("Coûts unitaires refusés : " + " ; ".join(problems) + ".",
                 icon=":material/error:")
        return None
    try:
        validate_unit_costs(changed)
    except AssumptionError as error:
        st.error(f"Coûts unitaires refusés : {error}", icon=":material/error:")
        return None
    return changed


def edit_assumptions(key: str) -> Assumptions | None:
    """Deadweight, attribution, displacement, drop-off and discount rate (in %); None, with a
    French message, when a value is out of range."""
    default = Assumptions()
    columns = st.columns(3)
    fields = [
        ("deadweight", "Poids mort (%)", "Ce qui serait arrivé sans l'innovation."),
        ("attribution", "Attribution à d'autres (%)", "La part due à d'autres acteurs."),
        ("displacement", "Déplacement (%)", ("Ce qui a seulement été déplacé d'ailleurs (un "
                                            "emploi pris à une autre personne du territoire).")),
        ("drop_off", "Érosion annuelle (%)", ("La baisse d'un effet durable chaque année après "
                                             "la première.")),
        ("discount_rate", "Actualisation (% par an)", ("Taux d'actualisation public "
                                                       "(France Stratégie : 4,5 %), appliqué dès "
                                                       "la première année.")),
    ]
    values, entries = {}, []
    for index, (name, label, help_text) in enumerate(fields):
        entry = french_number_field(label, f"{key}_{name}", rule=ValueRule("rate", "%"),
                                    value=round(100 * getattr(default, name), 1),
                                    help=help_text, container=columns[index % 3])
        entries.append(entry)
        values[name] = entry.value / 100 if entry.ok else None
    if not all(entry.ok for entry in entries):
        st.error("Hypothèses refusées : corrigez la valeur signalée.", icon=":material/error:")
        return None
    assumptions = Assumptions(**values)
    problems = assumptions.problems()
    if problems:
        st.error("Hypothèses refusées : " + " ".join(problems), icon=":material/error:")
        return None
    return assumptions
