"""A local Telegram Bot API on 127.0.0.1, speaking the protocol as Telegram does.

The real python-telegram-bot client talks to it unchanged (``base_url``/``base_file_url``);
simulated people push updates (``incoming.py``), and every call the bot makes is recorded.
Faults (429, 5xx, timeouts with and without effect, dropped connections, edit errors, blocked
users) are injected per method with counts or seeded probabilities (``faults.py``); a live
bot's faults (webhook and second-poller 409s, migrated groups, revoked tokens) are in
``live.py``. With ``flood_limits`` it also refuses, as Telegram does, a message that breaks a
chat's pace (bot/pacing.py): "429 Too Many Requests" with the ``retry_after`` that would have
conformed.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.pacing import ChatPace
from bot.sim.chats import (
    SimFile,
    SimMessage,
    TranscriptEntry,
    render_transcript,
)
from bot.sim.faults import SENDING, ApiError, Fault, FaultPlan
from bot.sim.incoming import Incoming
from bot.sim.outgoing import as_int
from bot.sim.people import SimGroup, SimPerson

__all__ = ["SENDING", "ApiCall", "ApiError", "BotApiSimulator", "Fault", "FaultPlan"]

# What Telegram counts against a chat's pace: messages and files sent, messages edited.
PACED = {"sendmessage", "senddocument", "sendphoto", "editmessagetext", "editmessagereplymarkup"}

JSON_FIELDS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "reply_parameters",
    "entities",
    "caption_entities",
    "link_preview_options",
    "scope",
}


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    status: int
    error: str | None
    at: float


class BotApiSimulator(Incoming):
    """The server, its chats, and the people in them (what people post: bot/sim/incoming.py;
    what the bot sends: bot/sim/outgoing.py; live-bot faults: bot/sim/live.py)."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "kinerja_bot",
        bot_name: str = "Kinerja",
        host: str = "127.0.0.1",
        port: int = 0,
        flood_limits: bool = False,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.host = host
        self.port = port
        self.bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 1
        self.faults = FaultPlan()
        # Telegram's per-chat limits, when on; every 429 they caused, per chat.
        self.limits: ChatPace | None = ChatPace() if flood_limits else None
        self.flooded: Counter[int] = Counter()
        self.calls: list[ApiCall] = []
        self.unknown_methods: list[str] = []
        self.commands: list[dict[str, Any]] = []
        self.transcript: list[TranscriptEntry] = []
        self.changed = asyncio.Condition()
        self.seq = 0
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._people: dict[int, SimPerson] = {}
        self._groups: dict[int, SimGroup] = {}
        self._messages: dict[int, list[SimMessage]] = {}
        self._next_message: Counter[int] = Counter()
        self._files: dict[str, SimFile] = {}
        self._file_ids = itertools.count(1)
        self._user_ids = itertools.count(10_001)
        self._group_ids = itertools.count(1)
        self._answered: set[str] = set()
        self._runner: web.AppRunner | None = None
        self._live_init()

    # ---- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        """Listen on 127.0.0.1 (an ephemeral port unless one was given)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiSimulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def refusals(self, code: int = 429) -> list[ApiCall]:
        """Every call answered with ``code`` (a flood refusal or an injected fault)."""
        return [call for call in self.calls if call.status == code]

    @property
    def base_url(self) -> str:
        """For ``Application.builder().base_url``."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        """For ``Application.builder().base_file_url``."""
        return f"http://{self.host}:{self.port}/file/bot"

    # ---- what tests read -------------------------------------------------------------
    @property
    def bot_messages(self) -> list[SimMessage]:
        """Everything the bot sent, in all chats."""
        return [m for chat in self._messages.values() for m in chat if m.from_bot]

    def format_transcript(self, entries: list[TranscriptEntry] | None = None) -> str:
        """The conversation as readable text."""
        return render_transcript(self.transcript if entries is None else entries)

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    # ---- HTTP ------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST":
            if request.content_type == "application/json":
                body = await request.json()
                params.update(body if isinstance(body, dict) else {})
            elif request.content_type in (
                "multipart/form-data",
                "application/x-www-form-urlencoded",
            ):
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        params[key] = SimFile(
                            value.filename or key, value.file.read(), value.content_type or ""
                        )
                    else:
                        params[key] = value
        for key in JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                try:
                    params[key] = json.loads(params[key])
                except json.JSONDecodeError as exc:
                    raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from exc
        return params

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"].lower()
        if request.match_info["token"] != self.token:
            return self._error(ApiError(401, "Unauthorized"), method, {})
        refusal = self.live_refusal(method)
        if refusal is not None:
            return self._error(ApiError(*refusal), method, {})
        try:
            params = await self._params(request)
        except ApiError as exc:
            return self._error(exc, method, {})
        except ConnectionResetError:  # the client gave up mid-request (a poll cut short)
            return web.Response(status=499)
        chat_id = as_int(params.get("chat_id"))
        if self.limits is not None and method in PACED and chat_id is not None:
            wait = self.limits.allow(chat_id, time.monotonic())
            if wait > 0:
                self.flooded[chat_id] += 1
                seconds = max(1, math.ceil(wait))
                return self._error(
                    ApiError(429, f"Too Many Requests: retry after {seconds}", seconds),
                    method,
                    params,
                )
        fault = self.faults.pick(method, chat_id)  # getUpdates only when a fault names it
        if fault is not None:
            early = await self._apply_fault(fault, request, method, params)
            if early is not None:
                return early
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            self.unknown_methods.append(request.match_info["method"])
            return self._error(ApiError(404, "Not Found"), method, params)
        try:
            result = await handler(params)
        except ApiError as exc:
            return self._error(exc, method, params)
        self.calls.append(ApiCall(method, _loggable(params), 200, None, time.time()))
        if method != "getupdates":
            await self._notify()
        if fault is not None and fault.kind == "timeout_after":
            await asyncio.sleep(fault.delay or 30)
        return web.json_response({"ok": True, "result": result})

    async def _apply_fault(
        self, fault: Fault, request: web.Request, method: str, params: dict[str, Any]
    ) -> web.StreamResponse | None:
        errors = {
            "429": ApiError(
                429, f"Too Many Requests: retry after {fault.retry_after}", fault.retry_after
            ),
            "500": ApiError(500, "Internal Server Error"),
            "502": ApiError(502, "Bad Gateway"),
            "not_modified": ApiError(
                400,
                "Bad Request: message is not modified: specified new "
                "message content and reply markup are exactly the same as "
                "a current content and reply markup of the message",
            ),
            "not_found": ApiError(400, "Bad Request: message to edit not found"),
            "forbidden": ApiError(403, "Forbidden: bot was blocked by the user"),
        }
        if fault.kind in errors:
            return self._error(errors[fault.kind], method, params)
        if fault.kind in ("timeout_before", "slow"):
            await asyncio.sleep(fault.delay or 30)
            if fault.kind == "timeout_before":
                return self._error(ApiError(504, "Gateway Timeout"), method, params)
            return None
        if fault.kind == "drop":
            self.calls.append(ApiCall(method, _loggable(params), 0, "dropped", time.time()))
            transport = request.transport
            if transport is not None:
                transport.close()
            return web.Response(status=500)  # never sent: the connection is gone
        return None  # timeout_after: applied, then held in _handle

    def _error(self, exc: ApiError, method: str, params: dict[str, Any]) -> web.Response:
        self.calls.append(
            ApiCall(method, _loggable(params), exc.code, exc.description, time.time())
        )
        body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
        if exc.retry_after is not None:
            body["parameters"] = {"retry_after": exc.retry_after}
        if exc.parameters:
            body["parameters"] = {**body.get("parameters", {}), **exc.parameters}
        return web.json_response(body, status=exc.code)

    async def _file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        file_id = path.rsplit("/", 1)[-1].split(".")[0]
        stored = self._files.get(file_id)
        if stored is None:
            return web.Response(status=404)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # ---- methods ---------------------------------------------------------------------
    async def _m_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_deletewebhook(self, params: dict[str, Any]) -> bool:
        return self.delete_webhook(params)

    async def _m_setwebhook(self, params: dict[str, Any]) -> bool:
        self.set_webhook(str(params.get("url") or ""))
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _m_setmycommands(self, params: dict[str, Any]) -> bool:
        self.commands = list(params.get("commands") or [])
        return True

    async def _m_getmycommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands

    async def _m_sendchataction(self, params: dict[str, Any]) -> bool:
        self._target(params)
        return True

    async def _m_getchat(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._chat_json(self._target(params))


def _loggable(params: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (f"<file {v.file_name}>" if isinstance(v, SimFile) else v) for k, v in params.items()
    }
