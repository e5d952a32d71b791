"""A live workshop in headless Chromium: the facilitator's console, phones at 390 px on the light
phone page, the projected screen; a server restart mid-session; the close; moderation and
upvotes; wrong codes behind one address; two app processes behind HAProxy."""

from __future__ import annotations

import os
import re
import time

import pytest

from essaim import workshops
from essaim.data import store
from essaim.workshops import room_reads
from tests.conftest import PageWatch, demo_grid

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "fr-FR"}
WIDE = {"viewport": {"width": 1400, "height": 1000}, "locale": "fr-FR"}
ENGLISH = ("Press Enter", "Connection error", "Number is outside", "Are you connected",
           "Please wait")


def metric(page, label: str):
    """The locator of a metric's value, by its label."""
    return page.locator('[data-testid="stMetric"]', has_text=label).locator(
        '[data-testid="stMetricValue"]')


def wait_for_metric(page, label: str, value: str, timeout: float = 15_000) -> None:
    from playwright.sync_api import expect

    expect(metric(page, label)).to_have_text(value, timeout=timeout)


def open_phone(browser, url: str) -> PageWatch:
    watch = PageWatch(browser.new_context(**PHONE).new_page())
    watch.page.goto(url)
    watch.page.wait_for_selector("html[data-pret='1']", timeout=30_000)
    return watch


def join_by_code(browser, base: str, code: str) -> PageWatch:
    """A phone that opens the bare page and types the code shown on the screen."""
    watch = open_phone(browser, f"{base}/participer")
    watch.page.get_by_label("Code de la séance (affiché à l’écran)").fill(code.lower())
    watch.page.get_by_role("button", name="Rejoindre").click()
    watch.page.get_by_role("heading", name="Répartissez 100 points").wait_for(timeout=30_000)
    return watch


def share_points(page, taps: list[int]) -> None:
    """Tap each dimension's + button (5 points a tap), then send once the counter says 0."""
    plus = page.locator("[data-plus]")
    for index, count in enumerate(taps):
        for _ in range(count):
            plus.nth(index).click()
    page.get_by_text("Les 100 points sont répartis").wait_for()
    page.get_by_role("button", name="Envoyer ma répartition").click()
    page.get_by_text("Répartition enregistrée ✓").wait_for(timeout=30_000)


def phone_token(page) -> str:
    return page.evaluate("""() => { for (const k of Object.keys(localStorage))
        if (k.startsWith('essaim:s:')) return JSON.parse(localStorage[k]).token; }""")


