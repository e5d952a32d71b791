"""Difference-in-differences when an innovation reaches territories at different dates.

Territories (units) are observed every year; some start the innovation (each in its own year),
the others form the comparison group (essaim.methods.did_design says who, by a stated rule).

Estimator — imputation / two-stage (Gardner 2021 "did2s"; Borusyak, Jaravel & Spiess 2024).
    Step 1 fits unit + year fixed effects on the *untreated* territory-years only, with pyfixest's
    ``feols``. Step 2 takes, for every territory-year, observed − imputed; the effect is the mean
    of that gap over treated territory-years (the ATT), or per year relative to the start (the
    event study). No already-treated territory serves as a comparison, so effects that differ
    between territories or grow over time do not bias it.

Inference (essaim.methods.did_inference) — pyfixest's did2s GMM covariance, clustered by
    territory, Student t with min(treated, comparison) − 1 degrees of freedom; the detectable
    effect at 80 % power; a pre-trend slope test on the untreated years (feols, CRV3); and how
    large a drift of the treated territories would overturn the estimate.

Below MIN_TREATED_UNITS treated territories no interval is returned (see its comment).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from essaim.methods.did_design import (  # noqa: F401 — re-exported for callers
    STAGE_DATE_COLUMNS,
    ComparisonDesign,
    treatment_start_years,
)
from essaim.methods.did_inference import (
    PretrendCheck,
    Sensitivity,
    critical_value,
    detectable,
    fit_event_study,
    pretrend_check,
    sensitivity,
    small_sample_df,
    two_sided_p,
)
from essaim.methods.did_stages import (
    AGREEMENT_TOLERANCE,
    DidError,
    FirstStage,
    library_imputation_gaps,
    prepare_sample,
)

# With fewer treated territories the t interval has 2 degrees of freedom or fewer: its critical
# value (4,3 with 2, 12,7 with 1) makes it say nothing. From 4 on the simulation (bench/bench_did.py)
# gives 93–97 % coverage and the page says which effect could have been detected.
MIN_TREATED_UNITS = 4


@dataclass(frozen=True)
class StaggeredDidResult:
    """An imputation difference-in-differences estimate with its inference and checks."""

    att: float                      # overall average effect on the treated (post-start cells)
    ci_low: float | None            # 95 % interval, None when withheld
    ci_high: float | None
    p_value: float | None           # test of "no effect on average"
    standard_error: float
    degrees_of_freedom: int
    detectable_effect: float | None  # effect found 80 % of the time (None when withheld)
    n_treated: int                  # treated territories contributing post-start years
    n_control: int                  # comparison territories (never or not yet treated)
    n_observations: int
    # rel_time, estimate, ci_low, ci_high, units (territories in the cell), reference (estimate
    # 0, NaN bounds). Bounds are NaN too when the cell has fewer than min_treated territories.
    event_study: pd.DataFrame
    pretrend: PretrendCheck | None
    pretrend_withheld_reason: str | None   # French, set when pretrend is None
    sensitivity: Sensitivity | None
    interval_withheld_reason: str | None   # French, set when ci is None
    n_units_without_pre_period: int = 0
    n_cells_not_imputable: int = 0
    reference_rel_time: int = -1
    first_year: int = 0
    last_year: int = 0

    @property
    def method(self) -> str:
        """The method paragraph without the comparison design (essaim.methods.did_text)."""
        from essaim.methods.did_text import method_text

        return method_text(self, None)

    @property
    def pretrend_p_value(self) -> float | None:
        return None if self.pretrend is None else self.pretrend.p_value

    @property
    def interval_shown(self) -> bool:
        return self.ci_low is not None

    @property
    def excludes_zero(self) -> bool:
        return self.interval_shown and (self.ci_low > 0 or self.ci_high < 0)


# --- inputs ------------------------------------------------------------------------------------

def build_staggered_panel(values: pd.DataFrame, start_years: Mapping[str, int]) -> pd.DataFrame:
    """The estimation panel: unit, year (int), y (float), first_treated (float year, NaN = never).

    `values` has one row per territory and period (territory_code, period like "2021", value);
    several values for the same territory and year (several sources) are averaged.
    """
    years = pd.to_numeric(values["period"].astype(str).str.strip(), errors="coerce")
    bad = values.loc[years.isna() | (years % 1 != 0), "period"]
    if not bad.empty:
        raise DidError("Les périodes doivent être des années (par exemple 2021) ; reçu : "
                       f"{', '.join(map(str, bad.unique()[:3]))}.")
    panel = pd.DataFrame({"unit": values["territory_code"].astype(str),
                          "year": years.astype(int),
                          "y": pd.to_numeric(values["value"], errors="coerce").astype(float)})
    panel = panel.dropna(subset=["y"]).groupby(["unit", "year"], as_index=False)["y"].mean()
    starts = {str(unit): float(year) for unit, year in start_years.items()}
    panel["first_treated"] = panel["unit"].map(starts).astype(float)
    return panel.sort_values(["unit", "year"], ignore_index=True)


# --- estimate ----------------------------------------------------------------------------------

def estimate_staggered_did(panel: pd.DataFrame, *,
                           min_treated: int = MIN_TREATED_UNITS) -> StaggeredDidResult:
    """Imputation difference-in-differences with its interval, pre-trend test and sensitivity.

    `panel`: unit, year, y, first_treated (see build_staggered_panel, or the panel of
    essaim.methods.did_design.build_comparison); rows with missing y are dropped. Raises DidError
    (French) when no effect can be estimated.
    """
    sample = prepare_sample(panel)
    frame = sample.frame
    gaps = _checked_gaps(frame, sample.first_stage)
    treated = frame["treated"].to_numpy()
    n_treated = int(frame.loc[treated, "unit"].nunique())
    n_control = int(frame.loc[frame["rel_time"].isna(), "unit"].nunique())
    fit = fit_event_study(frame, gaps)
    att, standard_error = fit.average_effect()
    df = small_sample_df(n_treated, n_control)

    ci, p_value, mde, withheld = None, None, None, None
    if n_treated < min_treated:
        withheld = (f"Moins de {min_treated} territoires ont démarré l'innovation dans la période "
                    f"avec une année mesurée avant ({n_treated}) : l'incertitude ne peut pas être "
                    "estimée de façon fiable ; l'estimation est indicative.")
    elif n_control < min_treated:
        withheld = (f"Moins de {min_treated} territoires de comparaison ({n_control}) : "
                    "l'incertitude ne peut pas être estimée de façon fiable ; l'estimation est "
                    "indicative.")
    else:
        half = critical_value(df) * standard_error
        ci = (att - half, att + half)
        p_value = two_sided_p(att, standard_error, df, scale=float(frame["y"].abs().max()))
        mde = detectable(standard_error, df)

    check = pretrend_check(frame, n_control)
    pretrend = check if isinstance(check, PretrendCheck) else None
    return StaggeredDidResult(
        att=att,
        ci_low=None if ci is None else ci[0],
        ci_high=None if ci is None else ci[1],
        p_value=p_value,
        standard_error=standard_error,
        degrees_of_freedom=df,
        detectable_effect=mde,
        n_treated=n_treated,
        n_control=n_control,
        n_observations=len(frame),
        event_study=_event_study_table(fit, df, min_treated),
        pretrend=pretrend,
        pretrend_withheld_reason=None if pretrend else str(check),
        sensitivity=sensitivity(frame, att, ci, pretrend),
        interval_withheld_reason=withheld,
        n_units_without_pre_period=sample.n_units_without_pre_period,
        n_cells_not_imputable=sample.n_cells_not_imputable,
        reference_rel_time=fit.reference,
        first_year=int(frame["year"].min()),
        last_year=int(frame["year"].max()),
    )


def _checked_gaps(frame: pd.DataFrame, first: FirstStage) -> np.ndarray:
    """The library's observed − imputed gaps, checked against exact least squares."""
    y = frame["y"].to_numpy()
    gaps = library_imputation_gaps(frame)
    scale = 1.0 + float(np.max(np.abs(y)))
    if not np.all(np.abs(gaps - first.gaps(y)) <= AGREEMENT_TOLERANCE * scale):
        raise DidError("Le calcul des valeurs attendues sans l'innovation n'a pas convergé : "
                       "l'estimation n'est pas fiable sur ces données.")
    return gaps


