"""Emergency detection: a danger SITUATION × a SIGNAL that it is happening now or to the writer.

A small explainable model instead of one regex list per card. The lexicon (data/knowledge/lexicon/
emergency.yaml) lists, per situation, the acts themselves ("задержали", "уруп жатышат", weight 2) and
scene words (slang, places, body harm: "автозак", "менты", "кровь", weight 1), and, shared, the signals
(first person, a relative, immediacy, present/recent time) and blockers (hypothetical, general rights
questions, distant past). Decisions:

- sure:    an act, not blocked (immediacy lifts a block: "если щас заберут" is still now; a bare
           "сейчас"/"азыр" lifts all but the past one: "в прошлом году били, где сейчас пожаловаться");
- unsure:  scene words only, with a signal and no block: the bot shows the urgent card AND the topic;
- none:    anything else; a topic near an emergency still offers "this is happening to me now".

Every decision carries the names of the cues that fired (never the user's words) for one log line.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.normalize import normalized

log = logging.getLogger(__name__)

ACT, SCENE = 2, 1
SURE, UNSURE = "sure", "unsure"


class LexiconError(Exception):
    pass


@dataclass(frozen=True)
class Situation:
    name: str
    card: str
    acts: Patterns
    scene: Patterns
    calm: Patterns
    conditional_ok: bool = False  # threats are often conditional: "if you leave, I'll kill you"


@dataclass(frozen=True)
class Detection:
    situation: str
    card: str
    certainty: str  # SURE or UNSURE
    cues: tuple[str, ...] = field(default=())

    @property
    def sure(self) -> bool:
        return self.certainty == SURE


class Patterns:
    """A list of cue patterns with one combined pattern in front: most messages match none of them."""

    def __init__(self, items: Any, where: str) -> None:
        out = []
        for item in items or []:
            try:
                out.append(re.compile(str(item)))
            except re.error as exc:
                raise LexiconError(f"{where}: bad pattern {item!r}: {exc}") from None
        self.patterns = tuple(out)
        self._any = re.compile("|".join(f"(?:{p.pattern})" for p in out)) if out else None

    def fired(self, text: str, name: str) -> list[str]:
        if self._any is None or not self._any.search(text):
            return []
        return [f"{name}#{i}" for i, pattern in enumerate(self.patterns) if pattern.search(text)]


def _compile(items: Any, where: str) -> Patterns:
    return Patterns(items, where)


class EmergencyDetector:
    def __init__(self, path: Path) -> None:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise LexiconError(f"{path.name}: cannot read: {str(exc).splitlines()[0]}") from None
        self.fallback_card = str(data.get("fallback_card") or "violence")
        self.situations = tuple(
            Situation(
                name=str(name),
                card=str(spec.get("card") or self.fallback_card),
                acts=_compile(spec.get("acts"), f"{name}.acts"),
                scene=_compile(spec.get("scene"), f"{name}.scene"),
                calm=_compile(spec.get("calm"), f"{name}.calm"),
                conditional_ok=bool(spec.get("conditional_ok")),
            )
            for name, spec in (data.get("situations") or {}).items()
        )
        self.signals = {str(k): _compile(v, f"signals.{k}") for k, v in (data.get("signals") or {}).items()}
        self.blockers = {
            str(k): _compile(v, f"blockers.{k}") for k, v in (data.get("blockers") or {}).items()
        }

    def detect(self, text: str) -> Detection | None:
        flat = normalized(text)
        if not flat:
            return None
        flat = f" {flat} "
        signals = [cue for name, pats in self.signals.items() for cue in pats.fired(flat, name)]
        kinds = {cue.split("#")[0] for cue in signals}
        blockers = [cue for name, pats in self.blockers.items() for cue in pats.fired(flat, name)]
        best: tuple[int, Situation, list[str]] | None = None
        for situation in self.situations:
            cues = situation.acts.fired(flat, f"{situation.name}.act")
            strength = ACT if cues else 0
            if not cues:
                cues = situation.scene.fired(flat, f"{situation.name}.scene")
                strength = ACT if len(cues) >= 2 else SCENE if cues else 0
            if not strength:
                continue
            calm = situation.calm.fired(flat, f"{situation.name}.calm")
            if calm and not kinds & {"immediacy", "now"}:
                strength -= 1
                cues += calm
            if strength and (best is None or strength > best[0]):
                best = (strength, situation, cues)
        if best is None:
            return None
        strength, situation, cues = best
        if situation.conditional_ok:
            blockers = [b for b in blockers if not b.startswith("hypothetical")]
        # Immediacy lifts every block ("если щас заберут" is now); a bare "now" all but the past one
        # ("в прошлом году били, где сейчас пожаловаться" is about the past).
        lifted = "immediacy" in kinds or ("now" in kinds and not any(b.startswith("past") for b in blockers))
        blocked = bool(blockers) and not lifted
        explanation = tuple(cues + signals + [f"blocked:{b}" for b in blockers])
        if blocked:
            log.debug("emergency: none (blocked) cues=%s", ",".join(explanation))
            return None
        if strength >= ACT:
            certainty = SURE
        elif kinds & {"first_person", "relative", "immediacy", "now"}:
            certainty = UNSURE
        else:
            log.debug("emergency: none (weak) cues=%s", ",".join(explanation))
            return None
        detection = Detection(situation.name, situation.card, certainty, explanation)
        log.info(
            "emergency: %s %s → %s cues=%s", certainty, situation.name, situation.card, ",".join(explanation)
        )
        return detection
