"""Content validation: the real knowledge base passes; every kind of mistake is reported."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.knowledge.content import REQUIRED_TOPICS, check, load_content, review_warnings
from bot.paths import KNOWLEDGE_DIR


def test_the_shipped_knowledge_base_is_valid_and_complete() -> None:
    assert check(KNOWLEDGE_DIR) == []
    content = load_content(KNOWLEDGE_DIR)
    assert set(REQUIRED_TOPICS) <= set(content.topics)
    assert len(REQUIRED_TOPICS) == 39
    for topic in content.topics.values():
        assert topic.sources and topic.reviewed <= date.today()
        for locale in ("ky", "ru"):
            assert topic.texts[locale].title and topic.texts[locale].short and topic.texts[locale].steps
    assert {card.id for card in content.urgent} >= {
        "detained",
        "violence",
        "passport_taken",
        "trafficking",
        "detention_centre_ill",
        "work_injury",
    }


def test_no_unverified_contacts_in_content() -> None:
    # shared/domain.md §2: no phone number was confirmed; the NCPT hotline may be dead since Oct 2025.
    text = "".join(p.read_text(encoding="utf-8") for p in KNOWLEDGE_DIR.rglob("*.yaml"))
    assert "554 999 222" not in text
    assert "Киргизия" not in text and "киргизский язык" not in text


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def edit(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(related=["no_such_topic"]), "related topic 'no_such_topic' does not exist"),
        (lambda d: d["ky"].update(short=d["ru"]["short"]), "copy of the ru one"),
        (lambda d: d["ru"].update(short="х" * 701), "ru.short: String should have at most 700 characters"),
        (lambda d: d.update(reviewed=date(2999, 1, 1)), "in the future"),
        (lambda d: d.update(sources=[]), "sources: List should have at least 1 item"),
        (
            lambda d: d.update(sources=[{"title": {"ky": "x", "ru": "x"}, "url": "example.org"}]),
            "sources.0.url: String should match pattern",
        ),
        (lambda d: d["sources"][0]["title"].pop("ky"), "sources.0.title.ky: Field required"),
        (lambda d: d["sources"][0].update(title="English only"), "sources.0.title: Input should be"),
        (lambda d: d["ru"].update(title=123), "ru.title: must be text, got int 123"),
        (lambda d: d.update(category="nope"), "unknown category 'nope'"),
        (lambda d: d["ky"].update(steps=[]), "ky.steps: List should have at least 1 item"),
        (lambda d: d.pop("ru"), "ru: Field required"),
        (
            lambda d: d["ru"]["steps"].append({"Запишите": "кто, когда"}),
            "must be text, but YAML read a mapping",
        ),
        (lambda d: d.update(related=["housing_rent", 5]), "related.1: must be text"),
        (
            lambda d: d["ky"].update(title="Work", short="Only English here", steps=["Do it"]),
            "does not look like Kyrgyz",
        ),
    ],
)
def test_each_mistake_is_reported(kb_copy: Path, change: Callable[[dict], None], expected: str) -> None:
    edit(kb_copy / "topics" / "wage_theft.yaml", change)
    problems = check(kb_copy)
    assert any(expected in p for p in problems), problems


def test_missing_topic_and_bad_urgent_trigger(kb_copy: Path) -> None:
    (kb_copy / "topics" / "housing_rent.yaml").unlink()
    urgent = kb_copy / "urgent.yaml"
    urgent.write_text(
        urgent.read_text(encoding="utf-8").replace("'\\bзадержал[аи]?\\b'", "'(unclosed'"), "utf-8"
    )
    problems = check(kb_copy)
    assert any("housing_rent.yaml: required topic is missing" in p for p in problems)
    assert any("bad trigger" in p for p in problems)
    assert any("'housing_rent' does not exist" in p for p in problems)  # related links are checked too


# --- mistakes found by the checks of this issue, with file and line ------------------------------------

WAGE = "topics/wage_theft.yaml"


def replace(path: Path, old: str, new: str) -> int:
    """Edit the file as text (keeping line numbers); return the 1-based line of the edit."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


