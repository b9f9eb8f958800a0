"""Spreadsheet cells that cannot run: a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is read as a formula by Excel, LibreOffice and Google Sheets (CSV injection,
OWASP). Such text gets a leading apostrophe, shown as text by every spreadsheet."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_text(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
