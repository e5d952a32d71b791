"""Workshop sessions: codes, inputs, aggregation, scoring, versions, concurrency, permissions."""

import threading

import pandas as pd
import pytest
import sqlalchemy as sa

from essaim import workshops
from essaim.data import store
from essaim.data.model import FAMILIES
from essaim.data.schema import workshop_changes
from essaim.figures.counted import counted_values
from essaim.workshops import room_reads, sessions
from essaim.workshops.grid import Grid, GridError, default_grid, diff_grids, grid_from_dict, grid_from_json
from essaim.workshops.grid_io import export_json, export_xlsx, grid_from_rows, grid_rows, import_grid_file
from essaim.workshops.room import aggregate_ratings, aggregate_weights, proposals, room_grid, weights_table
from essaim.workshops.scoring import compare_rankings, criterion_score, latest_values, score_grid, target_met
from tests.conftest import demo_grid

SPLIT = {"emploi": 40, "bien_etre": 20, "couts": 10, "territoire": 10, "ecosysteme": 10,
         "processus": 5, "methodes": 5}





@pytest.fixture
def engine(demo_store_url):
    return store.open_store(demo_store_url)


@pytest.fixture
def session(engine):
    created = workshops.create_workshop(engine, title="Comptoir n°3", kind="comptoir",
                                        grid=demo_grid(), author="Sylvie")
    return engine, created


# --- codes ---------------------------------------------------------------------------------

