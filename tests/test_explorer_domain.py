"""The explorer's domain, without a browser: place search, class labels, readable colours, the
map's state in the address, what the map draws, comparison points, the exported map image and
the routes that serve Leaflet."""

from __future__ import annotations

import asyncio

import pandas as pd
import pytest

from essaim.data import reference
from essaim.data.reference import REFERENCE_INDICATORS
from essaim.explorer.classify import assign_class, class_label, legend_entries, quantile_breaks
from essaim.explorer.filters import (
    MapChoices,
    MapState,
    MapView,
    TerritoryFilter,
    describe_filter,
    map_state_from_query,
    map_state_to_query,
)
from essaim.explorer.geo import (
    CATEGORICAL_PALETTE,
    contrast_ratio,
    load_geojson,
    mainland_bounds,
    overseas_insets,
    text_colour_on,
)
from essaim.explorer.map_data import click_lookup, fit_bounds, territory_points
from essaim.explorer.search import (
    build_place_index,
    distance_km,
    read_epci_names,
    search_places,
    territory_places,
)
from essaim.figures.comparison import key_indicator_series, reference_comparison, region_reference

# --- search ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def places():
    return build_place_index(reference.load_communes(), reference.load_departements(),
                             read_epci_names())


@pytest.fixture(scope="module")
def gazetteers(places, dataset, second_dataset):
    return {name: (places, territory_places(d.territories, places))
            for name, d in (("demo", dataset), ("second", second_dataset))}


def answer(gazetteers, which: str, query: str):
    index, territories = gazetteers[which]
    return search_places(index, territories, query)


def found(gazetteers, which: str, query: str) -> list[str]:
    return [match.territory_code for match in answer(gazetteers, which, query).matches]


@pytest.mark.parametrize("query", ["Pessac", "pessac", "PESSAC", "  pess "])
def test_a_commune_finds_the_intercommunality_that_covers_it(gazetteers, query):
    assert found(gazetteers, "demo", query) == ["bordeaux-metropole"]


def test_an_epci_name_finds_the_territories_inside_it(gazetteers):
    lyon = set(found(gazetteers, "demo", "Métropole de Lyon"))
    assert {"villeurbanne", "venissieux", "vaulx-en-velin-grande-ile"} <= lyon
    assert found(gazetteers, "demo", "metropole de lyon") == found(gazetteers, "demo",
                                                                    "Métropole de Lyon")


def test_a_departement_name_or_number_finds_its_territories(gazetteers):
    assert found(gazetteers, "demo", "Isère") == ["grenoble"]
    assert found(gazetteers, "demo", "isere") == ["grenoble"]
    assert found(gazetteers, "demo", "38") == ["grenoble"]
    assert found(gazetteers, "second", "2A") == ["ajaccio"]
    assert found(gazetteers, "second", "corse du sud") == ["ajaccio"]


def test_a_number_is_a_whole_code_not_a_prefix(gazetteers):
    assert "grenoble" not in found(gazetteers, "demo", "381")  # not Isère (38) nor 38185


def test_the_territorys_own_name_comes_first_and_says_why_others_match(gazetteers, dataset):
    matches = answer(gazetteers, "demo", "bordeaux").matches
    assert [m.territory_code for m in matches][:2] == ["bordeaux", "bordeaux-metropole"]
    assert matches[0].reason() == ""
    pessac = answer(gazetteers, "demo", "Pessac").matches[0]
    assert pessac.reason() == "commune couverte : Pessac"


@pytest.mark.parametrize("query", ["coeur de lozere", "Cœur de Lozère", "COEUR DE LOZÈRE"])
def test_ligatures_fold(gazetteers, query):
    assert found(gazetteers, "second", query) == ["coeur-lozere"]


@pytest.mark.parametrize("query,expected", [
    ("Grand Lyon", {"villeurbanne", "venissieux", "vaulx-en-velin-grande-ile"}),
    ("Communauté urbaine de Lyon", {"villeurbanne", "venissieux", "vaulx-en-velin-grande-ile"}),
    ("CUB", {"bordeaux", "bordeaux-metropole", "lormont-genicart"}),
])
def test_common_and_former_epci_names_find_their_territories(gazetteers, query, expected):
    matches = answer(gazetteers, "demo", query).matches
    assert {m.territory_code for m in matches} == expected
    assert "(Métropole de Lyon)" in matches[0].place or "(Bordeaux Métropole)" in matches[0].place


