"""The sample 2026 catalogue of the Bidang Penempatan and the Bidang Hubungan Industrial
(data)."""

from __future__ import annotations

from exports.sample_builder import TURUN, CatalogBuilder, Renstra


def penempatan(c: CatalogBuilder) -> None:
    c.unit("penempatan")
    c.program(
        "2.07.04",
        "PROGRAM PENEMPATAN TENAGA KERJA",
        sasaran="Meningkatnya penempatan tenaga kerja dan perluasan kesempatan kerja",
    )
    # Sakernas (BPS) measures the rate in February and August; the figure holds in between.
    c.posisi(
        "PEN-01",
        "Tingkat Pengangguran Terbuka (TPT)",
        "%",
        ("3.90", "3.80", "3.80", "3.70"),
        direction=TURUN,
        renstra=Renstra("3.50", realised="3.95"),
    )
    c.posisi(
        "PEN-02",
        "Persentase pencari kerja terdaftar yang ditempatkan",
        "%",
        (20, 30, 40, 50),
        renstra=Renstra(55, realised="47.80"),
    )

    c.kegiatan(
        "2.07.04.2.01",
        "Pelayanan Antarkerja di Daerah Kabupaten/Kota",
        sasaran="Meningkatnya pencari kerja yang memperoleh pekerjaan",
    )
    c.jumlah(
        "PEN-03",
        "Jumlah pencari kerja yang ditempatkan melalui mekanisme antarkerja",
        "orang",
        (240, 330, 380, 300),
        renstra=Renstra(5_800, 3_600_000_000, 4_620, 2_810_450_000),
    )
    c.sub("2.07.04.2.01.0002", "Pelayanan Antarkerja", pagu=86_750_000)
    c.jumlah(
        "PEN-04",
        "Jumlah pencari kerja yang terdaftar dan memperoleh kartu AK/I",
        "orang",
        (820, 640, 610, 530),
    )
    c.sub(
        "2.07.04.2.01.0003",
        "Penyuluhan dan Bimbingan Jabatan bagi Pencari Kerja",
        pagu=41_200_000,
    )
    c.jumlah(
        "PEN-05",
        "Jumlah pencari kerja yang mengikuti penyuluhan dan bimbingan jabatan",
        "orang",
        (80, 120, 120, 80),
    )
    c.sub("2.07.04.2.01.0005", "Perluasan Kesempatan Kerja", pagu=285_000_000)
    c.jumlah(
        "PEN-06",
        "Jumlah kelompok Tenaga Kerja Mandiri (TKM) yang difasilitasi",
        "kelompok",
        (0, 4, 6, 2),
    )
    c.jumlah(
        "PEN-07",
        "Jumlah tenaga kerja yang terserap melalui program padat karya",
        "orang",
        (0, 60, 90, 0),
    )

    c.kegiatan(
        "2.07.04.2.03",
        "Pengelolaan Informasi Pasar Kerja",
        sasaran="Meningkatnya keterisian lowongan kerja",
    )
    c.posisi("PEN-08", "Persentase lowongan kerja terdaftar yang terisi", "%", (55, 60, 65, 70))
    c.sub(
        "2.07.04.2.03.0002",
        "Pelayanan dan Penyediaan Informasi Pasar Kerja Online",
        pagu=32_400_000,
    )
    c.jumlah(
        "PEN-09",
        "Jumlah lowongan kerja yang ditayangkan pada sistem informasi pasar kerja",
        "lowongan",
        (380, 450, 520, 450),
    )
    c.sub("2.07.04.2.03.0003", "Job Fair/Bursa Kerja", pagu=165_000_000)
    c.jumlah("PEN-10", "Jumlah penyelenggaraan job fair/bursa kerja", "kali", (0, 1, 0, 1))
    c.jumlah(
        "PEN-11",
        "Jumlah lowongan kerja yang ditawarkan dalam job fair",
        "lowongan",
        (0, 800, 0, 700),
    )

    c.kegiatan(
        "2.07.04.2.04",
        "Pelindungan PMI (Pra dan Purna Penempatan) di Daerah Kabupaten/Kota",
        sasaran="Meningkatnya pelindungan Pekerja Migran Indonesia asal Kabupaten Magetan",
    )
    c.jumlah(
        "PEN-12",
        "Jumlah kasus Pekerja Migran Indonesia (PMI) bermasalah asal Kabupaten Magetan",
        "kasus",
        (4, 3, 3, 2),
        direction=TURUN,
    )
    c.sub(
        "2.07.04.2.04.0001",
        "Peningkatan Pelindungan dan Kompetensi Calon Pekerja Migran Indonesia (PMI)/"
        "Pekerja Migran Indonesia (PMI)",
        pagu=78_500_000,
    )
    c.jumlah(
        "PEN-13",
        "Jumlah calon PMI yang mengikuti orientasi pra penempatan",
        "orang",
        (160, 170, 150, 120),
    )
    c.sub(
        "2.07.04.2.04.0003",
        "Pemberdayaan Pekerja Migran Indonesia Purna Penempatan",
        pagu=64_000_000,
    )
    c.jumlah(
        "PEN-14",
        "Jumlah PMI purna yang mengikuti pelatihan kewirausahaan",
        "orang",
        (0, 20, 40, 0),
    )


