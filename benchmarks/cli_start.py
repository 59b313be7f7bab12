"""Start-up time of CLI commands (the container health check has a 10 s time-out).

    python benchmarks/cli_start.py                  # this checkout
    python benchmarks/cli_start.py --root /path/to/other/checkout --runs 3

Each command runs as a fresh process (median of --runs); also shown: whether aiogram was imported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = [["--help"], ["health"], ["kb", "--help"], ["kb", "check"]]
PROBE = (
    "import runpy, sys\n"
    "sys.argv = ['bot', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('bot', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('AIOGRAM_IMPORTED' if 'aiogram' in sys.modules else 'AIOGRAM_NOT_IMPORTED', file=sys.stderr)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as state:
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(args.root), "STATE_DIR": state}
        print(f"checkout: {args.root}")
        for command in COMMANDS:
            times, aiogram = [], "?"
            for _ in range(args.runs):
                start = time.perf_counter()
                result = subprocess.run(
                    [sys.executable, "-c", PROBE, *command],
                    env=env,
                    cwd=state,
                    capture_output=True,
                    text=True,
                )
                times.append(time.perf_counter() - start)
                aiogram = "aiogram imported" if "AIOGRAM_IMPORTED" in result.stderr else "no aiogram"
            label = "python -m bot " + " ".join(command)
            print(f"{label:<32} {statistics.median(times):6.2f} s  ({aiogram})")


if __name__ == "__main__":
    main()
