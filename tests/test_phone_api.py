"""The phone page and its JSON API (essaim.web), served by a bare Starlette app in-process: what
a phone sends and reads, on the demo, on the second dataset and on PostgreSQL."""

from __future__ import annotations

import asyncio
import re
import threading
import time

import pytest
from starlette.applications import Starlette

from essaim import workshops
from essaim.data import store
from essaim.web.phone_api import LONG_POLL_SECONDS
from essaim.web.pulse import PulseHub
from essaim.web.room_server import RoomServer
from essaim.web.routes import web_middleware, web_routes
from essaim.workshops import room_reads
from essaim.workshops.grid import default_grid
from tests.asgi_client import Browser, run_scenario
from tests.conftest import _read_only_copy

TOKEN = "phone-token-0123456789"


class Room:
    """A store, a session in it, and the phone API over that store."""

    def __init__(self, url: str):
        self.engine = store.open_store(url)
        self.dataset = store.read_dataset(self.engine)
        self.grid = default_grid(self.dataset.indicators)
        self.created = workshops.create_workshop(self.engine, title="Comptoir n°7",
                                                 kind="comptoir", grid=self.grid)
        self.code = self.created.code
        self.server = RoomServer(url)
        self.app = Starlette(routes=web_routes(self.server), middleware=web_middleware(self.server))

    def phone(self, address: str = "203.0.113.7", **kwargs) -> Browser:
        return Browser(self.app, address=address, **kwargs)

    def split(self) -> dict[str, int]:
        ids = [d.id for d in self.grid.dimensions]
        points = {i: 0 for i in ids}
        points[ids[0]] = 100 - 10 * (len(ids) - 1)
        for i in ids[1:]:
            points[i] = 10
        return points

    def api(self, path: str = "") -> str:
        return f"/api/seances/{self.code}{path}"


def _room(url: str):
    room = Room(url)
    yield room
    room.server.close()
    room.engine.dispose()


@pytest.fixture
def room(demo_db_path, tmp_path):
    yield from _room(f"sqlite:///{_read_only_copy(demo_db_path, tmp_path)}")


@pytest.fixture(params=["demo", "second", "postgresql"])
def any_room(request, tmp_path):
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_demo_store_url")
    else:
        path = request.getfixturevalue("demo_db_path" if request.param == "demo"
                                       else "second_db_path")
        url = f"sqlite:///{_read_only_copy(path, tmp_path)}"
    yield from _room(url)


def run(scenario):
    return run_scenario(scenario)


