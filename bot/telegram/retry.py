"""Retries for calls made while handling an update (replies, edits, button answers).

The Bot API documents: 429 carries `retry_after` and the request was not executed, so repeating it
after that many seconds is safe; 5xx and network failures may or may not have been executed, so only
idempotent methods (edits, answers, settings, reads) are repeated, never a `send*` that could arrive
twice. Bulk sending (bot/outbox) has its own scheduling and opts out with `bulk_call()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)

_bulk: ContextVar[bool] = ContextVar("bulk_call", default=False)
_UNSAFE_PREFIXES = ("send", "copy", "forward", "create")


@contextlib.contextmanager
def bulk_call() -> Iterator[None]:
    """Calls inside this block are not retried here (the caller schedules its own retries)."""
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(
        self,
        attempts: int = 3,
        max_wait: float = 10.0,
        backoff: float = 0.5,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.attempts, self.max_wait, self.backoff, self._sleep = attempts, max_wait, backoff, sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        # getUpdates has aiogram's own backoff; bulk sending has the outbox's.
        if _bulk.get() or isinstance(method, GetUpdates):
            return await make_request(bot, method)
        name = type(method).__name__
        idempotent = not name.lower().startswith(_UNSAFE_PREFIXES)
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts or exc.retry_after > self.max_wait:
                    raise
                log.warning("%s: 429, retrying in %s s", name, exc.retry_after)
                await self._sleep(exc.retry_after)
            except (TelegramNetworkError, TelegramServerError):
                if attempt == self.attempts or not idempotent:
                    raise
                log.warning("%s: network or server error, retrying", name)
                await self._sleep(self.backoff * attempt)
        raise AssertionError("unreachable")
