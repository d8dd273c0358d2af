"""Real servers for reliability tests and benchmarks, on loopback only.

- `Gunicorn`: the app under gunicorn, in its own process group so it can be killed
  outright (SIGKILL) and restarted.
- `TempPostgres`: a throwaway PostgreSQL cluster on its own port and socket directory,
  so a test can stop and start the database without touching the shared server.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
# One key for every server a test starts, so a cookie or a rate limit is good on each.
SECRET_KEY = secrets.token_urlsafe(48)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on port {port} after {timeout} s")


class Gunicorn:
    def __init__(
        self,
        database_url: str,
        workers: int = 2,
        app: str = "feedback.wsgi:app",
        extra_env: dict[str, str] | None = None,
        access_log: Path | None = None,
    ):
        self.port = free_port()
        self.access_log = access_log
        self.database_url = database_url
        self.workers = workers
        self.app = app
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "FEEDBACK_ENV": "production",
            "PUBLIC_URL": "https://feedback.example.gov.uk",
            "ORGANISATION_NAME": "Anytown Council",
            "TRUSTED_HOSTS": "127.0.0.1,localhost",
            "RATELIMIT_ENABLED": "false",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Gunicorn:
        self.process = subprocess.Popen(  # noqa: S603 - fixed command line
            # The repository's settings, as production runs them; then this test's.
            [
                str(GUNICORN),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                str(self.access_log or "/dev/null"),
                "--error-logfile",
                "/dev/null",
                "--graceful-timeout",
                "1",
                self.app,
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        """SIGKILL the master and every worker: no cleanup, as in a crash."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


def _postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    return versions[-1]


class TempPostgres:
    """A private cluster; run as the postgres user when the tests run as root."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="feedback-pg-"))
        self.data = self.dir / "data"
        self.bin = _postgres_bin()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(a) for a in args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603

    def init(self) -> TempPostgres:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        return self.start()

    def start(self) -> TempPostgres:
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-w",
            "-l",
            self.dir / "log",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )
        return self

    def stop(self) -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-w", "-m", "fast", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        )


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
# The reverse proxy as docs/deploy.md describes it: whole requests are buffered before
# they reach the app, and the address nginx saw is appended to X-Forwarded-For.
NGINX_CONF = """
{user}daemon off; worker_processes 1; pid {dir}/nginx.pid; error_log {dir}/error.log;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  client_header_timeout 10s; client_body_timeout 10s; client_max_body_size 2m;
  upstream feedback {{ server 127.0.0.1:{upstream}; keepalive 16; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://feedback;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_request_buffering on;
    }}
  }}
}}
"""


class Nginx:
    """Debian's nginx as the trusted reverse proxy in front of `upstream_port`."""

    def __init__(self, upstream_port: int):
        self.port = free_port()
        self.upstream_port = upstream_port
        self.dir = Path(tempfile.mkdtemp(prefix="feedback-nginx-"))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Nginx:
        # As root, nginx would run its worker as nobody, who cannot write here.
        user = "user root; " if os.geteuid() == 0 else ""
        conf = self.dir / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(user=user, dir=self.dir, port=self.port, upstream=self.upstream_port)
        )
        self.process = subprocess.Popen(  # noqa: S603 - fixed command line
            [NGINX, "-p", str(self.dir), "-c", str(conf), "-e", str(self.dir / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)
