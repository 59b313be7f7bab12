"""Fluent translations for Kyrgyz and Russian.

One Translator serves handlers (locale from the user) and background jobs (explicit locale).
String arguments are HTML-escaped here, once, because every message is sent with parse_mode=HTML;
pass `Html(...)` for a fragment that is already safe markup.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

from bot.config import LOCALES, Locale

log = logging.getLogger(__name__)

# Kyrgyz falls back to Russian for a missing key (and the reverse), never to the raw key id.
FALLBACK: dict[str, tuple[str, ...]] = {"ky": ("ky", "ru"), "ru": ("ru", "ky")}


class Html(str):
    """Markup that is already safe; not escaped again."""


class TranslationError(LookupError):
    pass


def _prepare(value: Any) -> Any:
    if isinstance(value, Html):
        return str(value)
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, datetime, date)):
        return value
    return html.escape(str(value), quote=False)


class Translator:
    def __init__(self, bundles: Mapping[str, FluentBundle]) -> None:
        self._bundles = dict(bundles)

    @classmethod
    def load(cls, locales_dir: Path, locales: Iterable[str] = LOCALES) -> Translator:
        bundles: dict[str, FluentBundle] = {}
        for locale in locales:
            # use_isolating=False: Telegram would show the U+2068/U+2069 marks as boxes on old phones.
            bundle = FluentBundle([locale], use_isolating=False)
            files = sorted((locales_dir / locale).glob("**/*.ftl"))
            if not files:
                raise TranslationError(f"no .ftl files in {locales_dir / locale}")
            for path in files:
                bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
            bundles[locale] = bundle
        return cls(bundles)

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self._bundles)

    def has(self, key: str, locale: str) -> bool:
        return self._bundles[locale].has_message(key)

    def __call__(self, locale: str, key: str, /, **args: Any) -> str:
        return self.get(locale, key, **args)

    def get(self, locale: str, key: str, /, **args: Any) -> str:
        prepared = {name: _prepare(value) for name, value in args.items()}
        for candidate in FALLBACK.get(locale, (locale,)):
            bundle = self._bundles.get(candidate)
            if bundle is None or not bundle.has_message(key):
                continue
            message = bundle.get_message(key)
            if message.value is None:
                continue
            text, errors = bundle.format_pattern(message.value, prepared)
            if errors:
                log.error("fluent errors in %s/%s: %s", candidate, key, errors)
            return str(text)
        raise TranslationError(f"message {key!r} missing in {locale}")

    def attribute(self, locale: str, key: str, attribute: str, /, **args: Any) -> str:
        prepared = {name: _prepare(value) for name, value in args.items()}
        for candidate in FALLBACK.get(locale, (locale,)):
            bundle = self._bundles.get(candidate)
            if bundle is None or not bundle.has_message(key):
                continue
            message = bundle.get_message(key)
            if attribute in message.attributes:
                text, _ = bundle.format_pattern(message.attributes[attribute], prepared)
                return str(text)
        raise TranslationError(f"attribute {key}.{attribute} missing in {locale}")


def pick_locale(stored: str | None, telegram_code: str | None, default: Locale) -> Locale:
    """Stored choice first, then Telegram's interface language, then the configured default."""
    for candidate in (stored, (telegram_code or "").split("-")[0].lower()):
        if candidate in LOCALES:
            return candidate  # type: ignore[return-value]
    return default