def test_a_phone_joins_saves_rates_proposes_and_votes(any_room):
    room = any_room

    async def scenario():
        phone, other = room.phone(), room.phone("198.51.100.4")
        page = await phone.request("GET", f"/participer?seance={room.code.lower()}")
        assert page.status == 200 and "essaim_appareil" in phone.cookies
        assert '"title": "Comptoir n°7"' in page.text  # the question comes with the page
        joined = await phone.request("POST", room.api("/participants"), {"jeton": TOKEN})
        assert joined.status == 200 and joined.json() == {"jeton": TOKEN}
        again = await phone.request("POST", room.api("/participants"), {"jeton": TOKEN})
        assert again.status == 200  # a resent join is recognised, not a second participant
        me = {"X-Essaim-Participant": TOKEN}
        split = room.split()
        bad = await phone.request("PUT", room.api("/repartition"),
                                  {"points": {**split, room.grid.dimensions[0].id: 0}}, me)
        assert bad.status == 400 and "exactement 100 points" in bad.json()["erreur"]
        assert (await phone.request("PUT", room.api("/repartition"), {"points": split}, me)).status == 200
        criterion = room.grid.criteria()[0][1].id
        await phone.request("PUT", room.api("/notes"), {"notes": {criterion: 4}}, me)
        proposal = await phone.request("PUT", room.api("/propositions/prop-000000001"),
                                       {"type": "comment", "texte": "Suivre les sorties"}, me)
        assert proposal.json() == {"ok": True, "id": "prop-000000001", "moderation": "visible",
                                   "valeur_lue": None}
        await phone.request("PUT", room.api("/propositions/prop-000000001"),
                            {"type": "comment", "texte": "Suivre les sorties durables"}, me)
        other_token = (await other.request("POST", room.api("/participants"), {})).json()["jeton"]
        theirs = {"X-Essaim-Participant": other_token}
        await other.request("PUT", room.api("/propositions/prop-000000002"),
                            {"type": "target", "texte": "", "critere": criterion,
                             "valeur": "45,5"}, theirs)
        voted = await phone.request("PUT", room.api("/propositions/prop-000000002/soutien"),
                                    None, me)
        assert voted.status == 200
        listed = (await phone.request("GET", room.api("/propositions"))).json()["proposals"]
        assert [(p["id"], p["votes"]) for p in listed] == [("prop-000000002", 1),
                                                           ("prop-000000001", 0)]
        assert listed[0]["value"] == 45.5
        mine = (await phone.request("GET", room.api("/moi"), headers=me)).json()
        assert mine["weights"] == {k: float(v) for k, v in split.items()}
        assert mine["ratings"] == {criterion: 4}
        assert [p["text"] for p in mine["proposals"]] == ["Suivre les sorties durables"]
        assert mine["votes"] == ["prop-000000002"]
        await phone.request("PUT", room.api("/notes"), {"notes": {criterion: None}}, me)
        await phone.request("DELETE", room.api("/propositions/prop-000000001"), None, me)
        await phone.request("DELETE", room.api("/propositions/prop-000000002/soutien"), None, me)
        mine = (await phone.request("GET", room.api("/moi"), headers=me)).json()
        assert mine["ratings"] == {} and mine["proposals"] == [] and mine["votes"] == []

    run(scenario)
    inputs = workshops.read_inputs(room.engine, room.code)
    assert len(workshops.read_participants(room.engine, room.code)) == 2
    assert (inputs["kind"] == "weights").sum() == 1


def test_the_page_escapes_what_it_embeds_and_runs_nothing_else(room):
    workshops.create_workshop  # noqa: B018 - the title below is the one of a new session
    evil = workshops.create_workshop(room.engine, title="</script><script>alert(1)</script>",
                                     kind="atelier", grid=room.grid)

    async def scenario():
        return await room.phone().request("GET", f"/participer?seance={evil.code}")

    page = run(scenario)
    assert "<script>alert(1)" not in page.text and "\\u003c/script>" in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    assert not re.search(r"https?://", page.text)  # nothing from another server
    assert 'lang="fr"' in page.text


def test_the_page_without_a_code_asks_for_it_and_a_wrong_code_is_said(room):
    async def scenario():
        phone = room.phone()
        blank = await phone.request("GET", "/participer")
        wrong = await phone.request("GET", "/participer?seance=ZZZZZZ")
        return blank, wrong

    blank, wrong = run(scenario)
    assert '"session": null' in blank.text and '"erreur": ""' in blank.text
    assert "aucune séance" in wrong.text


def test_writes_must_be_json_and_over_long_text_is_refused_with_its_limit(room):
    async def scenario():
        phone = room.phone()
        token = (await phone.request("POST", room.api("/participants"), {})).json()["jeton"]
        me = {"X-Essaim-Participant": token}
        form = await phone.request("PUT", room.api("/repartition"), b"points=1", me,
                                   content_type="application/x-www-form-urlencoded")
        long = await phone.request("PUT", room.api("/propositions/prop-000000003"),
                                   {"type": "comment", "texte": "x" * 401}, me)
        return form, long

    form, long = run(scenario)
    assert form.status == 400 and "JSON" in form.json()["erreur"]
    assert long.status == 400
    assert long.json()["erreur"] == "Texte trop long : 401 caractères pour 400 au plus."


