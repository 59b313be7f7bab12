"""The knowledge base as a service: current content + index, question answering, atomic reload."""

from __future__ import annotations

import asyncio
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from bot.knowledge.cache import Arrays, BuildCache, content_key
from bot.knowledge.classifier import OUT, NaiveBayes, features
from bot.knowledge.content import LOCALES, Content, ContentError, UrgentCard, load_content
from bot.knowledge.emergency import UNSURE, Detection, EmergencyDetector, LexiconError
from bot.knowledge.examples import OUT_OF_SCOPE, TOPICAL, ExampleIndex, Neighbour, load_examples
from bot.knowledge.language import detect
from bot.knowledge.normalize import fold, stems, words
from bot.knowledge.refusal import RefusalError, RefusalModel
from bot.knowledge.scope import ACCEPT, CLARIFY, REFUSE, Scope, Verdict
from bot.knowledge.search import STOPWORDS, Hit, TopicIndex

log = logging.getLogger(__name__)

# The old fixed minimum score of a best topic: now one piece of evidence for the refusal model
# (bot/knowledge/refusal.py), which decides whether to answer at all.
MIN_SCORE = 4.0
# Alternatives are offered when they score at least this share of the best one.
ALTERNATIVE_SHARE = 0.4  # cross-validation: top-3 +1.3 points against 0.6, top-1 unchanged
SMALL_TALK = frozenset(
    fold(w)
    for w in """
    салам саламатсызбы саламатсыздарбы кандайсыз кандайсын кандай жакшы рахмат чоң ооба макул жок
    привет здравствуйте здрасте добрый день вечер утро спасибо благодарю ок окей хорошо да нет пока
    ассалому алейкум ассаламу алейкум салем кутман тан кеч кечиңиз жакшы калыңыз сау болуңуз
    hi hello thanks
    """.split()
)
# Nearest labelled examples (bot/knowledge/examples.py); chosen by k-fold cross-validation on them
# (benchmarks/kb_examples_cv.py), checked on the development sets.
NEIGHBOURS = 5
CENTROID_WEIGHT = 20.0  # added to a topic's score × the question's cosine with its examples' centroid
# An emergency the lexicon missed, recognised by its nearest examples: card shown as "unsure" when the
# nearest is an emergency at least this close and emergencies carry this share of the neighbours' vote.
URGENT_SIMILARITY = 0.2
URGENT_SHARE = 0.3
# The learned model (bot/knowledge/classifier.py), chosen by the same cross-validation.
MODEL_WEIGHT = 5.0  # added to a topic's score × the model's posterior for it
MODEL_URGENT = 0.9  # the urgency head says at least this and the lexicon said nothing: card AND topic
MODEL_VETO = 0.35  # an unsure detection (scene words, near examples) needs at least this from the model
URGENCY_TEMPERATURE = 0.08
MODEL_MIN_WORDS = 2  # the model alone never raises an alarm on one word ("спасибо" is not a scene)


@dataclass(frozen=True)
class Answer:
    lang: str
    urgent: UrgentCard | None = None
    results: list[Hit] = field(default_factory=list)
    small_talk: bool = False
    # The detector's decision (None: calm); `urgent_sure` False means "show the urgent card AND the topic".
    detection: Detection | None = None
    # Why no topic or which kind of topic answer (accept / clarify / refuse + reason); never user text.
    verdict: Verdict | None = None
    about_bot: bool = False

    @property
    def clarify(self) -> bool:
        return self.verdict is not None and self.verdict.decision == CLARIFY

    @property
    def unanswered(self) -> bool:
        """Nothing fitted or the question was refused: a gap for the editors."""
        return self.urgent is None and not self.results and not self.small_talk and not self.about_bot

    @property
    def urgent_sure(self) -> bool:
        return self.detection is not None and self.detection.sure

    @property
    def best(self) -> Hit | None:
        return self.results[0] if self.results else None


