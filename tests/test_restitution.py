"""Restitution documents, on the demo and on the second dataset: the deck and the PDF open with
python-pptx and pypdf; titles, the one-page summary and comparison points are there; every
shape lies on its slide and no two text boxes overlap; charts are native PowerPoint charts; the
PDF embeds a font that has every character of its text, prints nothing under 9 pt, keeps
headings with what follows and gives Paris times; files are named after scope, code and date;
a workshop's restitution has its room, proposals (moderated ones left out), votes and versions."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from essaim import workshops
from essaim.data import store
from essaim.data.reference import load_departements
from essaim.explorer.geo import load_geojson
from essaim.figures.counted import STATUS_SHORT, counted_values
from essaim.numbers.dates import format_time
from essaim.reports.content import build_report, document_file_name, file_stem, scope_dataset
from essaim.reports.fonts import missing_glyphs
from essaim.reports.model import Chart, KeyNumbers, Quotes, Table
from essaim.reports.render import render_documents
from essaim.workshops.grid import Criterion
from tests.conftest import _read_only_copy, demo_grid

# The documents are made once per process and read by most tests here: with pytest-xdist
# (`--dist loadgroup`), this module runs on one worker instead of making them on every worker.
pytestmark = pytest.mark.xdist_group("restitution_documents")

PARIS = ZoneInfo("Europe/Paris")
SLIDE_W, SLIDE_H = Emu(int(13.333 * 914400)), Emu(int(7.5 * 914400))


# --- producing the documents once per dataset and scope ------------------------------------------

@pytest.fixture(scope="module")
def contours():
    return load_geojson("departements-web.geojson")


@pytest.fixture(scope="module")
def departements():
    return load_departements()


def _room(engine, innovation: str) -> dict:
    """A session on `innovation`: named and anonymous people with roles, points, ratings,
    proposals (one hidden by the facilitator, one upvoted), two new grid versions."""
    grid = demo_grid()
    created = workshops.create_workshop(engine, title="Comptoir <d'essai> & Cie", kind="comptoir",
                                        grid=grid, author="Animation ANSA",
                                        scope_innovation=innovation)
    code = created.code
    dimensions = [d.id for d in grid.dimensions]
    criteria = [c.id for _, c in grid.criteria()]
    people = [("Camille", "Élu·e"), ("", "Financeur"), ("Zoé", ""), ("", "")]
    tokens = []
    for index, (name, role) in enumerate(people):
        token = workshops.join_workshop(engine, code, pseudonym=name, role=role)
        tokens.append(token)
        points = [10] * len(dimensions)
        points[index] += 100 - sum(points)
        workshops.save_weights(engine, code, token, dict(zip(dimensions, points)))
        workshops.save_ratings(engine, code, token, {criteria[0]: 5, criteria[1]: 1 + index})
    workshops.add_proposal(engine, code, tokens[0], "perverse_effect", "Écrémage des publics")
    workshops.add_proposal(engine, code, tokens[1], "comment", "Texte masqué par l'animation")
    workshops.add_proposal(engine, code, tokens[3], "criterion", "Mobilité <b>gras</b> & co")
    said = workshops.read_inputs(engine, code)
    slot = dict(zip([p.get("text") for p in said["payload"]], said["slot"]))
    workshops.moderate_proposal(engine, code, created.pin, slot["Texte masqué par l'animation"],
                                "hide")
    for token in tokens[1:3]:
        workshops.set_vote(engine, code, token, slot["Écrémage des publics"], True)
    current, version = workshops.current_grid(engine, code)
    changed = current.with_criterion_weights({criteria[0]: 9})
    workshops.save_grid_version(engine, code, created.facilitator_token, changed,
                                expected_version=version, author="Léa (animation)",
                                summary="Poids de la salle")
    added = changed.with_criterion(grid.dimensions[0].id, Criterion("mobilite", "Mobilité", None, 2))
    workshops.save_grid_version(engine, code, created.pin, added, expected_version=version + 1,
                                author="Sam (animation)", summary="Proposition de la salle")
    return {"code": code, "pin": created.pin, "token": created.facilitator_token,
            "criterion": current.criterion(criteria[0]).label}


@pytest.fixture(scope="module")
def stores(demo_db_path, second_db_path, tmp_path_factory):
    """Private copies of both stores, each with one workshop session."""
    found = {}
    for name, path in (("demo", demo_db_path), ("second", second_db_path)):
        copy = _read_only_copy(path, tmp_path_factory.mktemp(f"restitution_{name}"))
        engine = store.open_store(f"sqlite:///{copy}")
        dataset = store.read_dataset(engine)
        innovation = dataset.essaimages["innovation_code"].value_counts().index[0]
        found[name] = {"engine": engine, "dataset": dataset, "room": _room(engine, innovation),
                       "counted": counted_values(dataset)}
    yield found
    for entry in found.values():
        entry["engine"].dispose()


SCOPES = {  # (dataset, kind) → value; None: the accelerator, "room": the session of `stores`
    ("demo", "accelerateur"): None, ("demo", "innovation"): "tapaj",
    ("demo", "territoire"): "grenoble",  # two innovations: compared one by one
    ("demo", "atelier"): "room",
    ("second", "accelerateur"): None, ("second", "innovation"): "coop_jeunesse",
    ("second", "territoire"): "lens", ("second", "atelier"): "room",
}
_contents: dict = {}
_produced: dict = {}


def content_of(stores, departements, contours, name: str, kind: str):
    """The content of a scope, gathered once for the module (a few seconds less than laying
    its documents out, for tests that read only what the documents will say)."""
    if (name, kind) not in _contents:
        entry = stores[name]
        value = SCOPES[(name, kind)]
        value = entry["room"]["code"] if value == "room" else value
        _contents[(name, kind)] = build_report(entry["dataset"], departements, contours, kind,
                                               value, entry["engine"], counted=entry["counted"])
    return _contents[(name, kind)]


def produce(stores, departements, contours, name: str, kind: str):
    """Content and both documents of a scope, made once for the module."""
    if (name, kind) not in _produced:
        content = content_of(stores, departements, contours, name, kind)
        _produced[(name, kind)] = (content, render_documents(content))
    return _produced[(name, kind)]


# The fast tier checks the demo's documents of a territory (two innovations) and of a session;
# the full tier (CI) makes and checks every scope on both datasets.
FAST_TIER_SCOPES = {("demo", "territoire"), ("demo", "atelier")}


@pytest.fixture(params=[pytest.param(scope, marks=[] if scope in FAST_TIER_SCOPES
                                     else [pytest.mark.slow]) for scope in sorted(SCOPES)],
                ids=lambda p: f"{p[0]}-{p[1]}")
def documents(request, stores, departements, contours):
    name, kind = request.param
    content, docs = produce(stores, departements, contours, name, kind)
    return name, kind, content, docs


def _deck(docs) -> Presentation:
    return Presentation(io.BytesIO(docs.pptx))


def _slide_texts(slide) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip():
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


_READ: dict = {}  # (what, hash of the bytes) → read once per module: documents are re-read often


def _deck_text(docs) -> str:
    key = ("deck", hash(docs.pptx))
    if key not in _READ:
        _READ[key] = "\n".join(t for slide in _deck(docs).slides for t in _slide_texts(slide))
    return _READ[key]


def _pdf(docs) -> PdfReader:
    return PdfReader(io.BytesIO(docs.pdf))


def _pdf_pages(docs) -> list[str]:
    """Each page's text, by poppler's pdftotext (pypdf takes seconds on a 40-page report)."""
    key = ("pdf", hash(docs.pdf))
    if key not in _READ:
        import subprocess

        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=docs.pdf,
                              capture_output=True, check=True).stdout.decode()
        _READ[key] = text.split("\f")[:len(_pdf(docs).pages)]
    return _READ[key]


def _flat(text: str) -> str:
    """Text with line breaks and non-breaking spaces as plain spaces (wrapping differs); a line
    broken after a word's own hyphen (« bien-|être ») joined back."""
    return re.sub(r"\s+", " ", re.sub(r"(?<=\w)-\n(?=\w)", "-", text).replace("\u00a0", " "))


