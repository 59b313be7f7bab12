"""Roles come from configuration; the database only mirrors them for reports."""

from __future__ import annotations

from enum import StrEnum

from bot.config import Settings


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    OPERATOR = "operator"


def roles_of(user_id: int, settings: Settings) -> frozenset[Role]:
    roles = set()
    if settings.is_admin(user_id):
        roles.add(Role.ADMIN)
    if settings.is_staff(user_id):
        roles.add(Role.STAFF)
    if settings.is_operator(user_id):
        roles.add(Role.OPERATOR)
    return frozenset(roles)
