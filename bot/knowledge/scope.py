"""The scope lexicon: everyday subjects next to the topics, and when to ask which of two topics.

One shared noun is not enough ("регистрация на олимпиаду" shares "регистрация" with migration
registration). The lexicon (data/knowledge/lexicon/out_of_scope.yaml: banks, shopping, devices, food,
leisure, travel, …; questions located in Kyrgyzstan; nouns many subjects share) gives flags that the
refusal model (bot/knowledge/refusal.py) weighs with the rest of the evidence. Two close topics → ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.knowledge.normalize import normalized, stem
from bot.knowledge.search import Hit, Support

ACCEPT, CLARIFY, REFUSE = "accept", "clarify", "refuse"
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

    def flags(self, text: str, support: Support, topic_scope: str) -> dict[str, float]:
        """Evidence for the refusal model (bot/knowledge/refusal.py), 0 or 1 each."""
        flat = f" {normalized(text)} "
        bordering = any(pattern.search(flat) for pattern in self.subjects.values())
        home = topic_scope == "ru" and bool(self.home_country.search(flat))
        lone = len(support.matched) == 1 and support.matched[0] in self.shared_nouns
        return {"bordering": float(bordering), "home": float(home), "lone": float(lone)}

    def settle(self, hits: list[Hit]) -> Verdict:
        """An answerable question: the best topic, or ask when the runner-up is as likely."""
        if len(hits) > 1 and hits[1].score >= hits[0].score * CLARIFY_SHARE:
            return Verdict(CLARIFY, "close runner-up")
        return Verdict(ACCEPT, "supported")
