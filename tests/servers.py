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
import ssl
import subprocess
import sys
import tempfile
import time
from http.client import HTTPSConnection
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
        error_log: Path | None = None,
    ):
        self.port = free_port()
        self.access_log = access_log
        # Where gunicorn's error log and the app's log (both on standard error) go.
        self.error_log = error_log
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
        stderr = self.error_log.open("ab") if self.error_log else subprocess.DEVNULL
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
                "-",
                "--graceful-timeout",
                "1",
                self.app,
            ],
            cwd=ROOT,
            env=self.env,
            stderr=stderr,
            start_new_session=True,
        )
        if self.error_log:
            stderr.close()  # the server has its own copy
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
# The site file production installs; the tests run it as shipped, with only the addresses,
# paths and certificate below swapped for their own.
NGINX_SITE = ROOT / "deploy" / "nginx" / "feedback.conf"
NGINX_MAIN = """
{user}daemon off; worker_processes 1; pid {dir}/nginx.pid; error_log {dir}/main-error.log;
events {{ worker_connections 512; }}
http {{
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  include {dir}/site.conf;
}}
"""


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key: (certificate, key)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def render_nginx_site(
    upstream_port: int, https_port: int, http_port: int, folder: Path, cert: Path, key: Path
) -> str:
    """deploy/nginx/feedback.conf with loopback ports and this test's folder and certificate."""
    site = NGINX_SITE.read_text()
    swaps = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "/var/cache/nginx/feedback": str(folder / "cache"),
        "/var/log/nginx/": f"{folder}/",
        "/etc/ssl/certs/feedback.example.gov.uk.pem": str(cert),
        "/etc/ssl/private/feedback.example.gov.uk.key": str(key),
    }
    for shipped, here in swaps.items():
        # If the shipped file changes these lines, the test must change with it.
        assert shipped in site, f"{NGINX_SITE} no longer has {shipped!r}"
        site = site.replace(shipped, here)
    return site


class Nginx:
    """Debian's nginx running deploy/nginx/feedback.conf in front of `upstream_port`:
    HTTPS on `port` (its certificate in `certificate`), the redirect on `http_port`."""

    def __init__(self, upstream_port: int):
        self.port = free_port()
        self.http_port = free_port()
        self.upstream_port = upstream_port
        self.dir = Path(tempfile.mkdtemp(prefix="feedback-nginx-"))
        self.certificate, self.key = self_signed_certificate(self.dir)
        self.access_log = self.dir / "feedback.access.log"
        self.error_log = self.dir / "feedback.error.log"
        self.cache = self.dir / "cache"
        self.process: subprocess.Popen[bytes] | None = None

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def connection(self, timeout: float = 10, source: str | None = None) -> HTTPSConnection:
        """An HTTPS connection to nginx, from the loopback address `source` if given."""
        return HTTPSConnection(
            "127.0.0.1",
            self.port,
            timeout=timeout,
            context=self.ssl_context(),
            source_address=(source, 0) if source else None,
        )

    def start(self) -> Nginx:
        # As root, nginx would run its worker as nobody, who cannot write here.
        user = "user root; " if os.geteuid() == 0 else ""
        (self.dir / "site.conf").write_text(
            render_nginx_site(
                self.upstream_port, self.port, self.http_port, self.dir, self.certificate, self.key
            )
        )
        conf = self.dir / "nginx.conf"
        conf.write_text(NGINX_MAIN.format(user=user, dir=self.dir))
        self.process = subprocess.Popen(  # noqa: S603 - fixed command line
            [NGINX, "-p", str(self.dir), "-c", str(conf), "-e", str(self.dir / "main-error.log")],
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

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
