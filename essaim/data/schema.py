"""Database tables (SQLAlchemy Core) and the schema version the app expects.

Every data row belongs to a dataset; exactly one dataset is active at a time, so a new import can
be written beside the current data and switched to atomically, and the previous one kept.

These definitions are what the code queries; the database is created and upgraded by the Alembic
migrations in essaim/data/migrations/ (a test checks that both describe the same schema).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

datasets = sa.Table(
    "datasets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),  # "demo" or "import"
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("source", sa.String(500), nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=False),
    # SHA-256 of the dataset's content: importing the same files twice does not create a copy.
    sa.Column("fingerprint", sa.String(64)),
    # Tables still holding the fictional demonstration data (JSON list): the demo notice stays
    # while any is left.
    sa.Column("demo_tables", sa.Text, nullable=False, server_default="[]"),
)


def _dataset_fk() -> sa.Column:
    return sa.Column(
        "dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False
    )


innovations = sa.Table(
    "innovations",
    metadata,
    _dataset_fk(),
    sa.Column("code", sa.String(80), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("porteur", sa.String(200), nullable=False),
    sa.Column("public", sa.String(300), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("founded_year", sa.Integer),  # no value of the innovation before it existed
    sa.PrimaryKeyConstraint("dataset_id", "code"),
)

territories = sa.Table(
    "territories",
    metadata,
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
)

essaimages = sa.Table(
    "essaimages",
    metadata,
    _dataset_fk(),
    sa.Column("code", sa.String(80), nullable=False),
    sa.Column("innovation_code", sa.String(80), nullable=False),
    sa.Column("territory_code", sa.String(80), nullable=False),
    sa.Column("relay", sa.String(200), nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("stage", sa.String(3), nullable=False),
    sa.Column("date_etape_0", sa.Date),
    sa.Column("date_etape_i", sa.Date),
    sa.Column("date_etape_ii", sa.Date),
    sa.Column("date_etape_iii", sa.Date),
    sa.Column("date_etape_iv", sa.Date),
    sa.PrimaryKeyConstraint("dataset_id", "code"),
)

partners = sa.Table(
    "partners",
    metadata,
    _dataset_fk(),
    sa.Column("code", sa.String(80), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("type", sa.String(30), nullable=False),
    sa.PrimaryKeyConstraint("dataset_id", "code"),
)

partner_roles = sa.Table(
    "partner_roles",
    metadata,
    _dataset_fk(),
    sa.Column("partner_code", sa.String(80), nullable=False),
    sa.Column("essaimage_code", sa.String(80), nullable=False),
    sa.Column("role", sa.String(100), nullable=False),
    sa.PrimaryKeyConstraint("dataset_id", "partner_code", "essaimage_code"),
)

indicators = sa.Table(
    "indicators",
    metadata,
    _dataset_fk(),
    sa.Column("code", sa.String(80), nullable=False),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("unit", sa.String(80), nullable=False),
    sa.Column("direction", sa.String(4), nullable=False),
    sa.Column("family", sa.String(20), nullable=False),
    sa.Column("standard", sa.Boolean, nullable=False),
    sa.Column("definition", sa.Text, nullable=False),
    # What the indicator is used for, declared in the data (see essaim.data.roles).
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
    # The scale a value lies in, where the indicator declares one (essaim.numbers.ranges).
    sa.Column("minimum", sa.Float),
    sa.Column("maximum", sa.Float),
    # Who the indicator counts (essaim.data.model.POPULATIONS): a gap to a reference statistic
    # only for the same population; an effect in people only for inhabitants.
    sa.Column("counted_population", sa.String(20)),
    # How many years one unit of an avoided-cost outcome avoids its cost (1: once).
    sa.Column("benefit_years", sa.Integer),
    # The indicator holding the partners' own declared amounts of the same avoided cost.
    sa.Column("declared_counterpart", sa.String(80)),
    sa.PrimaryKeyConstraint("dataset_id", "code"),
)

indicator_values = sa.Table(
    "indicator_values",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _dataset_fk(),
    sa.Column("indicator_code", sa.String(80), nullable=False),
    sa.Column("territory_code", sa.String(80), nullable=False),
    sa.Column("essaimage_code", sa.String(80)),
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("partner_code", sa.String(80), nullable=False),
    sa.Column("source", sa.String(300), nullable=False),
    # Far outside what the other territories report, and confirmed as such when it was entered.
    sa.Column("unusual_confirmed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_values_dataset_indicator", "dataset_id", "indicator_code"),
)

verbatims = sa.Table(
    "verbatims",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _dataset_fk(),
    sa.Column("essaimage_code", sa.String(80), nullable=False),
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("speaker", sa.String(100), nullable=False),
    sa.Column("theme", sa.String(30), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)

workshops = sa.Table(
    "workshops",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(12), nullable=False, unique=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("scope_innovation", sa.String(80)),
    sa.Column("scope_territories", sa.Text, nullable=False, default="[]"),
    sa.Column("facilitator_token_hash", sa.String(64), nullable=False),
    sa.Column("pin_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(10), nullable=False, default="open"),
    sa.Column("results_hidden", sa.Boolean, nullable=False, default=False),
    # Bumped by every write: the live views poll this one cheap value.
    sa.Column("state_version", sa.Integer, nullable=False, default=0),
    sa.Column("grid_version", sa.Integer, nullable=False, default=1),
    # Proposals wait for the facilitator's approval before they reach the screen.
    sa.Column("premoderation", sa.Boolean, nullable=False, default=False,
              server_default=sa.false()),
)

grid_versions = sa.Table(
    "grid_versions",
    metadata,
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("grid_json", sa.Text, nullable=False),
    sa.Column("author", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.PrimaryKeyConstraint("workshop_id", "version"),
)

participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("token", sa.String(40), nullable=False, unique=True),
    sa.Column("pseudonym", sa.String(60), nullable=False, default=""),
    sa.Column("role", sa.String(40), nullable=False, default=""),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
)

workshop_inputs = sa.Table(
    "workshop_inputs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"),
              nullable=False),
    # weights (one per participant), rating (one per participant and criterion), or an appended
    # proposal: target, criterion, perverse_effect, comment (slot = a unique id).
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("slot", sa.String(80), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # Proposals and comments: "visible", "pending" (awaiting the facilitator) or "hidden" (by the
    # facilitator). Weights and ratings stay "visible".
    sa.Column("moderation", sa.String(12), nullable=False, default="visible",
              server_default="visible"),
    sa.UniqueConstraint("workshop_id", "participant_id", "kind", "slot", name="uq_input_slot"),
)

# One row per change of a session (an input, a vote, a facilitator's action): the live views
# poll the newest id. Insert-only, so that a room of phones writing at once does not queue on
# one counter row (the session's state_version, no longer moved, is added for older sessions).
workshop_changes = sa.Table(
    "workshop_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_changes_workshop", "workshop_id", "id"),
)

proposal_votes = sa.Table(
    "proposal_votes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workshop_id", sa.Integer, sa.ForeignKey("workshops.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("input_id", sa.Integer, sa.ForeignKey("workshop_inputs.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("input_id", "participant_id", name="uq_one_vote"),
    sa.Index("ix_votes_workshop", "workshop_id"),
)

join_failures = sa.Table(
    "join_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_key", sa.String(100), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_failures_key_time", "client_key", "at"),
)

# The tables a dataset consists of, in the order they are written, with the columns of each file.
DATASET_TABLES: dict[str, sa.Table] = {
    "innovations": innovations,
    "territories": territories,
    "essaimages": essaimages,
    "partners": partners,
    "partner_roles": partner_roles,
    "indicators": indicators,
    "indicator_values": indicator_values,
    "verbatims": verbatims,
}


def dataset_columns(table: sa.Table) -> list[str]:
    """The columns a dataset file carries for `table` (no surrogate id, no dataset id)."""
    return [c.name for c in table.columns if c.name not in ("id", "dataset_id")]


# The partners' tables share this metadata (declared in their own module).
from essaim.data import (
    schema_days,  # noqa: F401
    schema_partners,  # noqa: F401
)
