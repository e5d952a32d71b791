"""Tables of a national day: the day (one code and one QR for everybody), its rooms and time
slots, its comptoirs — each an Essaim session (a `workshops` row) with its question, experts,
grand témoin, facilitators and the grand témoin's own lines — and the people who joined the day
once (their pseudonym and role follow them from one comptoir to the next)."""

from __future__ import annotations

import sqlalchemy as sa

from essaim.data.schema import metadata

days = sa.Table(
    "days",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Seven characters: never the same as a session's six-character code.
    sa.Column("code", sa.String(12), nullable=False, unique=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("day_date", sa.Date, nullable=False),
    sa.Column("place", sa.String(200), nullable=False, server_default=""),
    sa.Column("organiser_token_hash", sa.String(64), nullable=False),
    sa.Column("pin_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # The slot running now, set by the organisers (None: the clock decides).
    sa.Column("current_slot_id", sa.Integer),
)

day_rooms = sa.Table(
    "day_rooms",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("day_id", sa.Integer, sa.ForeignKey("days.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
)

day_slots = sa.Table(
    "day_slots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("day_id", sa.Integer, sa.ForeignKey("days.id", ondelete="CASCADE"), nullable=False),
    sa.Column("label", sa.String(100), nullable=False),
    sa.Column("starts_at", sa.String(5), nullable=False),  # « 09:30 », Paris time
    sa.Column("ends_at", sa.String(5), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
)

day_comptoirs = sa.Table(
    "day_comptoirs",
    metadata,
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("day_id", sa.Integer, sa.ForeignKey("days.id", ondelete="CASCADE"), nullable=False),
    sa.Column("room_id", sa.Integer, sa.ForeignKey("day_rooms.id"), nullable=False),
    sa.Column("slot_id", sa.Integer, sa.ForeignKey("day_slots.id"), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("experts", sa.Text, nullable=False, server_default=""),
    sa.Column("grand_temoin", sa.String(200), nullable=False, server_default=""),
    sa.Column("facilitators", sa.String(300), nullable=False, server_default=""),
    sa.Column("temoin_lines", sa.Text, nullable=False, server_default=""),
    sa.Column("temoin_updated_at", sa.DateTime(timezone=True)),
    sa.Index("ix_day_comptoirs_day", "day_id"),
    sa.UniqueConstraint("room_id", "slot_id", name="uq_one_comptoir_per_room_and_slot"),
)

day_participants = sa.Table(
    "day_participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("day_id", sa.Integer, sa.ForeignKey("days.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token", sa.String(40), nullable=False, unique=True),
    sa.Column("pseudonym", sa.String(60), nullable=False, server_default=""),
    sa.Column("role", sa.String(40), nullable=False, server_default=""),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
)
