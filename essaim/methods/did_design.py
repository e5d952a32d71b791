"""Who is compared with whom in the difference-in-differences: the territories that started an
innovation at a roadmap stage, and a comparison group chosen by a stated rule.

The rule « propre » (the default) compares with what happens *without any innovation of the
accelerator at that stage*: a territory-year enters the comparison only while no innovation of the
accelerator has reached the stage (or a later one) there — territories that never reach it in the
window (never treated), and the years before another innovation reaches it (not yet treated). The
territories of the innovation itself are kept while no other innovation has reached the stage
there; a year after another innovation got there would mix the two effects.

The rule « élargie » keeps every territory-year without *this* innovation, whatever else runs
there: more comparison territories, but the estimate then says how the innovation does against
the other innovations, not against their absence (it is smaller when they work too).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from essaim.methods.did_stages import DidError

STAGE_DATE_COLUMNS = {"0": "date_etape_0", "I": "date_etape_i", "II": "date_etape_ii",
                      "III": "date_etape_iii", "IV": "date_etape_iv"}

COMPARISON_RULES: dict[str, str] = {
    "propre": "Territoires sans innovation de l'accélérateur à cette étape (jamais, ou pas encore)",
    "elargie": "Tous les territoires sans cette innovation, même s'ils en ont une autre",
}
DEFAULT_RULE = "propre"

RULE_SENTENCES: dict[str, str] = {
    "propre": ("Groupe de comparaison : les territoires où aucune innovation de l'accélérateur "
               "n'a atteint l'étape {stage} (ou une étape suivante) pendant la période, et ceux "
               "où une autre innovation l'a atteinte plus tard, pour leurs années d'avant. On "
               "compare ainsi avec ce qui se passe sans innovation de l'accélérateur à cette "
               "étape."),
    "elargie": ("Groupe de comparaison élargi : tous les territoires sans cette innovation, y "
                "compris ceux où une autre innovation de l'accélérateur a atteint l'étape {stage}. "
                "Conséquence : l'estimation compare l'innovation aux autres innovations, pas à leur "
                "absence ; si les autres innovations ont aussi un effet, elle le sous-estime."),
}


def stage_reached_year(essaimages: pd.DataFrame, stage: str) -> pd.Series:
    """Per essaimage row, the year it reached `stage` or a later stage (NaN if it has not): an
    essaimage at Étape IV whose Étape III date is missing has still been through Étape III."""
    if stage not in STAGE_DATE_COLUMNS:
        raise DidError(f"Étape inconnue : {stage!r} (attendu : {', '.join(STAGE_DATE_COLUMNS)}).")
    later = list(STAGE_DATE_COLUMNS)[list(STAGE_DATE_COLUMNS).index(stage):]
    dates = pd.concat([pd.to_datetime(essaimages[STAGE_DATE_COLUMNS[s]], errors="coerce")
                       for s in later if STAGE_DATE_COLUMNS[s] in essaimages], axis=1)
    return dates.min(axis=1).dt.year


def treatment_start_years(essaimages: pd.DataFrame, innovation_code: str,
                          stage: str = "III") -> dict[str, int]:
    """territory_code -> year the territory's essaimage of `innovation_code` reached `stage` (or
    beyond). A territory that has not reached it is left out; several essaimages of the
    innovation in one territory take the earliest year."""
    years = stage_reached_year(essaimages, stage)
    mine = pd.DataFrame({"territory_code": essaimages["territory_code"], "year": years})
    mine = mine[essaimages["innovation_code"] == innovation_code].dropna()
    earliest = mine.groupby("territory_code")["year"].min()
    return {str(territory): int(year) for territory, year in earliest.items()}


def other_innovation_years(essaimages: pd.DataFrame, innovation_code: str,
                           stage: str = "III") -> dict[str, int]:
    """territory_code -> first year another innovation of the accelerator reached `stage` (or
    beyond) there."""
    years = stage_reached_year(essaimages, stage)
    others = pd.DataFrame({"territory_code": essaimages["territory_code"], "year": years})
    others = others[essaimages["innovation_code"] != innovation_code].dropna()
    earliest = others.groupby("territory_code")["year"].min()
    return {str(territory): int(year) for territory, year in earliest.items()}


@dataclass(frozen=True)
class ComparisonDesign:
    """The estimation panel and, for the reader, who is in each group and why others are not."""

    panel: pd.DataFrame          # unit, year, y, first_treated (see build_staggered_panel)
    rule: str
    stage: str
    treated: list[str]           # territories of the innovation, with years before and after
    never_treated: list[str]     # no innovation of the accelerator at the stage in the window
    not_yet_treated: list[str]   # reach the stage later (another innovation, or after the window)
    # The innovation's territories not counted as treated, and other territories left out
    # entirely: territory -> French reason.
    not_counted: dict[str, str] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)
    first_year: int | None = None
    last_year: int | None = None

    @property
    def n_comparison(self) -> int:
        return len(self.never_treated) + len(self.not_yet_treated)

    def reasons(self) -> dict[str, int]:
        """French reason -> number of territories it applies to (not counted or left out)."""
        counts: dict[str, int] = {}
        for reason in [*self.not_counted.values(), *self.left_out.values()]:
            counts[reason] = counts.get(reason, 0) + 1
        return counts


REASON_NO_VALUES = "indicateur non mesuré sur le territoire"
REASON_NO_PRE_PERIOD = ("démarrage avant la première année mesurée : aucune année avant le "
                        "démarrage pour estimer l'évolution attendue")
REASON_OTHER_FIRST = ("une autre innovation de l'accélérateur y a atteint l'étape avant elle ou "
                      "la même année : ses années d'avant servent seulement de comparaison")
REASON_OTHER_ALWAYS = ("une autre innovation de l'accélérateur y était déjà à cette étape dès la "
                       "première année mesurée")


def build_comparison(values: pd.DataFrame, essaimages: pd.DataFrame, innovation_code: str,
                     stage: str = "III", rule: str = DEFAULT_RULE) -> ComparisonDesign:
    """The panel of `values` (territory_code, period, value: one outcome measured on whole
    territories) under the comparison `rule`, with the groups and the reasons for leaving
    territories out. Raises DidError (French) for an unknown rule or stage, or no value."""
    if rule not in COMPARISON_RULES:
        raise DidError(f"Règle de comparaison inconnue : {rule!r}.")
    from essaim.methods.did import build_staggered_panel

    starts = treatment_start_years(essaimages, innovation_code, stage)
    others = other_innovation_years(essaimages, innovation_code, stage) if rule == "propre" else {}
    panel = build_staggered_panel(values, starts)
    if panel.empty:
        raise DidError("Aucune valeur observée : l'indicateur n'est mesuré sur aucun territoire.")
    first_year, last_year = int(panel["year"].min()), int(panel["year"].max())
    measured = set(panel["unit"])
    # A year where another innovation is at the stage is not a clean observation of anything.
    other_start = panel["unit"].map(others).astype(float)
    panel = panel[~(other_start <= panel["year"])]

    not_counted = {t: REASON_NO_VALUES for t in starts if t not in measured}
    left_out = {t: REASON_OTHER_ALWAYS for t in measured - set(panel["unit"])}
    treated, never, not_yet = [], [], []
    for unit, rows in panel.groupby("unit"):
        start = starts.get(unit)
        if start is not None and (rows["year"] >= start).any():
            if (rows["year"] < start).any():
                treated.append(unit)
            else:
                not_counted[unit] = REASON_NO_PRE_PERIOD
        elif unit in others or (start is not None and start > last_year):
            not_yet.append(unit)
            if start is not None and start <= last_year:
                not_counted[unit] = REASON_OTHER_FIRST
        else:
            never.append(unit)
    for unit in [u for u in left_out if u in starts]:
        not_counted[unit] = left_out.pop(unit)
    # Territories without a year before their start give the estimator nothing: they leave the
    # panel here, so that every count said is the estimate's.
    unusable = [u for u, reason in not_counted.items() if reason == REASON_NO_PRE_PERIOD]
    panel = panel[~panel["unit"].isin(unusable)].reset_index(drop=True)
    panel["first_treated"] = panel["first_treated"].where(panel["unit"].isin(treated))
    return ComparisonDesign(panel=panel, rule=rule, stage=stage, treated=sorted(treated),
                            never_treated=sorted(never), not_yet_treated=sorted(not_yet),
                            not_counted=not_counted, left_out=left_out, first_year=first_year,
                            last_year=last_year)
