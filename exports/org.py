"""The organisation file, .toml or .xlsx: the agency and its units kerja. Data in, bytes out.

TOML: an ``[agency]`` table (``name``, ``place``, optional ``kadin_name``, ``kadin_nip``,
``judul_koordinator``, ``judul_koordinator_singkat``) and one ``[[unit]]`` table per unit
(``kode``, ``nama``, ``jenis``, optional ``judul_operator``). The .xlsx holds the same: sheet
``Unit`` with columns ``kode``, ``nama``, ``jenis`` (and optionally ``judul_operator``), and an
optional sheet ``Dinas`` of ``kunci``/``nilai`` rows with the agency keys. Problems carry the
TOML line or the sheet row.
"""

from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import xlsxwriter

from bot.model import SEKRETARIAT, Unit, UnitKind

UNIT_SHEET = "Unit"
AGENCY_SHEET = "Dinas"
UNIT_COLUMNS = ("kode", "nama", "jenis")
OPERATOR_TITLE = "judul_operator"  # optional per unit: the title of its data officers
# The agency's own titles; without them the bot uses the SOP's (bot.texts.common).
COORDINATOR_TITLE = "judul_koordinator"
COORDINATOR_SHORT = "judul_koordinator_singkat"
EXTRA_KEYS = ("kadin_name", "kadin_nip", COORDINATOR_TITLE, COORDINATOR_SHORT)
AGENCY_KEYS = ("name", "place", *EXTRA_KEYS)  # the extra ones are stored as settings
MAX_TITLE = 120  # a title is one line of a message, never a paragraph
MAX_UNITS = 200  # far more than any Dinas has; bounds the work on a hostile file
_CODE = re.compile(r"[a-z0-9_]{1,32}", re.ASCII)
_UNIT_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*unit[ \t]*\]\]", re.MULTILINE)
_TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem in an imported file: where it is (sheet, row or line, column) and why."""

    sheet: str
    row: int | None
    column: str | None
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class OrgImport:
    """The agency and its units; ``units`` is empty whenever ``problems`` is not."""

    units: tuple[Unit, ...]
    problems: tuple[ImportProblem, ...]
    agency_name: str = ""
    place: str = ""
    # Further agency settings (kadin_name, kadin_nip), keyed as the settings are stored.
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Row:
    """One unit entry as read: where it is and its raw fields."""

    number: int | None
    fields: dict[str, object]


def read_org(source: Path | bytes, *, filename: str | None = None) -> OrgImport:
    """Read an organisation file; the format follows the name, else the content."""
    name = filename or (source.name if isinstance(source, Path) else "")
    if isinstance(source, Path):
        try:
            data = source.read_bytes()
        except OSError:
            return _failed(name, None, "berkas tidak dapat dibaca")
    else:
        data = source
    is_xlsx = name.lower().endswith(".xlsx") if name else data.startswith(b"PK")
    if is_xlsx:
        return _read_xlsx(data)
    return _read_toml(data, name or "org.toml")


def write_org_xlsx(org: OrgImport) -> bytes:
    """The organisation as .xlsx in the layout :func:`read_org` reads."""
    buffer = io.BytesIO()
    # Names are text whatever they look like: never a formula, never a number.
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    units = book.add_worksheet(UNIT_SHEET)
    for column, title in enumerate((*UNIT_COLUMNS, OPERATOR_TITLE)):
        units.write_string(0, column, title, bold)
    for row, unit in enumerate(org.units, 1):
        for column, text in enumerate((unit.code, unit.name, unit.kind.value)):
            units.write_string(row, column, text)
        if unit.operator_title:
            units.write_string(row, 3, unit.operator_title)
    units.set_column(0, 0, 24)
    units.set_column(1, 1, 56)
    units.set_column(2, 2, 14)
    units.set_column(3, 3, 36)
    agency = book.add_worksheet(AGENCY_SHEET)
    agency.write_string(0, 0, "kunci", bold)
    agency.write_string(0, 1, "nilai", bold)
    values = {"name": org.agency_name, "place": org.place, **org.extra}
    for row, key in enumerate((k for k in AGENCY_KEYS if values.get(k)), 1):
        agency.write_string(row, 0, key)
        agency.write_string(row, 1, values[key])
    agency.set_column(0, 0, 16)
    agency.set_column(1, 1, 56)
    book.close()
    return buffer.getvalue()


def _failed(sheet: str, row: int | None, reason: str, value: str = "") -> OrgImport:
    return OrgImport((), (ImportProblem(sheet, row, None, value, reason),))


def _read_toml(data: bytes, name: str) -> OrgImport:
    try:
        # utf-8-sig: editors on Windows often save a byte-order mark.
        text = data.decode("utf-8-sig")
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        return _failed(name, None, "berkas bukan teks UTF-8")
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        return _failed(name, int(found.group(1)) if found else None, "format TOML tidak sah")
    agency = document.get("agency", {})
    entries = document.get("unit", [])
    if not isinstance(agency, dict) or not isinstance(entries, list):
        return _failed(name, None, "format TOML tidak sah")
    # tomllib keeps no positions; the n-th [[unit]] header is the n-th entry.
    lines = [text.count("\n", 0, m.start()) + 1 for m in _UNIT_HEADER.finditer(text)]
    rows = [
        _Row(lines[n] if n < len(lines) else None, entry if isinstance(entry, dict) else {})
        for n, entry in enumerate(entries)
    ]
    values = {k: _text(agency.get(k)) for k in AGENCY_KEYS}
    return _build(name, rows, values)


def _read_xlsx(data: bytes) -> OrgImport:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        # A damaged file can fail anywhere inside openpyxl; all of it means "not readable".
        return _failed(UNIT_SHEET, None, "berkas bukan .xlsx yang sah atau rusak")
    try:
        sheets = {s.strip().lower(): s for s in book.sheetnames}
        if UNIT_SHEET.lower() not in sheets:
            return _failed(UNIT_SHEET, None, "lembar Unit tidak ada")
        sheet = book[sheets[UNIT_SHEET.lower()]]
        sheet.reset_dimensions()  # some writers store a wrong size; read every cell present
        table = list(sheet.iter_rows(values_only=True, max_row=MAX_UNITS + 2))
        values = dict.fromkeys(AGENCY_KEYS, "")
        if AGENCY_SHEET.lower() in sheets:
            info = book[sheets[AGENCY_SHEET.lower()]]
            for key, value, *_ in info.iter_rows(min_row=2, max_col=2, values_only=True):
                if _text(key) in values:
                    values[_text(key)] = _text(value)
    except Exception:
        return _failed(UNIT_SHEET, None, "berkas bukan .xlsx yang sah atau rusak")
    finally:
        book.close()
    header = [_text(v).lower() for v in (table[0] if table else ())]
    missing = [c for c in UNIT_COLUMNS if c not in header]
    if missing:
        return OrgImport(
            (), tuple(ImportProblem(UNIT_SHEET, 1, c, "", "kolom wajib tidak ada") for c in missing)
        )
    where = {c: header.index(c) for c in (*UNIT_COLUMNS, OPERATOR_TITLE) if c in header}
    rows = [
        _Row(number, {c: cells[i] if i < len(cells) else None for c, i in where.items()})
        for number, cells in enumerate(table[1:], 2)
        if any(_text(v) for v in cells)
    ]
    return _build(UNIT_SHEET, rows, values)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _build(sheet: str, rows: Iterable[_Row], agency: dict[str, str]) -> OrgImport:
    problems: list[ImportProblem] = []
    units: list[Unit] = []
    seen: dict[str, int | None] = {}
    for count, row in enumerate(rows, 1):
        if count > MAX_UNITS:
            problems.append(
                ImportProblem(sheet, row.number, None, "", f"lebih dari {MAX_UNITS} unit")
            )
            break
        unit = _unit(sheet, row, seen, problems)
        if unit is not None:
            units.append(unit)
    for key in (COORDINATOR_TITLE, COORDINATOR_SHORT):
        if len(agency.get(key, "")) > MAX_TITLE:
            problems.append(
                ImportProblem(
                    AGENCY_SHEET if sheet == UNIT_SHEET else sheet,
                    None,
                    key,
                    agency[key][:80],
                    f"maksimal {MAX_TITLE} karakter",
                )
            )
    if problems:
        return OrgImport((), tuple(problems), agency["name"], agency["place"])
    # The Sekretariat always exists: the SOP routes the agency's own steps through it.
    if SEKRETARIAT not in seen:
        units.insert(0, Unit(SEKRETARIAT, "Sekretariat", UnitKind.SEKRETARIAT))
    extra = {k: agency[k] for k in EXTRA_KEYS if agency.get(k)}
    return OrgImport(tuple(units), (), agency["name"], agency["place"], extra)


def _unit(
    sheet: str, row: _Row, seen: dict[str, int | None], problems: list[ImportProblem]
) -> Unit | None:
    """One unit from its row, or None with the row's problems appended."""
    before = len(problems)

    def problem(column: str, value: str, reason: str) -> None:
        problems.append(ImportProblem(sheet, row.number, column, value[:80], reason))

    code, name, kind = (_text(row.fields.get(c)) for c in UNIT_COLUMNS)
    if not code:
        problem("kode", "", "wajib diisi")
    elif not _CODE.fullmatch(code):
        problem("kode", code, "kode hanya huruf kecil, angka, dan garis bawah (maks. 32)")
    elif code in seen:
        other = seen[code]
        problem("kode", code, "kode unit ganda" + (f" (juga di baris {other})" if other else ""))
    else:
        seen[code] = row.number
    if not name:
        problem("nama", "", "wajib diisi")
    title = _text(row.fields.get(OPERATOR_TITLE))
    if len(title) > MAX_TITLE:
        problem(OPERATOR_TITLE, title, f"maksimal {MAX_TITLE} karakter")
    # An empty jenis follows from the code: only the Sekretariat is not a Bidang.
    kind = kind.lower() or (UnitKind.SEKRETARIAT if code == SEKRETARIAT else UnitKind.BIDANG)
    if kind not in set(UnitKind):
        problem("jenis", kind, "jenis harus sekretariat atau bidang")
    elif (kind == UnitKind.SEKRETARIAT) != (code == SEKRETARIAT) and _CODE.fullmatch(code):
        problem("jenis", kind, "jenis sekretariat hanya untuk unit berkode sekretariat")
    if len(problems) > before:
        return None
    return Unit(code, name, UnitKind(kind), title)
