"""A live workshop in headless Chromium: a facilitator, two participants on phones, the projected
screen; a server restart mid-session; two app servers sharing one PostgreSQL database."""

from __future__ import annotations

import re
import time

from essaim import store, workshops
from tests.conftest import PageWatch, demo_grid, start_streamlit, stop_streamlit

SPLITS = [[30, 20, 10, 10, 10, 10, 10], [10, 10, 10, 10, 20, 20, 20]]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "fr-FR"}


def metric(page, label: str):
    """The locator of a metric's value, by its label."""
    return page.locator('[data-testid="stMetric"]', has_text=label).locator(
        '[data-testid="stMetricValue"]')


def wait_for_metric(page, label: str, value: str, timeout: float = 15_000) -> None:
    from playwright.sync_api import expect

    expect(metric(page, label)).to_have_text(value, timeout=timeout)


def join_and_split(page, base: str, code: str, split: list[int], pseudonym: str) -> None:
    """On a phone: open the join page, type the code, then share the 100 points."""
    page.goto(f"{base}/participer")
    page.get_by_role("textbox", name="Code de la séance (affiché à l'écran)").fill(code.lower())
    page.get_by_role("textbox", name="Pseudonyme (facultatif)").fill(pseudonym)
    page.get_by_role("button", name="Rejoindre").click()
    page.wait_for_url(re.compile(r"[?&]p="), timeout=30_000)
    fields = page.locator("input[data-testid=stNumberInputField]")
    fields.nth(len(split) - 1).wait_for(timeout=30_000)
    for index, value in enumerate(split):
        fields.nth(index).fill(str(value))
        fields.nth(index).press("Tab")
    page.get_by_role("button", name="Enregistrer ma répartition").click()
    page.get_by_text("Enregistré.").wait_for(timeout=30_000)


def test_a_live_workshop_with_two_phones(writable_server, browser):
    server, demo_db_path = writable_server.url, writable_server.store_path
    facilitator = PageWatch(browser.new_context(viewport={"width": 1400, "height": 1000},
                                                locale="fr-FR").new_page())
    facilitator.open(f"{server}/animer")
    page = facilitator.page
    page.get_by_role("textbox", name="Titre").fill("Comptoir n°6 — institutions territoriales")
    page.get_by_role("button", name="Créer la séance").click()
    page.wait_for_url(re.compile(r"cle="), timeout=30_000)
    code = re.search(r"seance=([A-Z0-9]+)", page.url).group(1)
    page.get_by_text(f"Code : {code}").wait_for(timeout=30_000)

    projection = PageWatch(browser.new_context(viewport={"width": 1400, "height": 1000},
                                               locale="fr-FR").new_page())
    projection.open(f"{server}/projection?seance={code}")
    wait_for_metric(projection.page, "Participants", "0")
    marker = projection.page.evaluate("() => { window.__notReloaded = true; return true; }")

    phones = [PageWatch(browser.new_context(**PHONE).new_page()) for _ in range(2)]
    for phone, split, name in zip(phones, SPLITS, ["Léa", "Karim"]):
        join_and_split(phone.page, server, code, split, name)
    wait_for_metric(projection.page, "Participants", "2")
    wait_for_metric(projection.page, "Répartitions reçues", "2")
    assert marker and projection.page.evaluate("() => window.__notReloaded === true")  # no reload

    phones[0].page.get_by_role("textbox", name="Votre proposition").fill(
        "Suivre aussi les entrées en formation")
    phones[0].page.get_by_role("button", name="Envoyer").click()
    projection.page.get_by_text("Suivre aussi les entrées en formation").wait_for(timeout=15_000)

    # A participant cannot reach a facilitator action: the console refuses without the secret.
    intruder = phones[1].page
    token = re.search(r"[?&]p=([^&]+)", intruder.url).group(1)
    for url in (f"{server}/animer?seance={code}", f"{server}/animer?seance={code}&cle={token}"):
        phones[1].open(url)
        intruder.get_by_text("Accès réservé à l'animation").wait_for(timeout=30_000)
        assert intruder.get_by_role("button", name="Clore la séance").count() == 0
    assert workshops.find_workshop(store.open_store(f"sqlite:///{demo_db_path}"), code).is_open
    for watch in [facilitator, projection, *phones]:
        assert watch.external == [] and watch.errors == []


def test_a_restart_mid_session_loses_nothing(tmp_path, browser, chromium_path):
    path = tmp_path / "essaim.sqlite"
    engine = store.open_store(f"sqlite:///{path}")
    created = workshops.create_workshop(engine, title="Atelier qui redémarre", kind="atelier",
                                        grid=demo_grid())
    token = workshops.join_workshop(engine, created.code, pseudonym="Nina")
    workshops.save_weights(engine, created.code, token, dict(zip(
        [d.id for d in demo_grid().dimensions], SPLITS[0])))
    engine.dispose()
    process, url = start_streamlit(path, tmp_path / "first.log")
    watch = PageWatch(browser.new_context(locale="fr-FR").new_page())
    try:
        watch.open(f"{url}/projection?seance={created.code}")
        wait_for_metric(watch.page, "Répartitions reçues", "1")
    finally:
        stop_streamlit(process)
    process, url = start_streamlit(path, tmp_path / "second.log")
    try:
        watch.open(f"{url}/projection?seance={created.code}")
        wait_for_metric(watch.page, "Participants", "1")
        wait_for_metric(watch.page, "Répartitions reçues", "1")
        watch.open(f"{url}/participer?seance={created.code}&p={token}")
        watch.page.get_by_text("Répartition enregistrée : 100 points.").wait_for(timeout=30_000)
    finally:
        stop_streamlit(process)


def test_two_servers_share_a_session_through_postgresql(postgres_store_url, tmp_path, browser):
    store_url = postgres_store_url
    store.open_store(store_url).dispose()
    first, url_a = start_streamlit(None, tmp_path / "a.log", database_url=store_url)
    second, url_b = start_streamlit(None, tmp_path / "b.log", database_url=store_url)
    try:
        engine = store.open_store(store_url)
        created = workshops.create_workshop(engine, title="Deux serveurs", kind="copil",
                                            grid=demo_grid())
        projection = PageWatch(browser.new_context(locale="fr-FR").new_page())
        projection.open(f"{url_b}/projection?seance={created.code}")
        wait_for_metric(projection.page, "Participants", "0")
        phone = PageWatch(browser.new_context(**PHONE).new_page())
        started = time.monotonic()
        join_and_split(phone.page, url_a, created.code, SPLITS[1], "Sam")
        wait_for_metric(projection.page, "Répartitions reçues", "1")
        assert time.monotonic() - started < 30
        assert projection.external == [] and phone.external == []
    finally:
        stop_streamlit(first)
        stop_streamlit(second)
