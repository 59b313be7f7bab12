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

OUT = "~out"  # the out-of-scope class (never a topic id: ids are [a-z0-9_])
NGRAMS = (4,)  # one size: as good as 3–5 together in cross-validation, a third of the training time
NGRAM_WEIGHT = 0.3  # one character n-gram counts for this much of a word stem
ALPHA = 0.3  # additive smoothing
MIN_EXAMPLES = 1  # no pruning: dropping one-text features saved 7 MB but cost refusals in cross-validation
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
        self, samples: Iterable[tuple[Counter[str], str]], alpha: float | None = None, prior: bool = True
    ) -> None:
        alpha = ALPHA if alpha is None else alpha
        samples = list(samples)
        seen = Counter(f for bag, _ in samples for f in bag)
        vocabulary = {f for f, n in seen.items() if n >= MIN_EXAMPLES}  # MIN_EXAMPLES 1: every feature
        # Only features several training texts share may name a decision in a log line: a word of one
        # message (a name, a place) never does.
        self._nameable = frozenset(f for f, n in seen.items() if n >= NAMEABLE)
        counts: dict[str, dict[str, float]] = defaultdict(dict)
        docs: Counter[str] = Counter()
        for bag, label in samples:
            into = counts[label]
            for f, v in bag.items():
                if f in vocabulary:
                    into[f] = into.get(f, 0.0) + v
            docs[label] += 1
        self.classes = tuple(sorted(counts))
        size = max(len(vocabulary), 1)
        total = {c: sum(counts[c].values()) for c in self.classes}
        # log P(f | c) = unseen[c] + lift[f][c] where the class saw f; unseen otherwise.
        self._unseen = {c: math.log(alpha / (total[c] + alpha * size)) for c in self.classes}
        lift: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for k, c in enumerate(self.classes):
            for f, n in counts[c].items():
                lift[f].append((k, math.log((n + alpha) / alpha)))
        # Packed: 6 bytes a (feature, class) pair instead of ~80 for a tuple and a float object.
        self._lift = {
            f: (array("H", [k for k, _ in pairs]), array("f", [g for _, g in pairs]))
            for f, pairs in lift.items()
        }
        # Without a prior the classes are equally likely up front: how many examples a topic has says how
        # they were collected, not how often people ask. The urgency head keeps its prior (emergencies are
        # rarer than calm questions, and a false alarm has a cost).
        documents = sum(docs.values()) or 1
        self._prior = {c: math.log(docs[c] / documents) if prior else 0.0 for c in self.classes}

    def log_likelihoods(self, bag: Counter[str]) -> tuple[dict[str, float], float]:
        """Per-class log P(bag | class) + log prior, and the bag's known feature mass (for tempering)."""
        mass = 0.0
        lifted = [0.0] * len(self.classes)
        for f, v in bag.items():
            lift = self._lift.get(f)
            if lift is None:
                continue  # a feature no class saw says nothing
            mass += v
            for k, gain in zip(*lift, strict=True):
                lifted[k] += v * gain
        return {
            c: self._prior[c] + mass * self._unseen[c] + lifted[k] for k, c in enumerate(self.classes)
        }, mass

    def posterior(self, bag: Counter[str], temperature: float | None = None) -> dict[str, float]:
        scores, mass = self.log_likelihoods(bag)
        if not mass:
            return {}
        scale = (TEMPERATURE if temperature is None else temperature) * mass
        top = max(scores.values())
        weights = {c: math.exp((s - top) / scale) for c, s in scores.items()}
        norm = sum(weights.values())
        return {c: w / norm for c, w in weights.items()}

    def cues(self, bag: Counter[str], label: str, against: str | None = None, limit: int = 4) -> list[str]:
        """The features that favour `label` most (over `against`, or the classes' mean).

        Only features at least NAMEABLE training texts share are named: never a message's own words.
        """
        gains = []
        for f, v in bag.items():
            packed = self._lift.get(f)
            if not packed or f not in self._nameable:
                continue
            lift = {self.classes[k]: gain for k, gain in zip(*packed, strict=True)}
            base = lift.get(against, 0.0) if against else sum(lift.values()) / len(self.classes)
            gains.append((v * (lift.get(label, 0.0) - base), f))
        gains.sort(reverse=True)
        return [f.strip() for gain, f in gains[:limit] if gain > 0]
