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

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .campaign import Campaign
    from .siteconfig import SiteConfig

#: Row kinds in the order a department's rows list them on one day.
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


def sort_rows(rows: list[Row], config: SiteConfig) -> list[Row]:
    """By department (taxonomy order), day, kind, title."""
    order = list(config.taxonomy.departments)
    kinds = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(rows, key=lambda r: (order.index(r.department), r.day, kinds.get(r.kind, len(kinds)), r.kind, r.title))


def pivot(rows: list[Row], column: str) -> dict[str, dict[str, int]]:
    """department -> column value (month or topic) -> count."""
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        key = getattr(row, column)
        table.setdefault(row.department, {}).setdefault(key, 0)
        table[row.department][key] += 1
    return table


def month_span(rows: list[Row]) -> list[str]:
    """Every month from the first row's to the last row's, ``yyyy-mm``: a month in which no
    department published anything is a column of zeros, not a gap the assessor has to notice."""
    if not rows:
        return []
    first, last = min(row.day for row in rows), max(row.day for row in rows)
    months: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def report_csv(campaign: Campaign) -> bytes:
    taxonomy, site_url = campaign.config.taxonomy, campaign.config.site.site_url
    rows = [["部门", "类型", "标题", "日期", "月份", "主题", "网址"]]
    for row in campaign.report_rows:
        topic = taxonomy.topics[row.topic].name if row.topic else ""
        rows.append([taxonomy.departments[row.department], row.kind, row.title, row.day.isoformat(), row.month,
                     topic, site_url + row.url])
    return csv_bytes(rows)
