"""Staggered difference-in-differences (essaim.methods.did): estimator, event study, bootstrap, refusals.

Run as a script (`python -m tests.test_did`) it prints the coverage of the interval with few treated
territories, the simulation behind MIN_TREATED_UNITS.
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pandas as pd
import pytest

from essaim.methods import did, did_bootstrap, did_stages
from essaim.methods.did import (
    MIN_TREATED_UNITS,
    DidError,
    build_staggered_panel,
    estimate_staggered_did,
    treatment_start_years,
)

START_YEARS = (2019, 2020, 2021, 2018)


def simulate_panel(seed: int, *, n_units: int = 42, n_treated: int = 12,
                   years: range = range(2016, 2023), effect_by_rel_time=None, rho: float = 0.5,
                   noise: float = 1.0) -> pd.DataFrame:
    """A panel like the app's: unit and year effects, staggered starts (cycling START_YEARS),
    AR(1) noise within a territory with a territory-specific scale (heterogeneity), and the given
    effect per year since the start (none by default). noise=0 gives an exact panel."""
    rng = np.random.default_rng(seed)
    year_effect = {year: rng.normal(0, 2) for year in years}
    rows = []
    for unit in range(n_units):
        start = START_YEARS[unit % len(START_YEARS)] if unit < n_treated else np.nan
        level, scale = rng.normal(50, 8), noise * rng.uniform(0.5, 1.5)
        error = rng.normal(0, scale)
        for year in years:
            error = rho * error + np.sqrt(1 - rho ** 2) * rng.normal(0, scale)
            effect = 0.0
            if effect_by_rel_time is not None and year >= start:
                effect = effect_by_rel_time(year - start)
            rows.append((f"t{unit:02d}", year, level + year_effect[year] + effect + error, start))
    return pd.DataFrame(rows, columns=["unit", "year", "y", "first_treated"])


def exact_imputation_gaps(panel: pd.DataFrame) -> np.ndarray:
    """Observed − imputed by ordinary least squares on dummies (independent of the module)."""
    treated = (panel["year"] >= panel["first_treated"]).to_numpy()
    dummies = pd.get_dummies(panel["unit"]).join(pd.get_dummies(panel["year"], prefix="y"))
    design = dummies.to_numpy(float)
    coefficients = np.linalg.lstsq(design[~treated], panel["y"].to_numpy()[~treated], rcond=None)[0]
    return panel["y"].to_numpy() - design @ coefficients


# --- inputs ------------------------------------------------------------------------------------

def _essaimage(code, innovation, territory, **dates):
    row = {"code": code, "innovation_code": innovation, "territory_code": territory,
           "start_date": dt.date(2017, 1, 1), "stage": "III"}
    for column in did.STAGE_DATE_COLUMNS.values():
        row[column] = dates.get(column)
    return row


def test_treatment_start_years_reads_the_stage_date_and_skips_territories_without_it():
    essaimages = pd.DataFrame([
        _essaimage("e1", "tapaj", "A", date_etape_ii=dt.date(2018, 5, 1),
                   date_etape_iii=dt.date(2020, 3, 1)),
        _essaimage("e2", "tapaj", "B", date_etape_ii=dt.date(2019, 1, 1)),   # no stage III date
        _essaimage("e3", "tapaj", "C", date_etape_iii=pd.NaT),
        _essaimage("e4", "rallyes", "D", date_etape_iii=dt.date(2019, 1, 1)),  # other innovation
        _essaimage("e5", "tapaj", "E", date_etape_iii=dt.date(2021, 9, 1)),
        _essaimage("e6", "tapaj", "E", date_etape_iii=dt.date(2019, 2, 1)),   # earliest wins
    ])
    assert treatment_start_years(essaimages, "tapaj") == {"A": 2020, "E": 2019}
    assert treatment_start_years(essaimages, "tapaj", stage="II") == {"A": 2018, "B": 2019}
    with pytest.raises(DidError, match="Étape inconnue"):
        treatment_start_years(essaimages, "tapaj", stage="V")


def test_build_staggered_panel_parses_years_and_marks_start_years():
    values = pd.DataFrame({
        "territory_code": ["A", "A", "B", "B", "B"],
        "period": ["2021", "2020", "2020", "2021", "2021"],
        "value": [3.0, 1.0, 5.0, 6.0, 8.0],   # B 2021 twice (two sources): averaged
    })
    panel = build_staggered_panel(values, {"A": 2021, "Z": 2019})
    assert list(panel.columns) == ["unit", "year", "y", "first_treated"]
    assert panel["year"].tolist() == [2020, 2021, 2020, 2021]
    assert panel["year"].dtype.kind == "i"
    assert panel["y"].tolist() == [1.0, 3.0, 5.0, 7.0]
    assert panel["first_treated"].tolist()[:2] == [2021.0, 2021.0]
    assert panel["first_treated"].iloc[2:].isna().all()   # B has no start year: never treated
    with pytest.raises(DidError, match="années"):
        build_staggered_panel(values.assign(period="2021-T1"), {})


# --- point estimates ---------------------------------------------------------------------------

def test_two_by_two_effect_is_the_difference_of_mean_changes():
    rng = np.random.default_rng(3)
    rows = []
    for unit in range(12):
        start = 2021.0 if unit < 6 else np.nan
        for year in (2020, 2021):
            rows.append((f"u{unit}", year, rng.normal(10, 3), start))
    panel = pd.DataFrame(rows, columns=["unit", "year", "y", "first_treated"])
    means = panel.groupby([panel["first_treated"].notna(), "year"])["y"].mean()
    expected = ((means[(True, 2021)] - means[(True, 2020)])
                - (means[(False, 2021)] - means[(False, 2020)]))
    result = estimate_staggered_did(panel, reps=199)
    assert result.att == pytest.approx(expected, abs=1e-9)
    assert (result.n_treated, result.n_control, result.n_observations) == (6, 6, 24)
    study = result.event_study.set_index("rel_time")
    assert study.loc[0, "estimate"] == pytest.approx(expected, abs=1e-9)
    assert bool(study.loc[-1, "reference"]) and study.loc[-1, "estimate"] == 0
    assert np.isnan(study.loc[-1, "ci_low"]) and np.isnan(study.loc[-1, "ci_high"])


def test_constant_effect_is_recovered_exactly_without_noise():
    panel = simulate_panel(1, noise=0.0, effect_by_rel_time=lambda k: -3.0)
    result = estimate_staggered_did(panel, reps=199)
    assert result.att == pytest.approx(-3.0, abs=1e-9)
    assert result.ci_low == pytest.approx(-3.0, abs=1e-6)
    assert result.ci_high == pytest.approx(-3.0, abs=1e-6)
    study = result.event_study
    post, pre = study[study["rel_time"] >= 0], study[study["rel_time"] < 0]
    np.testing.assert_allclose(post["estimate"], -3.0, atol=1e-9)
    np.testing.assert_allclose(pre["estimate"], 0.0, atol=1e-9)


def test_event_study_recovers_a_dynamic_effect_path():
    path = {0: -1.0, 1: -2.5, 2: -4.0, 3: -4.5, 4: -5.0}
    panel = simulate_panel(2, noise=0.0, effect_by_rel_time=lambda k: path[k])
    result = estimate_staggered_did(panel, reps=199)
    study = result.event_study.set_index("rel_time")
    assert sorted(study.index) == [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]
    for rel_time, effect in path.items():
        assert study.loc[rel_time, "estimate"] == pytest.approx(effect, abs=1e-9)
    np.testing.assert_allclose(study.loc[[-5, -4, -3, -2], "estimate"], 0.0, atol=1e-9)
    # The overall effect weights every treated territory-year equally.
    rel_times = (panel["year"] - panel["first_treated"]).dropna()
    expected = np.mean([path[k] for k in rel_times if k >= 0])
    assert result.att == pytest.approx(expected, abs=1e-9)
    # 12 treated territories cycling over 4 start years: 3 per cohort, so rel_time 4 (only the 2018
    # cohort, observed in 2022) has 3 territories and 0 … 1 have all 12.
    assert study.loc[4, "units"] == 3 and study.loc[0, "units"] == 12


def test_estimates_match_independent_least_squares_and_pyfixest_did2s():
    pf = pytest.importorskip("pyfixest")
    panel = simulate_panel(5, effect_by_rel_time=lambda k: 1.0 + 0.5 * k)
    result = estimate_staggered_did(panel, reps=199)
    gaps = exact_imputation_gaps(panel)
    treated = (panel["year"] >= panel["first_treated"]).to_numpy()
    assert result.att == pytest.approx(gaps[treated].mean(), abs=1e-9)

    data = panel.assign(treat=treated,
                        rel=(panel["year"] - panel["first_treated"]).fillna(-1.0))
    # pyfixest's did2s recovers fixed effects with lsqr at its default 1e-6 tolerance (no option to
    # tighten it), so it only agrees to ~1e-6; the exact comparison is the least-squares one above.
    static = pf.did2s(data, yname="y", first_stage="~0|unit+year", second_stage="~treat",
                      treatment="treat", cluster="unit")
    assert result.att == pytest.approx(static.coef().iloc[0], abs=1e-5)
    dynamic = pf.did2s(data, yname="y", first_stage="~0|unit+year",
                       second_stage="~i(rel,ref=-1.0)", treatment="treat", cluster="unit")
    library = {int(float(name.split("::")[1])): value for name, value in dynamic.coef().items()}
    ours = result.event_study.set_index("rel_time")["estimate"].drop(-1)
    assert set(library) == set(ours.index)
    for rel_time, value in library.items():
        assert ours[rel_time] == pytest.approx(value, abs=1e-5)


def test_bootstrap_linear_map_reproduces_estimates_and_pyfixest_standard_errors():
    """The bootstrap draws replicates from a'y and the did2s GMM score: both must be the
    library's estimator and standard error, or the interval is for something else."""
    pf = pytest.importorskip("pyfixest")
    panel = simulate_panel(6, effect_by_rel_time=lambda k: 2.0)
    result = estimate_staggered_did(panel, reps=199)
    sample = did_stages.prepare_sample(panel)
    frame, first = sample.frame, sample.first_stage
    y, treated = frame["y"].to_numpy(), frame["treated"].to_numpy()
    overall = did_stages.SecondStage.of(first, treated[:, None].astype(float))
    assert float(overall.weights[:, 0] @ y) == pytest.approx(result.att, abs=1e-8)

    clusters = did_stages.cluster_matrix(frame)
    test = did_bootstrap.scalar_bootstrap(first, overall, 0, y, clusters, did_bootstrap.webb_weights(99, 42, 0))
    data = frame.assign(treat=treated)
    static = pf.did2s(data, yname="y", first_stage="~0|unit+year", second_stage="~treat",
                      treatment="treat", cluster="unit")
    assert test.standard_error == pytest.approx(np.sqrt(static._vcov[0, 0]), rel=1e-5)

    study = result.event_study[~result.event_study["reference"]]
    dummies = np.column_stack([(frame["rel_time"] == k).to_numpy(float) for k in study["rel_time"]])
    dynamic = did_stages.SecondStage.of(first, dummies)
    np.testing.assert_allclose(dynamic.weights.T @ y, study["estimate"], atol=1e-8)
    contributions = dynamic.score_contributions(first, y[:, None], list(range(len(study))))
    scores = np.einsum("ng,knm->gk", clusters, contributions)
    library = pf.did2s(data.assign(rel=frame["rel_time"].fillna(-1.0)), yname="y",
                       first_stage="~0|unit+year", second_stage="~i(rel,ref=-1.0)",
                       treatment="treat", cluster="unit")
    # Same ~1e-6 lsqr tolerance on the library side as in the test above.
    np.testing.assert_allclose(scores.T @ scores, library._vcov, rtol=0,
                               atol=1e-4 * np.abs(library._vcov).max())


