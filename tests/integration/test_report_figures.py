"""The report's figures from a real database equal a computation made here from what was typed.

Two quarters are played at the service layer (Triwulan I to the end, Triwulan II to
compilation); every expected figure is computed in this file from the typed values by
PRODUCT.md "The numbers", never with ``bot.numbers``.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from bot.services.files import reporting
from bot.texts.agency import mean_base
from bot.workflow import PeriodState
from storage import followups, periods
from tests.integration.office import Office, Person, send_to_secretary, set_up_agency

D = Decimal
HYPERLINK = '=HYPERLINK("http://contoh.invalid","klik")'
UNIT_NAMES = {
    "sekretariat": "Sekretariat",
    "pelatihan": "Bidang Pelatihan",
    "penempatan": "Bidang Penempatan",
}
OPERATOR = {"sekretariat": "op_sek", "pelatihan": "op_pel", "penempatan": "op_pen"}
NUMBER = {"sekretariat": 1, "pelatihan": 2, "penempatan": 3}
# What each unit types per quarter: IK-n.1 (jumlah, more is better, target 25 a quarter,
# 100 a year), IK-n.2 (posisi, less is better, a percentage, target 10), the budget spent
# on its one sub kegiatan (pagu Rp 100.000.000).
TYPED: dict[int, dict[str, tuple[str, str, str]]] = {
    1: {
        "sekretariat": ("20", "9", "Rp 20.000.000"),
        "pelatihan": ("24", "8", "Rp 30.000.000"),
        "penempatan": ("30", "12", "25.000.000"),
    },
    2: {
        "sekretariat": ("30", "11", "Rp 25.000.000"),
        "pelatihan": ("13", "6", "Rp 10.000.000"),
        "penempatan": ("15", "14", "5.000.000"),
    },
}
PAGU = D(100_000_000)


def number(text: str) -> Decimal:
    return D(text.replace("Rp", "").replace(".", "").strip())


def cap_up(real: Decimal, target: Decimal) -> Decimal:
    return real / target * 100


def cap_down(real: Decimal, target: Decimal) -> Decimal:
    return max(D(0), (2 * target - real) / target * 100)


def two(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def category(value: Decimal) -> str:
    v = two(value)
    for bound, name in ((91, "Sangat Tinggi"), (76, "Tinggi"), (66, "Sedang"), (51, "Rendah")):
        if v >= bound:
            return name
    return "Sangat Rendah"


def close(cell: object, expected: Decimal) -> bool:
    return isinstance(cell, int | float) and abs(D(str(cell)) - two(expected)) < D("0.005")


def expected_caps(quarter: int) -> dict[str, Decimal]:
    """Capaian to date of every indicator at ``quarter``, computed from TYPED."""
    out = {}
    for unit, n in NUMBER.items():
        flows = [number(TYPED[q][unit][0]) for q in range(1, quarter + 1)]
        latest = number(TYPED[quarter][unit][1])
        out[f"IK-{n}.1"] = cap_up(sum(flows, D(0)), D(25) * quarter)
        out[f"IK-{n}.2"] = cap_down(latest, D(10))
    return out


def spent(unit: str, quarter: int) -> Decimal:
    return sum((number(TYPED[q][unit][2]) for q in range(1, quarter + 1)), D(0))


async def fill(op: Person, quarter: int, unit: str, notes: tuple[str, ...] = ()) -> None:
    await op.send("/isi")
    answers = [*TYPED[quarter][unit], *(notes or ("-",) * 5)]
    for answer in answers:
        await op.send(answer)
    # an earlier quarter's recommendation still open for the unit is one more question
    while "Tindak lanjut rekomendasi" in await op.last_text():
        await op.send("Masih dijadwalkan")
    await op.tap("Kirim ke Sekretaris" if unit == "sekretariat" else "Kirim ke Kepala Bidang")


async def collect(office: Office, p: dict[str, Person], quarter: int, late: str = "") -> None:
    """Open the triwulan, every unit enters and is approved: the period is compiled."""
    await p["kasubag"].send("/buka_periode")
    await p["kasubag"].tap(f"Triwulan {'I' * quarter} 2026")
    await p["sekretaris"].tap("Setujui")
    for unit, key in OPERATOR.items():
        if unit == late:
            office.clock.advance(timedelta(days=3))  # past the one working day of step 2
        notes = (
            (HYPERLINK, "Dukungan mitra", "-", "Jadwal ulang pelatihan", "Tambah angkatan 2027")
            if unit == "pelatihan"
            else ()
        )
        await fill(p[key], quarter, unit, notes)
    await p["sekretaris"].tap("Setujui")
    await p["kabid_pel"].tap("Setujui")
    await p["kabid_pen"].tap("Setujui")


async def finish(p: dict[str, Person]) -> None:
    """Steps 4 to 9 of a compiled period, with one recommendation followed up."""
    await send_to_secretary(p["kasubag"])
    await p["sekretaris"].tap("Setujui")
    await p["kadin"].tap("Rekomendasi untuk unit")
    await p["kadin"].tap("Bidang Pelatihan")
    await p["kadin"].send("Perluas pelatihan berbasis kompetensi")
    await p["kadin"].tap("Setujui")
    await p["sekretaris"].tap("Serahkan laporan dan rekomendasi")
    await p["kasubag"].tap("Sampaikan rekomendasi")
    await p["op_pel"].send("/tindak_lanjut")
    await p["op_pel"].tap("Catat tindak lanjut no. 1")
    await p["op_pel"].send("Dijadwalkan triwulan II")


async def workbook_of(office: Office, period: periods.Period) -> Workbook:
    async with office.core.db.reading() as conn:
        data = await reporting.report_data(office.core, conn, period)
    return openpyxl.load_workbook(io.BytesIO(reporting.workbook(data)), data_only=True)


@pytest.fixture
async def played(tmp_path: Path) -> AsyncIterator[tuple[Office, list[periods.Period]]]:
    """Triwulan I closed; Triwulan II compiled, with one late unit and extra recommendations."""
    office = await Office.create(tmp_path / "kinerja.sqlite3")
    p = await set_up_agency(office)
    await collect(office, p, 1)
    await finish(p)
    await collect(office, p, 2, late="penempatan")
    async with office.core.db.reading() as conn:
        first, second = await periods.periods(conn, 2026)
    assert first.state is PeriodState.CLOSED and second.state is PeriodState.COMPILING
    kadin = p["kadin"]
    async with office.core.work(None) as work:
        person = await _person_id(work.conn, kadin.telegram_id)
        # an open item left from triwulan I, and one given in triwulan II
        await followups.add_recommendation(
            work.conn, first.id, "penempatan", "Mutakhirkan data pencari kerja", person, work.now
        )
        await followups.add_recommendation(
            work.conn, second.id, None, "Percepat penyerapan anggaran", person, work.now
        )
    try:
        yield office, [first, second]
    finally:
        await office.close()


async def _person_id(conn: Any, telegram_id: int) -> int:
    async with conn.execute("SELECT id FROM people WHERE telegram_id = ?", (telegram_id,)) as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def test_ringkasan_and_rincian_equal_the_typed_values(
    played: tuple[Office, list[periods.Period]],
) -> None:
    office, (_, second) = played
    book = await workbook_of(office, second)
    caps = expected_caps(2)

    ringkasan = {r[0].value: r for r in book["Ringkasan"].iter_rows(min_row=6)}
    for unit, n in NUMBER.items():
        row = ringkasan[UNIT_NAMES[unit]]
        mine = [caps[f"IK-{n}.1"], caps[f"IK-{n}.2"]]
        unit_mean = sum(mine, D(0)) / 2
        assert row[1].value == 2
        assert close(row[2].value, unit_mean), (unit, row[2].value, unit_mean)
        assert row[3].value == category(unit_mean)
        counts = [c.value for c in row[4:9]]
        names = ["Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"]
        assert counts == [sum(1 for c in mine if category(c) == name) for name in names]
        assert row[10].value == PAGU and row[11].value == spent(unit, 2)
        assert close(row[12].value, spent(unit, 2) / PAGU * 100)
    total = ringkasan["Total Dinas"]
    agency = sum(caps.values(), D(0)) / len(caps)
    assert total[1].value == 6
    assert close(total[2].value, agency) and total[3].value == category(agency)
    all_spent = sum((spent(u, 2) for u in NUMBER), D(0))
    assert total[11].value == all_spent
    assert close(total[12].value, all_spent / (3 * PAGU) * 100)

    rincian = book["Rincian"]
    rows = {r[2].value: r for r in rincian.iter_rows(min_row=7) if r[2].value is not None}
    for unit, n in NUMBER.items():
        flow, stock = rows[f"IK-{n}.1"], rows[f"IK-{n}.2"]
        q1, q2 = TYPED[1][unit], TYPED[2][unit]
        assert flow[12].value == number(q1[0]) and flow[14].value == number(q2[0])
        assert stock[12].value == number(q1[1]) and stock[14].value == number(q2[1])
        to_date = number(q1[0]) + number(q2[0])
        assert flow[20].value == to_date  # jumlah: the sum of the quarters
        assert stock[20].value == number(q2[1])  # posisi: the latest quarter
        assert close(flow[22].value, caps[f"IK-{n}.1"])
        assert close(stock[22].value, caps[f"IK-{n}.2"])
        assert close(flow[24].value, cap_up(to_date, D(100)))  # against the annual target
        assert close(stock[24].value, cap_down(number(q2[1]), D(10)))
        assert flow[25].value == category(caps[f"IK-{n}.1"])
        assert flow[30].value == UNIT_NAMES[unit]
        sub = rows[f"2.07.0{n}.1.01.0001"]
        assert sub[11].value == PAGU
        assert sub[13].value == number(q1[2]) and sub[15].value == number(q2[2])
        assert sub[21].value == spent(unit, 2)
        assert close(sub[23].value, spent(unit, 2) / PAGU * 100)
    typed = [c for row in rincian.iter_rows() for c in row if c.value == HYPERLINK]
    assert len(typed) == 1 and typed[0].data_type == "s"
    # the two follow-ups of the Permendagri form, each with its own note
    filled = [[c.value for c in r if c.value not in (None, "")] for r in rincian.iter_rows()]
    footer = [(r[0], r[1] if len(r) > 1 else None) for r in filled if r]
    assert [
        text for label, text in footer if label == "Tindak lanjut triwulan berikutnya" and text
    ] == ["Jadwal ulang pelatihan"]
    assert [
        text for label, text in footer if label == "Tindak lanjut Renja tahun berikutnya" and text
    ] == ["Tambah angkatan 2027"]
    overall = next(r for r in filled if r and r[0] == "Rata-rata capaian kinerja s.d. triwulan (%)")
    assert close(overall[1], agency) and overall[2] == category(agency)


async def test_analisis_rekomendasi_and_jejak_from_the_database(
    played: tuple[Office, list[periods.Period]],
) -> None:
    office, (first, second) = played
    book = await workbook_of(office, second)
    caps = expected_caps(2)

    analisis = book["Analisis"]
    below = sorted(((D(76) - c, code) for code, c in caps.items() if two(c) < 76), reverse=True)
    assert [code for _, code in below] == ["IK-3.2", "IK-2.1"]  # 60 % before 74 %
    listed = [analisis.cell(10 + i, 2).value for i in range(len(below) + 1)]
    assert listed == [
        f"Persentase keluhan {UNIT_NAMES['penempatan']}",
        f"Jumlah layanan {UNIT_NAMES['pelatihan']}",
        None,
    ]
    for i, (gap, _) in enumerate(below):
        assert close(analisis.cell(10 + i, 7).value, gap)
    trend = {r[0].value: r for r in analisis.iter_rows(min_row=14) if r[0].value}
    assert [c.value for c in trend["Unit"][:3]] == ["Unit", "TW I", "TW II"]
    for unit in NUMBER:
        for q in (1, 2):
            flow, stock = number(TYPED[q][unit][0]), number(TYPED[q][unit][1])
            quarter_mean = (cap_up(flow, D(25)) + cap_down(stock, D(10))) / 2
            assert close(trend[UNIT_NAMES[unit]][q].value, quarter_mean), (unit, q)

    rekomendasi = book["Rekomendasi"]
    texts = [[c.value for c in row] for row in rekomendasi.iter_rows(min_row=2)]
    # a general recommendation: a row for each unit that received it, none followed up yet
    general = [row for row in texts if row[2] == "Percepat penyerapan anggaran"]
    assert [row[1] for row in general] == ["Umum"] * 3
    assert [row[6] for row in general] == list(UNIT_NAMES.values())
    assert {row[10] for row in general} == {"Belum dicatat"}
    carried_at = [row[0] for row in texts].index("Tindak lanjut terbuka dari periode sebelumnya")
    carried = [row for row in texts[carried_at + 1 :] if row[2]]
    # both of triwulan I's are still open: one only planned (direncanakan), one not answered
    assert [[*row[1:3], row[10]] for row in carried] == [
        [
            "Bidang Pelatihan (Triwulan I 2026)",
            "Perluas pelatihan berbasis kompetensi",
            "Direncanakan",
        ],
        ["Bidang Penempatan (Triwulan I 2026)", "Mutakhirkan data pencari kerja", "Belum dicatat"],
    ]

    jejak = book["Jejak Proses"]
    steps = [[c.value for c in row] for row in jejak.iter_rows(min_row=2) if row[0].value]
    entering = {row[1]: row for row in steps if str(row[0]).startswith("2.")}
    assert set(entering) == set(UNIT_NAMES.values())
    assert entering["Bidang Penempatan"][7] == "Terlambat"
    assert entering["Sekretariat"][7] == "Tepat waktu"
    assert all(row[3] is not None and row[6] for row in steps[:-1])
    assert any(str(row[0]).startswith("4.") and row[7] == "Berjalan" for row in steps)

    # Triwulan I's report, read after triwulan II began, shows triwulan I only
    earlier = await workbook_of(office, first)
    old_rows = {r[2].value: r for r in earlier["Rincian"].iter_rows(min_row=7) if r[2].value}
    assert old_rows["IK-1.1"][12].value == 20 and old_rows["IK-1.1"][14].value is None
    old_recs = [c.value for row in earlier["Rekomendasi"].iter_rows() for c in row]
    assert "Percepat penyerapan anggaran" not in old_recs  # given later: never carried back
    assert "Perluas pelatihan berbasis kompetensi" in old_recs


def percent(value: Decimal) -> str:
    """E.g. 87,25%: two decimals, a decimal comma (all figures here are below 1.000)."""
    return f"{two(value):.2f}".replace(".", ",") + "%"


async def test_the_chat_analysis_agrees_with_the_typed_values(
    played: tuple[Office, list[periods.Period]],
) -> None:
    office, _ = played
    kasubag = office.people["Sri Kasubag"]
    analyses = [m.text for m in await kasubag.inbox() if "Analisis Triwulan II 2026" in m.text]
    assert analyses
    text = analyses[-1]
    caps = expected_caps(2)
    agency = sum(caps.values(), D(0)) / len(caps)
    assert f"Capaian rata-rata Dinas (s.d. triwulan): {percent(agency)} ({category(agency)})" in (
        text
    )
    for unit, n in NUMBER.items():
        unit_mean = (caps[f"IK-{n}.1"] + caps[f"IK-{n}.2"]) / 2
        absorption = spent(unit, 2) / PAGU * 100
        line = (
            f"• {UNIT_NAMES[unit]}: capaian {percent(unit_mean)} ({category(unit_mean)}), "
            f"{mean_base(2, 0)}, "
            f"penyerapan anggaran {percent(absorption)}"
        )
        assert line in text, (line, text)
    assert "Indikator dengan capaian di bawah 76% (2)" in text
