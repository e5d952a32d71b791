"""The life of an agreement, on both datasets: partners agree, a new declaration calls it into
question (the agreed value counts meanwhile), they agree again, ANSA arbitrates and reopens its
arbitration — and the portrait and Comparer show the right value and status at each step."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from essaim.data import store
from essaim.figures.counted import counted_values
from essaim.partners.declarations import check_form_row, declare_values
from essaim.partners.scope import scope_of
from essaim.partners.settlements import arbitrate, reopen_arbitration
from essaim.partners.threads import agree, ensure_threads, list_threads, post_message
from tests.conftest import _read_only_copy

APP = str(Path(__file__).resolve().parent.parent / "app.py")
# One disagreement per dataset: the cell and its two partners.
CASES = {
    "demo": (("sorties_emploi", "rennes", "tapaj-rennes", "2019"),
             "association-rennes-prevention-jeunes", None),
    "second": (("satisfaction_5", "ajaccio", "cj-ajaccio", "2022"),
               "porteur-coop_jeunesse", "observatoire-emploi"),
}


@pytest.fixture(params=["demo", "second"])
def case(request, tmp_path):
    path = request.getfixturevalue("demo_db_path" if request.param == "demo"
                                   else "second_db_path")
    engine = store.open_store(f"sqlite:///{_read_only_copy(path, tmp_path)}")
    cell, first, second = CASES[request.param]
    dataset = store.read_dataset(engine)
    if second is None:  # the demo's France Travail report of Rennes
        roles = dataset.partner_roles[dataset.partner_roles["essaimage_code"] == cell[2]]
        types = roles["partner_code"].map(dataset.partners.set_index("code")["type"])
        second = roles.loc[types == "france_travail", "partner_code"].iloc[0]
    return engine, dict(zip(["indicator_code", "territory_code", "essaimage_code", "period"],
                            cell)), first, second


def counted_cell(engine, cell: dict) -> tuple[float, str]:
    counted = counted_values(store.read_dataset(engine)).set_index(
        ["indicator_code", "territory_code", "essaimage_code", "period"])
    row = counted.loc[tuple(cell.values())]
    return float(row["value"]), row["status"]


def portrait_status(engine, cell: dict, monkeypatch) -> str:
    """The « Statut » the portrait's indicator table shows for the cell's indicator and
    innovation (its latest period) or, for an earlier period, in its history."""
    monkeypatch.setenv("ESSAIM_SQLITE_PATH", engine.url.database)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["territoire"] = cell["territory_code"]
    at.switch_page("pages/territoire.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    dataset = store.read_dataset(engine)
    family = dataset.indicators.set_index("code").at[cell["indicator_code"], "family"]
    at.button_group(key="portrait_family").set_value(family).run()
    table = next(d.value for d in at.dataframe if "Statut" in d.value.columns)
    label = dataset.indicators.set_index("code").at[cell["indicator_code"], "label"]
    rows = table[table["Indicateur"] == label]
    return " | ".join(rows["Statut"] + " " + rows["Périodes précédentes discutées"])


def comparer_provenance(engine, cell: dict, monkeypatch) -> str:
    """The « D'où vient ce chiffre ? » entry Comparer lists for the cell."""
    monkeypatch.setenv("ESSAIM_SQLITE_PATH", engine.url.database)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/comparer.py")
    at.run()
    dataset = store.read_dataset(engine)
    at.multiselect(key="cmp_indicators").set_value([cell["indicator_code"]])
    at.multiselect(key="cmp_periods").set_value([cell["period"]])
    at.session_state["cmp_provenance_open"] = True  # the picker is drawn once opened
    at.run()
    options = at.selectbox(key="cmp_provenance").options
    place = dataset.territories.set_index("code").at[cell["territory_code"], "name"]
    return next(o for o in options if f"· {place} (" in o)


def test_the_life_of_an_agreement(case, monkeypatch):
    engine, cell, first, second = case
    monkeypatch.delenv("DATABASE_URL", raising=False)
    dataset = store.read_dataset(engine)
    ensure_threads(engine, dataset)
    thread = next(t for t in list_threads(engine).to_dict("records")
                  if (t["indicator_code"], t["territory_code"], t["period"])
                  == (cell["indicator_code"], cell["territory_code"], cell["period"]))
    scopes = {code: scope_of(dataset, code) for code in (first, second)}
    proposal = post_message(engine, dataset, thread["id"], kind="proposal", author="A",
                            scope=scopes[second], value=4, text="Recompté ensemble.")
    agree(engine, dataset, thread["id"], proposal, scope=scopes[first], author="B")
    assert counted_cell(engine, cell) == (4.0, "accord")
    assert "accordé" in portrait_status(engine, cell, monkeypatch)
    assert comparer_provenance(engine, cell, monkeypatch).endswith("— accordé")

    # A new declaration by one partner: the agreement is called into question, 4 still counts.
    new = check_form_row({**cell, "value": "3", "source": "Nouvelle extraction"}, dataset,
                         scopes[second])
    declare_values(engine, new, None, declared_by="A", confirm_unusual=True)
    assert counted_cell(engine, cell) == (4.0, "remis_en_cause")
    assert "remis en cause" in portrait_status(engine, cell, monkeypatch)
    assert comparer_provenance(engine, cell, monkeypatch).endswith("— remis en cause")

    # They agree again, to the same proposal.
    reread = store.read_dataset(engine)
    agree(engine, reread, thread["id"], proposal, scope=scopes[first], author="B")
    assert agree(engine, reread, thread["id"], proposal, scope=scopes[second],
                 author="A").resolved
    assert counted_cell(engine, cell) == (4.0, "accord")

    # ANSA reopens, then arbitrates another value.
    reopen_arbitration(engine, reread, thread["id"], reason="Nouvelle source", author="Léa")
    assert counted_cell(engine, cell)[1] == "remis_en_cause"
    arbitrate(engine, store.read_dataset(engine), thread["id"], value=3, reason="Source",
              author="Léa")
    assert counted_cell(engine, cell) == (3.0, "arbitrage")
    assert "arbitré" in portrait_status(engine, cell, monkeypatch)
    assert comparer_provenance(engine, cell, monkeypatch).endswith("— arbitré")
