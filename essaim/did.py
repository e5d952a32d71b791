"""Difference-in-differences when an innovation reaches territories at different dates.

Territories (units) are observed every year; some start the innovation (each in its own year),
the others never do in the data window. Three choices make the estimate honest:

Estimator — imputation / two-stage (Gardner 2021 "did2s"; Borusyak, Jaravel & Spiess 2024).
    Step 1 fits unit + year fixed effects on the *untreated* cells only (never-treated territories,
    and treated territories before their start), with pyfixest's ``feols``. Step 2 takes, for every
    cell, observed − imputed; the effect is the mean of that gap over treated cells (the ATT), or
    per year relative to the start (the event study). Unlike the two-way fixed-effects regression
    of the old code, no already-treated territory serves as a comparison, so effects that differ
    between territories or grow over time do not bias it.

Inference — wild cluster *restricted* bootstrap (WCR), clusters = territories, Webb weights.
    Every estimate here is linear in y for a fixed design (θ̂ = a'y), and so are its residuals and
    its cluster-robust (did2s GMM) standard error. Each bootstrap replicate is then a weighted sum
    of per-territory pieces: replicates are matrix products (Roodman et al. 2019, "Fast and wild"),
    and the studentised statistic is a ratio of an affine to the square root of a quadratic function
    of the hypothesised value θ₀. The 95 % interval is every θ₀ the bootstrap test does not reject
    (test inversion, as Stata's boottest), which stays honest with few treated territories where
    a Student-t interval is far too narrow.

Pre-trends — years before the start are event-study cells too (mean observed − imputed gap,
    exactly pyfixest's ``did2s`` with ``i(rel_time, ref=-1)``); the last pre-period year is the
    reference (those gaps sum to zero per territory, so one of them carries no information).
    Their joint Wald test is bootstrapped under the null of parallel trends.

Below MIN_TREATED_UNITS treated territories no interval is returned (see its comment).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

# From simulations with no true effect (42 territories, 2016–2022, AR(1) noise of SD ≈ 1, staggered
# starts, 400 panels each; `python tests/test_did.py` reproduces these figures), coverage of the
# 95 % interval forced out for 1, 2, 3, 4, 5, 6, 8, 12 treated territories: 100 % (always
# unbounded), 100 % (97 % unbounded), 99.3 % (median width 11.7), 98.0 % (3.9), 96.0 % (2.3),
# 95.8 % (2.1), 93.8 % (1.7), 95.3 % (1.4).
# Treated territories twice as noisy as the others, or half as noisy, and 2018–2022 panels give the
# same picture. With 3 or fewer the interval is valid only by being about 5 times wider than with
# 6 — it says nothing; from 4 on it is calibrated (96–98 %) and finite.
MIN_TREATED_UNITS = 4
CONFIDENCE_LEVEL = 0.95
STAGE_DATE_COLUMNS = {"0": "date_etape_0", "I": "date_etape_i", "II": "date_etape_ii",
                      "III": "date_etape_iii", "IV": "date_etape_iv"}

# The library recovers fixed effects iteratively (lsqr); asked for 1e-12 it agrees with the exact
# linear algebra to ~1e-11. A larger gap means a numerical failure, not a rounding difference.
_AGREEMENT_TOLERANCE = 1e-6
_ESTIMABLE_TOLERANCE = 1e-8
# Below this share of the outcome's scale a standard error is rounding noise: the data fit exactly
# (noise-free panels) and only the estimate itself is "not rejected".
_EXACT_FIT_TOLERANCE = 1e-9
_UNBOUNDED_FACTOR = 1e6  # an interval bound beyond 10⁶ standard errors is reported as unbounded


class DidError(ValueError):
    """The estimate cannot be made from these data; the message (French) says why."""


@dataclass(frozen=True)
class StaggeredDidResult:
    """An imputation difference-in-differences estimate with its bootstrap inference."""

    att: float                      # overall average effect on the treated (post-treatment cells)
    ci_low: float | None            # 95 % wild-cluster-bootstrap interval, None when withheld
    ci_high: float | None
    p_value: float | None           # bootstrap p-value of "no effect on average"
    n_treated: int                  # treated units that contribute post-treatment cells
    n_control: int                  # never-treated (in the window) comparison units
    n_observations: int
    # rel_time, estimate, ci_low, ci_high, units (treated territories in the cell), reference (the
    # reference row: estimate 0, NaN bounds). Bounds are NaN too when the cell has fewer than
    # min_treated territories or its interval is unbounded. Pre-period bounds are the null-imposed
    # bootstrap-t intervals (estimate ± bootstrap critical value × standard error).
    event_study: pd.DataFrame
    pretrend_p_value: float | None  # joint bootstrap test "all pre-treatment gaps are 0"
    interval_withheld_reason: str | None   # French, set when ci is None
    method: str                     # French paragraph for a non-specialist reader
    pretrend_withheld_reason: str | None = None   # French, set when pretrend_p_value is None
    n_units_without_pre_period: int = 0   # treated before their first observation: left out
    n_cells_not_imputable: int = 0        # treated cells of a year with no untreated observation
    reference_rel_time: int = -1
    bootstrap_reps: int = 0


# --- inputs ------------------------------------------------------------------------------------

def treatment_start_years(essaimages: pd.DataFrame, innovation_code: str,
                          stage: str = "III") -> dict[str, int]:
    """territory_code -> year the territory's essaimage of `innovation_code` reached `stage`.

    A territory whose stage date is missing has not reached the stage and is left out; a territory
    with several essaimages of the innovation takes the earliest date.
    """
    if stage not in STAGE_DATE_COLUMNS:
        raise DidError(f"Étape inconnue : {stage!r} (attendu : {', '.join(STAGE_DATE_COLUMNS)}).")
    rows = essaimages[essaimages["innovation_code"] == innovation_code]
    dates = pd.to_datetime(rows[STAGE_DATE_COLUMNS[stage]], errors="coerce")
    reached = pd.DataFrame({"territory_code": rows["territory_code"], "year": dates.dt.year})
    reached = reached.dropna()
    earliest = reached.groupby("territory_code")["year"].min()
    return {str(territory): int(year) for territory, year in earliest.items()}


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
    panel = panel.groupby(["unit", "year"], as_index=False)["y"].mean()
    starts = {str(unit): float(year) for unit, year in start_years.items()}
    panel["first_treated"] = panel["unit"].map(starts).astype(float)
    return panel.sort_values(["unit", "year"], ignore_index=True)


# --- sample ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Sample:
    frame: pd.DataFrame          # unit, year, y, first_treated, treated, rel_time
    first_stage: _FirstStage
    n_units_without_pre_period: int
    n_cells_not_imputable: int


def _prepare_sample(panel: pd.DataFrame) -> _Sample:
    """Clean the panel and keep only what the imputation estimator can use (French errors)."""
    frame = _validated_frame(panel)
    frame["treated"] = frame["first_treated"].notna() & (frame["year"] >= frame["first_treated"])

    # A territory observed only after its start has no year telling its usual level: its
    # counterfactual cannot be imputed, so it is left out (and counted, for the method text).
    has_untreated = (~frame["treated"]).groupby(frame["unit"]).transform("any")
    n_without_pre = frame.loc[~has_untreated, "unit"].nunique()
    frame = frame[has_untreated].reset_index(drop=True)

    treated_in_window = frame.groupby("unit")["treated"].transform("any")
    if treated_in_window.all():
        raise DidError("Aucun territoire de comparaison : tous les territoires observés ont "
                       "démarré l'innovation dans la période. Sans territoire qui ne l'a pas "
                       "démarrée, l'évolution attendue sans l'innovation ne peut pas être estimée.")
    first = _FirstStage.of(frame)
    imputable = first.imputable_rows()
    frame, first = frame[imputable].reset_index(drop=True), first.restricted_to(imputable)
    if not frame["treated"].any():
        raise DidError("Aucun territoire n'a démarré l'innovation avec des observations à la fois "
                       "avant et après son démarrage : l'effet ne peut pas être estimé.")
    # Comparison territories (never treated in the window) get no relative time.
    ever_treated = frame.groupby("unit")["treated"].transform("any")
    frame["rel_time"] = (frame["year"] - frame["first_treated"]).where(ever_treated)
    return _Sample(frame, first, n_without_pre, int((~imputable).sum()))


def _validated_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel's four columns, typed, without missing values; French errors when malformed."""
    missing = {"unit", "year", "y", "first_treated"} - set(panel.columns)
    if missing:
        raise DidError("Le panneau doit contenir les colonnes unit, year, y et first_treated "
                       f"(manquantes : {', '.join(sorted(missing))}).")
    frame = panel[["unit", "year", "y", "first_treated"]].dropna(subset=["unit", "year", "y"])
    frame = frame.astype({"year": int, "y": float, "first_treated": float})
    frame = frame.assign(unit=frame["unit"].astype(str)).reset_index(drop=True)
    if frame.empty:
        raise DidError("Aucune valeur observée : l'indicateur n'est mesuré sur aucun territoire.")
    if frame.duplicated(["unit", "year"]).any():
        raise DidError("Plusieurs valeurs pour un même territoire et une même année : "
                       "regroupez-les avant l'estimation.")
    if (frame.groupby("unit")["first_treated"].nunique(dropna=False) > 1).any():
        raise DidError("L'année de démarrage doit être la même sur toutes les lignes d'un "
                       "territoire.")
    return frame


