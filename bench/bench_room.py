"""A room of phones: hundreds of participants join a live workshop within seconds, each saving
its 100 points, a rating and a proposal, while a real Chromium projects the session.

The phones are simulated by bench/_phones.py, a separate process that talks to the server the
way phones do (the phone page, then its JSON API over HTTP/1.1 on 127.0.0.1, with a long poll
held open). Printed per scenario: save and join latency (p50, p95), inputs lost, errors, the
server's CPU per phone action (from /proc of the server processes, over the whole run: page
loads, long polls and the projection's reruns included), and how long after the last
acknowledgement the projected screen shows every participant, split and proposal. Then the phone
page's transfer size and time to interactive on a throttled "slow 4G" Chromium.

Usage:
  python -m bench.bench_room                  # SQLite and PostgreSQL, 100 phones in 10 s then 300 in 30 s
  python -m bench.bench_room --processes 2    # PostgreSQL behind HAProxy: 1 process, then 2
  python -m bench.bench_room --small          # 30 phones in 5 s on SQLite (what the tests run)
  python -m bench.bench_room --processes 2 --debit-seul   # only the throughput, 1 then 2 processes
Options: --bases sqlite,postgresql  --jeu demo|second  --no-4g  --capture DOSSIER
PostgreSQL: ESSAIM_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench._common import (
    ROOT,
    add_dataset_option,
    drop_postgres_schema,
    new_postgres_schema_url,
    print_table,
    use_fresh_store,
)

PHONES_SCRIPT = Path(__file__).resolve().parent / "_phones.py"
ACTIONS_PER_PHONE = 4  # join (page included), save, rating, proposal
PROJECTION_TIMEOUT = 60
# Chrome DevTools' "Slow 4G" preset: 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up; and a
# phone's slower processor (CPU × 4).
SLOW_4G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.44e6 / 8,
           "uploadThroughput": 675e3 / 8}
CPU_SLOWDOWN = 4
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds used so far by these processes (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))] if ordered else float("nan")


@dataclass
class Target:
    """A running Essaim: where phones go, which processes to watch, which store it uses."""
    label: str
    url: str
    database_url: str
    pids: list[int]
    stop: callable
    balancer_pid: int | None = None


@dataclass
class Outcome:
    phones: int
    arrival: float
    target: str
    joins: list[float] = field(default_factory=list)
    saves: list[float] = field(default_factory=list)
    others: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lost: int = 0
    unconfirmed: int = 0
    cpu: float = 0.0
    balancer_cpu: float = 0.0
    screen_lag: float | None = None
    screen_counts: dict = field(default_factory=dict)
    load: str = ""

    def row(self) -> list:
        fmt = lambda v: f"{v:.2f} s".replace(".", ",")
        lag = "n.d." if self.screen_lag is None else fmt(self.screen_lag)
        per_action = 1000 * self.cpu / max(1, self.phones * ACTIONS_PER_PHONE)
        return [self.target, f"{self.phones} en {self.arrival:g} s", fmt(statistics.median(self.saves)),
                fmt(percentile(self.saves, 0.95)), fmt(statistics.median(self.joins)),
                fmt(percentile(self.joins, 0.95)), self.lost, self.unconfirmed, len(self.errors),
                f"{self.cpu:.1f} s".replace(".", ","), f"{per_action:.1f} ms".replace(".", ","),
                lag, self.load]


HEADERS = ["serveur", "téléphones", "enreg. p50", "enreg. p95", "arrivée p50", "arrivée p95",
           "perdues", "non confirmées", "erreurs", "CPU serveur", "CPU / action",
           "écran à jour après", "charge machine"]


# --- servers ------------------------------------------------------------------------------------

def seed(database_url: str, dataset: str) -> None:
    """Fill the store with the dataset before the server starts."""
    if dataset == "second":
        from tests.second_dataset import import_second_dataset

        import_second_dataset(database_url, Path(tempfile.mkdtemp()) / "fichiers")
    else:
        from essaim.data import store

        store.open_store(database_url).dispose()


def start_single(database_url: str, label: str) -> Target:
    """One `streamlit run app.py` process, reached directly."""
    from tests.conftest import start_streamlit, stop_streamlit

    log = Path(tempfile.mkdtemp()) / "server.log"
    if database_url.startswith("sqlite"):
        process, url = start_streamlit(Path(database_url.removeprefix("sqlite:///")), log)
    else:
        process, url = start_streamlit(None, log, database_url=database_url)
    return Target(label, url, database_url, [process.pid], lambda: stop_streamlit(process))


def start_balanced(database_url: str, processes: int) -> Target:
    """`processes` app processes behind HAProxy (deploy/haproxy.cfg)."""
    from deploy.cluster import start_cluster

    cluster = start_cluster(database_url, processes, Path(tempfile.mkdtemp()))
    return Target(f"postgresql, {processes} processus derrière HAProxy", cluster.url,
                  database_url, cluster.pids(), cluster.stop, cluster.balancer.pid)


# --- one scenario ---------------------------------------------------------------------------------

def create_session(database_url: str, title: str) -> str:
    from essaim import workshops
    from essaim.data import store
    from essaim.workshops.grid import default_grid

    engine = store.open_store(database_url)
    dataset = store.read_dataset(engine)
    created = workshops.create_workshop(engine, title=title, kind="atelier",
                                        grid=default_grid(dataset.indicators))
    engine.dispose()
    return created.code


_METRICS_JS = """() => Object.fromEntries([...document.querySelectorAll('[data-testid=stMetric]')]
  .map(m => [m.querySelector('[data-testid=stMetricLabel]').innerText.trim(),
             m.querySelector('[data-testid=stMetricValue]').innerText.replace(/\\s/g, '')]))"""


def open_projection(browser, url: str, code: str):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page.goto(f"{url}/projection?seance={code}")
    page.wait_for_function(f"({_METRICS_JS})()['Participants'] === '0'", timeout=60_000)
    return page


def verify(database_url: str, code: str, records: list[dict]) -> tuple[int, int]:
    """(acknowledged inputs missing from the store, inputs never acknowledged)."""
    from essaim import workshops

    engine = sa.create_engine(database_url)
    inputs = workshops.read_inputs(engine, code)
    with engine.connect() as conn:
        tokens = dict(conn.execute(sa.text(
            "SELECT p.token, p.id FROM participants p JOIN workshops w ON w.id = p.workshop_id "
            "WHERE w.code = :code"), {"code": code}).all())
    engine.dispose()
    by_participant = {}
    for row in inputs.itertuples():
        by_participant.setdefault(row.participant_id, []).append(row)
    lost = unconfirmed = 0
    for record in records:
        acked = record["acked"]
        unconfirmed += sum(1 for name in ("join", "save", "rating", "proposal") if name not in acked)
        mine = by_participant.get(tokens.get(record["token"]), [])
        stored = {
            "join": record["token"] in tokens,
            "save": any(r.kind == "weights" and r.payload == {k: float(v) for k, v in
                                                              record.get("points", {}).items()}
                        for r in mine),
            "rating": any(r.kind == "rating" and [r.slot, r.payload["rating"]] == record.get("rating")
                          for r in mine),
            "proposal": any(r.slot == record.get("proposal") for r in mine),
        }
        lost += sum(1 for name in acked if name in stored and not stored[name])
    return lost, unconfirmed


def run_scenario(target: Target, phones: int, arrival: float, browser=None,
                 think: tuple[float, float] = (0.5, 2.0), capture: Path | None = None) -> Outcome:
    """Phones arriving over `arrival` seconds against `target`; the projection watched in
    `browser` (a Playwright Chromium) if given."""
    code = create_session(target.database_url, f"Salle de {phones} téléphones")
    projection = open_projection(browser, target.url, code) if browser else None
    outcome = Outcome(phones, arrival, target.label)
    out = Path(tempfile.mkdtemp()) / "phones.json"
    cpu_before = cpu_seconds(target.pids)
    balancer_before = cpu_seconds([target.balancer_pid]) if target.balancer_pid else 0.0
    process = subprocess.Popen([sys.executable, str(PHONES_SCRIPT), target.url, code,
                                "--phones", str(phones), "--arrival", str(arrival),
                                "--think", str(think[0]), str(think[1]), "--out", str(out)],
                               cwd=ROOT)
    expected = {"Participants": str(phones), "Répartitions reçues": str(phones),
                "Propositions": str(phones)}
    seen_at: dict[str, float] = {}
    deadline = None
    while True:
        if projection is not None:
            shown = projection.evaluate(_METRICS_JS)
            for label, value in expected.items():
                if shown.get(label) == value and label not in seen_at:
                    seen_at[label] = time.time()
            outcome.screen_counts = shown
        if process.poll() is not None:
            deadline = deadline or time.monotonic() + PROJECTION_TIMEOUT
            if projection is None or len(seen_at) == len(expected) or time.monotonic() > deadline:
                break
        time.sleep(0.05)
    outcome.cpu = cpu_seconds(target.pids) - cpu_before
    if target.balancer_pid:
        outcome.balancer_cpu = cpu_seconds([target.balancer_pid]) - balancer_before
    outcome.load = load_average()
    result = json.loads(out.read_text())
    records = result["phones"]
    for record in records:
        timings = record["timings"]
        outcome.joins += [timings["join"]] if "join" in timings else []
        outcome.saves += [timings["save"]] if "save" in timings else []
        outcome.others += [timings[k] for k in ("rating", "proposal") if k in timings]
        outcome.errors += record["errors"]
    last_ack = max((t for r in records for t in r["acked"].values()), default=None)
    if last_ack and len(seen_at) == len(expected):
        outcome.screen_lag = max(0.0, max(seen_at.values()) - last_ack)
    outcome.lost, outcome.unconfirmed = verify(target.database_url, code, records)
    if projection is not None:
        if capture:
            projection.screenshot(path=str(capture / f"projection_{phones}.png"), full_page=True)
        projection.close()
    return outcome


def machine_busy_seconds() -> tuple[float, float]:
    """(busy CPU seconds of the whole machine, wall seconds) so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / ticks, time.monotonic()


