"""Putting indicator values on a comparable footing: raw, per 100 beneficiaries, per 10,000
inhabitants, or as a gap to the département's reference statistic."""

from __future__ import annotations

import numpy as np
import pandas as pd

NORMALISATIONS: dict[str, str] = {
    "brut": "Valeurs brutes",
    "pour_100_beneficiaires": "Pour 100 bénéficiaires",
    "pour_10000_habitants": "Pour 10 000 habitants",
    "ecart_reference": "Écart à la référence du département",
}

# Indicators that have a département statistic measuring the same thing in the population
# (indicator code → reference column), for the "gap" normalisation.
REFERENCE_ANALOGUES: dict[str, str] = {
    "part_moins_26": "part_15_24_ans_pct_2022",
}

# Counts can be related to beneficiaries or population; rates and scores cannot.
COUNT_UNITS = {"personnes", "entreprises", "heures", "€", "jours", "partenaires", "réunions",
               "conventions"}


def normalise_values(values: pd.DataFrame, method: str, *, indicators: pd.DataFrame,
                     beneficiaries: pd.DataFrame, population: pd.Series,
                     departements: pd.DataFrame, territories: pd.DataFrame) -> pd.DataFrame:
    """`values` (indicator_code, territory_code, essaimage_code, period, value, …) with a new
    column `normalised`. NaN where the method does not apply (a rate per inhabitant, an unknown
    denominator, an indicator without a reference analogue): shown as "n.d.", never 0.

    `beneficiaries` holds the beneficiaries indicator values (essaimage_code, period, value).
    """
    out = values.copy()
    units = out["indicator_code"].map(indicators.set_index("code")["unit"])
    is_count = units.isin(COUNT_UNITS)
    if method == "brut":
        out["normalised"] = out["value"]
    elif method == "pour_100_beneficiaires":
        key = beneficiaries.set_index(["essaimage_code", "period"])["value"]
        denominators = pd.Series(
            [key.get((e, p), np.nan) for e, p in zip(out["essaimage_code"], out["period"])],
            index=out.index, dtype=float,
        ).replace(0, np.nan)
        out["normalised"] = np.where(is_count, 100 * out["value"] / denominators, np.nan)
    elif method == "pour_10000_habitants":
        inhabitants = out["territory_code"].map(population).replace(0, np.nan)
        out["normalised"] = np.where(is_count, 10_000 * out["value"] / inhabitants, np.nan)
    elif method == "ecart_reference":
        departement = out["territory_code"].map(territories.set_index("code")["code_departement"])
        reference = departements.set_index("code_departement")
        gaps = []
        for indicator, dep, value in zip(out["indicator_code"], departement, out["value"]):
            column = REFERENCE_ANALOGUES.get(indicator)
            gaps.append(value - reference.at[dep, column] if column and dep in reference.index
                        else np.nan)
        out["normalised"] = gaps
    else:
        raise ValueError(f"normalisation inconnue : {method}")
    out["normalised"] = out["normalised"].astype(float)
    return out