def test_a_phone_learns_the_close_without_asking_and_a_late_change_is_refused(room):
    async def scenario():
        phone = room.phone()
        token = (await phone.request("POST", room.api("/participants"), {})).json()["jeton"]
        key = (await phone.request("GET", room.api("/pouls"))).json()["cle"]
        started = time.monotonic()
        # The facilitator closes the session from their console (another thread, as Streamlit).
        threading.Timer(1.0, workshops.set_status, args=(room.engine, room.code,
                                                         room.created.facilitator_token,
                                                         "closed")).start()
        told = await phone.request("GET", room.api(f"/pouls?cle={key}"))
        waited = time.monotonic() - started
        late = await phone.request("PUT", room.api("/repartition"), {"points": room.split()},
                                   {"X-Essaim-Participant": token})
        return told, waited, late

    told, waited, late = run(scenario)
    assert told.json()["ouverte"] is False
    assert 1.0 <= waited < 3.0 < LONG_POLL_SECONDS  # woken by the close, not by the timeout
    assert late.status == 409 and late.json()["close"] is True
    assert "close" in late.json()["erreur"]


def test_wrong_codes_slow_the_phone_not_the_venue_behind_one_address(room):
    async def scenario():
        guesser, neighbour = room.phone("192.0.2.50"), room.phone("192.0.2.50")
        await guesser.request("GET", "/participer")  # gets its device cookie
        await neighbour.request("GET", "/participer")
        answers = [await guesser.request("POST", "/api/seances/ZZZZZZ/participants", {})
                   for _ in range(6)]
        reloaded = await guesser.request("GET", f"/participer?seance={room.code}")
        right_code = await neighbour.request("POST", room.api("/participants"), {})
        return answers, reloaded, right_code

    answers, reloaded, right_code = run(scenario)
    statuses = [a.status for a in answers]
    assert statuses[:3] == [404, 404, 404] and 429 in statuses
    paced = next(a for a in answers if a.status == 429)
    assert re.search(r"réessayez dans \d+ s", paced.json()["erreur"])
    assert int(paced.headers["retry-after"]) >= 1
    assert "réessayez dans" in reloaded.text  # a reload keeps the count (device cookie)
    assert right_code.status == 200  # the rest of the room is not locked out


def test_behind_a_trusted_proxy_each_phone_has_its_own_address(room):
    async def scenario():
        # Both arrive from the load balancer on 127.0.0.1; the proxy tells who they are.
        a = room.phone("127.0.0.1", forwarded_for="198.51.100.20")
        b = room.phone("127.0.0.1", forwarded_for="198.51.100.21")
        for _ in range(6):
            await a.request("POST", "/api/seances/ZZZZZZ/participants", {})
        # A client cannot pretend to be another by writing the header itself.
        spoof = room.phone("203.0.113.9", forwarded_for="198.51.100.21")
        return (room.server.client(_Conn(a)), room.server.client(_Conn(b)),
                room.server.client(_Conn(spoof)),
                await b.request("POST", "/api/seances/ZZZZZZ/participants", {}))

    a, b, spoof, b_answer = run(scenario)
    assert (a.address, b.address, spoof.address) == ("198.51.100.20", "198.51.100.21",
                                                     "203.0.113.9")
    assert b_answer.status == 404  # a wrong code, not "wait": b is not a


class _Conn:
    """What RoomServer.client reads from a request, for a Browser."""

    def __init__(self, browser: Browser):
        from starlette.requests import HTTPConnection

        headers = [(b"cookie", "; ".join(f"{k}={v}" for k, v in browser.cookies.items()).encode())]
        if browser.forwarded_for:
            headers.append((b"x-forwarded-for", browser.forwarded_for.encode()))
        self._connection = HTTPConnection({"type": "http", "headers": headers,
                                           "client": (browser.address, 1)})

    def __getattr__(self, name):
        return getattr(self._connection, name)


