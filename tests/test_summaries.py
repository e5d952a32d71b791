"""One rule for summarising values (essaim.figures.summaries), used alike by Comparer, the key
figures and the documents; the latest value rule; the live ranking's pace; the admin gate."""

from __future__ import annotations

import math
import threading

import numpy as np
import pandas as pd
import pytest

from essaim import access
from essaim.data import store
from essaim.figures.compare_tables import bars_table, heatmap_table
from essaim.figures.counted import counted_values
from essaim.figures.key_figures import key_figures
from essaim.figures.scoping import enrich_values
from essaim.figures.summaries import latest_per, summarise, summary_rule, summary_word
from essaim.workshops.ranking import RankingPace
from tests.conftest import _read_only_copy


def test_counts_and_amounts_add_up_everything_else_takes_the_median():
    values = pd.Series([1.0, 2.0, 10.0, np.nan])
    assert summarise(values, "count") == 13 and summarise(values, "amount") == 13
    for measure in ("rate", "score", "average"):
        assert summarise(values, measure) == 2
    assert summarise(values, "count", normalised=True) == 2  # « pour 100 bénéficiaires »
    assert math.isnan(summarise(pd.Series([np.nan]), "count"))  # n.d., never 0
    assert summary_word("count") == "total" and summary_word("rate") == "médiane"
    assert summary_rule("count", normalised=True) == "median"


def test_the_latest_value_is_the_latest_period_that_has_one():
    frame = pd.DataFrame({"key": ["a", "a", "a", "b"], "period": ["2020", "2022", "2021", "2019"],
                          "value": [1.0, np.nan, 3.0, 4.0]})
    latest = latest_per(frame, ["key"]).set_index("key")
    assert latest.loc["a", "period"] == "2021" and latest.loc["b", "value"] == 4.0


def _raw(dataset) -> pd.DataFrame:
    scoped = enrich_values(dataset, counted_values(dataset))
    return scoped.assign(normalised=scoped["value"])


def test_comparer_and_the_key_figures_give_one_innovation_the_same_figure(any_dataset):
    """A count per innovation in Comparer's bars is the innovation's key figure that year, on
    either dataset: one rule, not two."""
    dataset = any_dataset
    counted = counted_values(dataset)
    scoped = _raw(dataset)
    checked = 0
    for innovation, essaimages in dataset.essaimages.groupby("innovation_code"):
        figures = key_figures(dataset, counted, set(essaimages["code"]),
                              set(essaimages["territory_code"]))
        for figure in figures:
            if figure.measure != "count" or np.isnan(figure.value):
                continue
            table, word = bars_table(scoped[scoped["innovation_code"] == innovation],
                                     figure.label, "innovation", "brut")
            drawn = table[table["period"] == figure.year]["value"]
            assert word == "total" and len(drawn) == 1
            assert drawn.iloc[0] == pytest.approx(figure.value), (innovation, figure.label)
            checked += 1
    assert checked >= 3


def test_a_partner_heatmap_cell_totals_its_counts_and_takes_the_median_of_its_rates(dataset):
    scoped = _raw(dataset)
    table = heatmap_table(scoped, by_type=False, method="brut")
    partner = scoped.groupby("partner")["territory_code"].nunique().idxmax()  # several places
    mine = scoped[scoped["partner"] == partner]
    for label, rows in mine.groupby("label"):
        expected = rows["value"].sum() if rows["measure"].iloc[0] in ("count", "amount") \
            else rows["value"].median()
        assert table.at[partner, label] == pytest.approx(expected), label


def test_the_ranking_pace_holds_the_weights_a_few_seconds_under_concurrent_screens():
    now = [100.0]
    pace = RankingPace(refresh_seconds=6, clock=lambda: now[0])
    first = (("a", 50),)
    assert pace.weights_to_rank("K", 1, first) == first
    now[0] += 2
    assert pace.weights_to_rank("K", 1, (("a", 55),)) == first  # too soon: the last ranking
    now[0] += 5
    assert pace.weights_to_rank("K", 1, (("a", 55),)) == (("a", 55),)
    assert pace.weights_to_rank("K", 2, first) == first  # a new grid version ranks at once
    results = []
    threads = [threading.Thread(target=lambda w=w: results.append(
        pace.weights_to_rank("L", 1, (("a", w),)))) for w in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1  # every screen ranks with the same weights


def test_the_admin_password_is_checked_and_paced_on_the_server(demo_db_path, tmp_path):
    engine = store.open_store(f"sqlite:///{_read_only_copy(demo_db_path, tmp_path)}")
    client = access.Client(address="198.51.100.7", device="appareil-1")
    assert not access.verify_admin_password(engine, client, "secret", "")  # none configured
    assert access.verify_admin_password(engine, client, "bon mot", "bon mot")
    with pytest.raises(access.TooManyAttempts):
        for _ in range(40):
            assert not access.verify_admin_password(engine, client, "faux", "bon mot")
