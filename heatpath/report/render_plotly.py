"""Interactive rendering of :class:`FigureSpec` with plotly (HTML report)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from heatpath.report.spec import FigureSpec, Trace

#: Series longer than this are stored as float32 (base64 in the HTML; half the size).
#: Everything is drawn as SVG (``scatter``), not WebGL: 8760-point series render in about a
#: second that way, while WebGL without a GPU (software fallback: remote desktops, VMs,
#: headless browsers) takes 10-20 s per figure or is unavailable.
FLOAT32_THRESHOLD = 2000

_DASH = {"solid": "solid", "dash": "dash", "dot": "dot"}


def _fmt_label(text: str) -> str:
    return text.replace("\n", "<br>")


def _x_kw(t: Trace, spec: FigureSpec, positions: dict[str, float]) -> dict:
    if spec.x_kind == "category":
        return {"x": [positions[str(v)] for v in t.x]}
    if t.x is None:  # regular series: x0 + dx (ms on date axes)
        if isinstance(t.x0, pd.Timestamp):
            return {"x0": t.x0.isoformat(sep=" "), "dx": t.dx_hours * 3_600_000}
        return {"x0": t.x0, "dx": t.dx_hours}
    x = t.x
    if isinstance(x, pd.DatetimeIndex):
        return {"x": x}
    return {"x": np.asarray(x)}


def _y(t: Trace) -> np.ndarray:
    return t.y.astype(np.float32) if t.n > FLOAT32_THRESHOLD else t.y


def _hover(t: Trace, spec: FigureSpec, value: str = "y") -> str:
    xpart = "%{x|%Y-%m-%d %H:%M}" if spec.x_kind == "date" else "%{x}"
    if spec.x_kind == "category":
        xpart = "%{text}" if t.text else ""
    return f"{t.name}: %{{{value}:{t.hover_format}}}<br>{xpart}<extra></extra>"


def _trace(t: Trace, spec: FigureSpec, positions: dict[str, float]) -> go.BaseTraceType:
    kw = _x_kw(t, spec, positions)
    common = {"name": t.name, "showlegend": t.showlegend, "opacity": t.opacity}
    if t.legendgroup:
        common["legendgroup"] = t.legendgroup
    if t.kind == "area":
        line = {"width": 0.5, "color": t.color}
        if t.stack is not None:
            return go.Scatter(y=_y(t), mode="lines", line=line, stackgroup=t.stack,
                              fillcolor=t.color, hovertemplate=_hover(t, spec), **kw,
                              **common)
        return go.Scatter(y=_y(t), mode="lines", line=line, fill="tozeroy", fillcolor=t.color,
                          hovertemplate=_hover(t, spec), **kw, **common)
    if t.kind in ("line", "step"):
        line = {"color": t.color, "dash": _DASH[t.dash]}
        if t.width:
            line["width"] = t.width
        if t.kind == "step":
            line["shape"] = "hv"
            return go.Scatter(y=t.y, mode="lines", line=line, connectgaps=False,
                              hovertemplate=_hover(t, spec), **kw, **common)
        return go.Scatter(y=_y(t), mode="lines", line=line, hovertemplate=_hover(t, spec),
                          **kw, **common)
    if t.kind == "markers":
        return go.Scatter(y=t.y, mode="markers", marker={"color": t.color, "size": t.size,
                                                          "symbol": t.symbol},
                          hovertemplate=_hover(t, spec), **kw, **common)
    if t.kind == "bar":
        return go.Bar(y=t.y, marker_color=t.color, text=t.text,
                      textposition="outside" if t.text else None,
                      hovertemplate=f"{t.name}: %{{y:{t.hover_format}}}<extra></extra>",
                      **kw, **common)
    if t.kind == "threshold":  # short horizontal segments over each category
        xs, ys = [], []
        for xv, yv in zip(kw["x"], t.y, strict=True):
            xs += [xv - 0.45, xv + 0.45, None]
            ys += [yv, yv, None]
        return go.Scatter(x=xs, y=ys, mode="lines", line={"color": t.color, "width": 3},
                          hovertemplate=f"{t.name}: %{{y:{t.hover_format}}}<extra></extra>",
                          **common)
    raise ValueError(f"unknown trace kind {t.kind!r}")


def _categories(spec: FigureSpec) -> list[str]:
    cats: list[str] = []
    for p in spec.panels:
        for t in p.traces:
            for v in t.x if t.x is not None else []:
                if str(v) not in cats:
                    cats.append(str(v))
    return cats


def to_plotly(spec: FigureSpec) -> go.Figure:
    """Build the plotly figure of ``spec``."""
    n = len(spec.panels)
    weights = [p.height_weight for p in spec.panels]
    fig = make_subplots(
        rows=n, cols=1, shared_xaxes=True, vertical_spacing=0.07 if n > 1 else 0.0,
        row_heights=[w / sum(weights) for w in weights],
        specs=[[{"secondary_y": p.has_secondary}] for p in spec.panels],
    )
    cats = _categories(spec) if spec.x_kind == "category" else []
    positions = {c: float(i) for i, c in enumerate(cats)}
    for row, p in enumerate(spec.panels, start=1):
        for t in p.traces:
            tr = _trace(t, spec, positions)
            if p.has_secondary:
                fig.add_trace(tr, row=row, col=1, secondary_y=t.secondary)
            else:
                fig.add_trace(tr, row=row, col=1)
        for h in p.hlines:
            kw = {"secondary_y": h.secondary} if p.has_secondary else {}
            if h.label:
                kw["annotation_text"] = h.label
            fig.add_hline(y=h.y, line_dash=_DASH[h.dash], line_color=h.color, line_width=1,
                          row=row, col=1, **kw)
        ykw = {"title_text": p.y_title, "row": row, "col": 1}
        if p.y_tickformat:
            ykw["tickformat"] = p.y_tickformat
        if p.y_range:
            ykw["range"] = list(p.y_range)
        if p.has_secondary:
            ykw["secondary_y"] = False
            y2 = {"title_text": p.y2_title, "row": row, "col": 1, "secondary_y": True,
                  "showgrid": False, "rangemode": "tozero", "tickmode": "auto"}
            if p.y2_tickformat:
                y2["tickformat"] = p.y2_tickformat
            fig.update_yaxes(**y2)
        fig.update_yaxes(**ykw)
    barmode = next((p.barmode for p in spec.panels
                    if any(t.kind == "bar" for t in p.traces)), "relative")
    fig.update_layout(
        title={"text": spec.title, "x": 0.01, "xanchor": "left"},
        height=spec.height, template="plotly_white", barmode=barmode,
        margin={"l": 70, "r": 30, "t": 90 if spec.rangeslider else 60, "b": 50},
        legend={"groupclick": "toggleitem"},
        hovermode="x unified" if spec.x_kind == "date" else "closest",
        uirevision=spec.id,
    )
    if spec.x_kind == "category":
        fig.update_xaxes(tickmode="array", tickvals=list(positions.values()),
                         ticktext=[_fmt_label(c) for c in cats], range=[-0.6, len(cats) - 0.4])
    if spec.x_kind == "date":
        fig.update_xaxes(type="date")
    fig.update_xaxes(title_text=spec.x_title, row=n, col=1)
    if spec.rangeslider:
        fig.update_xaxes(rangeslider={"visible": True, "thickness": 0.06}, row=n, col=1)
        fig.update_xaxes(rangeselector={"y": 1.02, "yanchor": "bottom", "buttons": [
            {"count": 7, "label": "1 week", "step": "day", "stepmode": "backward"},
            {"count": 1, "label": "1 month", "step": "month", "stepmode": "backward"},
            {"count": 3, "label": "3 months", "step": "month", "stepmode": "backward"},
            {"step": "all", "label": "year"}]}, row=1, col=1)
    return fig


PLOTLY_CONFIG = {"responsive": True, "displaylogo": False, "scrollZoom": False}


def figure_div(spec: FigureSpec) -> str:
    """HTML fragment (div + script) of one figure; needs plotly.js loaded once on the page."""
    import plotly.io as pio

    config = dict(PLOTLY_CONFIG, toImageButtonOptions={"filename": spec.id, "scale": 2})
    return pio.to_html(to_plotly(spec), full_html=False, include_plotlyjs=False,
                       div_id=f"plot-{spec.id}", config=config)


def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package (embedded once, offline)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()
