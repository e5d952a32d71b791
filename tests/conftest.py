"""Shared fixtures: one realistic store built from the demo dataset, both databases, a server.

Like datasette's suite, the realistic fixture is built once per session and shared; tests that
write get a store of their own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent

from deploy.cluster import free_port, wait_until_healthy
from essaim.data import store
from tests.component_scan import share_component_scan


def pytest_configure(config):
    share_component_scan()  # half a second less per AppTest (tests/component_scan.py)


def demo_grid():
    """The default grid the demo dataset's indicators declare (for tests that need a grid)."""
    import pandas as pd

    from essaim.data.demo import read_demo_tables
    from essaim.workshops.grid import default_grid

    return default_grid(pd.DataFrame(read_demo_tables()["indicators"]))

POSTGRES_URL = os.environ.get(
    "ESSAIM_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("ESSAIM_REQUIRE_POSTGRES", "").lower() in ("1", "true", "oui")


def _postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    available = _postgres_reachable()
    if not available and REQUIRE_POSTGRES:
        pytest.fail(f"PostgreSQL est exigé (ESSAIM_REQUIRE_POSTGRES) mais injoignable : {POSTGRES_URL}")
    return available


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A URL to an empty store, on SQLite and on PostgreSQL (a schema of its own, dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'essaim.sqlite'}"
    else:
        yield request.getfixturevalue("postgres_store_url")


@pytest.fixture
def postgres_store_url(postgres_available):
    """A URL to an empty PostgreSQL store: a schema of its own, dropped after the test."""
    if not postgres_available:
        pytest.skip(f"PostgreSQL injoignable à {POSTGRES_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_demo_template(postgres_available):
    """A PostgreSQL database holding the migrated demo store, built once: tests clone it (CREATE
    DATABASE … TEMPLATE copies files, much faster than migrating and seeding again)."""
    if not postgres_available:
        yield None
        return
    name = f"essaim_modele_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = sa.engine.make_url(POSTGRES_URL).set(database=name)
    store.open_store(url.render_as_string(hide_password=False)).dispose()
    yield name
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture
def postgres_demo_store_url(postgres_demo_template):
    """A URL to a private PostgreSQL database holding the demo store (a clone of the template,
    dropped after the test)."""
    if postgres_demo_template is None:
        pytest.skip(f"PostgreSQL injoignable à {POSTGRES_URL}")
    name = f"essaim_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {postgres_demo_template}")
    yield sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_store_url(request, tmp_path, demo_db_path):
    """A URL to a private store already holding the demo dataset, on SQLite (a copy of the shared
    file) and on PostgreSQL (a clone of the template database)."""
    if request.param == "sqlite":
        return f"sqlite:///{_read_only_copy(demo_db_path, tmp_path)}"
    return request.getfixturevalue("postgres_demo_store_url")


def store_contents(path: Path) -> dict[str, int]:
    """Rows per table and the highest id of each table that has one: what any write changes."""
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            contents = {}
            for table in sa.inspect(conn).get_table_names():
                contents[table] = conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar()
            return contents
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory) -> Path:
    """A SQLite store filled with the demo dataset, built once for the session and shared:
    read-only by contract (tests that write use `writable_app_env` or a store of their own). The
    session fails at the end if anything wrote into it."""
    path = tmp_path_factory.mktemp("store") / "essaim.sqlite"
    store.open_store(f"sqlite:///{path}").dispose()
    before = store_contents(path)
    yield path
    after = store_contents(path)
    assert after == before, f"Le magasin de démonstration partagé a été modifié : {before} → {after}"


@pytest.fixture(scope="session")
def dataset(demo_db_path):
    """The demo dataset as the app sees it (shared, read-only)."""
    engine = store.open_store(f"sqlite:///{demo_db_path}")
    try:
        return store.read_dataset(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def second_db_path(tmp_path_factory) -> Path:
    """A SQLite store holding only the second dataset, built once for the session."""
    directory = tmp_path_factory.mktemp("second")
    path = directory / "essaim.sqlite"
    from tests.second_dataset import import_second_dataset

    import_second_dataset(f"sqlite:///{path}", directory / "files")
    return path


@pytest.fixture(scope="session")
def second_dataset(second_db_path):
    """The second dataset as the app sees it (shared, read-only)."""
    engine = store.open_store(f"sqlite:///{second_db_path}")
    try:
        return store.read_dataset(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["demo", "second"])
def any_dataset(request):
    """Each of the two datasets, for tests that must hold on any data."""
    return request.getfixturevalue("dataset" if request.param == "demo" else "second_dataset")


def _read_only_copy(path: Path, tmp_path: Path) -> Path:
    """A private copy of a shared store, so that a test run cannot write into the shared one."""
    copy = tmp_path / path.name
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            shutil.copy(source, copy.with_name(copy.name + suffix))
    return copy


@pytest.fixture
def app_env(monkeypatch, demo_db_path):
    """Environment for AppTest: the shared demo store (read-only use), no DATABASE_URL."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ESSAIM_SQLITE_PATH", str(demo_db_path))
    return demo_db_path


@pytest.fixture(params=["demo", "second"])
def any_app_env(request, monkeypatch):
    """Environment for AppTest over each of the two datasets (shared stores, read-only use)."""
    path = request.getfixturevalue("demo_db_path" if request.param == "demo" else "second_db_path")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ESSAIM_SQLITE_PATH", str(path))
    return request.param


@pytest.fixture
def writable_app_env(monkeypatch, demo_db_path, tmp_path):
    """Environment for AppTest that writes (workshops, imports): a private copy of the demo."""
    path = _read_only_copy(demo_db_path, tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ESSAIM_SQLITE_PATH", str(path))
    return path


# --- browser -------------------------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def start_streamlit(db_path: Path | None, log_path: Path, database_url: str | None = None,
                    extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app.py` on a free port with the given SQLite store (or DATABASE_URL);
    wait until healthy."""
    port = free_port()
    env = {**os.environ, **(extra_env or {})}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["ESSAIM_SQLITE_PATH"] = str(db_path)
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, [process], timeout=60)
    except Exception:
        process.kill()
        raise
    return process, url


