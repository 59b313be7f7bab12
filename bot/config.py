"""Configuration from environment variables and an optional `.env` file.

Built once in `main()` and passed down; nothing reads the environment at import time.
Problems are reported one line per variable, never as a traceback.
"""

from __future__ import annotations

import importlib.util
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

Locale = Literal["ky", "ru"]
LOCALES: tuple[Locale, ...] = ("ky", "ru")

_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{5,100}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# Examples shown next to each problem, so the fix is obvious.
EXAMPLES: dict[str, str] = {
    "BOT_TOKEN": "BOT_TOKEN=123456789:AAExampleTokenFromBotFather",
    "TELEGRAM_API_URL": "TELEGRAM_API_URL=http://127.0.0.1:8081",
    "DATABASE_URL": "DATABASE_URL=sqlite+aiosqlite:///state/bot.sqlite3",
    "ADMIN_IDS": "ADMIN_IDS=123456789,987654321",
    "STAFF_IDS": "STAFF_IDS=123456789",
    "OPERATOR_IDS": "OPERATOR_IDS=123456789",
    "OPERATORS_CHAT_ID": "OPERATORS_CHAT_ID=-1001234567890",
    "DEFAULT_LOCALE": "DEFAULT_LOCALE=ky",
    "LOG_LEVEL": "LOG_LEVEL=INFO",
    "WEBHOOK_URL": "WEBHOOK_URL=https://bot.example.org/telegram",
    "WEBHOOK_SECRET": "WEBHOOK_SECRET=long-random-string_of-A-Z-a-z-0-9",
    "WEBHOOK_HOST": "WEBHOOK_HOST=0.0.0.0",
    "WEBHOOK_PORT": "WEBHOOK_PORT=8080",
    "STATE_DIR": "STATE_DIR=/var/lib/migrant-bot",
    "SEND_RATE": "SEND_RATE=25",
    "REMINDER_HOURS": "REMINDER_HOURS=24,1",
    "REDIS_URL": "REDIS_URL=redis://redis:6379/0",
    "METRICS_PORT": "METRICS_PORT=9100",
    "TELEGRAM_TIMEOUT": "TELEGRAM_TIMEOUT=15",
}
_DATABASE_SCHEMES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")


