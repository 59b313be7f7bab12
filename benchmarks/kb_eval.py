"""Search quality and latency of the knowledge base on a labelled JSONL set.

    python benchmarks/kb_eval.py                       # benchmarks/data/kb_test.jsonl (held out)
    python benchmarks/kb_eval.py --data benchmarks/data/kb_dev.jsonl --errors

Each line: {"query": str, "lang": "ky"|"ru", "expect": topic id or null (off-topic), "urgent": bool}.
Prints per language and overall: top-1, top-3, off-topic rejection, urgent recall, false-urgent rate,
and latency p50/p99 per query (in process, after a warm-up).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge.service import KnowledgeBase  # noqa: E402
from bot.paths import KNOWLEDGE_DIR  # noqa: E402


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} % ({part}/{whole})" if whole else "    – (0)"


def evaluate(
    kb: KnowledgeBase, rows: list[dict[str, object]], show_errors: bool
) -> dict[str, dict[str, int]]:
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        query, lang, expect = str(row["query"]), str(row["lang"]), row.get("expect")
        answer = kb.answer(query, interface=lang)
        ranked = [hit.topic for hit in answer.results]
        for key in (lang, "all"):
            s = stats[key]
            if row.get("urgent"):
                s["urgent"] += 1
                s["urgent_hit"] += answer.urgent is not None
            else:
                s["calm"] += 1
                s["false_urgent"] += answer.urgent is not None
            if expect is None:
                s["offtopic"] += 1
                s["rejected"] += not ranked and answer.urgent is None
            else:
                s["topical"] += 1
                s["top1"] += ranked[:1] == [expect]
                s["top3"] += expect in ranked[:3]
        if show_errors:
            wrong = (expect is None and (ranked or answer.urgent)) or (
                expect is not None and ranked[:1] != [expect]
            )
            wrong_urgency = bool(row.get("urgent")) != (answer.urgent is not None)
            if wrong or wrong_urgency:
                print(
                    f"  ✗ [{lang}] {query!r}: expected {expect} urgent={row.get('urgent')}; got {ranked} "
                    f"urgent={answer.urgent.id if answer.urgent else None}"
                )
    return stats


def latency(kb: KnowledgeBase, queries: list[str], rounds: int = 5) -> tuple[float, float]:
    for query in queries:  # warm-up: caches and lazy imports
        kb.answer(query)
    timings = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            kb.answer(query)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks/data/kb_test.jsonl")
    parser.add_argument("--errors", action="store_true", help="list every miss")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    kb = KnowledgeBase(KNOWLEDGE_DIR)
    stats = evaluate(kb, rows, args.errors)
    print(f"data: {args.data} ({len(rows)} queries), topics: {len(kb.content.topics)}")
    columns = ("top-1", "top-3", "off-topic rejected", "urgent recall", "false urgent")
    print(f"{'':5} " + " ".join(f"{c:>20}" if c.startswith("off") else f"{c:>18}" for c in columns))
    for key in ("ky", "ru", "all"):
        s = stats[key]
        print(
            f"{key:5} {percent(s['top1'], s['topical']):>18} {percent(s['top3'], s['topical']):>18} "
            f"{percent(s['rejected'], s['offtopic']):>20} {percent(s['urgent_hit'], s['urgent']):>18} "
            f"{percent(s['false_urgent'], s['calm']):>18}"
        )
    p50, p99 = latency(kb, [str(row["query"]) for row in rows])
    print(f"latency per query: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
