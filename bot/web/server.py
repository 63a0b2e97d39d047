"""The Mini App's web front: the page and its JSON API, served by the bot's own process.

Handlers here are adapters like ``handlers/``: they check Telegram's signature on the launch
data, read the request, call a use case of :mod:`bot.services.quarter.webform` and return its
answer as JSON. Nothing here decides anything about the form.
"""

from __future__ import annotations

import html
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from aiohttp import web

from bot.services.core import Core, Origin
from bot.services.quarter import dashboard, webform, webreview
from bot.texts import common as texts
from bot.texts import dashboard as td
from bot.texts import web as tw
from bot.web.initdata import InitDataError, Launch, validate

log = logging.getLogger(__name__)

DEFAULT_LISTEN = "127.0.0.1:8080"
MAX_BODY = 16 * 1024  # the longest note (2,000 characters) with its explanation fits easily
# Only the page itself, from this server: no inline script, nothing from elsewhere, and no
# page but Telegram's web client may frame it.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self' https://web.telegram.org"
)
STATIC = {
    "/app.js": ("app.js", "text/javascript"),
    "/app.css": ("app.css", "text/css"),
    "/common.js": ("common.js", "text/javascript"),
    "/dashboard.js": ("dashboard.js", "text/javascript"),
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Fields = dict[str, Callable[[object], bool]]  # what a request body must hold, and how
Use = Callable[[Origin, dict[str, Any]], Awaitable[webform.Reply]]


def parse_listen(listen: str) -> tuple[str, int]:
    """``host:port`` (``KINERJA_WEBAPP_LISTEN``) as a host and a port (0: any free port);
    ValueError if it is not one."""
    host, sep, port = listen.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(f"not host:port: {listen!r}")
    return host.strip("[]"), int(port)


@dataclass
class RateLimit:
    """A token bucket per person: ``burst`` requests at once, ``per_second`` after that."""

    burst: float = 120.0
    per_second: float = 10.0
    _buckets: dict[int, tuple[float, float]] = field(default_factory=dict)

    def allow(self, key: int, now: float | None = None) -> bool:
        """Take one token from ``key``'s bucket; False when it is empty."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.per_second)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        if len(self._buckets) > 10_000:  # a forgotten person starts with a full bucket anyway
            self._buckets.clear()
        return True


def _json(status: int, body: dict[str, Any]) -> web.Response:
    response = web.json_response(
        body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False)
    )
    response.headers["Cache-Control"] = "no-store"
    response.enable_compression()  # a phone on a slow network: the form's JSON shrinks ~5×
    return response


def _file(text: str, kind: str) -> web.Response:
    # no-cache: kept, but checked again, so a new version of the bot shows at once.
    response = web.Response(text=text, content_type=kind, headers={"Cache-Control": "no-cache"})
    response.enable_compression()
    return response


def _refusal(status: int, text: str) -> web.Response:
    return _json(status, {"status": "refused", "message": text})


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every answer; JSON bodies only (a cross-site form cannot post
    JSON without a preflight, which gets no CORS headers here); errors as JSON."""
    try:
        if request.method == "POST" and request.content_type != "application/json":
            response: web.StreamResponse = _refusal(415, tw.BAD_REQUEST)
        else:
            response = await handler(request)
    except web.HTTPRequestEntityTooLarge:
        response = _refusal(413, tw.TOO_LARGE)
    except web.HTTPException as exc:
        response = _refusal(exc.status, tw.BAD_REQUEST)
    except Exception:
        log.exception("web front: %s %s failed", request.method, request.path)
        response = _refusal(500, tw.plain(texts.ERROR))
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


class WebFront:
    """The aiohttp application and its listening site."""

    def __init__(
        self, core: Core, token: str, listen: str = DEFAULT_LISTEN, limit: RateLimit | None = None
    ) -> None:
        self.core = core
        self.token = token
        self.host, self.port = parse_listen(listen)
        self.limit = limit or RateLimit()
        self.app = web.Application(client_max_size=MAX_BODY, middlewares=[_guard])
        self.app.router.add_get("/", self._page)
        for path in STATIC:
            self.app.router.add_get(path, self._static)
        self.app.router.add_get("/healthz", self._health)
        self.app.router.add_get("/api/form", self._form)
        self.app.router.add_post("/api/check", self._check)
        self.app.router.add_post("/api/answer", self._answer)
        self.app.router.add_post("/api/submit", self._submit)
        self.app.router.add_get("/api/review", self._review)
        self.app.router.add_post("/api/decide", self._decide)
        self.app.router.add_get("/api/dashboard", self._dashboard)
        self.app.router.add_post("/api/lead_decide", self._lead_decide)
        self._files = {name: _read(name) for name, _ in STATIC.values()}
        # The page's only sentences before the form arrives, put in as escaped text.
        self._index = _page_with("index.html", tw.PAGE)
        self._dashboard_page = _page_with("dashboard.html", td.PAGE)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0: any free port, see :attr:`port`)."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:  # the bound socket tells the port chosen
            self.port = int(self._runner.addresses[0][1])
        log.info("web front listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening; requests in hand finish first."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """Where this server answers locally (for checks and tests)."""
        return f"http://{self.host}:{self.port}"

    async def _page(self, request: web.Request) -> web.Response:
        # One address (KINERJA_WEBAPP_URL) for every page: the chat's button says which.
        if request.query.get("view") == "dashboard":
            return _file(self._dashboard_page, "text/html")
        return _file(self._index, "text/html")

    async def _static(self, request: web.Request) -> web.Response:
        name, kind = STATIC[request.path]
        return _file(self._files[name], kind)

    async def _health(self, request: web.Request) -> web.Response:
        return _json(200, {"ok": True})

    def _launch(self, request: web.Request) -> Launch | web.Response:
        """The person Telegram vouches for, or the 401/429 to answer instead."""
        scheme, _, init_data = request.headers.get("Authorization", "").partition(" ")
        try:
            if scheme != "tma":
                raise InitDataError("no tma authorization")
            launch = validate(init_data, self.token, self.core.now())
        except InitDataError as exc:
            log.info("web front: launch data refused (%s)", exc.reason)
            return _refusal(401, tw.UNAUTHORIZED)
        if not self.limit.allow(launch.telegram_id):
            return _refusal(429, tw.TOO_MANY)
        return launch

    @staticmethod
    def _origin(launch: Launch) -> Origin:
        # A Mini App is opened from the private chat, whose id is the person's own.
        return Origin(
            launch.telegram_id,
            launch.telegram_id,
            None,
            full_name=launch.full_name,
            username=launch.username,
            via_webapp=True,
        )

    async def _serve(self, request: web.Request, fields: Fields, use: Use) -> web.Response:
        """Check the launch data and the body's ``fields``, run ``use``, answer its reply."""
        launch = self._launch(request)
        if isinstance(launch, web.Response):
            return launch
        body: dict[str, Any] = {}
        if request.method == "POST":
            try:
                body = await request.json()
            except ValueError:
                body = {}
            if not isinstance(body, dict) or not all(ok(body.get(k)) for k, ok in fields.items()):
                return _refusal(400, tw.BAD_REQUEST)
        reply = await use(self._origin(launch), body)
        return _json(reply.status, reply.body)

    async def _form(self, request: web.Request) -> web.Response:
        return await self._serve(request, {}, lambda origin, _: webform.form(self.core, origin))

    async def _check(self, request: web.Request) -> web.Response:
        return await self._serve(
            request,
            {"n": _is_int, "value": _is_str},
            lambda origin, b: webform.check(self.core, origin, b["n"], b["value"]),
        )

    async def _answer(self, request: web.Request) -> web.Response:
        return await self._serve(
            request,
            {"request": _is_str, "n": _is_int, "value": _is_str, "explanation": _is_str_or_none},
            lambda origin, b: webform.save(
                self.core, origin, b["request"], b["n"], b["value"], b.get("explanation") or ""
            ),
        )

    async def _submit(self, request: web.Request) -> web.Response:
        return await self._serve(
            request,
            {"request": _is_str, "version": _is_int},
            lambda origin, b: webform.submit(self.core, origin, b["request"], b["version"]),
        )

    async def _review(self, request: web.Request) -> web.Response:
        report = _query_int(request, "report")

        async def use(origin: Origin, _: dict[str, Any]) -> webform.Reply:
            if report is None:
                return webform.message(400, tw.BAD_REQUEST)
            return await webreview.view(self.core, origin, report)

        return await self._serve(request, {}, use)

    async def _decide(self, request: web.Request) -> web.Response:
        return await self._serve(
            request,
            {
                "request": _is_str,
                "report": _is_int,
                "version": _is_int,
                "decision": _is_str,
                "reason": _is_str_or_none,
            },
            lambda origin, b: webreview.decide(
                self.core,
                origin,
                b["request"],
                b["report"],
                b["version"],
                b["decision"],
                b.get("reason") or "",
            ),
        )

    async def _dashboard(self, request: web.Request) -> web.Response:
        return await self._serve(request, {}, lambda origin, _: dashboard.view(self.core, origin))

    async def _lead_decide(self, request: web.Request) -> web.Response:
        return await self._serve(
            request,
            {
                "request": _is_str,
                "version": _is_int,
                "decision": _is_str,
                "reason": _is_str_or_none,
            },
            lambda origin, b: dashboard.decide(
                self.core, origin, b["request"], b["version"], b["decision"], b.get("reason") or ""
            ),
        )


def _page_with(name: str, page: dict[str, str]) -> str:
    """A page with its only sentences before the data arrives put in as escaped text."""
    text = _read(name)
    for key in ("loading", "no_launch", "offline"):
        text = text.replace("{{" + key + "}}", html.escape(page[key]))
    return text


def _query_int(request: web.Request, name: str) -> int | None:
    """A whole number from the query string (an id), or None."""
    text = request.query.get(name, "")
    return int(text) if text.isdigit() and len(text) < 10 else None


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_str_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**31) < value < 2**31


def _read(name: str) -> str:
    return resources.files("bot.web").joinpath("static", name).read_text(encoding="utf-8")
