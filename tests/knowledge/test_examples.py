"""Labelled example questions (data/knowledge/examples/*.jsonl) are data the search learns from."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from bot.knowledge.service import KnowledgeBase
from bot.paths import KNOWLEDGE_DIR

from .test_cli import run


def line(query: str, kind: str, expect: str | None = None, situation: str | None = None) -> str:
    row = {"query": query, "lang": "ru", "expect": expect, "urgent": kind == "emergency", "kind": kind}
    return json.dumps({**row, "situation": situation}, ensure_ascii=False)


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy)
    for path in (copy / "examples").glob("*.jsonl"):
        if path.name != "train.jsonl":
            path.unlink()  # the tests write train.jsonl and count what is loaded
    return copy


def write(directory: Path, *lines: str) -> None:
    (directory / "examples" / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_shipped_examples_are_loaded() -> None:
    kb = KnowledgeBase(KNOWLEDGE_DIR)
    files = sorted((KNOWLEDGE_DIR / "examples").glob("*.jsonl"))
    shipped = [x for path in files for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(files) >= 2 and len(kb.examples) == len(shipped)


def test_new_examples_teach_a_topic_after_reload(directory: Path) -> None:
    write(directory, line("старая бумажка", "topic", "registration_ru"))
    kb = KnowledgeBase(directory)
    assert kb.answer("зубрыбуква").results == []
    write(
        directory,
        line("зубрыбуква как сделать", "topic", "wage_theft"),
        line("зубрыбуква не дают", "topic", "wage_theft"),
    )
    assert kb.reload() == []
    assert len(kb.examples) == 2
    assert [hit.topic for hit in kb.answer("зубрыбуква").results][:1] == ["wage_theft"]


def test_malformed_examples_fail_loading_with_the_line_and_keep_the_old_ones(directory: Path) -> None:
    kb = KnowledgeBase(directory)
    before = len(kb.examples)
    write(
        directory,
        line("патент", "topic", "eaeu_work_no_patent"),
        '{"query": "x", "lang": "ru"',
        line("a", "oops"),
    )
    problems = kb.reload()
    assert any(p.startswith("examples/train.jsonl:2: not valid JSON") for p in problems)
    assert "examples/train.jsonl:3: kind must be one of" in " ".join(problems)
    assert len(kb.examples) == before  # still serving the old ones
    write(directory, line("патент", "topic", "no_such_topic"))
    result = run("check", env={"KNOWLEDGE_DIR": str(directory)})
    assert result.returncode == 1
    assert "examples/train.jsonl:1: expect must be a known topic id, not 'no_such_topic'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_out_of_scope_question_is_refused_and_explained_without_user_text(
    directory: Path, caplog: pytest.LogCaptureFixture
) -> None:
    question = "патент на изобретение щупальцеглаз"
    write(
        directory,
        line("старая бумажка", "topic", "registration_ru"),
        line("патент на изобретение щупальцеглаз как получить", "unrelated"),
    )
    kb = KnowledgeBase(directory)
    with caplog.at_level(logging.INFO, logger="bot.knowledge.service"):
        answer = kb.answer(question)
    assert answer.results == [] and answer.verdict is not None
    assert answer.verdict.decision == "refuse" and answer.verdict.reason.startswith("in scope p=")
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("kb refuse")]
    assert logged and "щупальцеглаз" not in " ".join(logged)


def test_emergency_recognised_by_examples_is_unsure_and_explained(
    directory: Path, caplog: pytest.LogCaptureFixture
) -> None:
    question = "квазиморды шмурдякнули шурина у рынка"
    write(directory, line("старая бумажка", "topic", "registration_ru"))
    assert KnowledgeBase(directory).answer(question).urgent is None  # the lexicon alone misses it
    write(
        directory,
        line("квазиморды шмурдякнули брата у рынка что делать", "emergency", "detention_rights", "detained"),
    )
    kb = KnowledgeBase(directory)
    with caplog.at_level(logging.INFO, logger="bot.knowledge.service"):
        answer = kb.answer(question)
    assert answer.urgent is not None and answer.urgent.id == "detained"
    assert not answer.urgent_sure  # card AND topic
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("emergency:")]
    assert logged and "unsure detained" in logged[0] and "example:train.jsonl:1@" in logged[0]
    assert "квазиморд" not in " ".join(logged)


def test_no_example_is_a_benchmark_question() -> None:
    """Writers working separately still write the same short sentences now and then: a question that is
    also in an evaluation set would be answered from memory there (the figures would flatter)."""
    root = KNOWLEDGE_DIR.parent.parent / "benchmarks" / "data"
    if not root.is_dir():  # an installed wheel ships the content, not the benchmarks
        pytest.skip("no benchmarks here")

    def key(text: str) -> str:
        return " ".join(text.lower().split())

    benchmark = {
        key(json.loads(x)["query"])
        for path in root.glob("*.jsonl")
        for x in path.read_text(encoding="utf-8").splitlines()
        if x.strip()
    }
    shared = [
        f"{path.name}:{n}"
        for path in sorted((KNOWLEDGE_DIR / "examples").glob("*.jsonl"))
        for n, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if x.strip() and key(json.loads(x)["query"]) in benchmark
    ]
    assert shared == []


def test_a_topic_whose_examples_have_no_words_keeps_the_centroids_in_step(directory: Path) -> None:
    # "???" has no word and no character n-gram: its topic has an empty centroid, and the topics after
    # it in alphabetical order must still get their own centroid scores, not their neighbour's.
    write(
        directory,
        line("???", "topic", "amina_app_moscow"),
        *(line(f"зарплату не платят уже {n} месяца", "topic", "wage_theft") for n in range(2, 6)),
    )
    kb = KnowledgeBase(directory)
    _, centroids = kb.examples.match("зарплату не платят")
    assert set(centroids) == {"wage_theft"}
