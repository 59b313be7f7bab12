"""Events from a YAML file (schema in README, "Events file"): validated completely before anything is
saved, so a file with one bad event changes nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from bot.events.models import KINDS, ORGANISERS
from bot.links import MAX_LINK, is_https_link
from bot.places import CITY_BY_KEY

MAX_TITLE, MAX_TEXT = 200, 2000


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
        for locale in ("ky", "ru"):
            value = str((raw.get(field) or {}).get(locale) or "").strip()
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
    starts = ends = None
    for field in ("starts", "ends"):
        value = raw.get(field)
        try:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        except ValueError:
            errors.append(f"{field} must be a date and time like 2026-12-05T10:00")
            continue
        if zone is not None:
            moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
            if field == "starts":
                starts = moment
            else:
                ends = moment
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
    if not online and not raw.get("address"):
        errors.append("an in-person event needs an address")
    capacity = raw.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or capacity <= 0):
        errors.append("capacity must be a positive whole number")
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
        "address": raw.get("address"),
        "map_url": raw.get("map_url"),
        "online": online,
        "platform": raw.get("platform"),
        "link": raw.get("link"),
        "link_public": bool(raw.get("link_public", False)),
        "capacity": capacity,
        "registration": bool(raw.get("registration", True)),
        "status": status,
    }, []
