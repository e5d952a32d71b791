"""A national day in headless Chromium: two slots × two rooms, one code for everybody, phones at
390 px moving from a comptoir to the next with the same identity, the hall's screen counting them
live, a grand témoin's lines, and the synthesis projected."""

from __future__ import annotations

import datetime as dt
import re

from essaim import workshops
from essaim.data import store
from essaim.workshops.days import add_comptoir, create_day, find_day, set_current_slot
from tests.conftest import PageWatch, demo_grid
from tests.test_workshop_browser import PHONE, WIDE, share_points

TAPS = {"Le Club": [10, 4, 2, 1, 1, 1, 1], "Le Bureau": [2, 2, 2, 2, 4, 4, 4]}


def open_day_phone(browser, url: str, pseudonym: str) -> PageWatch:
    watch = PageWatch(browser.new_context(**PHONE).new_page())
    watch.page.goto(url)
    page = watch.page
    page.wait_for_selector("html[data-pret='1']", timeout=30_000)
    present(page, pseudonym)
    return watch


def present(page, pseudonym: str) -> None:
    day = page.locator("#journee")
    day.get_by_text("Me présenter (facultatif)").click()
    day.get_by_label("Pseudonyme").fill(pseudonym)
    day.get_by_role("button", name="Enregistrer mon profil").click()
    day.get_by_text(f"Vous : {pseudonym}").wait_for(timeout=30_000)


def enter(watch: PageWatch, room: str) -> None:
    """From the day's programme, enter the comptoir running now in `room`."""
    page = watch.page
    card = page.locator("#maintenant li", has_text=room)
    card.get_by_role("button", name="Entrer dans ce comptoir").click()
    page.get_by_role("heading", name="Répartissez 100 points").wait_for(timeout=30_000)


def test_a_day_of_two_slots_and_two_rooms(writable_server, browser):
    engine = store.open_store(f"sqlite:///{writable_server.store_path}")
    created = create_day(engine, title="Réussir le passage à l'échelle !",
                         day_date=dt.date.today(), place="Paris",
                         rooms=["Le Club", "Le Bureau"],
                         slots=[("Comptoirs 1 et 2", "09:30", "10:30"),
                                ("Comptoirs 3 et 4", "10:45", "11:45")])
    day = find_day(engine, created.code)
    teams = {}
    for slot in day.slots:
        for room in day.rooms:
            teams[(room.name, slot.label)] = add_comptoir(
                engine, created.code, created.organiser_token, room_id=room.id, slot_id=slot.id,
                title=f"{room.name} · {slot.label}", question="Comment rester fidèle au modèle ?",
                grand_temoin="Hugues", grid=demo_grid())
    set_current_slot(engine, created.code, created.organiser_token, day.slots[0].id)
    server = writable_server.url

    organiser = PageWatch(browser.new_context(**WIDE).new_page())
    organiser.open(f"{server}/journee?journee={created.code}&cle={created.organiser_token}")
    organiser.page.get_by_text(f"Code de la journée : {created.code}").wait_for(timeout=30_000)
    assert "cle=" not in organiser.page.url
    hall = PageWatch(browser.new_context(**WIDE).new_page())
    hall.open(f"{server}/projection?journee={created.code}")
    hall.page.get_by_text("Comptoirs 1 et 2").first.wait_for(timeout=30_000)

    # One code for the day, typed on the bare phone page, or the QR code's link.
    lea = PageWatch(browser.new_context(**PHONE).new_page())
    lea.page.goto(f"{server}/participer")
    lea.page.wait_for_selector("html[data-pret='1']", timeout=30_000)
    lea.page.get_by_label("Code de la séance (affiché à l’écran)").fill(created.code.lower())
    lea.page.get_by_role("button", name="Rejoindre").click()
    lea.page.get_by_role("heading", name="Les comptoirs de la journée").wait_for(timeout=30_000)
    present(lea.page, "Léa")
    karim = open_day_phone(browser, f"{server}/participer?journee={created.code}", "Karim")

    for watch, room in ((lea, "Le Club"), (karim, "Le Bureau")):
        assert watch.page.locator("#maintenant li").count() == 2  # the two rooms, now
        enter(watch, room)
        who = "Léa" if watch is lea else "Karim"
        assert watch.page.locator("#seance").get_by_text(f"Vous : {who}").is_visible()
        share_points(watch.page, TAPS[room])
    hall.page.get_by_text("2 personnes ont rejoint la journée").wait_for(timeout=30_000)

    # The next slot: the phones go back to the programme and into the other room.
    set_current_slot(engine, created.code, created.organiser_token, day.slots[1].id)
    for watch, room in ((lea, "Le Bureau"), (karim, "Le Club")):
        watch.page.get_by_role("link", name="← Programme de la journée").click()
        watch.page.get_by_role("heading", name="Les comptoirs de la journée").wait_for()
        watch.page.get_by_text("En ce moment : Comptoirs 3 et 4").wait_for(timeout=30_000)
        enter(watch, room)
        share_points(watch.page, TAPS[room])
    for (room, slot), team in teams.items():
        people = workshops.read_participants(engine, team.code)
        expected = {("Le Club", "Comptoirs 1 et 2"): ["Léa"], ("Le Bureau", "Comptoirs 1 et 2"):
                    ["Karim"], ("Le Bureau", "Comptoirs 3 et 4"): ["Léa"],
                    ("Le Club", "Comptoirs 3 et 4"): ["Karim"]}[(room, slot)]
        assert list(people["pseudonym"]) == expected  # the same person, each comptoir its own
        assert len(workshops.read_inputs(engine, team.code)) == 1

    # The grand témoin of the first comptoir writes their lines in its console.
    first = teams[("Le Club", "Comptoirs 1 et 2")]
    temoin = PageWatch(browser.new_context(**WIDE).new_page())
    temoin.open(f"{server}/animer?seance={first.code}&cle={first.facilitator_token}")
    temoin.page.get_by_role("tab", name="Grand témoin").click()
    box = temoin.page.get_by_role("textbox", name="Les mots du grand témoin (trois lignes au plus)")
    box.fill("La fidélité au modèle se négocie.\nLes financeurs veulent des chiffres.")
    temoin.page.get_by_role("button", name="Enregistrer").click()
    temoin.page.get_by_text("Enregistré : la synthèse les affiche.").wait_for(timeout=30_000)

    synthesis = PageWatch(browser.new_context(**WIDE).new_page())
    synthesis.open(f"{server}/projection?journee={created.code}&vue=synthese")
    synthesis.page.get_by_text(re.compile("4 comptoirs en 2 salles et 2 créneaux ont réuni 4 "
                                          "participations")).wait_for(timeout=30_000)
    synthesis.page.get_by_text("La fidélité au modèle se négocie.").wait_for(timeout=30_000)
    synthesis.page.get_by_text(re.compile("divergent sur")).first.wait_for(timeout=30_000)
    for watch in (organiser, hall, lea, karim, temoin, synthesis):
        assert watch.external == [] and watch.errors == [] and watch.dialogs == []
