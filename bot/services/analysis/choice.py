"""Nothing decided blind (issue 19, item 3).

Step 4 is not sent without a narrative unless the coordinator says so twice; the draft's
message is stamped with what went up. The requests of steps 5 and 6 open with a summary of
the figures and the narrative; after a return they lead with what changed since.
"""

from __future__ import annotations

from decimal import Decimal

from bot.analysis.direction import Judged
from bot.analysis.figures import TINGGI_FLOOR
from bot.analysis.summary import Summary
from bot.callbacks import Cb, encode
from bot.model import Role
from bot.numbers import predikat
from bot.numbers_format import format_number, format_percent
from bot.services.core import Caller, Core, Origin, Outcome, caller
from bot.services.quarter.flow import refuse_role
from bot.services.quarter.period_steps import period_in, period_tag
from bot.services.work import NOTE_ROOM, Button, Work
from bot.texts import analysis as tx
from bot.texts import common as texts
from bot.texts import decide as td
from bot.texts import quarter as tq
from bot.texts.common import utf16_len
from bot.texts.fit import PHONE_LIMIT, chunks, short
from bot.workflow import PeriodState, Step
from storage import audit, catalog, drafted, entries, periods

RETURN_SNAPSHOT = "returned_snapshot"  # the audit action holding what a return was made on
NAMED_BELOW = 5  # indicators under "Tinggi" named in the summary; the rest are counted
MIN_NARRATIVE = 200  # the narrative's first part in a request is never shorter than this


async def narrative_how(work: Work, period: periods.Period) -> str:
    """How the period's narrative was made: drafted, edited, written, or none."""
    if not period.narrative.strip():
        return "none"
    how = "written"
    for entry in await audit.entries(work.conn, "period", period.id):
        if entry.action == "narrative_written":
            how = str(entry.detail.get("source", how))
    return how


async def decided(work: Work, who: Caller, period: periods.Period, bare: bool) -> str | None:
    """How the narrative going up was made (:func:`narrative_how`); None when none was chosen
    and the coordinator did not confirm sending without one: then the choice is asked."""
    if not bare and not period.narrative.strip() and who.holds(Role.KASUBAG_KPEP):
        await ask_first(work, period)
        return None
    return await narrative_how(work, period)


def sent_note(who: Caller, work: Work, how: str, to: str = "") -> str:
    """The stamp on step 4's messages once sent: by whom, to whom, when, with what narrative."""
    return td.sent_with(who.person.full_name, work.now, how, to)


async def ask_first(work: Work, period: periods.Period) -> None:
    """Kirim ke Sekretaris without a narrative: Pakai draf / Tulis sendiri / Kirim tanpa narasi."""
    rows: list[list[Button]] = []
    offered = [
        d
        for d in await drafted.of_period(work.conn, period.id, drafted.NARASI)
        if d.state == drafted.OFFERED
    ]
    if offered:
        rows.append([(tx.BTN_DRAFT_USE, encode(Cb.DRAFT_USE, period.id, offered[-1].id))])
    rows.append([(tx.BTN_DRAFT_OWN, encode(Cb.COMPILE_NARRATIVE, period.id))])
    rows.append([(td.BTN_SEND_BARE, encode(Cb.COMPILE_BARE, period.id, period.version))])
    await work.reply(td.CHOOSE_NARRATIVE_FIRST, rows, tag=period_tag(period.id, Step.COMPILE))