# --- the deck -----------------------------------------------------------------------------------

def test_the_deck_is_16_9_with_its_master_and_layouts_laid_out_for_it(documents):
    *_, docs = documents
    deck = _deck(docs)
    assert (deck.slide_width, deck.slide_height) == (SLIDE_W, SLIDE_H)
    for holder in [deck.slide_master, *deck.slide_layouts]:
        for placeholder in holder.placeholders:
            if placeholder.width is not None:
                assert placeholder.left + placeholder.width <= SLIDE_W, holder.name
    title_only = deck.slide_layouts[5].placeholders[0]
    assert title_only.width > 0.9 * SLIDE_W  # not the 4:3 box sitting on the left


def test_every_slide_has_a_title_and_shapes_inside_the_slide_that_do_not_overlap(documents):
    *_, docs = documents
    for number, slide in enumerate(_deck(docs).slides, start=1):
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text.strip(), \
            number
        content = []
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= SLIDE_W, (number, shape.name)
            assert shape.top + shape.height <= SLIDE_H, (number, shape.name)
            has_text = shape.has_text_frame and shape.text_frame.text.strip()
            if has_text or shape.has_table or shape.has_chart or shape.shape_type in (6, 13):
                content.append(shape)
        for index, first in enumerate(content):
            for second in content[index + 1:]:
                apart = (first.left + first.width <= second.left
                         or second.left + second.width <= first.left
                         or first.top + first.height <= second.top
                         or second.top + second.height <= first.top)
                assert apart, f"diapositive {number} : « {first.name} » et « {second.name} »"


def test_the_deck_opens_on_the_title_then_the_synthesis_and_its_figures(documents):
    _name, kind, content, docs = documents
    slides = list(_deck(docs).slides)
    assert _flat(slides[0].shapes.title.text_frame.text) == _flat(content.title)
    # The synthesis' title states the main finding; its sentences follow, then the figures.
    assert _flat(slides[1].shapes.title.text_frame.text) == _flat(content.summary.headline)
    synthesis = _flat("\n".join(_slide_texts(slides[1])))
    for sentence in content.summary.sentences:
        assert _flat(sentence) in synthesis
    assert 3 <= len(content.summary.sentences) <= 5
    figures = _flat("\n".join(t for s in slides[2:4] for t in _slide_texts(s)))
    for figure in content.summary.figures:
        assert _flat(figure.value) in figures and _flat(figure.label) in figures
    assert 3 <= len(content.summary.figures) <= 5 or content.summary.figures_note
    if kind == "atelier":
        assert "Ce que la salle a décidé" in _flat(_deck_text(docs))


