"""What every benchmark needs: Collab started as the README says (one process, or the cluster
of scripts/serve-cluster.sh), the peers, the fixtures, CPU and RSS sampling, percentiles, output."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# The peers live beside the repository (shared/bench/peers); BENCH_PEERS points elsewhere.
PEERS = Path(os.environ.get("BENCH_PEERS", ROOT.parent / "shared" / "bench" / "peers"))
# Kept between runs (git-ignored) so the Node peer's npm install happens once.
SCRATCH = ROOT / "bench" / "results" / "tmp"
# The cores the servers measured run on, when the load generator is kept apart from them.
_server_cores: set[int] | None = None


def keep_load_generator_apart() -> str:
    """On a machine of two cores or more: this process, and the load generator it starts, on
    the first core; the servers it starts from now on, on the others. Sharing every core, the
    kernel often wakes the generator on the core of the server that just wrote to it, and the
    server's latency then counts the generator's work (measured in `workshop`: bursts of 22-27
    ms instead of 16-20). Returns where everything runs, for the figures."""
    global _server_cores
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return "shared"
    os.sched_setaffinity(0, {cores[0]})
    _server_cores = set(cores[1:])
    return f"generator on core {cores[0]}, servers on {','.join(map(str, cores[1:]))}"


def _on_server_cores() -> None:
    """In a server's process, before it runs (its threads inherit the placement)."""
    if _server_cores:
        os.sched_setaffinity(0, _server_cores)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_block(count: int) -> int:
    """A port P with P..P+count-1 all free now (the cluster's nginx and its workers)."""
    for _ in range(50):
        port = free_port()
        if all(_is_free(p) for p in range(port + 1, port + count)):
            return port
    raise RuntimeError(f"no block of {count} free ports found")


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


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
        self.profiler: subprocess.Popen | None = None

    def cli(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=self.log, stderr=subprocess.STDOUT)

    def start(self) -> "Server":
        self.proc = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True, preexec_fn=_on_server_cores)
        wait_ready(f"{self.url}/healthz", self.proc, "collab")
        self.profiler = start_profiler(self.proc.pid)
        return self

    def stop(self) -> None:
        stop_profiler(self.profiler)
        stop_group(self.proc)

    def login(self, email: str, password: str) -> requests.Session:
        session = requests.Session()
        response = session.post(f"{self.url}/api/v1/session", json={"email": email, "password": password}, timeout=30)
        response.raise_for_status()
        session.headers["X-CSRFToken"] = response.json()["csrf_token"]
        return session


def wait_ready(url: str, proc: subprocess.Popen, name: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    stop_group(proc)
    raise RuntimeError(f"{name} did not start (exit code {proc.poll()}); see its log")


def start_profiler(pid: int) -> subprocess.Popen | None:
    """With BENCH_PROFILE=FILE, py-spy samples the server while it runs and writes collapsed
    stacks (one line per stack, with its sample count) to FILE when the benchmark stops it."""
    out = os.environ.get("BENCH_PROFILE")
    if not out:
        return None
    return subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid), "--format", "raw", "--rate", os.environ.get("BENCH_PROFILE_RATE", "250"),
                             "--nonblocking", "--output", out], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def stop_profiler(profiler: subprocess.Popen | None) -> None:
    if profiler is not None and profiler.poll() is None:
        profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
        profiler.wait(30)


