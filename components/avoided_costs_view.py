"""Avoided costs on screen: the summary (gross, net range, ratio per euro invested), the unit
costs with their sources, and the editors of the assumptions (values out of range are refused
with a message, never clamped silently)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from components.number_field import french_number_field
from components.tables import show_table_with_download
from essaim.methods.avoided_costs import (
    AssumptionError,
    Assumptions,
    AvoidedCostSummary,
    UnitCost,
    validate_unit_costs,
)
from essaim.numbers.entry import read_number
from essaim.numbers.formatting import NBSP, format_number, format_percent, format_plain
from essaim.numbers.ranges import ValueRule


def _range(values: dict[str, float], decimals: int, unit: str) -> str:
    return (f"de {format_number(values['low'], decimals, unit)} à "
            f"{format_number(values['high'], decimals, unit)}")


def draw_avoided_cost_summary(summary: AvoidedCostSummary, assumptions: Assumptions) -> None:
    """Three figures: gross (one year), net over the duration with its low–high range, and euros
    avoided per euro invested with its range ("n.d." when the money invested is unknown)."""
    columns = st.columns(3)
    columns[0].metric(f"Coûts évités bruts ({summary.period}, un an)",
                      format_number(summary.gross, 0, "€"))
    columns[1].metric(f"Coûts évités nets (sur {assumptions.duration_years} ans, actualisés)",
                      format_number(summary.net["central"], 0, "€"),
                      help="Fourchette " + _range(summary.net, 0, "€") + " selon les hypothèses.")
    columns[2].metric("€ évités par € investi", format_number(summary.ratio["central"], 2),
                      help=("Fourchette " + _range(summary.ratio, 2, "") + ". Montant investi : "
                            + format_number(summary.invested, 0, "€") + "."))
    st.caption(f"Fourchette nette {_range(summary.net, 0, '€')} ; par euro investi "
               f"{_range(summary.ratio, 2, '')}. " + describe_assumptions(assumptions))


def describe_assumptions(assumptions: Assumptions) -> str:
    """The assumptions in one French sentence."""
    return (f"Poids mort {format_percent(100 * assumptions.deadweight, 0)}, attribution à "
            f"d'autres {format_percent(100 * assumptions.attribution, 0)}, déplacement "
            f"{format_percent(100 * assumptions.displacement, 0)}, érosion annuelle "
            f"{format_percent(100 * assumptions.drop_off, 0)}, effet sur "
            f"{assumptions.duration_years} an{'s' if assumptions.duration_years > 1 else ''}, "
            f"actualisation {format_percent(100 * assumptions.discount_rate, 1)} par an. "
            "Hypothèse basse : +10 points sur chaque part et coûts unitaires −20 % ; haute : "
            "−10 points et +20 %.")


def draw_unit_costs(unit_costs: list[UnitCost]) -> None:
    """The unit costs used, with their sources."""
    st.markdown("**Coûts unitaires retenus**")
    show_table_with_download(pd.DataFrame([{
        "Coût évité": c.label, "Part concernée": format_percent(100 * c.share, 0),
        "Montant unitaire": format_number(c.euros, 0, "€"), "Source": c.source,
    } for c in unit_costs]), "couts_unitaires", key="unit_costs_table")


def edit_unit_costs(unit_costs: list[UnitCost], key: str) -> list[UnitCost] | None:
    """An editable table of the unit costs (amount and share), typed the French way (« 1 300 »,
    « 12,5 »); None, with a French message naming the row, when an edited value cannot be."""
    frame = pd.DataFrame([{"Coût évité": c.label,
                           "Part concernée (%)": format_plain(100 * c.share).replace(NBSP, " "),
                           "Montant (€ par an)": format_plain(c.euros).replace(NBSP, " "),
                           "Source": c.source} for c in unit_costs])
    edited = st.data_editor(frame, hide_index=True, key=key, disabled=["Coût évité", "Source"],
                            column_config={
                                # Text read by essaim's French rules: a number column drops the
                                # decimal comma.
                                "Part concernée (%)": st.column_config.TextColumn(
                                    help="De 0 à 100 (ex. 25 ou 12,5)."),
                                "Montant (€ par an)": st.column_config.TextColumn(
                                    help="Montant positif (ex. 1 300)."),
                            })
    changed, problems = [], []
    for cost, row in zip(unit_costs, edited.to_dict("records")):
        share = read_number(row["Part concernée (%)"], ValueRule("rate", "%"))
        euros = read_number(row["Montant (€ par an)"], ValueRule("amount", "€"))
        for entry, column in ((share, "part concernée"), (euros, "montant")):
            if not entry.ok:
                problems.append(f"{cost.label}, {column} « {entry.text} » : {entry.error}")
        if share.ok and euros.ok:
            changed.append(dataclasses.replace(cost, share=share.value / 100, euros=euros.value))
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
    """Deadweight, attribution, displacement, drop-off (in %), duration (years) and discount rate
    (%); None, with a French message, when a value is out of range."""
    default = Assumptions()
    columns = st.columns(3)
    fields = [
        ("deadweight", "Poids mort (%)", "Ce qui serait arrivé sans l'innovation."),
        ("attribution", "Attribution à d'autres (%)", "La part due à d'autres acteurs."),
        ("displacement", "Déplacement (%)", ("Ce qui a seulement été déplacé d'ailleurs (un "
                                            "emploi pris à une autre personne du territoire).")),
        ("drop_off", "Érosion annuelle (%)", ("La baisse de l'effet chaque année après la "
                                             "première.")),
        ("discount_rate", "Actualisation (% par an)", ("Taux d'actualisation public "
                                                       "(France Stratégie : 4,5 %).")),
    ]
    values, entries = {}, []
    for index, (name, label, help_text) in enumerate(fields):
        entry = french_number_field(label, f"{key}_{name}", rule=ValueRule("rate", "%"),
                                    value=round(100 * getattr(default, name), 1),
                                    help=help_text, container=columns[index % 3])
        entries.append(entry)
        values[name] = entry.value / 100 if entry.ok else None
    years = french_number_field("Durée de l'effet (années)", f"{key}_years",
                                rule=ValueRule("count", "années", 1, 10),
                                value=default.duration_years, container=columns[2],
                                help="Nombre d'années pendant lesquelles l'effet compte (1 à 10).")
    if not all(entry.ok for entry in entries + [years]):
        st.error("Hypothèses refusées : corrigez la valeur signalée.", icon=":material/error:")
        return None
    values["duration_years"] = int(years.value)
    assumptions = Assumptions(**values)
    problems = assumptions.problems()
    if problems:
        st.error("Hypothèses refusées : " + " ".join(problems), icon=":material/error:")
        return None
    return assumptions