def _event_study_table(fit, df: int, min_treated: int) -> pd.DataFrame:
    """One row per year relative to the start, the reference included (estimate 0)."""
    errors = fit.standard_errors()
    half = critical_value(df) * errors
    units = [fit.units[k] for k in fit.cells]
    shown = np.array([n >= min_treated for n in units])
    table = pd.DataFrame({"rel_time": fit.cells, "estimate": fit.estimates,
                          "ci_low": np.where(shown, fit.estimates - half, np.nan),
                          "ci_high": np.where(shown, fit.estimates + half, np.nan),
                          "units": units, "reference": False})
    reference = pd.DataFrame({"rel_time": [fit.reference], "estimate": [0.0], "ci_low": [np.nan],
                              "ci_high": [np.nan], "units": [fit.units[fit.reference]],
                              "reference": [True]})
    table = pd.concat([table, reference], ignore_index=True)
    return table.sort_values("rel_time", ignore_index=True).astype(
        {"rel_time": int, "units": int, "reference": bool})


def estimate_design(design: ComparisonDesign, *,
                    min_treated: int = MIN_TREATED_UNITS) -> StaggeredDidResult:
    """The estimate on a comparison design (essaim.methods.did_design.build_comparison)."""
    return estimate_staggered_did(design.panel, min_treated=min_treated)
