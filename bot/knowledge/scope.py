"""Whether a question is in scope: answer a topic only when its content words support it.

One shared noun is not enough ("регистрация на олимпиаду" shares "регистрация" with migration
registration). A best topic is answered when it explains enough of the question's content words
(coverage), with a stricter bar when the question is about an everyday subject next to the topics
(data/knowledge/lexicon/out_of_scope.yaml: banks, shopping, devices, food, leisure, travel, …) or is
located in Kyrgyzstan while the topic applies in Russia only. Two close topics → ask which one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.knowledge.normalize import normalized, stem
from bot.knowledge.search import Hit, Support

ACCEPT, CLARIFY, REFUSE = "accept", "clarify", "refuse"
# Calibrated on the development sets (benchmarks/kb_eval.py); see the docstring above.
MIN_COVERAGE = 0.1
MIN_COVERAGE_BORDERING = 0.65  # an everyday subject next to the topics is named
MIN_COVERAGE_ABROAD = 0.45  # located in Kyrgyzstan, the topic applies in Russia only
CLARIFY_SHARE = 0.9  # the runner-up scores at least this share of the best: ask


@dataclass(frozen=True)
class Verdict:
    decision: str
    reason: str  # for logs and the editors' gap list: never user text


class Scope:
    def __init__(self, path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        self.subjects = {str(k): re.compile(str(v)) for k, v in (data.get("subjects") or {}).items()}
        self.home_country = re.compile(str(data.get("home_country") or r"(?!x)x"))
        self.about_bot = re.compile(str(data.get("about_bot") or r"(?!x)x"))
        self.shared_nouns = frozenset(stem(normalized(str(w))) for w in data.get("shared_nouns") or ())

    def is_about_bot(self, text: str) -> bool:
        return bool(self.about_bot.search(f" {normalized(text)} "))

    def judge(self, text: str, hits: list[Hit], support: Support, topic_scope: str) -> Verdict:
        if not hits:
            return Verdict(REFUSE, "no-match")
        flat = f" {normalized(text)} "
        bordering = [name for name, pattern in self.subjects.items() if pattern.search(flat)]
        needed = MIN_COVERAGE_BORDERING if bordering else MIN_COVERAGE
        if topic_scope == "ru" and self.home_country.search(flat):
            bordering.append("home-country")
            needed = max(needed, MIN_COVERAGE_ABROAD)
        if support.coverage < needed:
            return Verdict(
                REFUSE, f"coverage {support.coverage:.2f} < {needed} {','.join(bordering)}".strip()
            )
        lone = len(support.matched) == 1 and support.matched[0] in self.shared_nouns
        if lone and len(support.unmatched) >= 2:
            return Verdict(REFUSE, "one shared noun")
        if len(hits) > 1 and hits[1].score >= hits[0].score * CLARIFY_SHARE:
            return Verdict(CLARIFY, "close runner-up")
        return Verdict(ACCEPT, "supported")
