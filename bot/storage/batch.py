"""Group commit: the writes that concurrent updates each make go to the database in one transaction.

Every update writes before it is answered (its id for dedupe, the user row), and each of those writes
must be committed before the answer goes out. One transaction per update cost more than the rest of
the update's handling together (a transaction is several trips to the SQLite thread or the PostgreSQL
server). `GroupCommit.submit` queues a request and waits until the transaction holding it has
committed; while one transaction is running, the requests that arrive meanwhile wait and then go
together in the next one. Nothing is delayed on purpose: an idle bot commits a lone request at once.

Requests sharing a key (the same update id delivered twice at once, or the same person) never go in the
same transaction: a later one waits for the next, so it sees the earlier one's committed effect.
A failed transaction fails every request in it, as each would have failed on its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Generic, TypeVar

Request = TypeVar("Request")
Result = TypeVar("Result")


class GroupCommit(Generic[Request, Result]):
    def __init__(
        self,
        run: Callable[[Sequence[Request]], Awaitable[Sequence[Result]]],
        *,
        keys: Callable[[Request], Iterable[Hashable]] = lambda _request: (),
        max_batch: int = 100,
    ) -> None:
        """`run` performs one transaction for a batch and returns one result per request, in order."""
        self._run = run
        self._keys = keys
        self._max_batch = max_batch
        self._pending: list[tuple[Request, asyncio.Future[Result]]] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, request: Request) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._pending.append((request, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await future

    def _take(self) -> list[tuple[Request, asyncio.Future[Result]]]:
        batch: list[tuple[Request, asyncio.Future[Result]]] = []
        rest: list[tuple[Request, asyncio.Future[Result]]] = []
        taken: set[Hashable] = set()
        for item in self._pending:
            keys = list(self._keys(item[0]))
            if item[1].done() or len(batch) >= self._max_batch or taken.intersection(keys):
                if not item[1].done():  # a cancelled waiter's request is dropped
                    rest.append(item)
                continue
            taken.update(keys)
            batch.append(item)
        self._pending = rest
        return batch

    async def _drain(self) -> None:
        while self._pending:
            batch = self._take()
            if not batch:
                continue
            try:
                results = await self._run([request for request, _ in batch])
            except BaseException as exc:  # every waiter sees its transaction's failure
                for _, future in batch:
                    if not future.done():
                        if isinstance(exc, Exception):
                            future.set_exception(exc)
                        else:
                            future.cancel()
                if not isinstance(exc, Exception):
                    raise
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)
