"""Search quality and latency of the knowledge base on every labelled JSONL set.

    python benchmarks/kb_eval.py                         # every set found (aggregate figures only)
    python benchmarks/kb_eval.py --data FILE [--errors]  # one set; --errors lists misses (dev sets only)

Line format: {"query", "lang": "ky"|"ru", "expect": topic id or null, "urgent": bool, "kind", "situation"};
kind is topic | calm | emergency | unrelated | unrelated_shared (older sets without "kind": derived from
expect/urgent). Figures per set:
  topic top-1 / top-3 per language  (kinds topic and calm, with an expected topic)
  unrelated refused, unrelated_shared refused  (no topic and no urgent card)
  emergencies recognised (urgent card shown, sure or unsure; also "sure" only), per situation misses
  false emergencies on calm + topic questions
  latency p50 / p99 per query (in process, after a warm-up)

The blind test sets must never be looked at question by question: --errors refuses to run on them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.knowledge.service import KnowledgeBase  # noqa: E402
from bot.paths import KNOWLEDGE_DIR  # noqa: E402

BLIND_TEST = Path(os.environ.get("KB_BLIND_TEST", ROOT / "benchmarks/data/kb_blind.jsonl"))
# Written 2026-12-01 by two more blind writers after the last change it measures (444 questions); frozen.
BLIND_TEST_2 = ROOT / "benchmarks/data/kb_blind_2.jsonl"
FROZEN = (BLIND_TEST, BLIND_TEST_2)
SETS = {
    "old test": ROOT / "benchmarks/data/kb_test.jsonl",
    "old dev": ROOT / "benchmarks/data/kb_dev.jsonl",
    "blind dev": ROOT / "benchmarks/data/kb_dev_blind.jsonl",
    "blind test": BLIND_TEST,
    "blind test 2": BLIND_TEST_2,
}


def kind_of(row: dict[str, object]) -> str:
    if row.get("kind"):
        return str(row["kind"])
    if row.get("urgent"):
        return "emergency"
    return "topic" if row.get("expect") else "unrelated"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} % ({part}/{whole})" if whole else "    –"


def evaluate(kb: KnowledgeBase, rows: list[dict[str, object]], show_errors: bool) -> dict[str, Counter[str]]:
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        query, lang, expect, kind = str(row["query"]), str(row["lang"]), row.get("expect"), kind_of(row)
        answer = kb.answer(query, interface=lang)
        ranked = [hit.topic for hit in answer.results]
        alarm = answer.urgent is not None
        wrong = False
        for key in (lang, "all"):
            s = stats[key]
            if kind in ("topic", "calm") and expect:
                s["topical"] += 1
                s["top1"] += ranked[:1] == [expect]
                s["top3"] += expect in ranked[:3]
                s["calm"] += 1
                s["false_urgent"] += alarm
                wrong = ranked[:1] != [expect] or alarm
            elif kind in ("unrelated", "unrelated_shared"):
                s[kind] += 1
                s[f"{kind}_refused"] += not ranked and not alarm
                s["calm"] += 1
                s["false_urgent"] += alarm
                wrong = bool(ranked) or alarm
            elif kind == "emergency":
                s["urgent"] += 1
                s["urgent_hit"] += alarm
                s["urgent_sure"] += answer.urgent_sure
                wrong = not alarm
                if not alarm and key == "all":
                    s[f"missed:{row.get('situation') or '?'}"] += 1
        if show_errors and wrong:
            print(
                f"  ✗ [{lang}/{kind}] {query!r}: expected {expect} urgent={row.get('urgent')}; got {ranked} "
                f"urgent={answer.urgent.id if answer.urgent else None}"
                f"{'' if answer.urgent_sure or not alarm else ' (unsure)'}"
            )
    return stats


def latency(kb: KnowledgeBase, queries: list[str], rounds: int = 3) -> dict[str, tuple[float, float]]:
    """p50/p99 in ms: wall clock, and this thread's CPU time (the machine may be shared and loaded)."""
    for query in queries:  # warm-up: caches and lazy imports
        kb.answer(query)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        for query in queries:
            start, start_cpu = time.perf_counter(), time.thread_time()
            kb.answer(query)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
    out = {}
    for name, timings in (("wall", wall), ("cpu", cpu)):
        timings.sort()
        out[name] = (statistics.median(timings), timings[max(int(len(timings) * 0.99) - 1, 0)])
    return out


def report(name: str, path: Path, kb: KnowledgeBase, show_errors: bool) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats = evaluate(kb, rows, show_errors)
    print(f"== {name}: {path.name} ({len(rows)} queries)")
    for lang in ("ky", "ru", "all"):
        s = stats[lang]
        print(
            f"  {lang:3} top-1 {percent(s['top1'], s['topical']):>18}"
            f"  top-3 {percent(s['top3'], s['topical']):>18}"
            f"  unrelated refused {percent(s['unrelated_refused'], s['unrelated']):>16}"
            f"  shared refused {percent(s['unrelated_shared_refused'], s['unrelated_shared']):>16}"
        )
        print(
            f"      emergencies {percent(s['urgent_hit'], s['urgent']):>16}"
            f" (sure {percent(s['urgent_sure'], s['urgent'])})"
            f"  false emergencies {percent(s['false_urgent'], s['calm']):>16}"
        )
    missed = {k.split(":", 1)[1]: v for k, v in stats["all"].items() if k.startswith("missed:")}
    if missed:
        print(
            "  emergencies missed by situation: " + ", ".join(f"{k} {v}" for k, v in sorted(missed.items()))
        )
    timings = latency(kb, [str(row["query"]) for row in rows])
    print(
        "  latency per query: "
        + "; ".join(f"{name} p50 {p50:.2f} ms, p99 {p99:.2f} ms" for name, (p50, p99) in timings.items())
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, help="one set instead of all of them")
    parser.add_argument(
        "--errors", action="store_true", help="list every miss (not allowed on the blind test)"
    )
    args = parser.parse_args()
    if args.errors and (args.data is None or args.data.resolve() in {f.resolve() for f in FROZEN}):
        parser.error("--errors needs --data with a development set (the blind test is aggregate only)")
    started = time.perf_counter()
    kb = KnowledgeBase(KNOWLEDGE_DIR)
    print(f"knowledge base: {len(kb.content.topics)} topics, loaded in {time.perf_counter() - started:.2f} s")
    sets = {"data": args.data} if args.data else SETS
    for name, path in sets.items():
        if path.exists():
            report(name, path, kb, args.errors)
        else:
            print(f"== {name}: {path} not found, skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
