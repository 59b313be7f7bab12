"""K-fold cross-validation of the example-based search on data/knowledge/examples/*.jsonl.

    python benchmarks/kb_examples_cv.py [--folds 5] [--set NAME=VALUE ...] [--dev] [--errors]

Each fold answers its held-out examples with an index built from the other folds (topic texts + the
remaining examples), so the figures say how the learning generalises to questions it has not seen.
--set changes a tunable for a run (service.KNN_WEIGHT=8, search.examples=1.0, …); --dev also prints
the development sets answered with all examples (aggregate figures only); --errors lists the
examples a fold answered wrongly (training data, never an evaluation set).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from kb_eval import evaluate, percent  # noqa: E402

from bot.knowledge import classifier, scope, search, service  # noqa: E402
from bot.knowledge.examples import ExampleIndex  # noqa: E402
from bot.knowledge.service import KnowledgeBase  # noqa: E402
from bot.paths import KNOWLEDGE_DIR  # noqa: E402

DEV = ("kb_dev_blind.jsonl", "kb_dev.jsonl", "kb_test.jsonl")


def summary(stats: dict[str, Counter[str]]) -> str:
    lines = []
    for lang in ("ky", "ru", "all"):
        s = stats[lang]
        lines.append(
            f"  {lang:3} top-1 {percent(s['top1'], s['topical'])} top-3 {percent(s['top3'], s['topical'])}"
            f" unrel {percent(s['unrelated_refused'], s['unrelated'])}"
            f" shared {percent(s['unrelated_shared_refused'], s['unrelated_shared'])}"
            f" urgent {percent(s['urgent_hit'], s['urgent'])} false {percent(s['false_urgent'], s['calm'])}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--set", action="append", default=[], help="module.NAME=VALUE")
    parser.add_argument("--dev", action="store_true")
    parser.add_argument("--errors", action="store_true", help="list the held-out examples answered wrongly")
    args = parser.parse_args()
    for item in args.set:
        name, value = item.split("=", 1)
        module, attr = name.split(".", 1)
        if module == "search":
            search.FIELD_WEIGHTS[attr] = float(value)
        elif module == "classifier":
            setattr(classifier, attr, float(value))
        elif module == "scope":
            setattr(scope, attr, float(value))
        else:
            setattr(service, attr, float(value))
    kb = KnowledgeBase(KNOWLEDGE_DIR)
    examples = kb._examples.examples
    total: dict[str, Counter[str]] = defaultdict(Counter)
    for fold in range(args.folds):
        held = [e for i, e in enumerate(examples) if i % args.folds == fold]
        kb.use_examples(ExampleIndex.build([e for i, e in enumerate(examples) if i % args.folds != fold]))
        rows = [
            {
                "query": e.query,
                "lang": e.lang,
                "expect": e.expect,
                "urgent": e.urgent,
                "kind": e.kind,
                "situation": e.situation,
            }
            for e in held
        ]
        for key, counter in evaluate(kb, rows, show_errors=args.errors).items():
            total[key].update(counter)
    print(f"== {args.folds}-fold cross-validation on {len(examples)} examples {' '.join(args.set)}")
    print(summary(total))
    if args.dev:
        kb.use_examples(ExampleIndex.build(examples))
        import json

        for name in DEV:
            rows = [json.loads(x) for x in (ROOT / "benchmarks/data" / name).read_text().splitlines() if x]
            print(f"== {name}")
            print(summary(evaluate(kb, rows, show_errors=False)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