def test_every_epci_alias_names_an_epci_of_the_reference():
    names = read_epci_names()
    communes = reference.load_communes()
    assert set(names["code_epci"]) <= set(communes["code_epci"].dropna().astype(str))
    assert names["nom"].is_unique


def test_an_uncovered_place_is_answered_with_its_departement_and_the_nearest_territories(
        gazetteers, dataset):
    result = answer(gazetteers, "demo", "Mende")
    assert result.matches == []
    place = result.uncovered
    assert (place.kind, place.name, place.departement) == ("commune", "Mende", "Lozère (48)")
    codes = [code for code, _ in place.nearest]
    assert len(codes) == 3 and codes[0] == "montpellier"
    distances = [km for _, km in place.nearest]
    assert distances == sorted(distances) and 80 < distances[0] < 140  # Mende–Montpellier


def test_distances_are_great_circle_kilometres():
    # Paris – Marseille: about 660 km as the crow flies.
    assert distance_km(48.8566, 2.3522, [43.2965], [5.3698])[0] == pytest.approx(661, abs=10)


def test_a_qpv_is_found_from_its_city(gazetteers):
    assert found(gazetteers, "second", "Toulouse") == ["mirail"]
    assert found(gazetteers, "demo", "zzzz") == []


# --- classes, colours -----------------------------------------------------------------------

def test_class_labels_do_not_overlap():
    breaks = [4.6, 6.4, 7.2, 9.1]
    assert class_label(breaks, 0, "%") == "de 4,6 à moins de 6,4\u00a0%"
    assert class_label(breaks, 2, "%") == "de 7,2 à 9,1\u00a0%"  # the maximum is included
    assert assign_class(6.4, breaks) == 1  # 6,4 is in "de 6,4 à moins de 7,2"
    assert legend_entries(breaks, "%")[-1][1].startswith("n.d.")


def test_breaks_are_at_the_precision_values_are_shown():
    breaks = quantile_breaks([4.96, 5.04, 6.0, 7.0, 9.13], classes=4, decimals=1)
    assert all(round(b, 1) == b for b in breaks)
    shown = round(4.96, 1)  # shown as 5,0: never in a class "à moins de 5,0"
    index = assign_class(shown, breaks)
    assert not (breaks[index + 1] == 5.0 and index < len(breaks) - 2)


@pytest.mark.parametrize("colour", CATEGORICAL_PALETTE)
def test_marker_text_is_readable_on_every_innovation_colour(colour):
    assert contrast_ratio(text_colour_on(colour), colour) >= 4.5  # WCAG AA for 12 px text


def test_mainland_view_includes_corsica_and_each_overseas_departement_has_an_inset():
    contours = load_geojson("departements-web.geojson")
    (south, west), (north, east) = mainland_bounds(contours)
    assert south < 41.4 and east > 9.5 and west < -5 and north > 51
    assert [i["code"] for i in overseas_insets(contours)] == ["971", "972", "973", "974", "976"]


# --- the map's state in the address ---------------------------------------------------------

CHOICES = MapChoices(innovations=["tapaj", "soleni"], stages=["0", "I", "II", "III", "IV"],
                     regions=["53", "75"], years=[2015, 2016, 2017, 2018, 2019, 2020],
                     indicators=list(REFERENCE_INDICATORS), territories=["brest", "rennes"])


def test_the_map_state_round_trips_through_the_address():
    state = MapState(filter=TerritoryFilter(innovations=("tapaj",), stages=("III", "IV"),
                                            regions=("53",), start_years=(2016, 2019)),
                     indicator="pauvrete", territory="brest", view=MapView(48.39, -4.49, 9.5),
                     epci=True)
    query = map_state_to_query(state, "chomage_2025", (2015, 2020))
    assert query == {"innovation": ["tapaj"], "etape": ["III", "IV"], "region": ["53"],
                     "annees": "2016-2019", "indicateur": "pauvrete", "territoire": "brest",
                     "vue": "48.3900,-4.4900,9.5", "epci": "1"}
    assert map_state_from_query(query, CHOICES) == state


def test_defaults_stay_out_of_the_address():
    state = MapState(filter=TerritoryFilter(start_years=(2015, 2020)), indicator="chomage_2025")
    assert map_state_to_query(state, "chomage_2025", (2015, 2020)) == {}


