"""The « Source : … » line under every chart and table of a restitution: who declared the values
and for which years, which public statistic and its vintage, what the room typed. One sentence a
reader can quote, never a file name or a code."""

from __future__ import annotations

import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.model import PARTNER_TYPES
from essaim.numbers.formatting import plural

ESSAIM_CALCULATION = "calcul Essaim"


def years_text(years) -> str:
    """« 2022 », « 2021 et 2022 », « 2019 à 2022 »."""
    shown = sorted({str(y) for y in years if isinstance(y, str) or pd.notna(y)})
    if not shown:
        return ""
    if len(shown) == 1:
        return shown[0]
    if len(shown) == 2:
        return f"{shown[0]} et {shown[1]}"
    return f"{shown[0]} à {shown[-1]}"


def declarations(dataset: Dataset, counted: pd.DataFrame, essaimage_codes: set[str] | None,
                 indicator_codes, years, territory_level: bool = False,
                 calculation: str = "") -> str:
    """« Source : déclarations de 12 partenaires (structures relais, financeurs), 2021 et 2022 ;
    valeurs qui font foi. » — the partners behind the given cells."""
    codes = set(indicator_codes)
    cells = counted[counted["indicator_code"].isin(codes)
                    & counted["period"].astype(str).isin({str(y) for y in years})]
    if territory_level:
        cells = cells[cells["essaimage_code"].isna()]
    elif essaimage_codes is not None:
        cells = cells[cells["essaimage_code"].isin(essaimage_codes)]
    reports = dataset.indicator_values
    keys = ["indicator_code", "territory_code", "period"]
    behind = reports.merge(cells[keys].drop_duplicates(), on=keys)
    partners = dataset.partners.set_index("code")["type"]
    kinds = sorted({PARTNER_TYPES.get(partners.get(p, ""), "").split(" (")[0].lower()
                    for p in behind["partner_code"].dropna().unique()} - {""})
    who = plural(behind["partner_code"].nunique(), "partenaire") if len(behind) else "partenaires"
    text = f"Source : déclarations de {who}"
    if kinds:
        text += f" ({', '.join(kinds)})"
    when = years_text(years)
    text += f", {when}" if when else ""
    text += " ; valeurs qui font foi"
    text += f" ; {calculation}" if calculation else ""
    return text + "."


def workshop(day: str, participants: int) -> str:
    """« Source : saisies des 40 participants de la séance du 21/11/2026. »"""
    return f"Source : saisies des {plural(participants, 'participant')} de la séance du {day}."


def dataset_description(dataset: Dataset) -> str:
    """The dataset as a reader may see it: its label and how it arrived, no file or script."""
    how = {"demo": "jeu de démonstration fourni avec Essaim",
           "import": "importé dans Essaim"}.get(getattr(dataset, "kind", ""), "chargé dans Essaim")
    return f"{dataset.label} ({how} le {dataset.created_at:%d/%m/%Y})"