def stop_streamlit(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("Chromium absent de cette machine (apt-get install -y chromium) : tests "
                    "navigateur ignorés.")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def server(demo_db_path, tmp_path_factory, chromium_path):
    """A Streamlit server on a free port over the shared demo store."""
    process, url = start_streamlit(demo_db_path, tmp_path_factory.mktemp("logs") / "server.log")
    yield url
    stop_streamlit(process)


@dataclass(frozen=True)
class Server:
    url: str
    store_path: Path


@pytest.fixture
def writable_server(demo_db_path, tmp_path, chromium_path) -> Server:
    """A server of its own over a private copy of the demo store, for tests that write."""
    path = _read_only_copy(demo_db_path, tmp_path)
    process, url = start_streamlit(path, tmp_path / "server.log")
    yield Server(url, path)
    stop_streamlit(process)


@pytest.fixture(scope="session")
def second_server(second_db_path, tmp_path_factory, chromium_path):
    """A Streamlit server over the second dataset (unlike the demo)."""
    process, url = start_streamlit(second_db_path,
                                   tmp_path_factory.mktemp("logs") / "second_server.log")
    yield url
    stop_streamlit(process)


@pytest.fixture(params=["demo", "second"])
def any_server(request):
    """Each of the two servers: the demo and the second dataset."""
    return request.getfixturevalue("server" if request.param == "demo" else "second_server")


class PageWatch:
    """A page that records requests leaving 127.0.0.1, page errors and dialogs."""

    def __init__(self, page):
        self.page = page
        self.external: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", self._on_request)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._on_dialog)

    def _on_request(self, request):
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        host = url.split("/")[2].split(":")[0] if "://" in url else ""
        if host not in ("127.0.0.1", "localhost"):
            self.external.append(url)

    def _on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str, timeout: float = 60_000):
        """Go to `url` and wait until the script has finished running."""
        self.page.goto(url)
        self.wait_idle(timeout)

    def wait_idle(self, timeout: float = 60_000):
        self.page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout
        )


@pytest.fixture
def watched_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    yield PageWatch(context.new_page())
    context.close()


# --- tiers ---------------------------------------------------------------------------------
# The fast tier (`python -m pytest -m "not browser and not server and not slow"`) is the
# developer's loop: unit tests and AppTest, on SQLite, the documents made from the demo. CI runs
# everything (PostgreSQL and the second dataset's documents included).

BROWSER_FIXTURES = {"chromium_path", "browser", "watched_page"}
SERVER_FIXTURES = {"server", "second_server", "writable_server", "any_server"}
SLOW_TESTS = {
    # Statistical simulations: hundreds of panels each.
    "test_interval_covers_a_null_effect_at_its_nominal_rate",
    # AppTests that lay out a whole demo document from the page (10 to 15 s each): the fast tier
    # checks the same documents directly (test_restitution) and the page's button on the
    # second dataset.
    "test_an_unlocked_session_prepares_its_documents",
    "test_restitution_builds_both_documents_named_after_their_scope[demo]",
}


def pytest_collection_modifyitems(items):
    """Mark each test with its tier from what it uses (browser, separate server processes) or,
    for simulations, by name: nobody has to remember to mark a new browser test."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & SERVER_FIXTURES or item.module.__name__.endswith("test_room_bench"):
            item.add_marker(pytest.mark.server)
        if {item.originalname, item.name} & SLOW_TESTS or _collected_again(item) or _on_postgresql(item):
            item.add_marker(pytest.mark.slow)


POSTGRES_FIXTURES = {"postgres_available", "postgres_store_url", "postgres_demo_template",
                     "postgres_demo_store_url"}


def _on_postgresql(item) -> bool:
    """A test run against the PostgreSQL server (its variant of a store test, or a test that
    needs it): the full tier runs it; the fast tier runs the same test on SQLite."""
    callspec = getattr(item, "callspec", None)
    return bool(set(getattr(item, "fixturenames", ())) & POSTGRES_FIXTURES) or (
        callspec is not None and "postgresql" in callspec.params.values())


def _collected_again(item) -> bool:
    """A check imported by another module to run on that module's fixtures (the generic document
    checks on the national day's documents): the full tier runs it; the fast tier keeps the
    module's own checks."""
    function = getattr(item, "function", None)
    return function is not None and function.__module__ != item.module.__name__


FAST_TIER_DURATIONS: dict[str, float] = {}
SLOW_TIER_MARKERS = ("browser", "server", "slow")


def pytest_runtest_logreport(report):
    """Add up the time of the fast tier's tests (setup, call and teardown) as they run."""
    if not any(marker in report.keywords for marker in SLOW_TIER_MARKERS):
        FAST_TIER_DURATIONS[report.nodeid] = FAST_TIER_DURATIONS.get(report.nodeid, 0.0) \
            + report.duration


def pytest_terminal_summary(terminalreporter):
    """Say how long the fast tier takes, so CI prints it with every run of the full suite."""
    if FAST_TIER_DURATIONS:
        total = sum(FAST_TIER_DURATIONS.values())
        terminalreporter.write_line(
            f"Palier rapide (-m \"not browser and not server and not slow\") : "
            f"{len(FAST_TIER_DURATIONS)} tests, {total:.0f} s de tests dans cette exécution.")
