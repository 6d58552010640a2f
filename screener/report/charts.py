"""The report's charts as Plotly figures (JSON the page draws with the plotly.js it inlines).

Plotly is a maintained charting library whose Python package carries plotly.js itself, so the page
needs no other host; figures are built here from the summary's figures, never from raw rows.
"""

from __future__ import annotations

import json

BAND_COLOURS = {"none": "#8d959e", "low": "#3a7dbf", "medium": "#d69e00", "high": "#e0641a", "critical": "#c0282d"}
CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


COUNT_AXIS = {"title": "rows", "rangemode": "tozero", "tickformat": ",d", "automargin": True, "gridcolor": "#e3e7eb"}
LABEL_CHARS = 34


def _count_axis(counts: list[int]) -> dict:
    """Whole numbers only: a tick per row while there are few rows."""
    return {**COUNT_AXIS, **({"dtick": 1} if max(counts, default=0) <= 8 else {})}


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "\u2026"


def _layout(go, height: int, top: int = 10, right: int = 30, **extra):
    return go.Layout(template=go.layout.Template(layout={"font": {"family": "system-ui, sans-serif", "size": 12},
                                                         "paper_bgcolor": "white", "plot_bgcolor": "white"}),
                     height=height, margin={"l": 10, "r": right, "t": top, "b": 40}, showlegend=False, **extra)


def bands_figure(bands: list[dict]):
    """The bar chart of rows per band (a Plotly figure)."""
    import plotly.graph_objects as go

    names = [b["band"] for b in bands]
    return go.Figure(go.Bar(x=names, y=[b["count"] for b in bands], text=[f"{b['count']:,}" for b in bands],
                            textposition="outside", cliponaxis=False,
                            marker_color=[BAND_COLOURS.get(n, "#666") for n in names],
                            hovertemplate="%{x}: %{y:,} rows<extra></extra>"),
                     _layout(go, 260, top=20, xaxis={"title": "band"}, yaxis=_count_axis([b["count"] for b in bands])))


def histogram_figure(histogram: list[dict], thresholds: dict[str, float]):
    """Rows per score bin, with a line at each band threshold."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=[h["from"] + (h["to"] - h["from"] + 1) / 2 for h in histogram],
                           y=[h["count"] for h in histogram], width=[h["to"] - h["from"] + 0.6 for h in histogram],
                           customdata=[f"{h['from']}\u2013{h['to']}" for h in histogram],
                           marker_color="#4a5b6e", hovertemplate="score %{customdata}: %{y:,} rows<extra></extra>"),
                    _layout(go, 260, top=26, xaxis={"title": "score", "range": [0, 101]},
                            yaxis=_count_axis([h["count"] for h in histogram]), bargap=0.05))
    for band, at in thresholds.items():
        fig.add_vline(x=at, line_dash="dot", line_color=BAND_COLOURS.get(band, "#666"),
                      annotation_text=band, annotation_position="top")
    return fig


def top_figure(items: list[dict], label_of=lambda item: item["value"], colour: str = "#4a5b6e"):
    """A horizontal bar per value, most frequent on top."""
    import plotly.graph_objects as go

    items = list(reversed(items))
    labels = [label_of(i) for i in items]
    counts = [i["count"] for i in items]
    # labels shortened on the axis (each must stay distinct: a category axis merges equal ones), whole in the hover
    short = [_short(x) for x in labels]
    short = short if len(set(short)) == len(short) else labels
    return go.Figure(go.Bar(y=short, x=counts, orientation="h", marker_color=colour, customdata=labels,
                            text=[f"{c:,}" for c in counts], textposition="outside", cliponaxis=False,
                            hovertemplate="%{customdata}: %{x:,} rows<extra></extra>"),
                     _layout(go, 60 + 22 * max(len(items), 1), right=70, xaxis=_count_axis(counts),
                             yaxis={"automargin": True, "type": "category"}))


def figure_json(fig) -> dict:
    """The figure as plain JSON data (Plotly's own encoder: numpy and dates handled)."""
    import plotly.io as pio

    return json.loads(pio.to_json(fig, validate=False, remove_uids=True))


def plotly_js() -> str:
    """plotly.js itself, from the Python package, to inline in the page."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()
