"""Whether to answer a question at all: one learned decision over the evidence, not a chain of rules.

The evidence for the best topic (bot/knowledge/service.py `KnowledgeBase.evidence`) is a handful of
numbers: how well the topic texts match (BM25, coverage of the question's content words, the margin over
the runner-up), what the nearest labelled examples say (similarity, share out of scope), what the naive
Bayes model says (out-of-scope and topic posteriors), and flags from the scope lexicon (an everyday
subject next to the topics, a question located in Kyrgyzstan for a Russia-only topic, one shared noun).
A logistic regression weighs them: P(in scope) = σ(bias + Σ weight × standardised value); below the
threshold the bot says it has no answer and offers the topics and a person.

The weights live in data/knowledge/refusal.yaml, fitted by `python benchmarks/kb_fit_refusal.py` on
cross-validated evidence for the labelled examples (each example judged by models that never saw it),
never on an evaluation set. A decision is explained by the features that pushed it most.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

FEATURES = (
    "score",  # log(1 + combined score of the best topic)
    "margin",  # (best − runner-up) / best
    "bm25",  # log(1 + BM25 of the best topic over its texts and example questions)
    "centroid",  # cosine with the centroid of the best topic's example questions
    "ptop",  # model posterior of the best topic
    "pout",  # model posterior of "out of scope"
    "pbest",  # the model's highest topic posterior (any topic)
    "coverage",  # idf share of the question's content words the best topic covers
    "matched",  # content words covered
    "unmatched",  # content words not covered
    "nn",  # similarity of the nearest example
    "nn_out",  # the nearest example is out of scope (0/1)
    "outshare",  # similarity-weighted share of out-of-scope examples among the nearest
    "topshare",  # … and of the best topic's examples
    "bordering",  # an everyday subject next to the topics is named (0/1)
    "home",  # located in Kyrgyzstan while the topic applies in Russia only (0/1)
    "lone",  # one shared noun is all the topic covers (0/1)
    "words",  # log(1 + number of content words)
    "min_score",  # the best score reaches the old fixed minimum (0/1)
    "nn_in",  # similarity of the nearest in-scope example among the nearest
    "nn_oos",  # … and of the nearest out-of-scope one
    "unknown",  # share of content words no topic text or topic question knows (even fuzzily)
)


class RefusalError(Exception):
    pass


class _Spec(BaseModel):
    model_config = ConfigDict(extra="ignore")

    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    bias: float
    threshold: float

    @model_validator(mode="after")
    def _same_lengths(self) -> _Spec:
        if sorted(self.features) != sorted(FEATURES):
            raise ValueError(f"features must be exactly {', '.join(FEATURES)}")
        if not len(self.features) == len(self.mean) == len(self.scale) == len(self.weights):
            raise ValueError("features, mean, scale and weights must have the same length")
        if any(s <= 0 for s in self.scale):
            raise ValueError("scale values must be positive")
        return self


@dataclass(frozen=True)
class Decision:
    p: float  # probability that the question is in scope
    answer: bool
    reasons: tuple[str, ...]  # the features that pushed the decision most, signed: "pout:-1.3"


class RefusalModel:
    def __init__(self, spec: _Spec) -> None:
        self._spec = spec

    @classmethod
    def load(cls, path: Path) -> RefusalModel:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            return cls(_Spec.model_validate(data))
        except (OSError, yaml.YAMLError) as exc:
            raise RefusalError(f"{path.name}: {str(exc).splitlines()[0]}") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"]) or "file"
            raise RefusalError(f"{path.name}: {where}: {first['msg']}") from None

    def decide(self, evidence: dict[str, float]) -> Decision:
        spec = self._spec
        parts = [
            (name, w * (evidence[name] - m) / s)
            for name, m, s, w in zip(spec.features, spec.mean, spec.scale, spec.weights, strict=True)
        ]
        logit = spec.bias + sum(c for _, c in parts)
        p = 1 / (1 + math.exp(-max(min(logit, 30.0), -30.0)))
        answer = p >= spec.threshold
        # Explain with what pushed towards the decision taken.
        sign = 1 if answer else -1
        strongest = sorted(parts, key=lambda item: -sign * item[1])[:3]
        reasons = tuple(f"{name}:{c:+.1f}" for name, c in strongest if sign * c > 0)
        return Decision(p, answer, reasons)
