"""``python -m bot check``: is this bot healthy? One line per check, exit 0 only if all pass.

For a container health check and monitoring: the token works (getMe), the database opens and
passes ``integrity_check``, its migrations are current, no message has waited in the outbox
longer than :data:`STUCK_AFTER`, the poll loop's heartbeat is recent, and (when
``KINERJA_WEBAPP_URL`` switches it on) the Mini App's web front answers. Reads only: it
neither migrates nor writes, so it is safe beside the running bot. Never prints the token.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

from bot.app import TokenRedactor
from storage import health
from storage.migrations import MIGRATIONS

STUCK_AFTER = timedelta(minutes=10)
# The pump beats at most every 30 s, after a poll that returns within its 10 s timeout.
MAX_POLL_AGE = timedelta(minutes=3)
TOKEN_SECONDS = 15.0
WEB_SECONDS = 5.0
OK, FAILED = "ok", "GAGAL"


@dataclass(frozen=True, slots=True)
class Check:
    """One verdict: what was checked, whether it passed, and a short reason."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """``ok     name: detail`` / ``GAGAL  name: detail``."""
        return f"{OK if self.ok else FAILED:<6} {self.name}: {self.detail}"


async def token_check(token: str, api_url: str) -> Check:
    """getMe with the token, bounded in time; the reason never quotes the token."""
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    from bot.transport import AiohttpRequest

    if not token:
        return Check("token", False, "TELEGRAM_BOT_TOKEN belum diisi / is not set")
    redact = TokenRedactor(token).clean
    try:
        async with asyncio.timeout(TOKEN_SECONDS):
            async with Bot(token, base_url=api_url, request=AiohttpRequest()) as bot:
                return Check("token", True, f"@{bot.username} (getMe)")
    except InvalidToken:
        return Check("token", False, "ditolak Telegram / refused by Telegram (401)")
    except TimeoutError:
        return Check("token", False, f"Bot API tidak menjawab / no answer in {TOKEN_SECONDS:.0f} s")
    except (TelegramError, OSError, ValueError) as exc:
        reason = redact(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)[:200]
        return Check("token", False, f"Bot API tidak terjangkau / unreachable: {reason}")


async def database_checks(db_path: Path, now: datetime, wall: datetime) -> list[Check]:
    """The database's checks; ``now`` the business clock, ``wall`` the machine's."""
    if not db_path.is_file():
        missing = Check("database", False, f"tidak ada / no database at {db_path}")
        rest = [Check(n, False, "not checked") for n in ("migrations", "outbox", "poll")]
        return [missing, *rest]
    results: list[Check] = []
    try:
        conn = await aiosqlite.connect(db_path)
    except Exception as exc:
        return [Check("database", False, f"cannot open: {exc}")]
    try:
        await conn.execute("PRAGMA busy_timeout = 5000")
        verdict = await health.integrity(conn)
        results.append(Check("database", verdict == "ok", f"integrity_check {verdict}"))
        version = await health.schema_version(conn)
        current = version == len(MIGRATIONS)
        results.append(
            Check(
                "migrations",
                current,
                f"version {version} of {len(MIGRATIONS)}"
                + ("" if current else " (jalankan / run the bot to migrate)"),
            )
        )
        results.append(await _outbox_check(conn, now))
        results.append(await _poll_check(conn, wall))
    except Exception as exc:  # a table missing in an old schema, a locked file, ...
        results.append(Check("database", False, f"{type(exc).__name__}: {exc}"))
    finally:
        await conn.close()
    return results


async def _outbox_check(conn: aiosqlite.Connection, now: datetime) -> Check:
    minutes = int(STUCK_AFTER.total_seconds() // 60)
    stuck = await health.stuck_outbox(conn, now - STUCK_AFTER)
    if stuck:
        return Check("outbox", False, f"{stuck} pesan/berkas tertahan / stuck > {minutes} min")
    return Check("outbox", True, f"nothing stuck > {minutes} min")


async def _poll_check(conn: aiosqlite.Connection, wall: datetime) -> Check:
    last = await health.last_beat(conn, health.POLL)
    if last is None:
        return Check("poll", False, "belum pernah / never polled")
    age = int((wall - last).total_seconds())
    fresh = age <= MAX_POLL_AGE.total_seconds()
    limit = int(MAX_POLL_AGE.total_seconds())
    return Check("poll", fresh, f"last successful poll {age} s ago (limit {limit} s)")


async def webapp_check(listen: str) -> Check:
    """Whether the Mini App's web front answers where it listens (``KINERJA_WEBAPP_LISTEN``)."""
    from aiohttp import ClientError, ClientSession, ClientTimeout

    from bot.web.server import parse_listen

    try:
        host, port = parse_listen(listen)
    except ValueError:
        return Check("webapp", False, "KINERJA_WEBAPP_LISTEN tidak sah / is not host:port")
    if host in ("0.0.0.0", "::"):  # listening everywhere: this machine answers too
        host = "127.0.0.1"
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/healthz"
    try:
        async with (
            ClientSession(timeout=ClientTimeout(total=WEB_SECONDS)) as session,
            session.get(url) as response,
        ):
            return Check("webapp", response.status == 200, f"{url} answered {response.status}")
    except (ClientError, OSError, TimeoutError) as exc:
        return Check("webapp", False, f"{url} tidak menjawab / no answer ({type(exc).__name__})")


async def run_checks(
    token: str,
    api_url: str,
    db_path: Path,
    clock_offset: timedelta = timedelta(0),
    webapp_listen: str | None = None,
) -> list[Check]:
    """Every check, in a fixed order; the web front's last, when it is switched on."""
    wall = datetime.now(UTC)
    token_result, db_results = await asyncio.gather(
        token_check(token, api_url), database_checks(db_path, wall + clock_offset, wall)
    )
    web = [await webapp_check(webapp_listen)] if webapp_listen is not None else []
    return [token_result, *db_results, *web]
