"""A unit of 25 indicators in chat: every message fits a phone, the ready-to-fill message
goes back as it came, and the approver's request leads with what the decision needs."""

from __future__ import annotations

import html
import io
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from bot.model import Activity, Aggregation, Catalog, Direction, Indicator, Level
from bot.services.files import reporting
from bot.services.files.catalog import store_catalog
from bot.texts.common import utf16_len
from bot.texts.fit import PHONE_LIMIT
from storage import entries, periods
from tests.integration.office import Office, Person, Seen, set_up_agency, small_catalog

INDICATORS = 25
SUBS = 8
# Official names as long as the catalogue's: the chat shows them cut, the documents whole.
LONG = (
    "Persentase tenaga kerja yang ditempatkan melalui mekanisme antarkerja lokal, antardaerah "
    "dan antarnegara terhadap pencari kerja terdaftar nomor {n}"
)
SUB_NAME = (
    "Penyelenggaraan pelatihan berbasis kompetensi, uji kompetensi dan sertifikasi tenaga "
    "kerja bagi pencari kerja nomor {n}"
)
JOB_FAIR = 3  # this indicator has no target this quarter, only an annual one
# Also without a quarter target, but fewer is better: its annual capaian waits for TW IV.
DISPUTES = 4


def big_catalog() -> Catalog:
    """The small catalogue with Pelatihan grown to 25 indicators and 8 sub kegiatan."""
    base = small_catalog()
    keep = [a for a in base.activities if a.unit_code != "pelatihan"]
    ind_keep = [i for i in base.indicators if i.unit_code != "pelatihan"]
    program, kegiatan = "2.07.02", "2.07.02.1.01"
    acts = [
        Activity(Level.PROGRAM, program, "Program Pelatihan", "pelatihan"),
        Activity(Level.KEGIATAN, kegiatan, "Kegiatan Pelatihan", "pelatihan", program),
    ]
    acts += [
        Activity(
            Level.SUB_KEGIATAN,
            f"{kegiatan}.{n:04d}",
            SUB_NAME.format(n=n),
            "pelatihan",
            kegiatan,
            Decimal(100_000_000),
        )
        for n in range(1, SUBS + 1)
    ]
    q = Decimal(20)
    indicators = [
        Indicator(
            f"IK-2.{n}",
            LONG.format(n=n),
            "pelatihan",
            f"{kegiatan}.{(n % SUBS) + 1:04d}",
            "orang",
            Direction.DOWN if n == DISPUTES else Direction.UP,
            Aggregation.SUM,
            Decimal(80),
            (Decimal(0), Decimal(0), q, q * 3) if n in (JOB_FAIR, DISPUTES) else (q, q, q, q),
        )
        for n in range(1, INDICATORS + 1)
    ]
    return Catalog(2026, (*keep, *acts), (*ind_keep, *indicators))


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Office]:
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    yield office
    await office.close()


async def opened(office: Office) -> dict[str, Person]:
    p = await set_up_agency(office)
    async with office.core.work(None) as work:
        report = await store_catalog(work, big_catalog(), None)
        assert report.ok, report.summary
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap("Triwulan I 2026")
    await p["sekretaris"].tap("Setujui")
    return p


def fits(messages: list[Seen]) -> None:
    for m in messages:
        assert utf16_len(m.text) <= PHONE_LIMIT, (len(m.text), m.text[:200])


def answer_for(line: str) -> str:
    """What the operator types after "=" on a line of the ready-to-fill message."""
    number = int(line.split(".", 1)[0])
    if number <= INDICATORS:
        return "0" if number == JOB_FAIR else "20"  # the job fair is held later
    if number <= INDICATORS + SUBS:
        return "Rp 10.000.000"
    return "Rasio = 1 : 2" if number == INDICATORS + SUBS + 1 else "-"