# --- inference ---------------------------------------------------------------------------------

def test_interval_covers_a_null_effect_at_its_nominal_rate():
    """500 panels with no effect, 12 treated of 42 territories: the 95 % interval must cover 0 in
    90–99 % of them (binomial SD ≈ 1 point; an SE ten times too small or too large lands far
    outside), and the pre-trend test must reject parallel trends (true here) about 5 % of the time.
    199 replicates keep it under ~30 s; 1,500 panels with other seeds gave 95.3 % and 5.7 %."""
    n_panels = 500
    started = time.perf_counter()
    covered, pretrend_rejected, widths = 0, 0, []
    covered_if_scaled = {0.1: 0, 10.0: 0}   # the same intervals, ten times narrower or wider
    for seed in range(n_panels):
        result = estimate_staggered_did(simulate_panel(10_000 + seed), reps=199, seed=seed)
        covered += result.ci_low <= 0.0 <= result.ci_high
        for factor in covered_if_scaled:
            low = result.att - factor * (result.att - result.ci_low)
            high = result.att + factor * (result.ci_high - result.att)
            covered_if_scaled[factor] += low <= 0.0 <= high
        pretrend_rejected += result.pretrend_p_value < 0.05
        widths.append(result.ci_high - result.ci_low)
    elapsed = time.perf_counter() - started
    print(f"coverage {covered / n_panels:.3f}, pre-trend rejections "
          f"{pretrend_rejected / n_panels:.3f}, median width {np.median(widths):.2f}, "
          f"{elapsed:.1f} s")
    assert 0.90 <= covered / n_panels <= 0.99
    assert 0.01 <= pretrend_rejected / n_panels <= 0.10
    # The range has teeth: a wrong scale by ten either way falls outside it.
    assert covered_if_scaled[0.1] / n_panels < 0.90 and covered_if_scaled[10.0] / n_panels > 0.99


