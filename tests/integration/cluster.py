"""Two replicas of everything behind nginx on this machine, started the way an operator would.

Two action servers, two rasa servers (each calling its own action server; both sharing Rasa's tracker
store in PostgreSQL and its lock store in Redis), two consoles (reaching rasa through nginx's rasa
upstream; live delivery between them through Redis) and nginx in front: the operators' files
deploy/nginx/kizuna.conf.template and kizuna_rasa.conf.template in conf.d/ of a small main nginx.conf.
Every process is `kizuna serve rasa|actions|console` on a fresh PostgreSQL app database seeded with the demo shop.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Iterator, Optional
from urllib.parse import urlsplit, urlunsplit

import httpx
import redis

from churn.config import load_config
from turn_core.customer_scoring import refresh_scores
from kizuna.accounts import create_user
from kizuna.db.engine import session_scope
from operations.demo import seed_demo_shop
from retraining.rasa_env import free_port
from kizuna.secrets import ensure_secrets
from kizuna.settings import PROJECT_ROOT, get_settings
from operations.stack import ManagedProcess
from tests.assistant import trained_assistant
from tests.conftest import DEMO_TODAY, REDIS_URL, _postgres_reachable, fresh_postgres_database, redis_unreachable

NGINX_TEMPLATES = PROJECT_ROOT / "deploy" / "nginx"
REPLICAS = 2
CLUSTER_REDIS_DB = 15  # the cluster's own database on the test Redis server
STARTUP_SECONDS = 300
# Scale-out is about where turns go, not how fast one is: on a busy 2-core machine running six servers
# a turn may take longer than the product's 4.5 s budget, and the apology would hide a wrong answer.
RASA_TIMEOUT_SECONDS = "20"


def nginx_binary() -> Optional[str]:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def cluster_unavailable() -> Optional[str]:
    """Why the cluster cannot run here (nginx, PostgreSQL or Redis missing), or None."""
    if nginx_binary() is None:
        return "nginx is not installed (`make test-tools` installs Debian's)"
    return _postgres_reachable() or redis_unreachable()


def nginx_conf(prefix: Path) -> str:
    """A main nginx.conf for an unprivileged nginx that keeps everything under `prefix`, with conf.d/ as on a server."""
    return f"""\
