"""Static rendering of :class:`FigureSpec` with matplotlib (PNG and SVG, no browser needed).

Uses the object-oriented API (``matplotlib.figure.Figure`` + Agg canvas), never pyplot, so
it is thread-safe and does not touch a display. Dense hourly series are rasterised inside
the SVG (axes and text stay vector) to keep files small.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from heatpath.report.spec import FigureSpec, Panel

#: Artists with more points than this are rasterised in SVG output.
RASTER_THRESHOLD = 2000

_MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle-up": "^", "x": "x",
            "star": "*", "cross": "P", "pentagon": "p"}
_LS = {"solid": "-", "dash": "--", "dot": ":"}


def _formatter(fmt: str | None):
    if not fmt:
        return None
    if fmt.endswith("%"):
        digits = int(fmt[1:-1]) if fmt[1:-1].isdigit() else 0
        return PercentFormatter(1.0, decimals=digits)
    return FuncFormatter(lambda v, _pos: format(v, fmt))


def _draw_panel(ax, p: Panel, spec: FigureSpec, positions: dict[str, float]):
    ax2 = ax.twinx() if p.has_secondary else None
    handles, labels = [], []
    bases: dict[str, np.ndarray] = {}
    bar_traces = [t for t in p.traces if t.kind == "bar"]
    n_group = max(1, len(bar_traces)) if p.barmode == "group" else 1
    width = 0.8 / n_group
    pos_base: dict[str, np.ndarray] = {}
    neg_base: dict[str, np.ndarray] = {}
    bar_k = 0
    for t in p.traces:
        a = ax2 if (t.secondary and ax2 is not None) else ax
        raster = t.n > RASTER_THRESHOLD
        if spec.x_kind == "category":
            x = np.array([positions[str(v)] for v in t.x], dtype=float)
        else:
            x = t.x_values()
            x = x if isinstance(x, pd.DatetimeIndex) else np.asarray(x)
        y = t.y
        h = None
        if t.kind == "area":
            if t.stack is not None:
                base = bases.get(t.stack, np.zeros(t.n))
                top = base + np.nan_to_num(y)
                bases[t.stack] = top
            else:
                base, top = np.zeros(t.n), y
            h = a.fill_between(x, base, top, color=t.color, alpha=0.85 * t.opacity,
                               linewidth=0, label=t.name, rasterized=raster)
        elif t.kind in ("line", "step"):
            kw = {"color": t.color, "linestyle": _LS[t.dash], "linewidth": t.width or 1.2,
                  "alpha": t.opacity, "label": t.name, "rasterized": raster}
            if t.kind == "step":
                (h,) = a.step(x, y, where="post", **kw)
            else:
                (h,) = a.plot(x, y, **kw)
        elif t.kind == "markers":
            h = a.scatter(x, y, color=t.color, marker=_MARKERS.get(t.symbol, "o"),
                          s=t.size ** 2 * 0.8, zorder=5, label=t.name)
        elif t.kind == "bar":
            if p.barmode == "group":
                xx = x - 0.4 + width * (bar_k + 0.5)
                h = a.bar(xx, y, width=width * 0.95, color=t.color, label=t.name)
            else:
                key = t.stack or "_"
                pb = pos_base.setdefault(key, np.zeros(t.n))
                nb = neg_base.setdefault(key, np.zeros(t.n))
                bottom = np.where(y >= 0, pb, nb)
                h = a.bar(x, y, width=0.7 if spec.x_kind == "category" else 0.8,
                          bottom=bottom, color=t.color, label=t.name)
                pos_base[key] = pb + np.where(y >= 0, y, 0.0)
                neg_base[key] = nb + np.where(y < 0, y, 0.0)
            if t.text:
                a.bar_label(h, labels=t.text, fontsize=7, padding=1)
            bar_k += 1
        elif t.kind == "threshold":
            h = a.hlines(y, x - 0.45, x + 0.45, colors=t.color, linewidth=2.5, label=t.name,
                         zorder=6)
        if h is not None and t.showlegend:
            handles.append(h)
            labels.append(t.name)
    for hl in p.hlines:
        a = ax2 if (hl.secondary and ax2 is not None) else ax
        a.axhline(hl.y, color=hl.color, linestyle=_LS[hl.dash], linewidth=0.8, zorder=1)
    ax.set_ylabel(p.y_title, fontsize=9)
    if p.y_range:
        ax.set_ylim(*p.y_range)
    f = _formatter(p.y_tickformat)
    if f:
        ax.yaxis.set_major_formatter(f)
    if ax2 is not None:
        ax2.set_ylabel(p.y2_title, fontsize=9)
        f2 = _formatter(p.y2_tickformat)
        if f2:
            ax2.yaxis.set_major_formatter(f2)
    ax.grid(True, alpha=0.3, linewidth=0.5)
    return handles, labels


def to_matplotlib(spec: FigureSpec) -> Figure:
    """Build the matplotlib figure of ``spec`` (not attached to pyplot)."""
    n = len(spec.panels)
    fig = Figure(figsize=(13, max(3.5, spec.height / 95)), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(n, 1, sharex=True, squeeze=False,
                        height_ratios=[p.height_weight for p in spec.panels])[:, 0]
    cats: list[str] = []
    if spec.x_kind == "category":
        for p in spec.panels:
            for t in p.traces:
                for v in t.x:
                    if str(v) not in cats:
                        cats.append(str(v))
    positions = {c: float(i) for i, c in enumerate(cats)}
    for ax, p in zip(axes, spec.panels, strict=True):
        handles, labels = _draw_panel(ax, p, spec, positions)
        if handles:
            ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.06, 1.0),
                      fontsize=7, frameon=False, borderaxespad=0.0)
    if spec.x_kind == "category":
        axes[-1].set_xticks(list(positions.values()), cats, fontsize=7)
        axes[-1].set_xlim(-0.6, len(cats) - 0.4)
    if spec.x_kind == "date":
        import matplotlib.dates as mdates

        axes[-1].xaxis.set_major_locator(mdates.MonthLocator())
        axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    axes[-1].set_xlabel(spec.x_title, fontsize=9)
    fig.suptitle(spec.title, fontsize=11, x=0.01, ha="left")
    return fig


def save_static(spec: FigureSpec, out_dir: Path, *, dpi: int = 110) -> dict[str, Path]:
    """Write ``<id>.png`` and ``<id>.svg`` into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fig = to_matplotlib(spec)
    paths = {}
    for ext in ("png", "svg"):
        p = out_dir / f"{spec.id}.{ext}"
        fig.savefig(p, dpi=dpi, metadata={"Date": None} if ext == "svg" else None)
        paths[f"{spec.id}.{ext}"] = p
    return paths