def test_pretrend_test_flags_diverging_trends_before_the_start():
    panel = simulate_panel(7, noise=0.5)
    treated_unit = panel["first_treated"].notna()
    panel["y"] += np.where(treated_unit, 1.0 * (panel["year"] - 2016), 0.0)   # treated drift up
    result = estimate_staggered_did(panel, reps=399)
    assert result.pretrend_p_value < 0.01
    pre = result.event_study[(result.event_study["rel_time"] < -1)]
    # Residual gaps fall towards the start: earliest pre-period gap is the most negative.
    assert pre["estimate"].iloc[0] < pre["estimate"].iloc[-1] - 1.0


def test_too_few_treated_territories_get_no_interval_but_a_french_reason():
    panel = simulate_panel(8, n_treated=MIN_TREATED_UNITS - 1, effect_by_rel_time=lambda k: -2.0)
    result = estimate_staggered_did(panel, reps=199)
    assert result.n_treated == MIN_TREATED_UNITS - 1
    assert result.att == pytest.approx(-2.0, abs=1.5)
    assert (result.ci_low, result.ci_high, result.p_value) == (None, None, None)
    assert result.interval_withheld_reason.startswith(f"Moins de {MIN_TREATED_UNITS} territoires")
    assert "indicative" in result.interval_withheld_reason
    assert result.event_study["ci_low"].isna().all()
    assert result.pretrend_p_value is None and "tendances" in result.pretrend_withheld_reason
    assert "l'estimation est indicative" in result.method and "bootstrap" not in result.method


