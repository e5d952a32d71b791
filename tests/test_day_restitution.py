"""The restitution of a national day (the grands témoins' synthesis as a deck and a PDF), on both
datasets: the documents' common standards (the generic checks of test_restitution, collected
here again with this module's `documents`), then what a day's reader checks with the store in
hand — every median printed is the room's, every count the store's, hidden proposals nowhere,
the grands témoins' words as written."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from essaim import workshops
from essaim.data import store
from essaim.reports.content import build_report, scope_dataset
from essaim.reports.day_report import build_day_report
from essaim.reports.model import Table
from essaim.reports.render import render_documents
from essaim.workshops.day_people import comptoir_participants, enter_comptoir, join_day, save_temoin_lines
from essaim.workshops.days import add_comptoir, create_day, find_day
from essaim.workshops.grid import default_grid, grid_from_dict
from tests.conftest import _read_only_copy
from tests.test_restitution import (  # noqa: F401 - collected again here, on the day's documents
    _deck_text,
    _flat,
    _pdf,
    _pdf_pages,
    test_a_reader_finds_nothing_internal_and_no_broken_word,
    test_deck_chart_labels_are_bound_to_the_chart_data,
    test_every_character_of_the_deck_exists_in_its_font_metrics,
    test_every_chart_and_table_says_its_source,
    test_every_figure_of_the_pdf_has_its_alternative_text,
    test_every_slide_has_a_title_and_shapes_inside_the_slide_that_do_not_overlap,
    test_footers_are_whole,
    test_headings_carry_no_count_and_quotes_come_once,
    test_no_pdf_page_ends_with_a_heading,
    test_no_pdf_page_is_less_than_a_third_full_but_before_a_break,
    test_no_slide_is_less_than_a_third_full_but_a_sections_last,
    test_slide_text_is_12_pt_or_more_and_the_synthesis_14,
    test_the_deck_is_16_9_with_its_master_and_layouts_laid_out_for_it,
    test_the_deck_opens_on_the_title_then_the_synthesis_and_its_figures,
    test_the_pdf_embeds_dejavu_and_every_character_of_its_text_is_in_it,
    test_the_pdf_prints_nothing_under_9_pt_and_its_text_is_dark,
)

DAY_DATE = dt.date(2026, 11, 21)
TEMOIN = ("La fidélité au modèle ne s'oppose pas à l'adaptation locale.\n"
          "Les financeurs veulent des chiffres partagés.\nOn revient en juin.")
HIDDEN = "Proposition masquée par l'animation"
MARKUP = "Mobilité <b>gras</b> & co"


def own_grid(shared_label: str):
    """A comptoir's own grid: one dimension shared (by its label) with the common grid."""
    return grid_from_dict({"dimensions": [
        {"id": "emploi", "label": shared_label,
         "criteria": [{"id": "sorties", "label": "Sorties vers l'emploi", "weight": 2}]},
        {"id": "pairs", "label": "Entraide entre pairs",
         "criteria": [{"id": "binomes", "label": "Binômes formés", "weight": 1}]}]})


def _phone(engine, day_code: str, phone: str, comptoir: str) -> str:
    join_day(engine, day_code, token=phone, pseudonym=phone[:6], role="Élu·e")
    return enter_comptoir(engine, day_code, phone, comptoir)


