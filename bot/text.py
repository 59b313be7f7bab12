"""Small text helpers shared by features (no aiogram here)."""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"
REGIONAL_INDICATORS = "".join(chr(code) for code in range(0x1F1E6, 0x1F200))


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, never ending inside a combining sequence (accents, emoji modifiers,
    zero-width joiners) so that a cut never leaves half a letter or half an emoji."""
    cut = text[:limit]
    while cut and len(cut) < len(text) and _joins(text[len(cut)]):
        cut = cut[:-1]
    # A lone surrogate cannot be sent to Telegram (it is not valid UTF-8).
    while cut and 0xD800 <= ord(cut[-1]) <= 0xDBFF:
        cut = cut[:-1]
    while cut and cut[-1] == "\u200d":
        cut = cut[:-1]
    # Flags are pairs of regional indicator letters: an odd run at the end means half a flag.
    run = len(cut) - len(cut.rstrip(REGIONAL_INDICATORS))
    if run % 2:
        cut = cut[:-1]
    return cut


def _joins(char: str) -> bool:
    """True if `char` belongs to the character before it (so the two must not be separated)."""
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in {"Mn", "Me"}
        or char in "\u200d\ufe0f\ufe0e"
        or 0x1F3FB <= ord(char) <= 0x1F3FF  # skin tone modifiers
        or 0xDC00 <= ord(char) <= 0xDFFF  # the second half of a surrogate pair
        or 0xE0020 <= ord(char) <= 0xE007F  # tag characters of flag sequences
    )


def shorten(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters; otherwise cut at the last word boundary and end with "…".

    A single word longer than the limit is cut inside (there is no boundary to use). The result is never
    longer than `limit`; surrounding whitespace is dropped.
    """
    if limit <= 0:
        return ""
    text = " ".join(text.split())  # a button label is one line: newlines and runs of spaces collapse
    if len(text) <= limit:
        return text
    if limit == 1:
        return ELLIPSIS
    room = limit - len(ELLIPSIS)
    head = text[: room + 1]  # one more character shows whether the cut falls on a boundary
    if head[-1] == " ":
        cut = head[:-1]
    elif " " in head:
        cut = head[: head.rindex(" ")]
    else:
        cut = _cut(text, room)
    cut = cut.rstrip(" ,.;:-–—")
    return (cut + ELLIPSIS) if cut else ELLIPSIS
