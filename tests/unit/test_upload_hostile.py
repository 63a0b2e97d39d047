"""Hostile workbooks closed at the parser, each refused in its own words (issue 21, item 4).

A document type declaration is refused wherever it hides: in a part that is not named .xml,
in a part encoded as UTF-16, and, should it slip past the screen, by the parser itself
(openpyxl parses with defusedxml). A workbook saved with a password is asked to be saved
again without it.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable

import msoffcrypto
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from bot.texts import upload as tu
from exports.intake import inspect
from exports.screen import Refused
from exports.template import build_template
from exports.template_layout import TemplateContext
from exports.upload import Refusal, UploadResult, _read, parse_upload
from tests.unit.test_template import make_context
from tests.unit.test_upload import NAME, _replace_member, _zip

DTD = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa">]>'
SHEET = "xl/worksheets/sheet2.xml"  # the Realisasi sheet


@pytest.fixture(scope="module")
def ctx() -> TemplateContext:
    return make_context()


@pytest.fixture(scope="module")
def blank(ctx: TemplateContext) -> bytes:
    return build_template(ctx)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with_dtd(xml: bytes, entity_used: bool = True) -> str:
    """A part's XML with a DTD declared after its XML declaration (and the entity used)."""
    text = re.sub(r"^<\?xml[^>]*\?>", "", xml.decode("utf-8"))
    if entity_used:
        text = text.replace("<sheetData>", "<sheetData><!-- &a; -->", 1)
    return DTD + text


def dtd_in_a_part_not_named_xml(blank: bytes) -> bytes:
    """The Realisasi sheet, with a DTD, moved to ``sheet2.bin``; the workbook's relations
    and content types point at it, so a reader does parse it as the sheet."""
    members = _members(blank)
    sheet = members.pop(SHEET)
    members["xl/worksheets/sheet2.bin"] = b'<?xml version="1.0"?>' + _with_dtd(sheet).encode()
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        members[name] = members[name].replace(b"sheet2.xml", b"sheet2.bin")
    return _zip(members)


def dtd_in_utf16(blank: bytes) -> bytes:
    """The Realisasi sheet re-encoded as UTF-16 (with its byte order mark), with a DTD: the
    bytes ``<!DOCTYPE`` appear nowhere in the file."""
    sheet = _members(blank)[SHEET]
    text = '<?xml version="1.0" encoding="UTF-16"?>' + _with_dtd(sheet)
    data = _replace_member(blank, SHEET, text.encode("utf-16"))
    assert b"<!DOCTYPE" not in _members(data)[SHEET]
    return data


def encrypted(blank: bytes) -> bytes:
    """The template saved with a password, as Excel's "Encrypt with Password" does."""
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(blank)).encrypt("rahasia", out)
    data = out.getvalue()
    assert msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    return data


def _local_header(data: bytes, name: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.getinfo(name).header_offset


def unknown_compression(blank: bytes) -> bytes:
    """The Realisasi sheet stored with compression method 99, which zipfile cannot read
    (NotImplementedError when the screen opens the part)."""
    out = bytearray(blank)
    start = _local_header(blank, SHEET)
    out[start + 8 : start + 10] = struct.pack("<H", 99)
    entry = blank.find(b"PK\x01\x02")
    while entry != -1:  # and in its central directory entry
        length = struct.unpack("<H", blank[entry + 28 : entry + 30])[0]
        if blank[entry + 46 : entry + 46 + length] == SHEET.encode():
            out[entry + 10 : entry + 12] = struct.pack("<H", 99)
        entry = blank.find(b"PK\x01\x02", entry + 4)
    return bytes(out)


def damaged_deflate(blank: bytes) -> bytes:
    """The Realisasi sheet's compressed stream overwritten at its start (zlib.error)."""
    start = _local_header(blank, SHEET)
    name_length, extra_length = struct.unpack("<HH", blank[start + 26 : start + 30])
    data = start + 30 + name_length + extra_length
    return blank[:data] + b"\xff" * 8 + blank[data + 8 :]


@pytest.mark.parametrize(
    ("make", "refusal"),
    [
        (dtd_in_a_part_not_named_xml, Refusal.DTD),
        (dtd_in_utf16, Refusal.DTD),
        (encrypted, Refusal.ENCRYPTED),
        (unknown_compression, Refusal.CORRUPT),
        (damaged_deflate, Refusal.CORRUPT),
    ],
    ids=[
        "dtd-in-part-not-named-xml",
        "dtd-in-utf16",
        "encrypted",
        "unknown-compression",
        "damaged-deflate",
    ],
)
def test_a_hostile_workbook_is_refused_before_it_is_read(
    ctx: TemplateContext, blank: bytes, make: Callable[[bytes], bytes], refusal: Refusal
) -> None:
    data = make(blank)
    assert parse_upload(data, filename=NAME, ctx=ctx) == UploadResult(ok=False, refusal=refusal)
    # The first look of the intake (templates and catalogues alike) refuses it too.
    assert inspect(data, NAME) == (refusal, False)


def test_the_refusals_say_what_is_wrong_in_plain_words() -> None:
    assert tu.refused(Refusal.DTD.name) == (
        "❌ Berkas ditolak: berkas memuat deklarasi yang tidak diizinkan. Tidak ada yang disimpan."
    )
    assert "terlalu besar" not in tu.refused(Refusal.DTD.name)
    encrypted_words = tu.refused(Refusal.ENCRYPTED.name)
    assert "kata sandi" in encrypted_words and "tanpa kata sandi" in encrypted_words


def test_the_parser_itself_refuses_entities_that_slip_past_the_screen(
    ctx: TemplateContext, blank: bytes
) -> None:
    """Past the screen (read directly), openpyxl's parser is defusedxml: an entity is
    refused, not expanded."""
    sheet = _members(blank)[SHEET]
    data = _replace_member(blank, SHEET, _with_dtd(sheet).encode())
    with pytest.raises(Refused) as refused:
        _read(data, ctx)
    assert refused.value.refusal is Refusal.DTD


def test_a_well_formed_template_passes_the_screen(ctx: TemplateContext, blank: bytes) -> None:
    result = parse_upload(blank, filename=NAME, ctx=ctx)
    assert result.refusal is None
    # A part that is not XML at all (an image) is no DTD.
    with_image = _replace_member(blank, "xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert parse_upload(with_image, filename=NAME, ctx=ctx).refusal is None
