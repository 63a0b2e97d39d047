"""The words of the fill-in template: its instructions and the colour they name."""

from __future__ import annotations

# The input cells' fill and the word every instruction uses for it (the Petunjuk sheet, the
# file's properties, the chat message with the file): plain yellow, so "kuning" is true.
INPUT_FILL = "#FFFF00"
INPUT_COLOUR = "kuning"


def petunjuk_steps() -> tuple[str, ...]:
    """How to fill the form, one step a row of the Petunjuk sheet."""
    return (
        f"Isi hanya sel berwarna {INPUT_COLOUR}: kolom Realisasi dan Penjelasan pada lembar "
        "Realisasi, kolom Realisasi Triwulan Ini (Rp) pada lembar Anggaran, serta isian pada "
        "lembar Catatan.",
        "Ketik angka tanpa rumus, dengan desimal memakai koma dan ribuan memakai titik, "
        "misalnya 12,5 atau 1.250.000 (boleh juga Rp1.250.000). Cara ini berlaku di Excel "
        "berbahasa Indonesia maupun Inggris dan di LibreOffice: bila program menyimpannya "
        "sebagai teks (rata kiri), bot tetap membacanya dengan benar.",
        "Persen diketik sebagai angkanya: 75,5 atau 75,5% sama-sama dibaca 75,5 persen.",
        "Indikator bersatuan hitungan (orang, paket, perusahaan, dokumen, dan sejenisnya) diisi "
        "bilangan bulat, misalnya 12, bukan 12,5.",
        "Sel yang kosong dianggap belum diisi, bukan nol. Isikan 0 bila realisasinya memang nol.",
        "Realisasi tidak boleh negatif; indikator bersatuan persen paling tinggi 100; realisasi "
        "anggaran tidak boleh melebihi sisa pagu sub kegiatan.",
        "Bila realisasi kurang dari 50% atau lebih dari 150% target triwulan, atau nilai "
        "indikator posisi berubah lebih dari separuh dibanding triwulan lalu, tuliskan alasannya "
        "pada kolom Penjelasan. Bila kosong, bot menanyakannya sebelum menyimpan.",
        "Nilai yang sudah diisi melalui percakapan telah tercantum; mengubahnya di sini "
        "menggantikan nilai tersebut.",
        "Jangan mengubah susunan formulir: jangan menambah, menghapus, memindahkan, atau "
        "mengganti nama baris, kolom, dan lembar.",
        "Simpan berkas dalam format .xlsx, lalu kirim kembali ke bot melalui percakapan pribadi. "
        "Bot memeriksa seluruh isian dan menampilkan ringkasannya; tekan Simpan untuk menyimpan.",
        "Formulir ini hanya berlaku untuk unit kerja dan periode di atas.",
    )
