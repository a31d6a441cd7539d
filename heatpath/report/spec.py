"""Renderer-neutral figure descriptions.

Every report figure is described once as a :class:`FigureSpec` (data + presentation
intent) and drawn twice: interactively with plotly (:mod:`heatpath.report.render_plotly`)
and statically with matplotlib (:mod:`heatpath.report.render_mpl`). Both renderers receive
the same numbers, so the PNG/SVG files show exactly what the HTML shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

TraceKind = Literal["area", "line", "step", "bar", "markers", "threshold"]


@dataclass
class Trace:
    """One data series.

    kind
        ``area``: filled area, stacked with the other areas of the same ``stack`` (or filled
        to zero when ``stack`` is None); ``line``; ``step`` (horizontal-then-vertical steps,
        NaN = gap); ``bar`` (stacked per ``stack`` when the panel's barmode is
        ``relative``); ``markers``; ``threshold`` (a short horizontal mark over each
        categorical x, e.g. the minimum share of an EED condition).
    x
        Values (numbers, timestamps or category labels). For regular hourly series give
        ``x0`` (Timestamp) and ``dx_hours`` instead and leave ``x`` None (a numeric ``x0``
        with step ``dx_hours`` works the same way on linear axes).
    """

    kind: TraceKind
    y: np.ndarray | list
    name: str
    x: np.ndarray | list | pd.DatetimeIndex | None = None
    x0: pd.Timestamp | float | None = None
    dx_hours: float = 1.0  # step of x after x0: hours for a Timestamp x0, else plain units
    color: str | None = None
    secondary: bool = False
    dash: Literal["solid", "dash", "dot"] = "solid"
    stack: str | None = None
    width: float | None = None
    opacity: float = 1.0
    text: list[str] | None = None
    showlegend: bool = True
    legendgroup: str | None = None
    hover_format: str = ".1f"
    size: float = 9.0
    symbol: str = "circle"

    def __post_init__(self) -> None:
        self.y = np.asarray(self.y, dtype=float)
        if self.x is None and self.x0 is None:
            self.x = np.arange(len(self.y))

    def x_values(self) -> np.ndarray | pd.DatetimeIndex | list:
        """Explicit x values (computed from x0/dx for regular hourly series)."""
        if self.x is not None:
            return self.x
        if isinstance(self.x0, pd.Timestamp):
            return pd.date_range(self.x0, periods=len(self.y),
                                 freq=pd.Timedelta(hours=self.dx_hours))
        return self.x0 + self.dx_hours * np.arange(len(self.y))

    @property
    def n(self) -> int:
        return len(self.y)


@dataclass
class HLine:
    """A horizontal reference line across a panel."""

    y: float
    label: str = ""
    color: str = "#444444"
    dash: Literal["solid", "dash", "dot"] = "dash"
    secondary: bool = False


@dataclass
class Panel:
    """One subplot (panels of a figure share their x axis)."""

    traces: list[Trace]
    y_title: str = ""
    y2_title: str = ""
    y_tickformat: str | None = None      # d3 format, e.g. ".0%"
    y2_tickformat: str | None = None
    y_range: tuple[float, float] | None = None
    hlines: list[HLine] = field(default_factory=list)
    barmode: Literal["relative", "group", "overlay"] = "relative"
    height_weight: float = 1.0

    @property
    def has_secondary(self) -> bool:
        return any(t.secondary for t in self.traces) or any(h.secondary for h in self.hlines)


@dataclass
class FigureSpec:
    """A complete figure.

    Attributes
    ----------
    id : str
        File-name-safe identifier (``dispatch-1``); used for the HTML div and the PNG/SVG.
    section : str
        Report section the figure belongs to.
    x_kind : "date", "linear" or "category"
    rangeslider : bool
        Add a zoomable range slider under the bottom x axis (interactive version).
    """

    id: str
    title: str
    section: str
    panels: list[Panel]
    x_title: str = ""
    x_kind: Literal["date", "linear", "category"] = "linear"
    x_tickformat: str | None = None
    rangeslider: bool = False
    height: int = 450
    caption: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def n_traces(self) -> int:
        return sum(len(p.traces) for p in self.panels)


#: Colour cycle for units (colour-blind friendly, Okabe-Ito + extensions).
PALETTE: tuple[str, ...] = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999",
    "#117733", "#882255", "#44AA99", "#AA4499", "#332288", "#DDCC77", "#88CCEE", "#661100",
)

#: Colours of the EED counting groups.
GROUP_COLORS: dict[str, str] = {
    "renewable": "#009E73", "waste_heat": "#E69F00", "hechp": "#0072B2",
    "cogeneration": "#56B4E9", "fossil": "#7f7f7f",
}


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]