def make_day(engine) -> dict:
    """Two slots × two rooms: the rooms of the first slot weigh the first dimension far apart
    and make close proposals; the second slot has a comptoir with a grid of its own, joined by
    phones of the first slot, and a comptoir nobody entered."""
    grid = default_grid(store.read_dataset(engine).indicators)
    created = create_day(engine, title="Réussir le passage à l'échelle !", day_date=DAY_DATE,
                         place="Paris, La Bellevilloise", rooms=["Le Club", "Le Bureau"],
                         slots=[("Créneau 1", "09:30", "10:30"), ("Créneau 2", "10:45", "11:45")])
    day = find_day(engine, created.code)
    made = {}
    for slot in day.slots:
        for room in day.rooms:
            own = slot.label == "Créneau 2" and room.name == "Le Club"
            made[(room.name, slot.label)] = add_comptoir(
                engine, created.code, created.organiser_token, room_id=room.id, slot_id=slot.id,
                title=f"{room.name}, {slot.label.lower()}",
                question="Comment rester fidèle au modèle en changeant d'échelle ?",
                experts="Une experte", grand_temoin="Claire Martin", facilitators="ANSA",
                grid=own_grid(grid.dimensions[0].label) if own else grid)
    ids = [d.id for d in grid.dimensions]

    def split(*points):
        return dict(zip(ids, [*points, *[0] * (len(ids) - len(points))]))

    club, bureau = made[("Le Club", "Créneau 1")], made[("Le Bureau", "Créneau 1")]
    for i, share in enumerate((60, 62, 58, 70)):
        token = _phone(engine, created.code, f"club-{i:02d}-telephone-0000000", club.code)
        workshops.save_weights(engine, club.code, token, split(share, 100 - share))
        if i == 0:
            workshops.add_proposal(engine, club.code, token, "perverse_effect",
                                   "Sélectionner les publics les plus proches de l'emploi")
        if i == 1:
            slot = workshops.add_proposal(engine, club.code, token, "comment", HIDDEN)
            workshops.moderate_proposal(engine, club.code, club.pin, slot, "hide")
    for i, share in enumerate((20, 24, 22)):
        token = _phone(engine, created.code, f"bureau-{i:02d}-telephone-000000", bureau.code)
        workshops.save_weights(engine, bureau.code, token, split(share, 90 - share, 10))
        if i == 0:
            workshops.add_proposal(engine, bureau.code, token, "perverse_effect",
                                   "Attention à la sélection des publics proches de l'emploi")
        if i == 2:
            workshops.add_proposal(engine, bureau.code, token, "criterion", MARKUP)
    own = made[("Le Club", "Créneau 2")]
    for i, share in enumerate((50, 40)):  # two phones of the first slot move on
        token = _phone(engine, created.code, f"club-{i:02d}-telephone-0000000", own.code)
        workshops.save_weights(engine, own.code, token, {"emploi": share, "pairs": 100 - share})
    save_temoin_lines(engine, club.code, club.pin, TEMOIN)
    return {"code": created.code, "pin": created.pin, "comptoirs": made}


@pytest.fixture(scope="module")
def days(demo_db_path, second_db_path, tmp_path_factory):
    found = {}
    for name, path in (("demo", demo_db_path), ("second", second_db_path)):
        copy = _read_only_copy(path, tmp_path_factory.mktemp(f"journee_{name}"))
        engine = store.open_store(f"sqlite:///{copy}")
        made = make_day(engine)
        content = build_day_report(engine, made["code"])
        found[name] = {"engine": engine, "day": made, "content": content,
                       "docs": render_documents(content)}
    yield found
    for entry in found.values():
        entry["engine"].dispose()


@pytest.fixture(params=["demo", "second"])
def documents(request, days):
    entry = days[request.param]
    return request.param, "journee", entry["content"], entry["docs"]


def _table(content, title: str) -> Table:
    return next(b for b in content.blocks() if isinstance(b, Table) and b.title.startswith(title))


def _room_medians(engine, code: str, labels: dict) -> dict[str, float]:
    """The medians of each dimension's points, from the stored inputs, by hand."""
    inputs = workshops.read_inputs(engine, code)
    points = pd.DataFrame([row.payload for row in inputs.itertuples() if row.kind == "weights"])
    return {labels[d]: float(points[d].median()) for d in points.columns if d in labels}


def test_every_median_printed_is_the_rooms(days, documents):
    name, *_ = documents
    entry = days[name]
    engine, content = entry["engine"], entry["content"]
    table = _table(content, "Le poids des dimensions").frame.set_index("Dimension")
    programme = _table(content, "Le programme").frame.set_index("Repère")
    pdf = _flat("\n".join(_pdf_pages(entry["docs"])))
    day = find_day(engine, entry["day"]["code"])
    for index, comptoir in enumerate(day.comptoirs, start=1):  # C1, C2… in programme order
        key = f"C{index}"
        assert programme.at[key, "Comptoir"] == comptoir.title
        grid, _ = workshops.current_grid(engine, comptoir.code)
        medians = _room_medians(engine, comptoir.code, {d.id: d.label for d in grid.dimensions})
        for label in table.index:
            expected = medians.get(label)
            assert table.at[label, key] == ("n.d." if expected is None else
                                            f"{expected:g}".replace(".", ",")), (key, label)
    # The first slot's rooms differ on the first dimension: 61 against 22 points.
    first = default_grid(store.read_dataset(engine).indicators).dimensions[0].label
    assert content.summary.headline == (f"Les salles divergent sur «\u00a0{first}\u00a0» : de 22 "
                                        "à 61 points sur 100")
    assert _flat(content.summary.headline) in pdf


