"""The knowledge base as a service: current content + index, question answering, atomic reload."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.knowledge.content import Content, ContentError, UrgentCard, load_content
from bot.knowledge.language import detect
from bot.knowledge.normalize import fold, normalized, words
from bot.knowledge.search import Hit, TopicIndex

# A best topic needs this score; below it the honest answer is "not found". Calibrated on
# benchmarks/data/kb_dev.jsonl (see benchmarks/kb_eval.py).
MIN_SCORE = 4.0
# Alternatives are offered when they score at least this share of the best one.
ALTERNATIVE_SHARE = 0.6
SMALL_TALK = frozenset(
    fold(w)
    for w in """
    салам саламатсызбы саламатсыздарбы кандайсыз кандайсын кандай жакшы рахмат чоң ооба макул жок
    привет здравствуйте здрасте добрый день вечер утро спасибо благодарю ок окей хорошо да нет пока
    ассалому алейкум ассаламу алейкум салем кутман тан кеч кечиңиз жакшы калыңыз сау болуңуз
    hi hello thanks
    """.split()
)
# "If I am detained, what are my rights?" asks about rights; it is not an emergency happening now.
# Kyrgyz conditionals ("кармаса") never match a trigger, which are written in past/progressive forms.
_HYPOTHETICAL = re.compile(r"\b(если|егер|эгер|в случае)\b")
# Questions about things outside the knowledge base that share words with it ("виза в Японию" shares
# "Japan" with organised recruitment; "сим-карта" shares "карта"): rejected unless the match is strong.
_OUT_OF_SCOPE = re.compile(
    r"\b(виз[аыуе]|курс\w*|доллар\w*|евро|погод\w*|аба ырай\w*|загс\w*|нике|уйлонуу|той|рецепт\w*|"
    r"футбол\w*|матч\w*|кино|фильм\w*|сим|симк\w*|ипотек\w*|кредит\w*|брак|купит\w*|куплю|сатып ал\w*|"
    r"билет\w*|айфон\w*)\b"
)


@dataclass(frozen=True)
class Answer:
    lang: str
    urgent: UrgentCard | None = None
    results: list[Hit] = field(default_factory=list)
    small_talk: bool = False

    @property
    def best(self) -> Hit | None:
        return self.results[0] if self.results else None


class KnowledgeBase:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.content, self._index = self._build()

    def _build(self) -> tuple[Content, TopicIndex]:
        content = load_content(self.directory)
        return content, TopicIndex(content.topics)

    def reload(self) -> list[str]:
        """Re-read the files; on any problem keep serving the old content and return the problems."""
        try:
            content, index = self._build()
        except ContentError as exc:
            return exc.problems
        self.content, self._index = content, index  # one assignment each: readers never see a mix
        return []

    @property
    def reviewed(self) -> date:
        return max(topic.reviewed for topic in self.content.topics.values())

    def detect_urgent(self, text: str) -> UrgentCard | None:
        flat = normalized(text)
        if not flat:
            return None
        hypothetical = bool(_HYPOTHETICAL.search(flat)) and not re.search(r"\b(сейчас|азыр|щас)\b", flat)
        for card in self.content.urgent:
            if any(pattern.search(flat) for pattern in card.triggers):
                return None if hypothetical else card
        return None

    def answer(self, text: str, interface: str = "ru", limit: int = 3) -> Answer:
        lang = detect(text, default=interface)
        urgent = self.detect_urgent(text)
        tokens = [fold(w) for w in words(text)]
        if not urgent and tokens and all(t in SMALL_TALK for t in tokens):
            return Answer(lang, small_talk=True)
        hits = self._index.search(text, limit=max(limit, 3))
        threshold = MIN_SCORE * (2 if _OUT_OF_SCOPE.search(normalized(text)) else 1)
        if not hits or hits[0].score < threshold:
            hits = []
        if urgent is not None:
            # The emergency decides the topic; the search may still add related ones.
            top = max([h.score for h in hits] or [MIN_SCORE])
            hits = [Hit(urgent.topic, top), *(h for h in hits if h.topic != urgent.topic)]
        best = hits[0].score if hits else 0.0
        confident = [h for h in hits if h.score >= best * ALTERNATIVE_SHARE]
        return Answer(lang, urgent, confident[:limit])
