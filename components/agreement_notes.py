"""Which figures of a territory the partners agreed on, ANSA arbitrated or still dispute, said
in words beside the tables (a screen reader reads them; a table cell is easy to miss)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from essaim.data.dataset import Dataset
from essaim.figures.counted import STATUS_LABELS
from essaim.numbers.formatting import escape_markdown, format_value

# Statuses of the figures partners discussed: settled (agreed, arbitrated), a settlement called
# into question (its value counts meanwhile) or still disputed.
DISCUSSED = ("accord", "arbitrage", "remis_en_cause", "conteste")


def draw_agreement_notes(dataset: Dataset, counted: pd.DataFrame, territory_code: str) -> None:
    """A short list of the territory's agreed, arbitrated and contested figures, if any."""
    mine = counted[(counted["territory_code"] == territory_code)
                   & counted["status"].isin(DISCUSSED)].sort_values(["period", "indicator_code"],
                                                                    ascending=[False, True])
    if mine.empty:
        return
    definitions = dataset.indicators.set_index("code")
    lines = []
    for row in mine.itertuples():
        label = definitions["label"].get(row.indicator_code, row.indicator_code)
        value = ("n.d." if pd.isna(row.value) else format_value(
            row.value, definitions.at[row.indicator_code, "unit"],
            definitions.at[row.indicator_code, "measure"]))
        lines.append(f"- {escape_markdown(label)} ({row.period}) : **{value}** — "
                     f"{STATUS_LABELS[row.status]}")
    st.markdown("**Chiffres discutés entre partenaires**\n\n" + "\n".join(lines))
    st.caption("Une valeur convenue ou arbitrée est celle qui compte ; les déclarations de chaque "
               "partenaire restent consultables. Remise en cause par une nouvelle déclaration, "
               "elle compte encore en attendant un nouvel accord ou un arbitrage. Un désaccord "
               "non tranché laisse le chiffre « n.d. » : les partenaires en discutent dans leur "
               "espace.")
