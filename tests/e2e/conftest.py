"""The real bot (PTB Application, our pump and sender) against the local Bot API simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import Runtime, Settings
from bot.clock import FakeClock
from bot.model import Role
from bot.services.config import Config
from bot.services.people import admin, onboarding
from bot.sim import BotApiSimulator, SimPerson
from tests.integration.office import UNITS

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
BOT_USERNAME = "kinerja_test_bot"


@dataclass
class Harness:
    """A simulator, a running bot, and helpers to start and stop it."""

    sim: BotApiSimulator
    db_path: Path
    clock: FakeClock
    runtime: Runtime | None = None
    rate_limit: bool = False  # production paces calls with PTB's limiter; most tests need not
    admin_token: str = ""  # the agency's first invite (an admin one), made by the fixture
    webapp_url: str = ""  # set (then restart) to run the Mini App's web front

    def settings(self) -> Settings:
        return Settings(
            token=TOKEN,
            db_path=self.db_path,
            api_url=self.sim.base_url,
            file_url=self.sim.file_base_url,
            clock=self.clock,
            config=Config(webapp_url=self.webapp_url),
            rate_limit=self.rate_limit,
            poll_timeout=1,
            backup_every=None,
            webapp_listen="127.0.0.1:0",  # any free port: tests run side by side
        )

    async def start(self) -> Runtime:
        self.runtime = await Runtime.create(self.settings())
        await admin.ensure_sekretariat(self.runtime.core)
        await self.runtime.start()
        return self.runtime

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop(flush_seconds=3)
            self.runtime = None

    async def restart(self) -> Runtime:
        await self.stop()
        return await self.start()

    async def invite(
        self, role: Role, unit: str | None = None, admin_: bool = False, name: str | None = None
    ) -> str:
        """What ``python -m bot invite`` does, against the running bot's database."""
        assert self.runtime is not None
        created = await onboarding.create_invite_cli(
            self.runtime.core, role, unit, name, admin_, BOT_USERNAME
        )
        return created.invite.token

    async def join(
        self, person: SimPerson, role: Role, unit: str | None = None, admin_: bool = False
    ) -> None:
        token = await self.invite(role, unit, admin_)
        await person.send(f"/start {token}")
        await person.wait_for_text("Selamat datang")


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    sim = BotApiSimulator(token=TOKEN, bot_username=BOT_USERNAME)
    await sim.start()
    h = Harness(
        sim, tmp_path / "kinerja.sqlite3", FakeClock(datetime(2026, 10, 5, 2, 0, tzinfo=UTC))
    )
    await h.start()
    assert h.runtime is not None
    await admin.import_units(h.runtime.core, UNITS, "Dinas Tenaga Kerja Kabupaten Contoh")
    # As the README sets an agency up: the admin invite comes first (a plain invite is refused
    # while the database has neither an admin nor an admin invite waiting).
    h.admin_token = await h.invite(Role.KASUBAG_KPEP, admin_=True)
    try:
        yield h
    finally:
        await h.stop()
        await sim.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly when the Mini App's browser tests did not run, and how to run them."""
    from tests.e2e.browser import missing

    why = missing()
    ran_here = any(
        "test_webapp_browser" in report.nodeid
        for reports in terminalreporter.stats.values()
        for report in reports
        if hasattr(report, "nodeid")
    )
    if why and ran_here:
        terminalreporter.write_line(
            f"BROWSER TESTS DID NOT RUN (tests/e2e/test_webapp_browser.py): {why}", red=True
        )
