"""Telegram's HTML parse mode as a checker: what Telegram refuses with "can't parse entities".

Telegram understands a handful of tags (``b``, ``strong``, ``i``, ``em``, ``u``, ``ins``, ``s``,
``strike``, ``del``, ``a href``, ``code``, ``pre``, ``tg-spoiler``, ``span
class="tg-spoiler"``, ``blockquote``, ``tg-emoji``), four named entities (``&lt;`` ``&gt;``
``&amp;`` ``&quot;``) and numeric ones. Everything else, an unbalanced tag, or a bare ``<`` or
``&`` makes it refuse the whole message. The simulator answers such a message with 400 as
Telegram does, and the texts' tests render every template through the same check.

A bare ``>`` is refused too: Telegram tolerates it, but the bot escapes every value from data,
so a bare ``>`` in its output means something was not escaped.
"""

from __future__ import annotations

import html
import re

# tag -> (required attributes with the value they must have, or None for any value;
#         attributes that may appear)
_TAGS: dict[str, tuple[dict[str, str | None], frozenset[str]]] = {
    "b": ({}, frozenset()),
    "strong": ({}, frozenset()),
    "i": ({}, frozenset()),
    "em": ({}, frozenset()),
    "u": ({}, frozenset()),
    "ins": ({}, frozenset()),
    "s": ({}, frozenset()),
    "strike": ({}, frozenset()),
    "del": ({}, frozenset()),
    "a": ({"href": None}, frozenset({"href"})),
    "code": ({}, frozenset({"class"})),
    "pre": ({}, frozenset()),
    "tg-spoiler": ({}, frozenset()),
    "span": ({"class": "tg-spoiler"}, frozenset({"class"})),
    "blockquote": ({}, frozenset({"expandable"})),
    "tg-emoji": ({"emoji-id": None}, frozenset({"emoji-id"})),
}
ALLOWED_TAGS = frozenset(_TAGS)

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_ATTRIBUTE = re.compile(
    r"\s+([a-zA-Z][a-zA-Z0-9-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?"
)


class EntityError(ValueError):
    """HTML that Telegram would refuse with "can't parse entities"."""


def check_html(text: str) -> None:
    """Raise :class:`EntityError` for anything Telegram's HTML parse mode refuses."""
    stack: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        _check_plain(text[position : match.start()], position)
        closing, name, rest = match.group(1), match.group(2).lower(), match.group(3)
        if name not in _TAGS:
            raise EntityError(f'unsupported start tag "{name}" at byte offset {match.start()}')
        if closing:
            if rest.strip():
                raise EntityError(f"unexpected end tag attributes at byte offset {match.start()}")
            if not stack or stack.pop() != name:
                raise EntityError(f'unmatched end tag "{name}" at byte offset {match.start()}')
        else:
            _check_attributes(name, rest, match.start())
            stack.append(name)
        position = match.end()
    _check_plain(text[position:], position)
    if stack:
        raise EntityError(f'can\'t find end tag corresponding to start tag "{stack[-1]}"')


def _check_attributes(name: str, rest: str, offset: int) -> None:
    required, allowed = _TAGS[name]
    found: dict[str, str] = {}
    end = 0
    for match in _ATTRIBUTE.finditer(rest):
        if match.start() != end:
            break
        value = next((g for g in match.groups()[1:] if g is not None), "")
        _check_plain(value, offset)
        found[match.group(1).lower()] = html.unescape(value)
        end = match.end()
    if rest[end:].strip() not in ("", "/"):
        raise EntityError(f'bad attributes of tag "{name}" at byte offset {offset}')
    for attribute in found:
        if attribute not in allowed:
            raise EntityError(f'unsupported attribute "{attribute}" of tag "{name}"')
    for attribute, value in required.items():
        if attribute not in found or (value is not None and found[attribute] != value):
            raise EntityError(f'tag "{name}" must have attribute "{attribute}"')


def _check_plain(chunk: str, offset: int) -> None:
    for bad in "<>":
        if bad in chunk:
            raise EntityError(f'unexpected "{bad}" at byte offset {offset + chunk.index(bad)}')
    for index, char in enumerate(chunk):
        if char == "&" and not _ENTITY.match(chunk, index):
            raise EntityError(f'unexpected "&" at byte offset {offset + index}')


def html_to_text(text: str) -> str:
    """What a person reads: tags removed, entities decoded (after :func:`check_html`)."""
    return html.unescape(_TAG.sub("", text))
