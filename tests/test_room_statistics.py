"""Workshop statistics as people read them (issue 19): medians and quartiles with their halves,
weights on one scale (points out of 100) in the grid table and its versions, ties named, the
aggregation rule stated, and grid scores at the common reference year."""

from __future__ import annotations

import pandas as pd
import pytest

from essaim.figures.counted import counted_values
from essaim.workshops.grid import (
    criterion_points,
    default_grid,
    diff_grids,
    grid_from_dict,
    points_out_of_100,
)
from essaim.workshops.room import (
    AGGREGATION_RULE,
    aggregate_weights,
    format_points,
    quoted_names,
)
from essaim.workshops.scoring import latest_values, scoring_year


def test_a_median_of_half_a_point_reads_with_its_half():
    table = aggregate_weights(pd.DataFrame({"a": [10, 15, 12, 13], "b": [14, 15, 14, 15]}))
    assert table.loc["a", "median"] == 12.5 and table.loc["b", "median"] == 14.5
    # Python's round and "{:.0f}" give 12 and 14 (half to even): the room sees 12,5 and 14,5.
    assert (format_points(12.5), format_points(14.5), format_points(12.0)) == ("12,5", "14,5", "12")
    assert format_points(table.loc["a", "q1"]) == "11"          # midpoint of 10 and 12


def test_points_out_of_100_always_add_up_to_100():
    points = points_out_of_100({"a": 1, "b": 1, "c": 1})
    assert sum(points.values()) == pytest.approx(100.0) and sorted(points.values()) == [33.3, 33.3,
                                                                                      33.4]
    demo = {f"d{i}": w for i, w in enumerate([12, 6, 4, 7, 5, 3, 6, 6, 6, 6, 3, 2, 6, 4, 4, 2, 4,
                                              4, 4])}
    assert sum(points_out_of_100(demo).values()) == pytest.approx(100.0)
    assert points_out_of_100({}) == {}


def test_grid_versions_state_weights_in_points_out_of_100():
    old = grid_from_dict({"dimensions": [
        {"id": "x", "label": "X", "criteria": [{"id": "x1", "label": "x1", "weight": 30},
                                               {"id": "x2", "label": "x2", "weight": 30}]},
        {"id": "y", "label": "Y", "criteria": [{"id": "y1", "label": "y1", "weight": 20}]}]})
    new = old.with_criterion_weights({"y1": 40})
    assert criterion_points(old) == {"x1": 37.5, "x2": 37.5, "y1": 25.0}
    changes = diff_grids(old, new)
    assert "« y1 » : poids 25 → 40 points sur 100" in changes
    # The two others keep their proportions: said once, not once per criterion.
    assert changes == ["« y1 » : poids 25 → 40 points sur 100",
                       ("Poids des 2 autres critères recalculés sur 100 dans les mêmes proportions "
                       "(× 0,8)")]


def test_ties_are_all_named_and_the_rule_is_stated():
    assert quoted_names({"a": "Emploi", "b": "Coûts"}, ["a", "b"]) == "« Emploi » et « Coûts »"
    assert "12,5" in AGGREGATION_RULE and "milieu" in AGGREGATION_RULE


def test_grid_scores_use_the_common_reference_year(second_dataset):
    """Quimper reports 2025, the others stop at 2024: everyone is scored on 2024."""
    counted = counted_values(second_dataset)
    essaimages = second_dataset.essaimages
    assert scoring_year(counted, essaimages) == "2024"
    latest = latest_values(counted, essaimages)
    quimper = counted[(counted["essaimage_code"] == "cj-quimper")
                      & (counted["indicator_code"] == "acces_emploi_6m")]
    value_2024 = quimper.loc[quimper["period"] == "2024", "value"].iloc[0]
    assert latest.loc["cj-quimper", "acces_emploi_6m"] == pytest.approx(value_2024)
    assert quimper["period"].max() == "2025"


def test_the_demo_grid_is_scored_on_one_year(dataset):
    counted = counted_values(dataset)
    assert scoring_year(counted, dataset.essaimages) == "2022"
    assert len(default_grid(dataset.indicators).criteria()) > 5
