"""Alembic migrations of Essaim's store (run at start by essaim.data.store.open_store)."""
