"""The learned model (bot/knowledge/classifier.py): trained from data at load time, explainable, private."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest

from bot.knowledge import service
from bot.knowledge.classifier import OUT, NaiveBayes, features
from bot.knowledge.refusal import FEATURES
from bot.knowledge.service import KnowledgeBase

from .test_examples import directory, line, write  # noqa: F401  (the fixture)


def bag(text: str) -> Counter[str]:
    return features(text)


def test_naive_bayes_learns_and_names_only_shared_features() -> None:
    samples = [
        (bag("зарплату не платят третий месяц"), "wage"),
        (bag("хозяин не платит зарплату"), "wage"),
        (bag("бригадир зарплату задерживает"), "wage"),
        (bag("регистрация закончилась что делать"), "registration"),
        (bag("как продлить регистрацию"), "registration"),
        (bag("регистрацию не делают хозяева квартиры"), "registration"),
    ]
    model = NaiveBayes.train(samples, prior=False)
    question = bag("платят зарплату Айгуль")  # a name nobody else wrote
    posterior = model.posterior(question)
    assert max(posterior, key=lambda c: posterior[c]) == "wage"
    assert sum(posterior.values()) == pytest.approx(1.0)
    cues = model.cues(question, "wage", "registration")
    assert cues and any(cue.startswith("w:зарпл") for cue in cues)
    assert not any("айгул" in cue for cue in cues)  # one message's words are never named
    assert model.posterior(bag("")) == {}  # nothing known: no opinion


def test_unknown_words_say_nothing() -> None:
    model = NaiveBayes.train([(bag("патент"), "a"), (bag("регистрация"), "b")])
    assert model.posterior(bag("щупальцеглаз")) == {}


def test_refusal_is_explained_by_evidence_without_the_message(
    directory: Path,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    question = "патент на изобретение Жылдызбек"
    write(
        directory,
        line("старая бумажка", "topic", "registration_ru"),
        *(line(f"патент на изобретение {x}", "unrelated_shared") for x in ("дрона", "насоса", "замка")),
    )
    kb = KnowledgeBase(directory)
    with caplog.at_level(logging.INFO, logger="bot.knowledge.service"):
        answer = kb.answer(question)
    assert answer.results == [] and answer.verdict is not None
    assert answer.verdict.decision == "refuse" and answer.verdict.reason.startswith("in scope p=")
    # The reason names the evidence that weighed most (feature names and numbers), e.g. "pout:-1.2".
    named = answer.verdict.reason.split(" ", 3)[-1].split(",")
    assert named and all(cue.split(":")[0] in FEATURES and cue.split(":")[1][0] == "-" for cue in named)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "kb refuse: in scope p=" in logged and "жылдызбек" not in logged.lower()


def test_model_raises_an_unsure_alarm_the_lexicon_misses(
    directory: Path,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Invented words: neither the lexicon nor the topic texts know them, only the examples do.
    emergencies = [
        line(f"квазиморды шмурдякнули шурина {place}", "emergency", "detention_rights", "detained")
        for place in ("у рынка", "в метро", "на стройке", "у общаги", "на вокзале")
    ]
    calm = [line(f"как оформить бумагу номер {n}", "topic", "registration_ru") for n in range(30)]
    write(directory, *emergencies, *calm)
    kb = KnowledgeBase(directory)
    monkeypatch.setattr(service, "URGENT_SIMILARITY", 2.0)  # the nearest-example rule is off here
    with caplog.at_level(logging.INFO, logger="bot.knowledge.service"):
        answer = kb.answer("квазиморды шмурдякнули деверя")
    assert answer.urgent is not None and not answer.urgent_sure
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("emergency:")]
    assert logged and "model:" in logged[0] and "деверя" not in logged[0]
    assert kb.answer("квазиморды").urgent is None  # one word never raises an alarm by the model alone


def test_model_is_retrained_on_reload(directory: Path) -> None:  # noqa: F811
    write(directory, line("старая бумажка", "topic", "registration_ru"))
    kb = KnowledgeBase(directory)
    before = kb.answer("зубрыбуква шмакодявка")
    write(directory, *(line(f"зубрыбуква шмакодявка {n}", "unrelated") for n in range(5)))
    assert kb.reload() == []
    after = kb.answer("зубрыбуква шмакодявка")
    assert after.results == [] and after.verdict is not None
    assert after.verdict.decision == "refuse" or before.results == []
    assert OUT not in {hit.topic for hit in after.results}


def test_an_application_built_twice_shares_the_knowledge_base_until_a_file_changes(
    directory: Path,  # noqa: F811
) -> None:
    first = KnowledgeBase.shared(directory)
    assert KnowledgeBase.shared(directory) is first  # built once per process: it takes seconds
    write(directory, line("зубрыбуква шмакодявка", "topic", "wage_theft"))
    changed = KnowledgeBase.shared(directory)
    assert changed is not first and len(changed.examples) == 1
