"""Putting indicator values on a comparable footing: raw, per 100 beneficiaries, per 10,000
inhabitants, or against the département's reference statistic.

Which values can be normalised is declared in the data: a count or an amount can be related to
beneficiaries (the indicator with the role « bénéficiaires ») or to inhabitants; a rate with a
reference statistic compares with the département's. The reference statistics describe the
département's residents: a gap (« écart ») is only computed for an indicator that counts the
territory's inhabitants too (its « population comptée »); for one that counts beneficiaries, the
same subtraction says how the public is targeted, so it is offered as « cible » (the share among
beneficiaries against the share in the population), never as a gap. A priority neighbourhood
(QPV) has no population of its own in the reference data: per 10,000 inhabitants, it is related
to its whole commune's, and says so. Everything else is "n.d.", never 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from essaim.data.reference import REFERENCE_INDICATORS

NORMALISATIONS: dict[str, str] = {
    "brut": "Valeurs brutes",
    "pour_100_beneficiaires": "Pour 100 bénéficiaires",
    "pour_10000_habitants": "Pour 10 000 habitants",
    "ecart_reference": "Écart à la référence du département, même population (points)",
    "cible_reference": "Cible : part dans le public face à la population du département (points)",
}

# What the normalised value is, for axis titles.
NORMALISED_UNITS: dict[str, str] = {
    "brut": "valeur déclarée",
    "pour_100_beneficiaires": "pour 100 bénéficiaires",
    "pour_10000_habitants": "pour 10 000 habitants",
    "ecart_reference": "écart à la référence départementale (points)",
    "cible_reference": "ciblage : points au-dessus de la part dans la population du département",
}
WHOLE_COMMUNE = "population de la commune entière"
SAME_POPULATION = "habitants"  # the population the reference statistics count

RELATABLE_MEASURES = ("count", "amount")


def normalise_values(values: pd.DataFrame, method: str, *, indicators: pd.DataFrame,
                     beneficiaries: pd.DataFrame, population: pd.Series,
                     departements: pd.DataFrame, territories: pd.DataFrame) -> pd.DataFrame:
    """`values` (indicator_code, territory_code, essaimage_code, period, value, …) with a new
    column `normalised`. NaN where the method does not apply (a rate per inhabitant, an unknown
    denominator, an indicator without a reference statistic): shown as "n.d.", never 0.

    `beneficiaries` holds the counted values of the beneficiaries indicator (essaimage_code,
    period, value); empty when the dataset declares none."""
    out = values.copy()
    definitions = indicators.set_index("code")
    measures = out["indicator_code"].map(definitions["measure"])
    relatable = measures.isin(RELATABLE_MEASURES)
    if method == "brut":
        out["normalised"] = out["value"]
    elif method == "pour_100_beneficiaires":
        key = beneficiaries.dropna(subset=["value"]).set_index(["essaimage_code", "period"])["value"]
        denominators = pd.Series(
            [key.get((e, p), np.nan) for e, p in zip(out["essaimage_code"], out["period"])],
            index=out.index, dtype=float,
        ).replace(0, np.nan)
        out["normalised"] = np.where(relatable, 100 * out["value"] / denominators, np.nan)
    elif method == "pour_10000_habitants":
        inhabitants = out["territory_code"].map(population).replace(0, np.nan)
        out["normalised"] = np.where(relatable, 10_000 * out["value"] / inhabitants, np.nan)
    elif method in ("ecart_reference", "cible_reference"):
        population_of = definitions.get("counted_population", pd.Series(dtype=object))
        same = out["indicator_code"].map(population_of) == SAME_POPULATION
        wanted = same if method == "ecart_reference" else ~same
        gaps = pd.Series(_gaps(out, definitions, departements, territories), index=out.index)
        out["normalised"] = gaps.where(wanted)
    else:
        raise ValueError(f"normalisation inconnue : {method}")
    out["normalised"] = out["normalised"].astype(float)
    return out


def _gaps(values: pd.DataFrame, definitions: pd.DataFrame, departements: pd.DataFrame,
          territories: pd.DataFrame) -> list[float]:
    departement = values["territory_code"].map(territories.set_index("code")["code_departement"])
    reference = departements.set_index("code_departement")
    statistic = values["indicator_code"].map(definitions["reference_statistic"])
    gaps = []
    for code, dep, value in zip(statistic, departement, values["value"]):
        indicator = REFERENCE_INDICATORS.get(code) if isinstance(code, str) else None
        if indicator is None or dep not in reference.index:
            gaps.append(np.nan)
            continue
        gaps.append(value - reference.at[dep, indicator.column])
    return gaps


def population_basis(territories: pd.DataFrame) -> pd.Series:
    """territory code → what its population counts: "" for its own, « population de la commune
    entière » for a priority neighbourhood (the reference data has no QPV population)."""
    return pd.Series(np.where(territories["scale"] == "qpv", WHOLE_COMMUNE, ""),
                     index=territories["code"])


def reference_statistics(indicators: pd.DataFrame) -> dict[str, str]:
    """Indicator code → the reference statistic code it compares with (only those declared)."""
    declared = indicators.dropna(subset=["reference_statistic"])
    return {code: ref for code, ref in zip(declared["code"], declared["reference_statistic"])
            if ref in REFERENCE_INDICATORS}
