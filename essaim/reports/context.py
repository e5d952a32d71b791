"""The public context of a restitution: the département, région and France statistics
(essaim.data.reference, with source and vintage) beside the scope, and the comparison of an indicator
that declares a comparable public statistic."""

from __future__ import annotations

import numpy as np
import pandas as pd

from essaim.data.dataset import Dataset
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.figures.comparison import france_reference
from essaim.numbers.formatting import format_change, format_percent
from essaim.reports.model import Table
from essaim.reports.scope import Scope

FRANCE_NOTE = ("France et région : moyennes des départements pondérées par leur population au "
               "1er janvier 2022 (calcul Essaim).")


def territory_place(dataset: Dataset, departements: pd.DataFrame, territory_code: str) -> dict:
    """Names of a territory's département and région ("Somme", "80", "Hauts-de-France")."""
    territory = dataset.territories.set_index("code").loc[territory_code]
    row = departements.set_index("code_departement").loc[territory["code_departement"]]
    return {"departement": row["nom_departement"], "code_departement": territory["code_departement"],
            "region": row["nom_region"], "code_region": row["code_region"]}


def _scope_departements(dataset: Dataset, departements: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    codes = set(dataset.territories.loc[dataset.territories["code"].isin(scope.territory_codes),
                                        "code_departement"])
    return departements[departements["code_departement"].isin(codes)]


def reference_points(departements: pd.DataFrame, scope: Scope, dataset: Dataset,
                     statistic: str) -> str:
    """One line: the public statistic an indicator compares with, for the scope's département
    and région (a territory) or the scope's départements, and for France."""
    indicator = REFERENCE_INDICATORS[statistic]
    france = format_percent(france_reference(departements, indicator.column))
    head = f"{indicator.label} ({indicator.source}, {indicator.vintage}) : "
    if scope.comparison == "territoire":
        place = territory_place(dataset, departements, scope.territory_code)
        row = departements.set_index("code_departement").loc[place["code_departement"]]
        region = departements[departements["code_region"] == place["code_region"]]
        region_part = "" if place["region"] == place["departement"] else \
            f"{place['region']} {format_percent(france_reference(region, indicator.column))}, "
        return (head + f"{place['departement']} {format_percent(row[indicator.column])}, "
                f"{region_part}France {france}")
    mine = _scope_departements(dataset, departements, scope)
    here = format_percent(france_reference(mine, indicator.column))
    return head + f"départements du périmètre {here}, France {france}"


def context_table(dataset: Dataset, departements: pd.DataFrame, scope: Scope) -> Table | None:
    """The reference statistics of the scope's place(s) beside France, with source and vintage."""
    if scope.essaimages.empty:
        return None
    rows = []
    if scope.comparison == "territoire":
        place = territory_place(dataset, departements, scope.territory_code)
        dep = departements.set_index("code_departement").loc[place["code_departement"]]
        region = departements[departements["code_region"] == place["code_region"]]
        one = place["region"] == place["departement"]  # Mayotte, Guyane…: a single-département région
        for indicator in REFERENCE_INDICATORS.values():
            row = {"Statistique": indicator.label,
                   f"{place['departement']} ({place['code_departement']})":
                       format_percent(dep[indicator.column])}
            if not one:
                row[place["region"]] = format_percent(france_reference(region, indicator.column))
            row.update({
                "France": format_percent(france_reference(departements, indicator.column)),
                "Source, millésime": f"{indicator.source}, {indicator.vintage}"})
            rows.append(row)
        title = (f"Le contexte : {place['departement']} et la France" if one else
                 f"Le contexte : {place['departement']}, {place['region']} et la France")
        widths = (3.0, 1.5, 1.1, 4.0) if one else (3.0, 1.5, 1.5, 1.1, 4.0)
    else:
        mine = _scope_departements(dataset, departements, scope)
        for indicator in REFERENCE_INDICATORS.values():
            here = france_reference(mine, indicator.column)
            france = france_reference(departements, indicator.column)
            rows.append({
                "Statistique": indicator.label,
                "Départements du périmètre": format_percent(here),
                "France": format_percent(france),
                "Écart": format_change(here - france if not np.isnan(here) else np.nan, "%",
                                       "rate"),
                "Source, millésime": f"{indicator.source}, {indicator.vintage}"})
        title = f"Le contexte : les {len(mine)} départements du périmètre et la France"
        widths = (3.0, 1.6, 1.1, 1.1, 4.0)
    frame = pd.DataFrame(rows)
    return Table(title, frame, widths=widths, numeric=tuple(frame.columns[1:-1]),
                 caption="Statistiques publiques du département entier, pas du seul territoire de "
                         "l'essaimage. " + FRANCE_NOTE + " n.d. : statistique non publiée.",
                 source="Source : producteur et millésime de chaque statistique en dernière "
                        "colonne ; moyennes de la région et de la France : calcul Essaim "
                        "(population INSEE au 1er janvier 2022).")
