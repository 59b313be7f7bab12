"""A learned model over the labelled examples: naive Bayes on word stems and character n-grams.

Trained at load time from the topic texts (title, hints, short answer) and the example questions
(data/knowledge/examples/*.jsonl), so there is no model file to keep in step with the content. Two
heads share the features:

- topics: one class per topic plus OUT (unrelated and shared-word questions): a tempered posterior that
  the search adds to its scores and the refusal rule reads;
- urgency: emergency examples against every other example: the probability that a message reports an
  emergency now, for the cases the lexicon (bot/knowledge/emergency.py) misses.

Naive Bayes because it trains in a fraction of a second in pure Python and explains itself: `cues()`
names the features that pushed a decision most (stems and n-grams of the model, never the message).
Smoothing, n-gram sizes and temperatures were chosen by k-fold cross-validation on the examples
(benchmarks/kb_examples_cv.py), never on an evaluation set.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable

from bot.knowledge.normalize import fold, stem, stems, words
from bot.knowledge.packed import KeySet, Table

OUT = "~out"  # the out-of-scope class (never a topic id: ids are [a-z0-9_])
NGRAMS = (4,)  # one size: as good as 3–5 together in cross-validation, a third of the training time
NGRAM_WEIGHT = 0.3  # one character n-gram counts for this much of a word stem
ALPHA = 0.3  # additive smoothing
NAMEABLE = 3
TEMPERATURE = 0.15  # per unit of feature mass: the posterior of a long message is not over-confident


def features(text: str, stopwords: frozenset[str] = frozenset()) -> Counter[str]:
    bag: Counter[str] = Counter("w:" + key for key in stems(text, stopwords))
    # n-grams of content words only: "кантип" (how) is in every how-to question, in scope or not
    folded = [fold(w) for w in words(text)]
    if stopwords:
        folded = [w for w in folded if w not in stopwords and stem(w) not in stopwords]
    flat = " " + " ".join(folded) + " "
    grams = Counter(flat[i : i + size] for size in NGRAMS for i in range(len(flat) - size + 1))
    for gram, n in grams.items():
        if gram.strip():
            bag[gram] = n * NGRAM_WEIGHT  # type: ignore[assignment]
    return bag


class NaiveBayes:
    """Multinomial naive Bayes with sparse scoring: a feature visits only the classes that saw it."""

    def __init__(
        self,
        classes: tuple[str, ...],
        unseen: list[float],
        prior: list[float],
        lift: Table,
        nameable: KeySet,
    ) -> None:
        self.classes = classes
        self._unseen = unseen  # log P(f | c) of a feature class c never saw
        self._prior = prior
        self._lift = lift  # feature → (classes that saw it, log P(f | c) − unseen[c])
        self._nameable = nameable

    @classmethod
    def train(
        cls, samples: Iterable[tuple[Counter[str], str]], alpha: float | None = None, prior: bool = True
    ) -> NaiveBayes:
        alpha = ALPHA if alpha is None else alpha
        samples = list(samples)
        seen = Counter(f for bag, _ in samples for f in bag)
        # Only features several training texts share may name a decision in a log line: a word of one
        # message (a name, a place) never does.
        nameable = KeySet.of(f for f, n in seen.items() if n >= NAMEABLE)
        counts: dict[str, dict[str, float]] = defaultdict(dict)
        docs: Counter[str] = Counter()
        for bag, label in samples:
            into = counts[label]
            for f, v in bag.items():
                into[f] = into.get(f, 0.0) + v
            docs[label] += 1
        classes = tuple(sorted(counts))
        size = max(len(seen), 1)
        total = [sum(counts[c].values()) for c in classes]
        unseen = [math.log(alpha / (total[k] + alpha * size)) for k in range(len(classes))]
        lift: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for k, c in enumerate(classes):
            for f, n in counts[c].items():
                lift[f].append((k, math.log((n + alpha) / alpha)))
        # Without a prior the classes are equally likely up front: how many examples a topic has says how
        # they were collected, not how often people ask. The urgency head keeps its prior (emergencies are
        # rarer than calm questions, and a false alarm has a cost).
        documents = sum(docs.values()) or 1
        priors = [math.log(docs[c] / documents) if prior else 0.0 for c in classes]
        return cls(classes, unseen, priors, Table.build(lift), nameable)

    def state(self, prefix: str) -> tuple[dict[str, object], dict[str, array[int] | array[float]]]:
        """What the build cache stores: small values and packed arrays (bot/knowledge/cache.py)."""
        meta = {"classes": list(self.classes), "unseen": self._unseen, "prior": self._prior}
        return meta, {**self._lift.arrays(f"{prefix}.lift"), f"{prefix}.nameable": self._nameable.keys}

    @classmethod
    def from_state(
        cls, meta: dict[str, object], arrays: dict[str, array[int] | array[float]], prefix: str
    ) -> NaiveBayes:
        return cls(
            tuple(meta["classes"]),  # type: ignore[arg-type]
            list(meta["unseen"]),  # type: ignore[call-overload]
            list(meta["prior"]),  # type: ignore[call-overload]
            Table.from_arrays(arrays, f"{prefix}.lift"),
            KeySet(arrays[f"{prefix}.nameable"]),  # type: ignore[arg-type]
        )

    def log_likelihoods(self, bag: Counter[str]) -> tuple[list[float], float]:
        """Per-class log P(bag | class) + log prior, and the bag's known feature mass (for tempering)."""
        mass = 0.0
        lifted = [0.0] * len(self.classes)
        for f, v in bag.items():
            columns, gains = self._lift.row(f)
            if not columns:
                continue  # a feature no class saw says nothing
            mass += v
            for k, gain in zip(columns, gains, strict=True):
                lifted[k] += v * gain
        return [p + mass * u + g for p, u, g in zip(self._prior, self._unseen, lifted, strict=True)], mass

    def posterior(self, bag: Counter[str], temperature: float | None = None) -> dict[str, float]:
        scores, mass = self.log_likelihoods(bag)
        if not mass:
            return {}
        scale = (TEMPERATURE if temperature is None else temperature) * mass
        top = max(scores)
        weights = [math.exp((s - top) / scale) for s in scores]
        norm = sum(weights)
        return {c: w / norm for c, w in zip(self.classes, weights, strict=True)}

    def cues(self, bag: Counter[str], label: str, against: str | None = None, limit: int = 4) -> list[str]:
        """The features that favour `label` most (over `against`, or the classes' mean).

        Only features at least NAMEABLE training texts share are named: never a message's own words.
        """
        gains = []
        for f, v in bag.items():
            if f not in self._nameable:
                continue
            columns, weights = self._lift.row(f)
            lift = {self.classes[k]: gain for k, gain in zip(columns, weights, strict=True)}
            if not lift:
                continue
            base = lift.get(against, 0.0) if against else sum(lift.values()) / len(self.classes)
            gains.append((v * (lift.get(label, 0.0) - base), f))
        gains.sort(reverse=True)
        return [f.strip() for gain, f in gains[:limit] if gain > 0]
