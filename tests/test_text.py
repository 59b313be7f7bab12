"""`bot.text.shorten`: button labels cut at a word boundary with "…", never longer than the limit."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.text import ELLIPSIS, shorten

WORDS = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), min_size=1),
    min_size=1,
    max_size=12,
)


def test_short_text_is_kept() -> None:
    assert shorten("Москвада кабыл алуу", 60) == "Москвада кабыл алуу"
    assert shorten("", 10) == ""
    assert shorten("  два\nслова  ", 20) == "два слова"


def test_long_text_ends_at_a_word() -> None:
    title = "ОБРАЗЕЦ: совместный приём Акыйкатчы и Уполномоченного по правам человека"
    assert shorten(title, 40) == "ОБРАЗЕЦ: совместный приём Акыйкатчы и…"
    assert shorten("один два три", 9) == "один два…"  # the word ends exactly at the cut
    assert shorten("один два три", 8) == "один…"


def test_one_long_word_is_cut_inside_and_emoji_stay_whole() -> None:
    assert shorten("Электрондук-кезек-системасы", 10) == "Электронд…"
    cut = shorten("👍🏽👍🏽👍🏽👍🏽", 6)
    assert cut == "👍🏽👍🏽…"  # the skin tone stays with its hand
    assert shorten("🇰🇬🇰🇬🇰🇬", 4) == "🇰🇬…"  # never half a flag
    assert shorten("е\u0301е\u0301е\u0301", 4) == "е\u0301…"  # nor a letter without its accent


def test_degenerate_limits() -> None:
    assert shorten("abc def", 0) == ""
    assert shorten("abc def", 1) == ELLIPSIS
    assert shorten("abc def", 2) == "a…"


@given(st.text(), st.integers(min_value=0, max_value=80))
def test_never_longer_than_the_limit(text: str, limit: int) -> None:
    result = shorten(text, limit)
    assert len(result) <= limit
    if len(" ".join(text.split())) <= limit:
        assert result == " ".join(text.split())


@given(WORDS, st.integers(min_value=2, max_value=60))
def test_never_cuts_inside_a_word_when_a_space_allows(words: list[str], limit: int) -> None:
    text = " ".join(words)
    result = shorten(text, limit)
    if len(text) <= limit:
        assert result == text
        return
    assert result.endswith(ELLIPSIS)
    kept = result[: -len(ELLIPSIS)]
    if " " in text[: limit - len(ELLIPSIS) + 1] and kept:
        # Everything kept is whole words of the text, in order.
        assert text.startswith(kept)
        # …and it ends where a word ends (only trailing punctuation of that word may be dropped).
        assert re.match(r"[ ,.;:\-–—]*( |$)", text[len(kept) :])


@given(st.text(max_size=40), st.integers(min_value=1, max_value=20))
def test_a_cut_never_separates_a_mark_from_its_letter(text: str, limit: int) -> None:
    result = shorten(text, limit)
    result.encode("utf-8")  # valid for Telegram: no lone surrogate
    flat = " ".join(text.split())
    kept = result.removesuffix(ELLIPSIS)
    if result != flat and kept and flat.startswith(kept):
        following = flat[len(kept)]
        assert unicodedata.combining(following) == 0 and following not in "\u200d\ufe0f"
