"""`assert` is not control flow: `python -O` removes it. The foundation's modules have none."""

from __future__ import annotations

import ast

import pytest

from bot.paths import ROOT

FOUNDATION = [
    "bot/runners.py",
    "bot/config.py",
    "bot/cli.py",
    "bot/app.py",
    "bot/paths.py",
    "bot/middlewares/dedupe.py",
    "bot/middlewares/throttling.py",
    "bot/middlewares/users.py",
    "bot/storage/database.py",
    "bot/storage/migrate.py",
    "bot/simulator/demo.py",
]


@pytest.mark.parametrize("path", FOUNDATION)
def test_no_assert_statements(path: str) -> None:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    lines = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]
    assert not lines, f"{path}: assert on lines {lines}"
