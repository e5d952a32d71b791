"""The data and where it lives: the accelerator's vocabulary, the dataset in memory, the store
(SQLAlchemy tables, Alembic migrations), the demo generator and the public reference files."""
