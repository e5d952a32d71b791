"""Wild cluster restricted bootstrap of the imputation estimates (Webb weights, clusters =
territories): every replicate is a matrix product, the interval is the set of values the test
does not reject."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from essaim.methods.did_stages import (
    CONFIDENCE_LEVEL,
    EXACT_FIT_TOLERANCE,
    UNBOUNDED_FACTOR,
    FirstStage,
    SecondStage,
)

# --- wild cluster bootstrap --------------------------------------------------------------------

def webb_weights(reps: int, n_clusters: int, seed: int) -> np.ndarray:
    """reps × G Webb six-point weights (mean 0, variance 1): unlike Rademacher's two values they
    give enough distinct replicates when few clusters carry the treatment."""
    values = np.sqrt([1.5, 1.0, 0.5]) * np.array([[-1.0], [1.0]])
    rng = np.random.default_rng(seed)
    return values.ravel()[rng.integers(0, 6, size=(reps, n_clusters))]


@dataclass(frozen=True)
class ScalarBootstrap:
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
        while step <= UNBOUNDED_FACTOR * self.standard_error:   # bracket the crossing …
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


def scalar_bootstrap(first: FirstStage, second: SecondStage, column: int, y: np.ndarray,
                      clusters: np.ndarray, weights: np.ndarray) -> ScalarBootstrap:
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
    return ScalarBootstrap(
        estimate=float(second.weights[:, column] @ y),
        standard_error=standard_error if standard_error > exact_fit_scale(y) else 0.0,
        n0=n0, n1=n1, q0=np.sum(a0 * a0, axis=1), q1=np.sum(a0 * a1, axis=1),
        q2=np.sum(a1 * a1, axis=1))


@dataclass(frozen=True)
class PretrendBootstrap:
    """Null-imposed (parallel trends) bootstrap of the pre-period coefficients."""

    critical_values: np.ndarray     # per coefficient, 95 % quantile of |t*|
    standard_errors: np.ndarray
    joint_p_value: float


def pretrend_bootstrap(first: FirstStage, second: SecondStage, columns: list[int],
                        y: np.ndarray, clusters: np.ndarray, weights: np.ndarray,
                        level: float = CONFIDENCE_LEVEL) -> PretrendBootstrap:
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
    if np.all(standard_errors <= exact_fit_scale(y)):   # exact fit: no sampling noise at all
        exact_zero = bool(np.all(np.abs(estimate) <= exact_fit_scale(y)))
        return PretrendBootstrap(np.zeros(len(columns)), np.zeros(len(columns)),
                                  1.0 if exact_zero else 0.0)
    return PretrendBootstrap(
        critical_values=critical_values(replicate_t, 1 - level),
        standard_errors=standard_errors,
        joint_p_value=float(np.mean(replicate_wald >= observed_wald * (1 - 1e-12))))


def exact_fit_scale(y: np.ndarray) -> float:
    """Standard errors below this are rounding noise of an exact fit."""
    return EXACT_FIT_TOLERANCE * (1.0 + float(np.max(np.abs(y))))


def critical_values(replicate_t: np.ndarray, alpha: float) -> np.ndarray:
    """Per column, the largest |t| with a bootstrap p-value ≥ alpha (the ⌈alpha·R⌉-th largest)."""
    rank = max(math.ceil(alpha * len(replicate_t)), 1)
    return -np.sort(-replicate_t, axis=0)[rank - 1]
