"""The funder report as a workbook (XlsxWriter): one sheet per section, each table with its
margins, hidden cells shown as ``*``, every text escaped against formula injection and written as
text (never as a formula)."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from threadline.outcomes.exports.cells import safe_text
from threadline.outcomes.publish import Shown

MAX_SHEET_NAME = 31


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:MAX_SHEET_NAME] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" {n}"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def render(shown: Shown, *, title: str, subtitle: str, notes: list[str], watermark: str = "") -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    book.set_properties({"title": title, "comments": subtitle})
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "font_size": 14})
    muted = book.add_format({"italic": True, "font_color": "#555555"})
    header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
    number = book.add_format({"num_format": "#,##0"})
    hidden = book.add_format({"align": "right", "font_color": "#555555"})
    used: set[str] = set()

    def text(sheet: Any, row: int, col: int, value: object, fmt: Any = None) -> None:
        sheet.write_string(row, col, safe_text(value), fmt)

    about = book.add_worksheet(_sheet_name(_("About"), used))
    about.set_column(0, 0, 100)
    text(about, 0, 0, title, heading)
    text(about, 1, 0, subtitle)
    row = 3
    if watermark:
        text(about, row, 0, watermark, bold)
        row += 2
    for note in notes:
        text(about, row, 0, note)
        row += 1
    for section in shown.sections:
        sheet = book.add_worksheet(_sheet_name(str(section.section.title), used))
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, 6, 16)
        text(sheet, 0, 0, section.section.title, heading)
        row = 2
        if watermark:
            text(sheet, 1, 0, watermark, muted)
        for table in section.tables:
            text(sheet, row, 0, table.table.title, bold)
            row += 1
            text(sheet, row, 0, "", header)
            for c, label in enumerate(table.column_labels, start=1):
                text(sheet, row, c, label, header)
            row += 1
            for label, cells in table.rows:
                text(sheet, row, 0, label)
                for c, cell in enumerate(cells, start=1):
                    if cell.value is None:
                        text(sheet, row, c, cell.text, hidden)
                    else:
                        sheet.write_number(row, c, cell.value, number)
                row += 1
            if table.table.how:
                text(sheet, row, 0, table.table.how, muted)
                row += 1
            row += 1
        if section.figures:
            text(sheet, row, 0, _("Figures"), bold)
            row += 1
            for figure in section.figures:
                text(sheet, row, 0, figure.figure.label)
                text(sheet, row, 1, figure.text)
                row += 1
    book.close()
    return buffer.getvalue()