def _fixed_effects_matrix(frame: pd.DataFrame) -> np.ndarray:
    """Unit and year dummies (all levels: the pseudo-inverse deals with the collinearity)."""
    unit_index = pd.factorize(frame["unit"])[0]
    year_index = pd.factorize(frame["year"])[0]
    n_units, n_years = unit_index.max() + 1, year_index.max() + 1
    design = np.zeros((len(frame), n_units + n_years))
    design[np.arange(len(frame)), unit_index] = 1.0
    design[np.arange(len(frame)), n_units + year_index] = 1.0
    return design


# --- point estimates ---------------------------------------------------------------------------

def _library_imputation_gaps(frame: pd.DataFrame) -> np.ndarray:
    """Observed − imputed for every row, the first step fitted by pyfixest on untreated rows.

    Imported here: pyfixest takes ~2 s to import (it loads matplotlib), paid on first use only.
    fixef_rm="none" keeps territories with a single untreated year (pyfixest's did2s drops them and
    then fails); the 1e-12 tolerances make the recovered fixed effects exact to rounding.
    """
    import pyfixest as pf

    untreated = frame.loc[~frame["treated"], ["unit", "year", "y"]]
    fit = pf.feols("y ~ 1 | unit + year", data=untreated, fixef_rm="none", vcov="iid")
    imputed = fit.predict(newdata=frame[["unit", "year"]], atol=1e-12, btol=1e-12)
    return frame["y"].to_numpy() - np.asarray(imputed, dtype=float)


