"""A national day: parallel comptoirs in rooms and time slots, one code and one QR for everybody.

A phone joins the day once (its pseudonym and role), sees the programme and enters the comptoirs
running now; each comptoir is an Essaim session of its own (its inputs stay its own), entered with
a participant token derived from the day's, so that moving to the next slot keeps the person's
identity and a resent entry changes nothing. The organisers (the day's private link or PIN) run
the programme; each comptoir's team (its facilitator link or PIN) runs its session and writes the
grand témoin's lines.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from essaim import access
from essaim.access import Client
from essaim.data.schema import workshops
from essaim.data.schema_days import day_comptoirs, day_rooms, day_slots, days
from essaim.numbers.dates import PARIS
from essaim.numbers.formatting import format_number, plural
from essaim.workshops.codes import CODE_ALPHABET, normalise_code
from essaim.workshops.errors import FacilitatorOnly, WorkshopError, paced
from essaim.workshops.grid import Grid
from essaim.workshops.joining import as_client
from essaim.workshops.sessions import CreatedWorkshop, create_workshop
from essaim.workshops.writes import hash_token, now_utc, write_session

log = logging.getLogger(__name__)

DAY_CODE_LENGTH = 7  # a session's code has six characters: the two never meet
MAX_ROOMS, MAX_SLOTS = 12, 12
MAX_TEMOIN_LINES, MAX_TEMOIN_CHARS = 3, 600
_TIME = re.compile(r"^([01]\d|2[0-3])[:h]([0-5]\d)$")


@dataclass(frozen=True)
class Slot:
    id: int
    label: str
    starts_at: str
    ends_at: str

    @property
    def hours(self) -> str:
        """« 9 h 30 – 10 h 30 », never broken inside an hour."""
        return f"{_clock(self.starts_at)} – {_clock(self.ends_at)}"

    @property
    def text(self) -> str:
        return f"{self.label} ({self.hours})"


def _clock(stored: str) -> str:
    """"09:30" → « 9 h 30 » (non-breaking spaces)."""
    hours, minutes = stored.split(":")
    return f"{int(hours)}\u00a0h\u00a0{minutes}"


@dataclass(frozen=True)
class Room:
    id: int
    name: str


@dataclass(frozen=True)
class Comptoir:
    code: str  # the session's join code
    title: str
    room_id: int
    slot_id: int
    question: str
    experts: str
    grand_temoin: str
    facilitators: str
    temoin_lines: str
    status: str


@dataclass(frozen=True)
class Day:
    id: int
    code: str
    title: str
    day_date: dt.date
    place: str
    rooms: tuple[Room, ...]
    slots: tuple[Slot, ...]
    comptoirs: tuple[Comptoir, ...]
    current_slot_id: int | None

    def room(self, room_id: int) -> Room:
        return next(r for r in self.rooms if r.id == room_id)

    def slot(self, slot_id: int) -> Slot:
        return next(s for s in self.slots if s.id == slot_id)

    def running_slot_id(self, now: dt.datetime | None = None) -> int | None:
        """The slot running now: the one the organisers set, else the clock's on the day's date
        (Paris time), else none."""
        if self.current_slot_id is not None:
            return self.current_slot_id
        now = (now or dt.datetime.now(dt.UTC)).astimezone(PARIS)
        if now.date() != self.day_date:
            return None
        clock = now.strftime("%H:%M")
        return next((s.id for s in self.slots if s.starts_at <= clock < s.ends_at), None)


@dataclass(frozen=True)
class CreatedDay:
    code: str
    organiser_token: str
    pin: str


def generate_day_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(DAY_CODE_LENGTH))


def is_day_code(code: str) -> bool:
    return len(normalise_code(code)) == DAY_CODE_LENGTH


def limited(text: str | None, limit: int, what: str, required: bool = False) -> str:
    """The text, stripped; WorkshopError (French, with the count) when it is too long — never
    cut silently — or missing when required."""
    text = (text or "").strip()
    if required and not text:
        raise WorkshopError(f"{what} : à remplir.")
    if len(text) > limit:
        raise WorkshopError(f"{what} : trop long, {format_number(len(text))} caractères pour "
                            f"{format_number(limit)} au plus (rien n'est effacé).")
    return text


def _clean_time(text: str, what: str) -> str:
    match = _TIME.match(str(text).strip())
    if not match:
        raise WorkshopError(f"{what} : heure attendue sous la forme 09:30 (reçu « {text} »).")
    return f"{match.group(1)}:{match.group(2)}"


def clean_slots(slots: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(label, start, end) per slot, times as « 09:30 », each ending after it starts, in order
    and without overlap; WorkshopError (French) otherwise."""
    if not slots or len(slots) > MAX_SLOTS:
        raise WorkshopError(f"Une journée a de 1 à {MAX_SLOTS} créneaux.")
    cleaned = []
    for index, (label, start, end) in enumerate(slots, start=1):
        label = limited(str(label or f"Créneau {index}"), 100, f"Créneau {index}, nom")
        start, end = _clean_time(start, f"Créneau {index}, début"), _clean_time(
            end, f"Créneau {index}, fin")
        if end <= start:
            raise WorkshopError(f"Créneau {index} : la fin ({end}) doit suivre le début ({start}).")
        if cleaned and start < cleaned[-1][2]:
            raise WorkshopError(f"Créneau {index} : il commence ({start}) avant la fin du "
                                f"précédent ({cleaned[-1][2]}).")
        cleaned.append((label, start, end))
    return cleaned


