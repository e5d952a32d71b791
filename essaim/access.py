"""Who is knocking, and how often they got it wrong: client identity behind proxies, the slow
key-derivation of PINs, and the pacing of wrong codes, PINs and passwords.

Pacing slows down; it never locks out. A venue of 300 phones shares one public address, so the
address alone cannot be the client: a client is its address and its device (a random id the
phone keeps), and each kind of secret is paced at three levels:

- the device: a few free mistakes, then a wait that doubles after each one (at most a minute);
- the network (the address): many free mistakes (a room mistypes), then one try every couple of
  seconds from that network — a guesser rotating device ids is held to that pace, while a phone
  of the room that has not failed waits seconds at most;
- the target (one session's PIN, the administration password): after many mistakes from
  anywhere, one try every few seconds, so a guesser spread over many addresses is paced too.

Failures are rows of `join_failures` (shared by every app process through the store), keyed
"<secret>:<level>:<value>". A successful try is never counted.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import ipaddress
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim.data.schema import join_failures
from essaim.data.store import write_transaction

log = logging.getLogger(__name__)

WINDOW = dt.timedelta(minutes=10)
DEVICE_FREE_FAILURES = 3
DEVICE_MAX_WAIT_SECONDS = 60
NETWORK_FREE_FAILURES = 30
NETWORK_PACE_SECONDS = 2
TARGET_FREE_FAILURES = 10
TARGET_PACE_SECONDS = 5
DEVICE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
KEEP_FAILURES = dt.timedelta(days=1)

# --- who: address and device -------------------------------------------------------------------


def _normalise_address(address: str | None) -> str:
    """An IP address as text, IPv4-mapped IPv6 (::ffff:1.2.3.4) as plain IPv4; "" if invalid."""
    if not isinstance(address, str) or not address:
        return ""
    try:
        parsed = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return ""
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return str(parsed)


def _is_trusted(address: str, trusted: Iterable[str]) -> bool:
    for network in trusted:
        try:
            if ipaddress.ip_address(address) in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def parse_trusted_proxies(text: str) -> tuple[str, ...]:
    """The ESSAIM_TRUSTED_PROXIES setting as a tuple of addresses or networks."""
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted: Iterable[str]) -> str:
    """The client's address: the connection's peer, unless the peer is a trusted proxy, in which
    case the nearest address of X-Forwarded-For that is not itself a trusted proxy. Addresses
    a client wrote into the header itself (left of the first untrusted hop) are never used."""
    trusted = tuple(trusted)
    address = _normalise_address(peer) or "inconnue"
    if address == "inconnue" or not _is_trusted(address, trusted):
        return address
    forwarded_for = forwarded_for if isinstance(forwarded_for, str) else ""
    hops = [_normalise_address(h) for h in forwarded_for.split(",")]
    for hop in reversed(hops):
        if not hop:
            break  # a malformed hop: stop at the last address we can vouch for
        address = hop
        if not _is_trusted(hop, trusted):
            return hop
    return address


def clean_device_id(device: str | None) -> str:
    """The phone's random device id if it looks like one we issue, else "" (no device)."""
    device = device.strip() if isinstance(device, str) else ""
    return device[:32] if DEVICE_ID_PATTERN.match(device) else ""


def new_device_id() -> str:
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Client:
    """A client for pacing: its address and its device id ("" when it has none)."""
    address: str
    device: str = ""

    @property
    def device_key(self) -> str:
        return f"{self.address}|{self.device or '-'}"


# --- slow key derivation ------------------------------------------------------------------------

# scrypt, 2^15 × 8 × 1 (about 80 ms and 32 MiB per try on one core): a stolen store no longer
# gives the six-digit PIN in a second. "s1$" names these parameters; the 16-byte salt and the
# 24-byte key fit the 64 characters of the column.
_KDF_TAG = "s1$"
_KDF_PARAMS = {"n": 2 ** 15, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 24}


def hash_secret(secret: str, *, salt: bytes | None = None) -> str:
    """A slow, salted hash of a short secret (a PIN), 59 characters."""
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(secret.encode(), salt=salt, **_KDF_PARAMS)
    return _KDF_TAG + base64.b64encode(salt + key).decode()


def verify_secret(secret: str, stored: str, *legacy_parts: str) -> bool:
    """True when `secret` matches `stored`: a slow hash, or — for sessions created before it —
    the old SHA-256 of `legacy_parts` and the secret."""
    if stored.startswith(_KDF_TAG):
        raw = base64.b64decode(stored[len(_KDF_TAG):])
        expected = hash_secret(secret, salt=raw[:16])
        return hmac.compare_digest(expected, stored)
    legacy = hashlib.sha256("\x1f".join([*legacy_parts, secret]).encode()).hexdigest()
    return hmac.compare_digest(legacy, stored)


