"""The refusal model (bot/knowledge/refusal.py): a learned decision, explained, loaded like content."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge.content import ContentError
from bot.knowledge.refusal import FEATURES, RefusalModel
from bot.knowledge.service import KnowledgeBase
from bot.paths import KNOWLEDGE_DIR

from .test_examples import directory, line, write  # noqa: F401  (the fixture)


def spec(**weights: float) -> dict[str, object]:
    return {
        "features": list(FEATURES),
        "mean": [0.0] * len(FEATURES),
        "scale": [1.0] * len(FEATURES),
        "weights": [weights.get(name, 0.0) for name in FEATURES],
        "bias": 1.0,
        "threshold": 0.5,
    }


def evidence(**values: float) -> dict[str, float]:
    return {name: values.get(name, 0.0) for name in FEATURES}


def test_a_decision_names_the_evidence_that_pushed_it(tmp_path: Path) -> None:
    path = tmp_path / "refusal.yaml"
    path.write_text(yaml.safe_dump(spec(pout=-3.0, coverage=2.0)))
    model = RefusalModel.load(path)
    refused = model.decide(evidence(pout=1.0, coverage=0.1))
    assert not refused.answer and refused.p < 0.5
    assert refused.reasons[0] == "pout:-3.0"  # the strongest push towards refusing comes first
    answered = model.decide(evidence(pout=0.0, coverage=1.0))
    assert answered.answer and answered.reasons == ("coverage:+2.0",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weights": [1.0]}, "same length"),
        ({"features": ["score"]}, "features must be exactly"),
        ({"scale": [0.0] * len(FEATURES)}, "positive"),
        ({"threshold": "high"}, "threshold"),
    ],
)
def test_a_broken_refusal_file_is_a_content_problem_and_the_old_model_stays(
    directory: Path,  # noqa: F811
    change: dict[str, object],
    message: str,
) -> None:
    write(directory, line("старая бумажка", "topic", "registration_ru"))
    kb = KnowledgeBase(directory)
    before = kb.answer("регистрация закончилась что делать")
    (directory / "refusal.yaml").write_text(yaml.safe_dump({**spec(), **change}))
    problems = kb.reload()
    assert problems and problems[0].startswith("refusal.yaml") and message in " ".join(problems)
    assert kb.answer("регистрация закончилась что делать") == before
    with pytest.raises(ContentError):
        KnowledgeBase(directory)


def test_the_shipped_model_loads_and_matches_the_features() -> None:
    data = yaml.safe_load((KNOWLEDGE_DIR / "refusal.yaml").read_text(encoding="utf-8"))
    assert sorted(data["features"]) == sorted(FEATURES) and 0 < data["threshold"] < 1
    RefusalModel.load(KNOWLEDGE_DIR / "refusal.yaml")
