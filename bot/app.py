"""The composition root: builds the Application, the services, the pump and the sender."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from telegram import BotCommand
from telegram.ext import AIORateLimiter, Application

from bot.background import Background
from bot.clock import Clock, SystemClock
from bot.offload import DEFAULT_WORKERS, Offload
from bot.pump import UpdatePump
from bot.sender import OutboxSender
from bot.services.config import Config
from bot.services.core import Core
from bot.texts import common as texts
from bot.transport import AiohttpRequest
from bot.web.server import WebFront
from handlers import register
from storage.db import Database, is_busy

log = logging.getLogger(__name__)

TELEGRAM_API_URL = "https://api.telegram.org/bot"
TELEGRAM_FILE_URL = "https://api.telegram.org/file/bot"


@dataclass
class Settings:
    """Everything needed to run one bot."""

    token: str
    db_path: Path
    api_url: str = TELEGRAM_API_URL
    file_url: str = TELEGRAM_FILE_URL
    clock: Clock = field(default_factory=SystemClock)
    config: Config = field(default_factory=Config)
    rate_limit: bool = True  # PTB's limiter and the per-chat pace (bot/pacing.py)
    poll_timeout: int = 10
    set_commands: bool = True
    backup_every: timedelta | None = timedelta(days=1)
    backup_keep: int = 14
    remind_every: timedelta | None = timedelta(minutes=1)
    # Pruning old update ids and delivered files' bytes (bot/services/housekeeping.py).
    housekeeping_every: timedelta | None = timedelta(days=1)
    # Worker processes that parse uploads and build reports (0: a thread; bot/offload.py).
    workers: int = DEFAULT_WORKERS
    # Where the Mini App's web front listens (KINERJA_WEBAPP_LISTEN); it runs only when
    # ``config.webapp_url`` is set.
    webapp_listen: str = "127.0.0.1:8080"


class TokenRedactor(logging.Filter):
    """Replace any bot token in a log record by ``<token>``: request URLs carry it."""

    pattern = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message, traceback and stack without the token."""
        message = record.getMessage()
        clean = self.clean(message)
        if clean != message:
            record.msg, record.args = clean, None
        # A traceback quotes exception messages (HTTP clients put the request URL in them); the
        # formatter prints ``exc_text`` when it is set, so set it to the cleaned text.
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True

    def clean(self, text: str) -> str:
        """``text`` with every token replaced."""
        text = self.pattern.sub("<token>", text)
        return text.replace(self.token, "<token>") if self.token else text