def test_charts_are_native_powerpoint_charts_with_the_contents_numbers(documents):
    *_, content, docs = documents
    deck = _deck(docs)
    charts = [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    expected = [b for b in content.blocks() if isinstance(b, Chart)]
    assert len(charts) == len(expected) >= 1
    assert not [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]  # pictures
    for shape, block in zip(charts, expected):
        plot = shape.chart.plots[0]
        categories = list(plot.categories)
        if block.kind == "bars":  # fed bottom-up so that the first reads at the top
            categories = categories[::-1]
        assert categories == block.categories
        values = list(plot.series[0].values)[::-1 if block.kind == "bars" else 1]
        assert values == [v for v in block.series[0].values]
        assert shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr").startswith("Graphique")
        axis = shape.chart.value_axis
        # French grouping and the minus sign "−" on the axis, not PowerPoint's "-1000".
        assert not axis.tick_labels.number_format_is_linked
        assert axis.tick_labels.number_format.endswith('"\u2212"' + axis.tick_labels
                                                       .number_format.split(";")[0])
        shown = [v for spec in block.series for v in spec.values if v is not None]
        if block.kind != "lines" and min(shown) >= 0:
            assert axis.minimum_scale == 0  # bars start at zero


def test_the_map_is_drawn_natively_with_a_legend(documents):
    *_, docs = documents
    slide = next(s for s in _deck(docs).slides
                 if s.shapes.title.text_frame.text == "Les territoires de l'essaimage")
    group = next(shape for shape in slide.shapes if shape.shape_type == 6)
    assert len(group.shapes) > 90  # départements and markers
    assert "Carte" in group._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
    assert "Innovations" in "\n".join(_slide_texts(slide))


def test_long_tables_continue_on_further_slides_with_their_header(stores, departements, contours):
    content, docs = produce(stores, departements, contours, "demo", "territoire")  # 5 slides
    slides = [s for s in _deck(docs).slides
              if s.shapes.title.text_frame.text.startswith("Sources et millésimes")]
    assert len(slides) >= 2
    assert slides[-1].shapes.title.text_frame.text.endswith(f"({len(slides)}/{len(slides)})")
    headers = {tuple(c.text for c in next(sh for sh in s.shapes if sh.has_table).table.rows[0].cells)
               for s in slides}
    assert len(headers) == 1
    rows = sum(len(next(sh for sh in s.shapes if sh.has_table).table.rows) - 1 for s in slides)
    table = next(b for b in content.blocks()
                 if isinstance(b, Table) and b.title.startswith("Sources et millésimes"))
    assert rows == len(table.frame)


def test_every_character_of_the_deck_exists_in_its_font_metrics(documents):
    *_, docs = documents
    assert not missing_glyphs(_deck_text(docs), family="deck")


# --- the PDF -------------------------------------------------------------------------------------

def _fonts_used(reader: PdfReader) -> dict:
    """Base font name → its descriptor (a composite font's is on its descendant)."""
    fonts = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            fonts[font["/BaseFont"]] = descriptor.get_object() if descriptor else None
    return fonts


def test_the_pdf_embeds_dejavu_and_every_character_of_its_text_is_in_it(documents):
    *_, content, docs = documents
    reader = _pdf(docs)
    fonts = _fonts_used(reader)
    assert fonts and all("DejaVu-Sans" in str(name) for name in fonts), fonts
    assert all(descriptor is not None and "/FontFile2" in descriptor
               for descriptor in fonts.values())
    text = "\n".join(_pdf_pages(docs))
    assert not missing_glyphs(text)
    assert not missing_glyphs(content.text())


def _text_runs(reader: PdfReader):
    """(font size, fill colour) of every text-showing operation of the PDF."""
    runs = []
    for page in reader.pages:
        size, colour = None, (0.0, 0.0, 0.0)
        for operands, operator in page.get_contents().operations:
            if operator == b"Tf":
                size = float(operands[1])
            elif operator == b"rg":
                colour = tuple(float(v) for v in operands)
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                runs.append((size, colour))
    return runs


def _luminance(rgb) -> float:
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_pdf_prints_nothing_under_9_pt_and_its_text_is_dark(documents):
    *_, docs = documents
    runs = _text_runs(_pdf(docs))
    assert runs
    assert min(size for size, _ in runs) >= 9
    for _size, colour in runs:
        if colour == (1.0, 1.0, 1.0):
            continue  # table headers, white on navy
        contrast = 1.05 / (_luminance(colour) + 0.05)
        assert contrast >= 4.5, colour


def test_the_pdf_opens_with_the_one_page_synthesis_and_numbers_its_pages(documents):
    *_, content, docs = documents
    pages = _pdf_pages(docs)
    first = _flat(pages[0])
    assert _flat(content.title) in first and _flat(content.summary.headline) in first
    for sentence in content.summary.sentences:
        # pdftotext joins a word broken after its own hyphen without it (« bien-|être »).
        assert _flat(sentence).replace("-", "") in first.replace("-", "")
    for figure in content.summary.figures:
        assert _flat(figure.value) in first and _flat(figure.status) in first
    assert _pdf(docs).pages[1].extract_text().split("\n")[0] in ("Sommaire", "La séance",
                                                                  "Le périmètre")
    assert "Indicateurs clés et points de comparaison" not in first  # a page of its own
    assert all(f"page {n} sur {len(pages)}" in text for n, text in enumerate(pages, start=1))
    assert "heure de Paris" in first


def test_no_pdf_page_ends_with_a_heading(documents):
    *_, content, docs = documents
    headings = {_flat(s.title) for s in content.sections}
    headings |= {_flat(b.title) for s in content.sections for b in s.blocks}
    for number, text in enumerate(_pdf_pages(docs), start=1):
        lines = [line for line in text.splitlines() if line.strip()
                 and not line.startswith("Essaim —") and "Données fictives de démonstration"
                 != line.strip()]
        body = [line for line in lines if not re.fullmatch(r".*page \d+ sur \d+", line)]
        assert _flat(body[-1]).strip() not in headings, f"page {number} : {body[-1]}"


def test_comparison_points_appear_in_both_documents(documents):
    _name, kind, _content, docs = documents
    deck, pdf = _flat(_deck_text(docs)), _flat("\n".join(_pdf_pages(docs)))
    expected = {"accelerateur": "Entre territoires :", "innovation": "autres innovations",
                "territoire": "Autres territoires "}.get(kind)
    for text in (deck, pdf):
        assert "Sur un an (" in text or "(dernière déclaration," in text
        if expected:
            assert expected in text
        assert "France" in text and "Statistiques publiques du département" in text
        assert "Méthode et limites" in text and "Sources et millésimes" in text
        assert "Quoi :" in text and "Où :" in text and "Quand :" in text


def test_the_demo_notice_is_on_demo_documents_only(documents):
    name, _, _content, docs = documents
    notice = "Données fictives de démonstration"
    for text in (_deck_text(docs), "\n".join(_pdf_pages(docs))):
        assert (notice in text) == (name == "demo")


def test_files_are_named_after_scope_code_and_date(documents):
    _name, kind, _content, docs = documents
    pattern = {"accelerateur": r"essaim_restitution_accelerateur_\d{4}-\d{2}-\d{2}",
               "innovation": r"essaim_restitution_innovation_(coop-jeunesse|tapaj)_"
                             r"\d{4}-\d{2}-\d{2}",
               "territoire": r"essaim_restitution_territoire_(grenoble|lens)_\d{4}-\d{2}-\d{2}",
               "atelier": r"essaim_restitution_atelier_[A-Z0-9]{6}_\d{4}-\d{2}-\d{2}"}[kind]
    assert re.fullmatch(pattern + r"\.pptx", docs.pptx_name)
    assert re.fullmatch(pattern + r"\.pdf", docs.pdf_name)
    assert docs.pdf_name.isascii()


def test_a_file_name_is_ascii_whatever_the_code():
    day = dt.date(2026, 11, 21)
    assert file_stem("restitution", "territoire", "saint-étienne/nord", day) == \
        "essaim_restitution_territoire_saint-etienne-nord_2026-11-21"
    assert file_stem("donnees", "accelerateur", None, day) == \
        "essaim_donnees_accelerateur_2026-11-21"


# --- scopes ------------------------------------------------------------------------------------

def test_the_territory_documents_name_its_departement_and_region(stores, departements, contours):
    content, docs = produce(stores, departements, contours, "demo", "territoire")
    assert content.title == "Restitution — Grenoble (Isère)"
    assert "Isère (38)" in content.summary.where
    assert "Auvergne-Rhône-Alpes" in content.summary.where
    # A commune holding a priority district is not itself a priority district.
    assert content.summary.where.startswith("Grenoble (commune comptant au moins un quartier "
                                            "prioritaire")
    for text in (_flat(_deck_text(docs)), _flat("\n".join(_pdf_pages(docs)))):
        assert "Isère" in text and "Auvergne-Rhône-Alpes" in text


def test_a_territory_with_no_figures_says_so_rather_than_showing_zeros(stores, departements,
                                                                     contours):
    entry = stores["second"]
    content = build_report(entry["dataset"], departements, contours, "territoire", "gap",
                           entry["engine"], counted=entry["counted"])
    assert content.summary.figures == []
    assert "Aucun chiffre clé" in content.summary.figures_note
    docs = render_documents(content)
    assert "Aucun chiffre clé" in _flat(_pdf_pages(docs)[0])
    assert len(content.summary.sentences) >= 3


def test_disputed_and_single_source_figures_are_shown(stores, departements, contours):
    content = content_of(stores, departements, contours, "second", "accelerateur")
    cards = next(b for b in content.blocks() if isinstance(b, KeyNumbers)
                 and b.title == "Chiffres clés et points de comparaison")
    statuses = " ".join(item.status for item in cards.items)
    assert "source unique" in statuses
    table = next(b for b in content.blocks() if isinstance(b, Table)
                 and b.title == "Les déclarations qui divergent")
    what_counts = " ".join(table.frame["Ce qui compte"])
    assert "désaccord non tranché, n.d." in what_counts  # Ajaccio's satisfaction, 2022
    assert "Structure relais gs-lens" in what_counts  # Lens 2020: the relay's report counts


def test_avoided_costs_come_with_their_ratio_assumptions_and_range(documents):
    *_, content, docs = documents
    section = next(s for s in content.sections if s.title == "Coûts évités")
    text = _flat("\n".join(_pdf_pages(docs)))
    if any(isinstance(b, KeyNumbers) for b in section.blocks):
        assert "Coûts publics évités par euro investi" in text and "(SROI)" not in text
        assert "mêmes années" in text and "édition révisée de 2012" in text
        assert "Hypothèses et fourchette de sensibilité" in text
        assert re.search(r"Fourchette de [\d ,−]+(?: €)? à [\d ,−]+", text)


def test_difference_in_differences_shown_only_with_an_interval_and_a_verified_pretrend(documents):
    *_, content, _docs = documents
    tables = [b for b in content.blocks() if isinstance(b, Table)
              and b.title.startswith("Doubles différences")]
    for table in tables:
        assert all(" à " in cell for cell in table.frame["Intervalle à 95 %"])
        assert all(cell.startswith("p = ") for cell in table.frame["Tendances antérieures"])
    method = next(s for s in content.sections if s.title == "Méthode et limites")
    text = _flat(" ".join(" ".join(getattr(b, "lines", [])) for b in method.blocks))
    if not tables:  # then the method says why, in French
        assert ("ne sont pas présentées ici" in text
                or "ne sont présentées comme des preuves que lorsque" in text)
    # An estimate whose pre-trend cannot be checked is never presented as evidence.
    if "tendances antérieures non vérifiables" in text:
        assert "non présentées comme des preuves" in " ".join(
            b.title for b in method.blocks if hasattr(b, "title"))


# --- a workshop ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["demo", pytest.param("second", marks=pytest.mark.slow)])
def test_a_workshop_restitution_carries_the_room(stores, departements, contours, name):
    content, docs = produce(stores, departements, contours, name, "atelier")
    room = stores[name]["room"]
    workshop = workshops.find_workshop(stores[name]["engine"], room["code"])
    start = workshop.created_at.replace(tzinfo=dt.UTC).astimezone(PARIS) \
        if workshop.created_at.tzinfo is None else workshop.created_at.astimezone(PARIS)
    assert content.summary.when.startswith(f"Le {start:%d/%m/%Y}, de {format_time(start)}")
    assert content.summary.when.endswith("heure de Paris")
    pdf = _flat("\n".join(_pdf_pages(docs)))
    deck = _flat(_deck_text(docs))
    for text in (pdf, deck):
        assert "Comptoir <d'essai> & Cie" in text  # escaped, not read as markup
        assert "Participation par rôle" in text and "Élu·e" in text
        assert "Réponses par question" in text
        assert "Les poids de la salle et leur dispersion" in text
        assert f"Pertinence : {room['criterion']}" in text
        assert "Écrémage des publics" in text and "Mobilité <b>gras</b> & co" in text
        assert "Texte masqué par l'animation" not in text
        assert "Camille (Élu·e)" in text and "anonyme" in text  # who made each proposal
        assert "Léa (animation)" in text and "Sam (animation)" in text
        assert "→" in text  # the grid's changes between versions
    proposals_table = next(b for b in content.blocks() if isinstance(b, Table)
                           and b.title == "Ce que la salle a proposé")
    votes = dict(zip(proposals_table.frame["Proposition"], proposals_table.frame["Votes"]))
    assert votes["Écrémage des publics"] == "2"
    assert "1 proposition masquée ou en attente" in proposals_table.caption
    assert "Annexe : les saisies brutes" in pdf and "Annexe : les saisies brutes" not in deck
    assert "anonyme (Financeur)" in pdf and "Zoé" in pdf  # every participant's raw inputs
    assert "Annexes du rapport PDF" in deck
    decisions = " ".join(content.summary.decisions)
    assert "version 3" in decisions and "Écrémage des publics » (2 votes)" in decisions


def test_a_workshop_file_is_named_after_the_session_and_its_day(stores, departements, contours):
    content, docs = produce(stores, departements, contours, "demo", "atelier")
    room = stores["demo"]["room"]
    workshop = workshops.find_workshop(stores["demo"]["engine"], room["code"])
    created = workshop.created_at if workshop.created_at.tzinfo else \
        workshop.created_at.replace(tzinfo=dt.UTC)
    assert docs.pdf_name == (f"essaim_restitution_atelier_{room['code']}_"
                             f"{created.astimezone(PARIS).date().isoformat()}.pdf")
    assert document_file_name(content, "pptx") == docs.pptx_name


def test_every_verbatim_is_in_the_pdf_and_a_selection_in_the_deck(stores, departements,
                                                                  contours):
    content, docs = produce(stores, departements, contours, "demo", "atelier")
    every = next(b for b in content.blocks() if isinstance(b, Quotes)
                 and b.title.startswith("Toutes les paroles"))
    pdf = _flat("\n".join(_pdf_pages(docs)))
    assert all(_flat(q.text)[:40] in pdf for q in every.items)
    assert "Annexes du rapport PDF" in _deck_text(docs)


# --- scope data and refusals ---------------------------------------------------------------------

def test_scope_data_holds_the_territory_only(dataset):
    scoped = scope_dataset(dataset, "territoire", "mamoudzou")
    assert list(scoped.territories["code"]) == ["mamoudzou"]
    assert set(scoped.indicator_values["territory_code"]) <= {"mamoudzou"}
    assert set(scoped.partners["code"]) <= set(dataset.partners["code"])
    assert len(scoped.partners) < len(dataset.partners)


def test_unknown_scope_values_are_refused_in_french(dataset, departements, contours):
    with pytest.raises(ValueError, match="Choisissez un territoire"):
        build_report(dataset, departements, contours, "territoire", "atlantide")
    with pytest.raises(ValueError, match="Séance d'atelier introuvable"):
        build_report(dataset, departements, contours, "atelier", "ZZZZZZ", None)


def test_the_mayotte_context_says_nd_never_zero(dataset, departements, contours):
    content = build_report(dataset, departements, contours, "territoire", "mamoudzou")
    context = next(b for b in content.blocks() if isinstance(b, Table)
                   and b.title.startswith("Le contexte"))
    assert "n.d." in list(context.frame.iloc[:, 1])
    assert not (context.frame.iloc[:, 1] == "0,0 %").any()
    assert isinstance(context.frame, pd.DataFrame)


def test_a_workshop_restitution_from_postgresql(postgres_demo_store_url, departements, contours):
    engine = store.open_store(postgres_demo_store_url)
    try:
        dataset = store.read_dataset(engine)
        room = _room(engine, dataset.essaimages["innovation_code"].value_counts().index[0])
        content = build_report(dataset, departements, contours, "atelier", room["code"], engine)
        workshop = workshops.find_workshop(engine, room["code"])
        assert workshop.created_at.tzinfo is not None  # PostgreSQL keeps the zone
        start = workshop.created_at.astimezone(PARIS)
        assert content.summary.when.startswith(f"Le {start:%d/%m/%Y}, de {format_time(start)}")
        docs = render_documents(content)
        assert docs.pdf_name == f"essaim_restitution_atelier_{room['code']}_{start.date()}.pdf"
        assert "Écrémage des publics" in _flat("\n".join(_pdf_pages(docs)))
    finally:
        engine.dispose()


def test_the_annex_counts_agree_between_the_pdf_and_the_deck(documents):
    """The raw inputs annex says how many lines it prints; the deck's pointer to it says the same."""
    _, kind, content, docs = documents
    if kind != "atelier":
        pytest.skip("annexe des saisies : restitution d'atelier seulement")
    raw = next(b for b in content.blocks()
               if isinstance(b, Table) and b.title == "Annexe : les saisies brutes")
    assert raw.caption.startswith(f"{len(raw.frame)} lignes pour ")
    assert f"les saisies brutes ({len(raw.frame)} lignes)" in _flat(_deck_text(docs))


def test_a_territory_with_several_innovations_is_compared_innovation_by_innovation(
        stores, departements, contours):
    """Its total over two innovations is not comparable with territories running one."""
    entry = stores["demo"]
    essaimages = entry["dataset"].essaimages
    per_territory = essaimages.groupby("territory_code")["innovation_code"].nunique()
    territory = per_territory[per_territory > 1].index[0]
    content = build_report(entry["dataset"], departements, contours, "territoire", territory,
                           entry["engine"], counted=entry["counted"])
    names = entry["dataset"].innovations.set_index("code")["name"]
    running = essaimages.loc[essaimages["territory_code"] == territory, "innovation_code"]
    cards = next(b for b in content.blocks() if isinstance(b, KeyNumbers)
                 and b.title == "Chiffres clés et points de comparaison")
    innovations = {names[code] for code in set(running)}
    for item in cards.items:
        innovation = item.label.split(" — ")[-1]
        assert innovation in innovations, item.label  # each figure belongs to one innovation
        assert "médiane des territoires" not in item.label  # never a median of its innovations
        peers = [line for line in item.comparisons if line.startswith("Autres territoires")]
        assert peers == [] or peers[0].startswith(f"Autres territoires {innovation} :")
    assert {item.label.split(" — ")[-1] for item in cards.items} == innovations
    # Charts too: the territory's own series per innovation, against that innovation's others.
    place = entry["dataset"].territories.set_index("code").at[territory, "name"]
    for chart in (b for b in content.blocks() if isinstance(b, Chart)):
        own, *others = chart.series
        innovation = own.name.removeprefix(f"{place} (").removesuffix(")")
        assert innovation in innovations, own.name
        assert all(o.name == f"Médiane des autres territoires {innovation}" for o in others)
    # Its own total is its own: the sum of its innovations' counts, said in the synthesis.
    assert any("pour l'ensemble du territoire" in s for s in content.summary.sentences)


# --- what a reader reads (issue 20) -------------------------------------------------------------

# Words the documents write themselves (page furniture, headings of the layout).
FURNITURE = ("Essaim Accélérateur d'innovation sociale Emploi ANSA page sur Sommaire Synthèse Les chiffres clés Innovations Source Statut "
             "statut Annexes du rapport PDF Le rapport PDF donne en entier suite ligne lignes "
             "Données fictives de démonstration Graphique Carte")
INTERNAL = [
    (r"\bnan\b", "« nan »"), (r"\bNone\b", "« None »"), (r"\(\s*\)", "parenthèses vides"),
    (r"\b[\w-]+\.(?:py|csv|xlsx|json|sqlite)\b", "nom de fichier ou de script"),
    (r"\b(?:data|scripts|essaim|tests)/", "chemin de fichier"),
    (r"\b[a-z]+_[a-z0-9_]+\b", "identifiant à tiret bas"),
    (r"médiane [^;()]*\(1 territoire|médiane des 1 ", "médiane d'un seul territoire"),
    (r"de (\d[\d\u00a0 ,]*) à \1\b", "fourchette d'une seule valeur"),
]


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ]{2,}", text)


