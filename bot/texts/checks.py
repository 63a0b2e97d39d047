"""Why a typed value is refused or asked back (the problems and flags of bot.checks)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot.texts.common import esc
from bot.texts.quarter import num

HARD_REASONS = {
    "EMPTY": "isian kosong",
    "NOT_A_NUMBER": "bukan angka",
    "TWO_VALUES": "berisi lebih dari satu angka; isikan satu angka saja",
    "AMBIGUOUS": "penulisan angka bermakna ganda",
    "NEGATIVE": "tidak boleh negatif",
    "PERCENT_ABOVE_100": "persentase tidak boleh lebih dari 100",
    "ABOVE_PAGU": "melebihi sisa pagu sub kegiatan",
    "FORMULA": "rumus tidak diperbolehkan, isikan angka",
    "WRONG_UNIT": "satuan tidak sesuai (mis. persen untuk rupiah)",
}
SOFT_REASONS = {
    "FAR_BELOW_TARGET": "kurang dari 50% target triwulan",
    "FAR_ABOVE_TARGET": "lebih dari 150% target triwulan",
    "POSISI_JUMP": "berubah lebih dari separuh dibanding triwulan lalu",
}
NOT_NUMBERED = "baris tanpa nomor (format: <code>3. 120</code>)"
NO_SUCH_QUESTION = "nomor pertanyaan tidak ada"
ANSWER_ALONE = "jawab no. {n} tersendiri agar dapat diberi penjelasan"


def hard_short(problem: object, suggestions: Sequence[Decimal] = ()) -> str:
    """The reason a value was refused, short (for lists)."""
    name = getattr(problem, "name", str(problem))
    reason = HARD_REASONS.get(name, "nilai tidak dapat diterima")
    if suggestions:
        reason += " (maksud Anda " + " atau ".join(num(s) for s in suggestions) + "?)"
    return reason


def hard_problem(problem: object, typed: str, suggestions: Sequence[Decimal] = ()) -> str:
    """The reply to a refused value: what was typed, why, and how to write it."""
    return (
        f"❌ <b>{esc(typed[:60])}</b>: {hard_short(problem, suggestions)}. "
        "Tidak disimpan; ketik ulang. Desimal memakai koma (<code>12,5</code>), ribuan "
        "memakai titik (<code>1.250.000</code>)."
    )


def soft_reason(flag: object) -> str:
    """Why a value is asked back."""
    name = getattr(flag, "name", str(flag))
    return SOFT_REASONS.get(name, "di luar kewajaran")


# Issue 12: a fraction for a count (kept apart from the table above so edits there merge).
HARD_REASONS["NOT_WHOLE"] = "satuan ini dihitung utuh: isikan bilangan bulat (mis. 12, bukan 12,5)"


# Issue 19: a figure the bot can compute itself (the catalogue's ``pembanding``).
SOFT_REASONS["PEMBANDING"] = "berbeda lebih dari 1 poin dengan hitungan sistem"


def computed_line(figure: str) -> str:
    """In a question card: the bot's own figure for an indicator with a pembanding."""
    return f"Hitungan sistem dari realisasi anggaran: <b>{esc(figure)}</b>"


def computed_reason(figure: str) -> str:
    """Why a value far from the bot's own figure is asked back, with that figure."""
    return f"{SOFT_REASONS['PEMBANDING']} ({esc(figure)})"