def hubungan_industrial(c: CatalogBuilder) -> None:
    c.unit("hubungan_industrial")
    c.program(
        "2.07.05",
        "PROGRAM HUBUNGAN INDUSTRIAL",
        sasaran="Terwujudnya hubungan industrial yang harmonis dan terlindunginya pekerja",
    )
    c.posisi(
        "HI-01",
        "Persentase perselisihan hubungan industrial yang diselesaikan",
        "%",
        (75, 80, 85, 90),
        renstra=Renstra(92, 1_350_000_000, "86.70", 1_071_300_000),
    )
    c.posisi(
        "HI-02",
        "Persentase perusahaan yang memiliki peraturan perusahaan atau perjanjian kerja bersama",
        "%",
        (58, 60, 62, 65),
    )
    c.posisi(
        "HI-03",
        "Persentase pekerja formal yang terdaftar sebagai peserta BPJS Ketenagakerjaan",
        "%",
        ("46.00", "47.50", "49.00", "50.00"),
        renstra=Renstra(52, realised="45.20"),
    )

    c.kegiatan(
        "2.07.05.2.01",
        "Pengesahan Peraturan Perusahaan dan Pendaftaran Perjanjian Kerja Bersama untuk "
        "Perusahaan yang hanya Beroperasi dalam 1 (satu) Daerah Kabupaten/Kota",
        sasaran="Meningkatnya perusahaan yang memiliki pedoman syarat kerja",
    )
    c.jumlah(
        "HI-04",
        "Jumlah peraturan perusahaan dan perjanjian kerja bersama yang disahkan atau didaftarkan",
        "dokumen",
        (8, 12, 11, 9),
    )
    c.sub("2.07.05.2.01.0001", "Pengesahan Peraturan Perusahaan bagi Perusahaan", pagu=29_500_000)
    c.jumlah("HI-05", "Jumlah peraturan perusahaan yang disahkan", "dokumen", (7, 10, 9, 8))
    c.sub(
        "2.07.05.2.01.0002",
        "Pendaftaran Perjanjian Kerja Bersama bagi Perusahaan",
        pagu=16_800_000,
    )
    c.jumlah(
        "HI-06", "Jumlah perjanjian kerja bersama (PKB) yang didaftarkan", "dokumen", (1, 2, 2, 1)
    )
    c.sub(
        "2.07.05.2.01.0003",
        "Penyelenggaraan Pendataan dan Informasi Sarana Hubungan Industrial dan Jaminan Sosial "
        "Tenaga Kerja serta Pengupahan",
        pagu=38_750_000,
    )
    c.jumlah(
        "HI-07",
        "Jumlah perusahaan yang didata sarana hubungan industrial, jaminan sosial, dan "
        "pengupahannya",
        "perusahaan",
        (20, 35, 40, 25),
    )

    c.kegiatan(
        "2.07.05.2.02",
        "Pencegahan dan Penyelesaian Perselisihan Hubungan Industrial, Mogok Kerja dan "
        "Penutupan Perusahaan di Daerah Kabupaten/Kota",
        sasaran="Menurunnya perselisihan hubungan industrial",
    )
    c.jumlah(
        "HI-08",
        "Jumlah kasus perselisihan hubungan industrial yang tercatat",
        "kasus",
        (5, 4, 4, 3),
        direction=TURUN,
    )
    c.sub(
        "2.07.05.2.02.0001",
        "Pencegahan Perselisihan Hubungan Industrial, Mogok Kerja, dan Penutupan Perusahaan "
        "yang Berakibat/Berdampak pada Kepentingan di 1 (satu) Daerah Kabupaten/Kota",
        pagu=44_200_000,
    )
    c.jumlah(
        "HI-09",
        "Jumlah perusahaan yang dibina dalam pencegahan perselisihan hubungan industrial",
        "perusahaan",
        (8, 12, 12, 8),
    )
    c.sub(
        "2.07.05.2.02.0002",
        "Penyelesaian Perselisihan Hubungan Industrial, Mogok Kerja, dan Penutupan Perusahaan "
        "yang Berakibat/Berdampak pada Kepentingan di 1 (satu) Daerah Kabupaten/Kota",
        pagu=52_600_000,
    )
    c.jumlah(
        "HI-10",
        "Jumlah kasus perselisihan hubungan industrial yang diselesaikan melalui mediasi",
        "kasus",
        (4, 4, 3, 3),
    )
    # UU 2/2004 gives a mediator 30 working days; the aim is to finish sooner.
    c.posisi(
        "HI-11",
        "Rata-rata waktu penyelesaian perselisihan melalui mediasi",
        "hari",
        (28, 27, 26, 25),
        direction=TURUN,
    )
    c.sub(
        "2.07.05.2.02.0003",
        "Penyelenggaraan Verifikasi dan Rekapitulasi Keanggotaan pada Organisasi Pengusaha, "
        "Federasi dan Konfederasi Serikat Pekerja/Serikat Buruh serta Non Afiliasi",
        pagu=22_500_000,
    )
    c.jumlah(
        "HI-12",
        "Jumlah serikat pekerja/serikat buruh yang diverifikasi keanggotaannya",
        "organisasi",
        (0, 6, 8, 4),
    )
    c.sub(
        "2.07.05.2.02.0004",
        "Pelaksanaan Operasional Lembaga Kerja Sama Tripartit Daerah Kabupaten/Kota",
        pagu=61_400_000,
    )
    c.jumlah("HI-13", "Jumlah sidang Lembaga Kerja Sama Tripartit Kabupaten", "kali", (1, 2, 1, 2))
