"""Every page through AppTest, started from app.py."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from essaim.site_map import SITE_MAP

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CDN_MARKERS = ("unpkg", "jsdelivr", "cdnjs", "googleapis", "bootstrapcdn", "code.jquery", "d3js",
               "http://", "https://")

# Every page of the navigation with the title it shows (the home page shows the app's name).
PAGES = {f"pages/{spec.file}": spec.title if spec.url_path else "Essaim" for spec in SITE_MAP}


def run_page(page: str, query: dict | None = None) -> AppTest:
    """Run app.py (the router), then go to `page` through its navigation."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page != "pages/accueil.py" or query:
        at.switch_page(page)
        at.run()
    return at


@pytest.mark.parametrize("page,title", PAGES.items())
def test_every_page_runs_and_shows_its_french_title(any_app_env, page, title):
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert next(t.value for t in at.title).startswith(title)
    # The notice follows the data: a banner, or one discreet line on the projected screen.
    shown = [w.value for w in at.warning] + [c.value for c in at.caption]
    banner = any("Données fictives de démonstration" in text for text in shown)
    assert banner == (any_app_env == "demo")  # the notice follows the data


def test_home_shows_headline_figures(app_env):
    at = run_page("pages/accueil.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Territoires"] == "42"
    assert metrics["Innovations"] == "7"
    from essaim.data import store

    engine = store.open_store(f"sqlite:///{app_env}")
    assert metrics["Ateliers tenus"] == str(store.count_workshops(engine))


