"""The figures out through the real bot (issue 22): the coordinator downloads every figure as
one long table with /unduh, and ``python -m bot export`` writes the same table beside the
running bot; every figure in both equals the draft report's and the database's."""

from __future__ import annotations

import asyncio
import io
import os
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd

from bot.sim import SimPerson
from tests.e2e.conftest import Harness
from tests.e2e.test_excel import set_up, snapshot

TYPED = {
    "sekretariat": ["26", "9,5", "Rp 20.000.000"],
    "pelatihan": ["24", "8", "Rp 30.500.000"],
    "penempatan": ["20", "12", "Rp 60.000.000"],
}
ROOT = Path(__file__).resolve().parents[2]
# A file is built in a worker process after its step: on a loaded machine that takes a while.
BUILT = 30


async def _compiled(p: dict[str, SimPerson]) -> None:
    """Every unit enters its figures in one message and is approved."""
    for unit, answers in TYPED.items():
        person = p[f"op_{unit}"]
        await person.send("/isi")
        await person.wait_for_text("no. 1 dari", timeout=10)
        lines = [*answers, "-", "-", "-", "-", "-"]
        await person.send("\n".join(f"{n}. {a}" for n, a in enumerate(lines, 1)))
        await person.wait_for_text("Ringkasan", timeout=10)
        await person.tap(
            "Kirim ke Sekretaris" if unit == "sekretariat" else "Kirim ke Kepala Bidang"
        )
    await p["sekretaris"].tap("Setujui")
    await p["kabid_pelatihan"].tap("Setujui")
    await p["kabid_penempatan"].tap("Setujui")


async def _command(db: Path, *args: str) -> tuple[int, str]:
    """``python -m bot ARGS`` as an administrator runs it beside the bot (without blocking it)."""
    env = {**os.environ, "KINERJA_DB": str(db)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode or 0, err.decode()


async def test_the_table_from_unduh_and_the_command_equal_the_report_and_the_database(
    harness: Harness, tmp_path: Path
) -> None:
    p = await set_up(harness)
    await _compiled(p)
    kasubag = p["kasubag"]
    draft = await kasubag.wait_for(
        lambda m: m.document is not None and m.document.file_name.endswith("_DRAF.xlsx"),
        timeout=BUILT,
        since=0,
    )
    assert draft.document is not None
    before = await snapshot(harness)
    values, budgets, _ = before

    await kasubag.send("/unduh")
    # The menu follows the chat's earlier files (the chart after the draft) in order.
    await kasubag.wait_for_text("Pilih berkas", timeout=BUILT)
    await kasubag.tap("Data kinerja semua triwulan (.xlsx)")
    sent = await kasubag.wait_for(
        lambda m: m.document is not None and m.document.file_name == "Data_Kinerja.xlsx",
        timeout=BUILT,
    )
    assert sent.document is not None
    chat = pd.read_excel(io.BytesIO(sent.document.data), dtype=object)

    out = tmp_path / "data.csv"
    code, err = await _command(harness.db_path, "export", "--year", "2026", "--out", str(out))
    assert code == 0, err
    assert "9 baris data kinerja ditulis" in err  # 6 indicators and 3 sub kegiatan, one quarter
    command = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(command.columns) == list(chat.columns)
    assert len(command) == len(chat) == 9

    rincian = openpyxl.load_workbook(io.BytesIO(draft.document.data), data_only=True)["Rincian"]
    report = {r[2].value: r for r in rincian.iter_rows(min_row=7) if isinstance(r[2].value, str)}
    for table in (chat, command):
        for _, row in table.iterrows():
            code_ = str(row["Kode"])
            line = report[code_]
            if row["Jenis"] == "Indikator":
                real = Decimal(str(row["Realisasi Triwulan"]))
                assert real == values[code_]
                assert real == Decimal(str(line[12].value))  # Realisasi Triwulan I K
                cap = Decimal(str(row["Capaian Renja s.d. Triwulan (%)"]))
                assert abs(cap - Decimal(str(line[22].value))) < Decimal("0.005")
                assert row["Predikat"] == line[25].value
            else:
                spent = Decimal(str(row["Realisasi Anggaran Triwulan (Rp)"]))
                assert spent == budgets[code_] == Decimal(str(line[13].value))
                absorbed = Decimal(str(row["Penyerapan Anggaran s.d. Triwulan (%)"]))
                assert abs(absorbed - Decimal(str(line[23].value))) < Decimal("0.005")
    # Read back by the history import, the command's own file changes nothing.
    code, err = await _command(harness.db_path, "history", "import", str(out))
    assert code == 0, err
    assert await snapshot(harness) == before
    # A year without a catalogue is said so, and nothing is written.
    missing = tmp_path / "1999.csv"
    code, err = await _command(harness.db_path, "export", "--year", "1999", "--out", str(missing))
    assert code == 1 and "1999" in err and not missing.exists()