def configure_logging(token: str | None, level: int = logging.INFO) -> None:
    """Log to stderr, never the token; per-request lines only at DEBUG."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(TokenRedactor(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # The transport logs each request URL (token included) at DEBUG, and httpx (which PTB
    # imports) at INFO; at DEBUG, asked for explicitly, everything is shown and the redactor
    # is what keeps the token out.
    quiet = logging.WARNING if level > logging.DEBUG else logging.DEBUG
    for noisy in ("httpx", "httpcore", "apscheduler", "bot.transport"):
        logging.getLogger(noisy).setLevel(quiet)
    # Warnings (an unclosed session, say) go through the redacting handler, not straight out.
    logging.captureWarnings(True)


class Runtime:
    """A running bot: database, Application, update pump and outbox sender."""

    def __init__(self, settings: Settings, db: Database, application: Application) -> None:
        self.settings = settings
        self.db = db
        self.application = application
        self.core = Core(db, settings.clock, settings.config)
        texts.set_zone(settings.config.calendar.tz)  # times shown in the office's zone
        application.bot_data["core"] = self.core
        # Paced per chat as Telegram asks, unless KINERJA_RATE_LIMIT=0 (tests, the simulator).
        self.sender = OutboxSender(db, application.bot, pace=settings.rate_limit)
        self.core.on_queued(self.sender.wake)
        self.core.offload = Offload(settings.workers)
        self.background = Background(self.core, self._fetch)
        self.core.on_background(self.background.wake)
        self.pump = UpdatePump(application, self.core, poll_timeout=settings.poll_timeout)
        self._tasks: list[asyncio.Task[None]] = []
        self.requests: list[AiohttpRequest] = []  # closed by abort() if start-up fails
        self.web: WebFront | None = None
        if settings.config.webapp_url:
            self.web = WebFront(self.core, settings.token, settings.webapp_listen)

    @classmethod
    async def create(cls, settings: Settings) -> Runtime:
        """Open the database and build the Application (nothing runs yet)."""
        db = await Database.open(settings.db_path)
        requests = [AiohttpRequest(), AiohttpRequest(connection_pool_size=1)]
        builder = (
            Application.builder()
            .token(settings.token)
            .base_url(settings.api_url)
            .base_file_url(settings.file_url)
            .request(requests[0])
            # The long poll waits up to poll_timeout; its read timeout is set per call.
            .get_updates_request(requests[1])
            .updater(None)
        )
        if settings.rate_limit:
            # Retries are the outbox's job; the limiter only paces calls.
            # PTB types the builder for a limiter without arguments; this one takes none.
            builder = builder.rate_limiter(AIORateLimiter(max_retries=0))  # type: ignore[arg-type]
        application = builder.build()
        register(application)
        runtime = cls(settings, db, application)
        runtime.requests = requests
        return runtime

    async def start(self) -> None:
        """Initialise (getMe), delete any webhook, start the pump and the sender.

        The command menu is set beside them: it is cosmetic, so a failure is logged and
        retried, never fatal.
        """
        await self.application.initialize()
        username = self.application.bot.username
        if username:
            self.settings.config.bot_username = username
        # A webhook left on the token (another deployment, a test) makes every getUpdates
        # answer 409. Pending updates are people's messages: they are kept.
        await self.application.bot.delete_webhook(drop_pending_updates=False)
        await self.application.start()
        self._tasks = [
            asyncio.create_task(self.sender.run(), name="outbox-sender"),
            asyncio.create_task(self.pump.run(), name="update-pump"),
            asyncio.create_task(self.background.run(), name="background"),
        ]
        if self.settings.set_commands:
            self._tasks.append(asyncio.create_task(self._command_menu(), name="command-menu"))
        if self.web is not None:
            await self.web.start()
        if self.settings.remind_every is not None:
            self._tasks.append(asyncio.create_task(self._reminders(), name="reminders"))
        if self.settings.backup_every is not None:
            self._tasks.append(asyncio.create_task(self._backups(), name="daily-backup"))
        if self.settings.housekeeping_every is not None:
            self._tasks.append(asyncio.create_task(self._housekeeping(), name="housekeeping"))
        log.info("bot @%s running", self.settings.config.bot_username)

    async def _fetch(self, file_id: str) -> bytes:
        """A file a person sent, from Telegram."""
        telegram_file = await self.application.bot.get_file(file_id)
        return bytes(await telegram_file.download_as_bytearray())

    async def _command_menu(self) -> None:
        """Set the command menu; after a failure, try again later (1 s, doubling to 10 min)."""
        commands = [BotCommand(name, description) for name, description in texts.COMMAND_MENU]
        delay = 1.0
        while True:
            try:
                await self.application.bot.set_my_commands(commands)
                return
            except Exception as exc:
                log.warning("setMyCommands failed (%s); retrying in %.0f s", exc, delay)
            await asyncio.sleep(delay)
            delay = min(600.0, delay * 2)

    async def abort(self) -> None:
        """Undo a start that failed (or was cut short): close connections and the database."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.web is not None:
            with contextlib.suppress(Exception):
                await self.web.stop()
        with contextlib.suppress(Exception):
            if self.application.running:
                await self.application.stop()
            await self.application.shutdown()
        for request in self.requests:  # open even if getMe failed (PTB then skips them)
            with contextlib.suppress(Exception):
                await request.shutdown()
        await self.db.close()

    async def _reminders(self) -> None:
        """Check the time standards every ``remind_every`` (the database says what is due)."""
        from bot.services.quarter import reminders

        assert self.settings.remind_every is not None
        while True:
            try:
                await reminders.check(self.core)
            except Exception as exc:
                if is_busy(exc):  # another process holds the lock: the next check catches up
                    log.warning("reminder check skipped: the database is locked")
                else:
                    log.exception("reminder check failed")
            await asyncio.sleep(self.settings.remind_every.total_seconds())

    async def _backups(self) -> None:
        """A backup soon after start, then one every ``backup_every``; keep the newest few."""
        from storage.backup import backup, prune, timestamped

        assert self.settings.backup_every is not None
        directory = self.settings.db_path.parent / "backups"
        await asyncio.sleep(60)
        while True:
            try:
                # named in the office's time, as `python -m bot backup` names them
                now = self.settings.clock.now().astimezone(self.settings.config.calendar.tz)
                target = timestamped(directory, now)
                await asyncio.to_thread(backup, self.settings.db_path, target)
                await asyncio.to_thread(prune, directory, self.settings.backup_keep)
                log.info("backup written to %s", target)
            except Exception:
                log.exception("automatic backup failed")
            await asyncio.sleep(self.settings.backup_every.total_seconds())

    async def _housekeeping(self) -> None:
        """Prune what can never be needed again, at start and every ``housekeeping_every``."""
        from bot.services import housekeeping

        assert self.settings.housekeeping_every is not None
        while True:
            try:
                await housekeeping.prune(self.core)
            except Exception:
                log.exception("housekeeping failed")
            await asyncio.sleep(self.settings.housekeeping_every.total_seconds())

    async def wait(self) -> None:
        """Run until a task ends (the pump stops on an invalid token)."""
        essential = [t for t in self._tasks if t.get_name() in ("outbox-sender", "update-pump")]
        done, _ = await asyncio.wait(essential, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task.exception():
                raise task.exception()  # type: ignore[misc]

    async def stop(self, flush_seconds: float = 5.0) -> None:
        """Graceful stop: finish the update in hand, flush the outbox, close everything."""
        if self.web is not None:
            await self.web.stop()  # the page's requests in hand finish first
        self.pump.stop()
        pump_task = next((t for t in self._tasks if t.get_name() == "update-pump"), None)
        if pump_task is not None:
            await asyncio.gather(pump_task, return_exceptions=True)
        try:
            # The builder goes on meanwhile: a report queued last is built and sent.
            await self.sender.flush(flush_seconds)
        except Exception:
            log.exception("outbox flush failed at shutdown")
        self.background.stop()
        background = next((t for t in self._tasks if t.get_name() == "background"), None)
        if background is not None:
            # A check or a build in hand is left to the next start (both are queued in the
            # database); its worker process finishes on its own.
            background.cancel()
        self.sender.stop()
        for task in self._tasks:
            if task.get_name() in ("daily-backup", "reminders", "housekeeping", "command-menu"):
                task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        await self.db.close()
