"""Knowledge-base content: YAML files staff edit by hand, checked by a typed schema, loaded as frozen objects.

`load_content(dir)` raises ContentError listing every problem (file, line, field); `check(dir)` returns the
problems; `review_warnings(content)` lists topics due for review (a warning, not a failure). The schema is
documented in data/knowledge/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

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
# Sources older than this are due for review (the issue: "older than two years").
SOURCES_MAX_AGE_DAYS = 2 * 365
_KY_MARKERS = re.compile(r"[ңөү]|\b(жана|менен|үчүн|эмес|керек|болот|мүмкүн)\b")

# --- what a text may not contain unless a contacts/sources entry lists it --------------------------
# Web addresses: with a scheme, or a bare host with a known top-level domain ("ombudsman.kg").
_URL = re.compile(
    r"(?:https?://[^\s<>«»()]+)|(?<![\w@.])(?:[a-z0-9-]+\.)+(?:kg|ru|kz|org|com|net|uz|ua|info|media|рф)\b"
    r"(?:/[^\s<>«»()]*)?",
    re.IGNORECASE,
)
# Phone numbers: international (+7…, +996…), Russian 8-800 style, or a short number right after a phone word.
_PHONE = re.compile(
    r"\+\d[\d \-()]{6,}\d"
    r"|\b8[ \-]?\(?\d{3}\)?[ \-]?\d{3}[ \-]?\d{2}[ \-]?\d{2}\b"
    r"|(?:телефон\w*|номер\w*|номур\w*|горяч\w+ лини\w*|линия\w*|линиясы\w*|звонит\w*|позвонит\w*|"
    r"звоните|чалыңыз|чалуу\w*|hotline)\D{0,12}?(\d{2,4})\b"
    # Kyrgyz puts the number first: «189 линиясы», «102 номерине чалыңыз»
    r"|\b(\d{2,4})\W{0,3}(?:номер\w*|линия\w*|линиясы\w*|телефон\w*)",
    re.IGNORECASE,
)
OLD_SOURCES, DATED_FACT = "old_sources", "dated_fact"
_NUMBER = re.compile(r"\d+(?:[  ]\d{3})*(?:[.,]\d+)?")


class ContentError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# ------------------------------------------------------------------------------------------------
# Frozen objects the bot uses (search, render, keyboards).


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
    titles: dict[str, str]
    url: str | None
    site: str | None
    secondary: bool = False

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles["ru"]

    @property
    def label(self) -> str:
        """Host shown to the reader: the site, or the URL's host."""
        return self.site or _host(self.url or "")


@dataclass(frozen=True)
class Contact:
    value: str
    labels: dict[str, str]
    source: str


@dataclass(frozen=True)
class Topic:
    id: str
    category: str
    reviewed: date
    sources_as_of: str
    related: tuple[str, ...]
    sources: tuple[Source, ...]
    texts: dict[str, Text]
    contacts: tuple[Contact, ...] = ()
    valid_until: date | None = None
    emergency: bool = False  # the card shows the emergency numbers (someone may need them now)
    review_due: tuple[str, ...] = ()  # why it is due for review: OLD_SOURCES, DATED_FACT; empty: it is not

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
class EmergencyNumber:
    number: str
    labels: dict[str, str]