def _reader_problems(text: str, vocabulary: set[str]) -> list[str]:
    """What a reader would stumble on in a document's text: internal names, « nan », a median
    of one territory, a word broken inside (a fragment no text of the content holds)."""
    problems = [f"{why} : {found.group(0)!r}" for pattern, why in INTERNAL
                for found in re.finditer(pattern, text)]
    problems += [f"mot coupé : {word!r}" for word in set(_words(text)) - vocabulary
                 if not _two_words(word, vocabulary)]
    return problems


def _two_words(word: str, vocabulary: set[str]) -> bool:
    """Two known words the text extraction glued together (« personnessource »)."""
    return any(word[:i] in vocabulary and word[i:] in vocabulary for i in range(2, len(word) - 1))


def _vocabulary(content) -> set[str]:
    return set(_words(content.text())) | set(_words(FURNITURE))


def test_a_reader_finds_nothing_internal_and_no_broken_word(documents):
    *_, content, docs = documents
    vocabulary = _vocabulary(content)
    for name, text in (("PDF", "\n".join(_pdf_pages(docs))), ("diaporama", _deck_text(docs))):
        problems = _reader_problems(_flat(text).replace("\u2011", "-"), vocabulary)
        assert not problems, f"{name} : {problems[:8]}"


def test_the_reader_check_catches_what_the_issue_found():
    """The check above would have failed on the documents of issue 20."""
    vocabulary = set(_words("Couverture Auvergne-Rhône-Alpes jeu de données généré par"))
    for bad in ("data/demo (généré par scripts/generate_demo.py)", "valeur (nan)",
                "médiane 39,2 % (de 39,2 à 39,2 %, 1 territoire)", "Couvertur e",
                "Auvergne-Rhône-Alp es", "Ce qui compte : None", "bien_etre"):
        assert _reader_problems(bad, vocabulary), bad


