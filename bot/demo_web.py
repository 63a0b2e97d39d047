"""``python -m bot demo --webapp``: after the quarter, the Mini App keeps being served locally,
with two addresses a desktop browser opens as the demo's people (one operator's form, one
leader's dashboard), signed with the demo's token as Telegram signs launch data."""

from __future__ import annotations

import asyncio
import signal

from bot.app import Runtime
from bot.services.config import Config, webapp_link
from bot.sim import SimPerson
from bot.texts import dashboard as td
from bot.web.initdata import launch_fields, launch_fragment, sign

# The address the phones would load (shown on the chat's buttons in the transcript); the
# browser opens the local server instead.
DEMO_URL = "https://kinerja.demo.invalid/"


def links(runtime: Runtime, token: str, operator: SimPerson, leader: SimPerson) -> list[str]:
    """The lines to print: the operator's form and the leader's dashboard, each signed for
    its person at the demo clock's moment (which stands still while the demo serves)."""
    assert runtime.web is not None
    local = Config(webapp_url=runtime.web.base_url + "/")
    now = runtime.core.now()

    def signed(person: SimPerson, **query: str) -> str:
        data = sign(launch_fields(person.user_id, person.first_name, now), token)
        url = webapp_link(local, **query) if query else local.webapp_url
        return url + launch_fragment(data)

    return [
        td.demo_links_head(),
        td.demo_link(td.DEMO_FORM, operator.full_name, signed(operator)),
        td.demo_link(td.DEMO_DASHBOARD, leader.full_name, signed(leader, view="dashboard")),
    ]


async def serve_until_stopped() -> None:
    """Wait, while the web front answers, until Ctrl-C or SIGTERM (then the demo stops
    cleanly). Both are handled here: a shell starting the demo in the background leaves
    SIGINT ignored, and SIGTERM is how a supervisor or a test stops it."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