def test_counts_are_the_stores(days, documents):
    name, *_ = documents
    entry = days[name]
    engine, content = entry["engine"], entry["content"]
    day = find_day(engine, entry["day"]["code"])
    joined = comptoir_participants(engine, day)
    assert joined == {c.code: n for c, n in zip(day.comptoirs, (4, 3, 2, 0))}
    figures = {f.label: f for f in content.summary.figures}
    assert figures["Participations"].value == "9"
    assert figures["Participations"].coverage == "7 personnes ont rejoint la journée"
    assert figures["Comptoirs"].value == "4 comptoirs"
    assert figures["Propositions et commentaires"].value == "3"  # the hidden one left out
    assert figures["Lignes des grands témoins"].value == "1 sur 4"
    programme = _table(content, "Le programme").frame
    assert list(programme["Participants"]) == ["4", "3", "2", "0"]
    assert "4 comptoirs en 2 salles et 2 créneaux ont réuni 9 participations." in \
        content.summary.sentences


def test_hidden_proposals_are_nowhere_and_text_stays_text(days, documents):
    name, *_ = documents
    docs = days[name]["docs"]
    for text in (_flat("\n".join(_pdf_pages(docs))), _flat(_deck_text(docs))):
        assert HIDDEN not in text
        assert MARKUP in text  # printed as typed, never read as markup
        assert "Sélectionner les publics les plus proches de l'emploi" in text


def test_the_grand_temoins_lines_are_printed_as_written(days, documents):
    name, *_ = documents
    docs = days[name]["docs"]
    written = _flat(TEMOIN)
    for text in (_flat("\n".join(_pdf_pages(docs))), _flat(_deck_text(docs))):
        assert written in text and "Claire Martin" in text
        assert "Claire Martin, grand témoin, n'a pas encore écrit ses lignes." in text


def test_a_comptoir_with_its_own_grid_compares_on_what_it_shares(days):
    table = _table(days["demo"]["content"], "Le poids des dimensions").frame.set_index("Dimension")
    assert table.at["Entraide entre pairs", "C3"] == "55"
    assert table.at["Entraide entre pairs", "Entre comptoirs"] == "un seul comptoir"
    assert table.at["Entraide entre pairs", "C1"] == "n.d."
    assert set(table["C4"]) == {"n.d."}  # nobody entered the fourth comptoir: never 0
    # Dimensions both rooms left at 0 points are not an « agreement ».
    unweighed = default_grid(store.read_dataset(days["demo"]["engine"]).indicators).dimensions[3]
    assert table.at[unweighed.label, "Entre comptoirs"] == "aucun point"
    assert unweighed.label not in " ".join(days["demo"]["content"].summary.sentences)


def test_the_day_pdf_is_tagged_outlined_and_named_after_the_day(documents):
    *_, content, docs = documents
    reader = _pdf(docs)
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert [t for t in outline if t not in ("Synthèse", "Sommaire")] == \
        [s.title for s in content.sections]
    assert re.fullmatch(r"essaim_restitution_journee_[A-Z0-9]{7}_2026-11-21\.pdf", docs.pdf_name)
    assert docs.pptx_name == docs.pdf_name.replace(".pdf", ".pptx")
    pages = _pdf_pages(docs)
    assert all(f"page {n} sur {len(pages)}" in text for n, text in enumerate(pages, start=1))
    assert "heure de Paris" in pages[0]


def test_the_day_documents_carry_no_demo_notice(documents):
    """A day's figures are its rooms' inputs, never the dataset's (demo or not)."""
    *_, content, docs = documents
    assert content.notice == ""
    assert "Données fictives" not in _deck_text(docs) + "\n".join(_pdf_pages(docs))


def test_an_unknown_day_is_refused_in_french(days):
    engine = days["demo"]["engine"]
    dataset = store.read_dataset(engine)
    with pytest.raises(ValueError, match="Journée introuvable"):
        build_report(dataset, None, {}, "journee", "ZZZZZZZ", engine)


def test_the_days_data_covers_its_comptoirs_scopes(days):
    engine = days["demo"]["engine"]
    dataset = store.read_dataset(engine)
    scoped = scope_dataset(dataset, "journee", days["demo"]["day"]["code"], engine)
    assert len(scoped.essaimages) == len(dataset.essaimages)  # comptoirs on the whole accelerator
