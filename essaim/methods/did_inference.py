"""Standard errors, intervals, the pre-trend test and the sensitivity to a violation of parallel
trends, for the imputation estimator (essaim.methods.did).

Everything statistical comes from pyfixest 0.60 (a maintained library):
- the event study's coefficients and their covariance are pyfixest's did2s (Gardner 2021) with
  its GMM cluster-robust covariance (clusters = territories), event-time dummies in the second
  stage. Its did2s entry point fails on territories with a single untreated year (it drops them as
  singletons in the first stage and then cannot align the residuals), so the first stage is fitted
  with ``feols(…, fixef_rm="none")`` and the library's own covariance routine (``_did2s_vcov``)
  receives both stages' residuals;
- the pre-trend test is a ``feols`` regression on the untreated years (unit and year effects
  projected out by pyfixest's ``demean``) with a jackknife cluster-robust covariance (CRV3).
The average effect is the cell-count weighted mean of the post-start coefficients (exactly the
mean observed − imputed gap over treated territory-years); its standard error follows from the
covariance. Taking out each event time's mean before clustering keeps effects that grow with time
from being counted as noise (the earlier static regression was conservative: 100 % coverage).

Critical values are Student's t with min(treated, comparison) − 1 degrees of freedom: the
cluster-robust variance rests on the smaller group, and with 4 to 8 treated territories the
normal or G − 1 approximations under-cover (see bench/bench_did.py for the simulation table).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from essaim.methods.did_stages import CONFIDENCE_LEVEL

POWER = 0.80  # the detectable effect is the one a test at 5 % would find 80 % of the time
MIN_PRETREND_UNITS = 3  # treated territories with two years or more before their start
# Below this share of the outcome's scale a standard error is rounding noise: the data fit exactly.
EXACT_FIT_TOLERANCE = 1e-9


def critical_value(degrees_of_freedom: int, level: float = CONFIDENCE_LEVEL) -> float:
    """Two-sided Student t critical value."""
    return float(stats.t.ppf(1 - (1 - level) / 2, degrees_of_freedom))


def detectable(standard_error: float, degrees_of_freedom: int) -> float:
    """The smallest effect a two-sided test at 5 % detects with 80 % power (t approximation)."""
    return float((critical_value(degrees_of_freedom) + stats.t.ppf(POWER, degrees_of_freedom))
                 * standard_error)


def two_sided_p(estimate: float, standard_error: float, df: int, scale: float = 1.0) -> float:
    """Student t p-value; an exact fit (no noise at all) gives 1 for a zero estimate, else 0."""
    tiny = EXACT_FIT_TOLERANCE * (1.0 + scale)
    if standard_error <= tiny:
        return 1.0 if abs(estimate) <= tiny else 0.0
    return float(2 * stats.t.sf(abs(estimate) / standard_error, df))


def small_sample_df(n_treated: int, n_comparison: int) -> int:
    """Degrees of freedom of the t critical values: the smaller group's count minus one."""
    return max(min(n_treated, n_comparison) - 1, 1)


@dataclass(frozen=True)
class EventStudyFit:
    """did2s event study: one coefficient per year relative to the start (reference excluded)."""

    cells: list[int]               # relative years with a coefficient
    estimates: np.ndarray
    covariance: np.ndarray
    counts: np.ndarray             # territory-years per cell
    units: dict[int, int]          # territories per relative year (reference included)
    reference: int

    def average_effect(self) -> tuple[float, float]:
        """The average effect over post-start cells and its standard error."""
        post = np.array([k >= 0 for k in self.cells])
        weights = np.where(post, self.counts, 0.0)
        weights = weights / weights.sum()
        return (float(weights @ self.estimates),
                float(np.sqrt(max(weights @ self.covariance @ weights, 0.0))))

    def standard_errors(self) -> np.ndarray:
        return np.sqrt(np.clip(np.diag(self.covariance), 0.0, None))


def fit_event_study(frame: pd.DataFrame, gaps: np.ndarray) -> EventStudyFit:
    """The did2s event study of a prepared sample (essaim.methods.did_stages.prepare_sample) whose
    first-stage gaps are `gaps`. The reference is the last year before the start observed."""
    from pyfixest.did.did2s import _did2s_vcov

    rel_time = frame["rel_time"].to_numpy()
    observed = np.unique(rel_time[~np.isnan(rel_time)]).astype(int)
    reference = int(observed[observed < 0].max())
    cells = [int(k) for k in observed if k != reference]
    names = [f"cell_{'m' if k < 0 else 'p'}{abs(k)}" for k in cells]
    dummies = pd.DataFrame({name: (rel_time == k).astype(float) for name, k in zip(names, cells)},
                           index=frame.index)
    counts = dummies.sum().to_numpy()
    estimates = (dummies.to_numpy().T @ gaps) / counts
    second_residuals = gaps - dummies.to_numpy() @ estimates
    data = pd.concat([frame[["unit", "year", "y", "treated"]], dummies], axis=1)
    covariance, _ = _did2s_vcov(
        data=data, yname="y", first_stage="~0|unit+year",
        second_stage="~" + "+".join(names), treatment="treated",
        first_u=gaps.astype(float).copy(), second_u=second_residuals.astype(float).copy(),
        cluster="unit")
    units = {int(k): int(n) for k, n in frame.groupby("rel_time")["unit"].nunique().items()}
    return EventStudyFit(cells, estimates, np.asarray(covariance, dtype=float), counts, units,
                         reference)


