"""The knowledge base as a service: current content + index, question answering, atomic reload."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.knowledge.content import Content, ContentError, UrgentCard, load_content
from bot.knowledge.emergency import Detection, EmergencyDetector, LexiconError
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
    # The detector's decision (None: calm); `urgent_sure` False means "show the urgent card AND the topic".
    detection: Detection | None = None

    @property
    def urgent_sure(self) -> bool:
        return self.detection is not None and self.detection.sure

    @property
    def best(self) -> Hit | None:
        return self.results[0] if self.results else None


class KnowledgeBase:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.content, self._index, self._detector = self._build()

    def _build(self) -> tuple[Content, TopicIndex, EmergencyDetector]:
        content = load_content(self.directory)
        try:
            detector = EmergencyDetector(self.directory / "lexicon" / "emergency.yaml")
        except LexiconError as exc:
            raise ContentError([f"lexicon/{exc}"]) from None
        return content, TopicIndex(content.topics), detector

    def reload(self) -> list[str]:
        """Re-read the files; on any problem keep serving the old content and return the problems."""
        try:
            built = self._build()
        except ContentError as exc:
            return exc.problems
        self.content, self._index, self._detector = built  # readers never see a mix
        return []

    def card(self, card_id: str) -> UrgentCard | None:
        """The urgent card of a situation; the fallback card when content does not have it (yet)."""
        cards = {card.id: card for card in self.content.urgent}
        return cards.get(card_id) or cards.get(self._detector.fallback_card)

    @property
    def reviewed(self) -> date:
        return max(topic.reviewed for topic in self.content.topics.values())

    def detect_urgent(self, text: str) -> UrgentCard | None:
        detection = self._detector.detect(text)
        return self.card(detection.card) if detection else None

    def answer(self, text: str, interface: str = "ru", limit: int = 3) -> Answer:
        lang = detect(text, default=interface)
        detection = self._detector.detect(text)
        urgent = self.card(detection.card) if detection else None
        if urgent is None:
            detection = None
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
        return Answer(lang, urgent, confident[:limit], detection=detection)
