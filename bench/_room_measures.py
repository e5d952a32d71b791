"""One room measured: the simulated phones (bench/_phones.py, a separate process) against a
target, the projected screen watched in Chromium, what was lost, the server's CPU per request;
then, with every phone still connected, probes of the screen: how long a tap takes to reach it,
and a hidden proposal to leave it."""

from __future__ import annotations

import json
import math
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench._common import ROOT
from bench._room_targets import Target, cpu_seconds, create_day, create_session, load_average

PHONES_SCRIPT = Path(__file__).resolve().parent / "_phones.py"
PROJECTION_TIMEOUT = 60
ACTIONS = ("page", "join", "arrival", "save", "rating", "proposal")
ACTION_NAMES = {"page": "page", "join": "arrivée (API)", "arrival": "page + arrivée",
                "save": "100 points", "rating": "note", "proposal": "proposition"}
TAP_PROBES = 15
HIDE_PROBES = 5

METRICS_JS = """() => Object.fromEntries([...document.querySelectorAll('[data-testid=stMetric]')]
  .map(m => [m.querySelector('[data-testid=stMetricLabel]').innerText.trim(),
             m.querySelector('[data-testid=stMetricValue]').innerText.replace(/\\s/g, '')]))"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return (ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]
            if ordered else float("nan"))


def seconds(value: float) -> str:
    return "n.d." if math.isnan(value) else f"{value:.2f} s".replace(".", ",")


@dataclass
class Outcome:
    phones: int
    arrival: float
    target: str
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    lost: int = 0
    unconfirmed: int = 0
    cpu: float = 0.0
    screen_lag: float | None = None
    screen_counts: dict = field(default_factory=dict)
    taps_to_screen: list[float] = field(default_factory=list)
    hidden_to_screen: list[float] = field(default_factory=list)
    load: str = ""

    def stats(self, action: str) -> str:
        values = self.timings.get(action, [])
        if not values:
            return "n.d."
        return " / ".join(seconds(v) for v in (statistics.median(values),
                                                percentile(values, 0.95), max(values)))

    @property
    def cpu_per_request(self) -> float:
        return 1000 * self.cpu / max(1, self.requests)


def run_phones(target: Target, phones: int, arrival: float, think: tuple[float, float],
               code: str = "", day: str = "", hold: float = 0.0, on_done=None) -> list[dict]:
    """The phones' process; `on_done()` runs once every phone has tapped (the phones stay
    connected `hold` seconds more for it)."""
    folder = Path(tempfile.mkdtemp())
    out, done = folder / "phones.json", folder / "fini"
    process = subprocess.Popen(
        [sys.executable, str(PHONES_SCRIPT), target.url, code or "-", "--phones", str(phones),
         "--arrival", str(arrival), "--think", str(think[0]), str(think[1]), "--out", str(out),
         "--tenir", str(hold), "--fini", str(done), "--journee", day], cwd=ROOT)
    probed = on_done is None
    while process.poll() is None:
        if not probed and done.exists():
            on_done()
            probed = True
        time.sleep(0.05)
    if not probed and done.exists():
        on_done()  # the process ended (no hold) between two looks: the screen is read all the same
    return json.loads(out.read_text())["phones"]


def verify(database_url: str, records: list[dict]) -> tuple[int, int]:
    """(acknowledged inputs missing from the store, inputs never acknowledged)."""
    from essaim import workshops

    engine = sa.create_engine(database_url)
    lost = unconfirmed = 0
    for code in sorted({r["code"] for r in records}):
        inputs = workshops.read_inputs(engine, code)
        with engine.connect() as conn:
            tokens = dict(conn.execute(sa.text(
                "SELECT p.token, p.id FROM participants p JOIN workshops w ON "
                "w.id = p.workshop_id WHERE w.code = :code"), {"code": code}).all())
        mine_of = {}
        for row in inputs.itertuples():
            mine_of.setdefault(row.participant_id, []).append(row)
        for record in (r for r in records if r["code"] == code):
            acked = record["acked"]
            unconfirmed += sum(1 for name in ("join", "save", "rating", "proposal")
                               if name not in acked)
            mine = mine_of.get(tokens.get(record["token"]), [])
            points = {k: float(v) for k, v in record.get("points", {}).items()}
            stored = {
                "join": record["token"] in tokens,
                "save": any(r.kind == "weights" and r.payload == points for r in mine),
                "rating": any(r.kind == "rating" and [r.slot, r.payload["rating"]]
                              == record.get("rating") for r in mine),
                "proposal": any(r.slot == record.get("proposal") for r in mine),
            }
            lost += sum(1 for name in acked if name in stored and not stored[name])
    engine.dispose()
    return lost, unconfirmed


def collect(outcome: Outcome, records: list[dict]) -> None:
    for record in records:
        for action in ACTIONS:
            if action in record["timings"]:
                outcome.timings.setdefault(action, []).append(record["timings"][action])
        if "session_page" in record["timings"]:
            outcome.timings.setdefault("page", []).append(record["timings"]["session_page"])
        outcome.errors += record["errors"]
        outcome.requests += record["requests"]


def open_projection(browser, url: str, code: str):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    page.goto(f"{url}/projection?seance={code}")
    page.wait_for_function(f"({METRICS_JS})()['Participants'] === '0'", timeout=60_000)
    return page


def run_room(target: Target, phones: int, arrival: float, browser=None,
             think: tuple[float, float] = (0.5, 2.0), probe: bool = False,
             capture: Path | None = None) -> Outcome:
    """Phones arriving over `arrival` seconds against `target`, the projection watched in
    `browser` if given; with `probe`, the screen probed while every phone is still connected."""
    code, secret = create_session(target.database_url, f"Salle de {phones} téléphones")
    projection = (open_projection(browser, target.url, code)
                  if browser and not target.bare else None)
    outcome = Outcome(phones, arrival, target.label)
    expected = {"Participants": str(phones), "Répartitions reçues": str(phones),
                "Propositions": str(phones)}
    seen_at: dict[str, float] = {}

    def watch_screen() -> None:
        shown = projection.evaluate(METRICS_JS)
        for label, value in expected.items():
            if shown.get(label) == value and label not in seen_at:
                seen_at[label] = time.time()
        outcome.screen_counts = shown

    def when_all_tapped() -> None:
        if projection is None:
            return
        deadline = time.monotonic() + PROJECTION_TIMEOUT
        while len(seen_at) < len(expected) and time.monotonic() < deadline:
            watch_screen()
            time.sleep(0.02)
        if probe:
            probe_screen(target, code, secret, projection, outcome)

    cpu_before = cpu_seconds(target.pids)
    records = run_phones(target, phones, arrival, (think[0], think[1]), code=code,
                         hold=90.0 if probe else 0.0, on_done=when_all_tapped)
    outcome.cpu = cpu_seconds(target.pids) - cpu_before
    outcome.load = load_average()
    collect(outcome, records)
    last_ack = max((t for r in records for t in r["acked"].values()), default=None)
    if last_ack and len(seen_at) == len(expected):
        outcome.screen_lag = max(0.0, max(seen_at.values()) - last_ack)
    if not target.bare:
        outcome.lost, outcome.unconfirmed = verify(target.database_url, records)
    if projection is not None:
        if capture:
            projection.screenshot(path=str(capture / f"projection_{phones}.png"), full_page=True)
        projection.close()
    return outcome


def run_day(target: Target, rooms: int, phones_per_room: int, arrival: float) -> Outcome:
    """A national day: `rooms` comptoirs running at once, `phones_per_room` phones each, all
    joining through the day's one code."""
    day, running = create_day(target.database_url, rooms, 2)
    phones = rooms * phones_per_room
    outcome = Outcome(phones, arrival, f"{target.label}, journée de {rooms} comptoirs")
    cpu_before = cpu_seconds(target.pids)
    records = run_phones(target, phones, arrival, (0.5, 2.0), day=day)
    outcome.cpu = cpu_seconds(target.pids) - cpu_before
    outcome.load = load_average()
    collect(outcome, records)
    outcome.lost, outcome.unconfirmed = verify(target.database_url, records)
    per_room = {code: sum(1 for r in records if r["code"] == code) for code in running}
    outcome.screen_counts = per_room  # phones per comptoir, to check they spread
    return outcome