def test_a_hidden_proposal_leaves_the_room_and_cannot_be_upvoted(room):
    async def scenario():
        phone = room.phone()
        token = (await phone.request("POST", room.api("/participants"), {})).json()["jeton"]
        me = {"X-Essaim-Participant": token}
        await phone.request("PUT", room.api("/propositions/prop-000000009"),
                            {"type": "comment", "texte": "Hors sujet"}, me)
        workshops.moderate_proposal(room.engine, room.code, room.created.facilitator_token,
                                    "prop-000000009", "hide")
        await asyncio.sleep(0.6)  # the cached list follows the session's change counter
        listed = (await phone.request("GET", room.api("/propositions"))).json()["proposals"]
        vote = await phone.request("PUT", room.api("/propositions/prop-000000009/soutien"),
                                   None, me)
        edited = await phone.request("PUT", room.api("/propositions/prop-000000009"),
                                     {"type": "comment", "texte": "Hors sujet, bis"}, me)
        mine = (await phone.request("GET", room.api("/moi"), headers=me)).json()
        return listed, vote, edited, mine

    listed, vote, edited, mine = run(scenario)
    assert listed == []
    assert vote.status == 400 and "plus affichée" in vote.json()["erreur"]
    assert edited.json()["moderation"] == "hidden"  # editing does not bring it back
    assert mine["proposals"][0]["moderation"] == "hidden"  # the author sees why


def test_the_api_says_in_french_when_the_database_is_away(tmp_path):
    server = RoomServer("postgresql+psycopg://nobody@127.0.0.1:1/none")
    app = Starlette(routes=web_routes(server), middleware=web_middleware(server))

    async def scenario():
        phone = Browser(app)
        return (await phone.request("POST", "/api/seances/ABCDEF/participants", {}),
                await phone.request("GET", "/participer?seance=ABCDEF"))

    api, page = run(scenario)
    assert api.status == 503 and "base de données" in api.json()["erreur"]
    assert page.status == 200 and "ne répond pas" in page.text


def test_the_phone_page_and_its_api_follow_a_base_url_path(room):
    app = Starlette(routes=web_routes(room.server, "essaim/"),
                    middleware=web_middleware(room.server, "essaim/"))

    async def scenario():
        phone = Browser(app)
        page = await phone.request("GET", f"/essaim/participer?seance={room.code}")
        joined = await phone.request("POST", f"/essaim/api/seances/{room.code}/participants", {})
        return page, joined

    page, joined = run(scenario)
    assert page.status == 200 and '"title": "Comptoir n°7"' in page.text
    assert joined.status == 200


def _rate_criterion(room) -> str:
    """A criterion of the room's grid whose indicator is a rate in %."""
    rates = set(room.dataset.indicators.loc[(room.dataset.indicators["measure"] == "rate")
                                            & (room.dataset.indicators["unit"] == "%"), "code"])
    return next(c.id for _, c in room.grid.criteria() if c.indicator_code in rates)


@pytest.mark.parametrize("typed,status,read,message", [
    ("49,8", 200, "49,8", None),
    ("49,8 %", 200, "49,8", None),
    ("1 234,5", 400, None, "va de 0 à 100"),
    ("1.234", 400, None, "ambigu"),
    ("150", 400, None, "un taux en % va de 0 à 100"),
    ("-3", 400, None, "va de 0 à 100"),
    ("beaucoup", 400, None, "nombre non reconnu"),
])
def test_a_phone_target_is_read_the_french_way_within_its_indicators_range(room, typed, status,
                                                                              read, message):
    criterion = _rate_criterion(room)

    async def scenario():
        phone = room.phone()
        token = (await phone.request("POST", room.api("/participants"), {})).json()["jeton"]
        return await phone.request("PUT", room.api("/propositions/prop-000000009"),
                                   {"type": "target", "texte": "", "critere": criterion,
                                    "valeur": typed}, {"X-Essaim-Participant": token})

    answer = run(scenario)
    assert answer.status == status, answer.json()
    if read:
        assert answer.json()["valeur_lue"] == read
        stored = workshops.read_inputs(room.engine, room.code)
        assert stored.iloc[0]["payload"]["value"] == 49.8
    else:
        assert message in answer.json()["erreur"]