def test_phones_at_390_px_join_share_rate_propose_and_upvote(writable_server, browser):
    server = writable_server.url
    facilitator = PageWatch(browser.new_context(**WIDE).new_page())
    facilitator.open(f"{server}/animer")
    console = facilitator.page
    console.get_by_role("textbox", name="Titre").fill("Comptoir n°6 — institutions territoriales")
    console.get_by_role("button", name="Créer la séance").click()
    console.wait_for_url(re.compile(r"seance="), timeout=30_000)
    code = re.search(r"seance=([A-Z0-9]+)", console.url).group(1)
    console.get_by_text(f"Code : {code}").wait_for(timeout=30_000)
    assert "cle=" not in console.url  # the private key is not left in the address bar

    projection = PageWatch(browser.new_context(**WIDE).new_page())
    projection.open(f"{server}/projection?seance={code}")
    wait_for_metric(projection.page, "Participants", "0")
    projection.page.evaluate("() => { window.__notReloaded = true; }")
    assert projection.page.locator('[data-testid="stSidebar"]').is_hidden()

    lea = join_by_code(browser, server, code)
    karim = open_phone(browser, f"{server}/participer?seance={code}")  # the QR code's link
    page = lea.page
    # The first screen is the question, with thumb-sized controls and the live counter.
    heading = page.get_by_role("heading", name="Répartissez 100 points").bounding_box()
    assert heading["y"] < 150
    plus = page.locator("[data-plus]").first.bounding_box()
    assert plus["width"] >= 44 and plus["height"] >= 44
    assert page.get_by_text("Points restants : 100").is_visible()
    page.locator("[data-plus]").first.click()
    assert page.get_by_text("Points restants : 95").is_visible()
    assert page.get_by_role("button", name="Envoyer ma répartition").is_disabled()
    page.get_by_role("button", name=re.compile("Retirer 5 points")).first.click()
    share_points(page, [8, 4, 2, 2, 2, 1, 1])
    share_points(karim.page, [2, 2, 2, 2, 4, 4, 4])
    wait_for_metric(projection.page, "Participants", "2")
    wait_for_metric(projection.page, "Répartitions reçues", "2")

    # A rating, withdrawn by a second tap.
    first_rating = page.locator("[data-note]").nth(3)
    first_rating.click()
    page.get_by_text("Note enregistrée ✓").wait_for()
    first_rating.click()
    page.get_by_text("Note retirée ✓").wait_for()
    assert first_rating.get_attribute("aria-pressed") == "false"

    # Over-long text: said, with the limit, and nothing typed is lost.
    text = page.get_by_label("Votre proposition")
    text.fill("x" * 401)
    page.get_by_text("Texte trop long : 401 caractères pour 400 au plus.").first.wait_for()
    page.get_by_role("button", name="Envoyer", exact=True).click()
    assert text.input_value() == "x" * 401
    text.fill("Suivre aussi les entrées en formation")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    page.get_by_text("Proposition enregistrée ✓").wait_for(timeout=30_000)
    mine = page.locator("#miennes li")
    mine.get_by_role("button", name="Modifier").click()
    text.fill("Suivre aussi les entrées en formation qualifiante")
    page.get_by_role("button", name="Enregistrer la modification").click()
    page.get_by_text("Proposition enregistrée ✓").wait_for(timeout=30_000)
    projection.page.get_by_text("Suivre aussi les entrées en formation qualifiante").wait_for(
        timeout=15_000)

    # Karim upvotes it; the projection orders by votes.
    karim.page.get_by_role("button", name="Actualiser la liste").click()
    karim.page.get_by_role("button", name=re.compile("Je soutiens")).first.click()
    karim.page.get_by_text("Soutien enregistré ✓").wait_for(timeout=30_000)
    # The voter's own count is right as soon as the vote is acknowledged, not one short.
    assert karim.page.locator("#salle").get_by_role("button").first.inner_text() == \
        "▲ Je soutiens (1\xa0soutien)"
    projection.page.get_by_text("1 soutien").wait_for(timeout=15_000)
    assert projection.page.evaluate("() => window.__notReloaded === true")  # no reload

    # A participant cannot reach a facilitator action.
    token = phone_token(karim.page)
    for url in (f"{server}/animer?seance={code}", f"{server}/animer?seance={code}&cle={token}"):
        intruder = PageWatch(browser.new_context(**PHONE).new_page())
        intruder.open(url)
        intruder.page.get_by_text("Accès réservé à l'animation").wait_for(timeout=30_000)
        assert intruder.page.get_by_role("button", name="Clore la séance").count() == 0
    engine = store.open_store(f"sqlite:///{writable_server.store_path}")
    assert workshops.find_workshop(engine, code).is_open
    for watch in [facilitator, projection, lea, karim]:
        assert watch.external == [] and watch.errors == [] and watch.dialogs == []
    for watch in (lea, karim):
        body = watch.page.inner_text("body")
        assert not any(english in body for english in ENGLISH)


def test_the_facilitator_moderates_before_and_after_the_screen(writable_server, browser):
    engine = store.open_store(f"sqlite:///{writable_server.store_path}")
    created = workshops.create_workshop(engine, title="Modération", kind="atelier",
                                        grid=demo_grid())
    token = workshops.join_workshop(engine, created.code, pseudonym="Sam")
    shown = workshops.add_proposal(engine, created.code, token, "comment", "Déjà à l'écran")
    projection = PageWatch(browser.new_context(**WIDE).new_page())
    projection.open(f"{writable_server.url}/projection?seance={created.code}")
    projection.page.get_by_text("Déjà à l'écran").wait_for(timeout=15_000)
    console = PageWatch(browser.new_context(**WIDE).new_page())
    console.open(f"{writable_server.url}/animer?seance={created.code}"
                 f"&cle={created.facilitator_token}")
    console.page.get_by_role("tab", name="Propositions").click()
    console.page.get_by_role("button", name="Masquer").click()
    projection.page.get_by_text("Déjà à l'écran").wait_for(state="detached", timeout=15_000)
    # Before the screen: approval first; the console shows it without a reload.
    console.page.get_by_text("Valider chaque proposition avant qu'elle soit projetée").click()
    console.page.get_by_text("Validation préalable activée").wait_for(timeout=15_000)
    workshops.add_proposal(engine, created.code, token, "comment", "À valider d'abord")
    console.page.get_by_text("1 proposition attend votre validation").wait_for(timeout=15_000)
    time.sleep(2.5)  # two redraws of the projection: still not shown
    assert projection.page.get_by_text("À valider d'abord").count() == 0
    console.page.get_by_role("button", name="Valider et projeter").click()
    projection.page.get_by_text("À valider d'abord").wait_for(timeout=15_000)
    assert room_reads.room_proposals(engine, created.code)[0]["text"] == "À valider d'abord"
    assert all(r["id"] != shown for r in room_reads.room_proposals(engine, created.code))
    for watch in (projection, console):
        assert watch.external == [] and watch.errors == []


