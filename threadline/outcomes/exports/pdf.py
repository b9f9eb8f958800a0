"""The funder report as a PDF (ReportLab, pure Python): title and period, how it was counted, the
county map (drawn from the same shapes as the web map), then each section's tables and figures.
Hidden cells are ``*``. A row-level export's watermark (the exporter's name) is printed across
every page."""

from __future__ import annotations

import io
import re
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Path
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from threadline.outcomes import texas_map
from threadline.outcomes.publish import Shown

_COMMAND = re.compile(r"([MLZ])([^MLZ]*)")


def _svg_path(d: str, scale: float, height: float, **style: Any) -> Path:
    """An SVG path of M/L/Z commands (what d3-geo writes) as a ReportLab path, y axis flipped."""
    path = Path(**style)
    for command, args in _COMMAND.findall(d):
        if command == "Z":
            path.closePath()
            continue
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        for i in range(0, len(numbers) - 1, 2):
            x, y = numbers[i] * scale, height - numbers[i + 1] * scale
            if command == "M" and i == 0:
                path.moveTo(x, y)
            else:
                path.lineTo(x, y)
    return path


def map_drawing(shown: Shown, width: float) -> Drawing:
    data = texas_map.shapes()
    _x, _y, w, h = (float(v) for v in data["viewBox"].split())
    scale = width / w
    height = h * scale
    drawing = Drawing(width, height)
    known = [n for n in shown.map_counts.values() if n is not None]
    classes = texas_map.bins(max(known, default=0), shown.small_max)
    area = set(shown.report.service_area)
    later: list[Path] = []
    for county in data["counties"]:
        count = shown.map_counts.get(county["name"], 0)
        in_area = county["name"] in area
        fill = texas_map.fill_for(count, classes) if (in_area or count) else texas_map.OUTSIDE_FILL
        path = _svg_path(
            county["d"],
            scale,
            height,
            fillColor=colors.HexColor(fill),
            strokeColor=colors.HexColor(texas_map.SERVICE_STROKE if in_area else "#969696"),
            strokeWidth=1.2 if in_area else 0.25,
        )
        (later if in_area else drawing.contents).append(path)
    drawing.contents.extend(later)
    return drawing


def _watermark(text: str) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 16)
        canvas.setFillColor(colors.Color(0.6, 0, 0, alpha=0.25))
        canvas.translate(LETTER[0] / 2, LETTER[1] / 2)
        canvas.rotate(35)
        canvas.drawCentredString(0, 0, text[:90])
        canvas.restoreState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(0.75 * inch, 0.5 * inch, text[:160])

    return draw


def _page_number(canvas: Any, doc: Any) -> None:
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(LETTER[0] - 0.75 * inch, 0.5 * inch, str(doc.page))


def render(shown: Shown, *, title: str, subtitle: str, notes: list[str], watermark: str = "") -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=title,
        author="Threadline",
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.75 * inch,
        bottomMargin=0.75 * inch,
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10, textColor=colors.HexColor("#444444"))
    cell_style = styles["BodyText"].clone("cell", fontSize=8.5, leading=10.5)

    def p(text: object, style: Any = None) -> Paragraph:
        return Paragraph(escape(str(text)), style or styles["BodyText"])

    story: list[Any] = [p(title, styles["Title"]), p(subtitle, styles["Heading4"])]
    for note in notes:
        story.append(p(note, small))
    story.append(Spacer(1, 8))
    if shown.report.map_counts is not None and texas_map.DATA.exists():
        story.append(p(_("Referrals by county"), styles["Heading3"]))
        story.append(map_drawing(shown, doc.width * 0.8))
        story.append(
            p(
                _("Shaded by referrals; the service area is outlined in red; grey: hidden (small number)."),
                small,
            )
        )
    for section in shown.sections:
        story.append(CondPageBreak(2.5 * inch))  # a section title never ends a page alone
        story.append(p(section.section.title, styles["Heading2"]))
        for table in section.tables:
            data = [[p("", cell_style), *(p(label, cell_style) for label in table.column_labels)]]
            for label, cells in table.rows:
                data.append([p(label, cell_style), *(cell.text for cell in cells)])
            first = doc.width * 0.46
            rest = (doc.width - first) / max(len(table.column_labels), 1)
            grid = Table(data, colWidths=[first] + [rest] * len(table.column_labels), repeatRows=1)
            style = [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
            if table.table.column_totals:
                style.append(("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8.5))
            grid.setStyle(TableStyle(style))
            block = [p(table.table.title, styles["Heading4"]), grid]
            if table.table.how:
                block.append(p(table.table.how, small))
            story.append(KeepTogether(block))
            story.append(Spacer(1, 6))
        if section.figures:
            rows = [[p(f.figure.label, cell_style), f.text] for f in section.figures]
            figures = Table(rows, colWidths=[doc.width * 0.7, doc.width * 0.3])
            figures.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
                        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
                    ]
                )
            )
            story.append(KeepTogether([p(_("Figures"), styles["Heading4"]), figures]))
    on_page = _watermark(watermark) if watermark else _page_number
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
