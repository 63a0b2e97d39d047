"""Explanations a checked upload still needs before Simpan saves it.

A value far from its target or from last quarter (a *soft* check, ``bot.checks``) is accepted
in chat only with a short explanation; an upload is held to the same rule. The file's
Penjelasan column may already carry it; for every flagged value without one, the preview
numbers the value and the operator types the explanations ("1. alasan", one line per number,
or just the text when one is asked). Simpan appears once every one is given, and refuses
while one is missing.

The checked upload waits in the ``upload`` dialogue (``bot.services.files.uploads``): its
``values`` rows are ``[code, value, explanation, soft flags]`` and ``asked`` lists the rows
the preview numbered, in that order.
"""

from __future__ import annotations

import re
from typing import Any

from bot.callbacks import Cb, encode
from bot.model import Role
from bot.services.core import Caller, Core
from bot.services.work import Button, Work
from bot.texts import common as texts
from bot.texts import quarter as tq
from bot.texts import upload as tu
from storage import periods, updates
from storage.updates import Dialog

MAX_EXPLANATION = 2000  # as a note typed in chat, and a cell of the template
# "2. alasan" or "2) alasan"; the number must be followed by a dot and a space, or ")".
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*(?:\.\s+|\)\s*)(.*)$", re.DOTALL)


def asked_rows(values: list[list[Any]]) -> list[int]:
    """The rows of ``values`` flagged by a soft check and carrying no explanation yet."""
    return [n for n, (_, _, explanation, soft) in enumerate(values) if soft and not explanation]


def missing_numbers(data: dict[str, Any]) -> list[int]:
    """The preview's numbers (1, 2, ...) of the asked values still without an explanation."""
    values = data["values"]
    return [n for n, row in enumerate(data.get("asked", []), 1) if not values[row][2]]


def save_buttons(data: dict[str, Any]) -> list[list[Button]]:
    """Simpan (once nothing is missing) and Batalkan, for the upload waiting in ``data``."""
    discard = (tq.BTN_DISCARD, encode(Cb.ENTRY_DISCARD_UPLOAD, data["report"]))
    if missing_numbers(data):
        return [[discard]]
    save = encode(Cb.ENTRY_SAVE_UPLOAD, data["report"], data["version"], data["token"])
    return [[(tq.BTN_SAVE, save), discard]]


def read_explanations(
    text: str, asked: int, missing: list[int]
) -> tuple[dict[int, str], list[str]]:
    """Numbered explanations in a message: ({number: text}, problems).

    When one value is still missing, an unnumbered message is its explanation (it may span
    lines); otherwise each numbered line explains its number, and an unnumbered line continues
    the explanation above it.
    """
    found: dict[int, str] = {}
    problems: list[str] = []
    first = text.strip().splitlines()[0] if text.strip() else ""
    if len(missing) == 1 and not _NUMBERED.match(first):
        body = text.strip()
        if len(body) > MAX_EXPLANATION:
            return found, [tu.explain_too_long(missing[0], MAX_EXPLANATION)]
        if body:
            found[missing[0]] = body
        return found, problems
    current: int | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _NUMBERED.match(line)
        if match is None:
            if current is None:
                problems.append(f"{texts.esc(line[:40])}: {tq.NOT_NUMBERED}")
            else:
                found[current] += "\n" + line.strip()
            continue
        number, body = int(match.group(1)), match.group(2).strip()
        if not 1 <= number <= asked:
            problems.append(tu.explain_no_such(number))
            current = None
            continue
        if not body:
            problems.append(tu.explain_empty(number))
            current = None
            continue
        found[number] = body
        current = number
    for number, body in list(found.items()):
        if len(body) > MAX_EXPLANATION:
            del found[number]
            problems.append(tu.explain_too_long(number, MAX_EXPLANATION))
    return found, problems


async def explain(core: Core, work: Work, who: Caller, dialog: Dialog, text: str) -> None:
    """Text while an upload waits: the explanations it asked for, or a pointer to its buttons."""
    data = dialog.data
    asked: list[int] = data.get("asked", [])
    if not asked:
        await work.reply(texts.UPLOAD_WAITING)
        return
    report = await periods.unit_report(work.conn, int(data["report"]))
    if report is None or not who.holds(Role.OPERATOR, report.unit_code):
        await work.reply(texts.UPLOAD_WAITING)
        return
    found, problems = read_explanations(text, len(asked), missing_numbers(data))
    for number, body in found.items():
        data["values"][asked[number - 1]][2] = body
    assert work.origin is not None
    if found:
        await updates.set_dialog(
            work.conn, work.origin.telegram_id, Dialog(dialog.name, data), work.now
        )
    missing = missing_numbers(data)
    reply = tu.explain_progress(sorted(found), missing, problems)
    if missing:
        await work.reply(reply)
        return
    # Every value is explained: Simpan appears, on a fresh message (the preview's Batalkan
    # gives way to it, so only one message carries the upload's buttons).
    tag = f"upload:{data['token']}"
    await work.clear_buttons(tag)
    await work.reply(reply, save_buttons(data), tag=tag)


async def unexplained(work: Work, dialog: Dialog) -> list[int]:
    """Before Simpan saves: the numbers still without an explanation (asking for them anew
    when an older preview never numbered them)."""
    data = dialog.data
    if "asked" not in data:
        data["asked"] = asked_rows(data["values"])
        if data["asked"]:
            assert work.origin is not None
            await updates.set_dialog(
                work.conn, work.origin.telegram_id, Dialog(dialog.name, data), work.now
            )
    return missing_numbers(data)
