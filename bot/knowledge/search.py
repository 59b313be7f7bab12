"""In-process topic search: BM25 over stems of both languages, with typo-tolerant term matching.

Every topic is indexed with its Kyrgyz and Russian title, hints, answer and steps (titles and hints
weigh most), so a question finds its topic whatever language it is typed in. Query words the index does
not know are mapped to close index stems with rapidfuzz (typos, unusual endings). A score threshold
keeps greetings and unrelated questions from getting a random topic.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge.content import LOCALES, Topic
from bot.knowledge.normalize import fold, stem, stems

# Words that say nothing about the topic (folded forms): question words, pronouns, particles,
# politeness, generic verbs. Kyrgyz and Russian.
STOPWORDS = frozenset(
    fold(w)
    for w in """
    эмне эмнеге кантип кандай канча качан кайда ким кимге барбы болобу болот болбойт керек керекпи жок бар
    жана менен үчүн мен менин мага мени сен сиз сизге биз ал аны ага бул ушул азыр дагы эле гана деп
    экен эмес ооба жакшы рахмат салам саламатсызбы кандайсыз кандайсын болсо болду кылыш кылсам
    жатам жатат жатышат эч бирок анткени эми абдан өтө
    как что где когда почему зачем сколько какой какие какая каким можно нужно надо если или меня мне мой
    моя мои я ты вы он она они это этот эта есть нет не ни да и в на с у по за из от до для без о об про
    при через ли бы же уже еще тоже очень только все был была были будет делать сделать могу может
    могут хочу здравствуйте привет спасибо пожалуйста подскажите скажите помогите вопрос ответ
    такое такой так там тут здесь вот брат братан сестра ака эже байке кто кого кем чей ты тебя
    вообще теперь который которая которые которого чтобы чтоб это эти этого тот того тем сам сама свой
    свою своей один одна другой другая другие какой-то кто-то что-то потом тогда всегда никогда также
    даже просто нормально говорит говорят сказал сказали дал дали дают взять брать нужен нужна нужны
    должен должны будут стал стала стали быть вам вас ваш его ее их ему ей им уже а но ну
    кийин мурун эми да деди дейт деген айтты кайсы бир өзүм өзү өз боюнча тууралуу жөнүндө кылып кылса
    кылсам кылам жасайм жасаса алып барып барса кирет беле эмнени талап талаптар
    """.split()
)
STOPWORDS = STOPWORDS | frozenset(stem(w) for w in STOPWORDS if len(w) > 3)
FIELD_WEIGHTS = {"title": 3.0, "hints": 3.0, "terms": 3.0, "short": 1.0, "steps": 0.7, "examples": 1.0}
# Where someone is says little about what they ask ("I work near Moscow, they don't pay me"): place
# names count for a third.
PLACES = frozenset(
    stem(w)
    for w in """москва москве подмосковье подмосковья московской питер петербург екатеринбург новосибирск
    красноярск иркутск владивосток самара казань бишкек ош оша алматы астана россия россии орусия""".split()
)
PLACE_WEIGHT = 0.3
# Words nearly every question has (who and where the writer is): they neither support a topic nor count
# against it when the coverage of a question's content words is measured (bot/knowledge/scope.py).
NEUTRAL = PLACES | frozenset(
    stem(w)
    for w in """мигрант мигранты мигранта мигранту мигрантка работа работу работать работаю иштейм иштесем
    иштеп жумуш жумушта кыргызстан кыргызстана кыргызстанга кыргызстанда кыргыз кыргызы гражданин
    жаран россия россии орусия орусияда""".split()
)
# A hint phrase found word for word (as stems) in the question is strong evidence for its topic.
HINT_BONUS = 2.5
K1, B = 3.0, 0.5  # little tf saturation: a topic that is all about a word should win (dev set)
FUZZY_CUTOFF = 82.0
EXAMPLE_SUPPORT = 2  # example questions of a topic using a word before the topic covers it


@dataclass(frozen=True)
class Hit:
    topic: str
    score: float


@dataclass(frozen=True)
class Support:
    """How much of a question a topic explains: for the refusal decision (bot/knowledge/scope.py)."""

    matched: tuple[str, ...]  # query stems the topic contains
    unmatched: tuple[str, ...]  # content stems of the query the topic does not contain
    coverage: float  # idf mass of matched / idf mass of all content stems


class TopicIndex:
    """BM25 over the topic texts (and their example questions), hint phrases, and what a topic covers."""

    def __init__(
        self,
        tf: dict[str, dict[str, float]],
        own: dict[str, list[str]],
        hints: dict[str, list[list[str]]],
    ) -> None:
        # Plain dicts and lists: the build cache (bot/knowledge/cache.py) stores them as JSON.
        self._tf = tf
        self._own = {topic: frozenset(keys) for topic, keys in own.items()}  # for scope.py's coverage
        self._hints = {topic: [tuple(phrase) for phrase in phrases] for topic, phrases in hints.items()}
        self._length = {topic: sum(bag.values()) for topic, bag in tf.items()}
        document_frequency: Counter[str] = Counter()
        for bag in tf.values():
            document_frequency.update(bag.keys())
        count = max(len(self._tf), 1)
        self._avg_length = sum(self._length.values()) / count
        self._idf = {
            term: math.log(1 + (count - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()
        }
        self._postings: dict[str, list[str]] = defaultdict(list)
        for topic_id, bag in self._tf.items():
            for term in bag:
                self._postings[term].append(topic_id)
        self._vocabulary = list(self._idf)
        self._unknown_idf = max(self._idf.values(), default=1.0)  # a word no topic knows
        self._fuzzy: dict[str, tuple[tuple[str, float], ...]] = {}

    @classmethod
    def build(
        cls,
        topics: dict[str, Topic],
        terms: dict[str, tuple[str, ...]] | None = None,
        examples: dict[str, list[str]] | None = None,
    ) -> TopicIndex:
        terms = terms or {}
        examples = examples or {}
        tf: dict[str, dict[str, float]] = {}
        own: dict[str, list[str]] = {}
        hints: dict[str, list[list[str]]] = defaultdict(list)
        for topic in topics.values():
            bag: Counter[str] = Counter()
            phrases = hints[topic.id]
            for locale in LOCALES:
                text = topic.texts.get(locale)
                if text is None:
                    continue
                fields = {
                    "title": text.title,
                    "hints": " ".join(text.hints),
                    "short": text.short,
                    "steps": " ".join(text.steps),
                }
                for field, value in fields.items():
                    for term in stems(value, STOPWORDS):
                        bag[term] += FIELD_WEIGHTS[field]  # type: ignore[assignment]
                for hint in (text.title, *text.hints):
                    phrase = stems(hint, STOPWORDS)
                    if phrase and phrase not in phrases:
                        phrases.append(phrase)
            for term in terms.get(topic.id, ()):
                for key in stems(term, STOPWORDS):
                    bag[key] += FIELD_WEIGHTS["terms"]  # type: ignore[assignment]
                phrase = stems(term, STOPWORDS)
                if len(phrase) > 1 and phrase not in phrases:
                    phrases.append(phrase)
            # Labelled questions (bot/knowledge/examples.py) rank the topic; a word of theirs widens what
            # the topic covers only when several of its questions use it (not one incidental place name).
            asked: Counter[str] = Counter()
            for question in examples.get(topic.id, ()):
                asked.update(set(stems(question, STOPWORDS)))
            own[topic.id] = sorted(set(bag) | {key for key, n in asked.items() if n >= EXAMPLE_SUPPORT})
            for key, n in asked.items():
                bag[key] += FIELD_WEIGHTS["examples"] * n  # type: ignore[assignment]
            tf[topic.id] = dict(bag)
        return cls(tf, own, dict(hints))

    def state(self) -> dict[str, object]:
        return {
            "tf": self._tf,
            "own": {topic: sorted(keys) for topic, keys in self._own.items()},
            "hints": {topic: [list(p) for p in phrases] for topic, phrases in self._hints.items()},
        }

    def _candidates(self, key: str) -> tuple[tuple[str, float], ...]:
        """Index terms one query stem stands for, with a match weight (1 exact, <1 fuzzy); cached."""
        cached = self._fuzzy.get(key)
        if cached is not None:
            return cached
        if key in self._idf:
            found: tuple[tuple[str, float], ...] = ((key, PLACE_WEIGHT if key in PLACES else 1.0),)
        elif len(key) >= 4:
            found = tuple(
                (candidate, (similarity / 100) ** 2)
                for candidate, similarity, _ in process.extract(
                    key, self._vocabulary, scorer=fuzz.ratio, limit=2, score_cutoff=FUZZY_CUTOFF
                )
            )
        else:
            found = ()
        if len(self._fuzzy) > 50_000:  # bounded: free text is unbounded
            self._fuzzy.clear()
        self._fuzzy[key] = found
        return found

    def terms(self, query: str) -> dict[str, float]:
        """Query stems mapped to index terms with a match weight (1 exact, <1 fuzzy)."""
        matched: dict[str, float] = {}
        for key in stems(query, STOPWORDS):
            for candidate, weight in self._candidates(key):
                matched[candidate] = max(matched.get(candidate, 0.0), weight)
        return matched

    def unknown_share(self, query: str) -> float:
        """The share of a question's content words that no topic knows, even fuzzily."""
        keys = list(dict.fromkeys(stems(query, STOPWORDS)))
        return sum(not self._candidates(key) for key in keys) / len(keys) if keys else 0.0

    def support(self, query: str, topic_id: str) -> Support:
        """Which content words of the question the topic covers (unknown words count as uncovered)."""
        bag = self._own.get(topic_id, frozenset())
        matched: list[str] = []
        unmatched: list[str] = []
        covered = total = 0.0
        for key in dict.fromkeys(stems(query, STOPWORDS)):
            candidates = [term for term, _ in self._candidates(key)]
            supported = any(t in bag for t in candidates)
            if key in NEUTRAL and not (supported and key not in PLACES):
                continue  # context, not content: it counts only where the topic is about it
            idf = max((self._idf[t] for t in candidates), default=self._unknown_idf)
            total += idf
            if supported:
                matched.append(key)
                covered += idf
            else:
                unmatched.append(key)
        return Support(tuple(matched), tuple(unmatched), covered / total if total else 0.0)

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        scores: dict[str, float] = defaultdict(float)
        for term, weight in self.terms(query).items():
            idf = self._idf[term]
            for topic_id in self._postings[term]:
                tf = self._tf[topic_id][term]
                norm = K1 * (1 - B + B * self._length[topic_id] / self._avg_length)
                scores[topic_id] += weight * idf * tf * (K1 + 1) / (tf + norm)
        if scores:
            query_stems = tuple(stems(query, STOPWORDS))
            present = set(query_stems)
            for topic_id in list(scores):
                for phrase in self._hints.get(topic_id, ()):
                    if phrase[0] in present and _contains(query_stems, phrase):
                        scores[topic_id] += HINT_BONUS * len(phrase)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [Hit(topic_id, round(score, 3)) for topic_id, score in ranked[:limit]]


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(words[i : i + size] == phrase for i in range(len(words) - size + 1))
