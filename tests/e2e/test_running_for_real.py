"""The README's "Running for real" block, followed literally (the CLI as subprocesses, the bot
against the simulator): exactly one admin comes out of it, and nobody else can mint invites."""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import sqlite3
import sys
from pathlib import Path

from bot.sim import BotApiSimulator
from bot.texts import common as texts
from tests.e2e.conftest import BOT_USERNAME, TOKEN
from tests.e2e.test_crash import ROOT, start_bot


def readme_block() -> list[list[str]]:
    """The commands of the README's "Running for real" block, as argument lists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running for real", 1)[1]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.strip().splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] != "export":
            commands.append(words)
    return commands


def other_invite_command() -> list[str]:
    """The README's "Other commands" invite of an operator."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"`(python3 -m bot invite --role operator [^`]*)`", readme)
    assert found, "the README shows how to invite an operator"
    return shlex.split(found.group(1))


async def cli(words: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run a ``python3 -m bot ...`` line as the README shows it."""
    assert words[:3] == ["python3", "-m", "bot"], words
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *words[1:],
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def token_of(link: str) -> str:
    return link.strip().rsplit("start=", 1)[1]


async def test_the_readme_block_makes_exactly_one_admin_and_people_come_and_go(
    tmp_path: Path,
) -> None:
    commands = readme_block()
    assert [c[3] for c in commands] == ["org", "catalog", "invite", "run"]
    db_path = tmp_path / "kinerja.sqlite3"
    async with BotApiSimulator(token=TOKEN, bot_username=BOT_USERNAME) as sim:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": sim.base_url,
            "TELEGRAM_FILE_URL": sim.file_base_url,
            "KINERJA_DB": str(db_path),
            "KINERJA_RATE_LIMIT": "0",
        }
        for words in commands[:2]:
            code, _, err = await cli(words, env)
            assert code == 0, err
        # Before the admin invite, a plain one is refused and says how to do it right.
        code, out, err = await cli(other_invite_command(), env)
        assert code != 0 and "--admin" in err and "start=" not in out
        code, out, err = await cli(commands[2], env)
        assert code == 0, err
        admin_token = token_of(out)
        # After it, the other invites the README shows are plain ones.
        operator_tokens = []
        for _ in range(2):
            code, out, err = await cli(other_invite_command(), env)
            assert code == 0, err
            operator_tokens.append(token_of(out))
        assert commands[3][3:] == ["run"]
        bot = await start_bot(sim, db_path)
        try:
            kasubag = sim.person("Sri", last_name="Kasubag")
            await kasubag.send(f"/start {admin_token}")
            await kasubag.wait_for_text("Selamat datang", timeout=30)
            operators = [sim.person("Tono"), sim.person("Rina")]
            for person, token in zip(operators, operator_tokens, strict=True):
                await person.send(f"/start {token}")
                await person.wait_for_text("Selamat datang", timeout=30)

            # The operator cannot mint an invite: neither /undang nor a forged button.
            tono = operators[0]
            await tono.send("/undang")
            await tono.wait_for_text(texts.ADMIN_ONLY, timeout=30)
            for data in ("ir:kadin", "iu:kadin:pelatihan", "iu:operator:pelatihan"):
                await tono.tap_data(data)
                _, answer, _ = await tono.wait_callback_answer(timeout=30)
                assert answer in (texts.ADMIN_ONLY, texts.BUTTON_NOT_YOURS), answer
            assert not any("start=" in m.text for m in tono.messages)

            # People come and go from the command line while the bot runs.
            bot_cli = ["python3", "-m", "bot"]
            code, out, err = await cli([*bot_cli, "member", "list"], env)
            assert code == 0 and "Tono" in out and "Rina" in out and "admin" in out, err
            admin_id = str(kasubag.user_id)
            code, _, err = await cli(
                [*bot_cli, "member", "revoke-admin", "--telegram-id", admin_id], env
            )
            assert code == 1 and "satu-satunya pengelola bot" in err
            code, out, err = await cli(other_invite_command(), env)
            spare = token_of(out)
            code, out, err = await cli([*bot_cli, "invite", "list"], env)
            assert code == 0 and spare in out, err
            code, out, err = await cli([*bot_cli, "invite", "revoke", spare], env)
            assert code == 0, err
            code, out, err = await cli([*bot_cli, "invite", "list"], env)
            assert spare not in out
            rina = operators[1]
            rina_id = str(rina.user_id)
            code, out, err = await cli(
                [*bot_cli, "member", "deactivate", "--telegram-id", rina_id], env
            )
            assert code == 0, err
            await rina.wait_for_text("dinonaktifkan oleh pengelola bot", timeout=30, since=0)
            await rina.send("/isi")
            await rina.wait_for_text("belum terdaftar", timeout=30)
            end = ["member", "end-role", "--telegram-id", str(tono.user_id), "--role", "operator"]
            code, out, err = await cli([*bot_cli, *end, "--unit", "pelatihan"], env)
            assert code == 0, err
            await tono.wait_for_text("berakhir", timeout=30, since=0)
        finally:
            bot.send_signal(signal.SIGTERM)
            await asyncio.wait_for(bot.wait(), 15)

    conn = sqlite3.connect(db_path)
    try:
        admins = conn.execute("SELECT full_name FROM people WHERE is_admin = 1").fetchall()
        assert admins == [("Sri Kasubag",)]
        assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 3
        assert conn.execute("SELECT COUNT(*) FROM invites").fetchone()[0] == 4
        cli_changes = conn.execute(
            'SELECT action FROM audit_log WHERE detail LIKE \'%"via": "cli"%\' ORDER BY id'
        ).fetchall()
        assert cli_changes == [("invite_revoked",), ("person_deactivated",), ("role_ended",)]
        assert conn.execute("SELECT COUNT(*) FROM invites WHERE is_admin = 1").fetchone()[0] == 1
    finally:
        conn.close()
