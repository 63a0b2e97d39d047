"""Every inline button press: decoded in one place, then handed to its use case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot import texts
from bot.callbacks import Callback, Cb, decode
from bot.services import onboarding
from bot.services.core import Core, Origin, Outcome
from handlers.common import Context, adapter

Press = Callable[[Core, Origin, Callback], Awaitable[Outcome]]

ROUTES: dict[Cb, Press] = {
    Cb.INVITE_ROLE: lambda core, origin, cb: onboarding.invite_pick(core, origin, cb.str(0), None),
    Cb.INVITE_UNIT: lambda core, origin, cb: onboarding.invite_pick(
        core, origin, cb.str(0), cb.str(1)
    ),
}


@adapter
async def pressed(update: Update, context: Context, core: Core, origin: Origin) -> Outcome:
    """Decode, route, and let the adapter answer the query."""
    assert update.callback_query is not None
    callback = decode(update.callback_query.data)
    press = ROUTES.get(callback.kind) if callback else None
    if callback is None or press is None:
        await onboarding.mark_handled(core, origin)
        return Outcome(texts.BUTTON_INVALID)
    try:
        return await press(core, origin, callback)
    except (IndexError, ValueError):  # a forged button with missing or non-numeric fields
        return Outcome(texts.BUTTON_INVALID)
