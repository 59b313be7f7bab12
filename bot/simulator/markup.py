"""Checks message text the way the Bot API does for parse_mode=HTML, and renders it as plain text.

Telegram rejects unknown tags, unbalanced tags and stray '<' with "400 Bad Request: can't parse
entities"; a bot that forgets to escape a user's text fails exactly like this in production.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Tags the Bot API accepts in HTML mode (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "tg-emoji",
    "code",
    "pre",
    "blockquote",
}
_LT = re.compile(r"</?([A-Za-z][\w-]*)?")
MAX_TEXT = 4096
MAX_CAPTION = 1024


class EntityError(ValueError):
    """The text would be refused by Telegram; str(self) is the API's description."""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise EntityError(f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        if tag == "a" and not dict(attrs).get("href"):
            raise EntityError("Bad Request: can't parse entities: a tag without href")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise EntityError(f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.plain.append(data)


def check_html(text: str) -> str:
    """Returns the text as the user would see it, or raises EntityError like the Bot API."""
    # HTMLParser is lenient with a bare '<' ("a < b"); Telegram is not.
    for match in _LT.finditer(text):
        if (match.group(1) or "").lower() not in ALLOWED_TAGS:
            raise EntityError(f"Bad Request: can't parse entities: unexpected '<' at offset {match.start()}")
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise EntityError(f'Bad Request: can\'t parse entities: Unclosed start tag "{checker.stack[-1]}"')
    return "".join(checker.plain)


def visible_text(text: str, parse_mode: str | None) -> str:
    if parse_mode and parse_mode.upper() == "HTML":
        return check_html(text)
    return text


def to_plain(text: str) -> str:
    """Best-effort rendering for the terminal demo (never raises)."""
    try:
        return check_html(text)
    except EntityError:
        return html.unescape(text)
