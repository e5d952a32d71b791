"""How many saves a second a target serves: phones saving back to back (bench/_phones.py
--rafale), at growing numbers of phones until one process saturates, then the same loads on two
processes behind HAProxy; the CPU of the server, the phones, PostgreSQL and the whole machine."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench._common import ROOT
from bench._room_targets import (
    Target,
    cpu_seconds,
    create_session,
    machine_busy_seconds,
    processes_cpu,
)

PHONES_SCRIPT = Path(__file__).resolve().parent / "_phones.py"
RAMP = (5, 10, 20, 40, 80, 160)
PLATEAU = 1.05  # less than 5 % more saves a second for twice the phones: saturated


@dataclass
class Throughput:
    phones: int
    per_second: float
    cpu_per_save_ms: float
    server_share: float
    client_share: float
    postgres_share: float
    machine_share: float

    def row(self, label: str) -> list[str]:
        pct = lambda v: f"{100 * v:.0f} %"
        return [label, str(self.phones), f"{self.per_second:.0f}",
                f"{self.cpu_per_save_ms:.1f} ms".replace(".", ","), pct(self.server_share),
                pct(self.client_share), pct(self.postgres_share), pct(self.machine_share)]


HEADERS = ["serveur", "téléphones", "enregistrements / s", "CPU / enregistrement",
           "CPU serveur (1 cœur = 100 %)", "CPU téléphones simulés", "CPU PostgreSQL",
           "machine occupée (2 cœurs)"]


def measure(target: Target, phones: int, seconds: float = 8.0) -> Throughput:
    code, _ = create_session(target.database_url, "Débit")
    out = Path(tempfile.mkdtemp()) / "burst.json"
    cpu_before = cpu_seconds(target.pids)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    postgres_before = processes_cpu("postgres")
    busy_before, wall_before = machine_busy_seconds()
    subprocess.run([sys.executable, str(PHONES_SCRIPT), target.url, code, "--phones",
                    str(phones), "--rafale", str(seconds), "--out", str(out)], cwd=ROOT,
                   check=True)
    busy, wall = machine_busy_seconds()
    postgres = sum(c - postgres_before.get(pid, 0.0)
                   for pid, c in processes_cpu("postgres").items())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    cpu = cpu_seconds(target.pids) - cpu_before
    saves = sum(r.get("saves", 0) for r in json.loads(out.read_text())["phones"])
    elapsed = wall - wall_before
    return Throughput(phones, saves / seconds, 1000 * cpu / max(saves, 1), cpu / elapsed,
                      client / elapsed, postgres / elapsed,
                      (busy - busy_before) / elapsed / os.cpu_count())


def saturate(target: Target) -> list[Throughput]:
    """Twice the phones each time, until the saves a second stop growing."""
    found = []
    for phones in RAMP:
        found.append(measure(target, phones))
        if len(found) > 1 and found[-1].per_second < PLATEAU * found[-2].per_second:
            break
    return found
