"""Knowledge-base content: YAML files staff edit by hand, loaded into frozen objects and validated.

`load_content(dir)` raises ContentError listing every problem; `check(dir)` returns the problems. The
schema is documented in data/knowledge/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

LOCALES = ("ky", "ru")
REQUIRED_TOPICS = tuple(
    """
    eaeu_work_no_patent registration_ru stay_term_90_days job_change_15_days medical_exam_fingerprinting
    employment_contract self_employment_npd taxes_ndfl ruid_entry_app amina_app_moscow
    controlled_persons_registry entry_ban_check deportation_expulsion lost_passport_consulate
    passport_confiscated consulate_contacts driving_license diploma_recognition medical_insurance_oms
    children_school family_members pension_eaeu sick_leave_social_insurance workplace_injury wage_theft
    housing_rent human_trafficking police_document_check detention_rights torture_report
    how_to_complain_ombudsman_kg how_to_complain_ombudsman_ru joint_reception_what_is webinar_how_to_join
    personal_data_privacy international_human_rights_bodies kazakhstan_stay_work organized_recruitment_kg
    students_ru
    """.split()
)
MAX_SHORT = 700
MAX_DETAILS = 2500
MAX_CARD = 3500  # a rendered card (title, short, steps, footer) stays well under Telegram's 4096
_KY_MARKERS = re.compile(r"[ңөү]|\b(жана|менен|үчүн|эмес|керек|болот|мүмкүн)\b")


class ContentError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    title: str
    short: str
    steps: tuple[str, ...]
    details: str
    legal_basis: tuple[str, ...]
    caveats: tuple[str, ...]
    hints: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None
    site: str | None


@dataclass(frozen=True)
class Topic:
    id: str
    category: str
    reviewed: date
    sources_as_of: str
    related: tuple[str, ...]
    sources: tuple[Source, ...]
    texts: dict[str, Text]

    def text(self, locale: str) -> Text:
        return self.texts.get(locale) or self.texts["ru"]


@dataclass(frozen=True)
class Category:
    id: str
    emoji: str
    titles: dict[str, str]


@dataclass(frozen=True)
class UrgentText:
    title: str
    body: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class UrgentCard:
    id: str
    topic: str
    complaint_category: str
    triggers: tuple[re.Pattern[str], ...]
    texts: dict[str, UrgentText]


@dataclass(frozen=True)
class Content:
    categories: tuple[Category, ...]
    topics: dict[str, Topic]
    urgent: tuple[UrgentCard, ...]

    def in_category(self, category: str) -> list[Topic]:
        return [topic for topic in self.topics.values() if topic.category == category]


def check(directory: Path, today: date | None = None) -> list[str]:
    try:
        load_content(directory, today)
    except ContentError as exc:
        return exc.problems
    return []


def load_content(directory: Path, today: date | None = None) -> Content:
    problems: list[str] = []
    categories = _categories(directory / "categories.yaml", problems)
    topics: dict[str, Topic] = {}
    for path in sorted((directory / "topics").glob("*.yaml")):
        topic = _topic(path, problems, today or date.today())
        if topic is not None:
            topics[topic.id] = topic
    for missing in sorted(set(REQUIRED_TOPICS) - set(topics)):
        problems.append(f"topics/{missing}.yaml: required topic is missing")
    category_ids = {c.id for c in categories}
    for topic in topics.values():
        if topic.category not in category_ids:
            problems.append(f"topics/{topic.id}.yaml: unknown category {topic.category!r}")
        for other in topic.related:
            if other not in topics:
                problems.append(f"topics/{topic.id}.yaml: related topic {other!r} does not exist")
    urgent = _urgent(directory / "urgent.yaml", set(topics), problems)
    if problems:
        raise ContentError(problems)
    return Content(tuple(categories), topics, tuple(urgent))


def _read(path: Path, problems: list[str]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot read: {str(exc).splitlines()[0]}")
        return None


def _categories(path: Path, problems: list[str]) -> list[Category]:
    data = _read(path, problems)
    out = []
    for item in data or []:
        titles = {loc: str(item.get(loc) or "").strip() for loc in LOCALES}
        if not item.get("id") or not all(titles.values()):
            problems.append(f"categories.yaml: entry {item!r} needs id, ky and ru")
            continue
        out.append(Category(str(item["id"]), str(item.get("emoji", "")), titles))
    return out


def _strings(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    return tuple(str(v).strip() for v in value if str(v).strip())


def _topic(path: Path, problems: list[str], today: date) -> Topic | None:
    data = _read(path, problems)
    name = f"topics/{path.name}"
    if not isinstance(data, dict):
        problems.append(f"{name}: not a mapping") if data is not None else None
        return None
    if data.get("id") != path.stem:
        problems.append(f"{name}: id {data.get('id')!r} differs from the file name")
    reviewed = data.get("reviewed")
    if not isinstance(reviewed, date):
        problems.append(f"{name}: 'reviewed' must be a date (YYYY-MM-DD)")
        reviewed = date.min
    elif reviewed > today:
        problems.append(f"{name}: 'reviewed' {reviewed} is in the future")
    if not data.get("sources_as_of"):
        problems.append(f"{name}: 'sources_as_of' is missing")
    sources = []
    for source in data.get("sources") or []:
        if (
            not isinstance(source, dict)
            or not source.get("title")
            or not (source.get("url") or source.get("site"))
        ):
            problems.append(f"{name}: each source needs a title and a url or a site")
            continue
        url = source.get("url")
        if url and not str(url).startswith(("https://", "http://")):
            problems.append(f"{name}: source url {url!r} must start with https://")
        sources.append(Source(str(source["title"]), url and str(url), source.get("site")))
    if not sources:
        problems.append(f"{name}: no sources")
    texts = {}
    for locale in LOCALES:
        block = data.get(locale)
        if not isinstance(block, dict):
            problems.append(f"{name}: the {locale} text is missing")
            continue
        text = Text(
            title=str(block.get("title") or "").strip(),
            short=str(block.get("short") or "").strip(),
            steps=_strings(block.get("steps")),
            details=str(block.get("details") or "").strip(),
            legal_basis=_strings(block.get("legal_basis")),
            caveats=_strings(block.get("caveats")),
            hints=_strings(block.get("hints")),
        )
        _check_text(name, locale, text, problems)
        texts[locale] = text
    if len(texts) == 2 and texts["ky"].short == texts["ru"].short:
        problems.append(f"{name}: the ky answer is a copy of the ru one")
    if "ky" in texts:
        sample = " ".join((texts["ky"].title, texts["ky"].short, *texts["ky"].steps)).lower()
        if not _KY_MARKERS.search(sample):
            problems.append(f"{name}: the ky text does not look like Kyrgyz (no ң ө ү, no Kyrgyz words)")
    if "ru" in texts and "Киргиз" in " ".join((texts["ru"].title, texts["ru"].short, texts["ru"].details)):
        problems.append(f"{name}: Russian text must say «Кыргызстан», not «Киргизия»")
    return Topic(
        id=str(data.get("id") or path.stem),
        category=str(data.get("category") or ""),
        reviewed=reviewed,
        sources_as_of=str(data.get("sources_as_of") or ""),
        related=_strings(data.get("related")),
        sources=tuple(sources),
        texts=texts,
    )


def _check_text(name: str, locale: str, text: Text, problems: list[str]) -> None:
    for field in ("title", "short"):
        if not getattr(text, field):
            problems.append(f"{name}: {locale}.{field} is empty")
    if not text.steps:
        problems.append(f"{name}: {locale}.steps is empty")
    if not text.hints:
        problems.append(f"{name}: {locale}.hints is empty")
    if len(text.short) > MAX_SHORT:
        problems.append(f"{name}: {locale}.short has {len(text.short)} characters (max {MAX_SHORT})")
    if len(text.details) > MAX_DETAILS:
        problems.append(f"{name}: {locale}.details has {len(text.details)} characters (max {MAX_DETAILS})")
    card = len(text.title) + len(text.short) + sum(len(s) + 4 for s in text.steps)
    if card > MAX_CARD:
        problems.append(f"{name}: {locale} card is {card} characters (max {MAX_CARD})")


def _urgent(path: Path, topics: set[str], problems: list[str]) -> list[UrgentCard]:
    data = _read(path, problems)
    cards = []
    for item in data or []:
        card_id = item.get("id", "?")
        triggers = []
        for pattern in item.get("triggers") or []:
            try:
                triggers.append(re.compile(str(pattern)))
            except re.error as exc:
                problems.append(f"urgent.yaml: {card_id}: bad trigger {pattern!r}: {exc}")
        if not triggers:
            problems.append(f"urgent.yaml: {card_id}: no triggers")
        if item.get("topic") not in topics:
            problems.append(f"urgent.yaml: {card_id}: unknown topic {item.get('topic')!r}")
        texts = {}
        for locale in LOCALES:
            block = item.get(locale) or {}
            if not block.get("title") or not block.get("body") or not block.get("steps"):
                problems.append(f"urgent.yaml: {card_id}: {locale} needs title, body and steps")
                continue
            texts[locale] = UrgentText(
                str(block["title"]), str(block["body"]).strip(), _strings(block["steps"])
            )
        cards.append(
            UrgentCard(
                str(card_id),
                str(item.get("topic")),
                str(item.get("complaint_category") or ""),
                tuple(triggers),
                texts,
            )
        )
    return cards
