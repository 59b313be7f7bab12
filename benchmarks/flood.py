"""CPU cost of each message from a person who floods the bot (dropped by flood control).

    python benchmarks/flood.py                        # this checkout
    python benchmarks/flood.py --root /other/checkout --messages 1000

The real Dispatcher with a fake session (no network) over a SQLite file; the person chooses a
language, then sends --messages messages at once; the figure is CPU time per dropped message, and the
number of SQL statements they caused.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path


async def run(messages: int) -> None:
    from sqlalchemy import event

    from bot.app import close, create_app
    from bot.config import load_settings
    from bot.storage import migrate
    from tests.support import updates
    from tests.support.session import FakeSession

    with tempfile.TemporaryDirectory() as state:
        settings = load_settings(
            None,
            bot_token="123456:bench-token",
            state_dir=Path(state),
            flood_limit=5,
            flood_window_seconds=600,
        )
        app = create_app(settings, session=FakeSession())
        await migrate.upgrade(app.db)
        dp = app.dispatcher
        if dp is None:
            raise SystemExit("no dispatcher")
        user = 9001
        for _ in range(settings.flood_limit + 1):  # reach the limit (and the one "slow down")
            await dp.feed_update(app.bot, updates.message(user, "/help"))
        statements = []
        event.listen(app.db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(1))
        batch = [updates.message(user, "/help") for _ in range(messages)]
        start = time.process_time()
        for update in batch:
            await dp.feed_update(app.bot, update)
        cpu = time.process_time() - start
        await close(app)
    print(f"dropped messages: {messages}")
    print(f"CPU per dropped message: {cpu / messages * 1000:.3f} ms")
    print(f"SQL statements per dropped message: {len(statements) / messages:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root))
    print(f"checkout: {args.root}")
    asyncio.run(run(args.messages))


if __name__ == "__main__":
    main()