def stop_group(proc: subprocess.Popen | None) -> None:
    """SIGTERM the process group (each server runs in its own session), SIGKILL it if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


class Peer:
    """A peer of shared/bench/peers (same events: `join`, `fb`) on a loopback port."""

    def __init__(self, name: str, program: str, script: str, workdir: Path, *args: str, env: dict | None = None) -> None:
        self.name, self.port = name, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cmd = [program, str(PEERS / script), str(self.port), *args]
        self.env = {**os.environ, **(env or {})}
        self.log = open(workdir / f"{name}.log", "ab")
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Peer":
        self.proc = subprocess.Popen(self.cmd, cwd=PEERS, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                     preexec_fn=_on_server_cores)
        wait_ready(f"{self.url}/socket.io/?EIO=4&transport=polling", self.proc, self.name)
        return self

    def stop(self) -> None:
        stop_group(self.proc)


def flask_raw_peer(workdir: Path, mode: str = "eventlet") -> Peer:
    return Peer("flask-raw", sys.executable, "flask_socketio_raw.py", workdir, mode)


def npm_modules(folder: str, package: str) -> Path:
    """SCRATCH/folder/node_modules, with `package` (name@version) installed there once."""
    prefix = SCRATCH / folder
    if not (prefix / "node_modules" / package.rsplit("@", 1)[0]).is_dir():
        prefix.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(prefix), package], check=True, stdout=subprocess.DEVNULL)
    return prefix / "node_modules"


def node_peer(workdir: Path) -> Peer | None:
    """The Node.js socket.io 4 peer, or None without `node`; installs socket.io@4 once into SCRATCH."""
    if not (shutil.which("node") and shutil.which("npm")):
        return None
    return Peer("node", "node", "socketio_node.js", workdir, env={"NODE_PATH": str(npm_modules("node-peer", "socket.io@4"))})


def tree_cpu_seconds(root: int, exclude: tuple[int, ...] = ()) -> dict[str, float]:
    """CPU seconds so far of every live process under `root` (itself included), summed by
    command name: a cluster's postgres, redis-server and nginx, say. Processes in `exclude`
    (and what they started) are left out; PostgreSQL's processes each start their own
    session, so the tree is followed by parent, not by session."""
    children: dict[int, list[int]] = {}
    stats: dict[int, tuple[str, float]] = {}
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = path.read_text()
        except OSError:  # ended meanwhile
            continue
        name, fields = text[text.index("(") + 1:text.rindex(")")], text.rsplit(")", 1)[1].split()
        pid = int(path.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        stats[pid] = (name, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    totals: dict[str, float] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in exclude or pid not in stats:
            continue
        name, seconds = stats[pid]
        totals[name] = totals.get(name, 0.0) + seconds
        todo.extend(children.get(pid, []))
    return totals


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (from /proc, so it works for any child)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Cluster:
    """`bash scripts/serve-cluster.sh N` (the README's cluster command) on a free port, without the demo."""

    def __init__(self, workers: int, workdir: Path) -> None:
        self.workers, self.port = workers, free_port_block(workers + 1)
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir = workdir / f"cluster-{workers}"
        workdir.chmod(0o755)  # as root the script runs PostgreSQL as `postgres`, which must reach its folder
        self.log_path = workdir / f"cluster-{workers}.log"
        self.env = {**os.environ, "CLUSTER_PORT": str(self.port), "CLUSTER_DIR": str(self.dir), "CLUSTER_DEMO": "0",
                    "SECRET_KEY": "bench-secret-key-0123456789abcdef0123456789", "COLLAB_INSTANCE": str(self.dir / "instance")}
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 180) -> "Cluster":
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(["bash", "scripts/serve-cluster.sh", str(self.workers)], cwd=ROOT, env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while "is serving on" not in self.log_path.read_text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"cluster did not start:\n{self.log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        self.env["DATABASE_URL"] = self.log_path.read_text().split("DATABASE_URL=", 1)[1].split()[0]
        return self

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    def worker_pids(self) -> list[int]:
        return [int((self.dir / f"worker-{i}.pid").read_text()) for i in range(1, self.workers + 1)]

    def stop(self) -> None:
        stop_group(self.proc)


def run_fixture(env: dict, *args: str) -> dict:
    """`python -m bench.fixtures ARGS` in the server's environment; returns its JSON."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, "-m", "bench.fixtures", *args, out.name], cwd=ROOT, env=env, check=True)
        return json.loads(Path(out.name).read_text())


def count_rows(database_url: str, sql: str, *params) -> int:
    """One `SELECT count(*)` on the server's database, SQLite file or PostgreSQL."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchone()[0]
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql, params).fetchone()[0]


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
