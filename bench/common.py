"""What every benchmark needs: the server started as the README says, RSS sampling, percentiles, output."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`flask --app wsgi init-db`, `demo`, then `python wsgi.py` on a loopback port, in `workdir`."""

    def __init__(self, workdir: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{workdir / 'collab.db'}"
        self.env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(self.port), "DATABASE_URL": self.database_url,
                    "SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789", "COLLAB_INSTANCE": str(workdir), **env}
        self.log = open(workdir / "server.log", "ab")
        self.proc: subprocess.Popen | None = None

    def cli(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=self.log, stderr=subprocess.STDOUT)

    def start(self) -> "Server":
        self.proc = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start; see server.log")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(10)

    def login(self, email: str, password: str) -> requests.Session:
        session = requests.Session()
        response = session.post(f"{self.url}/api/v1/session", json={"email": email, "password": password}, timeout=30)
        response.raise_for_status()
        session.headers["X-CSRFToken"] = response.json()["csrf_token"]
        return session


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class RssSampler:
    """Samples a process's resident memory every few milliseconds while a block runs."""

    def __init__(self, pid: int, interval: float = 0.005) -> None:
        self.pid, self.interval = pid, interval
        self.peak = self.start = 0
        self._stop = threading.Event()

    def __enter__(self) -> "RssSampler":
        self.start = self.peak = rss_kib(self.pid)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(self.interval)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def cpu_seconds() -> float:
    usage = os.times()
    return usage.user + usage.system


def report(scenario: str, lines: list[dict], save: bool) -> None:
    for line in lines:
        print(json.dumps({"scenario": scenario, **line}, ensure_ascii=False))
    if save:
        out = ROOT / "bench" / "results" / f"{date.today().isoformat()}-{scenario}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(lines, indent=2, ensure_ascii=False))
        print(f"saved {out.relative_to(ROOT)}")