# One worker holds thousands of connections, and with one the replicas take requests strictly in turn.
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    client_body_temp_path {prefix}/client_body_temp;
    proxy_temp_path {prefix}/proxy_temp;
    fastcgi_temp_path {prefix}/fastcgi_temp;
    uwsgi_temp_path {prefix}/uwsgi_temp;
    scgi_temp_path {prefix}/scgi_temp;
    include {prefix}/conf.d/*.conf;
}}
"""


def render_nginx_template(filename: str, values: dict[str, str]) -> str:
    """An operators' template from deploy/nginx/ filled in as envsubst fills in the placeholders it is given."""
    template = Template((NGINX_TEMPLATES / filename).read_text())
    # safe_substitute leaves nginx's own (lower-case) $variables alone; an upper-case name left over is a placeholder we missed.
    unknown = {name for name in template.get_identifiers() if name.isupper()} - values.keys()
    if unknown:
        raise ValueError(f"deploy/nginx/{filename} has placeholders nobody fills in: {sorted(unknown)}")
    return template.safe_substitute(values)


def _server_lines(ports: list[int]) -> str:
    return " ".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in ports)


@dataclass(frozen=True)
class Served:
    """One line of an nginx access log: the request and the replicas nginx tried, the one that answered last."""

    method: str
    uri: str
    status: int
    upstreams: tuple[str, ...]


LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<uri>\S+)" (?P<status>\d{3}) \d+ upstream=(?P<upstream>.*?) upstream_status=')


@dataclass
class Cluster:
    folder: Path
    var_dir: Path
    model: Path
    database_url: str
    tracker_store_url: str
    public_url: str
    ports: dict[str, int]  # process name -> port: actions-1, rasa-1, console-1, ..., nginx, nginx-rasa
    rasa_token: str
    processes: dict[str, ManagedProcess]

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def replica_at(self, address: str) -> str:
        """The process listening at an upstream address as nginx logs it (127.0.0.1:PORT)."""
        return next((name for name, port in self.ports.items() if address == f"127.0.0.1:{port}"), address)

    def served(self, log: str) -> list[Served]:
        """The requests of nginx's public (`access`) or rasa (`rasa.access`) log, oldest first."""
        path = self.folder / "nginx" / "logs" / f"{log}.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [Served(m["method"], m["uri"], int(m["status"]), tuple(a.strip() for a in m["upstream"].split(",")))
                for m in map(LOG_LINE.search, lines) if m]

    def kill_9(self, name: str) -> None:
        """Kill a replica abruptly: `kizuna serve` and the server it runs, so that nothing restarts it."""
        managed = self.processes[name]
        assert managed.process is not None
        for pid in [managed.process.pid, *_descendants(managed.process.pid)]:
            _kill(pid)
        managed.process.wait()
        _wait_until_refused(self.ports[name])  # a dying server's listening socket still completes handshakes

    def start(self) -> None:
        for managed in self.processes.values():
            managed.start()
        try:
            self._wait_until_ready(time.monotonic() + STARTUP_SECONDS)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        with ThreadPoolExecutor(len(self.processes)) as pool:
            list(pool.map(_stop, self.processes.values()))

    def _wait_until_ready(self, deadline: float) -> None:
        pending = {name: self._readiness_check(name) for name in self.processes}
        while pending:
            self._fail_if_exited()
            pending = {name: check for name, check in pending.items() if not check()}
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {STARTUP_SECONDS} s: {sorted(pending)}; logs in {self.folder / 'logs'}")
            time.sleep(0.5)

    def _readiness_check(self, name: str):  # type: ignore[no-untyped-def]
        if name.startswith("actions"):
            return lambda: _answers(f"{self.url(name)}/health")
        if name.startswith("rasa"):
            return lambda: bool(_answers(f"{self.url(name)}/status", token=self.rasa_token).get("model_id"))
        if name.startswith("console"):
            return lambda: _answers(f"{self.url(name)}/healthz")  # database, rasa (through nginx), its action server
        return self._nginx_spreads_requests

    def _nginx_spreads_requests(self) -> bool:
        """Whether nginx sends requests to every replica: after a failed attempt (one not up yet) it skips one for 10 s."""
        return (self._spread("rasa.access", f"{self.url('nginx-rasa')}/status")
                and self._spread("access", f"{self.public_url}/widget.js"))

    def _spread(self, log: str, url: str) -> bool:
        """One more request through nginx; whether the latest went to every replica, each at the first try."""
        logged = len(self.served(log))
        _answers(url, token=self.rasa_token)
        deadline = time.monotonic() + 2
        while len(self.served(log)) == logged and time.monotonic() < deadline:  # nginx logs just after answering
            time.sleep(0.05)
        latest = self.served(log)[-REPLICAS:]
        answered_at_once = [s.upstreams[0] for s in latest if s.status == 200 and len(s.upstreams) == 1]
        return len(set(answered_at_once)) == REPLICAS

    def _fail_if_exited(self) -> None:
        for name, managed in self.processes.items():
            if not managed.running():
                raise RuntimeError(f"{name} exited early; the end of {managed.log_path}:\n{_tail(managed.log_path)}")


def _answers(url: str, token: Optional[str] = None) -> dict:
    """The JSON body when `url` answers 200, else an empty dict."""
    try:
        response = httpx.get(url, params={"token": token} if token else None, timeout=2.0)
    except httpx.HTTPError:
        return {}
    if response.status_code != 200:
        return {}
    try:
        return response.json() or {"ok": True}
    except ValueError:
        return {"ok": True}


@contextmanager
def running_cluster(folder: Path) -> Iterator[Cluster]:
    """Two action servers, two rasa servers, two consoles and nginx on fresh PostgreSQL databases and Redis; stopped and dropped on exit."""
    model = trained_assistant()
    with fresh_postgres_database("kizuna_scale") as (url, _, _), fresh_postgres_database("kizuna_scale_tracker") as (tracker_url, _, _), \
            own_redis_database() as redis_url:
        var_dir = _prepared_var_dir(folder / "var", url)
        cluster = _cluster(folder, var_dir, model, url, tracker_url, redis_url)
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.stop()


@contextmanager
def own_redis_database() -> Iterator[str]:
    """The test Redis server's database CLUSTER_REDIS_DB, emptied before and after: counts kept there
    (order-proof tries, rate limits) never carry over from one run to the next."""
    url = urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{CLUSTER_REDIS_DB}"))
    client = redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


def _prepared_var_dir(var_dir: Path, url: str) -> Path:
    """Secrets, the demo shop and its customer profiles, and the `admin` account, as the other integration tests have them."""
    var_dir.mkdir(parents=True)
    with session_scope(url) as session:
        seed_demo_shop(session, customers=40, today=DEMO_TODAY)
    refresh_scores(url, DEMO_TODAY, load_config(get_settings().intelligence_config_path), var_dir / "churn-model")  # too few customers to train: value, tier, segment
    secrets = ensure_secrets(var_dir)
    with session_scope(url) as session:
        create_user(session, "admin", secrets["admin_password"], "admin")
    return var_dir


def _cluster(folder: Path, var_dir: Path, model: Path, url: str, tracker_url: str, redis_url: str) -> Cluster:
    names = [f"{kind}-{n}" for n in range(1, REPLICAS + 1) for kind in ("actions", "rasa", "console")]
    ports = {name: free_port() for name in [*names, "nginx", "nginx-rasa"]}
    common = {
        **os.environ,
        "KIZUNA_DATABASE_URL": url, "KIZUNA_TRACKER_STORE_URL": tracker_url, "KIZUNA_REDIS_URL": redis_url,
        "KIZUNA_VAR_DIR": str(var_dir), "KIZUNA_RASA_TIMEOUT": RASA_TIMEOUT_SECONDS, "PYTHONUNBUFFERED": "1",
    }
    processes = {}
    for n in range(1, REPLICAS + 1):
        action_port = ports[f"actions-{n}"]
        processes[f"actions-{n}"] = _serve(folder, "actions", n, ports, common)
        processes[f"rasa-{n}"] = _serve(folder, "rasa", n, ports, {**common, "KIZUNA_ACTION_URL": f"http://127.0.0.1:{action_port}/webhook"})
        processes[f"console-{n}"] = _serve(folder, "console", n, ports, {
            **common, "KIZUNA_RASA_URL": f"http://127.0.0.1:{ports['nginx-rasa']}",
            "KIZUNA_ACTION_PORT": str(action_port),  # the action server its health page reports
        })
    processes["nginx"] = _nginx(folder / "nginx", ports, common)
    return Cluster(folder, var_dir, model, url, tracker_url, f"http://127.0.0.1:{ports['nginx']}", ports,
                   ensure_secrets(var_dir)["rasa_token"], processes)


def _serve(folder: Path, kind: str, n: int, ports: dict[str, int], env: dict[str, str]) -> ManagedProcess:
    name = f"{kind}-{n}"
    command = [sys.executable, "-m", "operations.cli", "serve", kind, "--port", str(ports[name])]
    return ManagedProcess(name, command, env, folder / "logs" / f"{name}.log")


def _nginx(prefix: Path, ports: dict[str, int], env: dict[str, str]) -> ManagedProcess:
    logs, conf_d = prefix / "logs", prefix / "conf.d"
    logs.mkdir(parents=True)
    conf_d.mkdir()
    replicas = range(1, REPLICAS + 1)
    (conf_d / "kizuna.conf").write_text(render_nginx_template("kizuna.conf.template", {
        "PUBLIC_LISTEN": f"127.0.0.1:{ports['nginx']}", "ACCESS_LOG": str(logs / "access.log"),
        "CONSOLE_SERVERS": _server_lines([ports[f"console-{n}"] for n in replicas])}))
    (conf_d / "kizuna_rasa.conf").write_text(render_nginx_template("kizuna_rasa.conf.template", {
        "RASA_LISTEN": f"127.0.0.1:{ports['nginx-rasa']}", "RASA_ACCESS_LOG": str(logs / "rasa.access.log"),
        "RASA_SERVERS": _server_lines([ports[f"rasa-{n}"] for n in replicas])}))
    config = prefix / "nginx.conf"
    config.write_text(nginx_conf(prefix))
    directives = "daemon off;"
    if os.geteuid() == 0:  # as root, workers would switch to `nobody`, who cannot enter pytest's private temp folders
        directives += " user root;"
    command = [str(nginx_binary()), "-p", str(prefix), "-c", str(config), "-e", str(prefix / "logs" / "error.log"), "-g", directives]
    return ManagedProcess("nginx", command, env, prefix.parent / "logs" / "nginx.log")


def _stop(managed: ManagedProcess) -> None:
    """SIGTERM to `kizuna serve` (it stops its server), then SIGKILL to whatever of the tree is left."""
    tree = _descendants(managed.process.pid) if managed.running() and managed.process else []
    managed.stop(timeout=20)
    for pid in tree:
        _kill(pid)


def _descendants(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    children = [int(child) for child in result.stdout.split()]
    return children + [grandchild for child in children for grandchild in _descendants(child)]


def _wait_until_refused(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return
        time.sleep(0.05)
    raise TimeoutError(f"127.0.0.1:{port} still accepts connections")


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _tail(path: Optional[Path], lines: int = 30) -> str:
    if path is None or not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
