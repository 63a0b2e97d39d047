"""/unduh: each role fetches what it may see — its unit's form, the agency's reports."""

from __future__ import annotations

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.files import exporting, recipes
from bot.services.files.templates import send_template
from bot.services.quarter.flow import refuse_role
from bot.services.work import Button
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.workflow import PeriodState
from exports.figures import FORMATS
from storage import org, periods

REPORT_READERS = (Role.KADIN, Role.SEKRETARIS, Role.KASUBAG_KPEP)


def _figures_reader(who: Caller) -> str:
    """Which collected quarters the person sees in the figures: the coordinator those whose
    report /unduh offers, the pimpinan the closed ones (as with the reports)."""
    return exporting.COORDINATOR if who.holds(Role.KASUBAG_KPEP) else exporting.PIMPINAN


def _unit_roles(who: Caller) -> list[str]:
    return sorted(set(who.actor.units_as(Role.OPERATOR)) | set(who.actor.units_as(Role.KABID)))


async def menu(core: Core, origin: Origin) -> Outcome:
    """List what the person may download, as buttons."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome()
        buttons: list[list[Button]] = []
        current = await periods.current_period(work.conn)
        if current is not None and current.state is PeriodState.COLLECTING:
            for code in _unit_roles(who):
                report = await periods.unit_report_for(work.conn, current.id, code)
                unit = await org.unit(work.conn, code)
                if report is not None and unit is not None:
                    buttons.append(
                        [
                            (
                                ta.download_template_label(unit.name, current.label),
                                encode(Cb.DOWNLOAD_TEMPLATE, report.id),
                            )
                        ]
                    )
        if any(who.holds(r) for r in REPORT_READERS):
            if await exporting.anything_to_export(work.conn, _figures_reader(who)):
                buttons += [
                    [(ta.download_figures_label(fmt), encode(Cb.DOWNLOAD_FIGURES, fmt))]
                    for fmt in FORMATS
                ]
            for period in reversed(await periods.periods(work.conn)):
                if period.state is PeriodState.CLOSED or (
                    who.holds(Role.KASUBAG_KPEP)
                    and period.state
                    not in (
                        PeriodState.CANCELLED,
                        PeriodState.AWAITING_OPENING,
                        PeriodState.COLLECTING,
                    )
                ):
                    buttons.append(
                        [
                            (
                                ta.download_report_label(
                                    period.label, period.state is PeriodState.CLOSED
                                ),
                                encode(Cb.DOWNLOAD_REPORT, period.id),
                            )
                        ]
                    )
        if not buttons:
            await work.reply(ta.NOTHING_TO_DOWNLOAD)
            return Outcome()
        await work.reply(ta.DOWNLOAD_MENU, buttons[:20])
    return Outcome()


async def template(core: Core, origin: Origin, report_id: int) -> Outcome:
    """Send the unit's fill-in template with what is already entered."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        report = await periods.unit_report(work.conn, report_id)
        if report is None or report.unit_code not in _unit_roles(who):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        await send_template(work, report, who.person.telegram_id)
    return Outcome()


async def report(core: Core, origin: Origin, period_id: int) -> Outcome:
    """Send the agency report of a period the person may see."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        period = await periods.period(work.conn, period_id)
        allowed = period is not None and (
            (period.state is PeriodState.CLOSED and any(who.holds(r) for r in REPORT_READERS))
            or (
                who.holds(Role.KASUBAG_KPEP)
                and period.state not in (PeriodState.CANCELLED, PeriodState.AWAITING_OPENING)
            )
        )
        if not allowed or period is None:
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        draft = period.state is not PeriodState.CLOSED
        await work.send_built(
            who.person.telegram_id,
            "sendDocument",
            recipes.report(period.id, draft=draft),
            ta.draft_caption(period.label) if draft else ta.final_caption(period.label),
        )
    return Outcome()


async def figures(core: Core, origin: Origin, fmt: str) -> Outcome:
    """Send every figure the person may see as one long table (.xlsx or .csv)."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if fmt not in FORMATS or not any(who.holds(r) for r in REPORT_READERS):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        await work.send_built(
            who.person.telegram_id,
            "sendDocument",
            recipes.figures(_figures_reader(who), fmt),
            ta.FIGURES_CAPTION,
        )
    return Outcome()
