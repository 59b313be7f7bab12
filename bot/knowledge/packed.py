"""Sparse tables keyed by feature, packed into a few flat arrays.

The models (bot/knowledge/classifier.py, bot/knowledge/examples.py) map tens of thousands of features
(word stems, character n-grams) to short lists of (class or example, weight). As Python dicts of strings
and tuples they took ~30 MB and seconds to build; packed they take a few MB, and they are plain arrays
that the build cache (bot/knowledge/cache.py) writes and reads back without pickle.

A feature is stored as a 64-bit hash of its text, so the table never holds a message's words, only
numbers; at 64 bits two of ~10^5 features collide with a chance of ~10^-9.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping

EMPTY: tuple[memoryview, memoryview] = (memoryview(array("I")), memoryview(array("f")))


def key(feature: str) -> int:
    """A feature's stable 64-bit key (the same in every process, unlike hash())."""
    return int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little", signed=True)


class KeySet:
    """A set of features stored as sorted keys."""

    def __init__(self, keys: array[int]) -> None:
        self.keys = keys

    @classmethod
    def of(cls, features: Iterable[str]) -> KeySet:
        return cls(array("q", sorted({key(f) for f in features})))

    def __contains__(self, feature: object) -> bool:
        if not isinstance(feature, str):
            return False
        k = key(feature)
        i = bisect_left(self.keys, k)
        return i < len(self.keys) and self.keys[i] == k


class Table:
    """feature → (column ids, weights) and an optional number per feature (e.g. its idf).

    Compressed sparse rows: `keys` sorted, row i's entries at offsets[i]:offsets[i + 1].
    """

    def __init__(
        self,
        keys: array[int],
        offsets: array[int],
        columns: array[int],
        weights: array[float],
        scalars: array[float],
    ) -> None:
        self.keys, self.offsets, self.columns, self.weights, self.scalars = (
            keys,
            offsets,
            columns,
            weights,
            scalars,
        )
        self._columns, self._weights = memoryview(columns), memoryview(weights)

    @classmethod
    def build(
        cls, rows: Mapping[str, Iterable[tuple[int, float]]], scalars: Mapping[str, float] | None = None
    ) -> Table:
        """From rows by feature text; `scalars` may name features without a row (and vice versa)."""
        names = set(rows) | set(scalars or ())
        ordered = sorted((key(name), name) for name in names)
        keys, offsets = array("q"), array("I", [0])
        columns, weights, values = array("I"), array("f"), array("f")
        for k, name in ordered:
            keys.append(k)
            for column, weight in rows.get(name, ()):
                columns.append(column)
                weights.append(weight)
            offsets.append(len(columns))
            if scalars is not None:
                values.append(scalars.get(name, 0.0))
        return cls(keys, offsets, columns, weights, values)

    def _find(self, feature: str) -> int:
        k = key(feature)
        i = bisect_left(self.keys, k)
        return i if i < len(self.keys) and self.keys[i] == k else -1

    def row(self, feature: str) -> tuple[memoryview, memoryview]:
        """(column ids, weights) of a feature; empty for an unknown one. Views, not copies."""
        i = self._find(feature)
        if i < 0:
            return EMPTY
        start, end = self.offsets[i], self.offsets[i + 1]
        return self._columns[start:end], self._weights[start:end]

    def lookup(self, feature: str) -> tuple[float, memoryview, memoryview] | None:
        """(scalar, column ids, weights) of a known feature, None for an unknown one."""
        i = self._find(feature)
        if i < 0:
            return None
        start, end = self.offsets[i], self.offsets[i + 1]
        scalar = self.scalars[i] if self.scalars else 0.0
        return scalar, self._columns[start:end], self._weights[start:end]

    def arrays(self, prefix: str) -> dict[str, array[int] | array[float]]:
        return {
            f"{prefix}.keys": self.keys,
            f"{prefix}.offsets": self.offsets,
            f"{prefix}.columns": self.columns,
            f"{prefix}.weights": self.weights,
            f"{prefix}.scalars": self.scalars,
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, array[int] | array[float]], prefix: str) -> Table:
        parts = ("keys", "offsets", "columns", "weights", "scalars")
        return cls(*(arrays[f"{prefix}.{part}"] for part in parts))  # type: ignore[arg-type]
