"""Is the estimated effect the size of the programme? The effect, a rate per 1 000 (or 100)
inhabitants, converted into people over the treated territories' population, beside the number of
people the innovation accompanied there."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from essaim.numbers.formatting import format_number, plural

IMPLAUSIBLE = ("L'effet estimé dépasse le nombre de personnes accompagnées : la mesure saisit "
               "sans doute autre chose que l'innovation seule (d'autres politiques, l'évolution "
               "propre de ces territoires).")


def rate_base(unit: str) -> int | None:
    """Inhabitants per unit of a rate: 1 000 for "‰" or "pour 1 000", 100 for "%", 10 000 for
    "pour 10 000"; None when the unit is not a rate."""
    text = str(unit or "").strip().lower().replace("\u00a0", " ")
    if text == "%":
        return 100
    if "10 000" in text or "10000" in text:
        return 10_000
    if text == "‰" or "1 000" in text or "1000" in text:
        return 1_000
    return None


@dataclass(frozen=True)
class Plausibility:
    """The effect in people and the beneficiaries it compares with."""

    people: float              # effect × population ÷ base, summed over treated territories
    population: float          # inhabitants of the treated territories with a population
    territories: int           # treated territories with a known population
    beneficiaries_year: float  # beneficiaries of the innovation there, in `year`
    year: str | None
    beneficiaries_total: float  # since each territory's start (the most generous comparison)
    whole_commune: int = 0     # priority neighbourhoods counted with their whole commune
    base: int = 1_000          # inhabitants per unit of the rate

    @property
    def exceeds(self) -> bool:
        """More people than the innovation ever accompanied there."""
        return bool(np.isfinite(self.beneficiaries_total)
                    and abs(self.people) > self.beneficiaries_total)

    def sentence(self, outcome_label: str) -> str:
        """French: "soit environ 3 600 personnes … pour 301 bénéficiaires en 2022"."""
        direction = "de moins" if self.people < 0 else "de plus"
        text = (f"Converti en personnes (l'effet × la population ÷ {format_number(self.base)}) : "
                f"environ {format_number(abs(self.people), 0)} personnes {direction} "
                f"(« {outcome_label} ») dans les {plural(self.territories, 'territoire')} qui "
                f"ont démarré ({format_number(self.population, 0)} habitants).")
        if self.whole_commune:
            text += (f" {plural(self.whole_commune, 'quartier prioritaire compté', 'quartiers prioritaires comptés')} "
                     "avec la population de la commune entière (la population du quartier "
                     "n'est pas dans les données de référence).")
        if np.isfinite(self.beneficiaries_total):
            text += (f" L'innovation y a accompagné {format_number(self.beneficiaries_total, 0)} "
                     "personnes depuis le démarrage"
                     + (f", dont {format_number(self.beneficiaries_year, 0)} en {self.year}"
                        if self.year and np.isfinite(self.beneficiaries_year) else "") + ".")
        else:
            text += " Le nombre de bénéficiaires n'est pas déclaré : pas de comparaison."
        return text


def effect_in_people(att: float, unit: str, treated: list[str], starts: dict[str, int],
                     population: pd.Series, scales: pd.Series, beneficiaries: pd.DataFrame,
                     year: str | None) -> Plausibility | None:
    """The effect in people over the `treated` territories (None when the unit is not a rate of
    inhabitants). `beneficiaries`: counted values of the beneficiaries indicator for the
    innovation's essaimages (territory_code, period, value); `scales`: territory → scale code."""
    base = rate_base(unit)
    if base is None or not treated:
        return None
    inhabitants = population.reindex(treated).dropna()
    if inhabitants.empty:
        return None
    mine = beneficiaries[beneficiaries["territory_code"].isin(treated)
                         & beneficiaries["value"].notna()]
    years = pd.to_numeric(mine["period"], errors="coerce")
    since = years >= mine["territory_code"].map(starts)
    total = mine.loc[since, "value"].sum() if len(mine) else np.nan
    in_year = mine.loc[mine["period"] == year, "value"].sum(min_count=1) if year else np.nan
    return Plausibility(people=att * float(inhabitants.sum()) / base,
                        population=float(inhabitants.sum()), territories=len(inhabitants),
                        beneficiaries_year=float(in_year), year=year,
                        beneficiaries_total=float(total) if len(mine) else np.nan,
                        whole_commune=int((scales.reindex(inhabitants.index) == "qpv").sum()),
                        base=base)
