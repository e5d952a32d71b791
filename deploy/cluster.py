"""Several Essaim processes behind HAProxy, sharing one PostgreSQL database: start, wait, stop.

    DATABASE_URL=postgresql+psycopg://essaim@db:5432/essaim python deploy/cluster.py --processes 2

starts `streamlit run app.py` once per process (ports 8501, 8502, …, on 127.0.0.1) and HAProxy
on --port (8080) with deploy/haproxy.cfg, then waits until Ctrl+C. The tests and
bench/bench_room.py start the same thing through start_cluster().
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
MAX_PROCESSES = 2  # deploy/haproxy.cfg declares two servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, processes: list[subprocess.Popen], timeout: float = 90) -> None:
    """Poll `url`/_stcore/health until it answers 200 (TimeoutError, or RuntimeError if a
    process died)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"Un processus s'est arrêté (code {process.returncode}).")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} n'a pas répondu en {timeout} s")


def start_app(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:`port` (the one command that starts everything)."""
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


@dataclass
class Cluster:
    url: str
    apps: list[subprocess.Popen] = field(default_factory=list)
    app_urls: list[str] = field(default_factory=list)
    balancer: subprocess.Popen | None = None

    def pids(self) -> list[int]:
        return [p.pid for p in self.apps]

    def stop(self) -> None:
        for process in [self.balancer, *self.apps]:
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def start_cluster(database_url: str, processes: int = 2, log_dir: Path | None = None,
                  lb_port: int | None = None, first_app_port: int | None = None,
                  extra_env: dict[str, str] | None = None) -> Cluster:
    """`processes` app processes (1 or 2) on one database, behind HAProxy; returns once the
    balancer answers. With one process, both of the balancer's servers point to it."""
    if not 1 <= processes <= MAX_PROCESSES:
        raise ValueError(f"De 1 à {MAX_PROCESSES} processus (deploy/haproxy.cfg).")
    haproxy = shutil.which("haproxy")
    if not haproxy:
        raise RuntimeError("HAProxy est absent (apt-get install -y haproxy).")
    log_dir = log_dir or Path(os.environ.get("TMPDIR", "/tmp"))
    env = {**os.environ, **(extra_env or {}), "DATABASE_URL": database_url}
    ports = ([first_app_port + i for i in range(processes)] if first_app_port
             else [free_port() for _ in range(processes)])
    cluster = Cluster(url="")
    try:
        for index, port in enumerate(ports):
            cluster.apps.append(start_app(port, env, log_dir / f"app{index + 1}.log"))
            cluster.app_urls.append(f"http://127.0.0.1:{port}")
        for url in cluster.app_urls:
            wait_until_healthy(url, cluster.apps)
        lb_port = lb_port or free_port()
        addresses = [u.removeprefix("http://") for u in cluster.app_urls]
        balancer_env = {**os.environ, "ESSAIM_LB_BIND": f"127.0.0.1:{lb_port}",
                        "ESSAIM_APP1": addresses[0], "ESSAIM_APP2": addresses[-1]}
        log = open(log_dir / "haproxy.log", "w")  # noqa: SIM115 - closed with the process
        cluster.balancer = subprocess.Popen([haproxy, "-db", "-f", str(HAPROXY_CONFIG)],
                                            env=balancer_env, stdout=log,
                                            stderr=subprocess.STDOUT)
        cluster.url = f"http://127.0.0.1:{lb_port}"
        wait_until_healthy(cluster.url, [*cluster.apps, cluster.balancer])
    except Exception:
        cluster.stop()
        raise
    return cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=2, help="processus d'application (1 ou 2)")
    parser.add_argument("--port", type=int, default=8080, help="port de HAProxy")
    parser.add_argument("--first-app-port", type=int, default=8501)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgresql", "postgres")):
        sys.exit("DATABASE_URL doit désigner la base PostgreSQL que les processus partagent.")
    cluster = start_cluster(database_url, args.processes, Path.cwd(), lb_port=args.port,
                            first_app_port=args.first_app_port)
    print(f"Essaim : {cluster.url} ({args.processes} processus derrière HAProxy). "
          "Ctrl+C pour arrêter.")
    try:
        while all(p.poll() is None for p in [*cluster.apps, cluster.balancer]):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