def create_day(engine: Engine, *, title: str, day_date: dt.date, place: str, rooms: list[str],
               slots: list[tuple[str, str, str]]) -> CreatedDay:
    """A day with its rooms and slots; returns its code and the organisers' secrets (a private
    link's key and a six-digit PIN), shown once."""
    title = limited(title, 200, "Titre de la journée", required=True)
    place = limited(place, 200, "Lieu")
    rooms = [limited(r, 100, "Nom de salle") for r in rooms if r and r.strip()]
    if not rooms or len(rooms) > MAX_ROOMS or len(set(rooms)) != len(rooms):
        raise WorkshopError(f"Une journée a de 1 à {MAX_ROOMS} salles, chacune avec son nom.")
    slots = clean_slots(slots)
    token = secrets.token_urlsafe(24)
    pin = f"{secrets.randbelow(1_000_000):06d}"
    for _ in range(10):
        code = generate_day_code()
        try:
            with write_session(engine) as conn:
                day_id = conn.execute(days.insert().values(
                    code=code, title=title, day_date=day_date, place=place,
                    organiser_token_hash=hash_token(token), pin_hash=access.hash_secret(pin),
                    created_at=now_utc())).inserted_primary_key[0]
                conn.execute(day_rooms.insert(), [{"day_id": day_id, "name": name,
                                                   "position": i} for i, name in enumerate(rooms)])
                conn.execute(day_slots.insert(), [
                    {"day_id": day_id, "label": label, "starts_at": start, "ends_at": end,
                     "position": i} for i, (label, start, end) in enumerate(slots)])
            log.info("Journée %s créée (« %s », %s, %s)", code, title,
                     plural(len(rooms), "salle"), plural(len(slots), "créneau", "créneaux"))
            return CreatedDay(code, token, pin)
        except sa.exc.IntegrityError:
            continue
    raise WorkshopError("Impossible de créer un code de journée unique ; réessayez.")


def find_day(engine: Engine, code: str) -> Day | None:
    """The day with this code, its rooms, slots and comptoirs (in programme order), or None."""
    code = normalise_code(code)
    if len(code) != DAY_CODE_LENGTH:
        return None
    with engine.connect() as conn:
        row = conn.execute(sa.select(days).where(days.c.code == code)).mappings().first()
        if row is None:
            return None
        rooms = conn.execute(sa.select(day_rooms).where(day_rooms.c.day_id == row["id"])
                             .order_by(day_rooms.c.position)).mappings().all()
        slots = conn.execute(sa.select(day_slots).where(day_slots.c.day_id == row["id"])
                             .order_by(day_slots.c.position)).mappings().all()
        comptoirs = conn.execute(
            sa.select(day_comptoirs, workshops.c.code, workshops.c.title, workshops.c.status)
            .join(workshops, workshops.c.id == day_comptoirs.c.workshop_id)
            .where(day_comptoirs.c.day_id == row["id"])).mappings().all()
    slot_order = {s["id"]: s["position"] for s in slots}
    room_order = {r["id"]: r["position"] for r in rooms}
    ordered = sorted(comptoirs, key=lambda c: (slot_order[c["slot_id"]], room_order[c["room_id"]]))
    return Day(
        id=row["id"], code=row["code"], title=row["title"], day_date=row["day_date"],
        place=row["place"], current_slot_id=row["current_slot_id"],
        rooms=tuple(Room(r["id"], r["name"]) for r in rooms),
        slots=tuple(Slot(s["id"], s["label"], s["starts_at"], s["ends_at"]) for s in slots),
        comptoirs=tuple(Comptoir(
            code=c["code"], title=c["title"], room_id=c["room_id"], slot_id=c["slot_id"],
            question=c["question"], experts=c["experts"], grand_temoin=c["grand_temoin"],
            facilitators=c["facilitators"], temoin_lines=c["temoin_lines"], status=c["status"])
            for c in ordered))


