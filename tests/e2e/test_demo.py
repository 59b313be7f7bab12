"""`python -m bot demo` runs the real bot against the simulator in a terminal, no token needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import ROOT

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("language", "expected"), [("ru", "Главное меню"), ("ky", "Башкы меню")])
def test_demo_script_in_both_languages(tmp_path: Path, language: str, expected: str) -> None:
    script = tmp_path / "script.txt"
    script.write_text("/help\n/settings\n/events\n/quit\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "--language", language, "--script", str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stdout
    assert "[1]" in result.stdout  # buttons are numbered for pressing
    assert "ҮЛГҮ" in result.stdout or "ОБРАЗЕЦ" in result.stdout  # the sample events are listed
