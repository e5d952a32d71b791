"""Provable figures: the ranges a value may take, the innovation's founding year, values
confirmed as unusual, withdrawn declarations and their channel, agreements called into question
and reopened arbitrations, definitions agreed for one essaimage.

Only columns are added (ALTER TABLE ADD COLUMN): no table is rebuilt.

Revision ID: 0005_provable_figures
Revises: 0004_partners
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_provable_figures"
down_revision = "0004_partners"
branch_labels = None
depends_on = None

COLUMNS = [
    ("innovations", sa.Column("founded_year", sa.Integer)),
    ("indicators", sa.Column("minimum", sa.Float)),
    ("indicators", sa.Column("maximum", sa.Float)),
    ("indicator_values", sa.Column("unusual_confirmed", sa.Boolean, nullable=False,
                                   server_default=sa.false())),
    ("declarations", sa.Column("channel", sa.String(20), nullable=False,
                               server_default="formulaire")),
    ("declarations", sa.Column("withdrawn_at", sa.DateTime(timezone=True))),
    ("declarations", sa.Column("unusual_confirmed", sa.Boolean, nullable=False,
                               server_default=sa.false())),
    ("disagreement_threads", sa.Column("reopened_at", sa.DateTime(timezone=True))),
    ("disagreement_threads", sa.Column("reopened_by", sa.String(300), nullable=False,
                                       server_default="")),
    ("definition_versions", sa.Column("essaimage_code", sa.String(80))),
    ("definition_versions", sa.Column("status", sa.String(12), nullable=False,
                                      server_default="nationale")),
]


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, column)


def downgrade() -> None:
    # Native DROP COLUMN (SQLite ≥ 3.35): no table is rebuilt.
    for table, column in reversed(COLUMNS):
        op.drop_column(table, column.name)
