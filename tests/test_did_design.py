"""The difference-in-differences as a statistician would sign it (issue 19): a clean comparison
group chosen by a stated rule, the built-in demo effects inside the intervals, the sensitivity to
a known violation of parallel trends, the effect in people, and the simulation of coverage, bias
and the pre-trend test (a smaller run of bench/bench_did.py, marked slow)."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest

from essaim.data.demo_spec import TRUE_EFFECT_STAGE, TRUE_EFFECTS
from essaim.figures.counted import counted_values
from essaim.methods import did_text
from essaim.methods.did import estimate_staggered_did
from essaim.methods.did_analysis import analyse_did
from essaim.methods.did_design import (
    REASON_NO_PRE_PERIOD,
    REASON_OTHER_ALWAYS,
    REASON_OTHER_FIRST,
    build_comparison,
)
from essaim.methods.did_plausibility import effect_in_people, rate_base


def _essaimage(innovation, territory, year):
    return {"code": f"{innovation}-{territory}", "innovation_code": innovation,
            "territory_code": territory, "date_etape_0": None, "date_etape_i": None,
            "date_etape_ii": None, "date_etape_iii": dt.date(year, 6, 1) if year else None,
            "date_etape_iv": None}


def _values(territories, years=range(2016, 2023)):
    return pd.DataFrame([{"territory_code": t, "period": str(y), "value": 10.0 + y - 2016}
                         for t in territories for y in years])


def test_the_clean_rule_keeps_territories_without_any_innovation_at_the_stage():
    essaimages = pd.DataFrame([
        _essaimage("tapaj", "a", 2019), _essaimage("tapaj", "b", 2020),
        _essaimage("tapaj", "c", 2015),                      # before the data: no year before
        _essaimage("tapaj", "d", 2020), _essaimage("rallyes", "d", 2018),   # other one first
        _essaimage("rallyes", "e", 2021),                    # not yet treated until 2021
        _essaimage("rallyes", "f", 2014),                    # another innovation all along
        _essaimage("soleni", "g", None),                     # never reaches the stage
    ])
    values = _values("abcdefgh")                             # h: no innovation at all
    design = build_comparison(values, essaimages, "tapaj", "III", "propre")
    assert design.treated == ["a", "b"]
    assert design.never_treated == ["g", "h"]
    assert design.not_yet_treated == ["d", "e"]
    assert design.not_counted == {"c": REASON_NO_PRE_PERIOD, "d": REASON_OTHER_FIRST}
    assert design.left_out == {"f": REASON_OTHER_ALWAYS}
    panel = design.panel
    # e only before 2021, d only before 2018; f and c not at all; only a and b are treated.
    assert sorted(panel.loc[panel["unit"] == "e", "year"]) == list(range(2016, 2021))
    assert sorted(panel.loc[panel["unit"] == "d", "year"]) == [2016, 2017]
    assert not panel["unit"].isin(["c", "f"]).any()
    assert set(panel.dropna(subset=["first_treated"])["unit"]) == {"a", "b"}
    text = did_text.design_sentence(design, "III")
    assert "jamais à cette étape : 2" in text and "plus tard (années d'avant seulement) : 2" in text
    assert "Écartés" in text and REASON_OTHER_ALWAYS in text

    wide = build_comparison(values, essaimages, "tapaj", "III", "elargie")
    assert wide.treated == ["a", "b", "d"] and wide.not_yet_treated == []
    assert wide.never_treated == ["e", "f", "g", "h"]
    assert "sous-estime" in did_text.design_sentence(wide, "III")


def _true_average(panel: pd.DataFrame, outcome: str) -> float:
    treated = panel[panel["year"] >= panel["first_treated"]]
    return float(np.mean([TRUE_EFFECTS[outcome](int(y - s))
                          for y, s in zip(treated["year"], treated["first_treated"])]))


@pytest.mark.parametrize("innovation", ["tapaj", "rallyes"])
def test_the_demo_built_in_effect_lies_inside_the_interval(dataset, innovation):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analysis = analyse_did(dataset, counted_values(dataset), "deld_1000", innovation,
                               TRUE_EFFECT_STAGE)
    result = analysis.result
    truth = _true_average(analysis.design.panel, "deld_1000")
    assert truth < -4.0                                 # −4,7 for TAPAJ, −4,5 for Rallyes
    assert result.ci_low < truth < result.ci_high
    # The old comparison (every territory without this innovation) misses it by far.
    wide = analyse_did(dataset, counted_values(dataset), "deld_1000", innovation,
                       TRUE_EFFECT_STAGE, "elargie").result
    assert wide.ci_low > truth and abs(wide.att) < abs(result.att) / 2


def _drift(panel: pd.DataFrame) -> np.ndarray:
    return (panel["year"] - panel["first_treated"]).fillna(0.0).to_numpy()


def _exact_panel(effect: float = -3.0) -> pd.DataFrame:
    from bench.bench_did import simulate_panel

    panel = simulate_panel(3, n_treated=20, effect=False, noise=0.0)
    treated = panel["year"] >= panel["first_treated"]
    panel.loc[treated, "y"] += effect
    return panel[["unit", "year", "y", "first_treated"]]


def test_the_sensitivity_names_the_drift_that_overturns_the_estimate():
    panel = _exact_panel(-3.0)
    result = estimate_staggered_did(panel)
    found = result.sensitivity
    assert result.att == pytest.approx(-3.0, abs=1e-8)
    assert found.overturning_slope == pytest.approx(-3.0 / found.bias_per_drift)
    # Taking that drift out leaves nothing; with no effect at all, that drift alone gives the same
    # estimate — and the pre-trend test sees it.
    corrected = estimate_staggered_did(panel.assign(
        y=panel["y"] - found.overturning_slope * _drift(panel)))
    assert corrected.att == pytest.approx(0.0, abs=1e-8)
    no_effect = _exact_panel(0.0)
    drifted = estimate_staggered_did(no_effect.assign(
        y=no_effect["y"] + found.overturning_slope * _drift(no_effect)))
    assert drifted.att == pytest.approx(-3.0, abs=1e-8)
    assert drifted.pretrend.slope == pytest.approx(found.overturning_slope, abs=1e-8)
    assert drifted.pretrend.rejected


def test_the_sensitivity_statement_says_whether_the_pre_period_excludes_the_drift():
    from bench.bench_did import simulate_panel

    panel = simulate_panel(11, n_treated=20)[["unit", "year", "y", "first_treated"]]
    result = estimate_staggered_did(panel)
    found = result.sensitivity
    assert result.ci_high < 0 and found.interval_slope < 0 < found.bias_per_drift
    check = result.pretrend
    assert found.excluded_by_pre_period == (not check.ci_low <= found.interval_slope
                                            <= check.ci_high)
    text = did_text.sensitivity_sentence(result)
    assert "Rambachan et Roth" in text and "excluent une dérive de cette taille" in text
    # Half the drift that would put zero in the interval: the interval now reaches closer to 0 but
    # still excludes it; the full drift puts zero at its bound.
    shifted = estimate_staggered_did(panel.assign(y=panel["y"] - found.interval_slope
                                                  * _drift(panel)))
    assert shifted.ci_high == pytest.approx(0.0, abs=0.05)


def test_no_year_before_the_start_means_not_verifiable_and_not_evidence():
    panel = _exact_panel(-2.0)
    panel = panel[panel["year"] >= panel["first_treated"].fillna(0) - 1]   # one year before
    result = estimate_staggered_did(panel)
    assert result.pretrend is None
    reason = did_text.evidence_reason(result)
    assert reason.startswith("tendances antérieures non vérifiables")
    assert "ne peut pas être présenté comme une preuve" in did_text.pretrend_sentence(result)


def test_the_effect_in_people_is_set_against_the_beneficiaries():
    assert (rate_base("‰"), rate_base("pour 1 000 habitants"), rate_base("%"),
            rate_base("personnes")) == (1000, 1000, 100, None)
    population = pd.Series({"a": 500_000.0, "b": 100_000.0, "q": 40_000.0})
    scales = pd.Series({"a": "commune", "b": "commune", "q": "qpv"})
    beneficiaries = pd.DataFrame({"territory_code": ["a", "a", "b", "q"],
                                  "period": ["2019", "2021", "2021", "2018"],
                                  "value": [100.0, 150.0, 50.0, 40.0]})
    found = effect_in_people(-1.5, "‰", ["a", "b", "q"], {"a": 2020, "b": 2020, "q": 2019},
                             population, scales, beneficiaries, "2021")
    assert found.people == pytest.approx(-1.5 * 640)
    assert found.beneficiaries_total == 200.0 and found.beneficiaries_year == 200.0
    assert found.exceeds and found.whole_commune == 1
    text = found.sentence("Demandeurs d'emploi de longue durée pour 1 000 habitants")
    assert "960 personnes de moins" in text and "population de la commune entière" in text
    small = effect_in_people(-0.1, "‰", ["b"], {"b": 2020}, population, scales, beneficiaries,
                             "2021")
    assert not small.exceeds


def test_the_demo_effect_exceeds_the_beneficiaries_and_says_so(dataset):
    from essaim.data.population import territory_population
    from essaim.data.reference import load_communes

    population = territory_population(dataset.territories, load_communes())
    analysis = analyse_did(dataset, counted_values(dataset), "deld_1000", "tapaj", "III",
                           population=population)
    assert analysis.plausibility.exceeds
    assert abs(analysis.plausibility.people) > 10 * analysis.plausibility.beneficiaries_total


@pytest.mark.slow
def test_simulation_coverage_bias_and_pretrend_size_and_power():
    """The design of bench/bench_did.py, fewer panels to stay near a minute: with 60 panels per
    row the Monte Carlo error on a 95 % coverage is ±2,8 points, hence the bounds; the bench's
    600–1 000 panels put coverage at 93–97 % for 8 and 20 treated territories."""
    from bench.bench_did import simulate_design

    for n_treated in (8, 20):
        row = simulate_design(n_treated, 60)
        assert 0.90 <= row["coverage"] <= 0.995, row
        assert abs(row["bias"]) < 0.15, row
        assert row["pretrend_rejected"] <= 0.10, row          # size about 5 %
    drifting = simulate_design(20, 40, drift=0.3)
    assert drifting["pretrend_rejected"] >= 0.6, drifting   # power against +0,3 a year
    assert drifting["significant"] > 0.9                     # the drift alone looks like an effect