class ConfigError(Exception):
    """Invalid configuration; `problems` holds one human-readable line per issue."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    if isinstance(value, int):
        return [value]
    return value


IdList = Annotated[frozenset[int], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    # URLs may carry credentials (user:password@, a token in the path): kept out of repr and messages.
    telegram_api_url: str | None = Field(default=None, repr=False)
    # Seconds for one request to Telegram (long polls get their own 25 s on top); bounded so that a
    # firewall that drops packets is noticed and retried instead of hanging the start-up.
    telegram_timeout: float = Field(default=15.0, gt=0, le=300)
    state_dir: Path = Path("state")
    database_url: str | None = Field(default=None, repr=False)
    admin_ids: IdList = frozenset()
    staff_ids: IdList = frozenset()
    operator_ids: IdList = frozenset()
    operators_chat_id: int | None = None
    operators_locale: Locale = "ru"  # language of case cards in the operators' group
    default_locale: Locale = "ky"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    webhook_url: str | None = Field(default=None, repr=False)
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_path: str = "/telegram"
    # Outgoing bulk traffic (broadcasts, reminders, operators' group): Telegram allows ~30/s.
    send_rate: float = Field(default=25.0, gt=0, le=30)
    send_concurrency: int = Field(default=4, ge=1, le=32)
    # Flood control for incoming messages: this many per user per window.
    flood_limit: int = Field(default=15, ge=1)
    flood_window_seconds: float = Field(default=10.0, gt=0)
    knowledge_dir: Path | None = None
    # The trained search model, kept between starts (bot/knowledge/cache.py); default STATE_DIR/cache.
    kb_cache_dir: Path | None = None
    locales_dir: Path | None = None  # default: the locales/ shipped with the bot (bot/paths.py)
    # Events: reminders this many hours before the start (registrants, each in their language/zone).
    reminder_hours: Annotated[tuple[float, ...], NoDecode] = (24.0, 1.0)
    # Complaints: re-announce a case not taken after this long; purge closed cases' files after N days.
    urgent_take_minutes: int = Field(default=15, ge=1)
    normal_take_hours: int = Field(default=24, ge=1)
    complaint_response_days: int = Field(default=30, ge=1)  # told to the migrant as the expected time
    attachments_retention_days: int = Field(default=180, ge=1)
    # Shared mode (several instances behind a load balancer): PostgreSQL DATABASE_URL + REDIS_URL.
    # Neither set: one process on SQLite, all short-lived state in memory (the default).
    redis_url: SecretStr | None = None  # may hold a password: never echoed
    redis_prefix: str = Field(default="migrant-bot", pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    metrics_port: int | None = Field(default=None, ge=1, le=65535)  # polling mode: /metrics, /healthz
    metrics_host: str = "0.0.0.0"

    @field_validator("redis_url")
    @classmethod
    def _check_redis(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return value
        if not value.get_secret_value().startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        if importlib.util.find_spec("redis") is None:
            raise ValueError("is set but the redis client is missing: pip install '.[cluster]'")
        return value

    @model_validator(mode="after")
    def _check_cluster(self) -> Settings:
        if self.redis_url is not None and not (self.database_url or "").startswith("postgresql+asyncpg://"):
            raise ValueError(
                "DATABASE_URL must be postgresql+asyncpg://... when REDIS_URL is set "
                "(several instances cannot share one SQLite file)"
            )
        return self

    @property
    def shared(self) -> bool:
        """Several instances may run: short-lived state lives in Redis, all data in PostgreSQL."""
        return self.redis_url is not None

    @field_validator("admin_ids", "staff_ids", "operator_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        return _split_ids(value)

    @field_validator("reminder_hours", mode="before")
    @classmethod
    def _parse_hours(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(float(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("reminder_hours")
    @classmethod
    def _check_hours(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if not value or any(hours <= 0 or hours > 24 * 14 for hours in value):
            raise ValueError("must be a comma-separated list of hours between 0 and 336")
        return tuple(sorted(set(value), reverse=True))

    @field_validator("bot_token")
    @classmethod
    def _check_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN_RE.match(value.get_secret_value()):
            raise ValueError("does not look like a token from @BotFather (digits, a colon, then letters)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _check_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET_RE.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z a-z 0-9 _ -")
        return value

    @field_validator("telegram_api_url", "webhook_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/") if value else value

    @field_validator("default_locale", mode="before")
    @classmethod
    def _lower_locale(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("webhook_path")
    @classmethod
    def _check_path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with /")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database(cls, value: str | None) -> str | None:
        if value and not value.startswith(_DATABASE_SCHEMES):
            raise ValueError(
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg:// "
                "(for postgres:// or postgresql:// write postgresql+asyncpg://)"
            )
        if value and value.startswith("postgresql"):
            try:
                urlsplit(value).port  # noqa: B018  (parsing the port is the check)
            except ValueError:
                raise ValueError("has a port that is not a number") from None
        return value

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = self._default_database_url()
        return self

    def _default_database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.state_dir / 'bot.sqlite3'}"

    # Roles: admins can do everything staff and operators can.
    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids

    def is_staff(self, user_id: int) -> bool:
        return user_id in self.staff_ids or user_id in self.admin_ids

    def is_operator(self, user_id: int) -> bool:
        return user_id in self.operator_ids or user_id in self.admin_ids

    @property
    def db_url(self) -> str:
        return self.database_url or self._default_database_url()

    def ensure_state_dir(self) -> None:
        """The database file and the heartbeat live here: fail with one clear line, not a traceback."""
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.state_dir, prefix=".write-test-"):
                pass
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise ConfigError([_line("STATE_DIR", f"cannot write to {self.state_dir} ({reason})")]) from None

    def require_token(self) -> SecretStr:
        if self.bot_token is None:
            raise ConfigError([_line("BOT_TOKEN", "is required to run the bot")])
        return self.bot_token

    def require_webhook(self) -> None:
        problems = []
        if not self.webhook_url:
            problems.append(_line("WEBHOOK_URL", "is required in webhook mode"))
        if self.webhook_secret is None:
            problems.append(_line("WEBHOOK_SECRET", "is required in webhook mode (Telegram echoes it back)"))
        if problems:
            raise ConfigError(problems)


def _line(variable: str, message: str) -> str:
    example = EXAMPLES.get(variable)
    return f"{variable}: {message}" + (f" (example: {example})" if example else "")


def is_secret_field(name: str) -> bool:
    """Never echoed: tokens, secrets, passwords, and URLs (they may carry credentials or the token)."""
    name = name.lower()
    return any(word in name for word in ("token", "secret", "password", "key")) or name.endswith("_url")


def _raw_values(env_file: str | Path | None, overrides: Mapping[str, object]) -> dict[str, list[str]]:
    """Every raw value a secret setting may have been given, from each source pydantic-settings reads."""
    names = {name for name in Settings.model_fields if is_secret_field(name)}
    found: dict[str, list[str]] = {name: [] for name in names}
    sources: list[Mapping[str, Any]] = [{k.lower(): v for k, v in os.environ.items()}]
    if env_file is not None and Path(env_file).is_file():
        from dotenv import dotenv_values  # a dependency of pydantic-settings

        try:
            sources.append({k.lower(): v for k, v in dotenv_values(env_file, encoding="utf-8").items()})
        except (OSError, UnicodeDecodeError):
            pass
    sources.append({k.lower(): v for k, v in overrides.items()})
    for source in sources:
        for name in names:
            value = source.get(name)
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            if value is not None:
                found[name].append(str(value))
    return found


def secret_fragments(values: Iterable[str]) -> set[str]:
    """The parts of raw secret values that must never appear in a message."""
    fragments: set[str] = set()
    for value in values:
        value = value.strip()
        if not value:
            continue
        fragments.add(value)
        if ":" in value and "/" not in value:  # a bot token: the part after the colon is the secret
            fragments.add(value.split(":", 1)[1])
        if "://" in value:
            try:
                parts = urlsplit(value)
            except ValueError:
                continue
            if parts.password:
                fragments.update({parts.password, unquote(parts.password)})
            # A token in the path, as in https://api.telegram.org/bot123:ABC/
            fragments.update(m for m in re.findall(r"\d{3,20}:[A-Za-z0-9_-]{5,}", value))
    return {fragment for fragment in fragments if len(fragment) >= 4}


def redact(text: str, fragments: Iterable[str]) -> str:
    for fragment in sorted(fragments, key=len, reverse=True):
        text = text.replace(fragment, "***")
    return text


def load_settings(env_file: str | Path | None = ".env", **overrides: object) -> Settings:
    """Read and validate settings; raise ConfigError with one line per problem, never a secret."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False, include_context=False):
            name = str(error["loc"][0]) if error["loc"] else ""
            message = str(error["msg"]).removeprefix("Value error, ")
            if name and not is_secret_field(name) and isinstance(error.get("input"), (str, int, float)):
                message += f", got {error['input']!r}"
            problems.append(_line(name.upper() or "configuration", message))
    except SettingsError as exc:  # a value pydantic-settings could not even decode
        problems = [f"configuration: {str(exc).split(' from source')[0]}"]
    except (OSError, UnicodeDecodeError) as exc:
        problems = [f"{env_file}: cannot read ({type(exc).__name__})"]
    fragments = secret_fragments(v for values in _raw_values(env_file, overrides).values() for v in values)
    raise ConfigError([redact(line, fragments) for line in problems])