async def confirm_bare(core: Core, origin: Origin, period_id: int, version: int) -> Outcome:
    """Kirim tanpa narasi: asked once more before it goes."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if not who.holds(Role.KASUBAG_KPEP):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        period = await period_in(work, period_id, version, PeriodState.COMPILING)
        if period is None:
            return Outcome(tq.SUDAH_DIPROSES)
        await work.reply(
            td.CONFIRM_BARE,
            [[(td.BTN_SEND_BARE_YES, encode(Cb.COMPILE_BARE_YES, period.id, period.version))]],
            tag=period_tag(period.id, Step.COMPILE),
        )
    return Outcome()


async def show_narrative(core: Core, origin: Origin, period_id: int) -> Outcome:
    """Lihat narasi lengkap: the whole narrative, in phone-sized messages."""
    async with core.work(origin) as work:
        who = await caller(work)
        if who is None:
            return Outcome(texts.NOT_REGISTERED, alert=True)
        if not any(who.holds(r) for r in (Role.SEKRETARIS, Role.KADIN, Role.KASUBAG_KPEP)):
            await refuse_role(work)
            return Outcome(texts.BUTTON_NOT_YOURS)
        period = await periods.period(work.conn, period_id)
        if period is None:
            return Outcome(texts.BUTTON_INVALID)
        lines = [texts.esc(p) for p in period.narrative.split("\n")] or [td.NO_NARRATIVE]
        for part in chunks(td.narrative_full(period.label), lines):
            await work.reply(part)
    return Outcome()


def narrative_block(period: periods.Period, above: str = "") -> tuple[str, list[list[Button]]]:
    """The narrative under a request's summary (its first part when long, so that with
    ``above``, what the message says before it, it fits a phone) and the button to read it
    whole."""
    text = " ".join(period.narrative.split("\n\n")).strip()
    if not text:
        return td.NO_NARRATIVE, []
    # As the request is sent: tagged, so with room kept for the note added when its buttons
    # are cleared, and the reader's mark spoken as their sapaan. Sized for less, the
    # narrative is split off into a message of its own, away from the summary.
    shown = utf16_len(above.replace(texts.ADDRESS, texts.address("")))
    room = PHONE_LIMIT - NOTE_ROOM - shown - utf16_len(td.narrative_part("", cut=True)) - 4
    limit = max(MIN_NARRATIVE, min(td.NARRATIVE_IN_REQUEST, room))
    if utf16_len(text) <= limit:
        return td.narrative_part(text, cut=False), []
    first = short(text, limit).removesuffix("…")
    button = (td.BTN_NARRATIVE_FULL, encode(Cb.NARRATIVE_FULL, period.id))
    return td.narrative_part(first, cut=True), [[button]]


def summary_text(
    label: str,
    found: Summary,
    codes_to_names: dict[str, str],
    indicator_names: dict[str, str],
) -> str:
    """The summary's lines (at most five with the title); indicators are named (by
    ``indicator_names``, code to name) with their code in brackets."""

    def named(code: str) -> str:
        name = indicator_names.get(code)
        return code if name is None else td.indicator_label(name, code)

    mean = format_percent(found.mean)
    grade = predikat(found.mean)
    lines = [
        td.summary_head(label),
        td.summary_mean(mean, grade.value if grade else "–", found.counted, found.without),
        td.summary_absorption(
            format_percent(found.absorption),
            format_percent(found.reference.share),
            found.reference.planned,
        ),
        td.summary_below(
            format_percent(TINGGI_FLOOR),
            [codes_to_names.get(u, u) for u in found.units_below],
            [named(code) for code in found.indicators_below[:NAMED_BELOW]],
            max(0, len(found.indicators_below) - NAMED_BELOW),
        ),
    ]

    def said(m: Judged | None) -> str:
        if m is None or m.change is None:
            return ""
        before, after = format_number(m.change.before), format_number(m.change.after)
        return td.move(td.indicator_label(m.indicator.name, m.indicator.code), before, after)

    lines.append(td.summary_moves(said(found.best), said(found.worst)))
    return "\n".join(lines)


async def _values_by_code(work: Work, period: periods.Period) -> dict[str, Decimal]:
    codes = await catalog.codes(work.conn, "indicators", period.year)
    return {
        codes[iid]: entry.value
        for (_, iid), entry in (await entries.realisations(work.conn, [period.id])).items()
        if iid in codes
    }


async def snapshot_at_return(work: Work, period: periods.Period, step: Step) -> None:
    """What a return at ``step`` was made on (the narrative and every value), to say later
    what changed."""
    values = {code: str(v) for code, v in (await _values_by_code(work, period)).items()}
    detail = {"step": int(step), "narrative": period.narrative, "values": values}
    await work.audit(RETURN_SNAPSHOT, "period", period.id, detail)


async def changes_since_return(work: Work, period: periods.Period, step: Step) -> str | None:
    """The line that leads a request of ``step`` sent again after a return; None if never
    returned. A reviewer is shown the changes since the last return made at their step or a
    later one: the version they saw (the Kepala Dinas never saw what the Sekretaris returned)."""
    snapshots = [
        e
        for e in await audit.entries(work.conn, "period", period.id)
        if e.action == RETURN_SNAPSHOT and int(e.detail.get("step", 0)) >= int(step)
    ]
    if not snapshots:
        return None
    before = snapshots[-1].detail
    changes = []
    old_text, new_text = str(before.get("narrative", "")).strip(), period.narrative.strip()
    if old_text != new_text:
        changes.append(
            td.NARRATIVE_ADDED
            if not old_text
            else td.NARRATIVE_REMOVED
            if not new_text
            else td.NARRATIVE_CHANGED
        )
    old_values = {k: Decimal(v) for k, v in dict(before.get("values", {})).items()}
    for code, value in sorted((await _values_by_code(work, period)).items()):
        old = old_values.get(code)
        if old is not None and old != value:
            changes.append(td.move(code, format_number(old), format_number(value)))
    return td.changed_after_return(changes)


async def led_by_changes(work: Work, period: periods.Period, step: Step, text: str) -> str:
    """A request of ``step``, led by what changed since its reviewer's return, if any."""
    lead = await changes_since_return(work, period, step)
    return f"{lead}\n\n{text}" if lead else text