def test_every_response_says_no_referrer(room):
    async def scenario():
        phone = room.phone()
        return [await phone.request("GET", f"/participer?seance={room.code}"),
                await phone.request("POST", room.api("/participants"), {}),
                await phone.request("GET", "/api/seances/ZZZZZZ/seance")]

    answers = run(scenario)
    for answer in answers:
        assert answer.headers.get("referrer-policy") == "no-referrer", answer.status
    assert answers[-1].status == 404
    assert answers[-1].json() == {"erreur": "Adresse inconnue de l'API des téléphones."}


def test_the_screen_is_woken_by_a_phones_write_and_phones_are_not(room):
    """The projected screen's long poll answers as soon as a phone writes (the write nudges
    the session's pulse); the phones' own long polls sleep through ordinary inputs. The regular
    poll is made too slow to be what wakes it."""
    room.server.hub = PulseHub(lambda codes: room_reads.read_pulses(room.engine, codes),
                               poll_seconds=600,
                               screen_poll_seconds=600)

    async def scenario():
        phone, screen, idle = room.phone(), room.phone("198.51.100.9"), room.phone("198.51.100.10")
        token = (await phone.request("POST", room.api("/participants"), {})).json()["jeton"]
        version = (await screen.request("GET", room.api("/ecran?version=-1"))).json()["version"]
        key = (await idle.request("GET", room.api("/pouls"))).json()["cle"]
        watching = asyncio.ensure_future(screen.request("GET", room.api(f"/ecran?version={version}")))
        sleeping = asyncio.ensure_future(idle.request("GET", room.api(f"/pouls?cle={key}")))
        await asyncio.sleep(0.05)
        assert not watching.done()  # nothing moved: the screen waits
        await phone.request("PUT", room.api("/repartition"), {"points": room.split()},
                            {"X-Essaim-Participant": token})
        moved = await asyncio.wait_for(watching, timeout=LONG_POLL_SECONDS / 5)
        still_sleeping = not sleeping.done()
        sleeping.cancel()
        return version, moved, still_sleeping

    version, moved, still_sleeping = run(scenario)
    assert moved.status == 200 and moved.json()["version"] > version
    assert moved.headers["cache-control"] == "no-store"
    assert still_sleeping


def test_the_screen_long_poll_knows_wrong_codes_and_bad_versions(room):
    async def scenario():
        screen = room.phone()
        return (await screen.request("GET", "/api/seances/ZZZZZZ/ecran?version=1"),
                await screen.request("GET", room.api("/ecran?version=abc")))

    unknown, unreadable = run(scenario)
    assert unknown.status == 404 and "code" in unknown.json()["erreur"]
    assert unreadable.status == 200 and isinstance(unreadable.json()["version"], int)


@pytest.mark.parametrize("name", ["demo", "second"])
def test_the_page_says_demo_data_on_the_demo_only_read_once_then_remembered(name, request,
                                                                            tmp_path):
    """The page looks at the store for demo data once (then every 30 s), not on every phone of a
    burst: the first page and the next ones say the same."""
    path = request.getfixturevalue("demo_db_path" if name == "demo" else "second_db_path")
    room = next(_room(f"sqlite:///{_read_only_copy(path, tmp_path)}"))

    async def scenario():
        return [await room.phone().request("GET", f"/participer?seance={room.code}")
                for _ in range(3)] + [await room.phone().request("GET", "/participer")]

    pages = run(scenario)
    assert room.server.checked_demo_data() is (name == "demo")  # remembered after the first
    for page in pages:
        assert ("données fictives de démonstration" in page.text) == (name == "demo")
