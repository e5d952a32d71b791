"""Alembic migrations of Essaim's store (run at start by essaim.store.open_store)."""
