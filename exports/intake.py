"""The first look inside an uploaded workbook: may it be opened at all, and is it a catalogue?

Pure and picklable (bytes in, a tuple out), so the bot runs it in a worker process: even
this look inflates every XML part once, which for a large file is a noticeable CPU cost.
"""

from __future__ import annotations

from io import BytesIO
from zipfile import BadZipFile, ZipFile

from exports.screen import Refusal, container_refusal


def inspect(data: bytes, file_name: str) -> tuple[Refusal | None, bool]:
    """Why the file cannot be opened safely (or None), and whether it is a catalogue."""
    # Before anything looks inside: a zip bomb must not be inflated even to be told
    # apart as a catalogue or a template.
    refusal = container_refusal(data, file_name)
    if refusal is not None:
        return refusal, False
    return None, looks_like_catalog(data)


def looks_like_catalog(data: bytes) -> bool:
    """Whether the workbook has the catalogue's sheet (read from the workbook part only)."""
    try:
        with ZipFile(BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml")
    except (BadZipFile, KeyError, OSError):
        return False
    return b'name="Katalog"' in workbook