async def test_a_25_indicator_form_in_chat_fits_a_phone_and_fills_in_one_go(
    office: Office,
) -> None:
    p = await opened(office)
    op = p["op_pel"]
    await op.send("/isi")
    sent = await op.new()
    fits(sent)
    parts = [m.text for m in sent if re.match(r"^\d+\. ", m.text)]
    assert "Isi sekaligus" in sent[0].text
    lines = [html.unescape(line) for part in parts for line in part.split("\n")]
    total = INDICATORS + SUBS + len(entries.NOTE_FIELDS)
    assert [int(line.split(".", 1)[0]) for line in lines] == list(range(1, total + 1))
    assert all(line.endswith("= ") for line in lines)
    assert "(orang; TW lalu –)" in lines[0] and "…" in lines[0]  # a long name, cut in chat
    assert lines[INDICATORS].startswith(f"{INDICATORS + 1}. Anggaran ")
    assert lines[-1] == f"{total}. Tindak lanjut Renja tahun berikutnya = "
    assert sent[-1].text.startswith("Indikator 1/25")  # one at a time still works

    # copied, filled after "=", and sent back part by part
    for part in parts:
        filled = [
            html.unescape(line) + answer_for(html.unescape(line)) for line in part.split("\n")
        ]
        await op.send("\n".join(filled))
        fits(await op.new())
    async with office.core.db.reading() as conn:
        period = await periods.current_period(conn)
        assert period is not None
        values = await entries.realisations(conn, [period.id])
        budgets = await entries.budgets(conn, [period.id])
        notes = (await entries.notes(conn, period.id, "pelatihan"))["pelatihan"]
    assert len(values) == INDICATORS and len(budgets) == SUBS
    assert notes["kendala"] == "Rasio = 1 : 2"  # a note may hold "=": only the label goes
    assert set(notes.values()) == {"Rasio = 1 : 2", ""}

    # /isi on the finished form: it says so, and the parts come prefilled to change any line;
    # the instruction says how many messages to copy and that each goes back on its own.
    await op.send("/isi")
    again = await op.new()
    fits(again)
    assert again[0].text.startswith(f"✅ Semua isian sudah terisi ({total} dari {total})")
    prefilled = [m.text for m in again if re.match(r"^\d+\. .* = ", m.text)]
    assert len(prefilled) > 1
    assert f"terbagi atas {len(prefilled)} pesan" in again[1].text
    assert "kirim kembali masing-masing sebagai satu pesan" in again[1].text
    lines = [html.unescape(line) for part in prefilled for line in part.split("\n")]
    assert all(not line.endswith("= ") for line in lines)
    assert f"= {answer_for(lines[-1].split(' = ')[0])}" in lines[-1]
    await op.send(html.unescape(prefilled[-1]))  # sent back as it was: nothing changes
    assert "tidak berubah" in (await op.new())[0].text

    # the summary: split in parts a phone shows whole, the job fair read right
    await op.tap("Ringkasan")
    summary = await op.new()
    fits(summary)
    shown = "\n".join(m.text for m in summary)
    assert f"{JOB_FAIR}. " in shown and "belum ada target triwulan ini; capaian tahunan" in shown
    disputes = next(line for line in shown.split("\n") if line.startswith(f"{DISPUTES}. "))
    assert "capaian tahunan –, dihitung pada triwulan IV" in disputes
    assert "(capaian 100,00%)" in shown
    # 25 official names cut to the same words: each line names its indicator by its code
    numbered = [re.match(r"(\d+)\. (.+?): ", line) for line in shown.split("\n")]
    names = [m.group(2) for m in numbered if m and int(m.group(1)) <= INDICATORS]
    assert len(names) == INDICATORS and len(set(names)) == INDICATORS, names
    assert names[0].endswith("… (IK-2.1)") and names[-1].endswith("… (IK-2.25)")
    budgets = [m.group(2) for m in numbered if m and 0 < int(m.group(1)) - INDICATORS <= SUBS]
    assert len(budgets) == SUBS and len(set(budgets)) == SUBS, budgets  # sub kegiatan too

    # step 3: the request leads with the decision, the whole list one tap away
    await op.tap("Kirim ke Kepala Bidang")
    kabid = p["kabid_pel"]
    request = [m for m in await kabid.inbox() if "Pemeriksaan laporan" in m.text]
    assert len(request) == 1
    fits(request)
    assert "penyerapan 10,00%" in request[0].text
    assert "Lihat semua isian" in [label for row in request[0].buttons for label, _ in row]
    await kabid.tap("Lihat semua isian")
    everything = await kabid.new()
    fits(everything)
    listed = "\n".join(m.text for m in everything)
    assert all(f"\n{n}. " in listed for n in range(1, total + 1))
    assert everything[0].text.startswith("Semua isian Bidang Pelatihan — Triwulan I 2026 (1/")

    # a return: the reason is shown once (in the request, where the buttons were)
    await kabid.tap("Minta revisi")
    reason = "Indikator 1 belum termasuk angkatan II"
    await kabid.send(reason)
    # the request is stamped with the return; no further message repeats the reason
    after = await kabid.new()
    assert after and not [m for m in after if m.method == "sendMessage" and reason in m.text]
    await op.send("/isi")
    await op.send(f"1. {LONG.format(n=1)[:20]} = 26")
    await op.tap("Kirim ke Kepala Bidang")
    again = [m for m in await kabid.new() if "Pemeriksaan laporan" in m.text]
    assert len(again) == 1 and "20 → 26 orang" in again[0].text
    fits(again)

    # the documents keep the whole name, and the job fair reads right there too
    async with office.core.db.reading() as conn:
        data = await reporting.report_data(office.core, conn, period)
    rincian = openpyxl.load_workbook(io.BytesIO(reporting.workbook(data)))["Rincian"]
    rows = {r[2].value: r for r in rincian.iter_rows(min_row=5) if r[2].value}
    assert rows[f"IK-2.{JOB_FAIR}"][4].value == LONG.format(n=JOB_FAIR)
    assert rows[f"IK-2.{JOB_FAIR}"][31].value == "belum ada target triwulan ini"


async def test_the_sekretariat_sends_to_the_sekretaris_and_a_stale_tap_stays_a_popup(
    office: Office,
) -> None:
    p = await opened(office)
    op = p["op_sek"]
    await op.send("/isi")
    await op.send("1. 25\n2. 9\n3. Rp 1.000.000\n4. -\n5. -\n6. -\n7. -\n8. -")
    labels = [label for m in await op.new() for row in m.buttons for label, _ in row]
    assert "Kirim ke Sekretaris" in labels and "Kirim ke Kepala Bidang" not in labels
    await op.tap("Kirim ke Sekretaris")
    await p["sekretaris"].tap("Setujui")
    stale = await p["sekretaris"].tap("Setujui")  # the same button again
    assert stale.toast == "Sudah diproses."
    assert not await p["sekretaris"].new()  # the pop-up says it; no chat message