@dataclass(frozen=True)
class _FirstStage:
    """The imputation step as a linear map: gaps = y − X (X₀⁺ y₀), X = unit + year dummies."""

    design: np.ndarray           # N × p
    untreated: np.ndarray        # N, bool
    pseudo_inverse: np.ndarray   # p × N₀

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _FirstStage:
        design = _fixed_effects_matrix(frame)
        untreated = ~frame["treated"].to_numpy()
        return cls(design, untreated, np.linalg.pinv(design[untreated]))

    def imputable_rows(self) -> np.ndarray:
        """Untreated rows, and treated rows whose unit + year effects the untreated rows identify.

        A treated cell of a year with no untreated observation (gaps in the data) has no imputed
        counterfactual: its dummies are not in the row space of the first-step design.
        """
        row_space = self.pseudo_inverse @ self.design[self.untreated]
        gap = np.linalg.norm(self.design - self.design @ row_space, axis=1)
        return self.untreated | (gap < _ESTIMABLE_TOLERANCE)

    def restricted_to(self, rows: np.ndarray) -> _FirstStage:
        """The same first step on a subset of rows that keeps every untreated row."""
        assert rows[self.untreated].all()
        return _FirstStage(self.design[rows], self.untreated[rows], self.pseudo_inverse)

    def gaps(self, values: np.ndarray) -> np.ndarray:
        """Observed − imputed, for a vector or for each column of a matrix."""
        return values - self.design @ (self.pseudo_inverse @ values[self.untreated])


