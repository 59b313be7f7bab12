"""Language normalisation for search: how migrants really type, reduced to comparable stems.

One pipeline for the index and the queries, so that whatever it does to a word it does on both sides:
lower case, ё → е, Kyrgyz written in Latin letters → Cyrillic, ң/ө/ү folded to н/о/у (Kyrgyz typed on a
Russian keyboard), then Kyrgyz suffixes stripped (also from Russian stems inside Kyrgyz sentences:
"регистрацияга", "паспортумду") and the Russian Snowball stemmer applied.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from typing import Any

import snowballstemmer

_WORD = re.compile(r"[0-9a-zа-яёңөүһ]+", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]")
# Russian typed in Latin marks the soft sign with an apostrophe: "b'et" → бьет, "sem'ya" → семья.
_SOFT_SIGN = re.compile(r"(?<=[a-z])['’`](?=[a-z])")

# Multi-letter combinations first. Kyrgyz chat Latin: ng → ң, oe/ö → ө, ue/ü → ү, j → ж, y → ы.
_LATIN_PAIRS = (
    ("shch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ye", "е"),
    ("ng", "ң"),
    ("oe", "ө"),
    ("ue", "ү"),
)
_LATIN_SINGLE = str.maketrans(
    {
        "a": "а",
        "b": "б",
        "c": "ц",
        "d": "д",
        "e": "е",
        "f": "ф",
        "g": "г",
        "h": "х",
        "i": "и",
        "j": "ж",
        "k": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "o": "о",
        "p": "п",
        "q": "к",
        "r": "р",
        "s": "с",
        "t": "т",
        "u": "у",
        "v": "в",
        "w": "в",
        "x": "х",
        "y": "ы",
        "z": "з",
        "ö": "ө",
        "ü": "ү",
    }
)
_FOLD = str.maketrans({"ң": "н", "ө": "о", "ү": "у", "ё": "е", "һ": "х"})

# Kyrgyz suffixes, already folded (ө → о, ү → у), longest first. Case endings, possessives, plurals,
# question particles and common verb endings; stripped up to three times from the end of a word.
_KY_SUFFIXES = tuple(
    sorted(
        {
            *"лар лер лор дар дер дор тар тер тор".split(),
            *"га ге го ка ке ко на не но".split(),
            *"да де до та те то".split(),
            *"дан ден дон тан тен тон нан нен нон".split(),
            *"дын дин дун тын тин тун нын нин нун".split(),
            *"ды ди ду ты ти ту ны ни ну".split(),
            *"ым им ум ын ин ун ыбыз ибиз убуз быз биз буз".split(),
            *"сы си су сын син сун ынын инин унун".split(),
            *"мын мин мун сыз сиз суз сыныз синиз".split(),
            *"бы би бу пы пи пу".split(),
            *"ган ген гон кан кен кон ып ип уп оо уу ишти ышты ушту".split(),
            *"ганда генде гонго кенде сам сем сак сек са се".split(),
        },
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 4

_russian = snowballstemmer.stemmer("russian")

KY_LETTERS = set("ңөү")


_VOWELS = set("аеиоуыэюяөү")


def transliterate(word: str) -> str:
    """Latin-script word → Cyrillic (Kyrgyz chat conventions, also fine for Russian translit)."""
    for latin, cyrillic in _LATIN_PAIRS:
        word = word.replace(latin, cyrillic)
    out: list[str] = []
    for char in word:
        after_vowel = bool(out) and out[-1] in _VOWELS
        if char in "yi" and after_vowel:
            out.append("й")  # "aylyk" → айлык, "akyikatchy" → акыйкатчы
        else:
            out.append(char.translate(_LATIN_SINGLE))
    return "".join(out)


def words(text: str) -> list[str]:
    """Lower-cased words with Latin transliterated, NOT folded (language detection needs ң ө ү)."""
    out = []
    for word in _WORD.findall(_SOFT_SIGN.sub("ь", text.lower().replace("ё", "е"))):
        out.append(transliterate(word) if _LATIN.search(word) else word)
    return out


def fold(word: str) -> str:
    return word.translate(_FOLD)


# Kyrgyz voices a final к/п between vowels: "консулдук" → "консулдугу", "мектеп" → "мектеби",
# "айлык" → "айлыгым". The stem is restored before matching (glossary, shared/domain.md §3–4).
_VOICED_POSSESSIVE = re.compile(r"(?<=[аеиоуыэюя])([гб])[ыиу]$")
_VOICED_END = re.compile(r"(?<=[аеиоуыэюя])([гб])$")
_DEVOICE = {"г": "к", "б": "п"}


def _devoice(match: re.Match[str]) -> str:
    return _DEVOICE[match.group(1)]


def strip_kyrgyz(word: str) -> str:
    stripped = False
    for _ in range(3):
        if len(word) > _MIN_STEM + 1 and _VOICED_POSSESSIVE.search(word):
            return _VOICED_POSSESSIVE.sub(_devoice, word)
        for suffix in _KY_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
                word = word[: -len(suffix)]
                stripped = True
                break
        else:
            break
    if stripped:
        word = _VOICED_END.sub(_devoice, word)
    return word


# Russian morphology: "pymorphy" (default: the pymorphy3 lemma of a dictionary word, then Snowball, so
# that "задержали"/"задержат" and "задержание" still meet) or "snowball" alone. Measured with
# benchmarks/kb_eval.py: equal top-1, top-3 a little better with pymorphy3 (see data/knowledge/README.md).
MORPHOLOGY = os.environ.get("KB_MORPHOLOGY", "pymorphy")
_morph: Any = None
# A reload builds in a worker thread while the event loop answers: Snowball's stemmer object keeps state
# while it works, and the analyser is created lazily, so one word is stemmed at a time (uncached words
# only: the cache above takes most calls).
_STEMMING = threading.Lock()


def _lemma(word: str) -> str:
    global _morph, MORPHOLOGY
    if _morph is None:
        try:
            import pymorphy3
        except ImportError:  # an installation without the dictionaries still answers, with Snowball
            MORPHOLOGY = "snowball"
            return word
        _morph = pymorphy3.MorphAnalyzer()
    if not _morph.word_is_known(word):
        return word
    return str(_morph.parse(word)[0].normal_form).replace("ё", "е")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A comparable key for one word (already lower-case Cyrillic)."""
    word = fold(word)
    if len(word) <= 3 or word.isdigit():
        return word
    word = strip_kyrgyz(word)
    with _STEMMING:
        if MORPHOLOGY == "pymorphy":
            word = _lemma(word)
        return _russian.stemWord(word)


# Kyrgyz auxiliary verbs after a converb in -п ("жоготуп алдым", "кармап кетишти", "бербей жатат")
# carry aspect, not meaning: they are dropped there so that "алдым" does not pull in "алып коюшту".
_AUXILIARIES = ("ал", "кой", "кал", "бер", "кет", "сал", "жат", "тур", "жибер", "отур", "бол")


def _is_auxiliary(previous: str, word: str) -> bool:
    return (
        len(previous) > 3
        and previous.endswith(("п", "бей", "бай", "пей", "пай"))
        and len(word) <= 9
        and (word.startswith(_AUXILIARIES))
    )


def stems(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    out = []
    previous = ""
    for word in words(text):
        folded = fold(word)
        auxiliary = _is_auxiliary(previous, folded)
        previous = folded
        if auxiliary or folded in stopwords:
            continue
        key = stem(word)
        if key in stopwords:  # inflected stop words ("кайдан", "менин") reduce to a stop stem
            continue
        out.append(key)
    return out


def normalized(text: str) -> str:
    """Folded, transliterated text with single spaces: for phrase patterns (urgent triggers)."""
    return " ".join(fold(word) for word in words(text))
