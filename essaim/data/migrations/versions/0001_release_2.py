"""The schema of the release before Alembic (its schema_info said version 2).

Creates every table that is missing, so it brings an empty store, a store created by that release
(nothing to do) and one of the first version (which also had a placeholder workshop table) to the
same point.

Revision ID: 0001_release_2
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_release_2"
down_revision = None
branch_labels = None
depends_on = None


def _dataset_fk() -> sa.Column:
    return sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"),
                     nullable=False)


def _tables() -> dict[str, list]:
    """Each table of the release with its columns and constraints, in creation order."""
    return {
        "schema_info": [
            sa.Column("key", sa.String(50), primary_key=True),
            sa.Column("value", sa.String(200), nullable=False),
        ],
        "datasets": [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("kind", sa.String(20), nullable=False),
            sa.Column("label", sa.String(200), nullable=False),
            sa.Column("source", sa.String(500), nullable=False),
            sa.Column("created_by", sa.String(100), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("active", sa.Boolean, nullable=False),
        ],
        "innovations": [
            _dataset_fk(),
            sa.Column("code", sa.String(80), nullable=False),
            sa.Column("name", sa.String(200), nullable=False),
            sa.Column("porteur", sa.String(200), nullable=False),
            sa.Column("public", sa.String(300), nullable=False),
            sa.Column("description", sa.Text, nullable=False),
            sa.PrimaryKeyConstraint("dataset_id", "code"),
        ],
        "territories": [
            _dataset_fk(),
            sa.Column("code", sa.String(80), nullable=False),
            sa.Column("name", sa.String(200), nullable=False),
            sa.Column("scale", sa.String(20), nullable=False),
            sa.Column("insee_commune", sa.String(5)),
            sa.Column("siren_epci", sa.String(9)),
            sa.Column("code_departement", sa.String(3), nullable=False),
            sa.Column("code_region", sa.String(2), nullable=False),
            sa.Column("latitude", sa.Float, nullable=False),
            sa.Column("longitude", sa.Float, nullable=False),
            sa.Column("qpv", sa.Boolean, nullable=False),
            sa.PrimaryKeyConstraint("dataset_id", "code"),
        ],
        "essaimages": [
            _dataset_fk(),
            sa.Column("code", sa.String(80), nullable=False),
            sa.Column("innovation_code", sa.String(80), nullable=False),
            sa.Column("territory_code", sa.String(80), nullable=False),
            sa.Column("relay", sa.String(200), nullable=False),
            sa.Column("start_date", sa.Date, nullable=False),
            sa.Column("stage", sa.String(3), nullable=False),
            *(sa.Column(f"date_etape_{stage}", sa.Date) for stage in ("0", "i", "ii", "iii", "iv")),
            sa.PrimaryKeyConstraint("dataset_id", "code"),
        ],
        "partners": [
            _dataset_fk(),
            sa.Column("code", sa.String(80), nullable=False),
            sa.Column("name", sa.String(200), nullable=False),
            sa.Column("type", sa.String(30), nullable=False),
            sa.PrimaryKeyConstraint("dataset_id", "code"),
        ],
        "partner_roles": [
            _dataset_fk(),
            sa.Column("partner_code", sa.String(80), nullable=False),
            sa.Column("essaimage_code", sa.String(80), nullable=False),
            sa.Column("role", sa.String(100), nullable=False),
            sa.PrimaryKeyConstraint("dataset_id", "partner_code", "essaimage_code"),
        ],
        "indicators": [
            _dataset_fk(),
            sa.Column("code", sa.String(80), nullable=False),
            sa.Column("label", sa.String(200), nullable=False),
            sa.Column("unit", sa.String(80), nullable=False),
            sa.Column("direction", sa.String(4), nullable=False),
            sa.Column("family", sa.String(20), nullable=False),
            sa.Column("standard", sa.Boolean, nullable=False),
            sa.Column("definition", sa.Text, nullable=False),
            sa.PrimaryKeyConstraint("dataset_id", "code"),
        ],
        "indicator_values": [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            _dataset_fk(),
            sa.Column("indicator_code", sa.String(80), nullable=False),
            sa.Column("territory_code", sa.String(80), nullable=False),
            sa.Column("essaimage_code", sa.String(80)),
            sa.Column("period", sa.String(10), nullable=False),
            sa.Column("value", sa.Float, nullable=False),
            sa.Column("partner_code", sa.String(80), nullable=False),
            sa.Column("source", sa.String(300), nullable=False),
            sa.Index("ix_values_dataset_indicator", "dataset_id", "indicator_code"),
        ],
        "verbatims": [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            _dataset_fk(),
            sa.Column("essaimage_code", sa.String(80), nullable=False),
            sa.Column("period", sa.String(10), nullable=False),
            sa.Column("speaker", sa.String(100), nullable=False),
            sa.Column("theme", sa.String(30), nullable=False),
            sa.Column("text", sa.Text, nullable=False),
        ],
        "workshops": [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("code", sa.String(12), nullable=False, unique=True),
            sa.Column("title", sa.String(200), nullable=False),
            sa.Column("kind", sa.String(30), nullable=False),
            sa.Column("scope_innovation", sa.String(80)),
            sa.Column("scope_territories", sa.Text, nullable=False),
            sa.Column("facilitator_token_hash", sa.String(64), nullable=False),
            sa.Column("pin_hash", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("status", sa.String(10), nullable=False),
            sa.Column("results_hidden", sa.Boolean, nullable=False),
            sa.Column("state_version", sa.Integer, nullable=False),
            sa.Column("grid_version", sa.Integer, nullable=False),
        ],
        "grid_versions": [
            sa.Column("workshop_id", sa.Integer,
                      sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("grid_json", sa.Text, nullable=False),
            sa.Column("author", sa.String(100), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("summary", sa.Text, nullable=False),
            sa.PrimaryKeyConstraint("workshop_id", "version"),
        ],
        "participants": [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("workshop_id", sa.Integer,
                      sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
            sa.Column("token", sa.String(40), nullable=False, unique=True),
            sa.Column("pseudonym", sa.String(60), nullable=False),
            sa.Column("role", sa.String(40), nullable=False),
            sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        ],
        "workshop_inputs": [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("workshop_id", sa.Integer,
                      sa.ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
            sa.Column("participant_id", sa.Integer,
                      sa.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
            sa.Column("kind", sa.String(20), nullable=False),
            sa.Column("slot", sa.String(80), nullable=False),
            sa.Column("payload", sa.Text, nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.UniqueConstraint("workshop_id", "participant_id", "kind", "slot",
                                name="uq_input_slot"),
        ],
        "join_failures": [
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("client_key", sa.String(100), nullable=False, index=True),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        ],
    }


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    # The first version's placeholder, replaced by the workshop tables.
    if "workshop_sessions" in existing:
        op.drop_table("workshop_sessions")
    for name, columns in _tables().items():
        if name not in existing:
            op.create_table(name, *columns)


def downgrade() -> None:
    for name in reversed(list(_tables())):
        op.drop_table(name)