@dataclass(frozen=True)
class _SecondStage:
    """Cell means of the gaps: coefficient k = mean gap over the rows of cell k.

    As a linear estimator of y, coefficient k = a_k'y with a_k = b_k − c_k: b_k averages the cell's
    rows, c_k is how those rows' imputed values depend on the untreated rows.
    """

    dummies: np.ndarray     # N × K, each row in at most one cell
    mean_weights: np.ndarray    # b, N × K
    correction: np.ndarray      # c, N × K, zero outside untreated rows

    @classmethod
    def of(cls, first: _FirstStage, dummies: np.ndarray) -> _SecondStage:
        mean_weights = dummies / dummies.sum(axis=0)
        correction = np.zeros_like(mean_weights)
        correction[first.untreated] = first.pseudo_inverse.T @ (first.design.T @ mean_weights)
        return cls(dummies, mean_weights, correction)

    @property
    def weights(self) -> np.ndarray:
        """a: the estimates are weights.T @ y."""
        return self.mean_weights - self.correction

    def residuals(self, gaps: np.ndarray) -> np.ndarray:
        """Second-step residuals: each gap minus its cell mean (rows in no cell are unchanged)."""
        return gaps - self.dummies @ (self.mean_weights.T @ gaps)

    def score_contributions(self, first: _FirstStage, values: np.ndarray,
                            columns: list[int]) -> np.ndarray:
        """Per-row contributions to the did2s GMM score (Gardner 2021) of the coefficients
        `columns`, for y = each column of `values` (N × m).

        Returns len(columns) × N × m: b_k ⊙ (second-step residual) − c_k ⊙ (first-step residual),
        exactly the terms of pyfixest's did2s variance, so clustered sums reproduce it.
        """
        first_residuals = first.gaps(values)
        second_residuals = self.residuals(first_residuals)
        return (self.mean_weights.T[columns, :, None] * second_residuals[None]
                - self.correction.T[columns, :, None] * first_residuals[None])


def _cluster_matrix(frame: pd.DataFrame) -> np.ndarray:
    """N × G indicator of each row's territory (the bootstrap clusters)."""
    index = pd.factorize(frame["unit"])[0]
    clusters = np.zeros((len(frame), index.max() + 1))
    clusters[np.arange(len(frame)), index] = 1.0
    return clusters


# --- wild cluster bootstrap --------------------------------------------------------------------

def _webb_weights(reps: int, n_clusters: int, seed: int) -> np.ndarray:
    """reps × G Webb six-point weights (mean 0, variance 1): unlike Rademacher's two values they
    give enough distinct replicates when few clusters carry the treatment."""
    values = np.sqrt([1.5, 1.0, 0.5]) * np.array([[-1.0], [1.0]])
    rng = np.random.default_rng(seed)
    return values.ravel()[rng.integers(0, 6, size=(reps, n_clusters))]