RU_STEP = "    - Записывайте отработанные дни, размер зарплаты и полученные суммы."
KY_SHORT = "    Айлык айына кеминде эки жолу, мезгил бүткөндөн кийин 15 күндөн"
RU_SHORT = "    Зарплату должны платить не реже двух раз в месяц и не позднее 15 дней"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # a YAML list item with ": " is a mapping: shown to people as a Python dict before this issue
        (
            RU_STEP,
            "    - Запишите, пока помните: кто, когда, где.",
            "ru.steps.0: must be text, but YAML read a mapping",
        ),
        ("reviewed: 2026-11-23", "reviewed: 2026-02-30", "not a real date"),
        ("reviewed: 2026-11-23", "reviewed: 2999-01-01", "'reviewed' 2999-01-01 is in the future"),
        ("sources_as_of: 2023-06", "sources_as_of: 2023-13", "must be a year or a month YYYY-MM"),
        (RU_SHORT, RU_SHORT.replace("15 дней", "16 дней"), "numbers differ between ky and ru texts"),
        (
            KY_SHORT,
            KY_SHORT.replace("мезгил", "ombudsman.kg мезгил"),
            "web addresses differ between ky and ru",
        ),
        (
            RU_SHORT,
            RU_SHORT.replace("Зарплату", "Звоните на горячую линию 189. Зарплату"),
            "phone number '189'",
        ),
        (
            RU_SHORT,
            RU_SHORT.replace("Зарплату", "Тел. +7 999 123-45-67. Зарплату"),
            "phone number '79991234567'",
        ),
        (
            KY_SHORT,
            KY_SHORT.replace("Айлык", "«189» линиясына чалыңыз. Айлык"),
            "ky.short: phone number '189'",
        ),
        (
            RU_SHORT,
            RU_SHORT.replace("Зарплату", "См. migrate.kg. Зарплату"),
            "web address 'migrate.kg' is not in",
        ),
        (RU_SHORT, RU_SHORT.replace("Зарплату", "Т. Москалькова: зарплату"), "names an office holder"),
        ("category: work_rights", "category: work_rights\nextra_field: 1", "extra_field: unknown field"),
    ],
)
def test_kb_check_names_file_line_and_field(kb_copy: Path, old: str, new: str, expected: str) -> None:
    line = replace(kb_copy / WAGE, old, new)
    problems = check(kb_copy)
    matching = [p for p in problems if expected in p]
    assert matching, problems
    assert any(p.startswith(f"{WAGE}:") for p in matching), matching
    if "between ky and ru" not in expected and "not a real date" not in expected:
        # the line of the field's key (a folded `short: >-` starts one line above its text)
        lines = {f"{WAGE}:{n}:" for n in (line - 1, line, line + 1)}
        assert any(p.startswith(tuple(lines)) for p in matching), (line, matching)


def test_listed_contacts_and_shared_numbers_are_allowed(kb_copy: Path) -> None:
    # the shared emergency numbers may be named in any text; a topic's own contact too
    replace(kb_copy / WAGE, RU_SHORT, RU_SHORT.replace("Зарплату", "Полиция: звоните 102. Зарплату"))
    replace(kb_copy / WAGE, KY_SHORT, KY_SHORT.replace("Айлык", "Полиция: 102 номерине чалыңыз. Айлык"))
    assert check(kb_copy) == []


def test_urgent_card_mistakes_are_reported_with_lines(kb_copy: Path) -> None:
    urgent = kb_copy / "urgent.yaml"
    line = replace(
        urgent,
        '      - "Запишите, пока помните: кто, когда, где."',
        "      - Запишите, пока помните: кто, когда, где.",
    )
    replace(urgent, "  topic: detention_rights", "  topic: no_such_topic")  # another card
    problems = check(kb_copy)
    assert any(
        p.startswith(f"urgent.yaml:{line}:") and "must be text, but YAML read a mapping" in p
        for p in problems
    )
    assert any("unknown topic 'no_such_topic'" in p for p in problems)