def _start_on(port: int, path, log):
    from deploy.cluster import start_app, wait_until_healthy

    env = {**os.environ, "ESSAIM_SQLITE_PATH": str(path)}
    env.pop("DATABASE_URL", None)
    process = start_app(port, env, log)
    wait_until_healthy(f"http://127.0.0.1:{port}", [process])
    return process


def _stop(process) -> None:
    process.terminate()
    process.wait(timeout=15)


def test_a_phone_resends_on_its_own_after_the_server_restarts(tmp_path, browser, chromium_path):
    from deploy.cluster import free_port

    path = tmp_path / "essaim.sqlite"
    engine = store.open_store(f"sqlite:///{path}")
    created = workshops.create_workshop(engine, title="Atelier qui redémarre", kind="atelier",
                                        grid=demo_grid())
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = _start_on(port, path, tmp_path / "first.log")
    phone = open_phone(browser, f"{url}/participer?seance={created.code}")
    idle = open_phone(browser, f"{url}/participer?seance={created.code}")  # taps nothing
    projection = PageWatch(browser.new_context(**WIDE).new_page())
    try:
        projection.open(f"{url}/projection?seance={created.code}")
        wait_for_metric(projection.page, "Participants", "2")
    finally:
        _stop(process)
    idle.page.get_by_text("Connexion perdue").wait_for(timeout=15_000)
    page = phone.page
    page.locator("[data-plus]").first.click()
    for _ in range(19):
        page.locator("[data-plus]").nth(1).click()
    page.get_by_role("button", name="Envoyer ma répartition").click()
    page.get_by_text("Connexion perdue").wait_for(timeout=15_000)
    page.get_by_text("Pas de réseau : votre répartition partira dès son retour.").wait_for()
    # The projector says so in French, without Streamlit's English dialog.
    projection.page.get_by_text("Connexion au serveur perdue").wait_for(timeout=30_000)
    assert not any(e in projection.page.inner_text("body") for e in ENGLISH)
    process = _start_on(port, path, tmp_path / "second.log")
    try:
        # The idle phone learns the server is back from its pulse within seconds, not at the
        # end of a 25-second long poll.
        idle.page.locator("#reseau").wait_for(state="hidden", timeout=10_000)
        page.get_by_text("Répartition enregistrée ✓").wait_for(timeout=30_000)
        assert page.locator("#reseau").is_hidden()
        saved = workshops.read_inputs(engine, created.code)
        assert (saved["kind"] == "weights").sum() == 1
        wait_for_metric(projection.page, "Répartitions reçues", "1", timeout=30_000)
        projection.page.get_by_text("Connexion au serveur perdue").wait_for(state="hidden")
        page.reload()  # and a reload shows what is stored
        page.get_by_text("Répartition enregistrée ✓").wait_for(timeout=30_000)
    finally:
        _stop(process)
    assert phone.external == [] and phone.errors == [] and idle.errors == []


def test_a_phone_learns_the_close_by_itself_and_a_late_change_is_refused(writable_server,
                                                                         browser):
    engine = store.open_store(f"sqlite:///{writable_server.store_path}")
    created = workshops.create_workshop(engine, title="Clôture", kind="atelier", grid=demo_grid())
    phone = open_phone(browser, f"{writable_server.url}/participer?seance={created.code}")
    page = phone.page
    page.wait_for_function("() => window.essaimRejoint", timeout=15_000)  # joined
    page.context.set_offline(True)
    page.locator("[data-note]").nth(4).click()  # a rating that cannot leave yet
    page.get_by_text("partira dès son retour").wait_for(timeout=15_000)
    workshops.set_status(engine, created.code, created.facilitator_token, "closed")
    page.context.set_offline(False)
    page.get_by_text("La séance est close : votre contribution n'a pas été enregistrée."
                     ).wait_for(timeout=30_000)
    page.get_by_text("La séance est close : merci pour votre participation").wait_for()
    assert page.get_by_role("button", name="Envoyer ma répartition").is_disabled()
    assert workshops.read_inputs(engine, created.code).empty
    # Reopened: the phone learns that too, without a tap.
    workshops.set_status(engine, created.code, created.facilitator_token, "open")
    page.locator("#close").wait_for(state="hidden", timeout=30_000)
    assert phone.errors == []


