"""The history import reads CSV as well as .xlsx (issue 22): a person's list saved by an
Indonesian Excel, and the export's own long table; every problem still has its row."""

from __future__ import annotations

from decimal import Decimal

from exports.history import ANGGARAN, INDIKATOR, read_history

D = Decimal
EXPORT_HEADER = (
    "Tahun,Triwulan,Jenis,Unit Penanggung Jawab,Kode,Program/Kegiatan/Sub Kegiatan,"
    "Indikator Kinerja,Realisasi Triwulan,Realisasi Anggaran Triwulan (Rp)\n"
)


def test_a_semicolon_list_with_indonesian_numbers() -> None:
    data = "kode indikator;tahun;triwulan;realisasi\nIK-1;2025;I;1.250,5\nIK-2;2025;4;75,5 %\n"
    result = read_history(data.encode("cp1252"))
    assert result.problems == () and result.layout == "daftar sederhana"
    assert {(r.code, r.quarter, r.value) for r in result.rows} == {
        ("IK-1", 1, D("1250.5")),
        ("IK-2", 4, D("75.5")),
    }


def test_the_exports_own_table_with_its_dot_before_decimals() -> None:
    data = (
        "\ufeff" + EXPORT_HEADER + "2025,1,Indikator,Sekretariat,IK-1,Program,Layanan,12.5,\n"
        "2025,1,Sub Kegiatan,Sekretariat,1.01.0001,Sub,,,1250000.75\n"
        "2025,2,Indikator,Sekretariat,IK-1,Program,Layanan,,\n"  # a quarter without a figure
    )
    result = read_history(data.encode("utf-8"))
    assert result.problems == () and result.layout == "data kinerja (ekspor)"
    assert {(r.kind, r.code, r.year, r.quarter, r.value) for r in result.rows} == {
        (INDIKATOR, "IK-1", 2025, 1, D("12.5")),
        (ANGGARAN, "1.01.0001", 2025, 1, D("1250000.75")),
    }


def test_problems_in_a_csv_name_their_row_and_nothing_is_read() -> None:
    data = (
        EXPORT_HEADER + "2025,1,Indikator,S,IK-1,P,L,=1+1,\n"
        "2025,5,Indikator,S,IK-2,P,L,3,\n"
        "2025,1,Kegiatan,S,IK-3,P,L,3,\n"
        "2025,1,Indikator,S,IK-4,P,L,-2,\n"
    )
    result = read_history(data.encode())
    assert result.rows == ()
    found = {(p.row, p.reason) for p in result.problems}
    assert (2, "rumus tidak diperbolehkan") in found
    assert (3, "triwulan harus 1–4 atau I–IV") in found
    assert (4, "jenis harus Indikator atau Sub Kegiatan") in found
    assert (5, "tidak boleh negatif") in found


def test_what_is_no_table_is_refused() -> None:
    for junk in (b"not a workbook", b"\x00\x01\x02,\x03", b"", b"a,b\n1,2,3,4\n"):
        result = read_history(junk)
        assert result.rows == () and result.problems, junk
