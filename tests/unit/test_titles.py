"""The agency's own titles in the texts (issue 20): set from the organisation file, escaped
wherever they are shown, the short form in chat and the full one where it is due."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.model import Role, Unit, UnitKind
from bot.sim.telegram_html import check_html, html_to_text
from bot.texts import agency as ta
from bot.texts import common as texts
from bot.texts import fit as tf
from bot.texts import steps as ts

HOSTILE = "Kasubbag <Program> & Keuangan"
BIDANG = Unit("pelatihan", "Bidang Pelatihan", UnitKind.BIDANG)
AT = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def sop_titles_after() -> Iterator[None]:
    yield
    texts.set_titles()


def test_defaults_are_the_sops_and_no_invented_abbreviation() -> None:
    texts.set_titles()
    full = "Kasubbag Keuangan, Perencanaan, Evaluasi, dan Pelaporan"
    assert texts.role_title(Role.KASUBAG_KPEP) == full
    assert texts.role_title(Role.KASUBAG_KPEP, short=True) == full  # no short form chosen
    assert texts.role_title(Role.OPERATOR, BIDANG) == "Pejabat Fungsional/Pengelola Data"
    sekretariat = Unit("sekretariat", "Sekretariat", UnitKind.SEKRETARIAT)
    assert texts.role_title(Role.OPERATOR, sekretariat) == "Kasubbag/Pejabat Fungsional"
    assert "KPEP" not in " ".join(ts.STEP_NAMES.values()) + " ".join(
        ts.PERIOD_STATE_LABELS.values()
    )
    assert "plt" not in [command for command, _ in texts.COMMAND_MENU]  # the admin's alone


def test_a_hostile_title_is_escaped_wherever_it_is_shown() -> None:
    texts.set_titles(HOSTILE, HOSTILE + " (singkat)")
    unit = Unit("pelatihan", "Bidang <P&K>", UnitKind.BIDANG, "Analis <Data> & Info")
    rendered = [
        texts.start_no_token(),
        texts.welcome("Sri", [(Role.KASUBAG_KPEP, None), (Role.OPERATOR, unit)], True, "Ibu"),
        texts.help_text([(Role.KASUBAG_KPEP, None), (Role.OPERATOR, unit)], True),
        ta.forward_request("Triwulan I 2026", "Hendra", 2),
        ta.returned_to(texts.titles().coordinator_short),
        tf.reminder("Triwulan I 2026", 7, "", AT, AT, AT, "5 menit"),
    ]
    for html in rendered:
        check_html(html)
    plain = [html_to_text(h) for h in rendered]
    assert HOSTILE in plain[0] and HOSTILE in plain[1] and HOSTILE in plain[2]
    assert "Analis <Data> & Info (Bidang <P&K>)" in plain[1]
    assert f"{HOSTILE} (singkat)" in plain[3] and f"{HOSTILE} (singkat)" in plain[5]
    assert ts.step_name(7) == f"Penyerahan ke {HOSTILE} (singkat)"
    assert ts.step_name(7, full=True) == f"Penyerahan ke {HOSTILE}"


def test_invite_takes_a_sapaan_on_the_command_line() -> None:
    from bot.__main__ import _parser

    args = _parser().parse_args(["invite", "--role", "kadin", "--sapaan", "Bapak"])
    assert args.sapaan == "Bapak"
    assert _parser().parse_args(["invite", "--role", "kadin"]).sapaan is None
    with pytest.raises(SystemExit):  # argparse refuses anything but Bapak or Ibu
        _parser().parse_args(["invite", "--role", "kadin", "--sapaan", "Tuan"])
