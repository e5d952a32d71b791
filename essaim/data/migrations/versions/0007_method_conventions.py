"""Method conventions: who an indicator counts (a gap to a reference statistic only for the same
population), how long an avoided-cost outcome lasts (one-off outcomes counted once), and which
indicator holds the partners' declared amounts of the same avoided cost.

Only columns are added (ALTER TABLE ADD COLUMN): no table is rebuilt.

Revision ID: 0007_method_conventions
Revises: 0006_national_day
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_method_conventions"
down_revision = "0006_national_day"
branch_labels = None
depends_on = None

COLUMNS = [
    ("indicators", sa.Column("counted_population", sa.String(20))),
    ("indicators", sa.Column("benefit_years", sa.Integer)),
    ("indicators", sa.Column("declared_counterpart", sa.String(80))),
]


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, column)


def downgrade() -> None:
    # Native DROP COLUMN (SQLite ≥ 3.35): no table is rebuilt.
    for table, column in reversed(COLUMNS):
        op.drop_column(table, column.name)
