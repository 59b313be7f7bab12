"""The feature's set-up: services, routers and scheduled jobs (see the package docstring)."""

from __future__ import annotations

from functools import partial

from aiogram import Router

from bot.context import AppContext
from bot.knowledge.gaps import GapRepo
from bot.knowledge.router import answer_question, create_router
from bot.knowledge.service import KnowledgeBase
from bot.paths import KNOWLEDGE_DIR


def install(app: AppContext) -> list[Router]:
    settings = app.settings
    knowledge = KnowledgeBase.shared(
        settings.knowledge_dir or KNOWLEDGE_DIR, settings.kb_cache_dir or settings.state_dir / "cache"
    )
    app.services["knowledge"] = knowledge
    gaps = GapRepo(app.db)
    app.services["kb_gaps"] = gaps
    # For other features (complaints: "ask the bot instead"): answer text exactly like free text.
    app.services["kb_answer"] = partial(_answer, knowledge=knowledge, app=app, gaps=gaps)

    async def purge_gaps() -> None:
        await gaps.purge(app.clock.now().date())

    app.scheduler.add_job(
        purge_gaps, "interval", hours=24, id="kb-gaps-retention", max_instances=1, coalesce=True
    )
    return [create_router()]


async def _answer(
    event: object, text: str, locale: str, *, knowledge: KnowledgeBase, app: AppContext, gaps: GapRepo
) -> None:
    await answer_question(  # type: ignore[arg-type]
        event, text, locale, knowledge, app.t, gaps=gaps, today=app.clock.now().date()
    )