def test_enough_treated_territories_get_an_interval_and_no_reason():
    panel = simulate_panel(9, n_treated=MIN_TREATED_UNITS, effect_by_rel_time=lambda k: -2.0)
    result = estimate_staggered_did(panel, reps=199)
    assert result.interval_withheld_reason is None
    assert result.ci_low < result.att < result.ci_high
    assert 0 <= result.p_value <= 1


def test_no_comparison_territory_is_refused_in_french():
    panel = simulate_panel(1, n_units=8, n_treated=8)
    with pytest.raises(DidError, match="Aucun territoire de comparaison"):
        estimate_staggered_did(panel)


def test_no_pre_period_is_refused_in_french():
    panel = simulate_panel(1, n_units=10, n_treated=5)
    panel.loc[panel["first_treated"].notna(), "first_treated"] = 2016.0   # first observed year
    with pytest.raises(DidError, match="avant et après son démarrage"):
        estimate_staggered_did(panel)


def test_territories_without_a_pre_period_are_left_out_and_counted():
    panel = simulate_panel(4, effect_by_rel_time=lambda k: -1.0, noise=0.0)
    early = panel["unit"].isin(["t00", "t01"])
    panel.loc[early, "first_treated"] = 2015.0                 # before the data start
    panel.loc[early, "y"] += 100.0                             # would wreck the estimate if used
    result = estimate_staggered_did(panel, reps=199)
    assert result.n_units_without_pre_period == 2
    assert result.n_treated == 10
    assert result.att == pytest.approx(-1.0, abs=1e-9)
    assert ("2 territoires ayant démarré avant la première année mesurée sont écartés"
            in result.method)


