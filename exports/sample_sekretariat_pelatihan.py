"""The sample 2026 catalogue of the Sekretariat and the Bidang Pelatihan (data)."""

from __future__ import annotations

from bot.model import (
    SEKRETARIAT,
    Pembanding,
)
from exports.sample_builder import TURUN, CatalogBuilder, Renstra


def sekretariat(c: CatalogBuilder) -> None:
    c.unit(SEKRETARIAT)
    c.program(
        "2.07.01",
        "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
        sasaran="Meningkatnya akuntabilitas kinerja dan tata kelola Dinas Tenaga Kerja",
    )
    c.posisi(
        "SEK-01",
        "Persentase realisasi anggaran Dinas Tenaga Kerja",
        "%",
        (20, 45, 70, 95),
        renstra=Renstra(95, realised="93.40"),
        # the budgets the units enter give the bot its own figure, beside the typed one
        pembanding=Pembanding.PENYERAPAN_DINAS,
    )
    c.posisi(
        "SEK-02",
        "Nilai evaluasi Akuntabilitas Kinerja Instansi Pemerintah (AKIP) Dinas",
        "nilai",
        ("66.50", "66.50", 68, 68),
        renstra=Renstra(70, realised="66.52"),
    )

    c.kegiatan(
        "2.07.01.2.01",
        "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
        sasaran="Tersusunnya dokumen perencanaan, penganggaran, dan evaluasi kinerja tepat waktu",
    )
    c.posisi(
        "SEK-03",
        "Persentase dokumen perencanaan, penganggaran, dan laporan kinerja yang tersusun "
        "tepat waktu",
        "%",
        (100, 100, 100, 100),
    )
    c.sub("2.07.01.2.01.0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah", pagu=38_500_000)
    c.jumlah(
        "SEK-04",
        "Jumlah dokumen perencanaan perangkat daerah yang tersusun",
        "dokumen",
        (1, 1, 0, 1),
    )
    c.sub(
        "2.07.01.2.01.0006",
        "Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD",
        pagu=27_750_000,
    )
    c.jumlah(
        "SEK-05",
        "Jumlah laporan capaian kinerja dan ikhtisar realisasi kinerja SKPD yang tersusun",
        "laporan",
        (2, 1, 1, 1),
    )
    c.sub("2.07.01.2.01.0007", "Evaluasi Kinerja Perangkat Daerah", pagu=19_800_000)
    c.jumlah("SEK-06", "Jumlah laporan evaluasi kinerja perangkat daerah", "laporan", (1, 1, 1, 1))

    c.kegiatan(
        "2.07.01.2.02",
        "Administrasi Keuangan Perangkat Daerah",
        sasaran="Meningkatnya kualitas pengelolaan keuangan perangkat daerah",
    )
    c.posisi(
        "SEK-07",
        "Jumlah temuan pemeriksaan atas pengelolaan keuangan yang belum ditindaklanjuti",
        "temuan",
        (5, 4, 2, 1),
        direction=TURUN,
    )
    c.sub(
        "2.07.01.2.02.0003",
        "Pelaksanaan Penatausahaan dan Pengujian/Verifikasi Keuangan SKPD",
        pagu=42_300_000,
    )
    c.jumlah(
        "SEK-08",
        "Jumlah dokumen SPP/SPM yang diverifikasi tepat waktu",
        "dokumen",
        (38, 52, 57, 61),
    )
    c.sub(
        "2.07.01.2.02.0007",
        "Koordinasi dan Penyusunan Laporan Keuangan Bulanan/Triwulanan/Semesteran SKPD",
        pagu=18_600_000,
    )
    c.jumlah(
        "SEK-09",
        "Jumlah laporan keuangan bulanan, triwulanan, dan semesteran SKPD",
        "laporan",
        (4, 5, 4, 5),
    )

    c.kegiatan(
        "2.07.01.2.05",
        "Administrasi Kepegawaian Perangkat Daerah",
        sasaran="Meningkatnya kapasitas aparatur Dinas Tenaga Kerja",
    )
    c.sub(
        "2.07.01.2.05.0009",
        "Pendidikan dan Pelatihan Pegawai Berdasarkan Tugas dan Fungsi",
        pagu=45_000_000,
    )
    c.jumlah(
        "SEK-10",
        "Jumlah pegawai yang mengikuti pendidikan dan pelatihan sesuai tugas dan fungsi",
        "orang",
        (0, 8, 6, 4),
    )

    c.kegiatan(
        "2.07.01.2.06",
        "Administrasi Umum Perangkat Daerah",
        sasaran="Terpenuhinya kebutuhan administrasi umum perangkat daerah",
    )
    c.sub("2.07.01.2.06.0005", "Penyediaan Barang Cetakan dan Penggandaan", pagu=36_000_000)
    c.jumlah(
        "SEK-11",
        "Jumlah paket barang cetakan dan penggandaan yang disediakan",
        "paket",
        (1, 1, 1, 1),
    )
    c.sub(
        "2.07.01.2.06.0009",
        "Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD",
        pagu=64_250_000,
    )
    c.jumlah(
        "SEK-12",
        "Jumlah laporan penyelenggaraan rapat koordinasi dan konsultasi SKPD",
        "laporan",
        (2, 4, 3, 3),
    )

    c.kegiatan(
        "2.07.01.2.08",
        "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah",
        sasaran="Terpenuhinya jasa penunjang operasional kantor",
    )
    c.sub(
        "2.07.01.2.08.0002",
        "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik",
        pagu=96_000_000,
    )
    c.jumlah(
        "SEK-13",
        "Jumlah laporan penyediaan jasa komunikasi, sumber daya air, dan listrik",
        "laporan",
        (3, 3, 3, 3),
    )


