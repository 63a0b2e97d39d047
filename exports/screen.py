"""The screen every uploaded workbook passes before anything reads it: its name, its size,
its zip (a bomb is not inflated), a password, and a document type declaration in any part.

Pure (bytes in, a refusal out). A template (``exports.upload``) and a catalogue
(``exports.intake``) are both screened here first.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from enum import StrEnum
from xml.parsers import expat

from defusedxml import DefusedXmlException

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100  # a real template unpacks to about 10 times its size
RATIO_FLOOR = 1024 * 1024  # below this, a high ratio costs nothing and proves nothing
MAX_MEMBERS = 1000
# An Office file saved with a password is not a zip but an OLE compound file holding this
# stream (its name as the file's directory writes it, in UTF-16).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


class Refusal(StrEnum):
    """Why a whole upload is refused; names pick the sentence in ``bot/texts/upload.py``."""

    NOT_XLSX = "not_xlsx"
    TOO_LARGE = "too_large"
    CORRUPT = "corrupt"
    NOT_A_TEMPLATE = "not_a_template"
    OTHER_UNIT = "other_unit"
    OTHER_PERIOD = "other_period"
    STRUCTURE_CHANGED = "structure_changed"
    ZIP_BOMB = "zip_bomb"
    OLD_FORMAT = "old_format"
    DTD = "dtd"  # a document type declaration: the door to entity expansion
    ENCRYPTED = "encrypted"  # saved with a password: nothing can be read


class Refused(Exception):
    """Raised by the screen and the readers to abandon the whole file."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def container_refusal(data: bytes, filename: str) -> Refusal | None:
    """Why ``data`` cannot even be opened safely (name, size, zip bomb), or None.

    Anything that reads an uploaded workbook (a template, a catalogue) asks this first.
    """
    try:
        check_container(data, filename)
    except Refused as refused:
        return refused.refusal
    return None


def check_container(data: bytes, filename: str) -> None:
    """Name, size, password and zip sanity, and no DTD in any part; raises :class:`Refused`."""
    if not filename.lower().endswith(".xlsx"):
        raise Refused(Refusal.NOT_XLSX)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Refused(Refusal.TOO_LARGE)
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_STREAM in data:
        raise Refused(Refusal.ENCRYPTED)
    # A CSV, a PDF or a renamed text file is not a zip at all: not an .xlsx, not "broken".
    if not data.startswith(b"PK"):
        raise Refused(Refusal.NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if "[Content_Types].xml" not in {m.filename for m in members}:
                raise Refused(Refusal.NOT_XLSX)
            # Sizes come from the central directory, and zipfile never unpacks past them,
            # so checking the declared sizes bounds what openpyxl will inflate.
            unpacked = sum(m.file_size for m in members)
            if (
                len(members) > MAX_MEMBERS
                or unpacked > MAX_UNPACKED_BYTES
                or (unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * len(data))
            ):
                raise Refused(Refusal.ZIP_BOMB)
            if any(m.flag_bits & 0x1 for m in members):  # a member encrypted in the zip itself
                raise Refused(Refusal.ENCRYPTED)
            # Every part, whatever its name: a workbook names its parts in its relations, so
            # a part called "x.bin" may well be read as XML.
            for member in members:
                if _has_dtd(archive, member):
                    raise Refused(Refusal.DTD)
    # RuntimeError: an encrypted member, or (its subclass NotImplementedError) a compression
    # method zipfile cannot read; zlib.error: a damaged compressed stream. Each is refused as
    # damaged (tests/unit/test_upload_hostile.py builds both).
    except (zipfile.BadZipFile, zlib.error, RuntimeError, OSError, EOFError):
        raise Refused(Refusal.CORRUPT) from None


class _Prologue(Exception):
    """Raised from the parser's callbacks: the prologue is read, or declares a DTD."""

    def __init__(self, dtd: bool) -> None:
        super().__init__("dtd" if dtd else "root")
        self.dtd = dtd


def _has_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether a part, read as XML, declares a document type (the door to entity expansion).

    An XML parser reads the prologue, in whatever encoding the part declares or its first
    bytes imply (UTF-16 included), and stops at the root element, where a DTD can no longer
    come: a search of the raw bytes would miss a DTD in UTF-16, and the parser is what
    openpyxl will use. A part that is not XML (an image) stops the parser at once.
    """

    def doctype(*_: object) -> None:
        raise _Prologue(dtd=True)

    def element(*_: object) -> None:
        raise _Prologue(dtd=False)

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = element
    with archive.open(member) as stream:
        try:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except _Prologue as found:
            return found.dtd
        except (expat.ExpatError, ValueError, LookupError):
            return False  # not XML: openpyxl cannot read it as XML either
    return False


def refused_by_parser(error: BaseException | None) -> bool:
    """Whether defusedxml refused a part (openpyxl wraps its error in one of its own)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False
