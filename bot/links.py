"""Links staff type into the bot or a file (event links, map links, broadcast buttons).

Only https: Telegram would also take http:// and tg:// in buttons, but a notice to migrants should not
send them to an unencrypted page. 300 characters is the width of the columns that store links.
"""

from __future__ import annotations

MAX_LINK = 300


def is_https_link(url: str) -> bool:
    return (
        url.startswith("https://") and len(url) > len("https://") and len(url) <= MAX_LINK and " " not in url
    )
