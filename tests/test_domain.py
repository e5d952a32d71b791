"""Pure domain helpers: French formats, classes, geography, search, filters, exports."""

import math

import pandas as pd
import pytest

from essaim.data.model import STAGES, stage_rank
from essaim.explorer.classify import (
    MISSING_COLOUR,
    assign_class,
    class_colour,
    legend_entries,
    quantile_breaks,
)
from essaim.explorer.filters import TerritoryFilter, filter_essaimages
from essaim.explorer.geo import colour_departements, departement_of_point, spread_colocated
from essaim.explorer.search import search_territories
from essaim.imports.exports import neutralise_formula, to_safe_csv
from essaim.numbers.formatting import escape_markdown, format_number, format_percent, format_value
from essaim.text import fold_text


def test_french_number_formats():
    assert format_number(1234.5, 1) == "1\u00a0234,5"
    assert format_percent(12.34) == "12,3\u00a0%"
    assert format_number(None) == "n.d."
    assert format_number(float("nan"), 1, "%") == "n.d."
    assert format_value(6600, "€") == "6\u00a0600\u00a0€"
    assert format_number(-0.01, 1) == "0,0"


def test_markdown_escaping_neutralises_links_and_html():
    text = escape_markdown("[clic](javascript:alert(1)) <img src=x>")
    assert "\\[" in text and "\\(" in text and "\\<" in text


def test_quantile_classes_ignore_missing_values():
    breaks = quantile_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, float("nan")])
    assert breaks[0] == 1 and breaks[-1] == 10 and len(breaks) == 6
    assert assign_class(1, breaks) == 0
    assert assign_class(10, breaks) == 4
    assert assign_class(float("nan"), breaks) is None
    assert class_colour(None, 5) == MISSING_COLOUR
    assert legend_entries(breaks, "%")[-1][1].startswith("n.d.")


def test_constant_values_collapse_to_one_class():
    breaks = quantile_breaks([3.0, 3.0, 3.0])
    assert breaks == [3.0]
    assert assign_class(3.0, breaks) is None


def test_choropleth_marks_missing_departements_nd():
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "01"}, "geometry": None},
        {"type": "Feature", "properties": {"code": "976"}, "geometry": None},
    ]}
    coloured = colour_departements(geojson, {"01": 5.8, "976": math.nan}, [4.0, 6.0, 8.0], "%")
    first, mayotte = (f["properties"] for f in coloured["features"])
    assert first["valeur"] == "5,8\u00a0%"
    assert mayotte["valeur"] == "n.d." and mayotte["fill"] == MISSING_COLOUR
    assert "fill" not in geojson["features"][0]["properties"]  # the cached original is untouched


def test_colocated_points_are_spread_and_others_kept():
    positions = spread_colocated([("a", 44.0, -0.5), ("b", 44.0, -0.5), ("c", 45.0, 4.0)])
    assert positions["c"] == (45.0, 4.0)
    assert positions["a"] != positions["b"]


def test_point_in_departement():
    geojson = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"code": "99"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]},
    }]}
    assert departement_of_point(geojson, 0.5, 0.5) == "99"
    assert departement_of_point(geojson, 2, 2) is None


def test_search_ignores_accents_case_and_hyphens():
    territories = pd.DataFrame([
        {"code": "saint-etienne", "name": "Saint-Étienne", "insee_commune": "42218", "siren_epci": None},
        {"code": "orleans", "name": "Orléans Métropole", "insee_commune": None, "siren_epci": "244500468"},
    ])
    assert fold_text("Saint-Étienne") == "saint etienne"
    assert search_territories(territories, "saint etienne") == ["saint-etienne"]
    assert search_territories(territories, "ORLEANS metropole") == ["orleans"]
    assert search_territories(territories, "244500468") == ["orleans"]
    assert search_territories(territories, "lyon") == []


def test_filters_combine(dataset):
    table = dataset.essaimage_table()
    assert len(filter_essaimages(table, TerritoryFilter())) == len(table)
    tapaj = filter_essaimages(table, TerritoryFilter(innovations=("tapaj",)))
    assert set(tapaj["innovation_code"]) == {"tapaj"}
    late = filter_essaimages(table, TerritoryFilter(innovations=("tapaj",), stages=("IV",)))
    assert 0 < len(late) < len(tapaj)
    none = filter_essaimages(table, TerritoryFilter(start_years=(1990, 1991)))
    assert none.empty


def test_stage_order():
    assert [stage_rank(code) for code in STAGES] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("cell", ["=1+1", "+33 1", "-2", "@SUM(A1)", "\tx"])
def test_exports_neutralise_formulas(cell):
    assert neutralise_formula(cell) == "'" + cell
    csv = to_safe_csv(pd.DataFrame({"nom": [cell], "valeur": [-2.5]})).decode("utf-8-sig")
    assert f"'{cell}" in csv
    assert "-2,5" in csv  # numbers stay numbers, with a decimal comma


def test_exports_keep_plain_text():
    assert neutralise_formula("Bordeaux") == "Bordeaux"


def test_table_cells_in_french():
    import datetime as dt

    import numpy as np

    from essaim.numbers.formatting import format_cell_fr

    assert format_cell_fr(5.8) == "5,8"
    assert format_cell_fr(665391) == "665\u00a0391"
    assert format_cell_fr(np.bool_(True)) == "oui"
    assert format_cell_fr(None) == "n.d."
    assert format_cell_fr(dt.date(2020, 1, 5)) == "05/01/2020"
    assert format_cell_fr("=cmd") == "=cmd"  # text is shown as is (st.dataframe does not run it)