def pelatihan(c: CatalogBuilder) -> None:
    c.unit("pelatihan")
    c.program(
        "2.07.03",
        "PROGRAM PELATIHAN KERJA DAN PRODUKTIVITAS TENAGA KERJA",
        sasaran="Meningkatnya kompetensi dan produktivitas tenaga kerja",
    )
    # The demo (bot/demo_quarters.py) corrects this indicator's first-quarter figure to 130 orang.
    c.jumlah(
        "PEL-01",
        "Jumlah tenaga kerja terlatih berbasis kompetensi",
        "orang",
        (112, 160, 144, 64),
        renstra=Renstra(2_300, 3_900_000_000, 1_842, 3_052_600_000),
    )
    c.posisi(
        "PEL-02",
        "Persentase tenaga kerja bersertifikat kompetensi",
        "%",
        (60, 65, 70, 75),
        renstra=Renstra(80, realised="71.40"),
    )
    c.posisi(
        "PEL-03",
        "Persentase lulusan pelatihan yang bekerja atau berwirausaha",
        "%",
        (35, 40, 45, 50),
    )

    c.kegiatan(
        "2.07.03.2.01",
        "Pelaksanaan Pelatihan berdasarkan Unit Kompetensi",
        sasaran="Meningkatnya keterampilan pencari kerja sesuai kebutuhan pasar kerja",
    )
    c.posisi(
        "PEL-04",
        "Persentase peserta yang lulus pelatihan berbasis kompetensi",
        "%",
        (90, 92, 92, 95),
    )
    c.sub(
        "2.07.03.2.01.0001",
        "Proses Pelaksanaan Pendidikan dan Pelatihan Keterampilan bagi Pencari Kerja "
        "berdasarkan Klaster Kompetensi",
        pagu=612_450_000,
    )
    c.jumlah(
        "PEL-05",
        "Jumlah paket pelatihan keterampilan berbasis klaster kompetensi yang dilaksanakan",
        "paket",
        (7, 10, 9, 4),
    )
    c.jumlah(
        "PEL-06",
        "Jumlah peserta pelatihan yang mengikuti uji kompetensi",
        "orang",
        (80, 120, 110, 50),
    )
    c.sub(
        "2.07.03.2.01.0002",
        "Koordinasi Lintas Lembaga dan Kerja Sama dengan Sektor Swasta untuk Penyediaan "
        "Instruktur serta Sarana dan Prasarana Lembaga Pelatihan Kerja",
        pagu=74_900_000,
    )
    c.jumlah(
        "PEL-07",
        "Jumlah naskah kerja sama penyediaan instruktur dan sarana pelatihan dengan industri",
        "dokumen",
        (1, 2, 2, 1),
    )

    c.kegiatan(
        "2.07.03.2.02",
        "Pembinaan Lembaga Pelatihan Kerja Swasta",
        sasaran="Meningkatnya mutu lembaga pelatihan kerja swasta",
    )
    c.posisi(
        "PEL-08",
        "Persentase LPK swasta yang terakreditasi",
        "%",
        (42, 42, 46, 50),
        renstra=Renstra(55, realised="38.50"),
    )
    c.sub("2.07.03.2.02.0001", "Pembinaan Lembaga Pelatihan Kerja Swasta", pagu=48_600_000)
    c.jumlah("PEL-09", "Jumlah LPK swasta yang dibina", "lembaga", (4, 8, 8, 4))

    c.kegiatan(
        "2.07.03.2.05",
        "Pengukuran Produktivitas Tingkat Daerah Kabupaten/Kota",
        sasaran="Tersedianya data produktivitas tenaga kerja daerah",
    )
    c.jumlah(
        "PEL-10",
        "Jumlah dokumen hasil pengukuran produktivitas tenaga kerja daerah",
        "dokumen",
        (0, 0, 0, 1),
    )
    c.sub(
        "2.07.03.2.05.0001",
        "Pengukuran Kompetensi dan Produktivitas Tenaga Kerja",
        pagu=56_300_000,
    )
    c.jumlah(
        "PEL-11",
        "Jumlah perusahaan dan UMKM yang diukur produktivitasnya",
        "perusahaan",
        (0, 6, 10, 4),
    )
