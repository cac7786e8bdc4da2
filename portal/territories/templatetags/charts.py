"""``{% chart data %}``: a chart with the same numbers in a table, for dashboards and reports.

``data`` is a dict: ``id`` (unique on the page), ``title``, ``kind`` ("bar" or "line"),
``label_heading`` (the first column's heading, e.g. "Day"), ``labels`` (one per row),
``series`` (a list of ``{"label": ..., "values": [...]}``, one value per label) and
optionally ``unit`` ("€"). The table is the chart's accessible twin and its fallback when
scripts do not run; the chart itself is drawn by the ``charts`` script from the same JSON,
and follows the JSON at ``data["refresh_url"]`` every ``data["refresh_seconds"]`` if given.
"""

from django import template

register = template.Library()


def chart_rows(data: dict) -> list[tuple[str, list]]:
    """``(label, [value of each series])`` for each label, in order."""
    series = data.get("series") or []
    return [
        (label, [s["values"][i] if i < len(s["values"]) else "" for s in series])
        for i, label in enumerate(data.get("labels") or [])
    ]


@register.inclusion_tag("territories/chart.html")
def chart(data: dict) -> dict:
    return {"chart": data, "rows": chart_rows(data), "script_id": f"{data['id']}-data"}
