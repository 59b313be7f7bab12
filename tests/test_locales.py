"""Both languages are first class: same messages, same variables, valid Fluent, real Kyrgyz."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.i18n import Translator
from bot.paths import LOCALES_DIR, ROOT

KYRGYZ_LETTERS = re.compile("[ңөүҢӨҮ]")


def _resources(locale: str) -> dict[str, ast.Resource]:
    parser = FluentParser()
    return {
        path.name: parser.parse(path.read_text(encoding="utf-8"))
        for path in sorted((LOCALES_DIR / locale).glob("**/*.ftl"))
    }


def _entries(locale: str) -> dict[str, ast.Message | ast.Term]:
    out: dict[str, ast.Message | ast.Term] = {}
    for resource in _resources(locale).values():
        for entry in resource.body:
            if isinstance(entry, (ast.Message, ast.Term)):
                key = ("-" if isinstance(entry, ast.Term) else "") + entry.id.name
                assert key not in out, f"{locale}: {key} defined twice"
                out[key] = entry
    return out


class _Collector(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.selects: list[ast.SelectExpression] = []

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.variables.add(node.id.name)
        self.generic_visit(node)

    def visit_SelectExpression(self, node: ast.SelectExpression) -> None:
        self.selects.append(node)
        self.generic_visit(node)


def _collect(entry: ast.Message | ast.Term) -> _Collector:
    collector = _Collector()
    collector.visit(entry)
    return collector


def test_same_files_in_both_locales() -> None:
    assert sorted(_resources("ky")) == sorted(_resources("ru"))


@pytest.mark.parametrize("locale", ["ky", "ru"])
def test_no_syntax_errors(locale: str) -> None:
    for name, resource in _resources(locale).items():
        junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
        assert not junk, (
            f"{locale}/{name}: {[j.annotations[0].message for j in junk]} in {junk[0].content[:80]!r}"
        )


def test_same_message_ids() -> None:
    ky, ru = set(_entries("ky")), set(_entries("ru"))
    assert ky - ru == set(), "only in ky"
    assert ru - ky == set(), "only in ru"


def test_same_variables_per_message() -> None:
    ky, ru = _entries("ky"), _entries("ru")
    for key in ky:
        assert _collect(ky[key]).variables == _collect(ru[key]).variables, key


@pytest.mark.parametrize("locale", ["ky", "ru"])
def test_plural_selects_cover_cldr_categories(locale: str) -> None:
    categories = set(Locale.parse(locale).plural_form.tags) | {"other"}
    for key, entry in _entries(locale).items():
        for select in _collect(entry).selects:
            names = {v.key.name for v in select.variants if isinstance(v.key, ast.Identifier)}
            if names & {"one", "few", "many"}:  # a plural select (others select on strings)
                assert categories <= names, f"{locale}:{key} lacks {categories - names}"


def test_kyrgyz_is_kyrgyz_and_russian_says_kyrgyzstan() -> None:
    ky_text = "\n".join(path.read_text(encoding="utf-8") for path in (LOCALES_DIR / "ky").glob("**/*.ftl"))
    ru_text = "\n".join(path.read_text(encoding="utf-8") for path in (LOCALES_DIR / "ru").glob("**/*.ftl"))
    assert len(KYRGYZ_LETTERS.findall(ky_text)) > len(ky_text) / 200, "Kyrgyz files contain too few ң ө ү"
    assert not re.search(r"[Кк]иргиз", ru_text), "use «Кыргызстан», not «Киргизия»"
    ky, ru = _entries("ky"), _entries("ru")
    # Identical long texts mean a copy, not a translation.
    same = [k for k in ky if k in ru and _text(ky[k]) == _text(ru[k]) and len(_text(ky[k])) > 40]
    assert not same, f"identical ky/ru texts: {same}"


def _text(entry: ast.Message | ast.Term) -> str:
    if entry.value is None:
        return ""
    return "".join(e.value for e in entry.value.elements if isinstance(e, ast.TextElement))


def test_output_has_no_isolation_marks_and_resolves_locales() -> None:
    t = Translator.load(LOCALES_DIR)
    for locale in ("ky", "ru"):
        text = t(locale, "settings-title", language="x", notify="yes", city="y")
        assert "\u2068" not in text and "\u2069" not in text
    assert t("ky", "lang-name-ky") == "кыргызча"


def test_user_text_is_escaped() -> None:
    t = Translator.load(LOCALES_DIR)
    text = t("ru", "settings-title", language="<b>x</b> & y", notify="no", city="c")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in text


def test_every_key_used_in_code_exists() -> None:
    keys = set(_entries("ru"))
    pattern = re.compile(r"""\bt\(\s*[\w.]+\s*,\s*["']([a-z][a-z0-9-]+)["']""")
    missing = []
    for path in (ROOT / "bot").rglob("*.py"):
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            if key not in keys:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert not missing, missing


def test_no_user_facing_russian_or_kyrgyz_in_python() -> None:
    # Cyrillic belongs in locales/ (and in data/); code may hold it only in comments/docstrings
    # or in language-detection word lists, which live in bot/knowledge.
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        if "knowledge" in path.parts or "simulator" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if (
                re.search(r"""["'][^"']*[А-Яа-яЁёҢңӨөҮү][^"']*["']""", code)
                and "Кыргызча" not in code
                and "Русский" not in code
                and '"""' not in line
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders


def test_locale_dirs_exist() -> None:
    assert Path(LOCALES_DIR / "ky").is_dir() and Path(LOCALES_DIR / "ru").is_dir()