# --- the screen, probed while the room is connected ------------------------------------------

def _call(url: str, method: str, path: str, body=None, token: str = "") -> dict:
    request = urllib.request.Request(
        url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "X-Essaim-Participant": token})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read() or b"{}")


def probe_screen(target: Target, code: str, secret: str, projection, outcome: Outcome) -> None:
    """TAP_PROBES taps (a new participant's 100 points) timed from their acknowledgement to the
    screen; then HIDE_PROBES proposals hidden by the facilitator, timed to their leaving it."""
    from essaim import workshops
    from essaim.data import store

    api = f"/api/seances/{code}"
    dimensions = [d["id"] for d in _call(target.url, "GET", api)["dimensions"]]
    for _ in range(TAP_PROBES):
        token = secrets.token_urlsafe(16)
        _call(target.url, "POST", f"{api}/participants", {"jeton": token}, token)
        received = int(projection.evaluate(METRICS_JS)["Répartitions reçues"].replace(" ", ""))
        time.sleep(0.6)  # the join's own redraw is done
        _call(target.url, "PUT", f"{api}/repartition",
              {"points": {d: (100 if i == 0 else 0) for i, d in enumerate(dimensions)}}, token)
        acked = time.time()
        projection.wait_for_function(f"({METRICS_JS})()['Répartitions reçues'] === "
                                     f"'{received + 1}'", timeout=30_000, polling=10)
        outcome.taps_to_screen.append(time.time() - acked)
        time.sleep(0.4)
    engine = store.open_store(target.database_url)
    voters = [secrets.token_urlsafe(16) for _ in range(3)]
    for voter in voters:
        _call(target.url, "POST", f"{api}/participants", {"jeton": voter}, voter)
    for index in range(HIDE_PROBES):
        text = f"Sonde de masquage n°{index + 1}"
        proposal = f"sonde-{secrets.token_hex(6)}"
        _call(target.url, "PUT", f"{api}/propositions/{proposal}",
              {"type": "comment", "texte": text}, voters[0])
        for voter in voters:  # upvoted to the top of the screen's list
            _call(target.url, "PUT", f"{api}/propositions/{proposal}/soutien", {}, voter)
        projection.get_by_text(text).wait_for(timeout=30_000)
        workshops.moderate_proposal(engine, code, secret, proposal,
                                    "hide" if index % 2 == 0 else "delete")
        hidden = time.time()
        projection.get_by_text(text).wait_for(state="detached", timeout=30_000)
        outcome.hidden_to_screen.append(time.time() - hidden)
    engine.dispose()