def test_join_codes_use_an_unambiguous_alphabet_and_a_large_space():
    codes = {workshops.generate_join_code() for _ in range(2000)}
    # 2 000 draws in 31^6 codes: two equal codes happen 0,2 % of runs (birthday bound), three or
    # more about once in a million runs: a weak generator would repeat far more.
    assert len(codes) >= 1998
    assert all(len(c) == 6 and set(c) <= set(workshops.CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(workshops.CODE_ALPHABET)
    assert len(workshops.CODE_ALPHABET) ** workshops.CODE_LENGTH > 800_000_000


def test_a_code_already_taken_is_drawn_again(engine, monkeypatch):
    first = workshops.create_workshop(engine, title="A", kind="atelier", grid=demo_grid())
    draws = iter([first.code, first.code, "K7M2QX"])
    monkeypatch.setattr(sessions, "generate_join_code", lambda: next(draws))
    second = workshops.create_workshop(engine, title="B", kind="atelier", grid=demo_grid())
    assert second.code == "K7M2QX"
    assert workshops.find_workshop(engine, first.code).title == "A"


def test_typed_codes_are_normalised():
    assert workshops.normalise_code(" k7m-2qx ") == "K7M2QX"


# --- joining and inputs ----------------------------------------------------------------------

def test_participant_inputs_are_saved_and_revisable(session):
    engine, created = session
    token = workshops.join_workshop(engine, created.code.lower(), pseudonym="Léa", role="Élu·e")
    workshops.save_weights(engine, created.code, token, SPLIT)
    workshops.save_weights(engine, created.code, token, {**SPLIT, "emploi": 30, "methodes": 15})
    workshops.save_rating(engine, created.code, token, "taux_sortie_emploi", 2)
    workshops.save_rating(engine, created.code, token, "taux_sortie_emploi", 5)
    workshops.add_proposal(engine, created.code, token, "target", "Viser 45 %", "taux_sortie_emploi", 45)
    inputs = workshops.read_inputs(engine, created.code)
    assert (inputs["kind"] == "weights").sum() == 1  # revised, not duplicated
    assert weights_table(inputs).iloc[0]["methodes"] == 15
    assert aggregate_ratings(inputs).loc["taux_sortie_emploi", "median"] == 5
    assert proposals(inputs).iloc[0]["value"] == 45
    assert workshops.find_participant(engine, created.code, token)["pseudonym"] == "Léa"


def test_every_input_moves_the_change_counter(session):
    engine, created = session
    before = workshops.read_state_version(engine, created.code)
    token = workshops.join_workshop(engine, created.code)
    workshops.save_rating(engine, created.code, token, "copil", 3)
    middle = workshops.read_state_version(engine, created.code)
    workshops.set_results_hidden(engine, created.code, created.facilitator_token, True)
    assert before < middle < workshops.read_state_version(engine, created.code)


@pytest.mark.parametrize("points,message", [
    ({**SPLIT, "methodes": 10}, "exactement 100"),
    ({**SPLIT, "methodes": -5, "processus": 20}, "entre 0 et 100"),
])
def test_weights_must_share_exactly_100_points(session, points, message):
    engine, created = session
    token = workshops.join_workshop(engine, created.code)
    with pytest.raises(workshops.WorkshopError, match=message):
        workshops.save_weights(engine, created.code, token, points)


def test_over_long_inputs_are_refused_with_a_message(session):
    engine, created = session
    with pytest.raises(workshops.WorkshopError, match="trop long"):
        workshops.join_workshop(engine, created.code, pseudonym="x" * 41)
    token = workshops.join_workshop(engine, created.code)
    with pytest.raises(workshops.WorkshopError, match="trop long"):
        workshops.add_proposal(engine, created.code, token, "comment", "x" * 401)
    with pytest.raises(workshops.WorkshopError, match="1 à 5"):
        workshops.save_rating(engine, created.code, token, "copil", 9)


def test_a_closed_session_refuses_inputs_politely(session):
    engine, created = session
    token = workshops.join_workshop(engine, created.code)
    workshops.set_status(engine, created.code, created.facilitator_token, "closed")
    with pytest.raises(workshops.WorkshopError, match="close"):
        workshops.save_weights(engine, created.code, token, SPLIT)
    with pytest.raises(workshops.WorkshopError, match="close"):
        workshops.join_workshop(engine, created.code)
    workshops.set_status(engine, created.code, created.facilitator_token, "open")
    workshops.save_weights(engine, created.code, token, SPLIT)


def test_wrong_codes_slow_the_device_down_not_its_neighbours(engine):
    from essaim.access import Client

    guesser = Client("10.0.0.9", "appareil-du-farceur")
    for _ in range(3):  # a few free mistakes
        with pytest.raises(workshops.NotFound, match="aucune séance"):
            workshops.join_workshop(engine, "ZZZZZZ", client=guesser)
    with pytest.raises(workshops.Throttled, match=r"réessayez dans \d+ s") as paced:
        workshops.join_workshop(engine, "ZZZZZZ", client=guesser)
        workshops.join_workshop(engine, "ZZZZZZ", client=guesser)
    assert 1 <= paced.value.seconds <= 60
    # Another phone on the same Wi-Fi (same address) joins with the right code at once.
    created = workshops.create_workshop(engine, title="Salle", kind="atelier", grid=demo_grid())
    assert workshops.join_workshop(engine, created.code, client=Client("10.0.0.9", "voisin-0001"))


def test_a_phone_may_draw_its_token_and_a_resent_join_changes_nothing(session):
    engine, created = session
    token = "jeton-du-telephone-0001"
    assert workshops.join_workshop(engine, created.code, token=token) == token
    before = workshops.read_state_version(engine, created.code)
    assert workshops.join_workshop(engine, created.code, token=token) == token
    assert len(workshops.read_participants(engine, created.code)) == 1
    assert workshops.read_state_version(engine, created.code) == before
    with pytest.raises(workshops.WorkshopError, match="invalide"):
        workshops.join_workshop(engine, created.code, token="court")


# --- facilitator ---------------------------------------------------------------------------

def test_facilitator_actions_are_refused_to_anyone_else(session):
    engine, created = session
    participant = workshops.join_workshop(engine, created.code)
    grid, version = workshops.current_grid(engine, created.code)
    for secret in ("", participant, "devine"):
        with pytest.raises(workshops.FacilitatorOnly):
            workshops.set_status(engine, created.code, secret, "closed")
        with pytest.raises(workshops.FacilitatorOnly):
            workshops.set_results_hidden(engine, created.code, secret, True)
        with pytest.raises(workshops.FacilitatorOnly):
            workshops.save_grid_version(engine, created.code, secret, grid, expected_version=version,
                                        author="x", summary="x")
    assert workshops.find_workshop(engine, created.code).is_open


def test_the_pin_works_and_wrong_pins_are_paced_per_device_and_per_session(session):
    from essaim.access import Client

    engine, created = session
    assert workshops.verify_facilitator(engine, created.code, pin=created.pin)
    assert workshops.verify_facilitator(engine, created.code, token=created.facilitator_token)
    guesser = Client("10.0.0.7", "appareil-pin-0001")
    for _ in range(3):
        assert not workshops.verify_facilitator(engine, created.code, pin="000000x", client=guesser)
    with pytest.raises(workshops.Throttled, match="réessayez dans"):
        workshops.verify_facilitator(engine, created.code, pin=created.pin, client=guesser)
    # The facilitator on another device is not held up by the guesser...
    assert workshops.verify_facilitator(engine, created.code, pin=created.pin,
                                        client=Client("10.0.0.8", "animatrice-0001"))
    # ...until guesses spread over many addresses pace the session itself.
    from essaim.access import TARGET_FREE_FAILURES

    for i in range(TARGET_FREE_FAILURES):
        try:
            workshops.verify_facilitator(engine, created.code, pin="999999",
                                         client=Client(f"10.1.0.{i}", f"appareil-{i:04d}"))
        except workshops.Throttled:
            break
    with pytest.raises(workshops.Throttled, match="réessayez dans 5 s"):
        workshops.verify_facilitator(engine, created.code, pin=created.pin,
                                     client=Client("10.0.0.8", "animatrice-0001"))
    workshops.set_results_hidden(engine, created.code, created.pin, True)  # the PIN authorises
    assert workshops.find_workshop(engine, created.code).results_hidden


def test_the_pin_is_stored_with_a_slow_salted_hash(session):
    import hashlib

    import sqlalchemy as sa

    from essaim.data.schema import workshops as table

    engine, created = session
    with engine.connect() as conn:
        stored = conn.execute(sa.select(table.c.pin_hash)
                              .where(table.c.code == created.code)).scalar_one()
    assert stored.startswith("s1$") and len(stored) <= 64
    assert created.pin not in stored
    assert stored != hashlib.sha256(f"{created.code}\x1f{created.pin}".encode()).hexdigest()
    from essaim.access import hash_secret, verify_secret

    assert hash_secret("123456") != hash_secret("123456")  # salted
    assert verify_secret("123456", hash_secret("123456"))


def test_a_session_created_before_the_slow_hash_keeps_its_pin_and_is_upgraded(session):
    import hashlib

    import sqlalchemy as sa

    from essaim.data.schema import workshops as table

    engine, created = session
    legacy = hashlib.sha256(f"{created.code}\x1f654321".encode()).hexdigest()
    with engine.begin() as conn:
        conn.execute(table.update().where(table.c.code == created.code).values(pin_hash=legacy))
    assert workshops.verify_facilitator(engine, created.code, pin="654321")
    with engine.connect() as conn:
        assert conn.execute(sa.select(table.c.pin_hash).where(table.c.code == created.code)
                            ).scalar_one().startswith("s1$")
    assert workshops.verify_facilitator(engine, created.code, pin="654321")


# --- proposals: own edits, upvotes, moderation -----------------------------------------------

def test_a_participant_edits_and_deletes_only_their_own_proposals(session):
    engine, created = session
    mine = workshops.join_workshop(engine, created.code)
    theirs = workshops.join_workshop(engine, created.code)
    proposal_id, state = workshops.save_proposal(engine, created.code, mine, "comment", "Première")
    assert state == "visible"
    workshops.save_proposal(engine, created.code, mine, "criterion", "Deuxième version",
                            proposal_id=proposal_id)
    shown = proposals(workshops.read_inputs(engine, created.code))
    assert list(shown["text"]) == ["Deuxième version"] and list(shown["kind"]) == ["criterion"]
    with pytest.raises(workshops.WorkshopError, match="pas la vôtre"):
        workshops.save_proposal(engine, created.code, theirs, "comment", "Volée",
                                proposal_id=proposal_id)
    workshops.delete_own_proposal(engine, created.code, theirs, proposal_id)  # not theirs: no-op
    assert len(proposals(workshops.read_inputs(engine, created.code))) == 1
    workshops.delete_own_proposal(engine, created.code, mine, proposal_id)
    workshops.delete_own_proposal(engine, created.code, mine, proposal_id)  # a resend: harmless
    assert proposals(workshops.read_inputs(engine, created.code)).empty


def test_upvotes_count_once_per_participant_and_order_the_room(session):
    engine, created = session
    people = [workshops.join_workshop(engine, created.code) for _ in range(3)]
    first = workshops.add_proposal(engine, created.code, people[0], "comment", "Ancienne")
    second = workshops.add_proposal(engine, created.code, people[1], "comment", "Récente")
    for person in people:
        workshops.set_vote(engine, created.code, person, first, True)
    workshops.set_vote(engine, created.code, people[2], first, True)  # twice: counted once
    workshops.set_vote(engine, created.code, people[0], second, True)
    workshops.set_vote(engine, created.code, people[0], second, False)
    inputs = workshops.read_inputs(engine, created.code)
    assert list(proposals(inputs)["text"]) == ["Récente", "Ancienne"]  # newest first
    ranked = proposals(inputs, by_votes=True)
    assert list(zip(ranked["text"], ranked["votes"])) == [("Ancienne", 3), ("Récente", 0)]
    assert [p["votes"] for p in room_reads.room_proposals(engine, created.code)] == [3, 0]


def test_the_facilitator_hides_shows_and_deletes_before_or_after_the_screen(session):
    engine, created = session
    token = workshops.join_workshop(engine, created.code)
    secret = created.facilitator_token
    shown = workshops.add_proposal(engine, created.code, token, "comment", "Déjà projetée")
    workshops.moderate_proposal(engine, created.code, secret, shown, "hide")
    assert proposals(workshops.read_inputs(engine, created.code)).empty
    everything = proposals(workshops.read_inputs(engine, created.code), include_hidden=True)
    assert list(everything["moderation"]) == ["hidden"]
    workshops.moderate_proposal(engine, created.code, secret, shown, "show")
    assert len(room_reads.room_proposals(engine, created.code)) == 1
    # Before the screen: with pre-moderation, proposals wait for the facilitator.
    workshops.set_premoderation(engine, created.code, secret, True)
    waiting, state = workshops.save_proposal(engine, created.code, token, "comment", "En attente")
    assert state == "pending"
    assert [p["text"] for p in room_reads.room_proposals(engine, created.code)] == ["Déjà projetée"]
    workshops.moderate_proposal(engine, created.code, secret, waiting, "delete")
    assert len(workshops.read_inputs(engine, created.code)) == 1
    with pytest.raises(workshops.NotFound):
        workshops.moderate_proposal(engine, created.code, secret, waiting, "delete")
    with pytest.raises(workshops.FacilitatorOnly):
        workshops.moderate_proposal(engine, created.code, token, shown, "delete")


def test_a_closed_session_refuses_proposals_votes_and_edits(session):
    engine, created = session
    token = workshops.join_workshop(engine, created.code)
    proposal = workshops.add_proposal(engine, created.code, token, "comment", "Avant la clôture")
    workshops.set_status(engine, created.code, created.facilitator_token, "closed")
    for action in (lambda: workshops.save_proposal(engine, created.code, token, "comment", "x",
                                                   proposal_id=proposal),
                   lambda: workshops.delete_own_proposal(engine, created.code, token, proposal),
                   lambda: workshops.set_vote(engine, created.code, token, proposal, True)):
        with pytest.raises(workshops.SessionClosed, match="close"):
            action()
    # Who they are is not a contribution: the pseudonym can still be set.
    workshops.update_participant(engine, created.code, token, pseudonym="Léa", role="Élu·e")
    assert workshops.find_participant(engine, created.code, token)["pseudonym"] == "Léa"


def test_the_room_migration_can_be_undone_without_losing_a_session(tmp_path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'down.sqlite'}"
    engine = store.open_store(url)
    created = workshops.create_workshop(engine, title="Garder", kind="atelier", grid=demo_grid())
    token = workshops.join_workshop(engine, created.code)
    workshops.save_weights(engine, created.code, token, SPLIT)
    with store.write_transaction(engine) as conn:
        command.downgrade(store._alembic_config(conn), "0002_indicator_roles")
    engine = store.open_store(url)  # and back up
    assert len(workshops.read_participants(engine, created.code)) == 1
    assert (workshops.read_inputs(engine, created.code)["kind"] == "weights").sum() == 1


# --- versions and optimistic concurrency -------------------------------------------------------

def test_versions_record_author_time_and_diff_and_can_be_reverted(session):
    engine, created = session
    grid, version = workshops.current_grid(engine, created.code)
    heavier = grid.with_criterion_weights({"taux_sortie_emploi": 20})
    v2 = workshops.save_grid_version(engine, created.code, created.facilitator_token, heavier,
                                     expected_version=version, author="Marianne",
                                     summary="\n".join(diff_grids(grid, heavier)))
    assert v2 == 2
    versions = workshops.list_grid_versions(engine, created.code)
    assert list(versions["version"]) == [1, 2]
    assert versions.iloc[1]["author"] == "Marianne"
    # Raw weight 12 → 20 in a grid of 100 → 108: in points out of 100, as the grid table reads.
    assert "poids 12 → 18,5 points sur 100" in versions.iloc[1]["summary"]
    workshops.save_grid_version(engine, created.code, created.facilitator_token,
                                grid_from_json(versions.iloc[0]["grid_json"]), expected_version=2,
                                author="Marianne", summary="Retour à la version 1")
    assert workshops.current_grid(engine, created.code) == (grid, 3)


def test_two_facilitators_adopting_at_once_never_overwrite_silently(session):
    engine, created = session
    grid, version = workshops.current_grid(engine, created.code)
    results = []

    def adopt(weight):
        try:
            workshops.save_grid_version(engine, created.code, created.facilitator_token,
                                        grid.with_criterion_weights({"copil": weight}),
                                        expected_version=version, author=f"A{weight}", summary="")
            results.append("ok")
        except workshops.StaleGridError:
            results.append("stale")

    threads = [threading.Thread(target=adopt, args=(w,)) for w in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1 and results.count("stale") == 7
    assert workshops.current_grid(engine, created.code)[1] == version + 1


def test_concurrent_participants_lose_nothing(session):
    engine, created = session
    tokens = [workshops.join_workshop(engine, created.code) for _ in range(12)]
    errors = []

    def participate(token):
        try:
            for i in range(5):
                workshops.add_proposal(engine, created.code, token, "comment", f"idée {i}")
            workshops.save_weights(engine, created.code, token, SPLIT)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    before = workshops.read_state_version(engine, created.code)
    threads = [threading.Thread(target=participate, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    inputs = workshops.read_inputs(engine, created.code)
    assert (inputs["kind"] == "comment").sum() == 60
    assert (inputs["kind"] == "weights").sum() == 12
    assert workshops.read_state_version(engine, created.code) > before
    with engine.connect() as conn:  # one change logged per input, none lost
        assert conn.execute(sa.select(sa.func.count()).select_from(workshop_changes)).scalar() \
            == 12 + 72


# --- aggregation and scoring -------------------------------------------------------------------

def test_aggregation_gives_median_and_spread():
    weights = pd.DataFrame({"a": [10, 20, 30, 40], "b": [90, 80, 70, 60]})
    table = aggregate_weights(weights)
    assert table.loc["a", "median"] == 25
    # Quartiles as midpoints of two answers (15 and 35), not linear quarter-points.
    assert (table.loc["a", "q1"], table.loc["a", "q3"]) == (15, 35)
    assert table.loc["a", "spread"] == pytest.approx(20)
    assert table.loc["b", "n"] == 4


def test_room_grid_rescales_medians_over_criteria():
    grid = grid_from_dict({"dimensions": [
        {"id": "x", "label": "X", "criteria": [{"id": "x1", "label": "x1", "weight": 1},
                                               {"id": "x2", "label": "x2", "weight": 3}]},
        {"id": "y", "label": "Y", "criteria": [{"id": "y1", "label": "y1", "weight": 1}]}]})
    room = room_grid(grid, aggregate_weights(pd.DataFrame({"x": [80, 60], "y": [20, 40]})))
    assert room.criterion("x1").weight == pytest.approx(17.5)
    assert room.criterion("x2").weight == pytest.approx(52.5)
    assert room.criterion("y1").weight == pytest.approx(30)


def test_a_dimension_added_after_someone_voted_is_missing_for_them_not_zero():
    inputs = pd.DataFrame({"kind": ["weights", "weights"], "participant_id": [1, 2],
                           "payload": [{"x": 60, "y": 40}, {"x": 50, "y": 30, "z": 20}]})
    weights = weights_table(inputs)
    assert pd.isna(weights.loc[1, "z"])
    aggregated = aggregate_weights(weights)
    assert aggregated.loc["z", "n"] == 1 and aggregated.loc["z", "median"] == 20


def test_a_dimension_nobody_voted_keeps_its_share_in_the_room_grid():
    grid = grid_from_dict({"dimensions": [
        {"id": "x", "label": "X", "criteria": [{"id": "x1", "label": "x1", "weight": 30}]},
        {"id": "y", "label": "Y", "criteria": [{"id": "y1", "label": "y1", "weight": 50}]},
        {"id": "new", "label": "Nouvelle", "criteria": [{"id": "n1", "label": "n1", "weight": 20}]}]})
    room = room_grid(grid, aggregate_weights(pd.DataFrame({"x": [60.0], "y": [20.0]})))
    assert room.criterion("n1").weight == pytest.approx(20)  # unvoted: its 20 % kept
    assert room.criterion("x1").weight == pytest.approx(60)  # 80 left, shared 3 : 1
    assert room.criterion("y1").weight == pytest.approx(20)


def test_criterion_scores_between_threshold_and_target():
    values = pd.Series([10.0, 25.0, 40.0, 60.0, None])
    scores = criterion_score(values, target=40, threshold=20, direction="up")
    assert list(scores[:4]) == [0, 25, 100, 100] and pd.isna(scores[4])
    costs = criterion_score(pd.Series([1500.0, 3750.0, 6000.0]), target=1500, threshold=6000,
                            direction="down")
    assert list(costs) == [100, 50, 0]
    assert list(criterion_score(pd.Series([1.0, 3.0]), None, None, "down")) == [100, 0]
    assert list(target_met(pd.Series([1.0, 3.0]), 2, "down")) == [True, False]


def test_a_target_on_the_wrong_side_of_its_threshold_does_not_invert_the_direction():
    # Lower is better, but target 6000 > threshold 1500: scaling from the pair would reward
    # high costs. The direction wins: the lowest cost scores 100 (min–max).
    costs = criterion_score(pd.Series([1500.0, 3750.0, 6000.0]), target=6000, threshold=1500,
                            direction="down")
    assert list(costs) == [100, 50, 0]


def test_composite_score_weighs_criteria_ranks_and_shows_coverage():
    grid = grid_from_dict({"dimensions": [{"id": "d", "label": "D", "criteria": [
        {"id": "a", "label": "A", "indicator_code": "ia", "weight": 3, "target": 100, "threshold": 0},
        {"id": "b", "label": "B", "indicator_code": "ib", "weight": 1, "target": 100, "threshold": 0},
        {"id": "q", "label": "Qualitatif", "weight": 5},
    ]}]})
    latest = pd.DataFrame({"ia": [100.0, 0.0, None, None], "ib": [0.0, 100.0, None, 100.0]},
                          index=["e1", "e2", "e3", "e4"])
    scores = score_grid(grid, latest, {"ia": "up", "ib": "up"})
    assert scores.loc["e1", "composite"] == 75 and scores.loc["e2", "composite"] == 25
    assert scores.loc["e1", "rank"] == 1 and pd.isna(scores.loc["e3", "rank"])
    assert scores.loc["e1", "targets_met"] == 1 and scores.loc["e1", "targets"] == 2
    assert (scores.loc["e1", "criteria_scored"], scores.loc["e1", "criteria_quantitative"]) == (2, 2)
    # e4 has data for a quarter of the weight only: a score, no rank.
    assert scores.loc["e4", "composite"] == 100 and pd.isna(scores.loc["e4", "rank"])
    assert scores.loc["e4", "weight_coverage"] == pytest.approx(0.25)
    swapped = score_grid(grid.with_criterion_weights({"a": 1, "b": 3}), latest.drop("e4"), {})
    moves = compare_rankings(scores.drop("e4"), swapped)
    assert moves.loc["e2", "moved"] == 1 and moves.loc["e1", "moved"] == -1


def test_default_grid_scores_the_demo(dataset):
    latest = latest_values(counted_values(dataset), dataset.essaimages)
    directions = dict(zip(dataset.indicators["code"], dataset.indicators["direction"]))
    scores = score_grid(default_grid(dataset.indicators), latest, directions)
    assert scores["composite"].dropna().between(0, 100).all()
    started = dataset.essaimages["date_etape_iii"].notna().sum()
    assert scores["rank"].notna().sum() == started  # every essaimage with results is ranked


def test_default_grid_comes_from_the_indicator_roles_and_the_national_days(dataset):
    grid = default_grid(dataset.indicators)
    assert sum(c.weight for _, c in grid.criteria()) == 100
    declared = set(dataset.indicators.loc[dataset.indicators["roles"].str.contains(
        "grid_criterion"), "code"])
    assert {c.indicator_code for _, c in grid.criteria() if c.indicator_code} == declared
    families = dataset.indicators.set_index("code")["family"]
    assert {families[c.indicator_code] for _, c in grid.criteria() if c.indicator_code} == set(FAMILIES)
    assert any(c.indicator_code is None for _, c in grid.criteria())  # qualitative criteria
    target = grid.criterion("taux_sortie_emploi")
    assert (target.weight, target.target, target.threshold) == (12, 40, 20)


def test_a_dataset_without_grid_roles_still_gets_the_qualitative_grid(dataset):
    bare = dataset.indicators.assign(roles="")
    grid = default_grid(bare)
    assert grid.dimensions and all(c.indicator_code is None for _, c in grid.criteria())


# --- files --------------------------------------------------------------------------------------

def test_grid_exports_round_trip(session):
    engine, created = session
    grid, _ = workshops.current_grid(engine, created.code)
    versions = workshops.list_grid_versions(engine, created.code)
    assert import_grid_file("g.json", export_json("T", grid, versions)) == grid
    assert import_grid_file("g.xlsx", export_xlsx("T", grid, versions)) == grid


def test_xlsx_export_neutralises_formulas(session):
    import io

    import openpyxl

    engine, created = session
    grid = Grid(demo_grid().dimensions).with_criterion(
        "methodes", demo_grid().criterion("donnees_partagees").__class__(
            id="evil", label="=HYPERLINK(\"http://x\")", weight=1))
    content = export_xlsx("=1+1", grid, workshops.list_grid_versions(engine, created.code))
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Grille"]
    labels = [row[2].value for row in sheet.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://x\")" in labels
    # Imported back, the label is what was typed: no stray quote.
    assert import_grid_file("g.xlsx", content).criterion("evil").label == "=HYPERLINK(\"http://x\")"


@pytest.mark.parametrize("name,content,message", [
    ("g.json", b"{pas du json", "JSON valide"),
    ("g.json", b'{"dimensions": []}', "au moins une dimension"),
    ("g.json", b'{"dimensions": [{"label": "D", "criteria": [{"label": "C", "weight": "beaucoup"}]}]}',
     "critère 1 : « poids » : nombre non reconnu"),
    ("g.json", b'{"dimensions": [{"label": "D", "criteria": [{"label": "C", "indicator_code": "zz"}]}]}',
     "indicateur inconnu"),
    ("g.csv", b"a;b", "Format non reconnu"),
    ("g.xlsx", b"not a workbook", "illisible"),
])
def test_bad_grid_files_get_a_french_message(name, content, message):
    with pytest.raises(GridError, match=message):
        import_grid_file(name, content, known_indicators={"taux_sortie_emploi"})


def test_the_grid_editor_table_round_trips():
    grid = demo_grid()
    table = grid_rows(grid)
    assert table["Objectif"].isna().any()  # blank cells, not "None"
    indicators = {c.indicator_code for _, c in grid.criteria() if c.indicator_code}
    assert grid_from_rows(table, indicators) == grid
    table.loc[0, "Poids"] = -1
    with pytest.raises(GridError, match="poids"):
        grid_from_rows(table, indicators)


def test_ratings_are_saved_all_or_none_and_can_be_withdrawn(session):
    engine, created = session
    token = workshops.join_workshop(engine, created.code)
    workshops.save_ratings(engine, created.code, token, {"taux_sortie_emploi": 4, "bien_etre": 2})
    before = workshops.read_state_version(engine, created.code)
    with pytest.raises(workshops.WorkshopError, match="de 1 à 5"):
        workshops.save_ratings(engine, created.code, token, {"bien_etre": 5, "emploi_durable": 9})
    ratings = aggregate_ratings(workshops.read_inputs(engine, created.code))
    assert ratings.loc["bien_etre", "median"] == 2  # the valid half was not saved either
    assert workshops.read_state_version(engine, created.code) == before
    workshops.save_ratings(engine, created.code, token, {"bien_etre": None})
    ratings = aggregate_ratings(workshops.read_inputs(engine, created.code))
    assert list(ratings.index) == ["taux_sortie_emploi"]
