"""How the demo's operators fill a unit's form: in chat, as numbered lines, or as the template."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from bot.demo_cast import BUDGET_SHARE, QUARTER, WAIT, YEAR, Demo, demo_value
from bot.numbers_format import format_number
from storage import catalog

ASKED_ALONE = re.compile(r"• no\. (\d+): [^\n]*tersendiri")

NOTES = (
    "Keterbatasan jumlah instruktur",
    "Dukungan anggaran APBD dan mitra industri",
    "Cuaca dan jadwal peserta",
    "Penjadwalan ulang kegiatan pada triwulan II",
    "Penambahan kelas pelatihan berbasis kompetensi dalam Renja 2027",
)


async def fill_unit(
    demo: Demo,
    key: str,
    unit: str,
    how: str,
    out: Path,
    quarter: int = QUARTER,
    carried: Callable[[str], str] = lambda line: "",
) -> None:
    """An operator fills the unit's form: ``chat`` one answer at a time, ``lines`` a prepared
    numbered message, ``upload`` the fill-in template sent back as a file. ``carried`` answers
    an earlier recommendation's line of the ready-to-fill message ("" leaves it for later)."""
    async with demo.runtime.db.reading() as conn:
        indicators = await catalog.indicators(conn, YEAR, unit)
        subs = await catalog.sub_activities(conn, YEAR, unit)
    values = [demo_value(s.indicator, n, quarter) for n, s in enumerate(indicators)]
    share = BUDGET_SHARE.get(unit, Decimal("0.22"))
    budgets = [((s.activity.pagu or Decimal(0)) * share).quantize(Decimal(1000)) for s in subs]
    if how == "upload":
        await _upload_form(demo, key, unit, values, budgets, out)
        return
    person = demo.people[key]
    floor = person.cursor
    await demo.act(key, "/isi", "no. 1 dari")
    if how == "chat":
        for value in values:
            await demo.act(key, format_number(value))
        for budget in budgets:
            await demo.act(key, f"Rp {format_number(budget)}")
        for note in NOTES:
            await demo.act(key, note)
        return
    # The ready-to-fill message(s) /isi sent: copied, an answer typed after each "=", sent back.
    answers = [format_number(v) for v in values]
    answers += [f"Rp {format_number(b)}" for b in budgets]
    answers += list(NOTES)
    parts = [
        m.plain_text
        for m in person.messages
        if m.seq > floor and m.plain_text[:1].isdigit() and " =" in m.plain_text
    ]
    flagged: list[int] = []
    for part in parts:
        filled = []
        for line in part.splitlines():
            number = int(line.split(".", 1)[0])
            answer = answers[number - 1] if number <= len(answers) else carried(line)
            filled.append(f"{line.rstrip()} {answer}".rstrip())
        # "✔️ N jawaban tersimpan" or, when every line was refused, "Tidak ada jawaban yang
        # tersimpan"
        shown = await demo.act(key, "\n".join(filled), "tersimpan")
        flagged += [int(n) for n in ASKED_ALONE.findall(shown.plain_text)]
    # A value the checks ask about (far from the target, a jump) is answered again alone,
    # with an explanation if asked; the form asks them in order, the first still open first.
    for number in sorted(flagged):
        reply = await demo.act(key, answers[number - 1])
        if not reply.plain_text.startswith("✔️ Tersimpan"):
            await demo.act(key, "Sesuai jadwal kegiatan triwulan ini.", "Tersimpan")


async def _upload_form(
    demo: Demo, key: str, unit: str, values: list[Decimal], budgets: list[Decimal], out: Path
) -> None:
    """The operator fills the template the bot sent at the opening (as in Excel) and sends it."""
    import io

    import openpyxl

    person = demo.people[key]
    sent = await person.wait_for(
        lambda m: m.document is not None and m.document.file_name.startswith(f"Formulir_{unit}"),
        timeout=WAIT,
        since=0,
    )
    assert sent.document is not None
    book = openpyxl.load_workbook(io.BytesIO(sent.document.data))
    typed: dict[str, tuple[str, list[str] | list[float]]] = {
        "Realisasi": ("Realisasi", [format_number(v) for v in values]),  # typed as text: "12,5"
        "Anggaran": ("Realisasi Triwulan Ini (Rp)", [float(b) for b in budgets]),
        "Catatan": ("Isian", list(NOTES)),
    }
    for sheet_name, (column, cells) in typed.items():
        sheet = book[sheet_name]
        col = [c.value for c in sheet[1]].index(column) + 1
        for row, value in enumerate(cells, 2):
            sheet.cell(row, col).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    filled = buffer.getvalue()
    name = sent.document.file_name.replace(".xlsx", "_terisi.xlsx")
    (out / name).write_bytes(filled)
    demo.tick()
    await person.upload(name, filled)
    await person.wait_for_text("Pemeriksaan berkas", timeout=WAIT)
    await demo.tap(key, "Simpan", "tersimpan")