@dataclass(frozen=True)
class EmergencyCountry:
    country: str  # ru, kz: the codes of bot/places.py
    names: dict[str, str]
    numbers: tuple[EmergencyNumber, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Content:
    categories: tuple[Category, ...]
    topics: dict[str, Topic]
    urgent: tuple[UrgentCard, ...]
    emergency: tuple[EmergencyCountry, ...] = ()

    def in_category(self, category: str) -> list[Topic]:
        return [topic for topic in self.topics.values() if topic.category == category]

    def emergency_for(self, country: str | None) -> tuple[EmergencyCountry, ...]:
        """The person's country's numbers; all countries (each labelled) when the country is unknown."""
        mine = tuple(e for e in self.emergency if e.country == country)
        return mine or self.emergency


# ------------------------------------------------------------------------------------------------
# The schema (pydantic v2): strict types, so a YAML mapping where a text is expected fails.

Str = Annotated[str, StringConstraints(strip_whitespace=True)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


def _year_month(value: Any) -> Any:
    """`sources_as_of`: 2026, 2026-03 or a full date; kept as text for display, checked as a real month."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", value.strip())
        if not match or not 1 <= int(match.group(2) or 1) <= 12:
            raise ValueError(f"must be a year or a month YYYY-MM, got {value!r}")
        return value.strip()
    raise ValueError(f"must be a year, a month YYYY-MM or a date, got {value!r}")


AsOf = Annotated[str, BeforeValidator(_year_month)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Localized(_Model):
    ky: NonEmpty
    ru: NonEmpty


class SourceModel(_Model):
    url: Url | None = None
    site: NonEmpty | None = None
    title: Localized
    secondary: bool = False  # an aggregator or a copy, not the author of the fact: the reader is told

    @model_validator(mode="after")
    def _where(self) -> SourceModel:
        if not (self.url or self.site):
            raise ValueError("a source needs a url or a site")
        return self


class ContactModel(_Model):
    value: NonEmpty  # a phone number or a web address that texts of this topic may name
    label: Localized
    source: NonEmpty  # url or site of one of the topic's sources that shows it


class TopicText(_Model):
    title: NonEmpty
    short: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_SHORT)]
    steps: list[NonEmpty] = Field(min_length=1)
    details: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_DETAILS)] = ""
    legal_basis: list[NonEmpty] = []
    caveats: list[NonEmpty] = []
    hints: list[NonEmpty] = Field(min_length=1)


class TopicModel(_Model):
    id: Id
    category: Id
    reviewed: date  # a person checked the texts claim by claim against the sources on this day
    sources_as_of: AsOf  # how recent the newest source is
    valid_until: date | None = None  # a dated fact (a deadline, a draft's start date) passes on this day
    emergency: bool = False
    related: list[Id] = []
    sources: list[SourceModel] = Field(min_length=1)
    contacts: list[ContactModel] = []
    ky: TopicText
    ru: TopicText


class CategoryModel(_Model):
    id: Id
    emoji: str = ""
    ky: NonEmpty
    ru: NonEmpty


class UrgentTextModel(_Model):
    title: NonEmpty
    body: NonEmpty
    steps: list[NonEmpty] = Field(min_length=1)


class UrgentModel(_Model):
    id: Id
    topic: Id
    complaint_category: Id
    triggers: list[NonEmpty] = []  # the search helper's detector may also name cards by id
    ky: UrgentTextModel
    ru: UrgentTextModel


class EmergencyNumberModel(_Model):
    number: Annotated[str, StringConstraints(pattern=r"^\d{2,4}$")]
    label: Localized


class EmergencyModel(_Model):
    country: Literal["ru", "kz", "kg"]
    name: Localized
    numbers: list[EmergencyNumberModel] = Field(min_length=1)
    sources: list[SourceModel] = Field(min_length=1)


class ContactsModel(_Model):
    emergency: list[EmergencyModel] = Field(min_length=1)
    channels: list[ContactModel] = []  # official channels any text may name (domain.md §2)
    sources: list[SourceModel] = Field(min_length=1)  # where the channels were seen


class DenyListModel(_Model):
    office_holders: list[NonEmpty] = Field(min_length=1)


# ------------------------------------------------------------------------------------------------
# YAML with line numbers.


class _Doc:
    """A parsed YAML file and the line of every node, so that problems name file, line and field."""

    def __init__(self, name: str, data: Any, lines: dict[tuple[Any, ...], int]) -> None:
        self.name, self.data, self._lines = name, data, lines

    def line(self, loc: Iterable[Any]) -> int:
        path = tuple(loc)
        while path and path not in self._lines:
            path = path[:-1]
        return self._lines.get(path, 1)

    def where(self, loc: Iterable[Any]) -> str:
        loc = tuple(loc)
        field = ".".join(str(part) for part in loc) or "(file)"
        return f"{self.name}:{self.line(loc)}: {field}"


def _node_lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*path, key.value)] = key.start_mark.line + 1
            _node_lines(value, (*path, key.value), out)
            out[(*path, key.value)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _node_lines(item, (*path, index), out)


def _read(path: Path, name: str, problems: list[str]) -> _Doc | None:
    try:
        loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except OSError as exc:
        problems.append(f"{name}: cannot read: {exc}")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problems.append(f"{name}{line}: not valid YAML: {str(exc).splitlines()[0]}")
        return None
    except ValueError as exc:  # e.g. a date such as 2026-02-30: YAML reads it as a date and fails
        problems.append(f"{name}: not a real date or number: {exc}")
        return None
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _node_lines(node, (), lines)
    return _Doc(name, data, lines)


def _validate(model: type[_Model], doc: _Doc, data: Any, base: tuple[Any, ...], problems: list[str]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = (*base, *error["loc"])
            problems.append(f"{doc.where(loc)}: {_explain(error)}")
        return None


def _explain(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "string_type" and isinstance(value, dict):
        return (
            f"must be text, but YAML read a mapping {value!r} (a ': ' inside an unquoted item): "
            "put the item in quotes"
        )
    if kind == "string_type":
        return f"must be text, got {type(value).__name__} {value!r}"
    if kind == "date_type":
        return f"must be a real date YYYY-MM-DD, got {value!r}"
    if kind == "extra_forbidden":
        return "unknown field (a typo?)"
    return str(error["msg"])


# ------------------------------------------------------------------------------------------------
# Loading.


def check(directory: Path, today: date | None = None) -> list[str]:
    try:
        load_content(directory, today)
    except ContentError as exc:
        return exc.problems
    return []


def review_warnings(content: Content) -> list[str]:
    out = []
    for topic in content.topics.values():
        reasons = []
        if OLD_SOURCES in topic.review_due:
            reasons.append(f"sources as of {topic.sources_as_of} are older than two years")
        if DATED_FACT in topic.review_due:
            reasons.append(f"a dated fact passed on {topic.valid_until}")
        if reasons:
            out.append(f"topics/{topic.id}.yaml: due for review: {'; '.join(reasons)}")
    return out


def load_content(directory: Path, today: date | None = None) -> Content:
    today = today or date.today()
    problems: list[str] = []
    deny = _deny_list(directory / "deny_names.yaml", problems)
    shared = _shared(directory / "contacts.yaml", problems)
    emergency, channels = shared if shared else ((), ())
    allowed_shared = _allowed(channels, (), emergency)
    categories = _categories(directory / "categories.yaml", problems)
    topics: dict[str, Topic] = {}
    files = sorted((directory / "topics").glob("*.yaml"))
    for path in files:
        topic = _topic(path, problems, today, deny, allowed_shared)
        if topic is not None:
            topics[topic.id] = topic
    present = {path.stem for path in files}  # a file with mistakes is reported for them, not as missing
    for missing in sorted(set(REQUIRED_TOPICS) - present):
        problems.append(f"topics/{missing}.yaml: required topic is missing")
    category_ids = {c.id for c in categories}
    for topic in topics.values():
        if topic.category not in category_ids:
            problems.append(f"topics/{topic.id}.yaml: unknown category {topic.category!r}")
        for other in topic.related:
            if other not in present:
                problems.append(f"topics/{topic.id}.yaml: related topic {other!r} does not exist")
    urgent = _urgent(directory / "urgent.yaml", topics, present, problems, deny, allowed_shared)
    if problems:
        raise ContentError(problems)
    return Content(tuple(categories), topics, tuple(urgent), tuple(emergency))


def _deny_list(path: Path, problems: list[str]) -> tuple[str, ...]:
    doc = _read(path, "deny_names.yaml", problems)
    if doc is None:
        return ()
    model = _validate(DenyListModel, doc, doc.data, (), problems)
    return tuple(name.lower() for name in model.office_holders) if model else ()


def _source(model: SourceModel) -> Source:
    return Source({"ky": model.title.ky, "ru": model.title.ru}, model.url, model.site, model.secondary)


def _shared(
    path: Path, problems: list[str]
) -> tuple[tuple[EmergencyCountry, ...], tuple[Contact, ...]] | None:
    doc = _read(path, "contacts.yaml", problems)
    if doc is None:
        return None
    model = _validate(ContactsModel, doc, doc.data, (), problems)
    if model is None:
        return None
    emergency = tuple(
        EmergencyCountry(
            item.country,
            {"ky": item.name.ky, "ru": item.name.ru},
            tuple(EmergencyNumber(n.number, {"ky": n.label.ky, "ru": n.label.ru}) for n in item.numbers),
            tuple(_source(s) for s in item.sources),
        )
        for item in model.emergency
    )
    channels = tuple(_contact(c) for c in model.channels)
    _check_contact_sources(doc, model.channels, [_source(s) for s in model.sources], "channels", problems)
    return emergency, channels


def _contact(model: ContactModel) -> Contact:
    return Contact(model.value, {"ky": model.label.ky, "ru": model.label.ru}, model.source)


def _check_contact_sources(
    doc: _Doc, contacts: list[ContactModel], sources: list[Source], field: str, problems: list[str]
) -> None:
    known = {s.url for s in sources if s.url} | {s.site for s in sources if s.site}
    for index, contact in enumerate(contacts):
        if contact.source not in known:
            problems.append(
                f"{doc.where((field, index, 'source'))}: {contact.source!r} is not one of the listed sources"
            )


def _categories(path: Path, problems: list[str]) -> list[Category]:
    doc = _read(path, "categories.yaml", problems)
    if doc is None:
        return []
    if not isinstance(doc.data, list):
        problems.append(f"{doc.where(())}: must be a list of categories")
        return []
    out = []
    for index, item in enumerate(doc.data):
        model = _validate(CategoryModel, doc, item, (index,), problems)
        if model is not None:
            out.append(Category(model.id, model.emoji, {"ky": model.ky, "ru": model.ru}))
    return out


# --- allowed contacts, phone numbers, web addresses ----------------------------------------------------


def _host(url: str) -> str:
    host = re.sub(r"^https?://", "", url.strip().lower()).split("/")[0].split(":")[0]
    return host.removeprefix("www.")


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


@dataclass(frozen=True)
class _Allowed:
    hosts: frozenset[str]
    phones: frozenset[str]

    def __or__(self, other: _Allowed) -> _Allowed:
        return _Allowed(self.hosts | other.hosts, self.phones | other.phones)

    def host_ok(self, host: str) -> bool:
        # "mfa.gov.kg" in a text is covered by a source at mfa.gov.kg/… (or at a subdomain of it)
        return any(host == known or known.endswith("." + host) for known in self.hosts)


def _allowed(
    contacts: Iterable[Contact], sources: Iterable[Source], emergency: Iterable[EmergencyCountry] = ()
) -> _Allowed:
    hosts, phones = set(), set()
    for source in sources:
        hosts.add(_host(source.url or source.site or ""))
    for contact in contacts:
        if _URL.fullmatch(contact.value):
            hosts.add(_host(contact.value))
        else:
            phones.add(_digits(contact.value))
    for country in emergency:
        phones.update(n.number for n in country.numbers)
    return _Allowed(frozenset(h for h in hosts if h), frozenset(p for p in phones if p))


def _urls(text: str) -> set[str]:
    return {_host(m.group(0)) for m in _URL.finditer(text)}


def _phones(text: str) -> set[str]:
    out = set()
    for match in _PHONE.finditer(text):
        out.add(_digits(match.group(1) or match.group(2) or match.group(0)))
    return out


def _numbers(text: str) -> set[str]:
    text = _URL.sub(" ", text)  # digits inside addresses are compared as addresses
    return {re.sub(r"[  ]", "", n).replace(",", ".") for n in _NUMBER.findall(text)}


def _fields(block: Any, base: tuple[Any, ...], *, with_hints: bool) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location, text) of every text of a validated block."""
    for name, value in block:
        if name == "hints" and not with_hints:
            continue
        if isinstance(value, str):
            yield (*base, name), value
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield (*base, name, index), item


def _check_texts(
    doc: _Doc,
    blocks: dict[str, Any],
    base: tuple[Any, ...],
    allowed: _Allowed,
    deny: tuple[str, ...],
    problems: list[str],
) -> None:
    """Names, unlisted phone numbers and addresses, and ky/ru differences in numbers and addresses."""
    per_locale: dict[str, tuple[set[str], set[str]]] = {}
    for locale, block in blocks.items():
        numbers: set[str] = set()
        hosts: set[str] = set()
        for loc, text in _fields(block, (*base, locale), with_hints=True):
            lower = text.lower()
            for name in deny:
                if name in lower:
                    problems.append(
                        f"{doc.where(loc)}: names an office holder ({name!r}): name the institution instead"
                    )
            if loc[len(base) + 1] == "hints":
                continue
            for host in _urls(text):
                hosts.add(host)
                if not allowed.host_ok(host):
                    problems.append(
                        f"{doc.where(loc)}: web address {host!r} is not in this topic's sources or contacts"
                    )
            for phone in _phones(text):
                if phone not in allowed.phones:
                    problems.append(f"{doc.where(loc)}: phone number {phone!r} is not in a contacts entry")
            numbers |= _numbers(text)
        per_locale[locale] = (numbers, hosts)
    if len(per_locale) == 2:
        (ky_numbers, ky_hosts), (ru_numbers, ru_hosts) = per_locale["ky"], per_locale["ru"]
        for kind, ky, ru in (("numbers", ky_numbers, ru_numbers), ("web addresses", ky_hosts, ru_hosts)):
            if ky != ru:
                only_ky, only_ru = sorted(ky - ru), sorted(ru - ky)
                problems.append(
                    f"{doc.where(base)}: {kind} differ between ky and ru texts: "
                    f"only in ky {only_ky}, only in ru {only_ru}"
                )


# --- topics -------------------------------------------------------------------------------------


def _as_of(value: str) -> date:
    """The end of the period a `sources_as_of` names (a source of "2024" may be from December)."""
    if len(value) == 10:
        return date.fromisoformat(value)
    year, _, month = value.partition("-")
    return date(int(year), int(month or 12), 1)


def _topic(
    path: Path, problems: list[str], today: date, deny: tuple[str, ...], shared: _Allowed
) -> Topic | None:
    name = f"topics/{path.name}"
    doc = _read(path, name, problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.append(f"{doc.where(())}: must be a mapping of fields")
        return None
    before = len(problems)
    model = _validate(TopicModel, doc, doc.data, (), problems)
    if model is None:
        return None
    if model.id != path.stem:
        problems.append(f"{doc.where(('id',))}: id {model.id!r} differs from the file name")
    if model.reviewed > today:
        problems.append(f"{doc.where(('reviewed',))}: 'reviewed' {model.reviewed} is in the future")
    as_of = _as_of(model.sources_as_of)
    sources = tuple(_source(s) for s in model.sources)
    contacts = tuple(_contact(c) for c in model.contacts)
    _check_contact_sources(doc, model.contacts, list(sources), "contacts", problems)
    texts = {}
    for locale in LOCALES:
        block: TopicText = getattr(model, locale)
        texts[locale] = Text(
            block.title,
            block.short,
            tuple(block.steps),
            block.details,
            tuple(block.legal_basis),
            tuple(block.caveats),
            tuple(block.hints),
        )
        card = len(block.title) + len(block.short) + sum(len(s) + 4 for s in block.steps)
        if card > MAX_CARD:
            problems.append(f"{doc.where((locale,))}: the card is {card} characters (max {MAX_CARD})")
    if texts["ky"].short == texts["ru"].short:
        problems.append(f"{doc.where(('ky', 'short'))}: the ky answer is a copy of the ru one")
    ky = texts["ky"]
    if not _KY_MARKERS.search(" ".join((ky.title, ky.short, *ky.steps)).lower()):
        problems.append(
            f"{doc.where(('ky',))}: the ky text does not look like Kyrgyz (no ң ө ү, no Kyrgyz words)"
        )
    ru = texts["ru"]
    if "киргиз" in " ".join((ru.title, ru.short, ru.details, *ru.steps, *ru.caveats)).lower():
        problems.append(f"{doc.where(('ru',))}: Russian text must say «Кыргызстан», not «Киргизия»")
    _check_texts(
        doc, {"ky": model.ky, "ru": model.ru}, (), _allowed(contacts, sources) | shared, deny, problems
    )
    due = []
    if (today - as_of).days > SOURCES_MAX_AGE_DAYS:
        due.append(OLD_SOURCES)
    if model.valid_until is not None and model.valid_until < today:
        due.append(DATED_FACT)
    if len(problems) > before:
        return None
    return Topic(
        id=model.id,
        category=model.category,
        reviewed=model.reviewed,
        sources_as_of=str(model.sources_as_of),
        related=tuple(model.related),
        sources=sources,
        texts=texts,
        contacts=contacts,
        valid_until=model.valid_until,
        emergency=model.emergency,
        review_due=tuple(due),
    )


# --- urgent cards -------------------------------------------------------------------------------


def _urgent(
    path: Path,
    topics: dict[str, Topic],
    present: set[str],
    problems: list[str],
    deny: tuple[str, ...],
    shared: _Allowed,
) -> list[UrgentCard]:
    doc = _read(path, "urgent.yaml", problems)
    if doc is None:
        return []
    if not isinstance(doc.data, list):
        problems.append(f"{doc.where(())}: must be a list of cards")
        return []
    cards = []
    seen: set[str] = set()
    for index, item in enumerate(doc.data):
        model = _validate(UrgentModel, doc, item, (index,), problems)
        if model is None:
            continue
        if model.id in seen:
            problems.append(f"{doc.where((index, 'id'))}: duplicate card id {model.id!r}")
        seen.add(model.id)
        triggers = []
        for number, pattern in enumerate(model.triggers):
            try:
                triggers.append(re.compile(pattern))
            except re.error as exc:
                where = doc.where((index, "triggers", number))
                problems.append(f"{where}: {model.id}: bad trigger {pattern!r}: {exc}")
        topic = topics.get(model.topic)
        if model.topic not in present:
            problems.append(f"{doc.where((index, 'topic'))}: {model.id}: unknown topic {model.topic!r}")
        allowed = shared | _allowed(topic.contacts if topic else (), topic.sources if topic else ())
        _check_texts(doc, {"ky": model.ky, "ru": model.ru}, (index,), allowed, deny, problems)
        texts = {
            locale: UrgentText(block.title, block.body, tuple(block.steps))
            for locale, block in (("ky", model.ky), ("ru", model.ru))
        }
        cards.append(UrgentCard(model.id, model.topic, model.complaint_category, tuple(triggers), texts))
    return cards
