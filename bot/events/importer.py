"""Events from a YAML file (schema in README, "Events file"): validated completely before anything is
saved, so a file with one bad event changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.events.models import KINDS, ORGANISERS
from bot.links import MAX_LINK, is_https_link
from bot.places import CITY_BY_KEY

MAX_TITLE, MAX_TEXT, MAX_ADDRESS = 200, 2000, 300
MAX_DAYS_AHEAD = 730
MAX_CAPACITY = 100_000
MAX_DURATION_MINUTES = 7 * 24 * 60


def load(path: Path, now: datetime) -> tuple[list[dict[str, Any]], list[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return [], [f"{path}: cannot read: {str(exc).splitlines()[0]}"]
    if not isinstance(data, list):
        return [], [f"{path}: expected a list of events"]
    items, problems = [], []
    keys: set[str] = set()
    for number, raw in enumerate(data, 1):
        item, errors = validate(raw, now)
        label = f"event {number} ({raw.get('key', '?') if isinstance(raw, dict) else '?'})"
        problems += [f"{label}: {e}" for e in errors]
        if item is not None:
            if item["key"] in keys:
                problems.append(f"{label}: duplicate key")
            keys.add(item["key"])
            items.append(item)
    return (items if not problems else []), problems


def validate(raw: Any, now: datetime) -> tuple[dict[str, Any] | None, list[str]]:
    """One event mapping (as in the YAML file) → the row to save, or the list of problems."""
    if not isinstance(raw, dict):
        return None, ["not a mapping"]
    errors: list[str] = []
    key = str(raw.get("key") or "")
    if not key or len(key) > 64:
        errors.append("key is required (≤ 64 characters)")
    kind = raw.get("kind")
    if kind not in KINDS:
        errors.append(f"kind must be one of {', '.join(KINDS)}")
    organisers = [str(o) for o in raw.get("organisers") or []]
    if not organisers or any(o not in ORGANISERS for o in organisers):
        errors.append(f"organisers must be a list of {', '.join(ORGANISERS)}")
    texts: dict[str, Any] = {}
    for field, required, limit in (
        ("title", True, MAX_TITLE),
        ("description", True, MAX_TEXT),
        ("bring", False, MAX_TEXT),
    ):
        mapping = raw.get(field) or {}
        if not isinstance(mapping, dict):
            errors.append(f"{field} must have ky and ru texts")
            mapping = {}
        for locale in ("ky", "ru"):
            value = str(mapping.get(locale) or "").strip()
            if required and not value:
                errors.append(f"{field}.{locale} is missing")
            if len(value) > limit:
                errors.append(f"{field}.{locale} is longer than {limit} characters")
            texts[f"{field}_{locale}"] = value or None
    tz_name = str(raw.get("timezone") or "")
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(f"unknown time zone {tz_name!r} (use an IANA name such as Europe/Moscow)")
        zone = None
    starts, ends = _times(raw, zone, now, errors)
    status = raw.get("status", "scheduled")
    if status not in {"scheduled", "rescheduled", "cancelled"}:
        errors.append("status must be scheduled, rescheduled or cancelled")
    if starts and ends and ends <= starts:
        errors.append("ends must be after starts")
    if starts and starts <= now and status != "cancelled":
        errors.append("starts is in the past")
    online = bool(raw.get("online", False))
    city = raw.get("city")
    if city is not None and city not in CITY_BY_KEY:
        errors.append(f"unknown city {city!r} ({', '.join(CITY_BY_KEY)})")
    if online and not raw.get("link"):
        errors.append("an online event needs a link")
    address_ru, address_ky = _address(raw, errors)
    if not online and not (address_ru or address_ky):
        errors.append("an in-person event needs an address")
    capacity = raw.get("capacity")
    if capacity is not None and not _whole(capacity, 1, MAX_CAPACITY):
        errors.append(f"capacity must be a positive whole number (at most {MAX_CAPACITY})")
    for field in ("link", "map_url"):
        value = raw.get(field)
        if value and not is_https_link(str(value)):
            errors.append(f"{field} must be an https:// link without spaces, at most {MAX_LINK} characters")
    if errors or starts is None or ends is None or zone is None:
        return None, errors
    return {
        "key": key,
        "kind": kind,
        "organisers": ",".join(organisers),
        **texts,
        "starts_at": starts.astimezone(ZoneInfo("UTC")),
        "ends_at": ends.astimezone(ZoneInfo("UTC")),
        "timezone": tz_name,
        "city": city,
        "address": address_ru,
        "address_ky": address_ky,
        "map_url": raw.get("map_url"),
        "online": online,
        "platform": raw.get("platform"),
        "link": raw.get("link"),
        "link_public": bool(raw.get("link_public", False)),
        "capacity": capacity,
        "registration": bool(raw.get("registration", True)),
        "status": status,
    }, []


def _times(
    raw: dict[str, Any], zone: ZoneInfo | None, now: datetime, errors: list[str]
) -> tuple[datetime | None, datetime | None]:
    """Fixed local times (`starts`, `ends`), or — for samples and demos — a start relative to the day
    of import (`starts_in_days`, `local_time`, `duration_minutes`), so such a file imports on any day."""
    if "starts_in_days" in raw:
        return _relative_times(raw, zone, now, errors)
    moments: list[datetime | None] = []
    for field in ("starts", "ends"):
        value = raw.get(field)
        try:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        except ValueError:
            errors.append(f"{field} must be a date and time like 2026-12-05T10:00")
            moments.append(None)
            continue
        if zone is None:
            moments.append(None)
            continue
        moments.append(moment.replace(tzinfo=zone) if moment.tzinfo is None else moment)
    return moments[0], moments[1]


def _relative_times(
    raw: dict[str, Any], zone: ZoneInfo | None, now: datetime, errors: list[str]
) -> tuple[datetime | None, datetime | None]:
    count = len(errors)
    if "starts" in raw or "ends" in raw:
        errors.append("give either starts/ends or starts_in_days/local_time/duration_minutes, not both")
    days = raw.get("starts_in_days")
    if not _whole(days, 0, MAX_DAYS_AHEAD):
        errors.append(f"starts_in_days must be a whole number of days from 0 to {MAX_DAYS_AHEAD}")
    local_time = raw.get("local_time")
    try:  # quoted in YAML: an unquoted 10:00 is read as a number
        at = datetime.strptime(local_time, "%H:%M").time() if isinstance(local_time, str) else None
    except ValueError:
        at = None
    if at is None:
        errors.append('local_time must be a quoted time like "10:00"')
    minutes = raw.get("duration_minutes")
    if not _whole(minutes, 1, MAX_DURATION_MINUTES):
        errors.append(f"duration_minutes must be a whole number from 1 to {MAX_DURATION_MINUTES}")
    if len(errors) > count or zone is None or at is None:
        return None, None
    day = now.astimezone(zone).date() + timedelta(days=int(days))  # type: ignore[arg-type]
    starts = datetime.combine(day, at, tzinfo=zone)
    return starts, starts + timedelta(minutes=int(minutes))  # type: ignore[arg-type]


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _address(raw: dict[str, Any], errors: list[str]) -> tuple[str | None, str | None]:
    """(Russian, Kyrgyz) address: `address` as text (Russian) with an optional `address_ky`, or
    `address` as a mapping with `ru` and `ky`."""
    value = raw.get("address")
    if isinstance(value, dict):
        if raw.get("address_ky") is not None:
            errors.append("give the Kyrgyz address either as address.ky or as address_ky, not both")
        ru, ky = value.get("ru"), value.get("ky")
    else:
        ru, ky = value, raw.get("address_ky")
    out: list[str | None] = []
    for name, text in (("address", ru), ("address_ky", ky)):
        text = str(text).strip() if text is not None else ""
        if len(text) > MAX_ADDRESS:
            errors.append(f"{name} is longer than {MAX_ADDRESS} characters")
        out.append(text or None)
    return out[0], out[1]
