"""The operations dashboard: how much runs without a person, and what stops the rest."""

import csv

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from orders.charts import bar_chart, trend_chart
from orders.metrics import FIGURE_KEYS, Period, dashboard

#: Everyone on the desk may read decisions (orders.roles); the figures are made of them.
VIEW_FIGURES = "rules.view_decision"

BAR_FIGURES = {
    "touchless_by_channel": ("touchless %", "orders"),
    "touchless_by_customer_group": ("touchless %", "orders"),
    "touchless_by_customer": ("touchless %", "orders"),
    "touchless_by_product_family": ("touchless %", "orders"),
    "exceptions_by_cause": ("% of orders", "orders"),
    "exceptions_by_defect": ("exception %", "exceptions"),
    "exceptions_by_customer": ("exception %", "exceptions"),
    "exceptions_by_product_family": ("exception %", "exceptions"),
}


@login_required
@permission_required(VIEW_FIGURES, raise_exception=True)
def dashboard_page(request):
    try:
        period = Period.from_params(request.GET)
        error = ""
    except ValueError as exc:
        period, error = Period.recent(), str(exc)
    board = dashboard(period)
    charts = [(board[key], bar_chart(board[key], value_column=value, count_column=count))
              for key, (value, count) in BAR_FIGURES.items()]
    trend = trend_chart(board["weekly"], series=("touchless %", "human dependency %",
                                                 "resolved permanently %"))
    return render(request, "orders/dashboard.html", {
        "title": "Operations dashboard", "board": board, "period": period, "error": error,
        "charts": charts, "trend": trend, "kpis": _kpis(board["summary"]),
        "query": request.GET.urlencode(),
    })


def duration(hours) -> str:
    """Hours as people read a waiting time: minutes, hours or days."""
    if hours is None:
        return "–"
    minutes = float(hours) * 60
    if minutes < 1:
        return "< 1 min"
    if minutes < 60:
        return f"{minutes:.0f} min"
    return f"{float(hours):.1f} h" if hours < 48 else f"{float(hours) / 24:.1f} d"


def _kpis(summary) -> list[dict]:
    """The headline cards, in words, from the summary figure's rows."""
    row = {measure: (count, value) for measure, count, value in summary.rows}

    def pct(measure):
        value = row[measure][1]
        return "–" if value is None else f"{value}%"

    def hours(measure):
        return duration(row[measure][1])

    orders, people = row["Orders"][0], row["Orders per person"][0]
    return [
        {"label": "No human touch", "value": pct("Completed with no human touch"),
         "sub": f"{row['Completed with no human touch'][0]} of {orders} orders"},
        {"label": "Human dependency ratio", "value": pct("Human dependency ratio"),
         "sub": f"{row['Human dependency ratio'][0]} orders needed a person"},
        {"label": "Cycle time, touchless", "value": hours("Cycle time, touchless: median hours"),
         "sub": f"median · p90 {hours('Cycle time, touchless: p90 hours')}"},
        {"label": "Cycle time, exception", "value": hours("Cycle time, exception: median hours"),
         "sub": f"median · p90 {hours('Cycle time, exception: p90 hours')}"},
        {"label": "Manual touches per order",
         "value": row["Manual touches per order"][1] if orders else "–",
         "sub": f"{row['Manual touches per order'][0]} touches"},
        {"label": "Orders per person", "value": row["Orders per person"][1] or "–",
         "sub": f"{people} {'person' if people == 1 else 'people'} touched cases"},
        {"label": "Resolved permanently",
         "value": pct("Exceptions resolved permanently (master data or rule fixed)"),
         "sub": "of resolved exceptions, fixed at the source"},
        {"label": "Exceptions open", "value": row["Exceptions still open"][0],
         "sub": "waiting for a person"},
    ]


@login_required
@permission_required(VIEW_FIGURES, raise_exception=True)
def figure_csv(request, key: str):
    if key not in FIGURE_KEYS:
        raise Http404(f"no figure {key!r}")
    try:
        period = Period.from_params(request.GET)
    except ValueError as exc:
        return HttpResponse(f"{exc}\n", status=400, content_type="text/plain")
    figure = dashboard(period)[key]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"orderdesk-{key}-{period.start}-{period.end}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(figure.columns)
    writer.writerows([_cell(value) for value in row] for row in figure.rows)
    return response


def _cell(value) -> str:
    """A CSV cell; text a spreadsheet would run as a formula is quoted (CSV injection)."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@") else text
