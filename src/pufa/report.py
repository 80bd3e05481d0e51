"""What each department published: the county office's assessment report.

“谁执法谁普法” makes each department responsible for legal education about
the laws it enforces, and the county office assesses them yearly. The report
lists every lesson, episode and activity by department, month and topic; the
CSV opens directly in Excel/WPS (UTF-8 with a byte-order mark), and no cell
an editor wrote can run as a formula there.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from . import routes
from .collection import Collection

KINDS = ("课程", "节目", "活动")
#: What makes Excel/WPS read a cell as a formula (OWASP, “CSV Injection”).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs: OWASP's leading-quote rule.

    Spreadsheets skip leading spaces before reading a formula, so ``  =1+1``
    counts as one too; the quote goes before the whole cell, which is kept.
    """
    if cell.lstrip(" \u3000\n").startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_bytes(rows: list[list[str]]) -> bytes:
    """Rows as CSV that opens cleanly in Excel/WPS: UTF-8 with BOM, CRLF, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class Row:
    department: str  # key
    kind: str  # one of KINDS
    title: str
    day: date
    topic: str  # topic key, "" for activities without one
    url: str  # site-relative page URL

    @property
    def month(self) -> str:
        return f"{self.day:%Y-%m}"


def report_rows(collection: Collection) -> list[Row]:
    rows = [Row(l.meta.department, "课程", l.title, l.meta.date, l.meta.topic, l.url) for l in collection.lessons]
    rows += [
        Row(e.meta.department, "节目", f"第{e.meta.number}期：{e.title}", e.meta.air.date(), e.meta.topic, e.url)
        for e in collection.episodes
    ]
    for month in collection.months:
        topic = month.meta.topics[0] if len(month.meta.topics) == 1 else ""
        rows += [Row(a.department, "活动", a.title, a.date, topic, month.url) for a in month.meta.activities]
    order = list(collection.config.taxonomy.departments)
    return sorted(rows, key=lambda r: (order.index(r.department), r.day, KINDS.index(r.kind), r.title))


def pivot(rows: list[Row], column: str) -> dict[str, dict[str, int]]:
    """department -> column value (month or topic) -> count."""
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        key = getattr(row, column)
        table.setdefault(row.department, {}).setdefault(key, 0)
        table[row.department][key] += 1
    return table


def report_csv(collection: Collection) -> bytes:
    taxonomy, site_url = collection.config.taxonomy, collection.config.site.site_url
    rows = [["部门", "类型", "标题", "日期", "月份", "主题", "网址"]]
    for row in report_rows(collection):
        topic = taxonomy.topics[row.topic].name if row.topic else ""
        rows.append([taxonomy.departments[row.department], row.kind, row.title, row.day.isoformat(), row.month,
                     topic, site_url + row.url])
    return csv_bytes(rows)
