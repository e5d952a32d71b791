"""The phone page in Chromium: its size and time to interactive on a slow network, and how
soon an idle phone's « Connexion perdue » goes once the server is back after a restart."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench._room_targets import create_session

# Chrome DevTools' "Slow 4G" preset: 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up; and a
# phone's slower processor (CPU × 4).
SLOW_4G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.44e6 / 8,
           "uploadThroughput": 675e3 / 8}
CPU_SLOWDOWN = 4
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "fr-FR"}


def measure_phone_page(browser, url: str, database_url: str, runs: int = 3) -> list:
    """Transfer size and time to interactive of the phone page on "slow 4G" with a 4× slower
    processor, from a cold browser (no cache, no connection), median of `runs`."""
    code, _ = create_session(database_url, "Page lente")
    sizes, interactive, joined = [], [], []
    for _ in range(runs):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        received: list[int] = []
        cdp.on("Network.loadingFinished",
               lambda event, received=received: received.append(event["encodedDataLength"]))
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(f"{url}/participer?seance={code}", wait_until="commit")
        page.wait_for_function("() => window.essaimPret && window.essaimRejoint", timeout=60_000)
        interactive.append(page.evaluate("window.essaimPret") / 1000)
        joined.append(page.evaluate("window.essaimRejoint") / 1000)
        sizes.append(sum(received))
        context.close()
    return [f"{statistics.median(sizes) / 1000:.1f} Ko".replace(".", ","),
            f"{statistics.median(interactive):.2f} s".replace(".", ","),
            f"{statistics.median(joined):.2f} s".replace(".", ","), "≤ 300 Ko, ≤ 3 s"]


def measure_restart(browser, runs: int = 3) -> list[float]:
    """Seconds from a restarted server answering its health check to an idle phone (joined,
    tapping nothing) no longer showing « Connexion perdue »."""
    import os

    from deploy.cluster import free_port, start_app, wait_until_healthy
    from essaim.data import store

    folder = Path(tempfile.mkdtemp())
    path = folder / "essaim.sqlite"
    store.open_store(f"sqlite:///{path}").dispose()
    code, _ = create_session(f"sqlite:///{path}", "Redémarrage")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ESSAIM_SQLITE_PATH": str(path)}
    env.pop("DATABASE_URL", None)
    process = start_app(port, env, folder / "server.log")
    wait_until_healthy(url, [process])
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{url}/participer?seance={code}")
    page.wait_for_function("() => window.essaimRejoint", timeout=60_000)
    cleared = []
    try:
        for run in range(runs):
            process.terminate()
            process.wait(timeout=15)
            page.locator("#reseau").wait_for(state="visible", timeout=30_000)
            process = start_app(port, env, folder / f"server{run}.log")
            wait_until_healthy(url, [process])
            back = time.monotonic()
            page.locator("#reseau").wait_for(state="hidden", timeout=60_000)
            cleared.append(time.monotonic() - back)
    finally:
        process.terminate()
        process.wait(timeout=15)
        context.close()
    return cleared
