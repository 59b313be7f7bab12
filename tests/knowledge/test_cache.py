"""The build cache (bot/knowledge/cache.py): trained once per content version, never stale, never trusted."""

from __future__ import annotations

import logging
from array import array
from pathlib import Path

import pytest

from bot.knowledge import service
from bot.knowledge.cache import BuildCache, content_key
from bot.knowledge.service import KnowledgeBase

from .test_examples import directory, line, write  # noqa: F401  (the fixture)

QUESTIONS = [
    "патент на изобретение дрона",
    "меня менты забрали в отдел",
    "хозяин паспорт забрал не отдает",
    "регистрация закончилась что делать",
    "kantip patent alam",
    "айлык бербей жатат 3 ай",
]


def answers(kb: KnowledgeBase) -> list[tuple[object, ...]]:
    out = []
    for q in QUESTIONS:
        a = kb.answer(q)
        out.append((a.urgent and a.urgent.id, tuple(a.results), a.verdict, a.detection))
    return out


@pytest.fixture
def knowledge(directory: Path) -> Path:  # noqa: F811
    write(
        directory,
        line("старая бумажка", "topic", "registration_ru"),
        *(line(f"патент на изобретение {x}", "unrelated_shared") for x in ("насоса", "замка", "лодки")),
        *(line(f"двое в форме тащат брата {x}", "emergency", "detention_rights", "detained") for x in "абв"),
    )
    return directory


def no_training(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("trained although the cache holds this content")

    monkeypatch.setattr(service.Models, "train", fail)
    monkeypatch.setattr(service.ExampleIndex, "build", fail)
    monkeypatch.setattr(service.TopicIndex, "build", fail)


def test_second_start_reads_the_cache_and_answers_the_same(
    knowledge: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    built = KnowledgeBase(knowledge, cache)
    assert len(list(cache.glob("knowledge-*.bin"))) == 1
    with monkeypatch.context() as patch:
        no_training(patch)
        loaded = KnowledgeBase(knowledge, cache)
    assert answers(loaded) == answers(built) == answers(KnowledgeBase(knowledge))


def test_any_edit_gives_a_new_key_and_a_fresh_build(knowledge: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = content_key(knowledge)
    KnowledgeBase(knowledge, cache)
    with (knowledge / "examples" / "train.jsonl").open("a", encoding="utf-8") as out:
        out.write(line("патент на изобретение велосипеда", "unrelated_shared") + "\n")
    assert content_key(knowledge) != before
    kb = KnowledgeBase(knowledge, cache)
    assert len(kb.examples) == 8  # the new example is in, not the cached seven
    assert len(list(cache.glob("knowledge-*.bin"))) == 2


@pytest.mark.parametrize("damage", ["truncate", "garbage", "typecode", "other key"])
def test_a_damaged_or_forged_entry_is_rebuilt(
    knowledge: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    cache = tmp_path / "cache"
    expected = answers(KnowledgeBase(knowledge, cache))
    (entry,) = cache.glob("knowledge-*.bin")
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x80\x04 not a cache")
    elif damage == "typecode":
        entry.write_bytes(data.replace(b'"q"', b'"u"', 1))
    else:
        BuildCache(cache).store(content_key(knowledge), {}, {})  # the same file name, another build
        entry.write_bytes(entry.read_bytes().replace(content_key(knowledge).encode(), b"0" * 64))
    with caplog.at_level(logging.WARNING, logger="bot.knowledge.cache"):
        kb = KnowledgeBase(knowledge, cache)
    assert answers(kb) == expected
    assert "rebuilding" in caplog.text


def test_an_unwritable_cache_costs_time_not_the_bot(
    knowledge: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory should be")
    with caplog.at_level(logging.WARNING, logger="bot.knowledge.cache"):
        kb = KnowledgeBase(knowledge, blocked / "cache")
    assert answers(kb) == answers(KnowledgeBase(knowledge))
    assert "not written" in caplog.text


def test_old_entries_are_removed(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    for n in range(6):
        cache.store(str(n) * 64, {"n": n}, {"a": array("q", [n])})
    assert len(list(tmp_path.glob("knowledge-*.bin"))) == 3
    assert cache.load("5" * 64) == ({"n": 5}, {"a": array("q", [5])})
    assert not list(tmp_path.glob(".knowledge-*"))  # no temporary file left behind


async def test_a_reload_trains_off_the_event_loop_and_switches_at_once(
    knowledge: Path, tmp_path: Path
) -> None:
    import asyncio

    kb = KnowledgeBase(knowledge, tmp_path / "cache")
    with (knowledge / "examples" / "train.jsonl").open("a", encoding="utf-8") as out:
        out.write(line("патент на изобретение велосипеда", "unrelated_shared") + "\n")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    running = asyncio.create_task(ticker())
    assert await kb.reload_async() == []
    running.cancel()
    assert ticks > 10  # the loop kept running while the new content was read and trained
    assert len(kb.examples) == 8
    (knowledge / "refusal.yaml").write_text("features: [score]\n", encoding="utf-8")
    problems = await kb.reload_async()
    assert problems and problems[0].startswith("refusal.yaml") and len(kb.examples) == 8  # old one kept