def test_every_chart_and_table_says_its_source(documents):
    *_, content, docs = documents
    deck, pdf = _flat(_deck_text(docs)), _flat("\n".join(_pdf_pages(docs)))
    for block in content.blocks():
        if isinstance(block, (Chart, Table)):
            assert block.source.startswith("Source : "), block.title
            assert _flat(block.source) in pdf, block.title
            if isinstance(block, Chart):
                assert _flat(block.source) in deck, block.title
                assert block.axis_title, block.title  # a value axis says its unit


COUNT = r"\((?!(?:19|20)\d\d\))\d+\)"  # « (18) », not a year « (2022) »


def test_headings_carry_no_count_and_quotes_come_once(documents):
    *_, content, _docs = documents
    for section in content.sections:
        assert not re.search(COUNT, section.title), section.title
        for block in section.blocks:
            assert not re.search(COUNT, getattr(block, "title", "")), block.title
            if isinstance(block, Quotes):
                texts = [q.text for q in block.items]
                assert len(texts) == len(set(texts)), block.title


def test_every_key_figure_has_its_unit_year_coverage_and_status(documents):
    *_, content, _docs = documents
    for item in content.summary.figures:
        assert re.search(r"\d\s*[^\d\s,.]", item.value), item.value  # « 128 personnes »
        assert re.search(r"\b20\d\d\b", f"{item.value} {item.coverage}"), item.label
    cards = [b for b in content.blocks() if isinstance(b, KeyNumbers)
             and b.title == "Chiffres clés et points de comparaison"]
    for item in (i for block in cards for i in block.items):
        assert re.search(r"\d\s*[^\d\s,.]", item.value), item.value
        assert any(label in item.status for label in STATUS_SHORT.values()), item.status


