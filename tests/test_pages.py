"""Every page through AppTest, started from app.py."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CDN_MARKERS = ("unpkg", "jsdelivr", "cdnjs", "googleapis", "bootstrapcdn", "code.jquery", "d3js",
               "http://", "https://")

PAGES = {
    "pages/accueil.py": "Essaim",
    "pages/carte.py": "Carte des territoires",
    "pages/territoire.py": "Mon territoire",
    "pages/comparer.py": "Comparer les indicateurs",
    "pages/sources.py": "Sources des données",
}


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
    assert [t.value for t in at.title][0] == title
    banner = any("Données fictives de démonstration" in w.value for w in at.warning)
    assert banner == (any_app_env == "demo")  # the notice follows the data


def test_home_shows_headline_figures(app_env):
    at = run_page("pages/accueil.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Territoires"] == "42"
    assert metrics["Innovations"] == "7"
    from essaim import store

    engine = store.open_store(f"sqlite:///{app_env}")
    assert metrics["Ateliers tenus"] == str(store.count_workshops(engine))


def _styles(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_projection_mode_applies_from_the_sidebar(app_env):
    at = run_page("pages/accueil.py")
    assert at.toggle(key="projection_mode").value is False
    assert "font-size: 22px" not in _styles(at)
    at.toggle(key="projection_mode").set_value(True).run()
    assert not at.exception
    assert at.toggle(key="projection_mode").value is True
    styles = _styles(at)
    assert "font-size: 22px" in styles  # larger text
    assert '[data-testid="stToolbar"]' in styles and "display: none" in styles  # no toolbar


def test_projection_mode_can_start_from_the_url(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["projection"] = "1"
    at.run()
    assert at.toggle(key="projection_mode").value is True
    assert "font-size: 22px" in _styles(at)


@pytest.fixture
def captured_map(monkeypatch):
    """Replace streamlit-folium's component call to capture what would reach the browser."""
    import streamlit_folium

    calls = []

    def fake_component(**kwargs):
        calls.append(kwargs)
        return kwargs.get("default")

    monkeypatch.setattr(streamlit_folium, "_component_func", fake_component)
    return calls


def test_map_uses_no_cdn_and_only_clicks_rerun(app_env, captured_map):
    at = run_page("pages/carte.py")
    assert not at.exception
    call = captured_map[-1]
    links = call["js_links"] + call["css_links"]
    assert links, "Leaflet must be loaded from the app"
    assert all("/app/static/vendor/" in link for link in links)
    for text in [*links, call["script"], call["html"], call["header"]]:
        for marker in CDN_MARKERS:
            assert marker not in text, marker
    assert list(call["returned_objects"]) == ["last_object_clicked"]
    payload = sum(len(str(call[k])) for k in ("script", "html", "header"))
    assert payload < 400_000


def test_filters_change_the_count(app_env, captured_map):
    at = run_page("pages/carte.py")
    assert any("42 territoires affichés sur 42" in m.value for m in at.markdown)
    at.multiselect(key="carte_innovations").set_value(["tapaj"]).run()
    assert any("11 territoires affichés sur 42" in m.value for m in at.markdown)
    at.multiselect(key="carte_stages").set_value(["0"]).run()
    assert any("0 territoire affiché sur 42" in m.value for m in at.markdown)  # French: singular
    assert any("Aucun territoire" in i.value for i in at.info)


def test_map_escapes_imported_names(app_env, captured_map, monkeypatch):
    from essaim.dataset import Dataset
    import components.data_access as data_access

    real = data_access.current_dataset

    def poisoned():
        dataset = real()
        territories = dataset.territories.copy()
        territories.loc[0, "name"] = "<img src=x onerror=alert(1)>"
        return Dataset(**{**dataset.__dict__, "territories": territories})

    monkeypatch.setattr(data_access, "current_dataset", poisoned)
    # Datasets are immutable under their id, so the rendered map is cached by id: start afresh.
    from components.territory_map import prepare_territory_map

    prepare_territory_map.clear()
    at = run_page("pages/carte.py")
    prepare_territory_map.clear()
    assert not at.exception
    script = captured_map[-1]["script"]
    assert "<img src=x" not in script
    assert "&lt;img src=x onerror=alert(1)&gt;" in script


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
    assert any("Aucun territoire" in i.value for i in at.info)


def test_unreachable_database_shows_a_french_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/x?connect_timeout=2")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("injoignable" in e.value for e in at.error)
    assert any("DATABASE_URL" in e.value for e in at.error)