@dataclass(frozen=True)
class _ScalarBootstrap:
    """WCR bootstrap of one coefficient, as closed forms in the hypothesised value θ₀.

    Replicate r: t*_r(θ₀) = (n0_r + θ₀ n1_r) / sqrt(q0_r + 2 θ₀ q1_r + θ₀² q2_r);
    observed: t(θ₀) = (θ̂ − θ₀) / se. p(θ₀) = share of |t*| ≥ |t|.
    """

    estimate: float
    standard_error: float
    n0: np.ndarray
    n1: np.ndarray
    q0: np.ndarray
    q1: np.ndarray
    q2: np.ndarray

    def p_value(self, theta0: float) -> float:
        if self.standard_error <= 0:   # an exact fit: only the estimate itself is not rejected
            return 1.0 if math.isclose(theta0, self.estimate, abs_tol=1e-12) else 0.0
        observed = abs(self.estimate - theta0) / self.standard_error
        numerator = np.abs(self.n0 + theta0 * self.n1)
        variance = np.maximum(self.q0 + 2 * theta0 * self.q1 + theta0 ** 2 * self.q2, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            replicate = np.where(variance > 0, numerator / np.sqrt(variance),
                                 np.where(numerator > 0, np.inf, 0.0))
        return float(np.mean(replicate >= observed * (1 - 1e-12)))

    def interval(self, level: float = CONFIDENCE_LEVEL) -> tuple[float, float] | None:
        """Every θ₀ the test does not reject at 1 − level; None when a side is unbounded."""
        if self.standard_error <= 0:
            return self.estimate, self.estimate
        bounds = [self._bound(direction, 1 - level) for direction in (-1.0, 1.0)]
        if None in bounds:
            return None
        return bounds[0], bounds[1]

    def _bound(self, direction: float, alpha: float) -> float | None:
        inside, step = self.estimate, self.standard_error
        while step <= _UNBOUNDED_FACTOR * self.standard_error:   # bracket the crossing …
            candidate = self.estimate + direction * step
            if self.p_value(candidate) < alpha:
                outside = candidate
                break
            inside, step = candidate, step * 2
        else:
            return None
        for _ in range(60):                                        # … then bisect it
            middle = (inside + outside) / 2
            if self.p_value(middle) >= alpha:
                inside = middle
            else:
                outside = middle
            if abs(outside - inside) < 1e-4 * self.standard_error:   # far below display precision
                break
        return (inside + outside) / 2


def _scalar_bootstrap(first: _FirstStage, second: _SecondStage, column: int, y: np.ndarray,
                      clusters: np.ndarray, weights: np.ndarray) -> _ScalarBootstrap:
    """Bootstrap of coefficient `column` of `second`, null "θ = θ₀" imposed.

    Restricted model (the two-step GMM with θ fixed; the first step does not involve θ): fitted =
    imputed + θ₀ on the cell's rows; residuals = first-step residuals on untreated rows and
    gap − θ₀ on the cell's rows (no other row enters this coefficient or its score). Both are
    affine in θ₀, so numerator and score of every replicate are too.
    """
    gaps = first.gaps(y)
    cell = second.dummies[:, column]
    relevant = first.untreated | (cell > 0)
    pieces = []
    for residual in (np.where(relevant, gaps, 0.0), -cell):       # constant part, then slope in θ₀
        per_cluster = residual[:, None] * clusters                # N × G
        numerator = weights @ (second.weights[:, column] @ per_cluster)
        score = clusters.T @ second.score_contributions(first, per_cluster, [column])[0]  # G × G
        pieces.append((numerator, weights @ score.T))             # replicates × G
    (n0, a0), (n1, a1) = pieces
    observed_score = clusters.T @ second.score_contributions(first, y[:, None], [column])[0, :, 0]
    standard_error = float(np.sqrt(observed_score @ observed_score))
    return _ScalarBootstrap(
        estimate=float(second.weights[:, column] @ y),
        standard_error=standard_error if standard_error > _exact_fit_scale(y) else 0.0,
        n0=n0, n1=n1, q0=np.sum(a0 * a0, axis=1), q1=np.sum(a0 * a1, axis=1),
        q2=np.sum(a1 * a1, axis=1))


@dataclass(frozen=True)
class _PretrendBootstrap:
    """Null-imposed (parallel trends) bootstrap of the pre-period coefficients."""

    critical_values: np.ndarray     # per coefficient, 95 % quantile of |t*|
    standard_errors: np.ndarray
    joint_p_value: float


def _pretrend_bootstrap(first: _FirstStage, second: _SecondStage, columns: list[int],
                        y: np.ndarray, clusters: np.ndarray, weights: np.ndarray,
                        level: float = CONFIDENCE_LEVEL) -> _PretrendBootstrap:
    """Wald test of "all pre-period gaps are 0": under it, y on untreated rows is fixed effects +
    noise, so the restricted residuals are the first-step residuals (pre-period coefficients and
    their scores involve untreated rows only)."""
    residual = np.where(first.untreated, first.gaps(y), 0.0)
    per_cluster = residual[:, None] * clusters
    coefficient_weights = second.weights[:, columns]                               # N × P
    replicates = weights @ (coefficient_weights.T @ per_cluster).T                 # R × P
    scores = clusters.T @ second.score_contributions(first, per_cluster, columns)  # P × G × G
    replicate_scores = weights @ scores.transpose(0, 2, 1)                         # P × R × G
    replicate_covariance = np.einsum("prg,qrg->rpq", replicate_scores, replicate_scores,
                                     optimize=True)

    estimate = coefficient_weights.T @ y
    observed_scores = clusters.T @ second.score_contributions(first, y[:, None], columns)[:, :, 0].T
    covariance = observed_scores.T @ observed_scores
    observed_wald = float(estimate @ np.linalg.pinv(covariance, rtol=1e-10, hermitian=True)
                          @ estimate)
    inverse = np.linalg.pinv(replicate_covariance, rtol=1e-10, hermitian=True)
    replicate_wald = np.einsum("rp,rpq,rq->r", replicates, inverse, replicates)

    replicate_errors = np.sqrt(np.einsum("rpp->rp", replicate_covariance))
    with np.errstate(divide="ignore", invalid="ignore"):
        replicate_t = np.abs(np.where(replicate_errors > 0, replicates / replicate_errors, 0.0))
    standard_errors = np.sqrt(np.diag(covariance))
    if np.all(standard_errors <= _exact_fit_scale(y)):   # exact fit: no sampling noise at all
        exact_zero = bool(np.all(np.abs(estimate) <= _exact_fit_scale(y)))
        return _PretrendBootstrap(np.zeros(len(columns)), np.zeros(len(columns)),
                                  1.0 if exact_zero else 0.0)
    return _PretrendBootstrap(
        critical_values=_critical_values(replicate_t, 1 - level),
        standard_errors=standard_errors,
        joint_p_value=float(np.mean(replicate_wald >= observed_wald * (1 - 1e-12))))


def _exact_fit_scale(y: np.ndarray) -> float:
    """Standard errors below this are rounding noise of an exact fit."""
    return _EXACT_FIT_TOLERANCE * (1.0 + float(np.max(np.abs(y))))


def _critical_values(replicate_t: np.ndarray, alpha: float) -> np.ndarray:
    """Per column, the largest |t| with a bootstrap p-value ≥ alpha (the ⌈alpha·R⌉-th largest)."""
    rank = max(math.ceil(alpha * len(replicate_t)), 1)
    return -np.sort(-replicate_t, axis=0)[rank - 1]


# --- estimate ----------------------------------------------------------------------------------

def estimate_staggered_did(panel: pd.DataFrame, *, reps: int = 999, seed: int = 0,
                           min_treated: int = MIN_TREATED_UNITS) -> StaggeredDidResult:
    """Imputation difference-in-differences with wild-cluster-bootstrap intervals.

    `panel`: unit, year, y, first_treated (see build_staggered_panel); rows with missing y are
    dropped. Raises DidError (French) when no effect can be estimated.
    """
    if reps < 99:
        raise DidError("Au moins 99 tirages du bootstrap sont nécessaires.")
    sample = _prepare_sample(panel)
    frame, first = sample.frame, sample.first_stage
    y = frame["y"].to_numpy()
    gaps = _checked_gaps(frame, first, y)
    clusters = _cluster_matrix(frame)
    weights = _webb_weights(reps, clusters.shape[1], seed)

    treated = frame["treated"].to_numpy()
    n_treated = frame.loc[treated, "unit"].nunique()
    overall = _SecondStage.of(first, treated[:, None].astype(float))
    att = float(gaps[treated].mean())
    ci, p_value, withheld = None, None, None
    if n_treated < min_treated:
        withheld = (f"Moins de {min_treated} territoires ont démarré l'innovation dans la période "
                    f"({n_treated}) : l'incertitude ne peut pas être estimée de façon fiable ; "
                    "l'estimation est indicative.")
    else:
        test = _scalar_bootstrap(first, overall, 0, y, clusters, weights)
        p_value = test.p_value(0.0)
        ci = test.interval()
        if ci is None:
            withheld = ("L'intervalle de confiance n'est pas borné : les données ne permettent pas "
                        "de situer l'effet.")

    event_study, pretrend_p_value, pretrend_reason, reference = _event_study(
        frame, first, gaps, y, clusters, weights, min_treated)
    n_control = frame.loc[frame["rel_time"].isna(), "unit"].nunique()
    return StaggeredDidResult(
        att=att,
        ci_low=None if ci is None else ci[0],
        ci_high=None if ci is None else ci[1],
        p_value=p_value,
        n_treated=int(n_treated),
        n_control=int(n_control),
        n_observations=len(frame),
        event_study=event_study,
        pretrend_p_value=pretrend_p_value,
        interval_withheld_reason=withheld,
        method=_method_text(frame, int(n_treated), int(n_control), reps, sample,
                            interval_shown=ci is not None),
        pretrend_withheld_reason=pretrend_reason,
        n_units_without_pre_period=sample.n_units_without_pre_period,
        n_cells_not_imputable=sample.n_cells_not_imputable,
        reference_rel_time=reference,
        bootstrap_reps=reps,
    )


def _checked_gaps(frame: pd.DataFrame, first: _FirstStage, y: np.ndarray) -> np.ndarray:
    """The library's observed − imputed gaps, checked against the linear map the bootstrap uses."""
    gaps = _library_imputation_gaps(frame)
    scale = 1.0 + float(np.max(np.abs(y)))
    if not np.all(np.abs(gaps - first.gaps(y)) <= _AGREEMENT_TOLERANCE * scale):
        raise DidError("Le calcul des valeurs attendues sans l'innovation n'a pas convergé : "
                       "l'estimation n'est pas fiable sur ces données.")
    return gaps


def _event_study(frame: pd.DataFrame, first: _FirstStage, gaps: np.ndarray, y: np.ndarray,
                 clusters: np.ndarray, weights: np.ndarray, min_treated: int):
    """Event-study table, joint pre-trend p-value (or its French reason) and the reference.

    Cells are years relative to the start; the reference is the last pre-period year observed.
    """
    rel_time = frame["rel_time"].to_numpy()
    observed = np.unique(rel_time[~np.isnan(rel_time)]).astype(int)
    reference = int(observed[observed < 0].max())
    cells = [int(k) for k in observed if k != reference]
    dummies = np.column_stack([(rel_time == k).astype(float) for k in cells])
    second = _SecondStage.of(first, dummies)

    units = {int(k): int(n) for k, n in frame.groupby("rel_time")["unit"].nunique().items()}
    estimates = (dummies.T @ gaps) / dummies.sum(axis=0)
    low, high = np.full(len(cells), np.nan), np.full(len(cells), np.nan)
    for column, k in enumerate(cells):
        if k >= 0 and units[k] >= min_treated:
            interval = _scalar_bootstrap(first, second, column, y, clusters, weights).interval()
            if interval is not None:
                low[column], high[column] = interval

    tested = [column for column, k in enumerate(cells) if k < 0 and units[k] >= min_treated]
    pretrend_p_value, reason = None, None
    if tested:
        pretrend = _pretrend_bootstrap(first, second, tested, y, clusters, weights)
        pretrend_p_value = pretrend.joint_p_value
        half_width = pretrend.critical_values * pretrend.standard_errors
        low[tested] = estimates[tested] - half_width
        high[tested] = estimates[tested] + half_width
    else:
        reason = (f"Aucune année avant le démarrage (hors année de référence) ne compte au moins "
                  f"{min_treated} territoires : les tendances antérieures ne peuvent pas être "
                  "vérifiées.")

    table = pd.DataFrame({"rel_time": cells, "estimate": estimates, "ci_low": low,
                          "ci_high": high, "units": [units[k] for k in cells],
                          "reference": False})
    reference_row = pd.DataFrame({"rel_time": [reference], "estimate": [0.0], "ci_low": [np.nan],
                                  "ci_high": [np.nan], "units": [units[reference]],
                                  "reference": [True]})
    table = pd.concat([table, reference_row], ignore_index=True)
    table = table.sort_values("rel_time", ignore_index=True).astype(
        {"rel_time": int, "units": int, "reference": bool})
    return table, pretrend_p_value, reason, reference


def _method_text(frame: pd.DataFrame, n_treated: int, n_control: int, reps: int,
                 sample: _Sample, interval_shown: bool) -> str:
    """One paragraph, in French, for an elected official: what, how, and what it cannot say."""
    first_year, last_year = int(frame["year"].min()), int(frame["year"].max())
    treated = _territories(n_treated, "a démarré", "ont démarré")
    control = _territories(n_control, "ne l'a pas démarrée", "ne l'ont pas démarrée")
    uncertainty = _uncertainty_sentence(reps, interval_shown)
    text = (
        f"Nous comparons l'évolution de l'indicateur, de {first_year} à {last_year}, dans "
        f"{treated} l'innovation et dans {control}. Pour chaque territoire et chaque année après "
        "son démarrage, nous estimons la valeur qu'aurait eue l'indicateur sans l'innovation : le "
        "niveau habituel du territoire, mesuré avant son démarrage, plus l'évolution de cette "
        "année-là dans les territoires qui n'avaient pas (encore) l'innovation. L'effet estimé est "
        "l'écart moyen entre la valeur observée et cette valeur attendue ; il est aussi donné "
        "année par année depuis le démarrage. Les écarts des années précédant le démarrage servent "
        "de contrôle : s'ils sont nettement différents de zéro, les territoires n'évoluaient déjà "
        f"pas de la même façon et l'estimation n'est pas fiable. {uncertainty} La méthode ne "
        "prouve pas que l'innovation est la cause de l'écart : d'autres changements survenus au "
        "même moment, ou les raisons pour lesquelles ces territoires ont choisi l'innovation, "
        "peuvent l'expliquer.")
    left_out = sample.n_units_without_pre_period
    if left_out:
        who = "Un territoire" if left_out == 1 else f"{left_out} territoires"
        verb = "est écarté" if left_out == 1 else "sont écartés"
        text += (f" {who} ayant démarré avant la première année mesurée {verb} : sans année "
                 "avant le démarrage, l'évolution attendue sans l'innovation ne peut pas y être "
                 "estimée.")
    if sample.n_cells_not_imputable:
        text += (" Valeurs écartées faute de territoire de comparaison mesuré la même année : "
                 f"{sample.n_cells_not_imputable}.")
    return text


def _uncertainty_sentence(reps: int, interval_shown: bool) -> str:
    """How the interval was made, or that there is none."""
    if not interval_shown:
        return "L'incertitude n'est pas chiffrée ici : l'estimation est indicative."
    return (f"L'intervalle à 95 % vient d'un bootstrap sauvage par territoire ({reps} tirages), "
            "adapté aux petits effectifs ; il ne mesure que l'effet du hasard.")


def _territories(count: int, singular: str, plural: str) -> str:
    """'le seul territoire qui a démarré' / 'les 12 territoires qui ont démarré'."""
    if count == 1:
        return f"le seul territoire qui {singular}"
    return f"les {count} territoires qui {plural}"
