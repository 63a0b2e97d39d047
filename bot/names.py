"""Official names short enough for a chat line, and never two alike. Pure.

An indicator's official name is often a sentence ("Jumlah kasus perselisihan hubungan
industrial yang diselesaikan melalui mediasi"); a chat line shows the catalogue's
``nama_singkat`` when it has one, otherwise the name cut at a word. Cut names of one unit
(or one message) can come out equal although they name two indicators (HI-08 and HI-10): an
operator answering by number could not tell which is which, so a name that would equal
another carries its code, "… (HI-08)".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bot.model import Indicator

NAME_CHARS = 48  # an official name in a chat line: a readable cut, the documents keep it whole
ELLIPSIS = "…"


def shorten(text: str, limit: int = NAME_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, marked with "…".

    Plain text in, plain text out (escape afterwards): cutting escaped text could split
    an entity such as ``&amp;``.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:  # a word boundary not too far back; else cut inside the word
        cut = cut[:space]
    return cut.rstrip(" ,.;:–-/(") + ELLIPSIS


def _key(name: str) -> str:
    """What a reader compares: case, spacing and the cut mark do not tell names apart."""
    return " ".join(name.replace(ELLIPSIS, " ").split()).casefold()


def distinct_names(
    items: Iterable[tuple[str, str, str]], limit: int = NAME_CHARS
) -> dict[str, str]:
    """``code → name`` for chat, from (code, official name, short name or "") of one unit or
    one message: the short name, else the official one cut at a word; names that would be
    equal carry their code, "… (HI-08)", and still fit in ``limit`` characters."""
    items = list(items)
    first = {code: shorten(given or name, limit) for code, name, given in items}
    alike: dict[str, list[str]] = defaultdict(list)
    for code, shown in first.items():
        alike[_key(shown)].append(code)
    result = dict(first)
    for code, name, given in items:
        if len(alike[_key(first[code])]) > 1:
            suffix = f" ({code})"
            result[code] = shorten(given or name, max(limit - len(suffix), 8)) + suffix
    return result


def indicator_names(indicators: Iterable[Indicator], limit: int = NAME_CHARS) -> dict[str, str]:
    """``indicator code → name`` for chat (see :func:`distinct_names`)."""
    return distinct_names(((i.code, i.name, i.short_name) for i in indicators), limit)
