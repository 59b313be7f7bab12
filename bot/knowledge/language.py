"""Which language a question is written in (ky or ru), and words that carry no topic.

Kyrgyz speakers often type without ң ө ү and mix in Russian words, so letters alone are not enough:
frequent Kyrgyz function words and suffixes count too. Ties go to the interface language.
"""

from __future__ import annotations

import re

from bot.knowledge.normalize import KY_LETTERS, fold, words

# Folded forms (н/о/у for ң/ө/ү).
_KY_WORDS = frozenset(
    fold(w)
    for w in """
    эмне эмнеге кантип кандай канча качан кайда ким кимге барбы болобу болот болбойт керек керекпи
    керекби жок бар жана менен учун үчүн мен менин мага мени сен сиз сизге биз бизге алар ал аны ага
    бул ушул азыр дагы эле гана деп деген экен эмес ооба жакшы рахмат салам саламатсызбы кандайсыз
    кандайсын жумуш айлык бербей бербей жатат жатам жатышат кылыш кылам алам бердим барсам келдим
    болсо болду болуп калды кантем эмнеге эч бирок анткени кийин мурун азырынча баласы аялым балам
    иште иштейм иштеп тапшыруу каттоо кармашты кармады урду сабашты коркутуп
    """.split()
)
_RU_WORDS = frozenset(
    """
    как что где когда почему зачем сколько какой какие какая можно нужно надо если или меня мне мой
    моя мои я ты вы он она они это этот эта есть нет не ни да и в на с у по за из от до для без о об
    про при через ли бы же уже еще тоже очень только все всё был была были будет делать сделать
    получить могу может могут хочу здравствуйте привет спасибо пожалуйста работаю работать работу
    """.split()
)
_KY_ENDINGS = re.compile(
    r"(ды|ди|ду|ты|ти|ту|га|ге|ка|ке|да|де|та|те|дан|ден|тан|тен|нын|нин|дын|дин|бы|би|пы|пи|мын|мин|сыз|"
    r"сиз|ыбыз|ым|им|ум|уу|оо|ган|ген|кан|кен|ып|ип|уп|сам|сем|са|се)$"
)
_RU_ENDINGS = re.compile(r"(ться|тся|ого|его|ому|ему|ыми|ими|ая|яя|ое|ее|ой|ий|ый|ешь|ишь|ют|ят)$")


def detect(text: str, default: str = "ru") -> str:
    """'ky' or 'ru' for a question; `default` (the interface language) when the evidence is even."""
    tokens = words(text)
    if not tokens:
        return default
    ky = ru = 0.0
    for token in tokens:
        if KY_LETTERS & set(token):
            ky += 3
        folded = fold(token)
        if folded in _KY_WORDS:
            ky += 2
        elif token in _RU_WORDS:
            ru += 2
        elif len(folded) > 4 and _KY_ENDINGS.search(folded):
            ky += 0.5
        elif len(token) > 4 and _RU_ENDINGS.search(token):
            ru += 0.5
        if "щ" in token or "ъ" in token:
            ru += 1
    if ky == ru:
        return default
    return "ky" if ky > ru else "ru"
