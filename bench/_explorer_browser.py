"""What the explorer's benches share: a real server over the bench's store, the system Chromium,
waiting for Streamlit to finish a run, and the machine's load printed beside every figure."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for the line that says how busy the machine was."""
    one, five, fifteen = os.getloadavg()
    return f"charge de la machine (1, 5, 15 min) : {one:.2f} ; {five:.2f} ; {fifteen:.2f} sur {os.cpu_count()} cœurs"


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def served(log_name: str):
    """A Streamlit server over the store use_fresh_store chose (ESSAIM_SQLITE_PATH), stopped at
    the end; yields (url, seconds from launch to healthy)."""
    from tests.conftest import start_streamlit, stop_streamlit

    start = time.perf_counter()
    process, url = start_streamlit(Path(os.environ["ESSAIM_SQLITE_PATH"]),
                                   Path(f"/tmp/{log_name}.log"))
    try:
        yield url, time.perf_counter() - start
    finally:
        stop_streamlit(process)


@contextlib.contextmanager
def chromium_page(width: int = 1440, height: int = 900):
    """A page of the system Chromium (headless), French locale."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height}, locale="fr-FR")
        finally:
            browser.close()


def wait_idle(page, timeout: float = 60_000) -> None:
    """Until Streamlit has finished the script run the last action started."""
    page.wait_for_selector(IDLE, timeout=timeout)


def timed(action, done) -> float:
    """Seconds from `action()` to `done()` returning."""
    start = time.perf_counter()
    action()
    done()
    return time.perf_counter() - start
