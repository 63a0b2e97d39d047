"""A request to any role is courteous ("Mohon Ibu berkenan …"), never a bare order (finding B):
the coordinator asked to distribute, a unit asked to record its follow-ups."""

from __future__ import annotations

from bot.texts import agency as ta
from bot.texts import common as texts


def test_the_coordinator_is_asked_not_ordered_to_distribute() -> None:
    text = texts.spoken(
        ta.distribute_request("Triwulan I 2026", "Bambang", [("Umum", "Percepat")]), "Ibu"
    )
    assert "Mohon Ibu berkenan menyampaikan rekomendasi ke unit dan laporan akhir" in text
    assert "\nSampaikan rekomendasi" not in text


def test_a_unit_is_asked_to_record_its_follow_ups() -> None:
    text = texts.spoken(
        ta.unit_recommendations("Triwulan I 2026", "Sekretariat", [(True, "Percepat")]), "Bapak"
    )
    assert "Mohon Bapak berkenan mencatat tindak lanjut" in text
    assert "\nCatat tindak lanjut" not in text


def test_the_chosen_sapaan_is_confirmed_in_a_whole_sentence() -> None:
    assert texts.sapaan_saved("Bapak") == (
        "Terima kasih. Bot akan menyapa Anda dengan <b>Bapak</b>."
    )


def test_a_unit_is_asked_to_update_a_status() -> None:
    from bot.texts import followup as tl

    for text in (
        tl.reopened("Sekretariat", "Percepat", "Data dukung kurang"),
        tl.overdue_reminder("Sekretariat", [("Triwulan I 2026", "Percepat", "30 Juni 2026")]),
    ):
        spoken = texts.spoken(text, "Ibu")
        assert "Mohon Ibu berkenan memperbarui statusnya dengan /tindak_lanjut." in spoken
        assert "\nPerbarui" not in spoken
