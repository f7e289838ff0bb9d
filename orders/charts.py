"""Small SVG charts drawn on the server: no script, no CDN, print and
screenshot as they are. Labels are escaped; sizes are in SVG user units and
the page scales the drawing to its column."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from orders.metrics import Figure

BAR_HEIGHT = 22
LABEL_WIDTH = 200
BAR_WIDTH = 300
SERIES_COLOURS = ("#2563eb", "#d97706", "#059669")


def bar_chart(figure: Figure, *, value_column: str, count_column: str, limit: int = 12
              ) -> SafeString:
    """Horizontal bars of a percentage per row, largest groups first."""
    label_at, value_at = 0, figure.columns.index(value_column)
    count_at = figure.columns.index(count_column)
    rows = [row for row in figure.rows if row[value_at] is not None][:limit]
    if not rows:
        return mark_safe('<p class="muted">No orders in this period.</p>')  # noqa: S308
    height = BAR_HEIGHT * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 90
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(figure.title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, row in enumerate(rows):
        y = 4 + i * BAR_HEIGHT
        share = float(row[value_at])
        label = str(row[label_at])
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f'<g><title>{escape(label)}: {row[value_at]}% of {row[count_at]}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" class="chart-label">'
            f'{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{BAR_WIDTH}" height="{BAR_HEIGHT - 7}" '
            f'class="chart-track" rx="3"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{BAR_WIDTH * share / 100:.1f}" '
            f'height="{BAR_HEIGHT - 7}" class="chart-bar" rx="3"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 15}" class="chart-value">'
            f'{_pct(row[value_at])} · {row[count_at]}</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def trend_chart(figure: Figure, *, series: tuple[str, ...], height: int = 220) -> SafeString:
    """Weekly lines of percentages (0–100 %), one colour per series, with a legend."""
    weeks = [row[0] for row in figure.rows]
    if not weeks:
        return mark_safe('<p class="muted">No weeks in this period.</p>')  # noqa: S308
    left, top, right, bottom = 44, 12, 24, 44
    # Drawn about as wide as the page shows it, so the text keeps its size.
    width = max(1100, 60 * len(weeks))
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(weeks) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(value) -> float:
        return top + plot_h * (1 - float(value) / 100)

    parts = [f'<svg class="chart trend" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(figure.title)}" xmlns="http://www.w3.org/2000/svg">']
    for pct in (0, 50, 100):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(pct):.1f}" y2="{y(pct):.1f}" '
                     f'class="chart-grid"/><text x="{left - 6}" y="{y(pct) + 4:.1f}" '
                     f'text-anchor="end" class="chart-axis">{pct}%</text>')
    for i, week in enumerate(weeks):
        if len(weeks) <= 14 or i % 2 == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                         f'class="chart-axis">{escape(week[5:])}</text>')
    for colour, name in zip(SERIES_COLOURS, series, strict=False):
        at = figure.columns.index(name)
        points = [(x(i), y(row[at]), row) for i, row in enumerate(figure.rows)
                  if row[at] is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         f'stroke-width="2.5"/>')
        for px, py, row in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}">'
                         f'<title>{escape(name)}, week of {escape(row[0])}: {_pct(row[at])}'
                         f'</title></circle>')
    for i, (colour, name) in enumerate(zip(SERIES_COLOURS, series, strict=False)):
        lx = left + i * 190
        parts.append(f'<rect x="{lx}" y="{height - 14}" width="12" height="4" fill="{colour}"/>'
                     f'<text x="{lx + 18}" y="{height - 9}" class="chart-axis">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def _pct(value) -> str:
    return f"{Decimal(value):.1f}%"