def list_days(engine: Engine) -> list[tuple[str, str, dt.date]]:
    """Every day (code, title, date), the latest first: for the administration only (a day's
    code lets a phone in)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(days.c.code, days.c.title, days.c.day_date)
                            .order_by(days.c.day_date.desc(), days.c.id.desc())).all()
    return [(r.code, r.title, r.day_date) for r in rows]


def verify_organiser(engine: Engine, code: str, *, token: str = "", pin: str = "",
                     client: Client | str | None = None) -> bool:
    """True when the key or the PIN is this day's organisers'. PIN tries are paced like a
    session's (per device, network and day: a guesser waits, nobody is locked out)."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(days.c.organiser_token_hash, days.c.pin_hash, days.c.code)
                           .where(days.c.code == normalise_code(code))).first()
    if token and row is not None and secrets.compare_digest(hash_token(token),
                                                           row.organiser_token_hash):
        return True
    if not pin:
        return False
    client, target = as_client(client), f"jour:{normalise_code(code)}"
    with paced():
        access.check_pace(engine, "pin", client, target)
    if row is not None and access.verify_secret(pin.strip(), row.pin_hash):
        return True
    access.record_failure(engine, "pin", client, target)
    log.warning("Journée %s : code PIN des organisateurs erroné", normalise_code(code))
    return False


def _organiser_day_id(engine: Engine, code: str, secret: str) -> int:
    with engine.connect() as conn:
        row = conn.execute(sa.select(days.c.id, days.c.organiser_token_hash, days.c.pin_hash)
                           .where(days.c.code == normalise_code(code))).first()
    if row is None or not secret or not (
            secrets.compare_digest(hash_token(secret), row.organiser_token_hash)
            or (len(secret.strip()) <= 12 and access.verify_secret(secret.strip(), row.pin_hash))):
        raise FacilitatorOnly("Action réservée aux organisateurs de la journée.")
    return row.id


def add_comptoir(engine: Engine, day_code: str, secret: str, *, room_id: int, slot_id: int,
                 title: str, question: str, experts: str = "", grand_temoin: str = "",
                 facilitators: str = "", grid: Grid) -> CreatedWorkshop:
    """A comptoir of the day: a session of kind « comptoir » in one room and slot, with its
    question, experts, grand témoin and facilitators. Returns the session's code and its team's
    secrets (shown once). Organisers only."""
    day_id = _organiser_day_id(engine, day_code, secret)
    day = find_day(engine, day_code)
    if room_id not in {r.id for r in day.rooms} or slot_id not in {s.id for s in day.slots}:
        raise WorkshopError("Choisissez une salle et un créneau de cette journée.")
    if any(c.room_id == room_id and c.slot_id == slot_id for c in day.comptoirs):
        raise WorkshopError(f"{day.room(room_id).name} a déjà un comptoir au créneau "
                            f"« {day.slot(slot_id).label} ».")
    question = limited(question, 1000, "Question du comptoir", required=True)
    experts = limited(experts, 1000, "Experts")
    grand_temoin = limited(grand_temoin, 200, "Grand témoin")
    facilitators = limited(facilitators, 300, "Animation")
    created = create_workshop(engine, title=title, kind="comptoir", grid=grid,
                              author="Organisation de la journée")
    with write_session(engine) as conn:
        workshop_id = conn.execute(sa.select(workshops.c.id).where(
            workshops.c.code == created.code)).scalar_one()
        conn.execute(day_comptoirs.insert().values(
            workshop_id=workshop_id, day_id=day_id, room_id=room_id, slot_id=slot_id,
            question=question, experts=experts, grand_temoin=grand_temoin,
            facilitators=facilitators))
    log.info("Journée %s : comptoir %s ajouté (%s, %s)", normalise_code(day_code), created.code,
             day.room(room_id).name, day.slot(slot_id).label)
    return created


def set_current_slot(engine: Engine, code: str, secret: str, slot_id: int | None) -> None:
    """The organisers say which slot runs now (None: the clock decides again)."""
    day_id = _organiser_day_id(engine, code, secret)
    with write_session(engine) as conn:
        conn.execute(days.update().where(days.c.id == day_id).values(current_slot_id=slot_id))
    log.info("Journée %s : créneau en cours %s", normalise_code(code), slot_id or "selon l'heure")


def programme(day: Day, now: dt.datetime | None = None) -> dict:
    """The day as phones and the hall's screen show it (plain data): its slots in order, each with
    its comptoirs by room, and the slot running now."""
    running = day.running_slot_id(now)
    return {
        "code": day.code, "titre": day.title, "lieu": day.place,
        "date": day.day_date.strftime("%d/%m/%Y"), "en_cours": running,
        "salles": [room.name for room in day.rooms],
        "creneaux": [{
            "id": slot.id, "texte": slot.text, "en_cours": slot.id == running,
            "comptoirs": [{"code": c.code, "titre": c.title, "salle": day.room(c.room_id).name,
                           "question": c.question, "experts": c.experts,
                           "grand_temoin": c.grand_temoin, "ouvert": c.status == "open"}
                          for c in day.comptoirs if c.slot_id == slot.id]}
            for slot in day.slots],
    }
