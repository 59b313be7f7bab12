"""Content validation: the real knowledge base passes; every kind of mistake is reported."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.knowledge.content import REQUIRED_TOPICS, check, load_content
from bot.paths import KNOWLEDGE_DIR


def test_the_shipped_knowledge_base_is_valid_and_complete() -> None:
    assert check(KNOWLEDGE_DIR) == []
    content = load_content(KNOWLEDGE_DIR)
    assert set(REQUIRED_TOPICS) <= set(content.topics)
    assert len(REQUIRED_TOPICS) == 39
    for topic in content.topics.values():
        assert topic.sources and topic.reviewed <= date.today()
        for locale in ("ky", "ru"):
            assert topic.texts[locale].title and topic.texts[locale].short and topic.texts[locale].steps
    assert {card.id for card in content.urgent} >= {
        "detained",
        "violence",
        "passport_taken",
        "trafficking",
        "detention_centre_ill",
        "work_injury",
    }


def test_no_unverified_contacts_in_content() -> None:
    # shared/domain.md §2: no phone number was confirmed; the NCPT hotline may be dead since Oct 2025.
    text = "".join(p.read_text(encoding="utf-8") for p in KNOWLEDGE_DIR.rglob("*.yaml"))
    assert "554 999 222" not in text
    assert "Киргизия" not in text and "киргизский язык" not in text


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def edit(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(related=["no_such_topic"]), "related topic 'no_such_topic' does not exist"),
        (lambda d: d["ky"].update(short=d["ru"]["short"]), "copy of the ru one"),
        (lambda d: d["ru"].update(short="х" * 701), "ru.short has 701 characters"),
        (lambda d: d.update(reviewed=date(2999, 1, 1)), "in the future"),
        (lambda d: d.update(sources=[]), "no sources"),
        (lambda d: d.update(sources=[{"title": "x", "url": "example.org"}]), "must start with https://"),
        (lambda d: d.update(category="nope"), "unknown category 'nope'"),
        (lambda d: d["ky"].update(steps=[]), "ky.steps is empty"),
        (lambda d: d.pop("ru"), "the ru text is missing"),
        (
            lambda d: d["ky"].update(title="Work", short="Only English here", steps=["Do it"]),
            "does not look like Kyrgyz",
        ),
    ],
)
def test_each_mistake_is_reported(kb_copy: Path, change: Callable[[dict], None], expected: str) -> None:
    edit(kb_copy / "topics" / "wage_theft.yaml", change)
    problems = check(kb_copy)
    assert any(expected in p for p in problems), problems


def test_missing_topic_and_bad_urgent_trigger(kb_copy: Path) -> None:
    (kb_copy / "topics" / "housing_rent.yaml").unlink()
    urgent = kb_copy / "urgent.yaml"
    urgent.write_text(
        urgent.read_text(encoding="utf-8").replace("'\\bзадержал[аи]?\\b'", "'(unclosed'"), "utf-8"
    )
    problems = check(kb_copy)
    assert any("housing_rent.yaml: required topic is missing" in p for p in problems)
    assert any("bad trigger" in p for p in problems)
    assert any("'housing_rent' does not exist" in p for p in problems)  # related links are checked too
