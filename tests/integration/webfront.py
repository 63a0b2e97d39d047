"""The Mini App's web front over HTTP for integration tests: an agency, the server on a free
port, and launch data signed as Telegram signs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bot.clock import FakeClock
from bot.services.config import Config
from bot.services.core import Core
from bot.web.initdata import launch_fields, sign
from bot.web.server import WebFront
from storage.db import Database
from tests.integration.office import Office, Person, set_up_agency

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
URL = "https://kinerja.example.go.id/formulir"


@dataclass
class Front:
    office: Office
    people: dict[str, Person]
    web: WebFront
    http: aiohttp.ClientSession

    def init_data(self, who: str | int, at: datetime | None = None, token: str = TOKEN) -> str:
        telegram_id = who if isinstance(who, int) else self.people[who].telegram_id
        return sign(launch_fields(telegram_id, "Nama", at or self.office.clock.now()), token)

    async def call(
        self, method: str, path: str, who: str | int, body: Any = None, init_data: str = ""
    ) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": "tma " + (init_data or self.init_data(who))}
        async with self.http.request(
            method, self.web.base_url + path, json=body, headers=headers
        ) as response:
            return response.status, await response.json()

    async def rows(self) -> dict[str, int]:
        """How many rows the tables a write may touch hold (to show nothing changed)."""
        counts = {}
        async with self.office.core.db.reading() as conn:
            for table in (
                "realisations",
                "budget_realisations",
                "unit_notes",
                "audit_log",
                "outbox",
            ):
                async with conn.execute(f"SELECT COUNT(*) FROM {table}") as cur:
                    row = await cur.fetchone()
                    counts[table] = int(row[0]) if row else 0
        return counts


@asynccontextmanager
async def open_front(tmp_path: Path) -> AsyncIterator[Front]:
    """The agency of :mod:`tests.integration.office` with Triwulan I 2026 open for entry, and
    the Mini App's web front on a free port."""
    db = await Database.open(tmp_path / "kinerja.sqlite3")
    clock = FakeClock(datetime(2026, 10, 5, 2, 0, tzinfo=UTC))
    office = Office(Core(db, clock, Config(bot_username="kinerja_test_bot", webapp_url=URL)))
    people = await set_up_agency(office)
    await people["kasubag"].send("/buka_periode")
    await people["kasubag"].tap("Triwulan I 2026")
    await people["sekretaris"].tap("Setujui")
    web = WebFront(office.core, TOKEN, "127.0.0.1:0")
    await web.start()
    async with aiohttp.ClientSession() as http:
        yield Front(office, people, web, http)
    await web.stop()
    await office.close()


def answer(n: int, value: str, request: str, explanation: str = "") -> dict[str, Any]:
    """The body of a save (``/api/answer``)."""
    return {"request": request, "n": n, "value": value, "explanation": explanation}
