"""Application-wide objects, built once in `create_app` and handed to features and handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiogram import Bot, Dispatcher
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Translator
from bot.observability import Metrics
from bot.outbox.repo import OutboxRepo
from bot.outbox.sender import Sender
from bot.storage.database import Database
from bot.users.privacy import DataEraser
from bot.users.repo import UserRepo

if TYPE_CHECKING:
    from bot.cluster import Cluster


@dataclass
class AppContext:
    settings: Settings
    bot: Bot
    db: Database
    t: Translator
    clock: Clock
    users: UserRepo
    outbox: OutboxRepo
    sender: Sender
    scheduler: AsyncIOScheduler
    eraser: DataEraser
    # Extra services features publish for handlers (injected by name through the Dispatcher).
    services: dict[str, Any] = field(default_factory=dict)
    dispatcher: Dispatcher | None = None
    cluster: Cluster | None = None  # shared mode only (REDIS_URL)
    metrics: Metrics = field(default_factory=Metrics)

    def workflow_data(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "db": self.db,
            "t": self.t,
            "clock": self.clock,
            "users": self.users,
            "outbox": self.outbox,
            "sender": self.sender,
            "eraser": self.eraser,
            "app": self,
            **self.services,
        }
