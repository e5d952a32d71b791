"""Settings: one declared list, checked against the README (as datasette checks its documented
settings), read consistently. (Pages: tests/test_architecture.py.)"""

from pathlib import Path

from essaim.settings import SETTINGS, read_setting, resolve_database_url

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_table(heading: str) -> list[list[str]]:
    """The rows (cells stripped) of the first Markdown table after `heading` in the README."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows:
            break
    return rows[2:]  # without the heading row and the separator


def test_the_readme_settings_table_is_exactly_the_declared_settings():
    documented = [row[0].strip("`") for row in readme_table("## Configuration")]
    assert documented == [setting.name for setting in SETTINGS]


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
