"""`python -m bot demo` runs the real bot against the simulator in a terminal, no token needed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.simulator.demo import button_number
from tests.e2e.harness import ROOT

pytestmark = pytest.mark.e2e


def demo(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        check=False,
    )


@pytest.mark.parametrize(("language", "expected"), [("ru", "Главное меню"), ("ky", "Башкы меню")])
def test_demo_script_in_both_languages(tmp_path: Path, language: str, expected: str) -> None:
    script = tmp_path / "script.txt"
    script.write_text("/help\n/settings\n/events\n/quit\n", encoding="utf-8")
    result = demo(["--language", language, "--script", str(script)], ROOT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stdout
    assert "[#1]" in result.stdout  # buttons are numbered for pressing
    assert "ҮЛГҮ" in result.stdout or "ОБРАЗЕЦ" in result.stdout  # the sample events are listed


def test_digits_are_text_and_hash_n_presses(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("/settings\n#1\n0555123456\n2\n#99\n", encoding="utf-8")
    result = demo(["--language", "ru", "--script", str(script)], tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    out = result.stdout
    after_press = out.split("👤 #1", 1)[1].split("👤 0555123456", 1)[0]
    assert "Выберите язык" in after_press  # #1 pressed the first settings button (language)
    after_phone = out.split("👤 0555123456", 1)[1].split("👤 2", 1)[0]
    assert "no such button" not in after_phone and "🤖" in after_phone  # the bot answered the text
    after_two = out.split("👤 2\n", 1)[1].split("👤 #99", 1)[0]
    assert "no such button" not in after_two and "🤖" in after_two
    assert "no such button" in out.split("👤 #99", 1)[1]
    assert [button_number(x) for x in ("#3", "# 2", "3", "0555123456", "#x", "#1 2")] == [3, 2, *[None] * 4]


def test_demo_never_touches_database_url_unless_asked(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("/settings\n", encoding="utf-8")
    production = tmp_path / "production.sqlite3"
    result = demo(["--script", str(script)], tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{production}")
    assert result.returncode == 0, result.stderr
    assert not production.exists()
    kept = tmp_path / "kept.sqlite3"
    result = demo(["--script", str(script), "--database", f"sqlite+aiosqlite:///{kept}"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert kept.exists() and not production.exists()


async def _interactive(tmp_path: Path) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "demo",
        "--language",
        "ru",
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    seen = b""
    async with asyncio.timeout(60):
        while not seen.rstrip().endswith("👤".encode()):  # the prompt, after /start and the language
            chunk = await process.stdout.read(4096)
            if not chunk:
                break
            seen += chunk
    assert "👤".encode() in seen, seen.decode(errors="replace")
    return process


async def test_ctrl_c_leaves_at_once_and_cleanly(tmp_path: Path) -> None:
    process = await _interactive(tmp_path)
    process.send_signal(signal.SIGINT)  # the first Ctrl+C, while the demo waits for a line
    async with asyncio.timeout(10):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert b"Traceback" not in err and b"Traceback" not in out
    assert "bye" in out.decode()


async def test_end_of_input_leaves_cleanly(tmp_path: Path) -> None:
    process = await _interactive(tmp_path)
    assert process.stdin is not None
    process.stdin.write(b"/help\n")
    await process.stdin.drain()
    process.stdin.close()  # Ctrl+D
    async with asyncio.timeout(20):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert b"Traceback" not in err
    assert "bye" in out.decode()
