"""The complaints feature: `install(app)` wires its services and returns its routers."""

from __future__ import annotations

from aiogram import Router

from bot.context import AppContext


def install(app: AppContext) -> list[Router]:
    return []
