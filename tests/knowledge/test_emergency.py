"""The emergency detector on hand-written phrasings (tests/knowledge/data/emergency_examples.yaml): slang,
Latin-script Kyrgyz, Kyrgyz without ң ө ү, scenes without the obvious words; and calm questions."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import yaml

from bot.knowledge.emergency import EmergencyDetector
from bot.knowledge.service import KnowledgeBase
from bot.paths import KNOWLEDGE_DIR

EXAMPLES = yaml.safe_load((Path(__file__).parent / "data/emergency_examples.yaml").read_text("utf-8"))
URGENT = [(situation, text) for situation, texts in EXAMPLES["urgent"].items() for text in texts]


@pytest.fixture(scope="module")
def detector() -> EmergencyDetector:
    return EmergencyDetector(KNOWLEDGE_DIR / "lexicon" / "emergency.yaml")


@pytest.mark.parametrize(("situation", "text"), URGENT)
def test_emergencies_are_recognised(detector: EmergencyDetector, situation: str, text: str) -> None:
    detection = detector.detect(text)
    assert detection is not None and detection.situation == situation, detection
    assert detection.sure


@pytest.mark.parametrize("text", EXAMPLES["calm"])
def test_calm_questions_raise_no_alarm(detector: EmergencyDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_scene_words_with_a_signal_are_unsure(detector: EmergencyDetector) -> None:
    detection = detector.detect("менты щас")
    assert detection is not None and not detection.sure and detection.situation == "detained"
    assert detector.detect("менты") is None  # a word alone is not a scene


def test_decision_is_logged_with_cues_but_without_user_text(
    detector: EmergencyDetector, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.knowledge.emergency"):
        detector.detect("мусора приняли на рынке сижу в бобике")
    assert "detained" in caplog.text and "cues=" in caplog.text
    assert "рынке" not in caplog.text and "бобике" not in caplog.text


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase(KNOWLEDGE_DIR)


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("мусора приняли сижу в обезьяннике", "detained"),
        ("муж бьёт меня", "domestic_violence"),
        ("меня изнасиловали", "sexual_violence"),
        ("угрожают убить", "threatened"),
        ("работодатель не отпускает домой", "trafficking"),
        ("не отдают паспорт и держат", "passport_taken"),
    ],
)
def test_situations_map_to_cards_with_a_fallback(kb: KnowledgeBase, text: str, card: str) -> None:
    cards = {c.id for c in kb.content.urgent}
    answer = kb.answer(text)
    assert answer.urgent is not None
    assert answer.urgent.id == (card if card in cards else "violence")


def test_unknown_card_in_the_lexicon_falls_back(tmp_path: Path) -> None:
    directory = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, directory)
    lexicon = directory / "lexicon" / "emergency.yaml"
    lexicon.write_text(
        lexicon.read_text("utf-8").replace("card: detained", "card: no_such_card"), encoding="utf-8"
    )
    answer = KnowledgeBase(directory).answer("меня задержали")
    assert answer.urgent is not None and answer.urgent.id == "violence"


def test_a_broken_lexicon_is_reported_and_the_old_one_kept(tmp_path: Path) -> None:
    directory = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, directory)
    kb = KnowledgeBase(directory)
    (directory / "lexicon" / "emergency.yaml").write_text(
        "situations:\n  x:\n    acts: ['(']\n", encoding="utf-8"
    )
    problems = kb.reload()
    assert problems and "bad pattern" in problems[0]
    assert kb.answer("меня задержали").urgent is not None
