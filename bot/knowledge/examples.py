"""Learning from labelled example questions (data/knowledge/examples/*.jsonl) instead of hand tuning.

Each line is one question written by someone who saw only the topic titles: {"query", "lang",
"expect": topic id or null, "urgent", "kind": topic | calm | emergency | unrelated | unrelated_shared,
"situation": emergency situation or null}. They are used in three general ways:

- the questions of a topic are an extra field of that topic in the BM25 index (bot/knowledge/search.py);
- nearest neighbours (cosine over idf-weighted word stems and character trigrams) vote: a question
  whose close neighbours are out-of-scope examples is refused, one whose close neighbours are
  emergencies is shown the urgent card as "unsure" (card AND topic).

Decisions name the examples that fired as "file:line" (never the user's words). Weights and thresholds
were chosen by k-fold cross-validation on the examples themselves (benchmarks/kb_examples_cv.py).
"""

from __future__ import annotations

import heapq
import json
import math
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.normalize import normalized, stems
from bot.knowledge.packed import Table

KINDS = ("topic", "calm", "emergency", "unrelated", "unrelated_shared")
OUT_OF_SCOPE = ("unrelated", "unrelated_shared")
TOPICAL = ("topic", "calm")  # examples that stand for their topic
TRIGRAM_WEIGHT = 0.5  # character trigrams catch typos and endings the stemmer misses
# Features in more than this share of the examples are left out of the postings: they add a little to
# every similarity and cost most of the lookup time (a question meets nearly every example through them).
MAX_DF_SHARE = 0.05
MIN_COMMON = 20  # …and in more than this many (a handful of examples has no common features)


@dataclass(frozen=True)
class Example:
    where: str  # "train.jsonl:12": how a decision names it
    query: str
    lang: str
    expect: str | None
    urgent: bool
    kind: str
    situation: str | None


@dataclass(frozen=True)
class Neighbour:
    example: Example
    similarity: float


def load_examples(
    directory: Path, topics: set[str] | frozenset[str], situations: set[str] | frozenset[str]
) -> tuple[tuple[Example, ...], list[str]]:
    """All example files of a directory (none is fine) and the problems found, one per bad line."""
    examples: list[Example] = []
    problems: list[str] = []
    if not directory.is_dir():
        return (), []
    for path in sorted(directory.glob("*.jsonl")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"examples/{path.name}: cannot read: {exc}")
            continue
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            problem = None
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"examples/{where}: not valid JSON ({exc.msg})")
                continue
            if not isinstance(row, dict):
                problems.append(f"examples/{where}: expected a JSON object")
                continue
            query, kind, expect = row.get("query"), row.get("kind"), row.get("expect")
            situation = row.get("situation")
            if not isinstance(query, str) or not query.strip():
                problem = "query must be a non-empty string"
            elif row.get("lang") not in ("ky", "ru"):
                problem = f"lang must be ky or ru, not {row.get('lang')!r}"
            elif kind not in KINDS:
                problem = f"kind must be one of {', '.join(KINDS)}, not {kind!r}"
            elif kind in ("topic", "calm") and expect not in topics:
                problem = f"expect must be a known topic id, not {expect!r}"
            elif kind in OUT_OF_SCOPE and expect is not None:
                problem = f"an {kind} example expects no topic (null), not {expect!r}"
            elif kind == "emergency" and situation not in situations:
                problem = f"situation must be one of lexicon/emergency.yaml, not {situation!r}"
            elif expect is not None and expect not in topics:
                problem = f"unknown topic {expect!r}"
            if problem:
                problems.append(f"examples/{where}: {problem}")
                continue
            examples.append(
                Example(
                    where,
                    query,
                    str(row["lang"]),
                    expect,
                    bool(row.get("urgent")) or kind == "emergency",
                    kind,
                    situation if kind == "emergency" else None,
                )
            )
    return tuple(examples), problems


