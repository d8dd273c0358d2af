"""The systemd units in deploy/systemd, checked by systemd and their commands run.

`systemd-analyze verify` reads the units as systemd would (every key known, every value
parsed, every program there); warnings count as failures. The commands and settings of
the units are then run as written, with /opt/feedback, /var/lib/feedback and
/var/log/feedback moved to this checkout and the test's folder.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from feedback.storage.migrate import upgrade
from tests.servers import ROOT, SECRET_KEY, free_port, wait_for_port

pytestmark = pytest.mark.reliability
UNITS = ROOT / "deploy" / "systemd"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def installed_units(folder: Path) -> list[Path]:
    """The units as installed here: the release is this checkout."""
    copies = []
    for unit in sorted(UNITS.iterdir()):
        copy = folder / unit.name
        copy.write_text(unit.read_text().replace("/opt/feedback", str(ROOT)))
        copies.append(copy)
    return copies


def test_systemd_accepts_the_units_without_a_warning(tmp_path: Path) -> None:
    # Not skipped when missing: a unit file nobody checked is what this test exists to stop.
    assert SYSTEMD_ANALYZE, "systemd-analyze (Debian's systemd package) is needed for this test"
    units = installed_units(tmp_path)
    assert {unit.name for unit in units} == {
        "feedback.service",
        "feedback-jobs.service",
        "feedback-jobs.timer",
    }
    result = subprocess.run(  # noqa: S603 - fixed command line
        [str(SYSTEMD_ANALYZE), "verify", "--man=no", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "" and result.stdout.strip() == ""


def unit_settings(name: str) -> dict[str, list[str]]:
    """A unit's [Service] settings, each key with its values in order."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in (UNITS / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def hardening_of(name: str) -> dict[str, list[str]]:
    keep = (
        "NoNewPrivileges",
        "ProtectSystem",
        "ProtectHome",
        "PrivateTmp",
        "ReadWritePaths",
        "CapabilityBoundingSet",
        "SystemCallFilter",
        "User",
    )
    return {key: values for key, values in unit_settings(name).items() if key in keep}


def test_both_services_run_as_the_service_user_with_the_system_read_only() -> None:
    for name in ("feedback.service", "feedback-jobs.service"):
        hardening = hardening_of(name)
        assert hardening["User"] == ["feedback"]
        assert hardening["NoNewPrivileges"] == ["yes"]
        assert hardening["ProtectSystem"] == ["strict"]
        assert hardening["ProtectHome"] == ["yes"] and hardening["PrivateTmp"] == ["yes"]
        assert "/var/lib/feedback" in hardening["ReadWritePaths"][0].split()
        assert hardening["CapabilityBoundingSet"] == [""]


def environment_of(name: str, folder: Path) -> dict[str, str]:
    """The unit's Environment= settings, with its folders moved into `folder`."""
    env = {}
    for value in unit_settings(name).get("Environment", []):
        for pair in shlex.split(value):
            key, setting = pair.split("=", 1)
            env[key] = setting.replace("/var/lib/feedback", str(folder / "lib")).replace(
                "/var/log/feedback", str(folder / "log")
            )
    return env


def command_of(name: str) -> list[str]:
    (command,) = unit_settings(name)["ExecStart"]
    return shlex.split(command.replace("/opt/feedback", str(ROOT)))


def test_the_services_commands_serve_and_run_the_jobs_as_written(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "log").mkdir()
    database = tmp_path / "lib" / "feedback.sqlite"
    upgrade(f"sqlite:///{database}")
    # What /etc/feedback/feedback.env holds (docs/deploy.md).
    settings = {
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": SECRET_KEY,
        "PUBLIC_URL": "https://feedback.example.gov.uk",
        "ORGANISATION_NAME": "Anytown Council",
        "TRUSTED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXIES": "1",
    }
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **settings}

    app_env = {**base, **environment_of("feedback.service", tmp_path)}
    assert app_env["HOST"] == "127.0.0.1"  # only nginx reaches it
    port = free_port()
    app_env["PORT"] = str(port)
    server = subprocess.Popen(  # noqa: S603 - the unit's own command
        command_of("feedback.service"),
        cwd=unit_settings("feedback.service")["WorkingDirectory"][0].replace(
            "/opt/feedback", str(ROOT)
        ),
        env=app_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(port)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as reply:  # noqa: S310
            assert reply.status == 200
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
    (request,) = [
        json.loads(line) for line in (tmp_path / "log" / "access.log").read_text().splitlines()
    ]
    assert request["path"] == "/healthz" and request["status"] == 200

    jobs_env = {**base, **environment_of("feedback-jobs.service", tmp_path)}
    jobs = subprocess.run(  # noqa: S603 - the unit's own command
        command_of("feedback-jobs.service"), env=jobs_env, capture_output=True, text=True
    )
    assert jobs.returncode == 0, jobs.stderr
    ran = [json.loads(line) for line in jobs.stderr.splitlines()]
    assert [line["state"] for line in ran] == ["ran", "ran", "ran"]
    # The jobs' lock files are in the folder the unit may write.
    assert sorted(path.name for path in (tmp_path / "lib").glob("*.lock")) == [
        "feedback.sqlite.cut-releases.lock",
        "feedback.sqlite.purge-drafts.lock",
        "feedback.sqlite.retention.lock",
    ]
