"""Staggered difference-in-differences (essaim.methods.did): estimator, event study, pyfixest inference, refusals.

The simulation of coverage, bias and the pre-trend test is bench/bench_did.py (a smaller run in
tests/test_did_design.py, marked slow).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from essaim.methods import did
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
    # Étape II "or beyond": E has no Étape II date but reached Étape III in 2019.
    assert treatment_start_years(essaimages, "tapaj", stage="II") == {"A": 2018, "B": 2019,
                                                                      "E": 2019}
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
    result = estimate_staggered_did(panel)
    assert result.att == pytest.approx(expected, abs=1e-9)
    assert (result.n_treated, result.n_control, result.n_observations) == (6, 6, 24)
    study = result.event_study.set_index("rel_time")
    assert study.loc[0, "estimate"] == pytest.approx(expected, abs=1e-9)
    assert bool(study.loc[-1, "reference"]) and study.loc[-1, "estimate"] == 0
    assert np.isnan(study.loc[-1, "ci_low"]) and np.isnan(study.loc[-1, "ci_high"])


def test_constant_effect_is_recovered_exactly_without_noise():
    panel = simulate_panel(1, noise=0.0, effect_by_rel_time=lambda k: -3.0)
    result = estimate_staggered_did(panel)
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
    result = estimate_staggered_did(panel)
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
    result = estimate_staggered_did(panel)
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


def test_standard_errors_are_pyfixest_did2s_on_a_panel_it_accepts():
    """On a panel without singletons pyfixest's own did2s runs: its event-study standard errors
    are ours (same GMM covariance, the library's routine)."""
    pf = pytest.importorskip("pyfixest")
    panel = simulate_panel(6, effect_by_rel_time=lambda k: 2.0 + 0.3 * k)
    result = estimate_staggered_did(panel)
    treated = (panel["year"] >= panel["first_treated"]).to_numpy()
    data = panel.assign(treat=treated, rel=(panel["year"] - panel["first_treated"]).fillna(-1.0))
    library = pf.did2s(data, yname="y", first_stage="~0|unit+year",
                       second_stage="~i(rel,ref=-1.0)", treatment="treat", cluster="unit")
    errors = {int(float(n.split("::")[1])): v for n, v in library.se().items()}
    study = result.event_study.set_index("rel_time")
    half = did.critical_value(result.degrees_of_freedom)
    for rel_time, error in errors.items():
        if study.loc[rel_time, "units"] >= MIN_TREATED_UNITS:
            width = study.loc[rel_time, "ci_high"] - study.loc[rel_time, "ci_low"]
            assert width / (2 * half) == pytest.approx(error, rel=1e-4)
    # The average: the count-weighted mean of post-start coefficients, its error from the
    # library's covariance.
    post = [(k, n) for k, n in zip(study.index, study["units"]) if k >= 0]
    rel = (panel["year"] - panel["first_treated"])[treated].astype(int)
    weights = np.array([(rel == k).sum() for k, _ in post], dtype=float)
    weights /= weights.sum()
    names = [n for n in library.coef().index if float(n.split("::")[1]) >= 0]
    covariance = library._vcov[np.ix_([list(library.coef().index).index(n) for n in names],
                                      [list(library.coef().index).index(n) for n in names])]
    assert result.standard_error == pytest.approx(float(np.sqrt(weights @ covariance @ weights)),
                                                  rel=1e-4)


# --- inference ---------------------------------------------------------------------------------

def test_pretrend_test_flags_diverging_trends_before_the_start():
    panel = simulate_panel(7, noise=0.5)
    treated_unit = panel["first_treated"].notna()
    panel["y"] += np.where(treated_unit, 1.0 * (panel["year"] - 2016), 0.0)   # treated drift up
    result = estimate_staggered_did(panel)
    assert result.pretrend_p_value < 0.01 and result.pretrend.rejected
    assert result.pretrend.slope == pytest.approx(1.0, abs=0.3)
    pre = result.event_study[(result.event_study["rel_time"] < -1)]
    # Residual gaps fall towards the start: earliest pre-period gap is the most negative.
    assert pre["estimate"].iloc[0] < pre["estimate"].iloc[-1] - 1.0


def test_too_few_treated_territories_get_no_interval_but_a_french_reason():
    panel = simulate_panel(8, n_treated=MIN_TREATED_UNITS - 1, effect_by_rel_time=lambda k: -2.0)
    result = estimate_staggered_did(panel)
    assert result.n_treated == MIN_TREATED_UNITS - 1
    assert result.att == pytest.approx(-2.0, abs=1.5)
    assert (result.ci_low, result.ci_high, result.p_value) == (None, None, None)
    assert result.interval_withheld_reason.startswith(f"Moins de {MIN_TREATED_UNITS} territoires")
    assert "indicative" in result.interval_withheld_reason
    assert result.event_study["ci_low"].isna().all()
    # The pre-trend test needs only 3 territories with two years before: it is made.
    assert result.pretrend.n_units == 3 and result.pretrend.degrees_of_freedom == 2
    assert "l'estimation est indicative" in result.method and "Student" not in result.method


def test_enough_treated_territories_get_an_interval_and_no_reason():
    panel = simulate_panel(9, n_treated=MIN_TREATED_UNITS, effect_by_rel_time=lambda k: -2.0)
    result = estimate_staggered_did(panel)
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
    result = estimate_staggered_did(panel)
    assert result.n_units_without_pre_period == 2
    assert result.n_treated == 10
    assert result.att == pytest.approx(-1.0, abs=1e-9)
    assert "Sans année mesurée avant le démarrage : 2 territoires écartés" in result.method


def test_missing_values_and_years_without_comparison_are_dropped():
    panel = simulate_panel(4, effect_by_rel_time=lambda k: -1.0, noise=0.0)
    panel.loc[panel.index[::7], "y"] = np.nan
    full = estimate_staggered_did(panel)
    assert full.n_observations == panel["y"].notna().sum()
    assert full.att == pytest.approx(-1.0, abs=1e-9)
    # 2022 measured only where the innovation runs: those cells cannot be imputed.
    untreated_2022 = (panel["year"] == 2022) & ~(panel["year"] >= panel["first_treated"])
    panel.loc[untreated_2022, "y"] = np.nan
    result = estimate_staggered_did(panel)
    treated_2022 = (panel["year"] == 2022) & (panel["year"] >= panel["first_treated"])
    assert result.n_cells_not_imputable == int((treated_2022 & panel["y"].notna()).sum()) > 0
    assert result.att == pytest.approx(-1.0, abs=1e-9)
    assert ("faute de territoire de comparaison mesuré la même année : "
            f"{result.n_cells_not_imputable}.") in result.method


def test_same_panel_same_interval_and_method_text_in_french():
    panel = simulate_panel(12, effect_by_rel_time=lambda k: -1.0)
    first, second = (estimate_staggered_did(panel) for _ in range(2))
    assert (first.ci_low, first.ci_high, first.p_value) == (second.ci_low, second.ci_high,
                                                            second.p_value)
    assert "les 12 territoires qui ont démarré l'innovation" in first.method
    assert "30 territoires de comparaison" in first.method and "pyfixest" in first.method