def processes_cpu(name: str) -> dict[int, float]:
    """CPU seconds so far of every process called `name` (PostgreSQL's backends, say)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found[int(entry.name)] = cpu_seconds([int(entry.name)])
            except OSError:
                continue
    return found


def run_burst(target: Target, phones: int = 40, seconds: float = 10.0) -> list:
    """Saves per second with `phones` saving back to back for `seconds`; the CPU of the server,
    of the simulated phones, and of the whole machine (2 cores: what is left for a second
    process is what the phones, HAProxy, PostgreSQL and the other users of the machine leave)."""
    import resource

    code = create_session(target.database_url, "Débit")
    out = Path(tempfile.mkdtemp()) / "burst.json"
    cpu_before = cpu_seconds(target.pids)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    postgres_before = processes_cpu("postgres")
    busy_before, wall_before = machine_busy_seconds()
    subprocess.run([sys.executable, str(PHONES_SCRIPT), target.url, code, "--phones",
                    str(phones), "--rafale", str(seconds), "--out", str(out)], cwd=ROOT, check=True)
    busy, wall = machine_busy_seconds()
    postgres = sum(c - postgres_before.get(pid, 0.0) for pid, c in processes_cpu("postgres").items())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    cpu = cpu_seconds(target.pids) - cpu_before
    saves = sum(r.get("saves", 0) for r in json.loads(out.read_text())["phones"])
    elapsed = wall - wall_before
    return [f"{saves / seconds:.0f}", f"{1000 * cpu / max(saves, 1):.1f} ms".replace(".", ","),
            f"{100 * cpu / elapsed:.0f} %", f"{100 * client / elapsed:.0f} %",
            f"{100 * postgres / elapsed:.0f} %",
            f"{100 * (busy - busy_before) / elapsed / os.cpu_count():.0f} %"]


# --- the phone page on a slow network ---------------------------------------------------------------

def measure_phone_page(browser, url: str, database_url: str, runs: int = 3) -> list:
    """Transfer size and time to interactive of the phone page on "slow 4G" with a 4× slower
    processor, from a cold browser (no cache, no connection), median of `runs`."""
    code = create_session(database_url, "Page lente")
    sizes, interactive, joined = [], [], []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                      has_touch=True, locale="fr-FR")
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


# --- main ------------------------------------------------------------------------------------------

def launch_browser(playwright):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return None
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


def run_single_process(bases: list[str], scenarios, dataset: str, slow_4g: bool,
                       capture: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    rows, page_rows = [], []
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        for base in bases:
            if base == "sqlite":
                url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'salle.sqlite'}"
            else:
                url = new_postgres_schema_url()
                if url is None:
                    rows.append(["postgresql", "injoignable"] + ["n.d."] * (len(HEADERS) - 2))
                    continue
            seed(url, dataset)
            target = start_single(url, f"{base}, 1 processus")
            try:
                for phones, arrival in scenarios:
                    outcome = run_scenario(target, phones, arrival, browser, capture=capture)
                    rows.append(outcome.row())
                    for error in outcome.errors[:5]:
                        print(f"  erreur ({base}, {phones}) : {error}")
                if slow_4g and browser and not page_rows:
                    page_rows.append([base, *measure_phone_page(browser, target.url, url)])
            finally:
                target.stop()
                if base == "postgresql":
                    drop_postgres_schema(url)
        if browser:
            browser.close()
    print("\nUne salle de téléphones (chaque téléphone : arrivée, 100 points, une note, une "
          "proposition ; écran projeté dans Chromium)")
    print_table(HEADERS, rows)
    print("Objectifs : enregistrement p95 ≤ 1 s, arrivée p95 ≤ 2 s, 0 perdue, 0 erreur, écran à "
          "jour ≤ 2 s, CPU ≤ 10 ms par action.")
    if page_rows:
        print("\nLa page du téléphone en « 4G lente » (562 ms de latence, 1,44 Mbit/s, "
              "processeur ×4), navigateur froid")
        print_table(["base", "transfert", "interactive après", "arrivée confirmée après",
                     "objectif"], page_rows)


def run_balanced(scenarios, dataset: str, capture: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    url = new_postgres_schema_url()
    if url is None:
        print("PostgreSQL injoignable : la mesure à plusieurs processus le demande.")
        return
    seed(url, dataset)
    rows, throughput = [], []
    try:
        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            for processes in (1, 2):
                target = start_balanced(url, processes)
                try:
                    for phones, arrival in scenarios:
                        outcome = run_scenario(target, phones, arrival, browser, capture=capture)
                        rows.append(outcome.row())
                        for error in outcome.errors[:5]:
                            print(f"  erreur ({processes} processus, {phones}) : {error}")
                    throughput.append([f"{processes} processus", *run_burst(target),
                                       load_average()])
                finally:
                    target.stop()
            if browser:
                browser.close()
    finally:
        drop_postgres_schema(url)
    if rows:
        print("\nUne salle de téléphones derrière HAProxy (PostgreSQL partagé)")
        print_table(HEADERS, rows)
    print("\nDébit : 40 téléphones enregistrent sans pause pendant 10 s")
    print_table(["serveur", "enregistrements / s", "CPU / enregistrement",
                 "CPU serveur (1 cœur = 100 %)", "CPU téléphones simulés", "CPU PostgreSQL",
                 "machine occupée (2 cœurs)", "charge machine"], throughput)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, choices=[1, 2], default=1)
    parser.add_argument("--small", action="store_true", help="30 téléphones en 5 s, SQLite")
    parser.add_argument("--bases", default="sqlite,postgresql")
    parser.add_argument("--no-4g", action="store_true", help="sans la mesure « 4G lente »")
    parser.add_argument("--debit-seul", action="store_true",
                        help="avec --processes 2 : seulement la mesure de débit")
    parser.add_argument("--capture", type=Path, help="dossier des captures de l'écran projeté")
    add_dataset_option(parser)
    args = parser.parse_args()
    use_fresh_store(args.jeu)  # prints the dataset; the servers get stores of their own
    scenarios = [(30, 5.0)] if args.small else [(100, 10.0), (300, 30.0)]
    if args.debit_seul:
        scenarios = []
    if args.capture:
        args.capture.mkdir(parents=True, exist_ok=True)
    print(f"Charge de la machine au départ (1, 5, 15 min) : {load_average()} ; "
          f"{os.cpu_count()} cœurs")
    if args.processes == 2:
        run_balanced(scenarios, args.jeu, args.capture)
    else:
        bases = ["sqlite"] if args.small else [b.strip() for b in args.bases.split(",")]
        run_single_process(bases, scenarios, args.jeu, not args.no_4g, args.capture)
    print(f"Charge de la machine à la fin : {load_average()}")


if __name__ == "__main__":
    main()
