"""Who the client is behind proxies, and how wrong tries are paced (essaim.access)."""

from __future__ import annotations

import datetime as dt

import pytest

from essaim import access
from essaim.access import Client
from essaim.data import store

TRUSTED = ("127.0.0.1", "::1", "10.0.0.0/8")


@pytest.mark.parametrize("peer,forwarded,expected", [
    ("203.0.113.5", None, "203.0.113.5"),  # direct: the peer
    ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # an untrusted peer's header is ignored
    ("127.0.0.1", "198.51.100.1", "198.51.100.1"),  # behind the local load balancer
    ("::ffff:127.0.0.1", "198.51.100.1", "198.51.100.1"),  # IPv4-mapped peer, same thing
    ("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.3", "198.51.100.1"),  # nearest untrusted hop
    ("127.0.0.1", None, "127.0.0.1"),  # a local visitor with no proxy
    ("127.0.0.1", "n'importe quoi", "127.0.0.1"),
])
def test_the_client_address_is_read_through_trusted_proxies_only(peer, forwarded, expected):
    assert access.client_address(peer, forwarded, TRUSTED) == expected


def test_device_ids_are_kept_only_when_they_look_like_ours():
    assert access.clean_device_id(access.new_device_id())
    assert access.clean_device_id("x; drop table") == ""
    assert access.clean_device_id(None) == ""


def test_the_trusted_proxies_setting_is_a_list():
    assert access.parse_trusted_proxies(" 127.0.0.1, 10.0.0.0/8 ;::1") == ("127.0.0.1",
                                                                         "10.0.0.0/8", "::1")


@pytest.fixture
def engine(tmp_path):
    return store.open_store(f"sqlite:///{tmp_path / 'access.sqlite'}", seed=False)


def test_a_device_waits_longer_after_each_mistake_then_tries_again(engine):
    phone = Client("192.0.2.1", "appareil-0001")
    waits = []
    for _ in range(6):
        access.record_failure(engine, "code", phone)
        waits.append(access.seconds_to_wait(engine, "code", phone))
    assert waits[:2] == [0, 0] and waits[2:] == [2, 4, 8, 16]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=17)
    assert access.seconds_to_wait(engine, "code", phone, now=later) == 0  # slowed, not locked
    after_window = dt.datetime.now(dt.UTC) + access.WINDOW
    assert access.seconds_to_wait(engine, "code", phone, now=after_window) == 0


def test_a_guesser_rotating_device_ids_is_held_to_the_networks_pace(engine):
    for i in range(access.NETWORK_FREE_FAILURES):
        access.record_failure(engine, "code", Client("192.0.2.9", f"rotation-{i:04d}"))
    fresh = Client("192.0.2.9", "tout-neuf-0001")
    assert 0 < access.seconds_to_wait(engine, "code", fresh) <= access.NETWORK_PACE_SECONDS
    assert access.seconds_to_wait(engine, "code", Client("192.0.2.10", "ailleurs-0001")) == 0


def test_pins_and_codes_are_counted_apart(engine):
    phone = Client("192.0.2.3", "appareil-0003")
    for _ in range(5):
        access.record_failure(engine, "pin", phone, "ABCDEF")
    assert access.seconds_to_wait(engine, "pin", phone, "ABCDEF") > 0
    assert access.seconds_to_wait(engine, "code", phone) == 0