def test_missing_reference_file_shows_a_french_message(app_env, monkeypatch, tmp_path):
    import essaim.reference as reference
    import components.data_access as data_access

    monkeypatch.setattr(reference, "REFERENCE_DIR", tmp_path)
    monkeypatch.setattr(reference.load_departements, "__defaults__", (tmp_path,))
    data_access.departements.clear()
    try:
        at = run_page("pages/sources.py")
        assert not at.exception
        assert any("absent ou illisible" in e.value for e in at.error)
    finally:
        data_access.departements.clear()


def test_epci_layer_and_optional_background(app_env, captured_map):
    at = run_page("pages/carte.py")
    assert "openstreetmap" not in captured_map[-1]["script"].lower()  # offline by default
    at.toggle(key="carte_epci").set_value(True).run()
    assert not at.exception
    assert "Bordeaux Métropole" in captured_map[-1]["script"]  # an EPCI contour's name
    at.toggle(key="carte_osm").set_value(True).run()
    assert "tile.openstreetmap.org" in captured_map[-1]["script"]


def test_choropleth_indicator_changes_the_legend(app_env, captured_map):
    at = run_page("pages/carte.py")
    at.selectbox(key="carte_indicator").set_value("pauvrete").run()
    assert not at.exception
    assert any("Filosofi" in c.value for c in at.caption)
    assert "n.d." in captured_map[-1]["script"]  # Guadeloupe, Guyane, Mayotte have no rate


def test_missing_contours_show_a_french_message(app_env, captured_map, monkeypatch, tmp_path):
    import essaim.geo as geo
    from components import territory_map

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
    at = run_page("pages/territoire.py", {"territoire": "bordeaux"})
    labels = [m.label for m in at.metric]
    assert any(label.startswith("Bien-être déclaré") for label in labels)
    assert any(label.startswith("Coûts évités nets") for label in labels)
    assert any("Coûts unitaires retenus" in m.value for m in at.markdown)


COMPARER_VIEWS = ["Partenaires × indicateurs", "Barres groupées", "Radar", "Nuage de points",
                  "Désaccords entre partenaires", "Doubles différences", "Coûts évités"]


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
    assert "Effet moyen estimé (après le démarrage)" in metrics
    # TAPAJ (the most spread): territories whose essaimage reached Étape III with years before it.
    treated, control = metrics["Territoires avec / sans l'innovation"].split(" / ")
    assert int(control) == 42 - 11 and 0 < int(treated) <= 11


@pytest.mark.parametrize("method", ["pour_100_beneficiaires", "pour_10000_habitants", "ecart_reference"])
def test_comparer_normalisations_change_what_is_drawn(app_env, method):
    import json

    from essaim.normalise import NORMALISED_UNITS

    at = run_page("pages/comparer.py")
    raw = json.loads(at.get("plotly_chart")[0].proto.spec)
    at.selectbox(key="cmp_method").set_value(method).run()
    assert not at.exception
    if method == "ecart_reference":  # no key figure has a reference statistic: said, not drawn
        assert any("aucune valeur de la sélection" in i.value for i in at.info)
        return
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert NORMALISED_UNITS[method] in spec["layout"]["title"]["text"]
    assert spec["data"][0]["text"] != raw["data"][0]["text"]  # other numbers in the cells


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


def test_every_page_file_is_routed_and_benchmarked():
    import re

    from essaim.site_map import SITE_MAP

    root = Path(APP).parent
    files = {f"pages/{p.name}" for p in (root / "pages").glob("*.py")}
    routed = {f"pages/{spec.file}" for spec in SITE_MAP}
    benchmarked = set(re.findall(r'"(pages/[a-z_]+\.py)"', (root / "bench" / "bench_pages.py").read_text()))
    assert files == routed == benchmarked


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


@pytest.mark.parametrize("method", ["pour_100_beneficiaires", "pour_10000_habitants", "ecart_reference"])
def test_comparer_normalisations_on_the_second_dataset(second_env, method):
    at = run_page("pages/comparer.py")
    at.selectbox(key="cmp_method").set_value(method).run()
    assert not at.exception


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
    generator and the vocabulary of families in essaim/model.py excepted)."""
    import re

    from essaim.demo import read_demo_tables

    demo = read_demo_tables()
    codes = {row["code"] for table in ("indicators", "innovations", "partners")
             for row in demo[table]}
    root = Path(APP).parent
    allowed = {root / "essaim" / "demo_generator.py", root / "essaim" / "model.py"}
    found = []
    for folder in ("essaim", "components", "pages"):
        for path in sorted((root / folder).rglob("*.py")):
            if path in allowed:
                continue
            for text in _code_like_strings(path):
                found += [f"{path.relative_to(root)}: {code} dans « {text} »" for code in codes
                          if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)]
    assert found == []


def test_the_demo_code_check_would_catch_a_code(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('PROSE = "Intervalle de confiance"\nCODE = "sorties_emploi"\n')
    assert _code_like_strings(sample) == ["sorties_emploi"]
