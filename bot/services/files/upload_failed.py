"""Documents whose check could not be done: the file could not be fetched, the worker process
reading it kept dying, or reading it reached the worker's memory limit (``bot.background``
decides which; here the sender, and for worker deaths the admins, are told)."""

from __future__ import annotations

from bot.services.core import Core
from bot.services.files.uploads import origin_of
from bot.texts import upload as tu
from storage import intake, people


async def give_up(
    core: Core, received: intake.Received, *, worker_deaths: int = 0, out_of_memory: bool = False
) -> None:
    """A document that could not be fetched or read: its sender is asked to send it again.

    ``worker_deaths``: its check was given up because the worker process reading it died
    that often; the sender is told so in plain words, and the admins once.
    ``out_of_memory``: reading it reached the worker's memory limit; it is refused.
    """
    async with core.work(origin_of(received)) as work:
        if not await intake.done(work.conn, received.id):
            return
        work.refused = "could not be checked"
        if out_of_memory:
            work.refused = "out of memory"
            await work.reply(tu.TOO_HEAVY)
            return
        if not worker_deaths:
            await work.reply(tu.NOT_CHECKED)
            return
        work.refused = "its worker process died"
        await work.reply(tu.not_checked_worker_died(received.file_name))
        sender = received.full_name or str(received.telegram_id)
        for admin in await people.active_admins(work.conn):
            if admin.telegram_id != received.telegram_id:  # told already, as the sender
                await work.say(
                    admin.telegram_id,
                    tu.worker_deaths_admin(received.file_name, sender, worker_deaths),
                )
