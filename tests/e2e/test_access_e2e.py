"""The access rules through the real bot and the simulator: the handler wiring, not the rules
themselves (``tests/integration/test_access_matrix.py`` walks those)."""

from __future__ import annotations

import logging

import pytest

from bot.model import Role
from bot.texts import common as texts
from bot.texts import upload as tu
from storage import periods
from tests.e2e.conftest import Harness


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_workflow_commands_in_the_group_point_to_the_private_chat(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    admin = harness.sim.person("Sri")
    await harness.join(admin, Role.KASUBAG_KPEP, admin_=True)
    group = harness.sim.group("Dinas Tenaga Kerja")
    await admin.send_in(group, "/daftarkan_grup")
    await group.wait_for_text("terdaftar")
    for command in ("/buka_periode", "/isi@kinerja_test_bot", "/undang", "/plt", "/unduh"):
        await admin.send_in(group, command)
        await group.wait_for_text("percakapan pribadi")
    outsider = harness.sim.person("Orang Luar")
    await outsider.send_in(group, "/tindak_lanjut")
    await group.wait_for_text("percakapan pribadi")
    await outsider.send_in(group, "/daftarkan_grup")
    await group.wait_for_text("hanya untuk pengelola bot")
    assert errors(caplog) == []


@pytest.mark.parametrize(
    "data",
    [
        "oa:1:1",  # a real shape for a period that does not exist
        "ua:" + "9" * 30 + ":1",  # an id SQLite cannot hold
        "ua:1:1:1",  # padded
        "ua:1",  # truncated
        "x" * 80,  # oversized
        "\x00\xff😀",  # garbage
    ],
)
async def test_forged_presses_are_answered_and_change_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    person = harness.sim.person("Sekretaris")
    await harness.join(person, Role.SEKRETARIS)
    outsider = harness.sim.person("Orang Luar")
    for who in (person, outsider):
        await who.tap_data(data)
        _, answer, _ = await who.wait_callback_answer()
        assert answer in (texts.BUTTON_INVALID, "Sudah diproses.", texts.NOT_REGISTERED)
    assert harness.runtime is not None
    async with harness.runtime.db.reading() as conn:
        assert await periods.current_period(conn) is None
    assert errors(caplog) == []


async def test_a_press_in_the_group_is_refused(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    admin = harness.sim.person("Sri")
    await harness.join(admin, Role.KASUBAG_KPEP, admin_=True)
    group = harness.sim.group("Dinas Tenaga Kerja")
    await admin.send_in(group, "/daftarkan_grup")
    posted = await group.wait_for_text("terdaftar")
    await admin.tap_data("ir:operator", posted)
    _, answer, _ = await admin.wait_callback_answer()
    assert answer == texts.BUTTON_INVALID
    assert errors(caplog) == []


async def test_a_document_of_the_wrong_type_is_named_as_such(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Regression: a small PDF was answered "too large"."""
    op = harness.sim.person("Tono")
    await harness.join(op, Role.OPERATOR, "pelatihan")
    await op.upload("laporan.pdf", b"%PDF-1.4\n%%EOF", mime_type="application/pdf")
    await op.wait_for_text(tu.NOT_XLSX)
    await op.upload("rusak.xlsx", b"PK\x03\x04 not really a zip")
    await op.wait_for(lambda m: bool(m.plain_text))  # no period is open: it says so
    assert errors(caplog) == []
