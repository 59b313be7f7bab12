"""Health and metrics: `/healthz` (database, Redis, seconds since the last successful Bot API call)
and `/metrics` (Prometheus text format). Webhook mode serves both on the webhook's aiohttp app;
polling mode on METRICS_PORT when set (off by default).

prometheus-client is the `metrics` (or `cluster`) extra: without it /metrics answers 503 with the
install line, and /healthz still works. Each app has its own registry (tests build many apps)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update
from aiohttp import web
from sqlalchemy import and_, func, select, text

if TYPE_CHECKING:
    from bot.context import AppContext

log = logging.getLogger(__name__)

try:
    import prometheus_client as prom
except ImportError:  # pragma: no cover - depends on the installed extras
    prom = None  # type: ignore[assignment]


class Metrics:
    def __init__(self) -> None:
        self.last_api_success: float | None = None  # time.monotonic() of the last Bot API success
        self.enabled = prom is not None
        if prom is None:
            return
        self.registry = prom.CollectorRegistry()
        r = self.registry
        self.updates = prom.Counter("bot_updates_total", "Updates received", ["type"], registry=r)
        self.handler_seconds = prom.Histogram(
            "bot_update_handling_seconds",
            "Time to handle one update (all middlewares and handlers)",
            ["type"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=r,
        )
        self.api_calls = prom.Counter(
            "bot_api_calls_total", "Bot API calls by method and outcome", ["method", "outcome"], registry=r
        )
        self.rate_limited = prom.Counter("bot_api_429_total", "429 answers from the Bot API", registry=r)
        self.outbox_depth = prom.Gauge(
            "bot_outbox_depth", "Outbox messages waiting or in flight", ["priority"], registry=r
        )
        self.cases_open = prom.Gauge("bot_cases_open", "Complaint cases not closed", registry=r)
        self.cases_urgent_untaken = prom.Gauge(
            "bot_cases_urgent_untaken", "Urgent open cases no operator has taken", registry=r
        )
        self.reminders_due = prom.Gauge("bot_reminders_due", "Event reminders due and not sent", registry=r)
        self.api_age = prom.Gauge(
            "bot_seconds_since_api_success", "Seconds since the last successful Bot API call", registry=r
        )

    def seconds_since_api_success(self) -> float | None:
        if self.last_api_success is None:
            return None
        return round(time.monotonic() - self.last_api_success, 3)


class ApiCallMetrics(BaseRequestMiddleware):
    """Every Bot API call (replies and the outbox alike): outcome counters and the last success."""

    def __init__(self, metrics: Metrics) -> None:
        self._m = metrics

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        name = type(method).__name__
        try:
            result = await make_request(bot, method)
        except TelegramRetryAfter:
            if self._m.enabled:
                self._m.rate_limited.inc()
                self._m.api_calls.labels(name, "429").inc()
            raise
        except TelegramAPIError:
            if self._m.enabled:
                self._m.api_calls.labels(name, "error").inc()
            raise
        except Exception:
            if self._m.enabled:
                self._m.api_calls.labels(name, "unreachable").inc()
            raise
        self._m.last_api_success = time.monotonic()
        if self._m.enabled:
            self._m.api_calls.labels(name, "ok").inc()
        return result


class UpdateMetrics(BaseMiddleware):
    """Outer update middleware: updates by type and the time each took."""

    def __init__(self, metrics: Metrics) -> None:
        self._m = metrics

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not self._m.enabled or not isinstance(event, Update):
            return await handler(event, data)
        kind = event.event_type
        self._m.updates.labels(kind).inc()
        started = time.perf_counter()
        try:
            return await handler(event, data)
        finally:
            self._m.handler_seconds.labels(kind).observe(time.perf_counter() - started)


async def refresh_gauges(app: AppContext) -> None:
    """Read the queue figures from the database at scrape time (cheap aggregate queries)."""
    from bot.complaints.models import FINAL
    from bot.complaints.tables import complaints
    from bot.outbox.repo import PENDING
    from bot.storage.tables import outbox

    m = app.metrics
    m.outbox_depth.clear()
    for priority, count in (await app.outbox.depth()).items():
        m.outbox_depth.labels(str(priority)).set(count)
    open_case = complaints.c.status.not_in(sorted(FINAL))
    async with app.db.connection() as conn:
        m.cases_open.set((await conn.execute(select(func.count()).where(open_case))).scalar_one())
        untaken = and_(open_case, complaints.c.urgent.is_(True), complaints.c.assignee_id.is_(None))
        m.cases_urgent_untaken.set((await conn.execute(select(func.count()).where(untaken))).scalar_one())
        due = and_(
            outbox.c.kind == "reminder", outbox.c.status == PENDING, outbox.c.not_before <= app.clock.now()
        )
        m.reminders_due.set((await conn.execute(select(func.count()).where(due))).scalar_one())
    age = m.seconds_since_api_success()
    m.api_age.set(age if age is not None else float("nan"))


async def health(app: AppContext) -> tuple[bool, dict[str, Any]]:
    report: dict[str, Any] = {}
    ok = True
    try:
        async with app.db.connection() as conn:
            await conn.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as exc:
        ok = False
        report["database"] = f"error: {type(exc).__name__}"
    if app.cluster is not None:
        try:
            await app.cluster.ping()
            report["redis"] = "ok"
        except Exception as exc:
            ok = False
            report["redis"] = f"error: {type(exc).__name__}"
    report["seconds_since_api_success"] = app.metrics.seconds_since_api_success()
    report["status"] = "ok" if ok else "unhealthy"
    return ok, report


def add_routes(web_app: web.Application, app: AppContext) -> None:
    """GET /healthz and GET /metrics on an aiohttp app."""

    async def healthz(_request: web.Request) -> web.Response:
        ok, report = await health(app)
        return web.json_response(report, status=200 if ok else 503)

    async def metrics(_request: web.Request) -> web.Response:
        if prom is None:
            return web.Response(status=503, text="metrics need prometheus-client: pip install '.[metrics]'\n")
        try:
            await refresh_gauges(app)
        except Exception:  # the database is down: /healthz says so; serve the counters anyway
            log.warning("metrics: could not read queue figures from the database")
        body = prom.generate_latest(app.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": prom.CONTENT_TYPE_LATEST})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)


async def serve(app: AppContext, host: str, port: int) -> web.AppRunner:
    """Polling mode: a small server for /healthz and /metrics (METRICS_PORT)."""
    web_app = web.Application()
    add_routes(web_app, app)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("metrics and health on %s:%s", host, port)
    return runner