def test_wrong_codes_from_one_phone_do_not_lock_out_the_room(writable_server, browser):
    engine = store.open_store(f"sqlite:///{writable_server.store_path}")
    created = workshops.create_workshop(engine, title="Même Wi-Fi", kind="atelier",
                                        grid=demo_grid())
    # Every phone of this test comes from 127.0.0.1: one address, as behind a venue's router.
    prankster = open_phone(browser, f"{writable_server.url}/participer")
    field = prankster.page.get_by_label("Code de la séance (affiché à l’écran)")
    for _ in range(5):
        field.fill("ZZZZZZ")
        prankster.page.get_by_role("button", name="Rejoindre").click()
        prankster.page.wait_for_function(
            "() => !document.querySelector('#bouton-rejoindre').disabled")
    prankster.page.get_by_text(re.compile(r"réessayez dans \d+ s")).wait_for(timeout=15_000)
    prankster.page.reload()  # a reload does not reset the count
    prankster.page.wait_for_selector("html[data-pret='1']")
    field.fill(created.code)
    prankster.page.get_by_role("button", name="Rejoindre").click()
    prankster.page.get_by_text(re.compile(r"réessayez dans \d+ s")).wait_for(timeout=15_000)
    neighbour = join_by_code(browser, writable_server.url, created.code)  # joins at once
    neighbour.page.wait_for_function("() => window.essaimRejoint", timeout=15_000)
    assert len(workshops.read_participants(engine, created.code)) == 1


def test_a_workshop_through_haproxy_with_two_app_processes(postgres_store_url, tmp_path,
                                                          browser, chromium_path):
    import shutil

    from deploy.cluster import start_cluster

    if not shutil.which("haproxy"):
        pytest.skip("HAProxy absent (apt-get install -y haproxy)")
    store.open_store(postgres_store_url).dispose()
    cluster = start_cluster(postgres_store_url, processes=2, log_dir=tmp_path)
    try:
        facilitator = PageWatch(browser.new_context(**WIDE).new_page())
        facilitator.open(f"{cluster.url}/animer")
        console = facilitator.page
        console.get_by_role("textbox", name="Titre").fill("Derrière HAProxy")
        console.get_by_role("button", name="Créer la séance").click()
        console.wait_for_url(re.compile(r"seance="), timeout=30_000)
        code = re.search(r"seance=([A-Z0-9]+)", console.url).group(1)
        console.get_by_text(f"Code : {code}").wait_for(timeout=30_000)
        projection = PageWatch(browser.new_context(**WIDE).new_page())
        projection.open(f"{cluster.url}/projection?seance={code}")
        wait_for_metric(projection.page, "Participants", "0")
        phones = [join_by_code(browser, cluster.url, code) for _ in range(3)]
        for phone, taps in zip(phones, ([4, 4, 4, 4, 4, 0, 0], [8, 4, 2, 2, 2, 1, 1],
                                        [2, 2, 4, 4, 4, 4, 0])):
            share_points(phone.page, taps)
        wait_for_metric(projection.page, "Répartitions reçues", "3", timeout=30_000)
        # Sticky sessions kept each browser on one process, and both processes served.
        served = {c["value"] for watch in [facilitator, projection, *phones]
                  for c in watch.page.context.cookies() if c["name"] == "ESSAIM_SERVEUR"}
        assert served == {"app1", "app2"}
        console.get_by_role("tab", name="Séance").click()
        console.get_by_role("button", name="Clore la séance").click()
        phones[0].page.get_by_text("La séance est close").first.wait_for(timeout=30_000)
        for watch in [facilitator, projection, *phones]:
            assert watch.external == [] and watch.errors == []
    finally:
        cluster.stop()


def test_the_projection_fits_a_1920_by_1080_projector(writable_server, browser):
    engine = store.open_store(f"sqlite:///{writable_server.store_path}")
    grid = demo_grid()
    created = workshops.create_workshop(engine, title="Sur grand écran", kind="atelier", grid=grid)
    ids = [d.id for d in grid.dimensions]
    for index, (_, criterion) in enumerate(grid.criteria()):
        token = workshops.join_workshop(engine, created.code)
        workshops.save_weights(engine, created.code, token,
                               {d: (100 - 10 * (len(ids) - 1) if d == ids[index % len(ids)] else 10)
                                for d in ids})
        workshops.save_rating(engine, created.code, token, criterion.id, 1 + index % 5)
    projection = PageWatch(browser.new_context(viewport={"width": 1920, "height": 1080},
                                               locale="fr-FR").new_page())
    projection.open(f"{writable_server.url}/projection?seance={created.code}")
    projection.page.get_by_role("heading", name="Pertinence des critères").wait_for(timeout=15_000)
    projection.page.wait_for_function(  # the ratings and the rankings
        "() => document.querySelectorAll('[data-testid=stDataFrame] .dvn-scroller').length >= 2",
        timeout=15_000)
    # Every table shows all its columns: nothing to scroll sideways on the projector.
    widths = projection.page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid=stDataFrame] .dvn-scroller')].map(s => [s.scrollWidth, s.clientWidth])""")
    assert widths and all(scroll <= client for scroll, client in widths), widths
    assert projection.page.locator('[data-testid="stSidebar"]').is_hidden()
    assert projection.external == [] and projection.errors == []
