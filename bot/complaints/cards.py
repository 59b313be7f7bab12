"""The operators' view of a case kept in step with the database: every posted copy of the card is
redrawn after a change, and after /forget the messages carrying the person's data are redacted."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup

from bot.clock import Clock
from bot.complaints import keyboards as kb
from bot.complaints import render
from bot.complaints.models import Case
from bot.complaints.repo import ComplaintRepo, Post
from bot.i18n import Translator

log = logging.getLogger(__name__)


def _unchanged(exc: TelegramBadRequest) -> bool:
    return "not modified" in exc.message


class CaseBoard:
    def __init__(
        self, bot: Bot, t: Translator, locale: str, chat_id: int | None, repo: ComplaintRepo, clock: Clock
    ) -> None:
        self._bot, self._t, self._locale, self._chat = bot, t, locale, chat_id
        self._repo, self._clock = repo, clock

    def _chat_of(self, post: Post) -> int | None:
        return post.chat_id or self._chat  # chat 0: a card posted before its chat was recorded

    async def redraw(self, case_id: int) -> None:
        """Best effort: the change itself is saved; a card that cannot be edited stays as it was."""
        case = await self._repo.get(case_id)
        if case is None:
            return
        for post in await self._repo.posts(case.id, ["card"]):
            await self._edit_card(post, case)

    async def _edit_card(self, post: Post, case: Case) -> bool:
        text = render.card(self._t, self._locale, case, self._clock.now())
        return await self._edit(post, text, kb.card(self._t, self._locale, case))

    async def _edit(self, post: Post, text: str, markup: InlineKeyboardMarkup | None = None) -> bool:
        """Edit one posted message; True when it now shows `text` (also when it already did)."""
        chat = self._chat_of(post)
        if chat is None:
            return False
        try:
            await self._bot.edit_message_text(
                chat_id=chat, message_id=post.message_id, text=text, reply_markup=markup
            )
        except TelegramBadRequest as exc:
            if _unchanged(exc):
                return True
            log.info("complaints: message of case %s not edited: %s", post.case_id, exc.message)
            return False
        except TelegramAPIError as exc:
            log.warning("complaints: message of case %s not edited: %s", post.case_id, type(exc).__name__)
            return False
        return True

    async def _delete(self, post: Post) -> bool:
        chat = self._chat_of(post)
        if chat is None:
            return False
        try:
            return bool(await self._bot.delete_message(chat_id=chat, message_id=post.message_id))
        except TelegramAPIError as exc:
            log.info("complaints: message of case %s not deleted: %s", post.case_id, type(exc).__name__)
            return False

    async def _redact_text(self, post: Post, case: Case) -> bool:
        return await self._edit(post, self._t(self._locale, "cp-op-followup-erased", number=case.number))

    async def redact(self, case: Case) -> list[int]:
        """After /forget (`case` already erased in the database): cards are redrawn without the
        person's data (deleted if that fails), relayed texts are replaced, copied files deleted.
        One failure does not stop the rest. Returns the ids of messages that could not be removed."""
        left: list[int] = []
        done: list[int] = []
        for post in await self._repo.posts(case.id):
            if post.kind.startswith("prompt"):
                continue  # the operators' own prompts: no data of the person
            if post.kind == "card":
                ok = await self._edit_card(post, case) or await self._delete(post)
            elif post.kind == "followup":
                ok = await self._redact_text(post, case) or await self._delete(post)
                if ok:
                    done.append(post.id)
            else:  # a copied photo, document or voice message cannot be edited away
                ok = await self._delete(post)
                if ok:
                    done.append(post.id)
            if not ok:
                left.append(post.message_id)
        await self._repo.forget_posts(done)
        return left
