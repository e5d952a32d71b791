"""Two territories side by side, the way Géoclip or the Observatoire des territoires let an
elected official compare: who they are, their key figures (latest value with period and status)
and their départements' public statistics beside France's. The second territory is in the address
(`avec=code`), so a link keeps the comparison."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from essaim.data.dataset import Dataset
from essaim.data.model import SCALES
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.data.roles import indicators_with_role
from essaim.figures.comparison import reference_comparison
from essaim.figures.counted import STATUS_SHORT
from essaim.figures.territory_figures import latest_key_figures
from essaim.numbers.formatting import format_percent

PAIR_KEY = "portrait_pair"
PAIR_PARAMETER = "avec"


def _key_figures(dataset: Dataset, counted: pd.DataFrame, code: str) -> dict[str, str]:
    """Key indicator code → « 254 personnes (TAPAJ, 2022, accordé) », one line per innovation."""
    figures = latest_key_figures(dataset, counted, code)
    several = figures["innovation"].nunique() > 1
    lines: dict[str, list[str]] = {}
    for row in figures.itertuples():
        where = f"{row.innovation}, " if several else ""
        lines.setdefault(row.indicator, []).append(
            f"{row.text} ({where}{row.period}, {STATUS_SHORT.get(row.status, '')})")
    return {code: " ; ".join(texts) for code, texts in lines.items()}


def pair_table(dataset: Dataset, counted: pd.DataFrame, reference: pd.DataFrame, first: str,
               second: str) -> pd.DataFrame:
    """Rows: identity, key figures, département statistics; columns: the two territories (and
    France for the statistics). « n.d. » where a value is unknown; `reference` is indexed by
    département code."""
    territories = dataset.territories.set_index("code")
    essaimages = dataset.essaimage_table()
    names = [territories.at[c, "name"] for c in (first, second)]
    columns = names if names[0] != names[1] else [f"{names[0]} ({first})", f"{names[1]} ({second})"]
    rows: list[tuple[str, str, str, str]] = []
    for label, read in (
        ("Échelle", lambda c: SCALES.get(territories.at[c, "scale"], "")),
        ("Département", lambda c: f"{reference.at[territories.at[c, 'code_departement'], 'nom_departement']}"
                                  f" ({territories.at[c, 'code_departement']})"),
        ("Région", lambda c: reference.at[territories.at[c, "code_departement"], "nom_region"]),
        ("Innovations (étape atteinte)", lambda c: " ; ".join(
            f"{e.innovation} ({e.stage_label})"
            for e in essaimages[essaimages["territory_code"] == c].itertuples()) or "aucune"),
    ):
        rows.append(("Le territoire", label, read(first), read(second)))
    definitions = dataset.indicators.set_index("code")
    figures = [_key_figures(dataset, counted, c) for c in (first, second)]
    for indicator in indicators_with_role(dataset.indicators, "key_figure"):
        if indicator in figures[0] or indicator in figures[1]:
            rows.append(("Chiffres clés (dernière période, statut)",
                         definitions.at[indicator, "label"], figures[0].get(indicator, "n.d."),
                         figures[1].get(indicator, "n.d.")))
    contexts = [reference_comparison(reference.reset_index(), territories.at[c, "code_departement"],
                                     REFERENCE_INDICATORS.values()) for c in (first, second)]
    france = []
    for one, two in zip(contexts[0].itertuples(), contexts[1].itertuples()):
        year = re.search(r"\d{4}", str(one.vintage))
        label = one.label if year and year.group() in one.label else f"{one.label} ({one.vintage})"
        rows.append(("Leur département (statistique publique)", label,
                     format_percent(one.departement), format_percent(two.departement)))
        france.append(format_percent(one.france))
    table = pd.DataFrame(rows, columns=["Rubrique", "Indicateur", *columns])
    table["France"] = [""] * (len(table) - len(france)) + france
    return table


def draw_territory_pair(dataset: Dataset, counted: pd.DataFrame, reference: pd.DataFrame,
                        code: str) -> None:
    """Choose a second territory (kept in the address) and show both side by side."""
    st.subheader("Deux territoires côte à côte")
    territories = dataset.territories.sort_values("name")
    names = dict(zip(territories["code"], territories["name"]))
    others = [c for c in names if c != code]
    wanted = st.query_params.get(PAIR_PARAMETER)
    if PAIR_KEY not in st.session_state and wanted in others:
        st.session_state[PAIR_KEY] = wanted
    second = st.selectbox(f"Comparer {names[code]} avec", others, key=PAIR_KEY, index=None,
                          format_func=names.get, placeholder="Choisissez un territoire")
    if second is None:
        st.caption("Choisissez un second territoire : ses chiffres clés et le contexte de son "
                   "département s'affichent à côté de ceux-ci, ligne à ligne.")
        return
    if st.query_params.get(PAIR_PARAMETER) != second:
        st.query_params[PAIR_PARAMETER] = second
    table = pair_table(dataset, counted, reference, code, second)
    for section, rows in table.groupby("Rubrique", sort=False):
        st.markdown(f"**{section}**")
        st.table(rows.drop(columns=["Rubrique"] + ([] if rows["France"].any() else ["France"]))
                 .set_index("Indicateur"))
    st.caption("Les chiffres clés sont les valeurs qui font foi, à la dernière période déclarée "
               "de chaque territoire (les périodes peuvent différer : elles sont indiquées). Les "
               "statistiques publiques décrivent tout le département ; France : moyenne des "
               "départements pondérée par leur population (calcul Essaim).")
