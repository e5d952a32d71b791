"""The partners' own space: private links, declared values, disagreement threads, messages and
agreed versions of indicator definitions.

Revision ID: 0004_partners
Revises: 0003_room
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_partners"
down_revision = "0003_room"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("partner_code", sa.String(80), nullable=False, index=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indicator_code", sa.String(80), nullable=False),
        sa.Column("territory_code", sa.String(80), nullable=False),
        sa.Column("essaimage_code", sa.String(80)),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("partner_code", sa.String(80), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("link_id", sa.Integer, sa.ForeignKey("partner_links.id")),
        sa.Column("declared_by", sa.String(100), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True)),
        sa.Column("note", sa.String(300), nullable=False, server_default=""),
        sa.Index("ix_declarations_cell", "indicator_code", "territory_code", "period"),
    )
    op.create_table(
        "disagreement_threads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indicator_code", sa.String(80), nullable=False),
        sa.Column("territory_code", sa.String(80), nullable=False),
        sa.Column("essaimage_code", sa.String(80), nullable=False, server_default=""),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(12), nullable=False, server_default="open"),
        sa.Column("resolved_value", sa.Float),
        sa.Column("resolution_kind", sa.String(12)),
        sa.Column("resolved_by", sa.String(300), nullable=False, server_default=""),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("indicator_code", "territory_code", "essaimage_code", "period",
                            name="uq_thread_cell"),
    )
    op.create_table(
        "thread_messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("thread_id", sa.Integer,
                  sa.ForeignKey("disagreement_threads.id", ondelete="CASCADE"), nullable=False),
        sa.Column("partner_code", sa.String(80)),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("value", sa.Float),
        sa.Column("proposal_id", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index("ix_thread_messages_thread", "thread_id"),
    )
    op.create_table(
        "definition_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("indicator_code", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("thread_id", sa.Integer, sa.ForeignKey("disagreement_threads.id")),
        sa.Column("agreed_by", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("indicator_code", "version", name="uq_definition_version"),
    )


def downgrade() -> None:
    for table in ("definition_versions", "thread_messages", "disagreement_threads",
                  "declarations", "partner_links"):
        op.drop_table(table)
