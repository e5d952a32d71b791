"""bench/bench_room.py's small room, run as a correctness test (not a timing): 30 phones from a
separate process, through HTTP on 127.0.0.1, while Chromium projects the session. Nothing may be
lost or refused, and the projected screen must end up showing every participant, split and
proposal. On the demo with SQLite, and on the second dataset with PostgreSQL."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from bench import bench_room

PHONES = 30


@pytest.mark.parametrize("dataset,database", [("demo", "sqlite"), ("second", "postgresql")])
def test_a_room_of_30_phones_loses_nothing_and_reaches_the_screen(dataset, database, browser,
                                                                  request):
    if database == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'salle.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_store_url")
    bench_room.seed(url, dataset)
    target = bench_room.start_single(url, database)
    try:
        outcome = bench_room.run_scenario(target, PHONES, 5.0, browser)
    finally:
        target.stop()
    assert outcome.errors == []
    assert (outcome.lost, outcome.unconfirmed) == (0, 0)
    assert len(outcome.joins) == len(outcome.saves) == PHONES
    assert len(outcome.others) == 2 * PHONES  # a rating and a proposal each
    assert outcome.screen_counts == {"Participants": str(PHONES),
                                     "Répartitions reçues": str(PHONES),
                                     "Propositions": str(PHONES)}
