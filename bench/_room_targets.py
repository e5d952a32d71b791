"""What bench_room.py measures against: one Essaim process, several behind HAProxy, or the bare
endpoint of bench/_bare.py; their processes' CPU from /proc; sessions and days to fill."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench._common import ROOT


@dataclass
class Target:
    """A running server: where phones go, which processes to watch, which store it uses."""
    label: str
    url: str
    database_url: str
    pids: list[int]
    stop: Callable[[], None]
    balancer_pid: int | None = None
    bare: bool = False


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


def start_bare() -> Target:
    """bench/_bare.py on a free port, with a SQLite file of its own."""
    from deploy.cluster import free_port, wait_until_healthy

    port = free_port()
    path = Path(tempfile.mkdtemp()) / "nu.sqlite"
    process = subprocess.Popen([sys.executable, "-m", "bench._bare", "--port", str(port),
                                "--base", str(path)], cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(url, [process])

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)

    return Target("point d'accès nu (Starlette + SQLite)", url, f"sqlite:///{path}",
                  [process.pid], stop, bare=True)


def create_session(database_url: str, title: str) -> tuple[str, str]:
    """A session with the default grid: its code and its facilitator's key."""
    from essaim import workshops
    from essaim.data import store
    from essaim.workshops.grid import default_grid

    engine = store.open_store(database_url)
    dataset = store.read_dataset(engine)
    created = workshops.create_workshop(engine, title=title, kind="atelier",
                                        grid=default_grid(dataset.indicators))
    engine.dispose()
    return created.code, created.facilitator_token


def create_day(database_url: str, rooms: int, slots: int) -> tuple[str, list[str]]:
    """A national day of `rooms` × `slots` comptoirs; its code and the comptoirs running now
    (the first slot, chosen by the organisers)."""
    from essaim.data import store
    from essaim.workshops import days
    from essaim.workshops.grid import default_grid

    engine = store.open_store(database_url)
    grid = default_grid(store.read_dataset(engine).indicators)
    made = days.create_day(engine, title="Journée du banc d'essai", day_date=dt.date.today(),
                           place="Salle de test", rooms=[f"Salle {i + 1}" for i in range(rooms)],
                           slots=[(f"Créneau {j + 1}", f"{9 + j:02d}:00", f"{9 + j:02d}:50")
                                  for j in range(slots)])
    day = days.find_day(engine, made.code)
    running = []
    for slot in day.slots:
        for room in day.rooms:
            comptoir = days.add_comptoir(engine, made.code, made.organiser_token,
                                         room_id=room.id, slot_id=slot.id,
                                         title=f"{room.name}, {slot.label}",
                                         question="Quel indicateur fera preuve pour tous ?",
                                         grid=grid)
            if slot.id == day.slots[0].id:
                running.append(comptoir.code)
    days.set_current_slot(engine, made.code, made.organiser_token, day.slots[0].id)
    engine.dispose()
    return made.code, running
