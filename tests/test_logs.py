"""The operator's log: one line per write, per refusal that matters and per error carried on
from, in French, and never a secret (tokens, PINs, passwords)."""

from __future__ import annotations

import logging

import pytest
from starlette.applications import Starlette

from essaim import workshops
from essaim.data import store
from essaim.data.reference import load_communes, load_departements
from essaim.imports.importer import activate_dataset, commit_import, validate_files
from essaim.imports.templates import dataset_csv_files
from essaim.logs import ROOT_LOGGER, configure_logging
from essaim.partners.declarations import check_form_row, declare_values
from essaim.partners.links import PartnerAccessError, create_link, open_link, resolve_link, revoke_link
from essaim.partners.scope import scope_of
from essaim.partners.settlements import arbitrate
from essaim.partners.threads import ensure_threads, list_threads
from essaim.web.room_server import RoomServer
from essaim.web.routes import web_middleware, web_routes
from essaim.workshops.grid import default_grid
from tests.asgi_client import Browser, run_scenario
from tests.conftest import _read_only_copy

RELAY = "association-rennes-prevention-jeunes"


@pytest.fixture
def engine(demo_db_path, tmp_path):
    return store.open_store(f"sqlite:///{_read_only_copy(demo_db_path, tmp_path)}")


@pytest.fixture
def journal(caplog):
    caplog.set_level(logging.INFO, logger=ROOT_LOGGER)
    return caplog


def lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.name.startswith(ROOT_LOGGER)]


def test_an_import_a_duplicate_and_a_rollback_each_leave_a_line(engine, journal):
    current = store.read_dataset(engine)
    files = dataset_csv_files(current)
    renamed = files["territoires.csv"].decode("utf-8-sig").replace("Brest", "Brest (29)")
    result = validate_files({**files, "territoires.csv": renamed.encode("utf-8-sig")}, current,
                            load_communes(), load_departements())
    new_id = commit_import(engine, result, current, who="Anaïs", label="Données 2024")
    commit_import(engine, result, store.read_dataset(engine), who="Anaïs", label="Données 2024")
    activate_dataset(engine, current.id)
    said = "\n".join(lines(journal))
    assert f"Jeu de données n°{new_id} écrit (import, « Données 2024 », par Anaïs, rendu actif)" \
        in said
    assert "contenu identique au jeu actif" in said
    assert f"Retour au jeu de données n°{current.id}" in said


def test_links_declarations_and_arbitrations_are_logged_without_their_token(engine, journal):
    token = create_link(engine, RELAY, label="Directrice", created_by="ANSA")
    link = resolve_link(engine, token)
    dataset = store.read_dataset(engine)
    check = check_form_row({"indicator_code": "beneficiaires", "territory_code": "rennes",
                            "essaimage_code": "tapaj-rennes", "period": "2022", "value": "61",
                            "source": "Bilan"}, dataset, scope_of(dataset, RELAY))
    declare_values(engine, check, link, declared_by="Directrice")
    ensure_threads(engine, dataset)
    thread_id = int(list_threads(engine).iloc[0]["id"])
    arbitrate(engine, dataset, thread_id, value=12, reason="Définition du financeur", author="Léa")
    revoke_link(engine, link.id)
    from essaim.access import Client

    with pytest.raises(PartnerAccessError):
        open_link(engine, token, Client(address="203.0.113.9"))
    said = "\n".join(lines(journal))
    assert f"Lien partenaire créé pour {RELAY}" in said
    assert "Déclaration de Directrice" in said
    assert f"Fil n°{thread_id} arbitré par Léa" in said
    assert f"Lien partenaire n°{link.id} révoqué" in said
    assert "Lien partenaire refusé depuis 203.0.113.9" in said
    assert token not in said and token[:12] not in said


def test_workshop_writes_are_logged_and_secrets_are_not(engine, journal):
    grid = default_grid(store.read_dataset(engine).indicators)
    created = workshops.create_workshop(engine, title="Comptoir", kind="comptoir", grid=grid)
    token = workshops.join_workshop(engine, created.code, pseudonym="Alex", client="198.51.100.1")
    points = {d.id: 0 for d in grid.dimensions}
    points[grid.dimensions[0].id] = 100
    workshops.save_weights(engine, created.code, token, points)
    workshops.set_status(engine, created.code, created.pin, "closed")
    assert not workshops.verify_facilitator(engine, created.code, pin="000000" if created.pin !=
                                            "000000" else "111111", client="198.51.100.1")
    said = "\n".join(lines(journal))
    assert f"Séance {created.code} créée" in said
    assert f"Séance {created.code} : répartition des 100 points" in said
    assert f"Séance {created.code} : statut « closed »" in said
    assert f"Séance {created.code} : code PIN d'animation erroné" in said
    for secret in (created.pin, created.facilitator_token, token):
        assert secret not in said


def test_a_503_to_a_phone_leaves_a_warning(journal):
    server = RoomServer("postgresql+psycopg://nobody@127.0.0.1:1/none")
    app = Starlette(routes=web_routes(server), middleware=web_middleware(server))

    async def scenario():
        return await Browser(app).request("POST", "/api/seances/ABCDEF/participants", {})

    answer = run_scenario(scenario)
    assert answer.status == 503
    warnings = [r for r in journal.records if r.levelno == logging.WARNING
                and r.getMessage().startswith("503 à un téléphone (POST /api/seances/ABCDEF/")]
    assert len(warnings) == 1


def test_logging_is_configured_once_at_the_declared_level(tmp_path):
    logger = logging.getLogger(ROOT_LOGGER)
    before = list(logger.handlers), logger.level
    try:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        journal_file = tmp_path / "essaim.log"
        environ = {"ESSAIM_LOG_LEVEL": "warning", "ESSAIM_LOG_FILE": str(journal_file)}
        configure_logging(environ)
        configure_logging(environ)
        assert len(logger.handlers) == 2 and logger.level == logging.WARNING
        logging.getLogger("essaim.test").warning("Essai du journal")
        logging.getLogger("essaim.test").info("Pas au niveau demandé")
        for handler in logger.handlers:
            handler.flush()
        written = journal_file.read_text(encoding="utf-8")
        assert "WARNING essaim.test : Essai du journal" in written and "Pas au niveau" not in written
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
        for handler in before[0]:
            logger.addHandler(handler)
        logger.setLevel(before[1])