@dataclass(frozen=True)
class Models:
    """The learned heads (bot/knowledge/classifier.py): topic (+ out of scope), urgency, situation."""

    topics: NaiveBayes
    urgency: NaiveBayes
    situations: NaiveBayes

    @classmethod
    def train(cls, content: Content, examples: ExampleIndex) -> Models:
        topics: list[tuple[Counter[str], str]] = []
        for topic in content.topics.values():
            for locale in LOCALES:
                text = topic.texts.get(locale)
                if text is not None:
                    for line in (text.title, *text.hints, text.short):
                        topics.append((features(line, STOPWORDS), topic.id))
        urgency: list[tuple[Counter[str], str]] = []
        situations: list[tuple[Counter[str], str]] = []
        for example in examples.examples:
            bag = features(example.query, STOPWORDS)
            if example.kind in OUT_OF_SCOPE:
                topics.append((bag, OUT))
            elif example.expect:
                topics.append((bag, example.expect))
            # Urgency keeps the stop words: "щас", "азыр", "помогите" are what says "now".
            every = features(example.query)
            urgency.append((every, "urgent" if example.kind == "emergency" else "calm"))
            if example.situation:
                situations.append((every, example.situation))
        return cls(
            NaiveBayes.train(topics, prior=False),
            NaiveBayes.train(urgency),
            NaiveBayes.train(situations, prior=False),
        )

    def state(self) -> tuple[dict[str, Any], Arrays]:
        meta: dict[str, Any] = {}
        arrays: Arrays = {}
        for name in ("topics", "urgency", "situations"):
            meta[name], packed = getattr(self, name).state(name)
            arrays.update(packed)
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict[str, Any], arrays: Arrays) -> Models:
        return cls(
            *(NaiveBayes.from_state(meta[name], arrays, name) for name in ("topics", "urgency", "situations"))
        )


class _Built(NamedTuple):
    content: Content
    index: TopicIndex
    detector: EmergencyDetector
    scope: Scope
    topic_scope: dict[str, str]
    examples: ExampleIndex
    models: Models
    refusal: RefusalModel


_SHARED: dict[tuple[str, tuple[tuple[str, int, int], ...]], KnowledgeBase] = {}


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file's path, size and modification time: any edit gives another signature."""
    out = []
    for path in sorted(directory.rglob("*")):
        try:
            if path.is_file():
                stat = path.stat()
                out.append((str(path.relative_to(directory)), stat.st_size, stat.st_mtime_ns))
        except OSError:
            continue
    return tuple(out)


