"""The report's figures as :class:`~heatpath.report.spec.FigureSpec` objects.

Each builder returns a spec or None when its data is absent (e.g. no storage, no heat pump,
no ``cashflow.csv``). :func:`build_figures` assembles the full list in report order.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from heatpath.report.load import (
    CASHFLOW_COMPONENTS,
    CASHFLOW_NON_COMPONENTS,
    Result,
    combined_share,
    group_shares,
    regular_hourly,
)
from heatpath.report.spec import GROUP_COLORS, FigureSpec, HLine, Panel, Trace, color

#: Years covered by the EED trajectory figure.
TRAJECTORY_YEARS = (2024, 2050)

GROUP_ABBR = {"renewable": "RES", "waste_heat": "WH", "hechp": "HECHP",
              "cogeneration": "CHP", "fossil": "fossil"}

COST_COMPONENTS: tuple[tuple[str, str, str, float], ...] = (
    # key in summary costs_eur, label, colour, sign
    ("fuel", "fuel", "#8c564b", 1.0),
    ("ets", "EU ETS", "#7f7f7f", 1.0),
    ("om", "variable O&M", "#bcbd22", 1.0),
    ("electricity_purchase", "electricity purchase", "#1f77b4", 1.0),
    ("electricity_revenue", "electricity revenue", "#2ca02c", -1.0),
)

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "pentagon")


def unit_colors(results: list[Result]) -> dict[str, str]:
    """One colour per unit name across all results (legend colours stay consistent)."""
    out: dict[str, str] = {}
    for r in results:
        for u in r.units:
            if u not in out:
                out[u] = color(len(out))
    return out


def _hourly(trace_kw: dict, index: pd.DatetimeIndex) -> dict:
    """x as x0 + 1 h steps when the index is regular (keeps the HTML small)."""
    if regular_hourly(index):
        trace_kw["x0"] = index[0]
    else:
        trace_kw["x"] = index
    return trace_kw


def _short(label: str) -> str:
    return label.replace(" ", "-").replace("/", "-")


# --------------------------------------------------------------------------- per result


def load_duration(r: Result, i: int, colors: dict[str, str]) -> FigureSpec | None:
    heat = r.heat()
    if heat.empty:
        return None
    total = heat.sum(axis=1).to_numpy()
    order = np.argsort(-total, kind="stable")
    traces = []
    for u in heat.columns:
        y = heat[u].to_numpy()[order]
        if not np.any(np.abs(y) > 1e-9):
            continue
        traces.append(Trace("area", y, u, x0=1.0, color=colors[u], stack="units"))
    return FigureSpec(
        f"load-duration-{i}", f"Load duration curve of heat into the network — {r.label}",
        "Heat supply", [Panel(traces, y_title="heat into the network (MW)")],
        x_title="hours of the year, sorted by total heat into the network",
        caption=("Hours sorted by total heat of all units into the network (descending); "
                 "the stack shows each unit's contribution in those hours."),
    )


def dispatch_stack(r: Result, i: int, colors: dict[str, str]) -> FigureSpec | None:
    heat = r.heat()
    if heat.empty:
        return None
    idx = r.dispatch.index
    traces = [Trace("area", heat[u].to_numpy(), u, color=colors[u], stack="units",
                    **_hourly({}, idx)) for u in heat.columns]
    demand = r.column("heat_demand_mw")
    loss = r.column("network_loss_mw")
    if demand is not None:
        need = demand + (loss if loss is not None else 0.0)
        traces.append(Trace("line", need.to_numpy(), "demand + network losses",
                            color="#000000", width=1.0, **_hourly({}, idx)))
        traces.append(Trace("line", demand.to_numpy(), "heat demand", color="#000000",
                            dash="dot", width=1.0, **_hourly({}, idx)))
    panels = [Panel(traces, y_title="heat (MW)", height_weight=2.0)]
    st_traces = []
    for k, s in enumerate(r.storages):
        c = color(k + 8)
        dis = r.column(f"discharge_{s}_mw")
        ch = r.column(f"charge_{s}_mw")
        if dis is not None:
            st_traces.append(Trace("area", dis.to_numpy(), f"{s} discharge", color=c,
                                   **_hourly({}, idx)))
        if ch is not None:
            st_traces.append(Trace("area", -ch.to_numpy(), f"{s} charge (negative)",
                                   color=color(k + 9), **_hourly({}, idx)))
        st_traces.append(Trace("line", r.dispatch[f"soc_{s}_mwh"].to_numpy(),
                               f"{s} state of charge", color="#333333", secondary=True,
                               width=1.0, **_hourly({}, idx)))
    if st_traces:
        panels.append(Panel(st_traces, y_title="storage charge/discharge (MW)",
                            y2_title="state of charge (MWh)"))
    return FigureSpec(
        f"dispatch-{i}", f"Hourly dispatch — {r.label}", "Heat supply", panels,
        x_kind="date", rangeslider=True, height=700 if st_traces else 520,
        caption=("Heat into the network per unit (stacked) against demand plus network "
                 "losses; storage discharge (positive) and charge (negative) with the state "
                 "of charge on the right axis. Drag the range slider to zoom."),
    )


def electricity(r: Result, i: int, colors: dict[str, str]) -> FigureSpec | None:
    idx = r.dispatch.index
    top: list[Trace] = []
    for hp in r.heat_pumps:
        top.append(Trace("line", r.dispatch[f"cop_{hp}"].to_numpy(), f"COP {hp}",
                         color=colors.get(hp, color(0)), width=1.0, hover_format=".2f",
                         **_hourly({}, idx)))
    price = r.column("el_price_eur_per_mwh")
    if price is not None:
        top.append(Trace("line", price.to_numpy(), "electricity price", color="#555555",
                         secondary=True, width=0.8, opacity=0.8, **_hourly({}, idx)))
    bottom: list[Trace] = []
    buy, sell = r.column("el_bought_mw"), r.column("el_sold_mw")
    if buy is not None:
        bottom.append(Trace("area", buy.to_numpy(), "electricity bought", color="#1f77b4",
                            **_hourly({}, idx)))
    if sell is not None:
        bottom.append(Trace("area", -sell.to_numpy(), "electricity sold (negative)",
                            color="#2ca02c", **_hourly({}, idx)))
    panels = []
    if top:
        panels.append(Panel(top, y_title="COP (-)" if r.heat_pumps else "",
                            y2_title="electricity price (EUR/MWh)" if price is not None else ""))
    if bottom:
        panels.append(Panel(bottom, y_title="net electricity exchange (MW)"))
    if not panels:
        return None
    return FigureSpec(
        f"electricity-{i}", f"Heat pump COP, electricity price and exchange — {r.label}",
        "Electricity", panels, x_kind="date", rangeslider=True, height=600,
        caption=("Hourly COP of each heat pump with the day-ahead electricity price (right "
                 "axis); net electricity bought from (positive) and sold to (negative) the "
                 "grid."),
    )


def cashflow(r: Result, i: int) -> FigureSpec | None:
    cf = r.cashflow
    if cf is None or cf.empty:
        return None
    years = cf.index.to_numpy()
    comps = [c for c in CASHFLOW_COMPONENTS if c in cf]
    comps += [c for c in cf.columns if c not in CASHFLOW_NON_COMPONENTS and c not in comps
              and not c.startswith(("cf_", "cumulative", "discount"))]
    traces = []
    for k, c in enumerate(comps):
        y = cf[c].fillna(0.0).to_numpy() / 1e6
        if np.any(np.abs(y) > 1e-12):
            traces.append(Trace("bar", y, c.replace("_", " "), x=years, color=color(k),
                                stack="cf", hover_format=".3f"))
    if not traces and "cf_project" in cf:
        traces.append(Trace("bar", cf["cf_project"].to_numpy() / 1e6, "cash flow (project)",
                            x=years, color=color(0), hover_format=".3f"))
    if "cumulative_discounted" in cf:
        traces.append(Trace("line", cf["cumulative_discounted"].to_numpy() / 1e6,
                            "cumulative discounted cash flow", x=years, color="#000000",
                            width=2.0, hover_format=".3f"))
    if "cumulative" in cf:
        traces.append(Trace("line", cf["cumulative"].to_numpy() / 1e6,
                            "cumulative cash flow", x=years, color="#000000", dash="dash",
                            width=1.2, hover_format=".3f"))
    start = int(cf.index[cf["t"] == 0][0]) if "t" in cf and (cf["t"] == 0).any() \
        else int(years[0])
    ind = (r.finance or {}).get("indicators", {}).get("project", {})
    for key, name, sym in (("simple_payback", "simple payback", "diamond"),
                           ("discounted_payback", "discounted payback", "star")):
        p = ind.get(key)
        if p is not None and math.isfinite(p):
            traces.append(Trace("markers", [0.0], f"{name}: {p:.1f} years", x=[start + p],
                                color="#d62728", symbol=sym, size=13, hover_format=".2f"))
    if not traces:
        return None
    return FigureSpec(
        f"cashflow-{i}", f"Differential cash flow — {r.label}", "Economics",
        [Panel(traces, y_title="million EUR", hlines=[HLine(0.0, color="#999999",
                                                             dash="solid")])],
        x_title="year", height=480,
        caption=("Yearly differential cash flow against the reference, by component "
                 "(project perspective, cashflow.csv), with the cumulative and cumulative "
                 "discounted cash flow; markers at the simple and discounted payback "
                 "(finance.json) where the cumulative lines cross zero."),
    )


# --------------------------------------------------------------------------- across results


def _cond_label(alt_id: str, groups: tuple[str, ...], min_share: float) -> str:
    short = alt_id.split(".", 1)[-1]
    g = "+".join(GROUP_ABBR.get(x, x) for x in groups)
    return f"{short}\n{g} ≥ {min_share:.0%}"


def eed_shares(results: list[Result], year: int) -> FigureSpec | None:
    from heatpath.eed import alternatives

    alts = alternatives(year)
    cats, thresholds = [], []
    conds = []
    for a in alts:
        for c in a.conditions:
            cats.append(_cond_label(a.id, c.groups, c.min_share))
            thresholds.append(c.min_share)
            conds.append((a, c))
    traces = []
    for j, r in enumerate(results):
        sh = group_shares(r)
        y = [combined_share(sh, c.groups) for _, c in conds]
        text = [f"{v:.1%}" + (" ✓" if a.is_met(sh) else "") for v, (a, _) in zip(y, conds,
                                                                             strict=True)]
        traces.append(Trace("bar", y, r.label, x=cats, color=color(j), text=text,
                            hover_format=".1%"))
    traces.append(Trace("threshold", thresholds, "minimum share", x=cats, color="#d62728",
                        hover_format=".0%"))
    met = {r.label: [a.id for a in alts if a.is_met(group_shares(r))] for r in results}
    cap = "; ".join(f"{lab}: {', '.join(m) if m else 'no alternative met'}"
                    for lab, m in met.items())
    return FigureSpec(
        f"eed-shares-{year}",
        f"EED Art. 26(1) shares against the alternatives of {year}", "EED Article 26",
        [Panel(traces, y_title="share of heat into the network", y_tickformat=".0%",
               barmode="group", y_range=(0.0, 1.05))],
        x_kind="category", height=480,
        caption=("Each bar is the combined share of the groups of one condition; the red "
                 "marks are the minimum shares. An alternative is met when all its "
                 f"conditions are (✓). Alternatives met — {cap}."),
    )


def ghg(results: list[Result]) -> FigureSpec | None:
    from heatpath.eed import ghg_limit_g_per_kwh

    rows = [(r, r.eed.get("ghg_g_per_kwh")) for r in results]
    rows = [(r, v) for r, v in rows if v is not None]
    if not rows:
        return None
    cats = [r.label for r, _ in rows]
    traces = [Trace("bar", [v for _, v in rows], "GHG intensity", x=cats, color="#8c564b",
                    text=[f"{v:.0f}" for _, v in rows]),
              Trace("threshold", [ghg_limit_g_per_kwh(r.year) for r, _ in rows],
                    "Art. 26(2) limit of the year", x=cats, color="#d62728", hover_format=".0f")]
    return FigureSpec(
        "eed-ghg", "GHG intensity against the Art. 26(2) limit", "EED Article 26",
        [Panel(traces, y_title="g CO2 per kWh of heat delivered")], x_kind="category",
        height=420,
        caption="Direct GHG emissions per kWh of heat delivered (summary.json eed block) and "
                "the Art. 26(2) limit in force in each scenario's year.",
    )


def _key(a, c) -> str:
    name = "+".join(GROUP_ABBR.get(g, g) for g in c.groups)
    return f"{name} (in compound alt.)" if len(a.conditions) > 1 else name


def _threshold_table() -> tuple[dict[str, dict[int, float]], dict[str, tuple[str, ...]]]:
    """Minimum share per condition key and year, and the groups of each key.

    Single-condition alternatives give one key per group combination; the conditions of
    compound alternatives (e.g. "5 % RES and 50 % RES+WH+HECHP") get their own keys.
    """
    from heatpath.eed import alternatives

    y0, y1 = TRAJECTORY_YEARS
    values: dict[str, dict[int, float]] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for year in range(y0, y1 + 1):
        for a in alternatives(year):
            for c in a.conditions:
                k = _key(a, c)
                groups[k] = c.groups
                v = values.setdefault(k, {})
                v[year] = min(v.get(year, c.min_share), c.min_share)
    return values, groups


def _step_xy(by_year: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """x/y of a post-step line: each run of consecutive years extends to the end of its last
    year (x = last + 1); runs are separated by NaN."""
    xs: list[float] = []
    ys: list[float] = []
    years = sorted(by_year)
    for k, y in enumerate(years):
        xs.append(y)
        ys.append(by_year[y])
        if k == len(years) - 1 or years[k + 1] != y + 1:
            xs += [y + 1, y + 1]
            ys += [by_year[y], np.nan]
    return np.array(xs, dtype=float), np.array(ys, dtype=float)


def trajectory(results: list[Result]) -> FigureSpec | None:
    from heatpath.eed import ghg_limit_g_per_kwh

    y0, y1 = TRAJECTORY_YEARS
    values, key_groups = _threshold_table()
    line_colors = {}
    top: list[Trace] = []
    for k, (key, by_year) in enumerate(values.items()):
        groups = key_groups[key]
        c = GROUP_COLORS[groups[0]] if len(groups) == 1 else color(k + 4)
        line_colors[key] = c
        x, y = _step_xy(by_year)
        top.append(Trace("step", y, f"min. {key}", x=x, color=c, legendgroup=key,
                         dash="dot" if "compound" in key else "solid", width=2.0,
                         hover_format=".0%"))
    for j, r in enumerate(results):
        sym = SYMBOLS[j % len(SYMBOLS)]
        top.append(Trace("markers", [np.nan], r.label, x=[float(r.year)], color="#444444",
                         symbol=sym, size=10))  # legend entry of the scenario's symbol
        if not (y0 <= r.year <= y1):
            continue
        sh = group_shares(r)
        for key, by_year in values.items():
            if r.year not in by_year:
                continue
            top.append(Trace("markers", [combined_share(sh, key_groups[key])],
                             f"{r.label}: {key}", x=[r.year], color=line_colors[key],
                             symbol=sym, legendgroup=key, showlegend=False,
                             hover_format=".1%", size=10))
    limits = {y: ghg_limit_g_per_kwh(y) for y in range(y0, y1 + 1)}
    gx, gy = _step_xy(limits)
    bottom = [Trace("step", gy, "Art. 26(2) GHG limit", x=gx, color="#d62728", width=2.0,
                    hover_format=".0f")]
    for j, r in enumerate(results):
        v = r.eed.get("ghg_g_per_kwh")
        if v is not None and y0 <= r.year <= y1:
            bottom.append(Trace("markers", [v], f"{r.label}: GHG", x=[r.year],
                                color="#8c564b", symbol=SYMBOLS[j % len(SYMBOLS)], size=10,
                                hover_format=".0f", showlegend=False))
    return FigureSpec(
        "eed-trajectory", f"EED Article 26 trajectory {y0}–{y1}", "EED Article 26",
        [Panel(top, y_title="share of heat into the network", y_tickformat=".0%",
               y_range=(0.0, 1.05), height_weight=1.6),
         Panel(bottom, y_title="g CO2/kWh delivered")],
        x_title="year", height=720,
        caption=("Step lines: minimum shares of each Art. 26(1) condition from the heatpath "
                 "EED rule table (dotted: conditions of compound alternatives, which must hold "
                 "together) and the Art. 26(2) GHG limit. Points: each scenario's shares and "
                 "GHG intensity at its year (one marker symbol per scenario)."),
    )


def costs(results: list[Result]) -> FigureSpec | None:
    cats = [r.label for r in results]
    traces = []
    comps = list(COST_COMPONENTS)
    known = {k for k, *_ in comps}
    for r in results:  # cost keys added later (start-up, annualised investment, ...)
        for key in r.summary.get("costs_eur") or {}:
            if key not in known:
                known.add(key)
                comps.append((key, key.replace("_", " "), color(len(comps) + 3),
                              -1.0 if "revenue" in key else 1.0))
    for key, label, c, sign in comps:
        vals = [sign * float((r.summary.get("costs_eur") or {}).get(key) or 0.0) / 1e6
                for r in results]
        if any(abs(v) > 0 for v in vals):
            traces.append(Trace("bar", vals, label, x=cats, color=c, stack="cost",
                                hover_format=".3f"))
    net = [float(r.summary.get("objective_eur", np.nan)) / 1e6 for r in results]
    traces.append(Trace("markers", net, "net variable cost", x=cats, color="#000000",
                        symbol="diamond", size=12, hover_format=".3f"))
    per_mwh = []
    for r in results:
        d = float(r.summary.get("heat_delivered_mwh", 0.0))
        per_mwh.append(float(r.summary.get("objective_eur", np.nan)) / d if d > 0 else np.nan)
    traces.append(Trace("markers", per_mwh, "net variable cost per MWh delivered", x=cats,
                        color="#d62728", symbol="circle", size=9, secondary=True,
                        hover_format=".2f"))
    return FigureSpec(
        "costs", "Variable cost breakdown per scenario", "Economics",
        [Panel(traces, y_title="million EUR per year", y2_title="EUR per MWh delivered",
               hlines=[HLine(0.0, color="#999999", dash="solid")])],
        x_kind="category", height=460,
        caption=("Fuel, EU ETS, variable O&M and electricity purchase costs (positive) and "
                 "electricity sales revenue (negative) from summary.json; diamonds: net "
                 "variable cost; red dots: net cost per MWh delivered (right axis)."),
    )


def build_figures(results: list[Result]) -> list[FigureSpec]:
    """All figures of the report, in report order (absent data = figure left out)."""
    colors = unit_colors(results)
    figs: list[FigureSpec | None] = []
    for i, r in enumerate(results, start=1):
        figs += [load_duration(r, i, colors), dispatch_stack(r, i, colors)]
    for i, r in enumerate(results, start=1):
        figs.append(electricity(r, i, colors))
    from heatpath.eed.rules import FIRST_YEAR, LAST_YEAR

    in_rules = [r for r in results if FIRST_YEAR <= r.year <= LAST_YEAR]
    for y in sorted({r.year for r in in_rules}):
        figs.append(eed_shares([r for r in in_rules if r.year == y], y))
    if in_rules:
        figs.append(ghg(in_rules))
    if len(results) > 1:
        figs.append(trajectory(results))
    figs.append(costs(results))
    for i, r in enumerate(results, start=1):
        figs.append(cashflow(r, i))
    return [f for f in figs if f is not None]


__all__ = ["build_figures", "cashflow", "costs", "dispatch_stack", "eed_shares",
           "electricity", "ghg", "load_duration", "trajectory", "unit_colors"]