def _run_sizes(slide):
    """(font size in points, text) of every sized run of the slide's text boxes and tables."""
    frames = [s.text_frame for s in slide.shapes if s.has_text_frame]
    frames += [cell.text_frame for s in slide.shapes if s.has_table
               for row in s.table.rows for cell in row.cells]
    return [(run.font.size.pt, run.text) for frame in frames for p in frame.paragraphs
            for run in p.runs if run.font.size is not None and run.text.strip()]


def test_slide_text_is_12_pt_or_more_and_the_synthesis_14(documents):
    *_, docs = documents
    slides = list(_deck(docs).slides)
    for number, slide in enumerate(slides[1:], start=2):
        sizes = _run_sizes(slide)
        assert min(size for size, _ in sizes) >= 12, (number, min(sizes))
        if number <= 3:  # the synthesis and its figures
            body = [(size, text) for size, text in sizes
                    if not text.startswith("Essaim ·") and "/" not in text
                    and text != "Données fictives de démonstration"]
            assert min(size for size, _ in body) >= 14, (number, min(body))
        for shape in slide.shapes:
            if shape.has_chart:
                chart = shape.chart
                assert chart.font.size.pt >= 12
                assert chart.value_axis.tick_labels.font.size.pt >= 12


def test_footers_are_whole(documents):
    *_, docs = documents
    for slide in list(_deck(docs).slides)[1:]:
        footer = [t for t in _slide_texts(slide) if t.startswith("Essaim ·")]
        assert footer and not footer[0].endswith("…"), footer


