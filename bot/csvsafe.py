"""Spreadsheet-safe CSV cells: a leading = + - @ (or tab/CR) would make Excel or LibreOffice run a formula."""

from __future__ import annotations

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS) else text