def test_missing_values_and_years_without_comparison_are_dropped():
    panel = simulate_panel(4, effect_by_rel_time=lambda k: -1.0, noise=0.0)
    panel.loc[panel.index[::7], "y"] = np.nan
    full = estimate_staggered_did(panel, reps=199)
    assert full.n_observations == panel["y"].notna().sum()
    assert full.att == pytest.approx(-1.0, abs=1e-9)
    # 2022 measured only where the innovation runs: those cells cannot be imputed.
    untreated_2022 = (panel["year"] == 2022) & ~(panel["year"] >= panel["first_treated"])
    panel.loc[untreated_2022, "y"] = np.nan
    result = estimate_staggered_did(panel, reps=199)
    treated_2022 = (panel["year"] == 2022) & (panel["year"] >= panel["first_treated"])
    assert result.n_cells_not_imputable == int((treated_2022 & panel["y"].notna()).sum()) > 0
    assert result.att == pytest.approx(-1.0, abs=1e-9)
    assert ("faute de territoire de comparaison mesuré la même année : "
            f"{result.n_cells_not_imputable}.") in result.method


def test_one_estimate_with_999_replicates_is_fast():
    panel = simulate_panel(11, years=range(2015, 2023), effect_by_rel_time=lambda k: -1.0)
    estimate_staggered_did(panel)                               # pays the library import
    started = time.perf_counter()
    result = estimate_staggered_did(panel, reps=999)
    assert time.perf_counter() - started < 1.0
    assert result.bootstrap_reps == 999


def test_same_seed_same_interval_and_method_text_in_french():
    panel = simulate_panel(12, effect_by_rel_time=lambda k: -1.0)
    first, second = (estimate_staggered_did(panel, reps=199, seed=4) for _ in range(2))
    assert (first.ci_low, first.ci_high, first.p_value) == (second.ci_low, second.ci_high,
                                                            second.p_value)
    assert "12 territoires qui ont démarré l'innovation" in first.method
    assert "30 territoires" in first.method and "199 tirages" in first.method


def test_demo_data_show_the_built_in_tapaj_effect(dataset):
    values = dataset.indicator_values
    deld = values[(values["indicator_code"] == "deld_1000") & values["essaimage_code"].isna()]
    starts = treatment_start_years(dataset.essaimages, "tapaj")
    result = estimate_staggered_did(build_staggered_panel(deld, starts), reps=199)
    # The demo lowers long-term job seekers by 2 per 1,000 per year of TAPAJ (demo_generator); the
    # comparison territories run other innovations with the same built-in effect, hence less here.
    assert result.n_treated + result.n_units_without_pre_period == len(starts)
    assert result.n_treated >= MIN_TREATED_UNITS
    assert result.ci_low < result.att < result.ci_high < 0


# --- MIN_TREATED_UNITS: coverage with few treated territories (python -m tests.test_did) --------

def few_treated_coverage(n_treated: int, n_panels: int = 400) -> dict[str, float]:
    """Coverage of 0 (no effect) by the interval forced out for `n_treated` treated territories."""
    covered = unbounded = 0
    widths = []
    for seed in range(n_panels):
        panel = simulate_panel(1000 * n_treated + seed, n_treated=n_treated)
        result = estimate_staggered_did(panel, reps=399, seed=seed, min_treated=1)
        if result.ci_low is None:   # unbounded: covers everything, says nothing
            covered, unbounded = covered + 1, unbounded + 1
            continue
        covered += result.ci_low <= 0.0 <= result.ci_high
        widths.append(result.ci_high - result.ci_low)
    return {"coverage": covered / n_panels, "unbounded": unbounded / n_panels,
            "median_width": float(np.median(widths)) if widths else float("inf")}


if __name__ == "__main__":
    for count in (1, 2, 3, 4, 5, 6, 8, 12):
        print(count, few_treated_coverage(count), flush=True)