def _filled_share(slide) -> float:
    """Share of the body band (below the title rule, above the footer) covered by content."""
    top, bottom = Emu(int(1.5 * 914400)), Emu(int(6.6 * 914400))
    spans = sorted((max(s.top, top), min(s.top + s.height, bottom)) for s in slide.shapes
                   if s.top >= top - 1 and s.top < bottom
                   and (s.has_chart or s.has_table or s.shape_type == 6
                        or (s.has_text_frame and s.text_frame.text.strip())))
    covered, end = 0, top
    for start, stop in spans:  # union of the vertical spans
        start = max(start, end)
        if stop > start:
            covered += stop - start
            end = stop
    return covered / (bottom - top)


def _footer_section(slide) -> str:
    return next((t for t in _slide_texts(slide) if t.startswith("Essaim ·")), "")


def test_no_slide_is_less_than_a_third_full_but_a_sections_last(documents):
    *_, docs = documents
    slides = list(_deck(docs).slides)[1:]
    for index, slide in enumerate(slides):
        last_of_section = index + 1 == len(slides) or \
            _footer_section(slides[index + 1]) != _footer_section(slide)
        if not last_of_section:
            share = _filled_share(slide)
            assert share >= 1 / 3, (index + 2, slide.shapes.title.text_frame.text, share)


def _page_fill(page) -> float:
    """Share of the text frame's height the page's text reaches (footer left out)."""
    lowest = []

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5] if cm else tm[5]
        if text.strip() and y > 2.4 * 72 / 2.54 + 10:  # above the footer band
            lowest.append(y)

    page.extract_text(visitor_text=visit)
    height = float(page.mediabox.height)
    frame_top, frame_bottom = height - 1.8 * 72 / 2.54, 2.4 * 72 / 2.54
    return (frame_top - min(lowest)) / (frame_top - frame_bottom) if lowest else 0.0


def test_no_pdf_page_is_less_than_a_third_full_but_before_a_break(documents):
    *_, content, docs = documents
    reader = _pdf(docs)
    texts = _pdf_pages(docs)
    breaks = {_flat(s.title) for s in content.sections if s.title.startswith("Annexe")}
    breaks |= {"Sommaire"}
    for number, page in enumerate(reader.pages[:-1], start=1):
        following = _flat(texts[number])
        if any(following.startswith(title) or f" {title} " in following[:200]
               for title in breaks) or number == 1:
            continue  # the synthesis, the contents, the page before an annex
        assert _page_fill(page) >= 1 / 3, (number, _page_fill(page))


def test_the_pdf_is_tagged_in_french_with_bookmarks_and_contents(documents):
    import subprocess

    *_, content, docs = documents
    reader = _pdf(docs)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-FR" and root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    info = subprocess.run(["pdfinfo", "-"], input=docs.pdf, capture_output=True, check=True)
    assert "Tagged:          yes" in info.stdout.decode()
    assert reader.metadata.title == content.title
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[0] == "Synthèse"
    assert [t for t in outline if t not in ("Synthèse", "Sommaire")] == \
        [s.title for s in content.sections]
    pages = _pdf_pages(docs)
    assert ("Sommaire" in pages[1]) == (len(pages) > 8)
    if len(pages) > 8:  # the contents give each section's page
        assert re.search(r"Désaccords entre partenaires\s*\.*\s*\d+", pages[1])


def test_every_figure_of_the_pdf_has_its_alternative_text(documents):
    *_, content, docs = documents
    reader = _pdf(docs)
    found = []

    def walk(node, depth=0):
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    if hasattr(kid, "get_object") or isinstance(kid, dict):
                        walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    drawn = [b for b in content.blocks() if isinstance(b, (Chart,)) or type(b).__name__
             == "MapBlock"]
    assert len(found) == len(drawn)
    assert all(alt.startswith(("Graphique : ", "Carte : ")) for alt in found), found[:3]


