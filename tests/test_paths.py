"""Content is found in a checkout (top-level folders) and in an installed wheel (bot/_content)."""

from __future__ import annotations

from pathlib import Path

from bot.paths import LOCALES_DIR, ROOT, content_root


def test_checkout_folders_win_in_a_checkout(tmp_path: Path) -> None:
    checkout, bundled = tmp_path / "repo", tmp_path / "bundled"
    (checkout / "locales").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("")
    assert content_root(checkout, bundled) == checkout


def test_an_installed_package_uses_its_bundled_copy(tmp_path: Path) -> None:
    site_packages, bundled = tmp_path / "site-packages", tmp_path / "site-packages/bot/_content"
    (site_packages / "bot").mkdir(parents=True)
    assert content_root(site_packages, bundled) == bundled


def test_this_checkout() -> None:
    assert LOCALES_DIR == ROOT / "locales" and (LOCALES_DIR / "ky").is_dir()