class KnowledgeBase:
    """The knowledge directory loaded and indexed; `cache_dir` keeps the trained parts between starts."""

    def __init__(self, directory: Path, cache_dir: Path | None = None) -> None:
        self.directory = directory
        self._cache = BuildCache(cache_dir) if cache_dir is not None else None
        self._use(self._build())

    def _use(self, built: _Built) -> None:
        (
            self.content,
            self._index,
            self._detector,
            self._scope,
            self._topic_scope,
            self._examples,
            self._models,
            self._refusal,
        ) = built

    def _build(self) -> _Built:
        content = load_content(self.directory)
        lexicon = self.directory / "lexicon"
        try:
            detector = EmergencyDetector(lexicon / "emergency.yaml")
            vocabulary = yaml.safe_load((lexicon / "topics.yaml").read_text(encoding="utf-8")) or {}
            scope = Scope(lexicon / "out_of_scope.yaml")
            refusal = RefusalModel.load(self.directory / "refusal.yaml")
        except LexiconError as exc:
            raise ContentError([f"lexicon/{exc}"]) from None
        except RefusalError as exc:
            raise ContentError([str(exc)]) from None
        except (OSError, yaml.YAMLError, re.error) as exc:
            raise ContentError([f"lexicon: {str(exc).splitlines()[0]}"]) from None
        terms = {
            topic: tuple(str(t) for t in (spec or {}).get("terms") or ())
            for topic, spec in vocabulary.items()
            if topic in content.topics
        }
        topic_scope = {topic: str((spec or {}).get("scope") or "any") for topic, spec in vocabulary.items()}
        situations = {situation.name for situation in detector.situations}
        examples, problems = load_examples(self.directory / "examples", set(content.topics), situations)
        if problems:
            raise ContentError(problems)
        self._terms = terms
        key = content_key(self.directory) if self._cache else ""
        stored = self._cache.load(key) if self._cache else None
        if stored is not None:
            meta, arrays = stored
            neighbours = ExampleIndex.from_arrays(examples, arrays)
            index = TopicIndex(**meta["index"])
            models = Models.from_state(meta["models"], arrays)
        else:
            neighbours = ExampleIndex.build(examples)
            index = TopicIndex.build(content.topics, terms, neighbours.by_topic())
            models = Models.train(content, neighbours)
            if self._cache:
                meta, arrays = models.state()
                self._cache.store(
                    key, {"index": index.state(), "models": meta}, {**arrays, **neighbours.arrays()}
                )
        return _Built(content, index, detector, scope, topic_scope, neighbours, models, refusal)

    @classmethod
    def shared(cls, directory: Path, cache_dir: Path | None = None) -> KnowledgeBase:
        """The knowledge base of a directory, built once per process while its files are unchanged.

        Building it (stemming the examples, training the model) takes seconds; an application built
        several times in one process (the tests, a CLI that builds the app) should not pay it each time.
        """
        key = (str(directory.resolve()), _signature(directory))
        found = _SHARED.pop(key, None) or cls(directory, cache_dir)
        _SHARED[key] = found
        while len(_SHARED) > 2:  # a few MB each
            _SHARED.pop(next(iter(_SHARED)))
        return found

    @property
    def examples(self) -> ExampleIndex:
        return self._examples

    def use_examples(self, examples: ExampleIndex) -> None:
        """Answer with another set of examples (cross-validation folds: benchmarks/kb_examples_cv.py)."""
        self._index = TopicIndex.build(self.content.topics, self._terms, examples.by_topic())
        self._examples = examples
        self._models = Models.train(self.content, examples)

    def reload(self) -> list[str]:
        """Re-read the files; on any problem keep serving the old content and return the problems."""
        try:
            built = self._build()
        except ContentError as exc:
            return exc.problems
        self._use(built)  # all at once: never a mix of old and new
        return []

    async def reload_async(self) -> list[str]:
        """reload() with the reading and training in a worker thread: seconds when the content changed,
        during which the bot keeps answering from the old content; the switch happens at once."""
        try:
            built = await asyncio.to_thread(self._build)
        except ContentError as exc:
            return exc.problems
        self._use(built)
        return []

    def card_for_topic(self, topic_id: str) -> UrgentCard | None:
        """The urgent card of a topic near an emergency (detention, violence, passport taken, …)."""
        return next((card for card in self.content.urgent if card.topic == topic_id), None)

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
        neighbours, centroids = self._examples.match(text, NEIGHBOURS)
        bag = features(text, STOPWORDS)
        posterior = self._models.topics.posterior(bag)
        every = features(text)
        urgency = self._models.urgency.posterior(every, URGENCY_TEMPERATURE).get("urgent", 0.0)
        detection = self._detector.detect(text) or self._urgent_by_examples(neighbours)
        # Only an unsure detection is dropped: the model learned that "задержали" is also in many calm
        # questions, and an act the lexicon is sure of ("меня задержали") must never be missed.
        if detection is not None and not detection.sure and urgency < MODEL_VETO:
            log.info(
                "emergency: %s %s dropped: model p=%.2f", detection.certainty, detection.situation, urgency
            )
            detection = None
        elif detection is None:
            detection = self._urgent_by_model(every, urgency)
        urgent = self.card(detection.card) if detection else None
        if urgent is None:
            detection = None
        tokens = [fold(w) for w in words(text)]
        if not urgent and tokens and all(t in SMALL_TALK for t in tokens):
            return Answer(lang, small_talk=True)
        if not urgent and self._scope.is_about_bot(text):
            return Answer(lang, about_bot=True)
        bm25 = {hit.topic: hit.score for hit in self._index.search(text, limit=10)}
        hits = self._ranked(bm25, centroids, posterior, max(limit, 3))
        evidence = self._evidence(text, hits, bm25, centroids, posterior, neighbours) if hits else None
        verdict = self._judge(hits, evidence)
        log.debug("kb answer: %s (%s)", verdict.decision, verdict.reason)
        if verdict.decision not in (ACCEPT, CLARIFY):
            hits = []
        if urgent is not None:
            # The emergency decides the topic; the search may still add related ones.
            top = max([h.score for h in hits] or [MIN_SCORE])
            hits = [Hit(urgent.topic, top), *(h for h in hits if h.topic != urgent.topic)]
        best = hits[0].score if hits else 0.0
        confident = [h for h in hits if h.score >= best * ALTERNATIVE_SHARE]
        return Answer(lang, urgent, confident[:limit], detection=detection, verdict=verdict)

    def evidence(self, text: str) -> dict[str, float] | None:
        """The refusal model's evidence for a question's best topic (benchmarks/kb_fit_refusal.py)."""
        neighbours, centroids = self._examples.match(text, NEIGHBOURS)
        posterior = self._models.topics.posterior(features(text, STOPWORDS))
        bm25 = {hit.topic: hit.score for hit in self._index.search(text, limit=10)}
        hits = self._ranked(bm25, centroids, posterior, 3)
        return self._evidence(text, hits, bm25, centroids, posterior, neighbours) if hits else None

    def _judge(self, hits: list[Hit], evidence: dict[str, float] | None) -> Verdict:
        """Answer, ask which of two topics, or refuse: the refusal model (bot/knowledge/refusal.py)."""
        if not hits or evidence is None:
            return Verdict(REFUSE, "no-match")
        decision = self._refusal.decide(evidence)
        if not decision.answer:
            reason = f"in scope p={decision.p:.2f} {','.join(decision.reasons)}".strip()
            log.info("kb refuse: %s", reason)  # numbers and feature names only, never the question
            return Verdict(REFUSE, reason)
        return self._scope.settle(hits)

    def _evidence(
        self,
        text: str,
        hits: list[Hit],
        bm25: dict[str, float],
        centroids: dict[str, float],
        posterior: dict[str, float],
        neighbours: list[Neighbour],
    ) -> dict[str, float]:
        top = hits[0].topic
        best = hits[0].score
        runner_up = hits[1].score if len(hits) > 1 else 0.0
        support = self._index.support(text, top)
        near = sum(n.similarity for n in neighbours) or 1.0
        flags = self._scope.flags(text, support, self._topic_scope.get(top, "any"))
        return {
            "score": math.log1p(best),
            "margin": (best - runner_up) / best if best else 0.0,
            "bm25": math.log1p(bm25.get(top, 0.0)),
            "centroid": centroids.get(top, 0.0),
            "ptop": posterior.get(top, 0.0),
            "pout": posterior.get(OUT, 0.0),
            "pbest": max((p for c, p in posterior.items() if c != OUT), default=0.0),
            "coverage": support.coverage,
            "matched": float(len(support.matched)),
            "unmatched": float(len(support.unmatched)),
            "nn": neighbours[0].similarity if neighbours else 0.0,
            "nn_out": float(bool(neighbours) and neighbours[0].example.kind in OUT_OF_SCOPE),
            "outshare": sum(n.similarity for n in neighbours if n.example.kind in OUT_OF_SCOPE) / near,
            "topshare": sum(n.similarity for n in neighbours if n.example.expect == top) / near,
            **flags,
            "words": math.log1p(len(stems(text, STOPWORDS))),
            "min_score": float(best >= MIN_SCORE),
            "nn_in": max((n.similarity for n in neighbours if n.example.kind in TOPICAL), default=0.0),
            "nn_oos": max((n.similarity for n in neighbours if n.example.kind in OUT_OF_SCOPE), default=0.0),
            "unknown": self._index.unknown_share(text),
        }

    def _ranked(
        self, bm25: dict[str, float], centroids: dict[str, float], posterior: dict[str, float], limit: int
    ) -> list[Hit]:
        """BM25 over the topic texts, the likeness to each topic's examples and the model's posterior."""
        scores = dict(bm25)
        for topic, similarity in centroids.items():
            scores[topic] = scores.get(topic, 0.0) + CENTROID_WEIGHT * similarity
        for topic, probability in posterior.items():
            if topic != OUT:
                scores[topic] = scores.get(topic, 0.0) + MODEL_WEIGHT * probability
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [Hit(topic, round(score, 3)) for topic, score in ranked[:limit]]

    def _urgent_by_model(self, bag: Counter[str], p: float) -> Detection | None:
        """An emergency neither the lexicon nor the nearest examples caught: card AND topic."""
        if p < MODEL_URGENT or sum(f.startswith("w:") for f in bag) < MODEL_MIN_WORDS:
            return None
        situations = self._models.situations.posterior(bag)
        if not situations:
            return None
        name = max(situations, key=lambda s: situations[s])
        situation = next((s for s in self._detector.situations if s.name == name), None)
        if situation is None:
            return None
        cues = tuple(f"model:{c}" for c in self._models.urgency.cues(bag, "urgent", "calm"))
        log.info("emergency: %s %s → %s p=%.2f cues=%s", UNSURE, name, situation.card, p, ",".join(cues))
        return Detection(situation.name, situation.card, UNSURE, cues)

    def _urgent_by_examples(self, neighbours: list[Neighbour]) -> Detection | None:
        """An emergency the lexicon missed, recognised by its nearest examples: card AND topic."""
        if not neighbours or neighbours[0].example.kind != "emergency":
            return None
        nearest = neighbours[0]
        if nearest.similarity < URGENT_SIMILARITY or nearest.example.situation is None:
            return None
        urgent = [n for n in neighbours if n.example.kind == "emergency"]
        if sum(n.similarity for n in urgent) < URGENT_SHARE * sum(n.similarity for n in neighbours):
            return None
        situation = next((s for s in self._detector.situations if s.name == nearest.example.situation), None)
        if situation is None:
            return None
        cues = tuple(f"example:{n.example.where}@{n.similarity:.2f}" for n in urgent)
        log.info("emergency: %s %s → %s cues=%s", UNSURE, situation.name, situation.card, ",".join(cues))
        return Detection(situation.name, situation.card, UNSURE, cues)
