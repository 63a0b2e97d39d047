"""How the bot's Telegram calls travel: python-telegram-bot's requests, carried by aiohttp.

PTB's default backend, httpx, spends about 2 ms of CPU on each call (measured against the
local simulator); aiohttp, which the project has anyway, about 0.3 ms. PTB takes any
:class:`~telegram.request.BaseRequest`, so the Bot, its methods and its mapping of answers
(429 → RetryAfter, 400 → BadRequest, …) stay PTB's own; only the bytes travel differently.
Failures map as PTB's own backend maps them: a timeout is ``TimedOut`` (Telegram may have
acted on the call), any other failure to get an answer is ``NetworkError``.
"""

from __future__ import annotations

import base64
import logging
import ssl
import urllib.request
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

# (file name, content, MIME type) per form field, as RequestData.multipart_data gives them
Files = dict[str, tuple[str, Any, str]]


# (proxy URL, the headers that log in to it), or (None, None) for a direct connection
Proxy = tuple[str | None, dict[str, str] | None]


def env_proxy(url: SplitResult) -> Proxy:
    """The proxy that ``HTTPS_PROXY``/``HTTP_PROXY`` (and ``NO_PROXY``) name for ``url``."""
    proxies = urllib.request.getproxies_environment()
    named = proxies.get(url.scheme)
    # The environment's NO_PROXY only (no system settings, no DNS lookup); not in typeshed.
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    if not named or bypass(url.hostname or "", proxies):
        return None, None
    proxy = urlsplit(named)
    login = None
    if proxy.username:
        # Basic authentication, as a header (aiohttp's BasicAuth object is deprecated)
        pair = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}".encode()
        login = {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode()}
    where = proxy.hostname or ""
    if proxy.port is not None:
        where += f":{proxy.port}"
    return proxy._replace(netloc=where).geturl(), login


class AiohttpRequest(BaseRequest):
    """A PTB request backend on one ``aiohttp`` session; defaults as PTB's ``HTTPXRequest``."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        # (scheme, host, port) -> the proxy the environment names for it, and its login
        self._proxies: dict[tuple[str, str, int | None], Proxy] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            # As PTB's httpx backend does: certifi's CA bundle (a slim server image may have
            # no system one) and the HTTPS_PROXY / NO_PROXY of the environment (an office
            # network often allows the internet only through its proxy). The proxy is looked
            # up once per host (_proxy_for), not by aiohttp's trust_env, which reads the
            # environment and ~/.netrc again on every call, in two trips to a thread.
            self._proxies.clear()
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ssl=_tls_context()),
                headers={"User-Agent": self.USER_AGENT},
                timeout=aiohttp.ClientTimeout(total=None),
            )

    def _proxy_for(self, url: SplitResult) -> Proxy:
        """The proxy the environment names for ``url``'s host (None: direct), looked up once."""
        key = (url.scheme, url.hostname or "", url.port)
        found = self._proxies.get(key)
        if found is None:
            found = self._proxies[key] = env_proxy(url)
        return found

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        # each a number of seconds, None (no limit), or BaseRequest.DEFAULT_NONE (the default)
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one call; (HTTP status, body)."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data and request_data.contains_files else {}
        read = _given(read_timeout, self._read_timeout)
        write = _given(write_timeout, self._media_write_timeout if files else self._write_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        # aiohttp has no write timeout of its own: the whole call is bounded by the sum of
        # the phases' limits instead, and waiting for a pooled connection counts as connecting.
        timeout = aiohttp.ClientTimeout(
            total=_sum(pool, connect, write, read),
            connect=_sum(pool, connect),
            sock_connect=connect,
            sock_read=read,
        )
        proxy, proxy_login = self._proxy_for(urlsplit(url))
        try:
            async with session.request(
                method,
                url,
                data=_body(request_data, files),
                timeout=timeout,
                proxy=proxy,
                proxy_headers=proxy_login,
            ) as response:
                body = await response.read()
        except TimeoutError as exc:  # aiohttp's own timeouts are TimeoutErrors too
            log.debug("%s %s timed out", method, url)
            raise TimedOut(f"aiohttp: timed out ({type(exc).__name__})") from exc
        except (aiohttp.ClientError, OSError) as exc:
            log.debug("%s %s failed: %r", method, url, exc)
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
        log.debug("%s %s: %d", method, url, response.status)
        return response.status, body


def _tls_context() -> ssl.SSLContext:
    """Verify Telegram's certificate against certifi's bundle, the system's without it."""
    try:
        import certifi
    except ImportError:  # httpx, which PTB needs, brings certifi; this is a fallback only
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def _given(value: object, default: float | None) -> float | None:
    """The timeout the caller passed, or the default when they passed PTB's sentinel."""
    if value is None or isinstance(value, int | float):
        return value
    return default


def _sum(*parts: float | None) -> float | None:
    """The sum of the limits, or no limit if one phase has none."""
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def _body(
    request_data: RequestData | None, files: Files
) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields as PTB encodes them; a multipart form when files go with them."""
    if request_data is None:
        return None
    if not files:
        return request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (file_name, content, mime_type) in files.items():
        form.add_field(name, content, filename=file_name, content_type=mime_type)
    return form
