"""A national day: the day with its code, rooms and slots, its comptoirs (each a session with its
question, experts, grand témoin and facilitators) and the people who joined it once.

Only tables are added: nothing existing is rebuilt.

Revision ID: 0006_national_day
Revises: 0005_provable_figures
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_national_day"
down_revision = "0005_provable_figures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "days",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("day_date", sa.Date, nullable=False),
        sa.Column("place", sa.String(200), nullable=False, server_default=""),
        sa.Column("organiser_token_hash", sa.String(64), nullable=False),
        sa.Column("pin_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current_slot_id", sa.Integer),
    )
    op.create_table(
        "day_rooms",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day_id", sa.Integer, sa.ForeignKey("days.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "day_slots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day_id", sa.Integer, sa.ForeignKey("days.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("starts_at", sa.String(5), nullable=False),
        sa.Column("ends_at", sa.String(5), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "day_comptoirs",
        sa.Column("workshop_id", sa.Integer,
                  sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day_id", sa.Integer, sa.ForeignKey("days.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("room_id", sa.Integer, sa.ForeignKey("day_rooms.id"), nullable=False),
        sa.Column("slot_id", sa.Integer, sa.ForeignKey("day_slots.id"), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("experts", sa.Text, nullable=False, server_default=""),
        sa.Column("grand_temoin", sa.String(200), nullable=False, server_default=""),
        sa.Column("facilitators", sa.String(300), nullable=False, server_default=""),
        sa.Column("temoin_lines", sa.Text, nullable=False, server_default=""),
        sa.Column("temoin_updated_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("room_id", "slot_id", name="uq_one_comptoir_per_room_and_slot"),
    )
    op.create_index("ix_day_comptoirs_day", "day_comptoirs", ["day_id"])
    op.create_table(
        "day_participants",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day_id", sa.Integer, sa.ForeignKey("days.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("token", sa.String(40), nullable=False, unique=True),
        sa.Column("pseudonym", sa.String(60), nullable=False, server_default=""),
        sa.Column("role", sa.String(40), nullable=False, server_default=""),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("day_participants")
    op.drop_index("ix_day_comptoirs_day", table_name="day_comptoirs")
    op.drop_table("day_comptoirs")
    op.drop_table("day_slots")
    op.drop_table("day_rooms")
    op.drop_table("days")
