"""A build cache for the knowledge base: the index and the model are trained once per content version.

Training (stemming ~4,000 example questions, three naive Bayes heads) takes seconds; reading its result
back takes milliseconds. The cache is keyed by a hash of everything the result depends on: every file of
the knowledge directory, the code of this package, the stemmers' versions. Any edit gives a new key, so
a stale entry is never read; a damaged one is ignored and rebuilt.

The format is a JSON header and raw arrays (no pickle: a file in a writable directory must not be able
to run code). Writes go to a temporary file renamed into place, so several instances starting together
at worst build the same entry twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
from array import array
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = b"migrant-bot knowledge cache 1\n"
TYPECODES = ("q", "I", "f")  # what the packed tables use
KEEP = 3  # entries kept: the current content and a couple of recent ones (reload, rollback)
_PACKAGE = Path(__file__).resolve().parent
_LIBRARIES = ("pymorphy3", "pymorphy3-dicts-ru", "snowballstemmer")

Arrays = dict[str, "array[int] | array[float]"]


def content_key(directory: Path) -> str:
    """A hash of the knowledge files, this package's code and the stemmers' versions."""
    digest = hashlib.sha256(FORMAT + sys.byteorder.encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=?;".encode())
    for root in (_PACKAGE, directory):
        pattern = "*.py" if root == _PACKAGE else "*"
        for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


class BuildCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        return self.directory / f"knowledge-{key[:32]}.bin"

    def load(self, key: str) -> tuple[dict[str, Any], Arrays] | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            return _decode(data, key)
        except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
            log.warning("knowledge cache %s unreadable (%s): rebuilding", path.name, type(exc).__name__)
            return None

    def store(self, key: str, meta: dict[str, Any], arrays: Arrays) -> None:
        """Best effort: a read-only or full disk costs the next start its time, never the bot."""
        tmp: Path | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.directory, prefix=".knowledge-", delete=False) as out:
                tmp = Path(out.name)
                out.write(_encode(key, meta, arrays))
            os.replace(tmp, self._path(key))
            tmp = None
            current = self._path(key)
            others = [p for p in self.directory.glob("knowledge-*.bin") if p != current]
            for old in sorted(others, key=lambda p: p.stat().st_mtime_ns)[: max(len(others) - KEEP + 1, 0)]:
                old.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("knowledge cache not written (%s)", type(exc).__name__)
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink(missing_ok=True)


def _encode(key: str, meta: dict[str, Any], arrays: Arrays) -> bytes:
    header = {
        "key": key,
        "meta": meta,
        "arrays": [[name, a.typecode, len(a)] for name, a in arrays.items()],
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    return b"".join([FORMAT, len(head).to_bytes(8, "little"), head, *(a.tobytes() for a in arrays.values())])


def _decode(data: bytes, key: str) -> tuple[dict[str, Any], Arrays]:
    if not data.startswith(FORMAT):
        raise ValueError("format")
    at = len(FORMAT)
    size = int.from_bytes(data[at : at + 8], "little")
    at += 8
    header = json.loads(data[at : at + size])
    at += size
    if header["key"] != key:
        raise ValueError("key")
    arrays: Arrays = {}
    for name, typecode, count in header["arrays"]:
        if typecode not in TYPECODES:
            raise ValueError("typecode")
        values = array(typecode)
        end = at + values.itemsize * count
        if end > len(data):
            raise ValueError("truncated")
        values.frombytes(data[at:end])
        arrays[name] = values
        at = end
    if at != len(data):
        raise ValueError("length")
    return header["meta"], arrays
