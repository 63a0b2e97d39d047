"""The bot's own transport (``bot.transport``) under what the sim contract tests do not reach:
per-call timeouts, a refused connection, shutdown and a second start."""

from __future__ import annotations

import socket
import time

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.sim import BotApiSimulator, Fault
from bot.transport import AiohttpRequest

TOKEN = "123456:TRANSPORT-abcdefghijklmnopqrstuvwxyz"


async def test_a_long_poll_may_outlast_the_default_read_timeout() -> None:
    async with BotApiSimulator(token=TOKEN, bot_username="t_bot") as sim:
        request = AiohttpRequest(read_timeout=0.5)
        async with Bot(TOKEN, base_url=sim.base_url, request=request) as bot:
            started = time.monotonic()
            assert await bot.get_updates(timeout=1, read_timeout=3) == ()
            assert time.monotonic() - started >= 0.9  # it waited the poll out
            sim.faults.add(Fault("slow", method="sendMessage", count=1, delay=2))
            person = sim.person("Ani")
            with pytest.raises(TimedOut):
                await bot.send_message(person.chat_id, "lambat")  # the default 0.5 s applies


async def test_a_refused_connection_is_a_network_error_not_a_timeout() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(connect_timeout=2)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        assert not isinstance(caught.value, TimedOut)
    finally:
        await request.shutdown()


async def test_it_refuses_calls_after_shutdown_and_starts_again() -> None:
    async with BotApiSimulator(token=TOKEN, bot_username="t_bot") as sim:
        request = AiohttpRequest()
        url = f"{sim.base_url}{TOKEN}/getMe"
        await request.initialize()
        assert (await request.post(url))["username"] == "t_bot"
        await request.shutdown()
        await request.shutdown()  # twice is harmless
        with pytest.raises(NetworkError, match="not initialized"):
            await request.post(url)
        await request.initialize()
        assert (await request.post(url))["username"] == "t_bot"
        await request.shutdown()


async def test_calls_go_through_the_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An office network that reaches the internet only through its proxy (HTTP_PROXY)."""
    forwarded: list[str] = []

    async def forward(request: web.Request) -> web.Response:
        forwarded.append(request.path)
        async with (
            aiohttp.ClientSession() as client,
            client.request(
                request.method, str(request.url), data=await request.read(), headers=request.headers
            ) as answer,
        ):
            return web.Response(
                status=answer.status, body=await answer.read(), content_type="application/json"
            )

    proxy = web.Application()
    proxy.router.add_route("*", "/{tail:.*}", forward)
    runner = web.AppRunner(proxy, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with BotApiSimulator(token=TOKEN, bot_username="t_bot") as sim:
            for name in ("NO_PROXY", "no_proxy"):
                monkeypatch.delenv(name, raising=False)
            monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
            async with Bot(TOKEN, base_url=sim.base_url, request=AiohttpRequest()) as bot:
                assert bot.username == "t_bot"
    finally:
        await runner.cleanup()
    assert forwarded and forwarded[0].endswith("/getMe")


def test_the_proxy_is_read_from_the_environment_with_its_login_and_exceptions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from urllib.parse import urlsplit

    from bot.transport import env_proxy

    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    api = urlsplit("https://api.telegram.org/bot123:abc/getMe")
    assert env_proxy(api) == (None, None)
    monkeypatch.setenv("HTTPS_PROXY", "http://kantor:rahasia@proxy.dinas.go.id:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    proxy, login = env_proxy(api)
    assert proxy == "http://proxy.dinas.go.id:3128"
    assert login == {"Proxy-Authorization": "Basic a2FudG9yOnJhaGFzaWE="}  # kantor:rahasia
    assert env_proxy(urlsplit("http://127.0.0.1:8081/bot123:abc/getMe")) == (None, None)


def test_telegrams_certificate_is_checked_against_certifis_bundle() -> None:
    """As with PTB's own backend: verified, against a bundle that ships with the packages."""
    import ssl

    from bot.transport import _tls_context

    context = _tls_context()
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert len(context.get_ca_certs()) > 50  # certifi's roots, not an empty system store
