"""Figures of a sensitivity sweep: tornado chart and histograms (``heatpath sweep --report``).

The figures are described as :class:`heatpath.report.spec.FigureSpec` from the data contract
of ``sweep.json`` (``tornado`` and ``histograms``, see ``docs/sweep.md``) and drawn by the
report's renderers: an offline HTML page (plotly) and PNG/SVG files (matplotlib).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from heatpath.report.spec import FigureSpec, Panel, Trace

__all__ = ["histogram_figures", "sweep_figures", "tornado_figure", "write_sweep_report"]

_SCALE = {"npv_eur": (1e-6, "M EUR"), "variable_cost_eur": (1e-6, "M EUR/yr"),
          "opex_saving_eur": (1e-6, "M EUR/yr"), "cost_of_compliance_eur": (1e-6, "M EUR/yr"),
          "irr": (100.0, "%"), "lcoh_eur_per_mwh": (1.0, "EUR/MWh"),
          "ghg_g_per_kwh": (1.0, "g/kWh")}


def tornado_figure(summary: dict[str, Any]) -> FigureSpec | None:
    """Tornado chart: change of the metric at each parameter's low and high value."""
    tor = summary.get("tornado") or {}
    rows = tor.get("rows") or []
    base = tor.get("base")
    if not rows or base is None:
        return None
    metric = tor.get("metric", "npv_eur")
    scale, unit = _SCALE.get(metric, (1.0, ""))
    labels = [str(r.get("label") or r["parameter"]) for r in rows]

    def delta(key: str) -> list[float]:
        return [((r.get(key) if r.get(key) is not None else float("nan")) - base) * scale
                for r in rows]

    def fmt(v: Any) -> str:
        return "" if v is None else f"{v:.3g}"

    low = Trace("bar", delta("low"), "at low value", x=labels, color="#0072B2",
                text=[fmt(r.get("low_value")) for r in rows])
    high = Trace("bar", delta("high"), "at high value", x=labels, color="#D55E00",
                 text=[fmt(r.get("high_value")) for r in rows])
    return FigureSpec(
        id="sweep-tornado", title=f"Tornado: change of {metric} from the base case "
        f"({base * scale:,.2f} {unit})", section="Sensitivity",
        panels=[Panel([low, high], y_title=f"change, {unit}", barmode="group")],
        x_kind="category", x_title="parameter (sorted by swing; bar labels: value)",
        caption="One-at-a-time cases: every other parameter at its base value.")


def histogram_figures(summary: dict[str, Any]) -> list[FigureSpec]:
    """One histogram per indicator of the Monte Carlo samples."""
    out = []
    for col, h in (summary.get("histograms") or {}).items():
        scale, unit = _SCALE.get(col, (1.0, ""))
        edges = h["edges"]
        centres = [f"{(a + b) / 2 * scale:,.3g}" for a, b in zip(edges[:-1], edges[1:],
                                                                 strict=True)]
        stats = (summary.get("stats") or {}).get(col, {})
        cap = ""
        if stats.get("p50") is not None:
            cap = (f"p5 {stats['p5'] * scale:,.3g}, median {stats['p50'] * scale:,.3g}, "
                   f"p95 {stats['p95'] * scale:,.3g} {unit} (n = {h['n']})")
        out.append(FigureSpec(
            id=f"sweep-hist-{col}", title=f"Monte Carlo: {h.get('label', col)}",
            section="Sensitivity",
            panels=[Panel([Trace("bar", h["counts"], "samples", x=centres,
                                 color="#56B4E9")], y_title="samples")],
            x_kind="category", x_title=f"bin centre, {unit}", height=320, caption=cap))
    return out


def sweep_figures(summary: dict[str, Any]) -> list[FigureSpec]:
    """All figures of a sweep summary (tornado first)."""
    t = tornado_figure(summary)
    return ([t] if t is not None else []) + histogram_figures(summary)


def write_sweep_report(out_dir: str | Path, *, static: bool = True) -> dict[str, Path]:
    """Write ``report.html`` (offline, plotly) and ``figures/*.png|svg`` of a sweep.

    Parameters
    ----------
    out_dir : str or Path
        A sweep output directory (with ``sweep.json``).
    static : bool
        Also write PNG and SVG files (matplotlib).
    """
    from heatpath.report.render_plotly import figure_div, plotly_js

    out = Path(out_dir)
    summary = json.loads((out / "sweep.json").read_text())
    figs = sweep_figures(summary)
    paths: dict[str, Path] = {}
    body = []
    for f in figs:
        body.append(f"<h2>{html.escape(f.title)}</h2>{figure_div(f)}"
                    f"<p>{html.escape(f.caption)}</p>")
    eed = summary.get("eed") or {}
    p_eff = eed.get("probability_efficient")
    head = (f"<h1>Sensitivity sweep: {html.escape(str(summary.get('scenario')))}</h1>"
            f"<p>{summary.get('n_samples')} samples ({summary.get('n_mc')} Monte Carlo, "
            f"{summary.get('n_oat')} one-at-a-time); reference: "
            f"{html.escape(str(summary.get('reference')))}. "
            + (f"Probability that the system is efficient under EED Art. 26(1) in "
               f"{eed.get('year')}: {p_eff:.0%}." if p_eff is not None else "") + "</p>")
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>heatpath sweep</title>"
            f"<script>{plotly_js()}</script></head><body style='font-family:sans-serif'>"
            f"{head}{''.join(body)}</body></html>")
    paths["html"] = out / "report.html"
    paths["html"].write_text(page, encoding="utf-8")
    if static:
        from heatpath.report.render_mpl import save_static

        for f in figs:
            paths.update(save_static(f, out / "figures"))
    return paths
