"""Settings: one declared list, each documented in the README, read consistently."""

from pathlib import Path

from essaim.settings import SETTINGS, read_setting, resolve_database_url

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text, setting.name


def test_blank_values_fall_back_to_the_default():
    assert read_setting("DATABASE_URL", {"DATABASE_URL": "   "}) == ""


def test_default_store_is_a_local_sqlite_file():
    assert resolve_database_url({}).startswith("sqlite:///")
    assert resolve_database_url({"ESSAIM_SQLITE_PATH": "/x/y.sqlite"}) == "sqlite:////x/y.sqlite"


def test_postgres_urls_use_psycopg3():
    assert resolve_database_url({"DATABASE_URL": "postgres://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert resolve_database_url({"DATABASE_URL": "postgresql://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert resolve_database_url({"DATABASE_URL": "postgresql+psycopg://u@h/db"}) == \
        "postgresql+psycopg://u@h/db"