@dataclass(frozen=True)
class PretrendCheck:
    """Did the innovation's territories already drift away from the others before their start?

    The slope is the yearly differential drift of the treated territories' untreated years (unit
    and year effects taken out), with its interval and p-value."""

    slope: float
    standard_error: float
    ci_low: float
    ci_high: float
    p_value: float
    degrees_of_freedom: int
    n_units: int                 # treated territories with two years or more before the start
    detectable_slope: float      # drift the test finds 80 % of the time

    @property
    def rejected(self) -> bool:
        return self.p_value < 1 - CONFIDENCE_LEVEL


def pretrend_check(frame: pd.DataFrame, n_comparison: int) -> PretrendCheck | str:
    """The pre-trend slope test, or why it cannot be made (French).

    On the untreated years: y ~ drift with unit and year effects, drift = years relative to the
    start for the innovation's territories (0 for the others). The effects are projected out with
    pyfixest's ``demean`` (alternating projections), then ``feols`` gives the slope with a
    jackknife cluster-robust error (CRV3), which keeps its size near 5 % with 8 treated
    territories where CRV1 rejects 10–15 % of the time (bench/bench_did.py)."""
    import pyfixest as pf
    from pyfixest.core.demean import demean

    untreated = frame[~frame["treated"]]
    informative = int((untreated[untreated["rel_time"].notna()].groupby("unit").size() >= 2)
                      .sum())
    if informative < MIN_PRETREND_UNITS:
        return (f"Moins de {MIN_PRETREND_UNITS} territoires ont au moins deux années mesurées avant "
                f"le démarrage ({informative}) : les tendances antérieures ne peuvent pas être "
                "vérifiées.")
    effects = np.column_stack([pd.factorize(untreated["unit"])[0],
                               pd.factorize(untreated["year"])[0]]).astype(np.uint64)
    columns = np.column_stack([untreated["y"].to_numpy(float),
                               untreated["rel_time"].fillna(0.0).to_numpy(float)])
    within, _ = demean(columns, effects, np.ones(len(untreated)), tol=1e-10)
    data = pd.DataFrame({"y": within[:, 0], "drift": within[:, 1],
                         "unit": untreated["unit"].to_numpy()})
    fit = pf.feols("y ~ drift - 1", data=data, vcov={"CRV3": "unit"})
    slope, error = float(fit.coef().iloc[0]), float(fit.se().iloc[0])
    df = small_sample_df(informative, n_comparison)
    half = critical_value(df) * error
    p_value = two_sided_p(slope, error, df, scale=float(np.abs(columns[:, 0]).max()))
    return PretrendCheck(slope, error, slope - half, slope + half, p_value, df, informative,
                         detectable(error, df))


@dataclass(frozen=True)
class Sensitivity:
    """How large a violation of parallel trends would change the conclusion (in the spirit of
    Rambachan & Roth 2023): a linear drift of the treated territories, `slope` per year, moves the
    estimate by slope × `bias_per_drift` (the estimator is linear in the outcome)."""

    bias_per_drift: float
    overturning_slope: float | None     # the drift that brings the estimate to 0
    interval_slope: float | None        # the drift that brings the interval's nearer bound to 0
    excluded_by_pre_period: bool | None  # is that drift outside the pre-trend interval?


def sensitivity(frame: pd.DataFrame, att: float, ci: tuple[float, float] | None,
                pretrend: PretrendCheck | None) -> Sensitivity | None:
    """The drifts that would overturn the estimate and its interval (None without treated
    territories observed before their start)."""
    from essaim.methods.did_stages import library_imputation_gaps

    drift = frame["year"] - frame["first_treated"]        # NaN for comparison territories
    gaps = library_imputation_gaps(frame, drift.fillna(0.0).to_numpy())
    bias = float(gaps[frame["treated"].to_numpy()].mean())
    if not np.isfinite(bias) or abs(bias) < 1e-9:
        return None
    overturning = att / bias
    interval_slope = None
    if ci is not None and (ci[0] > 0 or ci[1] < 0):
        interval_slope = (ci[0] if ci[0] > 0 else ci[1]) / bias
    excluded = None
    if pretrend is not None and interval_slope is not None:
        excluded = not pretrend.ci_low <= interval_slope <= pretrend.ci_high
    return Sensitivity(bias, overturning, interval_slope, excluded)
