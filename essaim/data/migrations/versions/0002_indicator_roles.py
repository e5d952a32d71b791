"""Indicator roles declared in the data; dataset fingerprints and demo provenance.

Indicators gain what they are used for (measure, roles, reference statistic, which partner type's
report counts, disagreement tolerance, unit cost, default-grid criterion). Datasets gain a content
fingerprint and the list of tables still holding demonstration data. The demonstration datasets
already in the store get the roles shipped in data/demo/indicators.csv, so they keep working.

Revision ID: 0002_indicator_roles
Revises: 0001_release_2
Create Date: 2026-11-21
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002_indicator_roles"
down_revision = "0001_release_2"
branch_labels = None
depends_on = None

INDICATOR_COLUMNS = [
    sa.Column("measure", sa.String(10), nullable=False, server_default="count"),
    sa.Column("roles", sa.String(200), nullable=False, server_default=""),
    sa.Column("reference_statistic", sa.String(40)),
    sa.Column("counted_partner_type", sa.String(30)),
    sa.Column("tolerance_pct", sa.Float),
    sa.Column("unit_cost_euros", sa.Float),
    sa.Column("unit_cost_share_pct", sa.Float),
    sa.Column("avoided_cost_label", sa.String(200)),
    sa.Column("unit_cost_source", sa.String(300)),
    sa.Column("grid_weight", sa.Float),
    sa.Column("grid_target", sa.Float),
    sa.Column("grid_threshold", sa.Float),
    sa.Column("perverse_effects", sa.Text, nullable=False, server_default=""),
]
DATASET_TABLE_NAMES = ["innovations", "territories", "essaimages", "partners", "partner_roles",
                       "indicators", "indicator_values", "verbatims"]


def _infer_measures(conn) -> None:
    # Before roles, the unit said what an indicator measured.
    indicators = sa.table("indicators", sa.column("unit"), sa.column("measure"))
    conn.execute(indicators.update().where(indicators.c.unit.in_(["%", "‰"]))
                 .values(measure="rate"))
    conn.execute(indicators.update().where(indicators.c.unit == "€").values(measure="amount"))
    conn.execute(indicators.update().where(sa.or_(indicators.c.unit.like("score%"),
                                                  indicators.c.unit.like("niveau%")))
                 .values(measure="score"))


def _give_demo_indicators_their_roles(conn) -> None:
    """Datasets whose indicator definitions are the demo's get the demo's roles."""
    from essaim.data.demo import read_demo_tables

    shipped = {row["code"]: row for row in read_demo_tables()["indicators"]}
    datasets = sa.table("datasets", sa.column("id"), sa.column("demo_tables"))
    indicators = sa.table("indicators", sa.column("dataset_id"), sa.column("code"),
                          *(sa.column(c.name) for c in INDICATOR_COLUMNS))
    demo_ids = [row.id for row in conn.execute(sa.select(datasets.c.id, datasets.c.demo_tables))
                if "indicators" in json.loads(row.demo_tables)]
    for dataset_id in demo_ids:
        for code, row in shipped.items():
            conn.execute(indicators.update().where(indicators.c.dataset_id == dataset_id,
                                                   indicators.c.code == code)
                         .values({c.name: row[c.name] for c in INDICATOR_COLUMNS
                                  if row.get(c.name) is not None}))


def _record_demo_tables(conn) -> None:
    """A demo dataset is demo in every table; an imported one kept the demo's rows of the tables
    it did not replace (the release carried them over): those are the tables whose row count and
    codes are the demo's."""
    datasets = sa.table("datasets", sa.column("id"), sa.column("kind"), sa.column("demo_tables"))
    rows = conn.execute(sa.select(datasets.c.id, datasets.c.kind)).all()
    demo_ids = [r.id for r in rows if r.kind == "demo"]

    def fingerprint(table: str, dataset_id: int) -> tuple:
        # Identity of a table's rows without the dataset id: every column except surrogate keys.
        result = conn.execute(sa.text(f"SELECT * FROM {table} WHERE dataset_id = :d"),
                              {"d": dataset_id}).mappings().all()
        skipped = {"id", "dataset_id"} | {c.name for c in INDICATOR_COLUMNS}
        return tuple(sorted(tuple(sorted((k, str(v)) for k, v in r.items()
                                         if k not in skipped)) for r in result))

    demo_prints = {(t, d): fingerprint(t, d) for d in demo_ids for t in DATASET_TABLE_NAMES}
    for row in rows:
        if row.kind == "demo":
            tables = DATASET_TABLE_NAMES
        else:
            tables = [t for t in DATASET_TABLE_NAMES
                      if any(fingerprint(t, row.id) == demo_prints[(t, d)] for d in demo_ids)]
        conn.execute(datasets.update().where(datasets.c.id == row.id)
                     .values(demo_tables=json.dumps(tables)))


def upgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        for column in INDICATOR_COLUMNS:
            batch.add_column(column.copy())
    with op.batch_alter_table("datasets") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(64)))
        batch.add_column(sa.Column("demo_tables", sa.Text, nullable=False, server_default="[]"))
    conn = op.get_bind()
    _record_demo_tables(conn)
    _infer_measures(conn)
    _give_demo_indicators_their_roles(conn)
    # Alembic's own version table replaces the release's schema_info.
    op.drop_table("schema_info")


def downgrade() -> None:
    op.create_table("schema_info", sa.Column("key", sa.String(50), primary_key=True),
                    sa.Column("value", sa.String(200), nullable=False))
    op.bulk_insert(sa.table("schema_info", sa.column("key"), sa.column("value")),
                   [{"key": "schema_version", "value": "2"}])
    with op.batch_alter_table("datasets") as batch:
        batch.drop_column("demo_tables")
        batch.drop_column("fingerprint")
    with op.batch_alter_table("indicators") as batch:
        for column in reversed(INDICATOR_COLUMNS):
            batch.drop_column(column.name)
