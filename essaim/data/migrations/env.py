"""Alembic environment: migrations run on the connection essaim.data.store hands over (inside its
transaction and lock), or, from the command line, on the store named by DATABASE_URL."""

from __future__ import annotations

from alembic import context

from essaim.data.schema import metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from essaim.data.store import create_store_engine
    from essaim.settings import resolve_database_url

    engine = create_store_engine(context.config.get_main_option("sqlalchemy.url")
                                 or resolve_database_url())
    with engine.begin() as connection:
        _run(connection)


run_migrations()
