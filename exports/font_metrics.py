"""How wide Calibri draws each character, so that a row is as tall as its wrapped text.

Advance widths in font units (2,048 to the em) of Calibri's metric twin Carlito, which
LibreOffice draws in Calibri's place (Excel has Calibri itself): the same width for every
character. Measured once from the font files; the characters of an Indonesian report (ASCII,
accented Latin letters, dashes, quotes). Any other character counts as a capital W, the
widest letter, so an estimate errs on the wide side, never the narrow one.
"""

from __future__ import annotations

UNITS_PER_EM = 2048
CHARACTERS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "ÀÁÂÄÇÈÉÊËÌÍÎÏÑÒÓÔÖÙÚÛÜàáâäçèéêëìíîïñòóôöùúûü–—‘’“”•…°±×≤≥→€"
)
_REGULAR_WIDTHS = """
    463 667 821 1020 1038 1464 1397 452 621 621 1020 1020 511 627 517 791 1038 1038 1038 1038
    1038 1038 1038 1038 1038 1038 548 548 1020 1020 1020 949 1831 1185 1114 1092 1260 1000 941
    1292 1276 516 653 1064 861 1751 1322 1356 1058 1378 1112 941 998 1314 1162 1822 1063 998 959
    628 791 628 1020 1020 596 981 1076 866 1076 1019 625 964 1076 470 490 931 470 1636 1076 1080
    1076 1076 714 801 686 1076 925 1464 887 927 809 644 943 644 1020 1185 1185 1185 1185 1092
    1000 1000 1000 1000 516 516 516 516 1322 1356 1356 1356 1356 1314 1314 1314 1314 981 981 981
    981 866 1019 1019 1019 1019 470 470 470 470 1076 1080 1080 1080 1080 1076 1076 1076 1076
    1020 1854 511 511 857 857 1020 1414 694 1020 1020 1020 1020 1854 1038
"""
_BOLD_WIDTHS = """
    463 667 898 1020 1038 1493 1443 478 638 638 1020 1020 528 627 547 880 1038 1038 1038 1038
    1038 1038 1038 1038 1038 1038 565 565 1020 1020 1020 949 1840 1241 1148 1084 1291 999 940
    1305 1292 546 678 1120 866 1790 1349 1385 1090 1405 1153 968 1014 1337 1211 1856 1128 1064
    979 665 880 665 1020 1020 615 1011 1099 857 1099 1031 648 971 1099 503 523 983 503 1666 1099
    1101 1099 1099 728 817 710 1099 969 1526 941 970 814 704 973 704 1020 1241 1241 1241 1241
    1084 999 999 999 999 546 546 546 546 1349 1385 1385 1385 1385 1337 1337 1337 1337 1011 1011
    1011 1011 857 1031 1031 1031 1031 503 503 503 503 1099 1101 1101 1101 1101 1099 1099 1099
    1099 1020 1854 528 528 891 891 1020 1457 701 1020 1020 1020 1020 1854 1038
"""
_REGULAR = dict(zip(CHARACTERS, map(int, _REGULAR_WIDTHS.split()), strict=True))
_BOLD = dict(zip(CHARACTERS, map(int, _BOLD_WIDTHS.split()), strict=True))
WIDEST = max(_REGULAR["W"], _BOLD["W"])


def advance(char: str, bold: bool = False) -> int:
    """The character's advance width in font units."""
    return (_BOLD if bold else _REGULAR).get(char, WIDEST)


def text_units(text: str, bold: bool = False) -> int:
    """The width of ``text`` on one line, in font units."""
    table = _BOLD if bold else _REGULAR
    return sum(table.get(c, WIDEST) for c in text)
