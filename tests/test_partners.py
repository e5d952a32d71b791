"""Partner spaces: private links, declarations within scope, disagreement threads, agreements,
arbitration and history — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from essaim.data import store
from essaim.data.schema_partners import partner_links
from essaim.figures.counted import counted_values
from essaim.partners.declarations import (
    check_declared_file,
    check_form_row,
    declare_values,
    read_declarations,
    restore_declaration,
    scope_template,
)
from essaim.partners.links import (
    PartnerAccessError,
    create_link,
    list_links,
    resolve_link,
    revoke_link,
)
from essaim.partners.scope import scope_of, values_in_scope
from essaim.partners.settlements import arbitrate
from essaim.partners.threads import (
    ThreadError,
    agree,
    ensure_threads,
    list_threads,
    post_message,
    read_thread,
)

RELAY = "association-rennes-prevention-jeunes"
CELL = ("sorties_emploi", "rennes", "tapaj-rennes", "2019")


@pytest.fixture
def engine(demo_store_url):
    return store.open_store(demo_store_url)


def france_travail(dataset) -> str:
    roles = dataset.partner_roles[dataset.partner_roles["essaimage_code"] == "tapaj-rennes"]
    types = roles["partner_code"].map(dataset.partners.set_index("code")["type"])
    return roles.loc[types == "france_travail", "partner_code"].iloc[0]


def counted_cell(dataset, cell=CELL):
    counted = counted_values(dataset).set_index(["indicator_code", "territory_code",
                                                 "essaimage_code", "period"])
    return counted.loc[cell]


# --- links ------------------------------------------------------------------------------------

def test_a_link_is_stored_hashed_and_opens_the_partners_space(engine):
    token = create_link(engine, RELAY, label="Directrice", created_by="ANSA")
    with engine.connect() as conn:
        stored = conn.execute(sa.select(partner_links.c.token_hash)).scalar_one()
    assert token not in stored and len(stored) == 64
    link = resolve_link(engine, token)
    assert link.partner_code == RELAY
    assert list_links(engine).loc[0, "status"] == "actif"


def test_revoked_expired_and_wrong_links_are_refused_in_french(engine):
    token = create_link(engine, RELAY, label="x", created_by="ANSA")
    with pytest.raises(PartnerAccessError, match="n'est pas valable"):
        resolve_link(engine, token[:-2] + "zz")
    revoke_link(engine, resolve_link(engine, token).id)
    with pytest.raises(PartnerAccessError, match="révoqué"):
        resolve_link(engine, token)
    old = create_link(engine, RELAY, label="y", created_by="ANSA", validity_days=1)
    with store.write_transaction(engine) as conn:
        conn.execute(partner_links.update().where(partner_links.c.label == "y").values(
            expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)))
    with pytest.raises(PartnerAccessError, match="expiré"):
        resolve_link(engine, old)
    assert set(list_links(engine)["status"]) == {"révoqué", "expiré"}


# --- scope and declarations --------------------------------------------------------------------

def test_a_partner_reads_its_essaimages_and_every_partners_values_there(engine):
    dataset = store.read_dataset(engine)
    scope = scope_of(dataset, RELAY)
    assert scope.essaimage_codes == {"tapaj-rennes"} and scope.territory_codes == {"rennes"}
    seen = values_in_scope(dataset.indicator_values, scope)
    assert set(seen["territory_code"]) == {"rennes"}
    assert france_travail(dataset) in set(seen["partner_code"])  # the others' reports too


def _form(**values):
    base = {"indicator_code": "beneficiaires", "territory_code": "rennes",
            "essaimage_code": "tapaj-rennes", "period": "2023", "value": "61",
            "source": "Bilan 2023"}
    return {**base, **values}


def test_a_declaration_outside_the_scope_or_for_another_partner_is_refused(engine):
    dataset = store.read_dataset(engine)
    scope = scope_of(dataset, RELAY)
    outside = check_form_row(_form(territory_code="bordeaux", essaimage_code="tapaj-bordeaux"),
                             dataset, scope)
    assert not outside.ok and "n'est pas dans vos essaimages" in outside.errors[0].message
    other = check_form_row(_form(partner_code="dgefp"), dataset, scope)
    assert any("vous déclarez pour" in e.message for e in other.errors)
    bad = check_form_row(_form(value="-3"), dataset, scope)
    assert any("n'est jamais négatif" in e.message for e in bad.errors)
    with pytest.raises(ValueError):
        declare_values(engine, bad, None, declared_by="x")
    assert read_declarations(engine).empty  # nothing written on error


def test_a_declaration_replaces_only_the_partners_own_report_and_keeps_history(engine):
    dataset = store.read_dataset(engine)
    ft = france_travail(dataset)
    scope = scope_of(dataset, ft)
    link = resolve_link(engine, create_link(engine, ft, label="FT", created_by="ANSA"))
    check = check_form_row(_form(indicator_code="sorties_emploi", period="2019", value="12",
                                 source="Extraction 2024"), dataset, scope)
    assert check.ok, [str(e) for e in check.errors]
    assert declare_values(engine, check, link, declared_by="Chargé de mission") == 1
    again = check_form_row(_form(indicator_code="sorties_emploi", period="2019", value="13",
                                 source="Extraction corrigée"), dataset, scope)
    declare_values(engine, again, link, declared_by="Chargé de mission")
    updated = store.read_dataset(engine)
    reports = updated.indicator_values.query(
        "indicator_code == 'sorties_emploi' and essaimage_code == 'tapaj-rennes' and period == '2019'")
    assert dict(zip(reports["partner_code"], reports["value"])) == {RELAY: 14.0, ft: 13.0}
    history = read_declarations(engine, ft)
    assert list(history["value"]) == [13.0, 12.0] and history["replaced_at"].notna().sum() == 1
    restore_declaration(engine, int(history.iloc[1]["id"]), updated, scope, link,
                        declared_by="Chargé de mission")
    restored = store.read_dataset(engine).indicator_values.query(
        f"partner_code == '{ft}' and essaimage_code == 'tapaj-rennes' and period == '2019' "
        "and indicator_code == 'sorties_emploi'")
    assert list(restored["value"]) == [12.0]
    assert read_declarations(engine, ft).iloc[0]["note"].startswith("Restauration")


def test_the_scope_template_is_filled_and_imports_back(engine):
    dataset = store.read_dataset(engine)
    scope = scope_of(dataset, RELAY)
    content = scope_template(dataset, scope, "2022")
    check = check_declared_file("modele.xlsx", content, dataset, scope)
    # Sent back as downloaded: every row is « no change », nothing is wrong, nothing to declare.
    assert check.errors == [] and check.rows == [] and check.unchanged > 20


# --- threads ----------------------------------------------------------------------------------

def test_partners_disagree_discuss_and_agree_then_the_agreed_value_counts(engine):
    dataset = store.read_dataset(engine)
    assert counted_cell(dataset)["status"] == "retenu"
    assert ensure_threads(engine, dataset) == 8
    assert ensure_threads(engine, dataset) == 0  # opened once
    ft = france_travail(dataset)
    relay_scope, ft_scope = scope_of(dataset, RELAY), scope_of(dataset, ft)
    thread = next(t for t in list_threads(engine, relay_scope).to_dict("records")
                  if (t["indicator_code"], t["period"]) == ("sorties_emploi", "2019"))
    post_message(engine, dataset, thread["id"], kind="definition", author="Relais",
                 scope=relay_scope, text="Nous comptons toute reprise d'emploi à la sortie.")
    post_message(engine, dataset, thread["id"], kind="definition", author="FT", scope=ft_scope,
                 text="Nous ne comptons que les contrats de plus d'un mois.")
    proposal = post_message(engine, dataset, thread["id"], kind="proposal", author="FT",
                            scope=ft_scope, value=12, text="Contrats d'un mois et plus.")
    outcome = agree(engine, dataset, thread["id"], proposal, scope=relay_scope, author="Relais")
    assert outcome.resolved and "avant : 14" in outcome.text
    settled = store.read_dataset(engine)
    cell = counted_cell(settled)
    assert (cell["value"], cell["status"]) == (12.0, "accord")
    reports = settled.indicator_values.query(
        "indicator_code == 'sorties_emploi' and essaimage_code == 'tapaj-rennes' and period == '2019'")
    assert len(reports) == 2  # both reports stay visible
    with pytest.raises(ThreadError, match="clos"):
        post_message(engine, settled, thread["id"], kind="comment", author="x", scope=ft_scope,
                     text="encore")
    messages = read_thread(engine, thread["id"])["messages"]
    assert list(messages["kind"]) == ["definition", "definition", "proposal", "agreement", "system"]


def test_a_partner_cannot_read_or_act_on_a_thread_outside_its_scope(engine):
    dataset = store.read_dataset(engine)
    ensure_threads(engine, dataset)
    outsider = scope_of(dataset, "tapaj-france")  # the porteur: other essaimages too
    bordeaux_relay = scope_of(dataset, "association-bordeaux-prevention-jeunes")
    rennes_thread = next(t for t in list_threads(engine).to_dict("records")
                         if t["territory_code"] == "rennes")
    assert rennes_thread["id"] not in set(list_threads(engine, bordeaux_relay)["id"])
    with pytest.raises(ThreadError, match="ne concerne pas"):
        read_thread(engine, rennes_thread["id"], bordeaux_relay)
    with pytest.raises(ThreadError):
        post_message(engine, dataset, rennes_thread["id"], kind="proposal", author="x",
                     scope=bordeaux_relay, value=1)
    # The porteur takes part in tapaj-rennes: it may comment but not propose (it did not report).
    assert outsider.allows("rennes", "tapaj-rennes")
    with pytest.raises(ThreadError, match="peuvent faire une proposition"):
        post_message(engine, dataset, rennes_thread["id"], kind="proposal", author="x",
                     scope=outsider, value=1)


def test_ansa_arbitrates_with_a_reason_and_a_new_declaration_reopens(engine):
    dataset = store.read_dataset(engine)
    ensure_threads(engine, dataset)
    thread = next(t for t in list_threads(engine).to_dict("records")
                  if (t["territory_code"], t["period"]) == ("rennes", "2019"))
    with pytest.raises(ThreadError, match="raison"):
        arbitrate(engine, dataset, thread["id"], value=13, reason="", author="Camille")
    arbitrate(engine, dataset, thread["id"], value=13, reason="Moyenne des sources",
              author="Camille")
    assert counted_cell(store.read_dataset(engine))["status"] == "arbitrage"
    ft = france_travail(dataset)
    scope = scope_of(dataset, ft)
    check = check_form_row(_form(indicator_code="sorties_emploi", period="2019", value="9",
                                 source="Nouvelle extraction"), dataset, scope)
    declare_values(engine, check, None, declared_by="FT")
    # Called into question, not silently undone: the arbitrated value counts meanwhile.
    assert list_threads(engine).set_index("id").at[thread["id"], "status"] == "reopened"
    cell = counted_cell(store.read_dataset(engine))
    assert (cell["value"], cell["status"]) == (13.0, "remis_en_cause")
    said = read_thread(engine, thread["id"])["messages"]["text"].iloc[-1]
    assert said.startswith(f"Arbitrage remis en cause par {scope.partner_name}")


def test_a_definition_agreed_locally_stays_local_until_ansa_adopts_it(engine):
    from essaim.partners.settlements import adopt_national_definition, definition_history

    dataset = store.read_dataset(engine)
    ensure_threads(engine, dataset)
    ft = france_travail(dataset)
    relay_scope, ft_scope = scope_of(dataset, RELAY), scope_of(dataset, ft)
    thread = next(t for t in list_threads(engine, relay_scope).to_dict("records")
                  if t["period"] == "2019")
    proposal = post_message(engine, dataset, thread["id"], kind="definition_proposal",
                            author="Relais", scope=relay_scope,
                            text="Reprise d'un emploi d'au moins un mois dans les trois mois.")
    agree(engine, dataset, thread["id"], proposal, scope=ft_scope, author="FT")
    indicators = store.read_dataset(engine).indicators.set_index("code")
    before = dataset.indicators.set_index("code").at["sorties_emploi", "definition"]
    assert indicators.at["sorties_emploi", "definition"] == before  # the accelerator's holds
    local = definition_history(engine, "sorties_emploi")
    assert list(zip(local["version"], local["status"], local["essaimage_code"])) == [
        (2, "locale", "tapaj-rennes")]
    adopt_national_definition(engine, dataset, int(local.iloc[0]["id"]), author="Camille")
    indicators = store.read_dataset(engine).indicators.set_index("code")
    assert indicators.at["sorties_emploi", "definition"].startswith("Reprise d'un emploi")
    assert list(definition_history(engine, "sorties_emploi")["status"]) == ["nationale", "locale"]


def test_wrong_tokens_are_paced_per_device_not_for_the_whole_network(engine):
    from essaim.access import Client
    from essaim.partners.links import open_link

    token = create_link(engine, RELAY, label="x", created_by="ANSA")
    guesser = Client(address="203.0.113.7", device="appareil-qui-devine")
    for _ in range(6):
        with pytest.raises(PartnerAccessError):
            open_link(engine, "faux" + token[:8], guesser)
    with pytest.raises(PartnerAccessError, match="réessayez dans"):
        open_link(engine, token, guesser)  # even the right token waits, on that device
    neighbour = Client(address="203.0.113.7", device="un-autre-telephone")
    assert open_link(engine, token, neighbour).partner_code == RELAY  # same Wi-Fi, not locked


def test_an_agreement_called_into_question_holds_until_the_partners_agree_again(engine):
    from essaim.partners.settlements import reopen_arbitration

    dataset = store.read_dataset(engine)
    ensure_threads(engine, dataset)
    ft = france_travail(dataset)
    names = dict(zip(dataset.partners["code"], dataset.partners["name"]))
    relay_scope, ft_scope = scope_of(dataset, RELAY), scope_of(dataset, ft)
    thread = next(t for t in list_threads(engine, relay_scope).to_dict("records")
                  if (t["indicator_code"], t["period"]) == ("sorties_emploi", "2019"))
    proposal = post_message(engine, dataset, thread["id"], kind="proposal", author="FT",
                            scope=ft_scope, value=12, text="Contrats d'un mois et plus.")
    outcome = agree(engine, dataset, thread["id"], proposal, scope=relay_scope, author="Relais")
    assert f"Par : {', '.join(sorted([names[RELAY], names[ft]]))}" in outcome.text  # names
    assert RELAY not in outcome.text
    # A new declaration by one partner does not undo the agreement alone.
    check = check_form_row(_form(indicator_code="sorties_emploi", period="2019", value="15",
                                 source="Extraction corrigée"), dataset, ft_scope)
    declare_values(engine, check, None, declared_by="FT")
    reopened = store.read_dataset(engine)
    cell = counted_cell(reopened)
    assert (cell["value"], cell["status"]) == (12.0, "remis_en_cause")
    said = read_thread(engine, thread["id"])["messages"]
    assert said["text"].iloc[-1].startswith(f"Accord remis en cause par {names[ft]} : nouvelle "
                                            "déclaration de 15")
    assert set(said.loc[said["kind"] == "system", "author"]) == {"Essaim"}
    # The partners agree again to the same proposal: the earlier agreements no longer count.
    waiting = agree(engine, reopened, thread["id"], proposal, scope=relay_scope, author="Relais")
    assert not waiting.resolved and "En attente de 1 autre partenaire" in waiting.text
    again = agree(engine, reopened, thread["id"], proposal, scope=ft_scope, author="FT")
    assert again.resolved
    cell = counted_cell(store.read_dataset(engine))
    assert (cell["value"], cell["status"]) == (12.0, "accord")
    # ANSA reopens the settlement, the value still counts, then arbitrates.
    reopen_arbitration(engine, reopened, thread["id"], reason="Nouvelle source nationale",
                       author="Camille")
    assert counted_cell(store.read_dataset(engine))["status"] == "remis_en_cause"
    arbitrate(engine, store.read_dataset(engine), thread["id"], value=13,
              reason="Source nationale", author="Camille")
    cell = counted_cell(store.read_dataset(engine))
    assert (cell["value"], cell["status"]) == (13.0, "arbitrage")
    with pytest.raises(ThreadError, match="rouvrez"):
        arbitrate(engine, dataset, thread["id"], value=14, reason="x", author="Camille")


def test_an_arbitration_must_be_a_possible_value(engine):
    dataset = store.read_dataset(engine)
    ensure_threads(engine, dataset)
    thread = next(t for t in list_threads(engine).to_dict("records")
                  if (t["territory_code"], t["period"]) == ("rennes", "2019"))
    with pytest.raises(ThreadError, match="nombre entier"):
        arbitrate(engine, dataset, thread["id"], value=12.5, reason="x", author="Camille")


def test_a_partner_withdraws_its_declaration_and_the_history_keeps_it(engine):
    from essaim.partners.declarations import withdraw_declaration

    dataset = store.read_dataset(engine)
    scope = scope_of(dataset, RELAY)
    check = check_form_row(_form(period="2024", value="61"), dataset, scope)
    assert check.ok, [str(e) for e in check.errors]
    declare_values(engine, check, None, declared_by="Directrice")
    history = read_declarations(engine, RELAY)
    assert store.read_dataset(engine).indicator_values.query(
        "period == '2024' and partner_code == @RELAY")["value"].tolist() == [61.0]
    withdrawn = withdraw_declaration(engine, int(history.iloc[0]["id"]), scope, None,
                                     withdrawn_by="Directrice")
    assert withdrawn["value"] == 61.0
    assert store.read_dataset(engine).indicator_values.query("period == '2024'").empty
    kept = read_declarations(engine, RELAY)
    assert kept.iloc[0]["withdrawn_at"] is not None and kept.iloc[0]["value"] == 61.0
    with pytest.raises(ValueError, match="déjà retirée"):
        withdraw_declaration(engine, int(history.iloc[0]["id"]), scope, None, withdrawn_by="x")
    other = scope_of(dataset, france_travail(dataset))
    with pytest.raises(ValueError, match="n'existe pas dans votre historique"):
        withdraw_declaration(engine, int(history.iloc[0]["id"]), other, None, withdrawn_by="x")


@pytest.mark.parametrize("field,typed,message", [
    ("period", "2035", "n'est pas encore arrivée"),
    ("value", "150", "un effectif"),  # beneficiaries: a count — and 150 is fine, 12,5 is not
    ("value", "12,5", "nombre entier"),
    ("value", "1.234", "ambigu"),
    ("indicator_code", "taux_sortie_emploi", None),
])
def test_every_check_of_a_form_row_is_said_in_one_pass(engine, field, typed, message):
    dataset = store.read_dataset(engine)
    scope = scope_of(dataset, RELAY)
    row = _form(**{field: typed, "essaimage_code": "tapaj-bordeaux"})  # out of scope as well
    if field == "indicator_code":
        row["value"] = "150"  # a rate of 150 %
        message = "un taux en % va de 0 à 100"
    check = check_form_row(row, dataset, scope)
    said = " | ".join(e.message for e in check.errors)
    assert "n'est pas dans vos essaimages" in said  # the scope, in the same pass
    if typed == "150" and field == "value":
        assert "effectif" not in said
    else:
        assert message in said, said
