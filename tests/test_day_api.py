"""A national day through the phone's own HTTP API (a bare Starlette app in-process): one code
for the day, the programme, joining once, entering comptoirs with the same identity."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from starlette.applications import Starlette

from essaim import workshops
from essaim.data import store
from essaim.web.room_server import RoomServer
from essaim.web.routes import web_middleware, web_routes
from essaim.workshops.days import add_comptoir, create_day, find_day, set_current_slot
from essaim.workshops.grid import default_grid
from tests.asgi_client import Browser, run_scenario
from tests.conftest import _read_only_copy

DAY_PHONE = "jour-telephone-0123456789"


@pytest.fixture
def day_app(demo_db_path, tmp_path):
    url = f"sqlite:///{_read_only_copy(demo_db_path, tmp_path)}"
    engine = store.open_store(url)
    grid = default_grid(store.read_dataset(engine).indicators)
    created = create_day(engine, title="Journée nationale", day_date=dt.date(2026, 12, 7),
                         place="Paris", rooms=["Le Club", "Le Bureau"],
                         slots=[("Matin", "09:30", "10:30"), ("Fin de matinée", "10:45", "11:45")])
    day = find_day(engine, created.code)
    codes = {}
    for slot in day.slots:
        for room in day.rooms:
            codes[(room.name, slot.label)] = add_comptoir(
                engine, created.code, created.pin, room_id=room.id, slot_id=slot.id,
                title=f"{room.name}, {slot.label}", question="Quelle fidélité au modèle ?",
                grand_temoin="Témoin", grid=grid).code
    set_current_slot(engine, created.code, created.pin, day.slots[0].id)
    server = RoomServer(url)
    app = Starlette(routes=web_routes(server), middleware=web_middleware(server))
    yield created.code, codes, app, engine
    server.close()
    engine.dispose()


def test_the_day_code_opens_its_programme_and_a_phone_moves_between_comptoirs(day_app):
    day_code, codes, app, engine = day_app

    async def scenario():
        phone = Browser(app, address="203.0.113.8")
        page = await phone.request("GET", f"/participer?seance={day_code.lower()}")
        programme = await phone.request("GET", f"/api/journees/{day_code}")
        joined = await phone.request("POST", f"/api/journees/{day_code}/participants",
                                     {"jeton": DAY_PHONE, "pseudonyme": "Sam", "role": "Financeur"})
        again = await phone.request("POST", f"/api/journees/{day_code}/participants",
                                    {"jeton": DAY_PHONE})
        me = {"X-Essaim-Jour": DAY_PHONE}
        first = await phone.request(
            "POST", f"/api/journees/{day_code}/comptoirs/{codes[('Le Club', 'Matin')]}/entree",
            None, me)
        second = await phone.request(
            "POST", f"/api/journees/{day_code}/comptoirs/"
                    f"{codes[('Le Bureau', 'Fin de matinée')]}/entree", None, me)
        stranger = await phone.request(
            "POST", f"/api/journees/{day_code}/comptoirs/{codes[('Le Club', 'Matin')]}/entree",
            None, {"X-Essaim-Jour": "inconnu-0123456789abcdef"})
        return page, programme, joined, again, first, second, stranger

    page, programme, joined, again, first, second, stranger = run_scenario(scenario)
    assert page.status == 200
    data = json.loads(re.search(r'<script id="donnees" type="application/json">(.*?)</script>',
                                page.text, re.DOTALL).group(1))
    assert data["journee"]["code"] == day_code and data["session"] is None
    slots = programme.json()["creneaux"]
    assert [s["en_cours"] for s in slots] == [True, False]
    assert [c["salle"] for c in slots[0]["comptoirs"]] == ["Le Club", "Le Bureau"]
    assert joined.json() == again.json() == {"jeton": DAY_PHONE}
    tokens = [first.json()["jeton"], second.json()["jeton"]]
    assert tokens[0] != tokens[1]
    for (room, slot), token in zip([("Le Club", "Matin"), ("Le Bureau", "Fin de matinée")], tokens):
        person = workshops.find_participant(engine, codes[(room, slot)], token)
        assert (person["pseudonym"], person["role"]) == ("Sam", "Financeur")
    assert stranger.status == 404 and "rejoignez la journée" in stranger.json()["erreur"]


def test_a_wrong_day_code_is_answered_in_french_and_counted(day_app):
    _, _, app, _ = day_app

    async def scenario():
        phone = Browser(app, address="203.0.113.12")
        return [await phone.request("GET", "/api/journees/ZZZZZZZ") for _ in range(3)]

    answers = run_scenario(scenario)
    assert all(a.status in (404, 429) for a in answers)
    assert "aucune séance" in answers[0].json()["erreur"]
