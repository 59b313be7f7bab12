"""Fit the refusal model (bot/knowledge/refusal.py) and write data/knowledge/refusal.yaml.

    python benchmarks/kb_fit_refusal.py [--folds 5] [--threshold 0.5] [--dry-run]

1. Cross-validated evidence: the examples are split into folds; each held-out example (in scope: topic
   and calm questions; out of scope: unrelated and shared-word ones) is judged by an index and a model
   built from the other folds, as a question nobody wrote down would be.
2. A logistic regression on that evidence (classes weighted equally, L2), checked by a second
   cross-validation over the evidence, then fitted on all of it.
Run it again after adding many examples. Never on an evaluation set: it reads only the examples.
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge.examples import OUT_OF_SCOPE, ExampleIndex  # noqa: E402
from bot.knowledge.refusal import FEATURES, RefusalError, RefusalModel  # noqa: E402
from bot.knowledge.service import KnowledgeBase  # noqa: E402
from bot.paths import KNOWLEDGE_DIR  # noqa: E402

TARGET = KNOWLEDGE_DIR / "refusal.yaml"
NEUTRAL = {
    "features": list(FEATURES),
    "mean": [0.0] * len(FEATURES),
    "scale": [1.0] * len(FEATURES),
    "weights": [0.0] * len(FEATURES),
    "bias": 0.0,
    "threshold": 0.0,
}


def evidence(folds: int) -> tuple[list[list[float]], list[int], list[str]]:
    kb = KnowledgeBase(KNOWLEDGE_DIR)
    examples = kb.examples.examples
    rows: list[list[float]] = []
    labels: list[int] = []
    kinds: list[str] = []
    for fold in range(folds):
        kb.use_examples(ExampleIndex.build([e for i, e in enumerate(examples) if i % folds != fold]))
        for i, e in enumerate(examples):
            in_scope = e.kind in ("topic", "calm") and e.expect is not None
            if i % folds != fold or not (in_scope or e.kind in OUT_OF_SCOPE):
                continue
            found = kb.evidence(e.query)
            if found is None:
                continue  # nothing matched at all: refused without the model
            rows.append([found[name] for name in FEATURES])
            labels.append(int(in_scope))
            kinds.append(e.kind)
    return rows, labels, kinds


def fit(rows: list[list[float]], labels: list[int], l2: float = 1e-3, steps: int = 800) -> dict[str, object]:
    d = len(FEATURES)
    mean = [sum(r[j] for r in rows) / len(rows) for j in range(d)]
    scale = [math.sqrt(sum((r[j] - mean[j]) ** 2 for r in rows) / len(rows)) or 1.0 for j in range(d)]
    z = [[(r[j] - mean[j]) / scale[j] for j in range(d)] for r in rows]
    positives = sum(labels)
    weight = {1: len(labels) / (2 * positives), 0: len(labels) / (2 * (len(labels) - positives))}
    w, b, rate = [0.0] * d, 0.0, 0.5
    for _ in range(steps):  # full-batch gradient descent: a few thousand rows, 19 features
        gw, gb = [0.0] * d, 0.0
        for x, y in zip(z, labels, strict=True):
            s = b + sum(a * c for a, c in zip(w, x, strict=True))
            g = (1 / (1 + math.exp(-max(min(s, 30.0), -30.0))) - y) * weight[y]
            gb += g
            for j in range(d):
                gw[j] += g * x[j]
        b -= rate * gb / len(z)
        w = [wj - rate * (gj / len(z) + l2 * wj) for wj, gj in zip(w, gw, strict=True)]
    return {"features": list(FEATURES), "mean": mean, "scale": scale, "weights": w, "bias": b}


def probability(model: dict[str, object], row: list[float]) -> float:
    mean, scale, weights = model["mean"], model["scale"], model["weights"]
    s = float(model["bias"]) + sum(  # type: ignore[arg-type]
        w * (x - m) / sc
        for w, x, m, sc in zip(weights, row, mean, scale, strict=True)  # type: ignore[call-overload]
    )
    return 1 / (1 + math.exp(-max(min(s, 30.0), -30.0)))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    try:
        RefusalModel.load(TARGET)
    except RefusalError as exc:  # a first fit, or new features: the knowledge base must load to fit
        print(f"{exc}: replaced by a neutral model (answers everything) until this fit is written")
        TARGET.write_text(yaml.safe_dump(NEUTRAL), encoding="utf-8")
    rows, labels, kinds = evidence(args.folds)
    order = list(range(len(rows)))
    random.Random(1).shuffle(order)
    right: dict[str, list[int]] = {"topic/calm answered": [], "unrelated refused": [], "shared refused": []}
    for k in range(args.folds):
        train = [i for n, i in enumerate(order) if n % args.folds != k]
        model = fit([rows[i] for i in train], [labels[i] for i in train])
        for n, i in enumerate(order):
            if n % args.folds == k:
                answered = probability(model, rows[i]) >= args.threshold
                key = {"unrelated": "unrelated refused", "unrelated_shared": "shared refused"}.get(
                    kinds[i], "topic/calm answered"
                )
                right[key].append(int(answered == bool(labels[i])))
    figures = {key: 100 * sum(v) / len(v) for key, v in right.items() if v}
    print(f"evidence for {len(rows)} held-out examples; second cross-validation of the model:")
    for key, value in figures.items():
        print(f"  {key:22} {value:5.1f} %")
    if args.dry_run:
        return 0
    model = fit(rows, labels)
    model["threshold"] = args.threshold
    head = (
        "# The refusal model (bot/knowledge/refusal.py): logistic regression on the evidence for a\n"
        "# question's best topic. Generated by `python benchmarks/kb_fit_refusal.py`; do not edit by hand.\n"
        f"# Fitted {date.today().isoformat()} on cross-validated evidence for {len(rows)} labelled examples\n"
        "# (never an evaluation set). Second cross-validation: "
        + ", ".join(f"{k} {v:.1f} %" for k, v in figures.items())
        + "\n"
    )
    rounded = {
        k: [round(x, 6) for x in v] if isinstance(v, list) and k != "features" else v
        for k, v in model.items()
    }
    rounded["bias"] = round(float(model["bias"]), 6)  # type: ignore[arg-type]
    TARGET.write_text(head + yaml.safe_dump(rounded, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"written {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
