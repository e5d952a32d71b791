"""bench/bench_room.py's small room, run as a correctness test (not a timing): 30 phones from a
separate process, through HTTP on 127.0.0.1, while Chromium projects the session. Nothing may be
lost or refused, and the projected screen must end up showing every participant, split and
proposal. On the demo with SQLite, and on the second dataset with PostgreSQL."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from bench._room_measures import run_day, run_room
from bench._room_targets import seed, start_bare, start_single

PHONES = 30


@pytest.mark.parametrize("dataset,database", [("demo", "sqlite"), ("second", "postgresql")])
def test_a_room_of_30_phones_loses_nothing_and_reaches_the_screen(dataset, database, browser,
                                                                  request):
    if database == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'salle.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_store_url")
    seed(url, dataset)
    target = start_single(url, database)
    try:
        outcome = run_room(target, PHONES, 5.0, browser)
    finally:
        target.stop()
    assert outcome.errors == []
    assert (outcome.lost, outcome.unconfirmed) == (0, 0)
    for action in ("page", "join", "arrival", "save", "rating", "proposal"):
        assert len(outcome.timings[action]) == PHONES, action
    assert outcome.requests >= 5 * PHONES  # every request counted
    assert outcome.screen_counts == {"Participants": str(PHONES),
                                     "Répartitions reçues": str(PHONES),
                                     "Propositions": str(PHONES)}


def test_a_small_national_day_spreads_its_phones_and_loses_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'journee.sqlite'}"
    seed(url, "demo")
    target = start_single(url, "sqlite")
    try:
        outcome = run_day(target, rooms=3, phones_per_room=4, arrival=2.0)
    finally:
        target.stop()
    assert outcome.errors == [] and (outcome.lost, outcome.unconfirmed) == (0, 0)
    assert sorted(outcome.screen_counts.values()) == [4, 4, 4]  # each comptoir its phones
    assert len(outcome.timings["save"]) == 12


def test_the_bare_endpoint_answers_the_same_client():
    target = start_bare()
    try:
        outcome = run_room(target, 10, 1.0, None, (0.0, 0.1))
    finally:
        target.stop()
    assert outcome.errors == []
    assert len(outcome.timings["save"]) == 10 and outcome.requests >= 50
