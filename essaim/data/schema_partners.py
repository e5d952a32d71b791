"""Tables of the partners' own space: private links, declared values, disagreement threads and
their messages, and the agreed versions of indicator definitions.

They live beside the datasets, keyed by codes: a partner's declaration or an agreement outlives
the import of a new dataset (see essaim.data.partner_data for how they join the active dataset).
"""

from __future__ import annotations

import sqlalchemy as sa

from essaim.data.schema import metadata

partner_links = sa.Table(
    "partner_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # SHA-256 of a 32-byte random token: enough entropy that a fast hash is safe, and it allows
    # a lookup by hash. The token itself is shown once, at creation.
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("partner_code", sa.String(80), nullable=False, index=True),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("last_used_at", sa.DateTime(timezone=True)),
)

declarations = sa.Table(
    "declarations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("indicator_code", sa.String(80), nullable=False),
    sa.Column("territory_code", sa.String(80), nullable=False),
    sa.Column("essaimage_code", sa.String(80)),
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("partner_code", sa.String(80), nullable=False),
    sa.Column("source", sa.String(300), nullable=False),
    sa.Column("link_id", sa.Integer, sa.ForeignKey("partner_links.id")),  # None: by ANSA
    sa.Column("declared_by", sa.String(100), nullable=False),
    sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
    # Set when the same partner declares the same cell again: the history keeps every value.
    sa.Column("replaced_at", sa.DateTime(timezone=True)),
    sa.Column("note", sa.String(300), nullable=False, server_default=""),
    # How it came: « formulaire », « modèle » (a filled template), « restauration », « retrait ».
    sa.Column("channel", sa.String(20), nullable=False, server_default="formulaire"),
    # Set when the partner withdraws it: the cell no longer has a report of this partner.
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    sa.Column("unusual_confirmed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_declarations_cell", "indicator_code", "territory_code", "period"),
)

disagreement_threads = sa.Table(
    "disagreement_threads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("indicator_code", sa.String(80), nullable=False),
    sa.Column("territory_code", sa.String(80), nullable=False),
    sa.Column("essaimage_code", sa.String(80), nullable=False, server_default=""),  # "": territory
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(12), nullable=False, server_default="open"),
    sa.Column("resolved_value", sa.Float),
    sa.Column("resolution_kind", sa.String(12)),  # "accord" (partners) or "arbitrage" (ANSA)
    sa.Column("resolved_by", sa.String(300), nullable=False, server_default=""),
    sa.Column("resolved_at", sa.DateTime(timezone=True)),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    # A settled figure called into question by a new declaration, or an arbitration ANSA
    # reopened: the settled value keeps counting until the thread is settled again; agreements
    # given before this moment no longer count.
    sa.Column("reopened_at", sa.DateTime(timezone=True)),
    sa.Column("reopened_by", sa.String(300), nullable=False, server_default=""),
    sa.UniqueConstraint("indicator_code", "territory_code", "essaimage_code", "period",
                        name="uq_thread_cell"),
)

thread_messages = sa.Table(
    "thread_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("thread_id", sa.Integer,
              sa.ForeignKey("disagreement_threads.id", ondelete="CASCADE"), nullable=False),
    sa.Column("partner_code", sa.String(80)),  # None: ANSA
    sa.Column("author", sa.String(100), nullable=False),
    # definition, comment, proposal (a value), definition_proposal, agreement, system
    sa.Column("kind", sa.String(24), nullable=False),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    sa.Column("value", sa.Float),
    sa.Column("proposal_id", sa.Integer),  # for an agreement: the proposal agreed to
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_thread_messages_thread", "thread_id"),
)

definition_versions = sa.Table(
    "definition_versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("indicator_code", sa.String(80), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("definition", sa.Text, nullable=False),
    sa.Column("thread_id", sa.Integer, sa.ForeignKey("disagreement_threads.id")),
    sa.Column("agreed_by", sa.String(300), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # « locale »: agreed by the partners of one essaimage (essaimage_code), for that figure
    # only, and proposed to ANSA; « nationale »: the indicator's definition, set by ANSA.
    sa.Column("essaimage_code", sa.String(80)),
    sa.Column("status", sa.String(12), nullable=False, server_default="nationale"),
    sa.UniqueConstraint("indicator_code", "version", name="uq_definition_version"),
)
