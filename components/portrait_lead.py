"""The head of a territory's portrait, what an elected official reads first: who the territory is,
its innovations, and its key figures as cards — each value with its period, its change on a year,
the other territories' median and its status (« source unique », « accordé », « en désaccord »…,
with earlier periods partners discussed)."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components.provenance_view import draw_provenance_picker
from essaim.data.dataset import Dataset
from essaim.data.model import SCALES
from essaim.data.roles import indicators_with_role
from essaim.figures.comparison import compare_with_peers
from essaim.figures.counted import STATUS_SHORT
from essaim.numbers.formatting import escape_markdown, format_change, format_value, is_missing

# A status is said in words; its colour only repeats it (never colour alone).
_STATUS_TONE = {"unique": "neutral", "concordant": "good", "accord": "good", "arbitrage": "good",
                "retenu": "warn", "conteste": "warn", "remis_en_cause": "warn"}

_CARDS_CSS = """
<style>
ul.essaim-cards { list-style: none; margin: 0 0 0.5rem 0 !important; padding: 0 !important; display: grid; gap: 0.75rem;
  grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); }
.essaim-card { border: 1px solid #8a8a8a; border-radius: 0.5rem; padding: 0.6rem 0.8rem;
  background: #ffffff; color: #1f1f1f; }
.essaim-card p { margin: 0; line-height: 1.35; }
.essaim-card .label { font-weight: 600; }
.essaim-card .meta, .essaim-card .compare { font-size: 0.9rem; color: #3d3d3d; }
.essaim-card .value { font-size: 1.9rem; font-weight: 700; margin: 0.15rem 0; color: #000000; }
.essaim-card .status { display: inline-block; margin-top: 0.35rem; font-size: 0.9rem;
  border-radius: 0.3rem; padding: 0 0.4rem; border: 1px solid #555555; }
.essaim-card .status.good { background: #e3f4ea; color: #0f5132; border-color: #0f5132; }
.essaim-card .status.warn { background: #fff1d6; color: #6b3a00; border-color: #6b3a00; }
.essaim-card .status.neutral { background: #f0f0f0; color: #1f1f1f; }
</style>
"""


def _known(value) -> str:
    return "n.d." if is_missing(value) or str(value).strip() in ("", "nan", "None") else str(value)


def draw_portrait_header(dataset: Dataset, code: str, reference: pd.DataFrame) -> None:
    """The territory's name (h2), its scale, département, region, INSEE and EPCI codes (« n.d. »
    when unknown) and its innovations with the stage each reached."""
    territory = dataset.territories.set_index("code").loc[code]
    dep = reference.loc[territory["code_departement"]]
    st.header(escape_markdown(territory["name"]))
    st.caption(f"{SCALES[territory['scale']]} · {escape_markdown(dep['nom_departement'])} · "
               f"{escape_markdown(dep['nom_region'])} · code INSEE "
               f"{_known(territory['insee_commune'])} · EPCI {_known(territory['siren_epci'])}")
    mine = dataset.essaimage_table()
    mine = mine[mine["territory_code"] == code]
    st.markdown("  \n".join(f"**{escape_markdown(e.innovation)}** — {e.stage_label}"
                            for e in mine.itertuples()))


def _card(label: str, meta: str, value: str, compare: str, status: str, tone: str) -> str:
    parts = [f'<p class="label">{html.escape(label)}</p>',
             f'<p class="meta">{html.escape(meta)}</p>',
             f'<p class="value">{html.escape(value)}</p>']
    if compare:
        parts.append(f'<p class="compare">{html.escape(compare)}</p>')
    parts.append(f'<p class="status {tone}">Statut : {html.escape(status)}</p>')
    return f'<li class="essaim-card">{"".join(parts)}</li>'


def key_figure_cards(dataset: Dataset, compared: pd.DataFrame) -> list[str]:
    """One card per key indicator and innovation of the territory, from compare_with_peers."""
    definitions = dataset.indicators.set_index("code")
    innovations = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    order = {c: i for i, c in enumerate(indicators_with_role(dataset.indicators, "key_figure"))}
    rows = compared[compared["indicator_code"].isin(order)].assign(
        order=lambda f: f["indicator_code"].map(order)).sort_values(["order", "innovation_code"])
    cards = []
    for row in rows.itertuples():
        unit, measure = definitions.at[row.indicator_code, "unit"], \
            definitions.at[row.indicator_code, "measure"]
        change = (f"{format_change(row.value - row.previous, unit, measure)} sur un an"
                  if not (is_missing(row.value) or is_missing(row.previous)) else "")
        median = (f"médiane des autres territoires : {format_value(row.peer_median, unit, measure)}"
                  if row.peer_count else "")
        status = STATUS_SHORT.get(row.status, "")
        if row.earlier_statuses:
            status = f"{status} ({row.earlier_statuses})"
        label = definitions.at[row.indicator_code, "label"]
        if isinstance(unit, str) and unit and unit not in ("%", "€", "‰"):
            label = f"{label} ({unit})"  # « 256 » alone would not say 256 what
        cards.append(_card(label,
                           f"{innovations.get(row.innovation_code, row.innovation_code)} · "
                           f"{row.period}", format_value(row.value, unit, measure),
                           " · ".join(p for p in (change, median) if p), status,
                           _STATUS_TONE.get(row.status, "neutral")))
    return cards


def draw_key_figure_cards(dataset: Dataset, counted: pd.DataFrame, compared: pd.DataFrame,
                          code: str) -> None:
    """« Chiffres clés »: the cards, then « D'où vient ce chiffre ? » for each of them."""
    st.subheader("Chiffres clés")
    cards = key_figure_cards(dataset, compared)
    if not cards:
        st.info("Pas encore de chiffre clé pour ce territoire : ses essaimages n'ont pas atteint "
                "l'étape III, ou rien n'est déclaré.", icon=":material/hourglass_empty:")
        return
    st.html(_CARDS_CSS + f'<ul class="essaim-cards" aria-label="Chiffres clés">{"".join(cards)}</ul>')
    definitions = dataset.indicators.set_index("code")
    innovations = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    keys = compared[compared["indicator_code"].isin(
        indicators_with_role(dataset.indicators, "key_figure"))]
    draw_provenance_picker(dataset, counted, keys.assign(territory_code=code, text=[
        f"{definitions.at[r.indicator_code, 'label']} · "
        f"{innovations.get(r.innovation_code, r.innovation_code)} · {r.period} : "
        f"{format_value(r.value, definitions.at[r.indicator_code, 'unit'], definitions.at[r.indicator_code, 'measure'])}"
        f" ({STATUS_SHORT.get(r.status, '')})" for r in keys.itertuples()]),
        key="portrait_key_provenance")


def compared_with_peers(dataset: Dataset, counted: pd.DataFrame, code: str) -> pd.DataFrame:
    """compare_with_peers for the territory, computed once per dataset and territory."""
    return _compared(dataset, dataset.cache_key, counted, code)


@st.cache_data(max_entries=64, show_spinner=False)
def _compared(_dataset: Dataset, dataset_key: str, _counted: pd.DataFrame, code: str) -> pd.DataFrame:
    return compare_with_peers(_dataset, _counted, code)