@pytest.mark.parametrize("query", [{"innovation": ["atlantide"]}, {"vue": "1,2"},
                                   {"vue": "95,2,6"}, {"vue": "nan,2,6"}, {"annees": "avant"},
                                   {"territoire": "<script>"}, {"indicateur": "../../etc"}])
def test_a_malformed_address_opens_the_default_map(query):
    assert map_state_from_query(query, CHOICES) == MapState()


def test_years_outside_the_data_are_clipped():
    state = map_state_from_query({"annees": "1990-2017"}, CHOICES)
    assert state.filter.start_years == (2015, 2017)


def test_a_filter_in_words():
    chosen = TerritoryFilter(innovations=("tapaj",), regions=("53",), start_years=(2016, 2016))
    text = describe_filter(chosen, {"tapaj": "TAPAJ"}, {}, {"53": "Bretagne"}, (2015, 2020))
    assert text == "TAPAJ ; Bretagne ; démarrage en 2016"
    assert describe_filter(TerritoryFilter(), {}, {}, {}) == "tous les territoires"
    assert not TerritoryFilter(start_years=(2015, 2020)).narrows((2015, 2020))
    assert TerritoryFilter(start_years=(2016, 2020)).narrows((2015, 2020))


# --- what the map draws ---------------------------------------------------------------------

def test_every_territory_point_has_an_accessible_name(any_dataset):
    essaimages = any_dataset.essaimage_table()
    points = territory_points(any_dataset, essaimages)
    assert len(points) == essaimages["territory_code"].nunique()
    for point in points:
        assert point["label"].startswith(point["name"] + " — ")
        assert point["label"].count("étape") == len(point["segments"])
        assert all(contrast_ratio(s["text"], s["colour"]) >= 4.5 for s in point["segments"])
    assert len(click_lookup(points)) == len(points)  # no two markers at one position


def test_the_fit_bounds_hold_every_point(dataset):
    points = territory_points(dataset, dataset.essaimage_table().query("code_region == '53'"))
    (south, west), (north, east) = fit_bounds(points)
    assert all(south < p["lat"] < north and west < p["lon"] < east for p in points)
    assert fit_bounds([]) is None


# --- comparison points ----------------------------------------------------------------------

def test_region_and_france_are_population_weighted_means():
    frame = pd.DataFrame({"code_departement": ["01", "02", "03"], "code_region": ["R", "R", "S"],
                          "population_2022": [100, 300, 600], "taux": [10.0, 20.0, None]})
    assert region_reference(frame, "R", "taux") == pytest.approx(17.5)
    assert pd.isna(region_reference(frame, "S", "taux"))  # n.d., never 0


def test_reference_comparison_has_departement_region_and_france():
    table = reference_comparison(reference.load_departements(), "29", REFERENCE_INDICATORS.values())
    assert list(table["label"]) == [i.label for i in REFERENCE_INDICATORS.values()]
    assert table[["departement", "region", "france"]].notna().all().all()
    mayotte = reference_comparison(reference.load_departements(), "976",
                                   REFERENCE_INDICATORS.values())
    assert mayotte["departement"].isna().any()  # unpublished statistics stay n.d.


def test_key_indicator_series_compare_with_the_other_territories(dataset):
    from essaim.data.roles import indicators_with_role
    from essaim.figures.counted import counted_values

    counted = counted_values(dataset)
    key = indicators_with_role(dataset.indicators, "key_figure")
    series = key_indicator_series(dataset, counted, "bordeaux", key)
    assert set(series["indicator_code"]) <= set(key) and len(series) > 0
    row = series.iloc[0]
    innovations = dataset.essaimages.set_index("code")["innovation_code"]
    others = counted[(counted["indicator_code"] == row["indicator_code"])
                     & (counted["period"] == row["period"])
                     & (counted["territory_code"] != "bordeaux")
                     & (counted["essaimage_code"].map(innovations) == row["innovation_code"])]
    assert row["peer_median"] == pytest.approx(others["value"].median())


# --- the exported image ---------------------------------------------------------------------

