"""Two partners in Chromium, each through its own private link: they declare different values,
discuss in the disagreement thread, agree on one; ANSA then sees the agreed value on the
territory's portrait."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from essaim.data import store
from essaim.partners.links import create_link
from tests.conftest import PageWatch

RELAY = "association-rennes-prevention-jeunes"


def france_travail(dataset) -> str:
    roles = dataset.partner_roles[dataset.partner_roles["essaimage_code"] == "tapaj-rennes"]
    types = roles["partner_code"].map(dataset.partners.set_index("code")["type"])
    return roles.loc[types == "france_travail", "partner_code"].iloc[0]


def open_tab(watch: PageWatch, name: str, shows: str) -> None:
    """Open a tab of the partner space and wait until its content (`shows`) is drawn."""
    watch.page.get_by_role("tab", name=name).click()
    watch.page.get_by_text(shows).first.wait_for(timeout=30_000)
    watch.wait_idle()


def declare(watch: PageWatch, value: str, source: str) -> None:
    open_tab(watch, "Déclarer des valeurs", "Déclaré par (nom ou fonction)")
    page = watch.page
    page.get_by_label("Indicateur").first.click()
    page.get_by_role("option", name=re.compile("^Sorties vers l'emploi")).click()
    page.get_by_label("Pour").first.click()
    page.get_by_role("option", name="TAPAJ à Rennes").click()
    page.get_by_role("textbox", name="Année", exact=True).fill("2023")
    page.get_by_role("textbox", name="Valeur", exact=True).fill(value)
    page.get_by_role("textbox", name="Source", exact=True).fill(source)
    page.get_by_role("button", name="Déclarer", exact=True).click()
    page.get_by_text("1 valeur enregistrée").wait_for(timeout=30_000)


def test_two_partners_disagree_discuss_agree_and_ansa_sees_it(writable_server, browser):
    engine = store.open_store(f"sqlite:///{writable_server.store_path}")
    ft = france_travail(store.read_dataset(engine))
    links = {code: create_link(engine, code, label=name, created_by="ANSA")
             for code, name in ((RELAY, "Relais de Rennes"), (ft, "France Travail"))}
    watches = {}
    for code, token in links.items():
        context = browser.new_context(viewport={"width": 1300, "height": 1000}, locale="fr-FR")
        watches[code] = PageWatch(context.new_page())
        watches[code].open(f"{writable_server.url}/partenaire?jeton={token}")
    declare(watches[RELAY], "40", "Bilan d'activité 2023")
    declare(watches[ft], "30", "Extraction France Travail 2023")

    # France Travail explains its count and proposes 35.
    page = watches[ft].page
    open_tab(watches[ft], "Désaccords", "fils ouverts")
    thread = page.locator('[data-testid="stExpander"]', has_text="2023")
    thread.get_by_label("Votre message").click()
    page.get_by_role("option", name="Proposition de valeur").click()
    proposed = thread.get_by_role("textbox", name="Valeur proposée")
    proposed.fill("35")
    proposed.press("Enter")
    thread.get_by_text("Vous saisissez 35").wait_for(timeout=30_000)
    thread.get_by_label("Texte", exact=True).fill("Contrats d'un mois et plus, recomptés ensemble.")
    thread.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Message enregistré.").wait_for(timeout=30_000)

    # The relay agrees: the value counts.
    page = watches[RELAY].page
    open_tab(watches[RELAY], "Désaccords", "fils ouverts")
    thread = page.locator('[data-testid="stExpander"]', has_text="2023")
    thread.get_by_text("Contrats d'un mois et plus").wait_for(timeout=30_000)
    thread.get_by_role("button", name=re.compile("Je suis d'accord avec la proposition")).click()
    page.get_by_text(re.compile("Valeur convenue : 35")).first.wait_for(timeout=30_000)

    # ANSA, on the portrait of Rennes.
    ansa = PageWatch(browser.new_context(viewport={"width": 1400, "height": 1100},
                                         locale="fr-FR").new_page())
    ansa.open(f"{writable_server.url}/territoire?territoire=rennes")
    expect(ansa.page.get_by_text("valeur convenue entre partenaires").first).to_be_attached(
        timeout=30_000)
    for watch in (*watches.values(), ansa):
        assert watch.external == [] and watch.errors == []
