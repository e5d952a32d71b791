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

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from essaim.methods.did_bootstrap import (
    pretrend_bootstrap,
    scalar_bootstrap,
    webb_weights,
)
from essaim.methods.did_stages import (
    AGREEMENT_TOLERANCE,
    DidError,
    FirstStage,
    Sample,
    SecondStage,
    cluster_matrix,
    library_imputation_gaps,
    prepare_sample,
)

# From simulations with no true effect (42 territories, 2016–2022, AR(1) noise of SD ≈ 1, staggered
# starts, 400 panels each; `python -m tests.test_did` reproduces these figures), coverage of the
# 95 % interval forced out for 1, 2, 3, 4, 5, 6, 8, 12 treated territories: 100 % (always
# unbounded), 100 % (97 % unbounded), 99.3 % (median width 11.7), 98.0 % (3.9), 96.0 % (2.3),
# 95.8 % (2.1), 93.8 % (1.7), 95.3 % (1.4).
# Treated territories twice as noisy as the others, or half as noisy, and 2018–2022 panels give the
# same picture. With 3 or fewer the interval is valid only by being about 5 times wider than with
# 6 — it says nothing; from 4 on it is calibrated (96–98 %) and finite.
MIN_TREATED_UNITS = 4
STAGE_DATE_COLUMNS = {"0": "date_etape_0", "I": "date_etape_i", "II": "date_etape_ii",
                      "III": "date_etape_iii", "IV": "date_etape_iv"}



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


# --- estimate ----------------------------------------------------------------------------------

def estimate_staggered_did(panel: pd.DataFrame, *, reps: int = 999, seed: int = 0,
                           min_treated: int = MIN_TREATED_UNITS) -> StaggeredDidResult:
    """Imputation difference-in-differences with wild-cluster-bootstrap intervals.

    `panel`: unit, year, y, first_treated (see build_staggered_panel); rows with missing y are
    dropped. Raises DidError (French) when no effect can be estimated.
    """
    if reps < 99:
        raise DidError("Au moins 99 tirages du bootstrap sont nécessaires.")
    sample = prepare_sample(panel)
    frame, first = sample.frame, sample.first_stage
    y = frame["y"].to_numpy()
    gaps = _checked_gaps(frame, first, y)
    clusters = cluster_matrix(frame)
    weights = webb_weights(reps, clusters.shape[1], seed)

    treated = frame["treated"].to_numpy()
    n_treated = frame.loc[treated, "unit"].nunique()
    overall = SecondStage.of(first, treated[:, None].astype(float))
    att = float(gaps[treated].mean())
    ci, p_value, withheld = None, None, None
    if n_treated < min_treated:
        withheld = (f"Moins de {min_treated} territoires ont démarré l'innovation dans la période "
                    f"({n_treated}) : l'incertitude ne peut pas être estimée de façon fiable ; "
                    "l'estimation est indicative.")
    else:
        test = scalar_bootstrap(first, overall, 0, y, clusters, weights)
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


def _checked_gaps(frame: pd.DataFrame, first: FirstStage, y: np.ndarray) -> np.ndarray:
    """The library's observed − imputed gaps, checked against the linear map the bootstrap uses."""
    gaps = library_imputation_gaps(frame)
    scale = 1.0 + float(np.max(np.abs(y)))
    if not np.all(np.abs(gaps - first.gaps(y)) <= AGREEMENT_TOLERANCE * scale):
        raise DidError("Le calcul des valeurs attendues sans l'innovation n'a pas convergé : "
                       "l'estimation n'est pas fiable sur ces données.")
    return gaps


def _event_study(frame: pd.DataFrame, first: FirstStage, gaps: np.ndarray, y: np.ndarray,
                 clusters: np.ndarray, weights: np.ndarray, min_treated: int):
    """Event-study table, joint pre-trend p-value (or its French reason) and the reference.

    Cells are years relative to the start; the reference is the last pre-period year observed.
    """
    rel_time = frame["rel_time"].to_numpy()
    observed = np.unique(rel_time[~np.isnan(rel_time)]).astype(int)
    reference = int(observed[observed < 0].max())
    cells = [int(k) for k in observed if k != reference]
    dummies = np.column_stack([(rel_time == k).astype(float) for k in cells])
    second = SecondStage.of(first, dummies)

    units = {int(k): int(n) for k, n in frame.groupby("rel_time")["unit"].nunique().items()}
    estimates = (dummies.T @ gaps) / dummies.sum(axis=0)
    low, high = np.full(len(cells), np.nan), np.full(len(cells), np.nan)
    for column, k in enumerate(cells):
        if k >= 0 and units[k] >= min_treated:
            interval = scalar_bootstrap(first, second, column, y, clusters, weights).interval()
            if interval is not None:
                low[column], high[column] = interval

    tested = [column for column, k in enumerate(cells) if k < 0 and units[k] >= min_treated]
    pretrend_p_value, reason = None, None
    if tested:
        pretrend = pretrend_bootstrap(first, second, tested, y, clusters, weights)
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
                 sample: Sample, interval_shown: bool) -> str:
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