def test_the_map_image_has_legends_source_vintage_and_the_demo_notice(dataset):
    from essaim.explorer.map_data import innovation_legend
    from essaim.explorer.map_figure import MapImageText, map_image_figure

    indicator = REFERENCE_INDICATORS["chomage_2025"]
    frame = reference.load_departements()
    values = dict(zip(frame["code_departement"], frame[indicator.column]))
    breaks = quantile_breaks(list(values.values()), decimals=1)
    text = MapImageText("Titre", "42 territoires", indicator.label,
                        [f"Source : {indicator.source} — millésime {indicator.vintage}.",
                         "Territoires et innovations : données fictives de démonstration."])
    figure = map_image_figure(load_geojson("departements-web.geojson"), values, breaks, "%",
                              territory_points(dataset, dataset.essaimage_table()),
                              innovation_legend(dataset), text)
    legend_names = {trace.name for trace in figure.data if trace.showlegend}
    assert {class_label(breaks, 0, "%"), "n.d. (non disponible)"} <= legend_names
    assert set(dataset.innovations["name"]) <= legend_names
    footer = figure.layout.annotations[-1].text
    assert indicator.vintage in footer and "données fictives de démonstration" in footer
    panels = {trace.xaxis for trace in figure.data}
    assert panels == {"x", "x2", "x3", "x4", "x5", "x6"}  # mainland France and five insets
    assert not any(trace.type.endswith("geo") for trace in figure.data)  # no world map to fetch
    assert not [t for t in figure.data if t.mode == "text"]  # 42 names would cover each other
    # Zoomed on Brittany as the browser showed it: that view, its territories named.
    brittany = [[47.2, -5.2], [48.9, -1.0]]
    zoomed = map_image_figure(load_geojson("departements-web.geojson"), values, breaks, "%",
                              territory_points(dataset, dataset.essaimage_table()),
                              innovation_legend(dataset), text, brittany)
    (names,) = [t for t in zoomed.data if t.mode == "text"]
    assert {"<b>Brest</b>", "<b>Rennes</b>"} <= set(names.text)
    x_range, y_range = zoomed.layout.xaxis.range, zoomed.layout.yaxis.range
    assert 47 < y_range[0] < 47.3 and 48.8 < y_range[1] < 49.1 and x_range[0] < x_range[1]


def test_the_fit_leaves_overseas_territories_to_their_insets(dataset):
    points = territory_points(dataset, dataset.essaimage_table())
    assert any(len(p["departement"]) == 3 for p in points)
    (south, west), (north, east) = fit_bounds(points)
    assert south > 41 and west > -6 and north < 52 and east < 10  # metropolitan France


def test_an_address_says_what_it_asked_that_the_map_cannot_do():
    from essaim.explorer.filters import describe_ignored, ignored_parameters, map_accepted

    choices = MapChoices(innovations=["tapaj"], stages=["I", "II"], regions=["53"],
                         years=[2016, 2020], indicators=["chomage_2025"], territories=["brest"])
    query = {"innovation": ["tapaj", "atlantide"], "vue": ["nord"], "annees": ["2016-2018"],
             "projection": ["1"], "zoom": ["12"], "etape": ["II"]}
    ignored = ignored_parameters(query, map_accepted(choices))
    assert ignored == ["« innovation=atlantide »", "« vue=nord »", "« zoom=12 »"]
    assert describe_ignored(ignored).startswith("L'adresse de cette page contient des éléments "
                                                "inconnus, ignorés : « innovation=atlantide »")
    assert ignored_parameters({"etape": ["II"]}, map_accepted(choices)) == []


# --- Leaflet served by the app ----------------------------------------------------------------

def test_vendor_routes_serve_leaflet_from_the_installed_packages():
    from starlette.applications import Starlette

    from essaim.web.assets import vendor_routes
    from tests.asgi_client import Browser, run_scenario

    def get(app, path):
        async def scenario():
            return await asyncio.wait_for(Browser(app).request("GET", path), timeout=10)
        return run_scenario(scenario)

    app = Starlette(routes=vendor_routes())
    leaflet = get(app, "/vendor/leaflet/leaflet.js")
    assert leaflet.status == 200 and b"Leaflet" in leaflet.body[:400]
    cluster = get(app, "/vendor/markercluster/leaflet.markercluster.js")
    assert cluster.status == 200
    assert get(app, "/vendor/leaflet/../../__init__.py").status == 404
    under_base = Starlette(routes=vendor_routes("/essaim/"))
    assert get(under_base, "/essaim/vendor/leaflet/leaflet.css").status == 200