def test_deny_list_is_data_and_covers_hints(kb_copy: Path) -> None:
    deny = kb_copy / "deny_names.yaml"
    deny.write_text(deny.read_text(encoding="utf-8") + "  - Айлыкбеков\n", encoding="utf-8")
    line = replace(kb_copy / WAGE, "    - айлык бербей жатат", "    - айлык бербей жатат\n    - Айлыкбеков")
    problems = check(kb_copy)
    assert any(p.startswith(f"{WAGE}:{line + 1}:") and "office holder" in p for p in problems), problems


def test_source_without_a_place_and_contact_without_a_listed_source(kb_copy: Path) -> None:
    contacts = kb_copy / "contacts.yaml"
    replace(contacts, "    source: https://ombudsmanrf.org", "    source: https://example.org")
    replace(
        kb_copy / WAGE,
        "  - url: https://trudovoy-yurist.ru/obrazets/zhaloba-v-trudovuyu-inspektsiyu-zarplate\n",
        "  - secondary: false\n",
    )
    problems = check(kb_copy)
    assert any(
        "contacts.yaml:" in p and "'https://example.org' is not one of the listed sources" in p
        for p in problems
    )
    assert any(p.startswith(f"{WAGE}:") and "a source needs a url or a site" in p for p in problems)


def test_due_for_review_is_a_warning_not_a_failure(kb_copy: Path) -> None:
    replace(kb_copy / WAGE, "sources_as_of: 2023-06", "sources_as_of: 2023-06\nvalid_until: 2026-07-01")
    content = load_content(kb_copy, today=date(2026, 12, 1))
    warnings = review_warnings(content)
    (wage,) = [w for w in warnings if "wage_theft" in w]
    assert "older than two years" in wage and "dated fact passed on 2026-07-01" in wage
    replace(kb_copy / WAGE, "sources_as_of: 2023-06\nvalid_until: 2026-07-01", "sources_as_of: 2026-01")
    fresh = load_content(kb_copy, today=date(2026, 12, 1))
    assert not fresh.topics["wage_theft"].review_due


def test_shipped_dated_facts_and_emergency_numbers() -> None:
    content = load_content(KNOWLEDGE_DIR, today=date(2026, 12, 1))
    # RuID: "mandatory from 1 July 2026" was a draft; that date has passed, so the topic asks for review
    assert "dated_fact" in content.topics["ruid_entry_app"].review_due
    numbers = {c.country: [n.number for n in c.numbers] for c in content.emergency}
    assert numbers == {"ru": ["112", "102", "103"], "kz": ["112", "102", "103"]}
    assert all(c.sources and all(s.url for s in c.sources) for c in content.emergency)
    assert [c.country for c in content.emergency_for("kz")] == ["kz"]
    assert [c.country for c in content.emergency_for(None)] == ["ru", "kz"]
    ids = {card.id for card in content.urgent}
    assert {"threatened", "sexual_violence", "domestic_violence"} <= ids
    for topic in content.topics.values():
        for source in topic.sources:
            assert source.title("ky") != source.title("ru")  # translated, not copied


def test_the_corrected_facts_stay_corrected() -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in KNOWLEDGE_DIR.rglob("*.yaml"))
    assert "1996" not in (KNOWLEDGE_DIR / "topics" / "torture_report.yaml").read_text(encoding="utf-8")
    assert "189" not in (KNOWLEDGE_DIR / "topics" / "human_trafficking.yaml").read_text(encoding="utf-8")
    assert "migrate.kg" not in text and "arbatcredit" not in text


def test_urgent_cards_use_real_complaint_categories() -> None:
    from bot.complaints.models import CATEGORIES

    for card in load_content(KNOWLEDGE_DIR).urgent:
        assert card.complaint_category in CATEGORIES, card.id
