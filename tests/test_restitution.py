"""Restitution documents: the deck and the PDF open and carry the expected titles, figures,
sources and the demo notice; a missing browser gives documents without charts, said in French."""

import io
import shutil

import pytest
from pptx import Presentation
from pypdf import PdfReader

from essaim import store, workshops
from essaim.chart_images import ChartExportUnavailable, render_pngs
from essaim.geo import load_geojson
from tests.conftest import demo_grid
from essaim.reference import load_departements
from essaim.report import build_report, scope_dataset
from essaim.report_render import render_pdf, render_pptx


@pytest.fixture(scope="module")
def contours():
    return load_geojson("departements-web.geojson")


def _texts(deck_bytes: bytes) -> list[str]:
    deck = Presentation(io.BytesIO(deck_bytes))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


def _pictures(deck_bytes: bytes) -> int:
    deck = Presentation(io.BytesIO(deck_bytes))
    return sum(1 for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13)


def _pdf_text(pdf_bytes: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


@pytest.fixture(scope="module")
def accelerator_documents(dataset, contours):
    if not shutil.which("chromium"):
        pytest.skip("Chromium absent : les graphiques ne peuvent pas être dessinés")
    content = build_report(dataset, load_departements(), contours, "accelerateur")
    figures = content.figures()
    images = dict(zip((id(f) for f in figures), render_pngs([f.figure for f in figures])))
    return content, render_pptx(content, images), render_pdf(content, images)


def test_the_deck_opens_with_titles_figures_sources_and_notice(accelerator_documents):
    content, deck, _ = accelerator_documents
    texts = _texts(deck)
    assert "Restitution — l'Accélérateur d'innovation sociale #Emploi" in texts
    for title in ("Les territoires de l'essaimage", "Chiffres clés", "Sources et millésimes",
                  "Paroles d'acteurs"):
        assert title in texts
    assert _pictures(deck) == len(content.figures()) >= 2
    joined = "\n".join(texts)
    assert "Données fictives de démonstration" in joined
    assert "INSEE, taux de chômage localisé (CVS), T4 2025 (provisoire)" in joined
    assert "42" in joined  # territories in the key figures


def test_the_pdf_opens_with_the_same_content(accelerator_documents):
    _, _, pdf = accelerator_documents
    text = _pdf_text(pdf)
    for expected in ("Restitution", "Chiffres clés", "Sources et millésimes",
                     "Données fictives de démonstration", "Territoires", "42",
                     "IGN Admin Express 2018"):
        assert expected in text, expected
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2


def test_a_workshop_restitution_has_its_grid_history_and_room(dataset, contours, tmp_path):
    engine = store.open_store(f"sqlite:///{tmp_path / 'w.sqlite'}")
    created = workshops.create_workshop(engine, title="Comptoir n°6", kind="comptoir",
                                        grid=demo_grid())
    ids = [d.id for d in demo_grid().dimensions]
    for i, role in enumerate(["Élu·e", "Financeur", "Bénéficiaire"]):
        token = workshops.join_workshop(engine, created.code, role=role)
        points = [10] * 7
        points[i] += 30
        workshops.save_weights(engine, created.code, token, dict(zip(ids, points)))
    workshops.add_proposal(engine, created.code, token, "perverse_effect", "Écrémage des publics")
    content = build_report(dataset, load_departements(), contours, "atelier", created.code, engine)
    titles = [s.title for s in content.sections]
    assert "Grille finale (version 1)" in titles and "Historique de la grille" in titles
    assert "Participation" in titles and "Les poids de la salle" in titles
    deck = render_pptx(content, {})  # without charts: placeholders, still a valid deck
    texts = "\n".join(_texts(deck))
    assert "Écrémage des publics" in texts and "Graphique indisponible" in texts
    assert "Participants par rôle" in texts
    pdf_text = _pdf_text(render_pdf(content, {}))
    assert "Grille d'évaluation adoptée" in pdf_text and "Comptoir n°6" in pdf_text


def test_territory_scope_and_its_data(dataset, contours):
    content = build_report(dataset, load_departements(), contours, "territoire", "mamoudzou")
    context = next(s for s in content.sections if s.title.startswith("Contexte"))
    values = list(context.tables[0].frame["Valeur"])
    assert "n.d." in values  # Mayotte: no unemployment nor poverty rate, never 0
    scoped = scope_dataset(dataset, "territoire", "mamoudzou")
    assert list(scoped.territories["code"]) == ["mamoudzou"]
    assert set(scoped.indicator_values["territory_code"]) <= {"mamoudzou"}


def test_unknown_scope_values_are_refused_in_french(dataset, contours):
    with pytest.raises(ValueError, match="Choisissez"):
        build_report(dataset, load_departements(), contours, "territoire", "atlantide")


def test_no_browser_gives_a_clear_message(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ChartExportUnavailable, match="Chromium est absent"):
        render_pngs([])
