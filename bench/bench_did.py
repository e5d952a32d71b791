"""Simulation of the difference-in-differences (essaim.methods.did): coverage and bias of the
95 % interval, size and power of the pre-trend test, detectable effect.

Design (issue 19): 40 territories observed 2014–2023, five cohorts starting 2017 to 2021, the
rest never treated; unit and year effects; AR(1) noise (ρ = 0,5) with a territory-specific scale;
heterogeneous dynamic effects: the effect at year k after the start is
m_i × c_g × (−1 − 0,5 k), with a territory multiplier m_i ~ U(0,5 ; 1,5) and a cohort factor
c_g from 1,4 (2017) to 0,6 (2021). The estimand is the average over treated territory-years of
the cohort × year expected effect (c_g × (−1 − 0,5 k)); « couverture (ces territoires) » uses
these territories' own effects instead (m_i included), for which the interval is conservative.
With a drift, treated territories move +0,3 a year relative to the others (before and after the
start) and there is no effect at all: « taux significatif » is how often the estimate is
(wrongly) significant, « puissance » how often the pre-trend test catches the drift.

Usage: python -m bench.bench_did [--panels N] [--treated 4 8 20]
Reference run (600 panels per row, the machine shared with other engineers and busy), also in
README.md « Mesurer »:

traités dérive couverture (ces terr.)  biais écart-type largeur test antérieur significatif effet détectable s/panneau
      4    0,0      94,8 %      97,2 %   0,00       0,61    2,87          3,7 %       90,0 %             1,87     0,404
      4    0,3      29,8 %      29,8 %   1,49       0,48    2,21         16,2 %       70,2 %             1,45     0,588
      8    0,0      93,2 %      99,0 %   0,02       0,48    1,93          4,7 %      100,0 %             1,33     0,890
      8    0,3       4,2 %       4,2 %   1,47       0,34    1,45         46,5 %       95,8 %             1,00     1,158
     20    0,0      93,8 %      97,7 %   0,01       0,34    1,31          4,8 %      100,0 %             0,93     1,142
     20    0,3       0,7 %       0,7 %   1,34       0,27    1,08         85,7 %       99,3 %             0,76     0,291

tests/test_did_design.py runs a smaller version of the same design (marked slow).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

YEARS = range(2014, 2024)
COHORTS = (2017, 2018, 2019, 2020, 2021)
COHORT_FACTORS = {2017: 1.4, 2018: 1.2, 2019: 1.0, 2020: 0.8, 2021: 0.6}
DRIFT = 0.3


def expected_effect(cohort: float, rel_time: int) -> float:
    """The cohort × year expected effect of the design."""
    return COHORT_FACTORS[int(cohort)] * (-1.0 - 0.5 * rel_time)


def simulate_panel(seed: int, *, n_units: int = 40, n_treated: int = 8, effect: bool = True,
                   drift: float = 0.0, rho: float = 0.5, noise: float = 1.0) -> pd.DataFrame:
    """unit, year, y, first_treated, and the truth: tau (this territory's effect) and
    tau_expected (the cohort × year expected effect)."""
    rng = np.random.default_rng(seed)
    year_effect = {year: rng.normal(0, 2) for year in YEARS}
    rows = []
    for unit in range(n_units):
        start = COHORTS[unit % len(COHORTS)] if unit < n_treated else np.nan
        level, scale = rng.normal(50, 8), noise * rng.uniform(0.5, 1.5)
        multiplier = rng.uniform(0.5, 1.5)
        error = rng.normal(0, scale)
        for year in YEARS:
            error = rho * error + np.sqrt(1 - rho ** 2) * rng.normal(0, scale)
            expected = expected_effect(start, year - start) if effect and year >= start else 0.0
            trend = drift * (year - start) if unit < n_treated else 0.0
            rows.append((f"t{unit:02d}", year,
                         level + year_effect[year] + multiplier * expected + trend + error,
                         start, multiplier * expected, expected))
    return pd.DataFrame(rows, columns=["unit", "year", "y", "first_treated", "tau",
                                       "tau_expected"])


def simulate_design(n_treated: int, n_panels: int, *, drift: float = 0.0,
                    seed: int = 0) -> dict[str, float]:
    """Coverage, bias, spread, pre-trend rejections and detectable effect over `n_panels`."""
    from essaim.methods.did import estimate_staggered_did

    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for index in range(n_panels):
            panel = simulate_panel(seed + 100_000 * n_treated + index, n_treated=n_treated,
                                   effect=drift == 0, drift=drift)
            result = estimate_staggered_did(panel[["unit", "year", "y", "first_treated"]])
            post = panel[panel["year"] >= panel["first_treated"]]
            rows.append({"att": result.att, "low": result.ci_low, "high": result.ci_high,
                         "truth": post["tau_expected"].mean(), "sample": post["tau"].mean(),
                         "pretrend": result.pretrend.rejected if result.pretrend else np.nan,
                         "detectable": result.detectable_effect})
    table = pd.DataFrame(rows)
    covered = (table["low"] <= table["truth"]) & (table["truth"] <= table["high"])
    covered_sample = (table["low"] <= table["sample"]) & (table["sample"] <= table["high"])
    significant = (table["low"] > 0) | (table["high"] < 0)
    return {"coverage": float(covered.mean()), "coverage_sample": float(covered_sample.mean()),
            "bias": float((table["att"] - table["truth"]).mean()),
            "sd": float(table["att"].std()),
            "median_width": float((table["high"] - table["low"]).median()),
            "pretrend_rejected": float(table["pretrend"].mean()),
            "significant": float(significant.mean()),
            "detectable": float(table["detectable"].median())}


def _fr(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}".replace(".", ",").replace("-", "−")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--panels", type=int, default=1000)
    parser.add_argument("--treated", type=int, nargs="+", default=[4, 8, 20])
    args = parser.parse_args()
    print(f"{'traités':>7} {'dérive':>6} {'couverture':>10} {'(ces terr.)':>11} {'biais':>6} "
          f"{'écart-type':>10} {'largeur':>7} {'test antérieur':>14} {'significatif':>12} "
          f"{'effet détectable':>16} {'s/panneau':>9}")
    for n_treated in args.treated:
        for drift in (0.0, DRIFT):
            started = time.perf_counter()
            row = simulate_design(n_treated, args.panels, drift=drift)
            seconds = (time.perf_counter() - started) / args.panels
            print(f"{n_treated:>7} {_fr(drift, 1):>6} {_fr(100 * row['coverage'], 1):>9} % "
                  f"{_fr(100 * row['coverage_sample'], 1):>9} % {_fr(row['bias']):>6} "
                  f"{_fr(row['sd']):>10} {_fr(row['median_width']):>7} "
                  f"{_fr(100 * row['pretrend_rejected'], 1):>12} % "
                  f"{_fr(100 * row['significant'], 1):>10} % {_fr(row['detectable']):>16} "
                  f"{_fr(seconds, 3):>9}", flush=True)


if __name__ == "__main__":
    main()
