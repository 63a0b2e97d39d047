"""The organisation file: the samples, the .xlsx round trip, and each problem where it is."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest

from bot.model import SEKRETARIAT, Unit, UnitKind
from exports.org import OrgImport, read_org, write_org_xlsx
from exports.samples import sample_catalog_path, sample_org_path

SEK = Unit(SEKRETARIAT, "Sekretariat", UnitKind.SEKRETARIAT)
BAD_CODE = "kode hanya huruf kecil, angka, dan garis bawah (maks. 32)"
SEK_ONLY = "jenis sekretariat hanya untuk unit berkode sekretariat"
TOML_HEAD = '[agency]\nname = "Dinas Uji"\nplace = "Kota Uji"\n'


def toml(*units: str) -> bytes:
    """A TOML file with one ``[[unit]]`` table per given body, each header on its own line."""
    return (TOML_HEAD + "".join(f"\n[[unit]]\n{body}\n" for body in units)).encode()


def xlsx(rows: Sequence[Sequence[object]], header: Sequence[str] = ("kode", "nama", "jenis"),
         title: str = "Unit") -> bytes:  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refused(result: OrgImport) -> set[tuple[int | None, str | None, str]]:
    assert result.units == ()
    return {(p.row, p.column, p.reason) for p in result.problems}


def test_sample_toml() -> None:
    result = read_org(sample_org_path())
    assert result.problems == ()
    assert result.agency_name == "Dinas Tenaga Kerja Kabupaten Magetan"
    assert result.place == "Magetan"
    assert set(result.extra) == {"kadin_name", "kadin_nip", "judul_koordinator"}
    assert [u.code for u in result.units] == [
        "sekretariat", "pelatihan", "penempatan", "hubungan_industrial"
    ]  # fmt: skip
    assert result.units[0] == replace(SEK, operator_title="Kasubbag/Pejabat Fungsional")
    assert all(u.kind is UnitKind.BIDANG for u in result.units[1:])
    # A bidang has no Kasubbag: its data officers are not called one.
    assert {u.operator_title for u in result.units[1:]} == {"Pejabat Fungsional/Pengelola Data"}


def test_sample_xlsx_matches_the_toml() -> None:
    path = Path(str(files("bot") / "data" / "org_disnaker.xlsx"))
    assert read_org(path) == read_org(sample_org_path())


def test_sample_paths_exist() -> None:
    assert sample_org_path().is_file()
    assert sample_catalog_path().is_file()


def test_xlsx_round_trip() -> None:
    org = read_org(sample_org_path())
    assert read_org(write_org_xlsx(org), filename="org.xlsx") == org
    # Without a name, the content tells the format.
    assert read_org(write_org_xlsx(org)) == org


def test_sekretariat_is_added_when_missing() -> None:
    from_toml = read_org(toml('kode = "pelatihan"\nnama = "Bidang P"\njenis = "bidang"'))
    from_xlsx = read_org(xlsx([("pelatihan", "Bidang P", "bidang")]), filename="o.xlsx")
    for result in (from_toml, from_xlsx):
        assert result.problems == ()
        assert result.units == (SEK, Unit("pelatihan", "Bidang P", UnitKind.BIDANG))
    assert (from_toml.agency_name, from_toml.place) == ("Dinas Uji", "Kota Uji")


def test_empty_jenis_follows_the_code() -> None:
    result = read_org(xlsx([("sekretariat", "Sekretariat", None), ("hi", "Bidang HI", " ")]))
    assert [u.kind for u in result.units] == [UnitKind.SEKRETARIAT, UnitKind.BIDANG]


def test_toml_problems_carry_the_line_of_their_unit() -> None:
    data = toml(
        'kode = "pelatihan"\nnama = "Bidang P"',  # [[unit]] on line 5
        'kode = "pelatihan"\nnama = "Lagi"',  # line 9
        'kode = "Bidang HI"\nnama = "HI"',  # line 13
        'kode = "hi"\nnama = ""\njenis = "seksi"',  # line 17
    )
    assert refused(read_org(data)) == {
        (9, "kode", "kode unit ganda (juga di baris 5)"),
        (13, "kode", BAD_CODE),
        (17, "nama", "wajib diisi"),
        (17, "jenis", "jenis harus sekretariat atau bidang"),
    }


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("", "Bidang", "bidang"), (2, "kode", "wajib diisi")),
        (("a" * 33, "Bidang", "bidang"), (2, "kode", BAD_CODE)),
        (("bidang-1", "Bidang", "bidang"), (2, "kode", BAD_CODE)),
        (("b1", None, "bidang"), (2, "nama", "wajib diisi")),
        (("b1", "Bidang", "dinas"), (2, "jenis", "jenis harus sekretariat atau bidang")),
        (("b1", "Bidang", "sekretariat"), (2, "jenis", SEK_ONLY)),
        (("sekretariat", "Sekretariat", "bidang"), (2, "jenis", SEK_ONLY)),
    ],
)
def test_xlsx_problems_have_row_and_column(
    cells: tuple[object, ...], expected: tuple[int, str, str]
) -> None:
    assert refused(read_org(xlsx([cells]), filename="org.xlsx")) == {expected}


def test_xlsx_duplicate_names_the_other_row() -> None:
    rows = [("b1", "Satu", "bidang"), (None, None, None), ("b1", "Dua", "bidang")]
    assert refused(read_org(xlsx(rows), filename="org.xlsx")) == {
        (4, "kode", "kode unit ganda (juga di baris 2)")
    }


def test_xlsx_missing_columns() -> None:
    data = xlsx([("b1", "Bidang")], header=("Kode", "nama unit"))
    assert refused(read_org(data, filename="org.xlsx")) == {
        (1, "nama", "kolom wajib tidak ada"),
        (1, "jenis", "kolom wajib tidak ada"),
    }


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (xlsx([], title="Lain"), "org.xlsx", "lembar Unit tidak ada"),
        (b"PK\x03\x04bukan", "org.xlsx", "berkas bukan .xlsx yang sah atau rusak"),
        (b"\xff\xfe\x00", "org.toml", "berkas bukan teks UTF-8"),
    ],
)
def test_unreadable_files(data: bytes, name: str, reason: str) -> None:
    assert refused(read_org(data, filename=name)) == {(None, None, reason)}


def test_bad_toml_names_its_line() -> None:
    data = toml('kode = "b1"\nnama = "tanpa tutup')
    assert refused(read_org(data)) == {(7, None, "format TOML tidak sah")}


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    result = read_org(tmp_path / "tidak_ada.toml")
    assert refused(result) == {(None, None, "berkas tidak dapat dibaca")}


def test_the_agency_titles_are_read_from_both_forms() -> None:
    """judul_koordinator(_singkat) for the agency, judul_operator per unit, in .toml and .xlsx."""
    head = TOML_HEAD + 'judul_koordinator = "Kepala Subbagian Program"\n'
    head += 'judul_koordinator_singkat = "Kasubbag Program"\n'
    body = '\n[[unit]]\nkode = "pelatihan"\nnama = "Bidang P"\njudul_operator = "Analis Data"\n'
    from_toml = read_org((head + body).encode())
    assert from_toml.problems == ()
    assert from_toml.extra == {
        "judul_koordinator": "Kepala Subbagian Program",
        "judul_koordinator_singkat": "Kasubbag Program",
    }
    assert [u.operator_title for u in from_toml.units] == ["", "Analis Data"]
    from_xlsx = read_org(write_org_xlsx(from_toml), filename="org.xlsx")
    assert from_xlsx == from_toml
    # The column is optional: an .xlsx without it reads as before, each unit on its default.
    plain = read_org(xlsx([("pelatihan", "Bidang P", "bidang")]), filename="o.xlsx")
    assert [u.operator_title for u in plain.units] == ["", ""]


def test_a_title_longer_than_a_line_is_refused_where_it_is() -> None:
    long = "Pejabat " * 20
    header = ("kode", "nama", "jenis", "judul_operator")
    result = read_org(xlsx([("pelatihan", "Bidang P", "bidang", long)], header), filename="o.xlsx")
    assert refused(result) == {(2, "judul_operator", "maksimal 120 karakter")}
    agency = read_org((TOML_HEAD + f'judul_koordinator = "{long}"\n').encode(), filename="o.toml")
    assert refused(agency) == {(None, "judul_koordinator", "maksimal 120 karakter")}
