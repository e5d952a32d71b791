"""A national day: rooms, slots and comptoirs, one code for everybody, the same person from one
comptoir to the next, each comptoir's inputs its own, and the grands témoins' synthesis — on
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from essaim import workshops
from essaim.data import store
from essaim.workshops.day_people import (
    check_day_code,
    comptoir_participants,
    comptoir_token,
    day_profile,
    enter_comptoir,
    join_day,
    save_temoin_lines,
)
from essaim.workshops.day_synthesis import build_day_synthesis
from essaim.workshops.days import (
    add_comptoir,
    clean_slots,
    create_day,
    find_day,
    set_current_slot,
    verify_organiser,
)
from essaim.workshops.grid import default_grid

PHONE = "telephone-jour-0123456789"


@pytest.fixture
def engine(demo_store_url):
    return store.open_store(demo_store_url)


def make_day(engine, today=dt.date(2026, 12, 7)):
    grid = default_grid(store.read_dataset(engine).indicators)
    created = create_day(engine, title="Réussir le passage à l'échelle !", day_date=today,
                         place="Paris", rooms=["Le Club", "Le Bureau"],
                         slots=[("Créneau 1", "09:30", "10:30"), ("Créneau 2", "10:45", "11:45")])
    day = find_day(engine, created.code)
    comptoirs = {}
    for slot in day.slots:
        for room in day.rooms:
            made = add_comptoir(engine, created.code, created.organiser_token, room_id=room.id,
                                slot_id=slot.id, title=f"{room.name} — {slot.label}",
                                question="Comment rester fidèle au modèle ?", experts="Expert A",
                                grand_temoin="Témoin B", facilitators="ANSA", grid=grid)
            comptoirs[(room.name, slot.label)] = made
    return created, find_day(engine, created.code), comptoirs, grid


def test_a_day_has_one_code_unlike_any_sessions(engine):
    created, day, comptoirs, _ = make_day(engine)
    assert len(created.code) == 7 and all(len(c.code) == 6 for c in comptoirs.values())
    assert [c.title for c in day.comptoirs] == ["Le Club — Créneau 1", "Le Bureau — Créneau 1",
                                                "Le Club — Créneau 2", "Le Bureau — Créneau 2"]
    assert verify_organiser(engine, created.code, token=created.organiser_token)
    assert verify_organiser(engine, created.code, pin=created.pin, client="198.51.100.2")
    with pytest.raises(workshops.FacilitatorOnly):
        add_comptoir(engine, created.code, "pas-la-bonne-cle", room_id=day.rooms[0].id,
                     slot_id=day.slots[0].id, title="x", question="y",
                     grid=default_grid(store.read_dataset(engine).indicators))
    with pytest.raises(workshops.WorkshopError, match="a déjà un comptoir"):
        add_comptoir(engine, created.code, created.pin, room_id=day.rooms[0].id,
                     slot_id=day.slots[0].id, title="x", question="y",
                     grid=default_grid(store.read_dataset(engine).indicators))


def test_slots_follow_each_other_and_the_running_one_follows_the_clock_or_the_organisers(engine):
    with pytest.raises(workshops.WorkshopError, match="avant la fin du précédent"):
        clean_slots([("A", "09:00", "10:00"), ("B", "09:30", "11:00")])
    with pytest.raises(workshops.WorkshopError, match="heure attendue"):
        clean_slots([("A", "9h", "10:00")])
    created, day, _, _ = make_day(engine)
    paris = dt.timezone(dt.timedelta(hours=1))
    assert day.running_slot_id(dt.datetime(2026, 12, 7, 10, 0, tzinfo=paris)) == day.slots[0].id
    assert day.running_slot_id(dt.datetime(2026, 12, 7, 10, 40, tzinfo=paris)) is None
    assert day.running_slot_id(dt.datetime(2026, 12, 8, 10, 0, tzinfo=paris)) is None
    set_current_slot(engine, created.code, created.organiser_token, day.slots[1].id)
    late = find_day(engine, created.code)
    assert late.running_slot_id(dt.datetime(2026, 12, 7, 10, 0, tzinfo=paris)) == day.slots[1].id


def test_a_phone_joins_once_and_is_the_same_person_in_every_comptoir(engine):
    created, _day, comptoirs, grid = make_day(engine)
    assert join_day(engine, created.code, token=PHONE, pseudonym="Alex", role="Élu·e",
                    client="203.0.113.5") == PHONE
    assert join_day(engine, created.code, token=PHONE, client="203.0.113.5") == PHONE  # resend
    first = comptoirs[("Le Club", "Créneau 1")].code
    second = comptoirs[("Le Bureau", "Créneau 2")].code
    token_1 = enter_comptoir(engine, created.code, PHONE, first)
    assert enter_comptoir(engine, created.code, PHONE, first) == token_1  # idempotent
    token_2 = enter_comptoir(engine, created.code, PHONE, second)
    assert token_1 != token_2 and token_1 == comptoir_token(PHONE, first)
    for code, token in ((first, token_1), (second, token_2)):
        me = workshops.find_participant(engine, code, token)
        assert (me["pseudonym"], me["role"]) == ("Alex", "Élu·e")
    points = {d.id: 0 for d in grid.dimensions}
    points[grid.dimensions[0].id] = 100
    workshops.save_weights(engine, first, token_1, points)
    assert len(workshops.read_inputs(engine, first)) == 1
    assert workshops.read_inputs(engine, second).empty  # each comptoir's inputs are its own
    assert day_profile(engine, created.code, PHONE) == {"pseudonym": "Alex", "role": "Élu·e"}
    counts = comptoir_participants(engine, find_day(engine, created.code))
    assert counts[first] == 1 and counts[second] == 1
    with pytest.raises(workshops.NotFound, match="pas au programme"):
        enter_comptoir(engine, created.code, PHONE, "ABCDEF")
    with pytest.raises(workshops.NotFound, match="Participation introuvable"):
        enter_comptoir(engine, created.code, "inconnu-0123456789abc", first)


def test_wrong_day_codes_are_paced_like_session_codes(engine):
    guesser = workshops.joining.as_client("203.0.113.9")
    refusals = 0
    with pytest.raises(workshops.Throttled):
        for _ in range(40):
            try:
                check_day_code(engine, "ZZZZZZZ", guesser)
            except workshops.NotFound:
                refusals += 1
    assert refusals >= 3  # a few honest mistakes first, then the guesser waits


def test_the_grand_temoin_writes_three_lines_at_most(engine):
    created, _day, comptoirs, _ = make_day(engine)
    made = comptoirs[("Le Club", "Créneau 1")]
    save_temoin_lines(engine, made.code, made.pin, "Une idée forte.\n\nUn désaccord.\nUne piste.")
    assert find_day(engine, created.code).comptoirs[0].temoin_lines == (
        "Une idée forte.\nUn désaccord.\nUne piste.")
    with pytest.raises(workshops.WorkshopError, match="Trois lignes au plus"):
        save_temoin_lines(engine, made.code, made.pin, "a\nb\nc\nd")
    with pytest.raises(workshops.FacilitatorOnly):
        save_temoin_lines(engine, made.code, "000000" if made.pin != "000000" else "111111", "x")


def _vote(engine, day_code, code, phone, grid, first_points, proposal=None):
    join_day(engine, day_code, token=phone)
    token = enter_comptoir(engine, day_code, phone, code)
    points = {d.id: 0 for d in grid.dimensions}
    points[grid.dimensions[0].id] = first_points
    points[grid.dimensions[1].id] = 100 - first_points
    workshops.save_weights(engine, code, token, points)
    if proposal:
        workshops.add_proposal(engine, code, token, "perverse_effect", proposal)


def test_the_synthesis_says_where_rooms_agree_differ_and_what_recurs(engine):
    created, _day, comptoirs, grid = make_day(engine)
    club, bureau = comptoirs[("Le Club", "Créneau 1")].code, comptoirs[("Le Bureau", "Créneau 1")].code
    for i, (first, text) in enumerate([(60, ("Sélectionner les publics les plus proches de "
                                             "l'emploi")), (62, None), (58, None)]):
        _vote(engine, created.code, club, f"club-telephone-{i:012d}", grid, first, text)
    for i, (first, text) in enumerate([(20, ("Attention à la sélection des publics proches de "
                                             "l'emploi")), (24, None), (22, None)]):
        _vote(engine, created.code, bureau, f"bureau-telephone-{i:010d}", grid, first, text)
    synthesis = build_day_synthesis(engine, find_day(engine, created.code))
    first_label = grid.dimensions[0].label
    differing = {d.label: d for d in synthesis.differing}
    assert first_label in differing
    assert differing[first_label].low == ("Le Bureau — Créneau 1", 22.0)
    assert differing[first_label].high == ("Le Club — Créneau 1", 60.0)
    assert [c.participants for c in synthesis.comptoirs[:2]] == [3, 3]
    assert len(synthesis.recurrences) == 1
    assert set(synthesis.recurrences[0].comptoirs) == {"Le Club — Créneau 1",
                                                      "Le Bureau — Créneau 1"}
    text = " ".join(synthesis.sentences)
    assert "4 comptoirs en 2 salles et 2 créneaux ont réuni 6 participations" in text
    assert f"divergent sur «\u00a0{first_label}\u00a0» : de 22 points (Le Bureau — Créneau 1) à 60" in text
    assert "revient dans 2 comptoirs" in text