def _styles(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_projection_mode_applies_from_the_sidebar(app_env):
    at = run_page("pages/accueil.py")
    assert at.toggle(key="projection_mode").value is False
    assert "font-size: 24px" not in _styles(at)
    at.toggle(key="projection_mode").set_value(True).run()
    assert not at.exception
    assert at.toggle(key="projection_mode").value is True
    styles = _styles(at)
    assert "font-size: 24px" in styles  # larger text
    assert '[data-testid="stSidebar"]' in styles and "display: none" in styles  # no sidebar
    assert at.button(key="leave_projection").label == "Quitter le mode projection"
    at.button(key="leave_projection").click().run()  # the way out, the sidebar being hidden
    assert at.toggle(key="projection_mode").value is False
    assert "font-size: 24px" not in _styles(at)


def test_projection_mode_can_start_from_the_url(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["projection"] = "1"
    at.run()
    assert at.toggle(key="projection_mode").value is True
    assert "font-size: 24px" in _styles(at)


def test_every_page_gets_the_french_interface_script(app_env):
    at = run_page("pages/accueil.py")
    [script] = [h.proto for h in at.get("html") if "ESSAIM_FRENCH" in h.proto.body]
    assert script.unsafe_allow_javascript
    assert "Aller au contenu principal" in script.body  # Streamlit's "Skip to main content"


def test_the_french_interface_script_survives_streamlits_sanitiser():
    """Streamlit passes st.html through DOMPurify, which drops a script holding "<" before a
    letter, "/" or "!": the relabelling script must not."""
    import re

    from components.french_interface import french_interface_script

    html = french_interface_script()
    script = html[html.index("<script>") + len("<script>"):html.rindex("</script>")]
    assert not re.search(r"<[/\w!]", script)
    assert "Aide : $1" in script  # JavaScript's group reference, not Python's \1


def map_args(at: AppTest) -> dict:
    """What the map component receives (its arguments as sent to the browser)."""
    import json

    [component] = [c for c in at.get("component_instance")
                   if c.proto.component_name.startswith("streamlit_folium")]
    return json.loads(component.proto.json_args)


def map_data(at: AppTest) -> dict:
    """The data the browser script draws the map from (components/assets/territory_map.js)."""
    import json

    script = map_args(at)["script"]
    start = script.rindex("essaimDrawMap(")  # the call, after the library's definition
    start = script.index("{", script.index(",", start))
    return json.JSONDecoder().raw_decode(script[start:])[0]


def address(at: AppTest, key: str) -> list[str]:
    """The values of one address parameter after the run."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def test_map_uses_no_cdn_and_reruns_on_clicks_and_moves_only(app_env):
    at = run_page("pages/carte.py")
    assert not at.exception
    call = map_args(at)
    links = call["js_links"] + call["css_links"]
    assert links, "Leaflet must be loaded from the app"
    assert all(link.startswith("../../vendor/") for link in links)  # essaim.web.assets routes
    for text in [*links, call["script"], call["html"], call["header"]]:
        for marker in CDN_MARKERS[:-2]:
            assert marker not in text, marker
    assert list(call["returned_objects"]) == ["last_object_clicked", "zoom", "center", "bounds"]
    payload = sum(len(str(call[k])) for k in ("script", "html", "header"))
    assert payload < 400_000


def test_map_draws_with_french_controls_and_insets(app_env):
    at = run_page("pages/carte.py")
    data = map_data(at)
    assert data["strings"]["zoomIn"] == "Zoom avant"
    assert [inset["name"] for inset in data["insets"]] == ["Guadeloupe", "Martinique", "Guyane",
                                                          "La Réunion", "Mayotte"]
    (south, _west), (_north, east) = data["mainland"]
    assert south < 41.5 and east > 9.5  # Corsica is in the mainland view
    brest = next(t for t in data["territories"] if t["code"] == "brest")
    assert brest["label"].startswith("Brest — ") and ", étape " in brest["label"]
    assert data["fit"] is None  # no filter: the whole of France


def test_filters_change_the_count(app_env):
    at = run_page("pages/carte.py")
    assert any("42 territoires affichés sur 42" in m.value for m in at.markdown)
    at.multiselect(key="carte_innovations").set_value(["tapaj"]).run()
    assert any("11 territoires affichés sur 42" in m.value for m in at.markdown)
    at.multiselect(key="carte_stages").set_value(["0"]).run()
    assert any("0 territoire affiché sur 42" in m.value for m in at.markdown)  # French: singular
    assert any("Aucun territoire" in i.value for i in at.info)


def test_filtering_fits_the_map_to_the_filtered_territories(app_env):
    at = run_page("pages/carte.py")
    at.multiselect(key="carte_regions").set_value(["53"]).run()  # Bretagne
    data = map_data(at)
    (south, west), (north, east) = data["fit"]
    points = [(t["lat"], t["lon"]) for t in data["territories"]]
    assert points and all(south <= lat <= north and west <= lon <= east for lat, lon in points)
    assert west > -6 and east < 0  # Brittany, not France
    assert address(at, "region") == ["53"]


def test_the_map_state_is_written_to_the_address(app_env):
    at = run_page("pages/carte.py")
    at.multiselect(key="carte_innovations").set_value(["tapaj"]).run()
    at.selectbox(key="carte_indicator").set_value("pauvrete").run()
    at.toggle(key="carte_epci").set_value(True).run()
    assert address(at, "innovation") == ["tapaj"]
    assert address(at, "indicateur") == ["pauvrete"]
    assert address(at, "epci") == ["1"]


def test_a_link_reproduces_the_map_view(app_env):
    at = run_page("pages/carte.py", {"innovation": "tapaj", "indicateur": "pauvrete",
                                     "territoire": "brest", "vue": "48.4,-4.5,9",
                                     "annees": "2016-2019"})
    assert not at.exception
    assert at.multiselect(key="carte_innovations").value == ["tapaj"]
    assert at.selectbox(key="carte_indicator").value == "pauvrete"
    assert at.select_slider(key="carte_years").value == (2016, 2019)
    assert any(m.value.startswith("## Brest") for m in at.markdown)  # the side panel
    call = map_args(at)
    assert call["zoom"] == 9 and call["center"] == [48.4, -4.5]


def test_a_broken_link_still_opens_the_map(app_env):
    at = run_page("pages/carte.py", {"innovation": "atlantide", "vue": "nord", "annees": "x",
                                     "territoire": "<script>", "zoom": "12"})
    assert not at.exception
    assert at.multiselect(key="carte_innovations").value == []
    # What was left out is said, in French, value by value.
    [notice] = [i.value for i in at.info if "ignoré" in i.value]
    for part in ("« innovation=atlantide »", "« vue=nord »", "« annees=x »",
                 "« territoire=\\<script\\> »", "« zoom=12 »"):
        assert part in notice
    assert map_args(at)["zoom"] is None
    assert any("42 territoires affichés sur 42" in m.value for m in at.markdown)


def test_the_side_panel_closes(app_env):
    at = run_page("pages/carte.py", {"territoire": "brest"})
    at.button(key="carte_close_panel").click().run()
    assert not any(m.value.startswith("### Brest") for m in at.markdown)
    assert "territoire" not in at.query_params


def test_map_passes_imported_names_as_text(app_env, monkeypatch):
    from components import data_access
    from essaim.data.dataset import Dataset

    real = data_access.current_dataset

    def poisoned():
        dataset = real()
        territories = dataset.territories.copy()
        territories.loc[0, "name"] = "</script><img src=x onerror=alert(1)>"
        return Dataset(**{**dataset.__dict__, "territories": territories})

    monkeypatch.setattr(data_access, "current_dataset", poisoned)
    # Datasets are immutable under their id, so the prepared map is cached by id: start afresh.
    from components.territory_map import prepare_territory_map

    prepare_territory_map.clear()
    at = run_page("pages/carte.py")
    prepare_territory_map.clear()
    assert not at.exception
    assert "</script>" not in map_args(at)["script"]  # cannot end the script that carries it
    names = [t["name"] for t in map_data(at)["territories"]]
    assert "</script><img src=x onerror=alert(1)>" in names  # drawn as text by the browser


def test_map_image_is_offered_for_download(app_env):
    at = run_page("pages/carte.py")
    assert any(b.proto.label == "Télécharger la carte (PNG)" for b in at.get("download_button"))


def test_portrait_opens_from_the_url(app_env):
    at = run_page("pages/territoire.py", {"territoire": "orleans-metropole"})
    assert not at.exception
    assert at.selectbox(key="territoire_code").value == "orleans-metropole"
    assert any("Orléans Métropole" in h.value for h in at.header)


def test_portrait_with_unknown_territory_warns(app_env):
    at = run_page("pages/territoire.py", {"territoire": "atlantide"})
    assert not at.exception
    assert any("n'existe pas" in w.value for w in at.warning)


def test_portrait_search_ignores_accents(app_env):
    at = run_page("pages/territoire.py")
    at.text_input(key="territoire_query").input("saint etienne").run()
    assert at.selectbox(key="territoire_code").value == "saint-etienne"
    at.text_input(key="territoire_query").input("zzzz").run()
    assert any("Aucun lieu ne correspond" in i.value for i in at.info)


def test_portrait_search_folds_ligatures_knows_common_names_and_answers_uncovered_places(app_env):
    at = run_page("pages/territoire.py")
    at.text_input(key="territoire_query").input("Grand Lyon").run()
    assert at.selectbox(key="territoire_code").value == "vaulx-en-velin-grande-ile"
    assert "Grand Lyon (Métropole de Lyon)" in at.selectbox(key="territoire_code").format_func(
        "vaulx-en-velin-grande-ile")
    # No territory of the demo is in Lozère: the place, its département, the nearest ones.
    at.text_input(key="territoire_query").input("coeur de lozere").run()
    [notice] = [i.value for i in at.info if "ne couvre" in i.value]
    assert "Cœur de Lozère" in notice and "Lozère (48)" in notice
    assert re.search(r"Montpellier à \d+ km", notice)
    assert at.selectbox(key="territoire_code").value == "montpellier"
    assert "km de Communauté de communes Cœur de Lozère" in at.selectbox(
        key="territoire_code").format_func("montpellier")


def open_detail(at: AppTest, tab: str) -> AppTest:
    at.session_state["portrait_detail"] = tab
    return at.run()


def test_portrait_leads_with_key_figures_and_their_statuses(app_env):
    at = run_page("pages/territoire.py", {"territoire": "rennes"})
    assert not at.exception
    [cards] = [h for h in at.get("html") if "essaim-cards" in h.proto.body]
    # Rennes' exits to work were disputed in 2018 and 2019: the card says so beside the value.
    assert "Statut : source unique (en désaccord en 2018; en désaccord en 2019)" in cards.proto.body
    assert cards.proto.body.count('class="essaim-card"') >= 4
    assert len(at.get("plotly_chart")) == 0  # the detail waits in its tabs


def test_a_portrait_without_epci_says_n_d(app_env):
    at = run_page("pages/territoire.py", {"territoire": "paris-19e"})
    caption = next(c.value for c in at.caption if "EPCI" in c.value)
    assert "EPCI n.d." in caption and "nan" not in caption


def test_two_territories_side_by_side_from_the_address(app_env):
    at = run_page("pages/territoire.py", {"territoire": "grenoble", "avec": "villeurbanne"})
    assert not at.exception
    assert at.selectbox(key="portrait_pair").value == "villeurbanne"
    tables = [t.value for t in at.table]
    columns = {str(c) for table in tables for c in table.columns}
    assert {"Grenoble", "Villeurbanne"} <= columns
    assert any("France" in table.columns for table in tables)
    text = " ".join(str(v) for table in tables for v in table.to_numpy().ravel())
    assert "Isère (38)" in text and "Rhône" in text or "Métropole de Lyon" in text


def test_portrait_without_a_territory_asks_which(app_env):
    at = run_page("pages/territoire.py")
    assert not at.exception
    assert at.selectbox(key="territoire_code").value is None
    assert any("Quel territoire" in i.value for i in at.info)
    assert not at.header  # no portrait shown in silence


@pytest.mark.parametrize("query,expected", [("Pessac", "bordeaux-metropole"),
                                            ("metropole de lyon", "vaulx-en-velin-grande-ile"),
                                            ("Isère", "grenoble"), ("38", "grenoble"),
                                            ("GIRONDE", "bordeaux")])
def test_portrait_search_finds_communes_epci_and_departements(app_env, query, expected):
    at = run_page("pages/territoire.py")
    at.text_input(key="territoire_query").input(query).run()
    assert not at.exception
    assert at.selectbox(key="territoire_code").value == expected
    assert address(at, "territoire") == [expected]


def test_portrait_shows_disagreements_series_and_regional_context(app_env):

    at = open_detail(run_page("pages/territoire.py", {"territoire": "rennes"}), "Désaccords")
    assert not at.exception
    assert any("2 désaccords entre partenaires" in w.value for w in at.warning)
    at = open_detail(at, "Évolution")
    assert any(t.startswith("Indicateurs clés par période") for t in chart_titles(at))
    assert len(at.get("plotly_chart")) >= 2  # one small chart per key indicator
    series = next(t.value for t in at.dataframe if "Valeur du territoire" in t.value.columns)
    assert list(series.columns[3:5]) == ["Valeur du territoire", "Statut"]  # every period's status
    assert "en désaccord" in set(series["Statut"])  # Rennes' exits to work, 2018 and 2019
    at = open_detail(at, "Contexte")
    headings = [str(column) for table in at.dataframe for column in table.value.columns]
    assert any(h.startswith("Région (Bretagne") for h in headings)
    assert "France (calcul Essaim)" in headings


def test_portrait_changes_show_the_right_arrow(app_env):
    from components.territory_portrait import change_style

    assert change_style(-0.7, "up") == ("down", "red")  # "−0,7" is a fall, and bad news
    assert change_style(-2.0, "down") == ("down", "green")
    assert change_style(0.0, "up") == ("off", "gray")
    assert change_style(None, "up") == ("off", "gray")


def test_unreachable_database_shows_a_french_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/x?connect_timeout=2")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("injoignable" in e.value for e in at.error)
    assert any("DATABASE_URL" in e.value for e in at.error)


def test_missing_reference_file_shows_a_french_message(app_env, monkeypatch, tmp_path):
    from components import data_access
    from essaim.data import reference

    monkeypatch.setattr(reference, "REFERENCE_DIR", tmp_path)
    monkeypatch.setattr(reference.load_departements, "__defaults__", (tmp_path,))
    data_access.departements.clear()
    try:
        at = run_page("pages/sources.py")
        assert not at.exception
        assert any("absent ou illisible" in e.value for e in at.error)
    finally:
        data_access.departements.clear()


def test_epci_layer_and_optional_background(app_env):
    at = run_page("pages/carte.py")
    data = map_data(at)
    assert data["epci"] is None and data["osm"] is False  # offline by default
    at.toggle(key="carte_epci").set_value(True).run()
    assert not at.exception
    names = {f["properties"]["nom"] for f in map_data(at)["epci"]["features"]}
    assert "Bordeaux Métropole" in names  # an EPCI contour's name
    at.toggle(key="carte_osm").set_value(True).run()
    assert map_data(at)["osm"] is True


def test_choropleth_indicator_changes_the_legend(app_env):
    at = run_page("pages/carte.py")
    at.selectbox(key="carte_indicator").set_value("pauvrete").run()
    assert not at.exception
    assert any("Filosofi" in c.value for c in at.caption)
    values = {f["properties"]["nom"]: f["properties"]["valeur"]
              for f in map_data(at)["departements"]["features"]}
    assert values["Guyane"] == "n.d."  # Guadeloupe, Guyane, Mayotte have no rate
    legend = "\n".join(h.proto.body for h in at.get("html"))
    assert "à moins de" in legend  # class bounds that do not overlap


def test_missing_contours_show_a_french_message(app_env, monkeypatch, tmp_path):
    from components import territory_map
    from essaim.explorer import geo

    caches = [territory_map._load_contours, territory_map._coloured_departements,
              territory_map.prepare_territory_map]
    monkeypatch.setattr(geo.load_geojson, "__defaults__", (tmp_path,))
    for cache in caches:
        cache.clear()
    try:
        at = run_page("pages/carte.py")
        assert not at.exception
        assert any("contours" in e.value and "absent ou illisible" in e.value for e in at.error)
    finally:
        for cache in caches:
            cache.clear()


def test_portrait_shows_indirect_impacts_and_avoided_costs(app_env):
    at = open_detail(run_page("pages/territoire.py", {"territoire": "bordeaux"}),
                     "Impacts indirects")
    assert any(m.label.startswith("Bien-être déclaré") for m in at.metric)
    at = open_detail(at, "Coûts évités")
    assert any(m.label.startswith("Coûts publics évités nets") for m in at.metric)
    assert any("Coûts unitaires retenus" in m.value for m in at.markdown)


COMPARER_VIEWS = ["Partenaires × indicateurs", "Barres groupées", "Radar", "Nuage de points",
                  "Désaccords entre partenaires", "Doubles différences", "Coûts évités"]


def chart_titles(at: AppTest) -> list[str]:
    """The charts' titles: headings in the page (components.charts), not inside the figures."""
    return [re.sub(r"<[^>]+>", "", m.value) for m in at.markdown if "essaim-chart-title" in m.value]


def open_view(at: AppTest, view: str) -> AppTest:
    at.session_state["cmp_view"] = view
    return at.run()


@pytest.mark.parametrize("view", COMPARER_VIEWS)
def test_comparer_draws_each_view_with_its_data(app_env, view):
    at = open_view(run_page("pages/comparer.py"), view)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1  # lazy tabs: only the open view is computed
    assert any(e.label == "Voir les données" for e in at.expander)


def test_comparer_disagreements_and_did(app_env):
    at = open_view(run_page("pages/comparer.py"), "Désaccords entre partenaires")
    assert any("désaccord" in w.value for w in at.warning)
    at = open_view(at, "Doubles différences")
    metrics = {m.label: m.value for m in at.metric}
    assert "Effet moyen estimé après le démarrage (‰)" in metrics
    # TAPAJ (the most spread): 5 territories reached Étape III with a year before it; the clean
    # comparison group has 6 territories never at Étape III and 15 not yet there.
    assert metrics["Territoires avec l'innovation / de comparaison"] == "5 / 21"
    assert any("Groupe de comparaison" in e.label or "comparé" in e.label for e in at.expander)
    at.radio(key="cmp_did_rule").set_value("elargie").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Territoires avec l'innovation / de comparaison"] == "6 / 31"
    assert any("sous-estime" in w.value for w in at.warning)


@pytest.mark.parametrize("method", ["pour_100_beneficiaires", "pour_10000_habitants", "ecart_reference"])
def test_comparer_normalisations_change_what_is_drawn(app_env, method):
    import json

    from essaim.figures.normalise import NORMALISED_UNITS

    at = run_page("pages/comparer.py")
    raw = json.loads(at.get("plotly_chart")[0].proto.spec)
    at.selectbox(key="cmp_method").set_value(method).run()
    assert not at.exception
    if method == "ecart_reference":  # no key figure has a reference statistic: said, not drawn
        assert any("aucune valeur de la sélection" in i.value for i in at.info)
        return
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert any(NORMALISED_UNITS[method] in title for title in chart_titles(at))
    assert spec["data"][0]["text"] != raw["data"][0]["text"]  # other numbers in the cells


@pytest.mark.parametrize("view", COMPARER_VIEWS)
def test_every_comparer_chart_has_a_title_and_its_source(app_env, view):
    import json

    at = open_view(run_page("pages/comparer.py"), view)
    [chart] = at.get("plotly_chart")
    layout = json.loads(chart.proto.spec)["layout"]
    assert not layout.get("title", {}).get("text")  # the title is a heading that wraps
    [title] = chart_titles(at)
    assert title.strip()
    assert any(c.value.startswith("Source : ") for c in at.caption)
    assert "<h2 " in next(m.value for m in at.markdown if "essaim-chart-title" in m.value)


def test_comparer_axis_titles_say_what_is_shown(app_env):
    import json

    at = open_view(run_page("pages/comparer.py"), "Barres groupées")
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    value_axis = layout["xaxis"]["title"]["text"]  # many innovations: horizontal bars
    assert value_axis == "Bénéficiaires accompagnés<br>(personnes)"
    at.selectbox(key="cmp_method").set_value("pour_10000_habitants").run()
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    # Long axis titles are wrapped (plotly would cut them on a phone).
    assert layout["xaxis"]["title"]["text"] == "Bénéficiaires accompagnés, pour<br>10 000 habitants"


def test_comparer_bars_grouped_by_partner_type(app_env):
    import json

    from essaim.data.model import PARTNER_TYPES

    at = open_view(run_page("pages/comparer.py"), "Barres groupées")
    at.radio(key="cmp_bars_by").set_value("type").run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    categories = {c.replace("<br>", " ") for trace in spec["data"] for c in trace["x" if trace.get(
        "orientation") != "h" else "y"]}
    assert categories and categories <= set(PARTNER_TYPES.values())


def test_comparer_filters_by_territory_and_partner(app_env, dataset):
    import json

    def partners_drawn(at: AppTest) -> set[str]:
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return {c.replace("<br>", " ") for trace in spec["data"]
                for c in trace["y" if trace.get("orientation") == "h" else "x"]}

    at = open_view(run_page("pages/comparer.py"), "Barres groupées")
    at.radio(key="cmp_bars_by").set_value("partenaire").run()
    at.multiselect(key="cmp_territories").set_value(["rennes"]).run()
    names = dataset.partners.set_index("code")["name"]
    values = dataset.indicator_values
    reporting = set(values.loc[(values["territory_code"] == "rennes")
                               & (values["indicator_code"] == "beneficiaires"), "partner_code"])
    assert partners_drawn(at) == {names[c] for c in reporting}
    one = min(reporting)
    at.multiselect(key="cmp_partners").set_value([one]).run()
    assert partners_drawn(at) == {names[one]}


def test_heatmap_says_why_when_nothing_can_be_drawn(app_env):
    at = run_page("pages/comparer.py")
    at.multiselect(key="cmp_partners").set_value([at.multiselect(key="cmp_partners").options[0]]).run()
    at.selectbox(key="cmp_method").set_value("ecart_reference").run()
    assert not at.exception
    assert not at.get("plotly_chart")  # never an empty box
    assert any("Rien à afficher" in i.value for i in at.info)


def test_comparer_empty_selection_gives_a_helpful_message(app_env):
    at = run_page("pages/comparer.py")
    at.multiselect(key="cmp_indicators").set_value([]).run()
    assert not at.exception
    assert any("Choisissez au moins un indicateur" in i.value for i in at.info)


def test_comparer_radar_needs_three_indicators(app_env):
    at = open_view(run_page("pages/comparer.py"), "Radar")
    at.multiselect(key="cmp_indicators").set_value(["beneficiaires", "sorties_emploi"]).run()
    assert not at.exception
    assert any("au moins trois indicateurs" in i.value for i in at.info)


# --- every page holds on a dataset that is not the demo -----------------------------------------

@pytest.fixture
def second_env(monkeypatch, second_db_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ESSAIM_SQLITE_PATH", str(second_db_path))


@pytest.mark.parametrize("view", COMPARER_VIEWS)
def test_comparer_views_on_the_second_dataset(second_env, view):
    at = open_view(run_page("pages/comparer.py"), view)
    assert not at.exception, [e.value for e in at.exception]
    # Either a chart with its data, or a French message saying why there is none.
    assert len(at.get("plotly_chart")) == 1 or at.info or at.success


def test_comparer_defaults_to_the_common_reference_year(second_env):
    """Quimper alone reports 2025: every default year stops at 2024, the common reference year."""
    at = run_page("pages/comparer.py")
    assert at.multiselect(key="cmp_periods").value == ["2022", "2023", "2024"]
    at.multiselect(key="cmp_periods").set_value(["2023", "2024", "2025"]).run()
    at = open_view(at, "Coûts évités")
    assert not at.exception
    assert at.selectbox(key="cmp_costs_period").value == "2024"
    assert at.selectbox(key="cmp_costs_start").value == "2024"
    assert any("(2024)" in m.label for m in at.metric)


@pytest.mark.parametrize("method", ["pour_100_beneficiaires", "pour_10000_habitants",
                                    "cible_reference"])
def test_comparer_normalisations_on_the_second_dataset(second_env, method):

    from essaim.figures.normalise import NORMALISED_UNITS, WHOLE_COMMUNE

    at = run_page("pages/comparer.py")
    if method == "cible_reference":  # its only rate with a reference statistic is not a default
        at.multiselect(key="cmp_indicators").set_value(["part_jeunes_accueillis"]).run()
        # It counts the people welcomed, not residents: no gap, a target.
        at.selectbox(key="cmp_method").set_value("ecart_reference").run()
        assert any("Rien à afficher" in i.value for i in at.info)
    at.selectbox(key="cmp_method").set_value(method).run()
    assert not at.exception
    if method == "pour_10000_habitants":  # Le Mirail is a QPV: its commune's population, said
        assert any(WHOLE_COMMUNE in c.value and "Le Mirail" in c.value for c in at.caption)
    assert at.get("plotly_chart")
    assert any(NORMALISED_UNITS[method] in title for title in chart_titles(at))


@pytest.mark.parametrize("territory", ["gap", "mirail", "coeur-lozere", "ajaccio", "quimper",
                                       "saint-laurent"])
def test_portraits_of_the_second_dataset(second_env, territory):
    at = run_page("pages/territoire.py", {"territoire": territory})
    assert not at.exception, [e.value for e in at.exception]
    if territory == "gap":  # no value at all: said, not zero
        assert any("Aucun indicateur" in i.value for i in at.info)
        assert not any(m.value in ("0", "0 €") for m in at.metric)


def test_the_second_datasets_key_figures_ignore_the_territory_a_year_ahead(second_env):
    at = run_page("pages/carte.py")
    assert not at.exception
    assert any("8 territoires affichés sur 8" in m.value for m in at.markdown)


def _code_like_strings(path: Path) -> list[str]:
    """Every string literal of a module that reads as code rather than prose (no space)."""
    import ast

    strings = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " not in node.value:
            strings.append(node.value)
    return strings


def test_no_demo_code_is_written_in_the_code():
    """Essaim runs on any dataset: what an indicator is for is declared in the data; no demo
    indicator, innovation or partner code is named in essaim/, components/ or pages/ (the demo
    generator and its specification, and the vocabulary of families in essaim/data/model.py
    excepted)."""
    import re

    from essaim.data.demo import read_demo_tables

    demo = read_demo_tables()
    codes = {row["code"] for table in ("indicators", "innovations", "partners")
             for row in demo[table]}
    root = Path(APP).parent
    allowed = {root / "essaim" / "data" / name
               for name in ("demo_generator.py", "demo_spec.py", "model.py")}
    # One pattern for every code (longest first, so that a code is not hidden by its prefix).
    named = re.compile(r"(?<![\w-])(" + "|".join(
        re.escape(code) for code in sorted(codes, key=len, reverse=True)) + r")(?![\w-])")
    found = []
    for folder in ("essaim", "components", "pages"):
        for path in sorted((root / folder).rglob("*.py")):
            if path in allowed:
                continue
            for text in _code_like_strings(path):
                found += [f"{path.relative_to(root)}: {code} dans « {text} »"
                          for code in sorted(set(named.findall(text)))]
    assert found == []


def test_the_demo_code_check_would_catch_a_code(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('PROSE = "Intervalle de confiance"\nCODE = "sorties_emploi"\n')
    assert _code_like_strings(sample) == ["sorties_emploi"]