def needs_rehash(stored: str) -> bool:
    return not stored.startswith(_KDF_TAG)


# --- pacing -------------------------------------------------------------------------------------


class TooManyAttempts(Exception):
    """The client must wait before trying again; the message is French and says how long."""

    def __init__(self, seconds: int, message: str):
        super().__init__(message)
        self.seconds = seconds


def _device_wait(failures: int) -> int:
    if failures < DEVICE_FREE_FAILURES:
        return 0
    return min(2 ** (failures - DEVICE_FREE_FAILURES + 1), DEVICE_MAX_WAIT_SECONDS)


def _keys(kind: str, client: Client, target: str) -> dict[str, str]:
    keys = {"device": f"{kind}:appareil:{client.device_key}"[:100],
            "network": f"{kind}:reseau:{client.address}"[:100]}
    if target:
        keys["target"] = f"{kind}:cible:{target}"[:100]
    return keys


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    # SQLite gives naive datetimes back (stored as UTC).
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@functools.cache
def _failures_statement():
    # Built once: every join and every phone page runs it.
    return (sa.select(join_failures.c.client_key, sa.func.count(), sa.func.max(join_failures.c.at))
            .where(join_failures.c.client_key.in_(sa.bindparam("keys", expanding=True)),
                   join_failures.c.at >= sa.bindparam("since"))
            .group_by(join_failures.c.client_key))


def seconds_to_wait(engine: Engine, kind: str, client: Client, target: str = "",
                    now: dt.datetime | None = None) -> int:
    """How long `client` must wait before its next try at `kind` ("code", "pin", "admin") on
    `target` (a session code, or "" for none): 0 when it may try now. One query."""
    now = now or _now()
    keys = _keys(kind, client, target)
    with engine.connect() as conn:
        rows = conn.execute(_failures_statement(), {"keys": list(keys.values()),
                                                    "since": now - WINDOW}).all()
    found = {key: (count, _as_utc(last)) for key, count, last in rows}
    wait = 0.0

    def until(last: dt.datetime, seconds: int) -> float:
        return max(0.0, (last + dt.timedelta(seconds=seconds) - now).total_seconds())

    device = found.get(keys["device"])
    if device and _device_wait(device[0]):
        wait = max(wait, until(device[1], _device_wait(device[0])))
    network = found.get(keys["network"])
    # Past the network's free failures, every try from it waits a couple of seconds after the
    # network's last failure (refused tries are not counted): a guesser rotating device ids is
    # held to that pace, the room is slowed by seconds, never locked out.
    if network and network[0] >= NETWORK_FREE_FAILURES:
        wait = max(wait, until(network[1], NETWORK_PACE_SECONDS))
    target_row = found.get(keys.get("target", ""))
    if target_row and target_row[0] >= TARGET_FREE_FAILURES:
        wait = max(wait, until(target_row[1], TARGET_PACE_SECONDS))
    return int(wait) + (1 if wait % 1 else 0)


def check_pace(engine: Engine, kind: str, client: Client, target: str = "") -> None:
    """Raise TooManyAttempts (French) when `client` must wait before trying again."""
    wait = seconds_to_wait(engine, kind, client, target)
    if wait:
        raise TooManyAttempts(wait, f"Trop d'essais erronés : réessayez dans {wait} s.")


def record_failure(engine: Engine, kind: str, client: Client, target: str = "") -> None:
    """Count one wrong try of `client` (device, network and target); forget day-old ones."""
    now = _now()
    with write_transaction(engine) as conn:
        conn.execute(join_failures.insert(), [{"client_key": key, "at": now}
                                              for key in _keys(kind, client, target).values()])
        # Housekeeping on failures only, so successful traffic never pays for it.
        conn.execute(join_failures.delete().where(join_failures.c.at < now - KEEP_FAILURES))
    log.warning("Essai erroné (%s) depuis %s", kind, client.address)


ADMIN_TARGET = "administration"


def verify_admin_password(engine: Engine, client: Client, typed: str, expected: str) -> bool:
    """True when `typed` is the administration password (compared in constant time). Paced like
    a session PIN — TooManyAttempts (French, says how long to wait) for a client or a password
    guessed at too often — and a wrong one counted. An empty `expected` opens nothing."""
    if not expected:
        return False
    check_pace(engine, "admin", client, ADMIN_TARGET)
    if hmac.compare_digest(str(typed).encode(), str(expected).encode()):
        log.info("Administration ouverte depuis %s", client.address)
        return True
    record_failure(engine, "admin", client, ADMIN_TARGET)
    return False
