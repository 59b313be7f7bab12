"""Start-up cost of the knowledge base: CPU time to load it and the memory it keeps, side by side.

    python benchmarks/kb_load.py                                  # this checkout
    python benchmarks/kb_load.py --root /other/checkout [--root …] --runs 5

For each checkout, each run is a fresh process: "cold" builds everything (no build cache, or an empty
one), "cached" reads the build cache written by a previous start (bot/knowledge/cache.py; checkouts
without one show "–"). Printed: median CPU seconds of `KnowledgeBase(...)`, the memory it keeps
(tracemalloc, after garbage collection, in a separate run: tracing slows the build) and the peak RSS
of the process. Rounds interleave the checkouts, as the machine is noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = r"""
import gc, inspect, json, resource, sys, time, tracemalloc
from pathlib import Path
from bot.knowledge.service import KnowledgeBase
from bot.paths import KNOWLEDGE_DIR
cache, trace = sys.argv[1], sys.argv[2] == "trace"
kwargs = {}
if cache != "-":
    if "cache_dir" not in inspect.signature(KnowledgeBase).parameters:
        print(json.dumps({"unsupported": True}))
        raise SystemExit
    kwargs["cache_dir"] = Path(cache)
if trace:
    tracemalloc.start()
start = time.process_time()
kb = KnowledgeBase(KNOWLEDGE_DIR, **kwargs)
cpu = time.process_time() - start
gc.collect()
kept = tracemalloc.get_traced_memory()[0] if trace else 0
kb.answer("меня менты забрали")
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cpu": cpu, "kept": kept / 1e6, "rss": rss}))
"""


def probe(root: Path, cache: str, trace: bool) -> dict[str, float]:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, cache, "trace" if trace else "time"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, action="append", help="a checkout (default: this one)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    roots = args.root or [Path(__file__).resolve().parent.parent]
    results: dict[tuple[Path, str], dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        caches = {root: str(Path(tmp) / f"cache-{n}") for n, root in enumerate(roots)}
        for root in roots:  # writes each checkout's cache entry (a cold start does)
            probe(root, caches[root], trace=False)
        for _ in range(args.runs):
            for root in roots:
                for mode, cache in (("cold", "-"), ("cached", caches[root])):
                    timed = probe(root, cache, trace=False)
                    if timed.get("unsupported"):
                        continue
                    traced = probe(root, cache, trace=True)
                    into = results.setdefault((root, mode), {"cpu": [], "kept": [], "rss": []})
                    into["cpu"].append(timed["cpu"])
                    into["rss"].append(timed["rss"])
                    into["kept"].append(traced["kept"])
    print(f"{'checkout':<40} {'mode':<7} {'load CPU':>9} {'kept':>9} {'peak RSS':>9}")
    for root in roots:
        for mode in ("cold", "cached"):
            r = results.get((root, mode))
            if r is None:
                print(f"{str(root)[-40:]:<40} {mode:<7} {'–':>9}")
                continue
            cpu, kept, rss = (statistics.median(r[k]) for k in ("cpu", "kept", "rss"))
            print(f"{str(root)[-40:]:<40} {mode:<7} {cpu:8.2f}s {kept:7.1f}MB {rss:7.0f}MB")


if __name__ == "__main__":
    main()
