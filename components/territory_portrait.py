"""The blocks of a territory's portrait; each says in plain words how to read it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.tables import show_table_with_download
from essaim.comparison import compare_with_peers, france_reference
from essaim.dataset import Dataset
from essaim.formatting import escape_markdown, format_percent, format_value
from essaim.model import FAMILIES, PARTNER_TYPES, SCALES, STAGES
from essaim.reference import REFERENCE_INDICATORS

_STAGE_COLUMNS = {"0": "date_etape_0", "I": "date_etape_i", "II": "date_etape_ii",
                  "III": "date_etape_iii", "IV": "date_etape_iv"}


def _how_to_read(text: str) -> None:
    with st.expander("Comment lire ces chiffres"):
        st.markdown(text)


def draw_who_and_what(dataset: Dataset, code: str, reference: pd.DataFrame) -> None:
    """Territory identity, its innovations and relays, and the partners with their roles."""
    territory = dataset.territories.set_index("code").loc[code]
    dep = reference.loc[territory["code_departement"]]
    st.header(escape_markdown(territory["name"]))
    st.caption(f"{SCALES[territory['scale']]} · {escape_markdown(dep['nom_departement'])} · "
               f"{escape_markdown(dep['nom_region'])} · code INSEE "
               f"{territory['insee_commune'] or 'n.d.'} · EPCI {territory['siren_epci'] or 'n.d.'}")
    mine = dataset.essaimage_table()
    mine = mine[mine["territory_code"] == code]
    roles = dataset.partner_roles[dataset.partner_roles["essaimage_code"].isin(mine["code"])]
    roles = roles.merge(dataset.partners, left_on="partner_code", right_on="code")
    st.subheader("Qui fait quoi")
    for e in mine.itertuples():
        st.markdown(f"**{escape_markdown(e.innovation)}** — {e.stage_label} — mis en œuvre par "
                    f"{escape_markdown(e.relay)}")
    table = roles.merge(mine[["code", "innovation"]], left_on="essaimage_code", right_on="code")
    show_table_with_download(
        pd.DataFrame({"Innovation": table["innovation"], "Partenaire": table["name"],
                      "Type": table["type"].map(PARTNER_TYPES), "Rôle": table["role"]}),
        f"partenaires_{code}", key="portrait_partners",
    )


def draw_roadmap_timeline(dataset: Dataset, code: str) -> None:
    """Dates at which each essaimage reached each roadmap stage."""
    st.subheader("Feuille de route")
    mine = dataset.essaimage_table()
    mine = mine[mine["territory_code"] == code]
    rows = []
    for e in mine.itertuples():
        row = {"Innovation": e.innovation}
        for stage, column in _STAGE_COLUMNS.items():
            value = getattr(e, column)
            row[STAGES[stage]] = value.strftime("%d/%m/%Y") if pd.notna(value) else "—"
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    _how_to_read("Chaque ligne est une innovation essaimée dans le territoire ; chaque colonne, la "
                 "date à laquelle l'étape a commencé. « — » : étape pas encore atteinte.")


def draw_key_indicators(dataset: Dataset, code: str) -> None:
    """Latest value of each indicator beside the previous period and the other territories."""
    st.subheader("Indicateurs clés et points de comparaison")
    compared = compare_with_peers(dataset, code)
    if compared.empty:
        st.info("Aucun indicateur n'est encore renseigné pour ce territoire : les essaimages "
                "n'ont pas atteint l'étape III.")
        return
    definitions = dataset.indicators.set_index("code")
    innovations = dict(zip(dataset.innovations["code"], dataset.innovations["name"]))
    family = st.segmented_control("Famille d'indicateurs", list(FAMILIES), format_func=FAMILIES.get,
                                  default="emploi", key="portrait_family") or "emploi"
    compared = compared[compared["indicator_code"].map(definitions["family"]) == family]
    if compared.empty:
        st.info("Aucun indicateur de cette famille pour ce territoire.")
        return
    units = compared["indicator_code"].map(definitions["unit"])

    def fmt(column: str) -> list[str]:
        return [format_value(v, u) for v, u in zip(compared[column], units)]

    table = pd.DataFrame({
        "Innovation": compared["innovation_code"].map(innovations),
        "Indicateur": compared["indicator_code"].map(definitions["label"]),
        "Type": compared["indicator_code"].map(definitions["standard"]).map(
            {True: "standard", False: "co-construit"}),
        "Période": compared["period"],
        "Valeur": fmt("value"),
        "Période précédente": fmt("previous"),
        "Médiane des autres territoires": fmt("peer_median"),
        "Minimum": fmt("peer_min"),
        "Maximum": fmt("peer_max"),
        "Source": compared["source"],
    })
    show_table_with_download(table, f"indicateurs_{code}", key="portrait_indicators")
    _how_to_read("La **valeur** est la dernière déclarée par la structure relais (ou estimée par "
                 "l'ANSA pour les coûts évités). Elle se lit d'abord par rapport à la **période "
                 "précédente**, puis à la **médiane des autres territoires** qui portent la même "
                 "innovation, avec l'étendue (minimum – maximum). « n.d. » : non disponible.")


def draw_reference_comparison(dataset: Dataset, code: str, reference: pd.DataFrame) -> None:
    """The département's public statistics beside France's, with source and vintage."""
    st.subheader("Le contexte du département")
    territory = dataset.territories.set_index("code").loc[code]
    dep = reference.loc[territory["code_departement"]]
    whole = reference.reset_index()
    rows = []
    for indicator in REFERENCE_INDICATORS.values():
        value = dep[indicator.column]
        if indicator.code == "rsa" and territory["code_departement"] == "976":
            value = float("nan")
        rows.append({
            "Indicateur": indicator.label,
            "Département": format_percent(value),
            "France (moyenne pondérée, calcul Essaim)": format_percent(
                france_reference(whole, indicator.column)),
            "Source": indicator.source,
            "Millésime": indicator.vintage,
        })
    show_table_with_download(pd.DataFrame(rows), f"contexte_{code}", key="portrait_reference")
    _how_to_read("Ces statistiques publiques décrivent le département, pas le seul territoire de "
                 "l'essaimage. La colonne France est la moyenne des départements pondérée par leur "
                 "population. « n.d. » : la statistique n'est pas publiée pour ce département.")


def draw_verbatims(dataset: Dataset, code: str) -> None:
    """What people said, beside the numbers."""
    st.subheader("Paroles d'acteurs")
    mine = dataset.essaimages[dataset.essaimages["territory_code"] == code]["code"]
    quotes = dataset.verbatims[dataset.verbatims["essaimage_code"].isin(mine)]
    if quotes.empty:
        st.info("Aucun verbatim recueilli pour ce territoire.")
        return
    for quote in quotes.sort_values("period", ascending=False).itertuples():
        st.markdown(f"> {escape_markdown(quote.text)}\n>\n> — *{escape_markdown(quote.speaker)}*, "
                    f"{quote.period}")
