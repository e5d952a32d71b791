"""The room of 300 phones: moderation, upvotes, pre-moderation, throttling by time.

Proposals and comments gain a moderation state (visible, awaiting the facilitator, hidden by
the facilitator); participants upvote proposals (one vote each); a session can ask for every
proposal to be approved before it reaches the screen. Wrong codes and PINs are counted per key
and time, which needs an index on (client_key, at). Each change of a session is logged as one
row (insert-only) instead of moving one counter row that hundreds of phones would queue on.

Only tables and columns are added (ALTER TABLE ADD COLUMN): no table is rebuilt, so no foreign-key cascade
can touch the sessions already in the store.

Revision ID: 0003_room
Revises: 0002_indicator_roles
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_room"
down_revision = "0002_indicator_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode: on SQLite a batch rebuild drops the old table, and with
    # foreign keys on that drop cascades into participants, inputs and grid versions.
    op.add_column("workshop_inputs", sa.Column("moderation", sa.String(12), nullable=False,
                                               server_default="visible"))
    op.add_column("workshops", sa.Column("premoderation", sa.Boolean, nullable=False,
                                         server_default=sa.false()))
    op.create_table(
        "proposal_votes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("input_id", sa.Integer,
                  sa.ForeignKey("workshop_inputs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("participant_id", sa.Integer,
                  sa.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("input_id", "participant_id", name="uq_one_vote"),
    )
    op.create_index("ix_votes_workshop", "proposal_votes", ["workshop_id"])
    op.create_table(
        "workshop_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_changes_workshop", "workshop_changes", ["workshop_id", "id"])
    op.create_index("ix_failures_key_time", "join_failures", ["client_key", "at"])


def downgrade() -> None:
    op.drop_index("ix_failures_key_time", table_name="join_failures")
    op.drop_index("ix_changes_workshop", table_name="workshop_changes")
    op.drop_table("workshop_changes")
    op.drop_index("ix_votes_workshop", table_name="proposal_votes")
    op.drop_table("proposal_votes")
    # Native DROP COLUMN (SQLite ≥ 3.35), for the same reason as above.
    op.drop_column("workshops", "premoderation")
    op.drop_column("workshop_inputs", "moderation")
