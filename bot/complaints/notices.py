"""Messages that complaints put in the outbox: case cards for operators, replies and statuses for
migrants. Built here, stored by the repo in the same transaction as the change they announce."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

from bot.complaints import keyboards, render
from bot.complaints.models import Attachment, Case
from bot.i18n import Translator
from bot.outbox.repo import Outgoing

URGENT_PRIORITY, CASE_PRIORITY, PERSON_PRIORITY = 5, 40, 20


def new_case(
    t: Translator, locale: str, chat_id: int | None, case: Case, files: Sequence[Attachment]
) -> list[Outgoing]:
    if chat_id is None:  # no operators' chat configured: the case waits in /queue
        return []
    priority = URGENT_PRIORITY if case.urgent else CASE_PRIORITY
    markup = keyboards.card(t, locale, case).model_dump(exclude_none=True)
    items = [
        Outgoing(
            chat_id=chat_id,
            payload={"text": render.card(t, locale, case), "reply_markup": markup},
            kind="case_card",
            priority=priority,
            dedupe_key=f"case:{case.id}:card",
            ref_type="complaint",
            ref_id=case.id,
        )
    ]
    for n, file in enumerate(files):
        items.append(
            Outgoing(
                chat_id=chat_id,
                method="copyMessage",
                payload={
                    "from_chat_id": file.chat_id,
                    "message_id": file.message_id,
                    "caption": f"№ {case.number}",
                },
                kind="case_file",
                priority=priority + 1,
                dedupe_key=f"case:{case.id}:file:{n}",
                ref_type="complaint",
                ref_id=case.id,
            )
        )
    return items


def to_migrant(t: Translator, case: Case, key: str, **args: str) -> list[Outgoing]:
    if case.user_id is None:  # erased by /forget: nobody to tell
        return []
    return [
        Outgoing(
            chat_id=case.user_id,
            payload={"text": t(case.locale, key, number=case.number, **args)},
            kind="case_reply",
            priority=PERSON_PRIORITY,
            dedupe_key=f"case:{case.id}:{key}:{uuid.uuid4().hex}",
            ref_type="complaint",
            ref_id=case.id,
        )
    ]


def status(t: Translator, case: Case, reason: str | None) -> list[Outgoing]:
    text_args = {"status": render.status_name(t, case.locale, case.status)}
    items = to_migrant(t, case, "cp-status-to-migrant", **text_args)
    if reason and items:
        payload = dict(items[0].payload)
        payload["text"] += "\n" + t(case.locale, "cp-status-reason", reason=reason)
        items[0] = replace(items[0], payload=payload)
    return items


def to_operators(t: Translator, locale: str, chat_id: int | None, case: Case, text: str) -> list[Outgoing]:
    if chat_id is None:
        return []
    return [
        Outgoing(
            chat_id=chat_id,
            payload={"text": t(locale, "cp-op-followup", number=case.number, text=text)},
            kind="case_followup",
            priority=CASE_PRIORITY,
            dedupe_key=f"case:{case.id}:in:{uuid.uuid4().hex}",
            ref_type="complaint",
            ref_id=case.id,
        )
    ]


def cleanup(
    t: Translator, locale: str, chat_id: int | None, case: Case, message_ids: Sequence[int]
) -> list[Outgoing]:
    """After /forget: a reply under each message the bot could not edit or delete, asking operators to
    delete it by hand (the message ids are on record in the audit log too)."""
    if chat_id is None:
        return []
    return [
        Outgoing(
            chat_id=chat_id,
            payload={
                "text": t(locale, "cp-op-delete-by-hand", number=case.number),
                "reply_parameters": {"message_id": message_id, "allow_sending_without_reply": True},
            },
            kind="case_cleanup",
            priority=CASE_PRIORITY,
            dedupe_key=f"case:{case.id}:cleanup:{message_id}",
            ref_type="complaint",
            ref_id=case.id,
        )
        for message_id in message_ids
    ]
