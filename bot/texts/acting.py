"""Texts of acting assignments (Plt./Plh.), in formal Indonesian."""

from __future__ import annotations

from datetime import date

from bot.dates import long_date
from bot.texts.common import esc

PICK_PERSON = "Penugasan Plt./Plh. Pilih <b>pegawai</b> yang ditugaskan:"
PICK_UNIT = "Pilih <b>unit kerja</b>:"
ASK_DATES = (
    "Ketik <b>tanggal mulai dan selesai</b>, mis. <code>1/12/2026 - 31/12/2026</code>. "
    "Tambahkan kata <code>Plh</code> untuk pelaksana harian (bawaan: Plt)."
)
BAD_DATES = (
    "Tanggal tidak dikenali. Tulis dua tanggal hari/bulan/tahun, yang pertama tidak setelah "
    "yang kedua, mis. <code>1/12/2026 - 31/12/2026</code>."
)


def _d(day: date) -> str:
    return long_date(day)


def pick_role(name: str) -> str:
    """Second question."""
    return f"Pilih <b>peran</b> yang dijalankan {esc(name)}:"


def assigned(name: str, title: str, start: date, end: date) -> str:
    """To the admin."""
    return (
        f"✔️ {esc(name)} ditugaskan sebagai <b>{esc(title)}</b> "
        f"{_d(start)} s.d. {_d(end)}. Penugasan berakhir otomatis."
    )


def you_are_acting(title: str, start: date, end: date) -> str:
    """To the acting official."""
    return (
        f"Anda ditugaskan sebagai <b>{esc(title)}</b> {_d(start)} s.d. {_d(end)}. "
        "Selama itu Anda menerima pesan dan tombol peran tersebut."
    )
