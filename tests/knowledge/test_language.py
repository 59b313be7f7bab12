"""Normalisation and language detection: how migrants type, reduced to comparable keys."""

from __future__ import annotations

import pytest

from bot.knowledge.language import detect
from bot.knowledge.normalize import normalized, stem, stems, transliterate


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("patent", "патент"),
        ("kantip", "кантип"),
        ("aylyk berbey jatat", "айлык бербей жатат"),
        ("akyikatchyga", "акыйкатчыга"),
        ("registraciya", "регистрация"),
        ("karmashty", "кармашты"),
        ("shashylysh", "шашылыш"),
        ("koroshuu", "корошуу"),
    ],
)
def test_kyrgyz_latin_is_transliterated(latin: str, cyrillic: str) -> None:
    assert " ".join(transliterate(w) for w in latin.split()) == cyrillic


def test_kyrgyz_letters_and_yo_fold() -> None:
    assert normalized("Мөөнөтү бүттү, ЕЩЁ") == "мооноту бутту еще"
    assert stem("бүттү") == stem("бутту")
    assert stem("ещё") == stem("еще")


@pytest.mark.parametrize(
    ("inflected", "base"),
    [
        ("регистрацияга", "регистрация"),
        ("паспортумду", "паспорт"),
        ("патентти", "патент"),
        ("реестрге", "реестр"),
        ("консулдукка", "консулдук"),
        ("зарплату", "зарплата"),
        ("задержания", "задержание"),
    ],
)
def test_russian_stems_with_kyrgyz_suffixes_meet_their_base(inflected: str, base: str) -> None:
    assert stem(inflected) == stem(base)


def test_stop_words_are_dropped() -> None:
    assert stems("как мне", frozenset({"как", "мне"})) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("патент керекпи", "ky"),
        ("регистрацияны кантип жасайм", "ky"),
        ("мени полиция кармады", "ky"),
        ("айлык бербей жатат", "ky"),
        ("aylyk berbey jatat", "ky"),
        ("мөөнөтүм бүттү", "ky"),
        ("нужен ли патент", "ru"),
        ("где сделать регистрацию", "ru"),
        ("меня задержали что делать", "ru"),
        ("не платят зарплату", "ru"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert detect(text, default="ru" if lang == "ky" else "ky") == lang


def test_detection_falls_back_to_the_interface_language() -> None:
    assert detect("патент", default="ky") == "ky"
    assert detect("патент", default="ru") == "ru"
    assert detect("", default="ky") == "ky"


@pytest.mark.parametrize(
    ("base", "inflected"),
    [
        # Glossary terms (shared/domain.md §3) typed with and without ң ө ү, in Latin, and inflected.
        ("жумуш берүүчү", "jumush beruuchu"),
        ("үй-бүлө мүчөсү", "уй-було мучосу"),
        ("кирүүгө тыюу", "kiruuge tyyuu"),
        ("өндүрүштөгү кырсык", "ondurushtogu kyrsyk"),
        ("даттануу", "даттанууга"),
        ("эмгек келишими", "эмгек келишимин"),
        ("кара тизме", "кара тизмеге"),
        # final к/п voiced before a vowel: the stem is restored
        ("консулдук", "консулдугуна"),
        ("мектеп", "мектебине"),
        ("айлык", "айлыгымды"),
        ("салык", "салыгы"),
    ],
)
def test_kyrgyz_glossary_forms_meet(base: str, inflected: str) -> None:
    assert stems(base) == stems(inflected)


def test_latin_russian_soft_sign() -> None:
    assert normalized("muzh b'et") == "муж бьет"
