"""The report's chart: each department's output by month, as an SVG drawn at build time.

The county office reads the report as a picture, but the site loads nothing from
elsewhere and runs no chart library: a handful of rectangles written here is
all a bar chart needs. One row per department (small multiples) keeps every
row labelled in text, so no colour legend is needed and the bars can all take
the site's primary colour; the counts are printed above the bars and repeated
in the ``<desc>`` and in the table beside the chart for screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

#: Geometry in SVG user units; the SVG scales to its box (viewBox, no fixed size).
#: Narrow enough that a 390 px phone shows the labels at about the body text's size.
WIDTH = 400
LABEL_WIDTH = 84
TOTAL_WIDTH = 40
ROW_HEIGHT = 40
BAR_HEIGHT = 20
AXIS_HEIGHT = 32
FONT_SIZE = 13
#: The site's government red (pufa.css), used when the page's CSS variable is missing.
FALLBACK_FILL = "#b71c1c"


def month_label(month: str) -> str:
    """``2026-03`` -> ``2026年3月``: what a reader (and a screen reader) says."""
    year, _, number = month.partition("-")
    return f"{year}年{int(number)}月"


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "", fit: float = 0) -> str:
    """A label; one wider than ``fit`` units (a long department name) is squeezed to fit."""
    classes = f' class="{css}"' if css else ""
    squeeze = f' textLength="{fit:g}" lengthAdjust="spacingAndGlyphs"' if fit and len(text) * FONT_SIZE > fit else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{classes}{squeeze}>{escape(text)}</text>'


def _label(name: str, base: float) -> str:
    """A department's name right-aligned before its row: on two lines when one is too short for it
    (县人力资源和社会保障局), each squeezed only if it still does not fit."""
    fit = LABEL_WIDTH - 8
    if len(name) * FONT_SIZE <= fit:
        return _text(LABEL_WIDTH - 6, base - 6, name, "end", "pufa-chart__label")
    half = (len(name) + 1) // 2
    return (_text(LABEL_WIDTH - 6, base - 8 - FONT_SIZE, name[:half], "end", "pufa-chart__label", fit=fit)
            + _text(LABEL_WIDTH - 6, base - 6, name[half:], "end", "pufa-chart__label", fit=fit))


def _description(departments: Sequence[tuple[str, str]], months: Sequence[str],
                 counts: Mapping[str, Mapping[str, int]]) -> str:
    """The chart in words: one sentence per department, every month it published in."""
    sentences = []
    for key, name in departments:
        row = counts.get(key, {})
        parts = [f"{month_label(m)} {row[m]} 项" for m in months if row.get(m)]
        total = sum(row.get(m, 0) for m in months)
        sentences.append(f"{name}：{'，'.join(parts) if parts else '没有发布'}；合计 {total} 项。")
    return "".join(sentences)


def monthly_chart(departments: Sequence[tuple[str, str]], months: Sequence[str],
                  counts: Mapping[str, Mapping[str, int]], chart_id: str = "pufa-report-chart") -> Markup:
    """Bars of each department's count per month; empty Markup when there is no month to draw."""
    if not months or not departments:
        return Markup("")
    column = (WIDTH - LABEL_WIDTH - TOTAL_WIDTH) / len(months)
    bar_width = max(min(column * 0.7, 28), 2)
    peak = max((counts.get(key, {}).get(m, 0) for key, _ in departments for m in months), default=0) or 1
    height = AXIS_HEIGHT + ROW_HEIGHT * len(departments) + AXIS_HEIGHT
    title = "各部门每月发布数量"
    parts = [
        f'<svg class="pufa-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-title">{title}</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(departments, months, counts))}</desc>',
        _text(WIDTH - TOTAL_WIDTH / 2, AXIS_HEIGHT - 10, "合计", "middle", "pufa-chart__head"),
    ]
    for row_index, (key, name) in enumerate(departments):
        row = counts.get(key, {})
        base = AXIS_HEIGHT + ROW_HEIGHT * (row_index + 1)  # the row's baseline
        parts.append(f'<line class="pufa-chart__rule" x1="{LABEL_WIDTH}" x2="{WIDTH - TOTAL_WIDTH}" '
                     f'y1="{base}" y2="{base}" stroke="currentColor" stroke-opacity=".35"/>')
        parts.append(_label(name, base))
        for index, month in enumerate(months):
            value = row.get(month, 0)
            if not value:
                continue
            bar = max(BAR_HEIGHT * value / peak, 2)
            x = LABEL_WIDTH + column * index + (column - bar_width) / 2
            parts.append(f'<rect class="pufa-chart__bar" x="{x:.1f}" y="{base - bar:.1f}" width="{bar_width:.1f}" '
                         f'height="{bar:.1f}" fill="{FALLBACK_FILL}"/>')
            parts.append(_text(x + bar_width / 2, base - bar - 2, str(value), "middle", "pufa-chart__value"))
        total = sum(row.get(m, 0) for m in months)
        parts.append(_text(WIDTH - TOTAL_WIDTH / 2, base - 6, str(total), "middle", "pufa-chart__total"))
    axis = AXIS_HEIGHT + ROW_HEIGHT * len(departments)
    for index, month in enumerate(months):
        x = LABEL_WIDTH + column * (index + 0.5)
        year, _, number = month.partition("-")
        parts.append(_text(x, axis + 15, str(int(number)), "middle", "pufa-chart__month"))
        if index == 0 or number == "01":  # the year where it starts or changes
            parts.append(_text(x - column / 2, axis + 29, f"{year}年", "start", "pufa-chart__year"))
    parts.append(_text(WIDTH - TOTAL_WIDTH / 2, axis + 15, "月", "middle", "pufa-chart__month"))
    parts.append("</svg>")
    return Markup("".join(parts))