def features(text: str) -> Counter[str]:
    bag: Counter[str] = Counter(stems(text))
    flat = f" {normalized(text)} "
    grams = Counter(flat[i : i + 3] for i in range(len(flat) - 2))
    for gram, n in grams.items():
        if gram.strip():
            bag["#" + gram] = n * TRIGRAM_WEIGHT  # type: ignore[assignment]
    return bag


class ExampleIndex:
    """Cosine nearest neighbours over the examples (an inverted index: a question meets few of them)."""

    def __init__(
        self, examples: tuple[Example, ...] | list[Example], postings: Table, centroids: Table
    ) -> None:
        self.examples = tuple(examples)
        self._postings = postings  # feature → idf (scalar), (example ids, weights in unit vectors)
        self._centroids = centroids  # feature → (topic number, weight in the topic's unit centroid)
        self._topics = tuple(sorted({e.expect for e in self.examples if e.expect and e.kind in TOPICAL}))

    @classmethod
    def build(cls, examples: tuple[Example, ...] | list[Example]) -> ExampleIndex:
        examples = tuple(examples)
        bags = [features(e.query) for e in examples]
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        count = max(len(bags), 1)
        idf = {f: math.log((count + 1) / (n + 0.5)) for f, n in df.items()}
        common = {f for f, n in df.items() if n > max(MAX_DF_SHARE * count, MIN_COMMON)}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        centroids: dict[str, Counter[str]] = defaultdict(Counter)
        for i, bag in enumerate(bags):
            vector = {f: w * idf[f] for f, w in bag.items()}
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            for f, v in vector.items():
                if f not in common:
                    postings[f].append((i, v / norm))
            topic = examples[i].expect
            if topic and examples[i].kind in TOPICAL:
                centroid = centroids[topic]  # every topic gets its number, even with no features
                for f, v in vector.items():
                    centroid[f] += v / norm  # type: ignore[assignment]
        # A topic's centroid: the mean direction of its questions (few, varied examples: steadier than
        # the single nearest one).
        by_feature: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for t, topic in enumerate(sorted(centroids)):
            centroid = centroids[topic]
            norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            for f, v in centroid.items():
                by_feature[f].append((t, v / norm))
        return cls(examples, Table.build(postings, idf), Table.build(by_feature))

    def arrays(self) -> dict[str, array[int] | array[float]]:
        """What the build cache stores (bot/knowledge/cache.py); the examples are read from their files."""
        return {**self._postings.arrays("examples"), **self._centroids.arrays("centroids")}

    @classmethod
    def from_arrays(
        cls, examples: tuple[Example, ...], arrays: dict[str, array[int] | array[float]]
    ) -> ExampleIndex:
        return cls(examples, Table.from_arrays(arrays, "examples"), Table.from_arrays(arrays, "centroids"))

    def __len__(self) -> int:
        return len(self.examples)

    def match(self, text: str, limit: int = 5) -> tuple[list[Neighbour], dict[str, float]]:
        """The nearest examples, and the cosine of the question with each topic's centroid."""
        found = []
        for f, w in features(text).items():
            known = self._postings.lookup(f)
            if known is not None:
                found.append((f, w * known[0], known[1], known[2]))
        norm = math.sqrt(sum(v * v for _, v, _, _ in found))
        if not norm:
            return [], {}
        scores: dict[int, float] = defaultdict(float)
        topics: dict[int, float] = defaultdict(float)
        for f, v, ids, weights in found:
            q = v / norm
            for i, w in zip(ids, weights, strict=True):
                scores[i] += q * w
            ids, weights = self._centroids.row(f)
            for t, w in zip(ids, weights, strict=True):
                topics[t] += q * w
        ranked = heapq.nlargest(limit, scores.items(), key=lambda item: item[1])
        return (
            [Neighbour(self.examples[i], s) for i, s in ranked],
            {self._topics[t]: s for t, s in topics.items()},
        )

    def by_topic(self) -> dict[str, list[str]]:
        """Questions per topic (topic and calm examples): the extra BM25 field."""
        out: dict[str, list[str]] = defaultdict(list)
        for e in self.examples:
            if e.expect and e.kind in TOPICAL:
                out[e.expect].append(e.query)
        return dict(out)
