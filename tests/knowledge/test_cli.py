"""The `python -m bot kb` contract used by content reviewers and by the evaluation."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.paths import KNOWLEDGE_DIR

ROOT = Path(__file__).resolve().parents[2]
# One build cache for the CLI runs of this test session: the first trains, the others read it.
CACHE = Path(tempfile.mkdtemp(prefix="kb-cli-cache-"))
atexit.register(shutil.rmtree, CACHE, ignore_errors=True)


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "kb", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(ROOT),
            "KB_CACHE_DIR": str(CACHE),
            **(env or {}),
        },
        check=False,
    )


def test_search_json_lines_from_stdin() -> None:
    result = run("search", "--json", "-", stdin="patent kerekpi\nменя задержали\nспасибо\n\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["patent kerekpi", "меня задержали", "спасибо"]
    assert lines[0]["lang"] == "ky" and lines[0]["results"][0]["id"] == "eaeu_work_no_patent"
    assert isinstance(lines[0]["results"][0]["score"], float)
    assert lines[1]["lang"] == "ru" and lines[1]["urgent"] is True
    assert lines[1]["results"][0]["id"] == "detention_rights"
    assert lines[2]["results"] == [] and lines[2]["urgent"] is False


def test_search_human_readable_with_limit_and_language() -> None:
    result = run("search", "--lang", "ky", "--limit", "1", "не", "платят", "зарплату")
    assert result.returncode == 0
    assert "1. wage_theft" in result.stdout and "Айлык төлөнбөй жатат" in result.stdout
    assert "\n2. " not in result.stdout


def test_check_passes_on_shipped_content_and_fails_listing_problems(tmp_path: Path) -> None:
    assert run("check").returncode == 0
    broken = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, broken)
    (broken / "topics" / "taxes_ndfl.yaml").unlink()
    (broken / "topics" / "wage_theft.yaml").write_text("id: wage_theft\n", encoding="utf-8")
    result = run("check", env={"KNOWLEDGE_DIR": str(broken)})
    assert result.returncode == 1
    assert "taxes_ndfl.yaml: required topic is missing" in result.stderr
    assert "wage_theft.yaml:1: ky: Field required" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_lists_topics_due_for_review_as_a_warning(tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy)
    topic = copy / "topics" / "taxes_ndfl.yaml"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace("\nrelated:", "\nvalid_until: 2000-01-01\nrelated:", 1), encoding="utf-8")
    result = run("check", env={"KNOWLEDGE_DIR": str(copy)})
    assert result.returncode == 0, result.stderr  # a warning, not a failure
    assert "due for review" in result.stdout
    assert "topics/taxes_ndfl.yaml: due for review: a dated fact passed on 2000-01-01" in result.stdout


def test_check_reports_a_mapping_in_a_list_with_its_line(tmp_path: Path) -> None:
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy)
    urgent = copy / "urgent.yaml"
    text = urgent.read_text(encoding="utf-8")
    quoted = '      - "Запишите, пока помните: кто, когда, где."'
    line = text[: text.index(quoted)].count("\n") + 1
    urgent.write_text(
        text.replace(quoted, "      - Запишите, пока помните: кто, когда, где."), encoding="utf-8"
    )
    result = run("check", env={"KNOWLEDGE_DIR": str(copy)})
    assert result.returncode == 1
    assert (
        f"urgent.yaml:{line}:" in result.stderr and "must be text, but YAML read a mapping" in result.stderr
    )


def test_a_search_without_a_configured_cache_leaves_nothing_in_the_current_folder(tmp_path: Path) -> None:
    home = tmp_path / "cache-home"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "search", "--json", "patent kerekpi"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(home)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache-home"]  # no "state" folder here
    assert list((home / "migrant-bot").glob("knowledge-*.bin"))