def test_deck_chart_labels_are_bound_to_the_chart_data(documents):
    *_, docs = documents
    for slide in _deck(docs).slides:
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            xml = shape.chart._chartSpace.xml
            assert "<c:dLbl>" not in xml  # no label frozen point by point
            assert "<c:tx>" not in xml.split("<c:dLbls>")[-1].split("</c:dLbls>")[0]
            if "<c:dLbls>" in xml:
                assert '<c:showVal val="1"/>' in xml and "<c:numFmt " in xml


# --- the wrong figures of issue 20, each with the test that would have caught it -------------

def test_the_raw_inputs_key_a_dimension_and_a_criterion_sharing_an_id_apart(stores, departements,
                                                                         contours):
    """A dimension and a criterion may share an id (« bien_etre »): the points a participant gives
    the dimension are the dimension's, never credited to the criterion."""
    content, _docs = produce(stores, departements, contours, "demo", "atelier")
    grid = demo_grid()
    shared = {d.id for d in grid.dimensions} & {c.id for _, c in grid.criteria()}
    assert shared  # the demo grid has one: the test means something
    key = next(b for b in content.blocks() if isinstance(b, Table)
               and b.title == "Annexe : clé des saisies brutes")
    codes = dict(zip(key.frame["Code"], key.frame["Dimension ou critère"]))
    dimension_codes = [code for code in codes if code.startswith("D")]
    assert len(dimension_codes) == len(grid.dimensions)
    raw = next(b for b in content.blocks() if isinstance(b, Table)
               and b.title == "Annexe : les saisies brutes")
    for row in raw.frame[raw.frame["Saisie"] == "Répartition des points"].itertuples():
        given = re.findall(r"\b([DC]\d+) \d+", row.Contenu)
        assert given and all(code.startswith("D") for code in given), row.Contenu


def test_a_territory_level_retained_value_is_what_counts(stores, departements, contours):
    """Lens: partners disagree on a value of the whole territory (no essaimage); the relay's
    report is retained and the table says so, not « n.d. »."""
    content = content_of(stores, departements, contours, "second", "territoire")
    table = next(b for b in content.blocks() if isinstance(b, Table)
                 and b.title == "Les déclarations qui divergent")
    counted = stores["second"]["counted"]
    territorial = counted[counted["essaimage_code"].isna() & (counted["status"] == "retenu")
                          & (counted["territory_code"] == "lens")]
    assert not territorial.empty
    labels = stores["second"]["dataset"].indicators.set_index("code")["label"]
    for cell in territorial.itertuples():
        row = table.frame[table.frame["Où, quoi, quand"].str.contains(
            f"{labels[cell.indicator_code]} · {cell.period}", regex=False)]
        assert len(row) == 1
        assert "n.d." not in row["Ce qui compte"].iloc[0]
        assert re.search(r"\d", row["Ce qui compte"].iloc[0])


def test_an_agreed_or_arbitrated_value_counts_with_its_status_never_nan():
    from essaim.reports.evidence import _what_counts

    partners = pd.Series({"relais": "Structure relais"})
    for status, word in (("accord", "accordé"), ("arbitrage", "arbitré")):
        row = pd.Series({"status": status, "value": 27.2, "partner_code": float("nan")})
        text = _what_counts(row, partners, "‰", "rate")
        assert text == f"27,2\u00a0‰ ({word})" and "nan" not in text
    assert _what_counts(pd.Series({"status": "conteste", "value": float("nan"),
                                   "partner_code": None}), partners, "%", "rate") \
        == "aucune : désaccord non tranché, n.d."


def test_values_read_with_their_unit_and_without_spurious_decimals():
    from essaim.reports.units import change_text, number_format, value_text

    assert value_text(128, "personnes", "count") == "128\u00a0personnes"
    assert value_text(1, "personnes", "count") == "1\u00a0personne"
    assert value_text(7.04, "score /10", "score") == "7,0\u00a0sur\u00a010"
    assert value_text(3.66, "niveau 1–5", "score") == "3,7\u00a0sur\u00a05"
    assert value_text(1500, "€", "amount") == "1\u00a0500\u00a0€"
    assert value_text(36.5, "%", "rate") == "36,5\u00a0%"
    assert value_text(float("nan"), "%", "rate") == "n.d."
    assert change_text(2.1, "%", "rate") == "+2,1\u00a0pts"
    assert change_text(-0.4, "score /10", "score") == "−0,4\u00a0point"
    assert change_text(12, "personnes", "count") == "+12\u00a0personnes"
    assert number_format("%", "rate").startswith('#,##0.0" %"')
    assert number_format("personnes", "count").startswith('#,##0" personnes"')


def test_an_event_study_interval_is_drawn_whole_with_its_territories():
    from essaim.reports.model import Series
    from essaim.reports.svg import chart_svg, value_range

    block = Chart("Effet", ["−2 ans\n5 territoires", "−1 an\n6 territoires", "0 an\n6 territoires"],
                  [Series("Effet estimé", (0.5, 0.0, 2.0), ("0,50", "0,00", "2,00")),
                   Series("Borne basse", (-3.2, None, -0.4), ("−3,20", "n.d.", "−0,40")),
                   Series("Borne haute", (4.1, None, 5.3), ("4,10", "n.d.", "5,30"))],
                  kind="lines", axis_title="écart estimé", decimals=2, interval=(1, 2))
    start, end, _step = value_range(block)
    assert start <= -3.2 and end >= 5.3  # never clipped at an axis floor
    svg = chart_svg(block, 400)
    assert "5 territoires" in svg and "<title>Graphique : Effet" in svg


def test_a_count_axis_starts_at_zero():
    from essaim.reports.model import Series
    from essaim.reports.svg import value_range

    block = Chart("Bénéficiaires", ["2021", "2022"],
                  [Series("Grenoble", (250.0, 256.0), ("250", "256"))], kind="lines")
    assert value_range(block)[0] == 0
