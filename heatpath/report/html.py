"""Assembly of the self-contained HTML report (plotly.js embedded once, no network access)."""

from __future__ import annotations

import datetime as dt
import html
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from heatpath.report.load import ReportInput, Result
from heatpath.report.render_plotly import figure_div, plotly_js
from heatpath.report.spec import FigureSpec
from heatpath.report.tables import (
    comparison_table,
    eed_status,
    indicators_table,
    table_a1,
    table_a2,
    units_table,
)

#: Report sections in order: (anchor, title).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("comparison", "Scenario comparison"),
    ("heat-supply", "Heat supply"),
    ("electricity", "Electricity"),
    ("eed", "EED Article 26"),
    ("economics", "Economics"),
    ("inputs", "Inputs & assumptions"),
)
_SECTION_OF = {"Heat supply": "heat-supply", "Electricity": "electricity",
               "EED Article 26": "eed", "Economics": "economics"}

SOURCES_MD = Path(__file__).resolve().parent.parent / "data" / "SOURCES.md"

CSS = """
:root { --fg:#1d2430; --muted:#5b6575; --line:#d9dee6; --accent:#0b6e4f; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       margin: 0; line-height: 1.45; background: #fafbfc; }
header { background: var(--accent); color: #fff; padding: 18px 32px; }
header h1 { margin: 0 0 4px 0; font-size: 1.6em; }
header p { margin: 0; opacity: .9; }
nav { padding: 8px 32px; background: #fff; border-bottom: 1px solid var(--line);
      position: sticky; top: 0; z-index: 10; }
nav a { margin-right: 18px; color: var(--accent); text-decoration: none; font-weight: 600; }
main { padding: 8px 32px 40px 32px; max-width: 1500px; }
section { margin-top: 28px; }
h2 { border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
figure.hp-figure { background: #fff; border: 1px solid var(--line); border-radius: 6px;
                   margin: 16px 0; padding: 8px; }
figcaption { color: var(--muted); font-size: .9em; padding: 4px 8px; }
table.hp { border-collapse: collapse; background: #fff; font-size: .88em; margin: 8px 0 16px 0; }
table.hp th, table.hp td { border: 1px solid var(--line); padding: 3px 8px; }
table.hp th { background: #eef2f5; text-align: left; }
table.hp td.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; }
pre { white-space: pre-wrap; background: #fff; border: 1px solid var(--line); padding: 8px;
      font-size: .85em; }
.note { color: var(--muted); font-size: .9em; }
.ok { color: #0b6e4f; font-weight: 600; } .bad { color: #b00020; font-weight: 600; }
@media print { nav { display: none; } figure.hp-figure { break-inside: avoid; } }
"""


# --------------------------------------------------------------------------- formatting


def fmt_value(v: Any, unit: str = "") -> tuple[str, bool]:
    """(text, numeric?) of a table cell, formatted by its unit."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–", False
    if isinstance(v, bool):
        return ("yes" if v else "no"), False
    if isinstance(v, (int, np.integer)) and unit.strip("() ") == "":
        return str(int(v)), True
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        u = unit.strip("() ")
        if u == "fraction":
            return f"{f:.1%}", True
        if u == "-":
            return f"{f:,.2f}", True
        if u in ("MWh", "EUR", "t", "MW", "h", "MWh/yr") or (u == "" and abs(f) >= 1000):
            return (f"{f:,.0f}" if abs(f) >= 100 or f == int(f) else f"{f:,.2f}"), True
        if u in ("years", "EUR/MWh", "g CO2/kWh", "MWh/MW"):
            return f"{f:,.1f}", True
        if isinstance(v, int) or f == int(f):
            return f"{int(f)}", True
        return f"{f:,.3g}", True
    return str(v), False


def _unit_of_column(col: str) -> str:
    if col.endswith(")") and "(" in col:
        return col[col.rindex("(") + 1:-1]
    return ""


def frame_html(df: pd.DataFrame, *, units: pd.Series | None = None,
               index: bool = False) -> str:
    """An HTML table; cells formatted by the unit in their column header or ``units``."""
    out = ['<div class="scroll"><table class="hp"><thead><tr>']
    idx_names = [n or "" for n in df.index.names] if index else []
    for n in idx_names:
        out.append(f"<th>{html.escape(str(n))}</th>")
    out += [f"<th>{html.escape(str(c))}</th>" for c in df.columns]
    out.append("</tr></thead><tbody>")
    for k, (key, row) in enumerate(df.iterrows()):
        out.append("<tr>")
        if index:
            keys = key if isinstance(key, tuple) else (key,)
            out += [f"<td>{html.escape(str(x))}</td>" for x in keys]
        for c in df.columns:
            unit = str(units.iloc[k]) if units is not None else _unit_of_column(str(c))
            text, num = fmt_value(row[c], unit)
            out.append(f'<td class="num">{html.escape(text)}</td>' if num
                       else f"<td>{html.escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def comparison_html(results: list[Result]) -> str:
    df = comparison_table(results)
    units = pd.Series([u for _, u in df.index])
    return frame_html(df, units=units, index=True)


def _markdown(text: str) -> str:
    try:
        from markdown_it import MarkdownIt

        return MarkdownIt("commonmark").enable("table").render(text)
    except ImportError:  # pragma: no cover - markdown-it-py comes with rich
        return f"<pre>{html.escape(text)}</pre>"


# --------------------------------------------------------------------------- sections


def _eed_details(results: list[Result]) -> str:
    parts = []
    for r in results:
        e = eed_status(r)
        cls, verdict = ("ok", "efficient") if e["efficient"] else ("bad", "not efficient")
        if e["efficient"] is None:
            cls, verdict = "note", "not assessed"
        ghg = e["ghg_g_per_kwh"]
        ghg_txt = (f"; GHG {ghg:.1f} g CO2/kWh vs limit {e['ghg_limit_g_per_kwh']:.0f}"
                   if ghg is not None and e["ghg_limit_g_per_kwh"] is not None else "")
        a2 = table_a2(r)
        a2 = a2[a2["kind"] != "line"].drop(columns=["T heat into network (MWh)"])
        parts.append(
            f"<details><summary>{html.escape(r.label)}: <span class='{cls}'>{verdict}</span>"
            f" (period {html.escape(str(e['period']))}, source {e['source']}){ghg_txt}"
            f"</summary><pre>{html.escape(e['explanation'] or '')}</pre>"
            f"<p class='note'>Table A-2 totals per counting group and the conditions of each "
            f"Art. 26(1) alternative:</p>{frame_html(a2)}</details>")
    return "\n".join(parts)


def _inputs(inp: ReportInput) -> str:
    parts = []
    for r in inp.results:
        s = r.summary
        facts = {
            "scenario": r.scenario, "year": r.year, "result directory": str(r.path),
            "solver status": s.get("status", ""),
            "hours": len(r.dispatch),
            "optional files": ", ".join(n for n, v in (("finance.json", r.finance),
                                                      ("cashflow.csv", r.cashflow))
                                        if v is not None) or "none",
        }
        if s.get("timings_s"):
            facts["solve time (s)"] = round(float(s["timings_s"].get("total", 0.0)), 2)
        if (s.get("eed") or {}).get("enforced"):
            facts["EED enforcement"] = str(s["eed"]["enforced"])
        if r.finance and r.finance.get("meta"):
            for k, v in r.finance["meta"].items():
                facts[f"finance: {k}"] = v
        fdf = pd.DataFrame({"value": [fmt_value(v)[0] for v in facts.values()]},
                           index=pd.Index(list(facts), name="item"))
        a1 = table_a1(r)
        parts.append(
            f"<h3>{html.escape(r.label)}</h3>{frame_html(fdf, index=True)}"
            f"<h4>Units (annual figures)</h4>{frame_html(units_table(r))}"
            f"<details><summary>Table A-1 (Recommendation (EU) 2024/2395), "
            f"{html.escape(a1.attrs.get('source', ''))}</summary>"
            f"{frame_html(a1.drop(columns=['row']))}</details>")
    years = sorted({r.year for r in inp.results})
    parts.append("<h3>EED rule table used</h3>" + _rules_html(years))
    if SOURCES_MD.is_file():
        parts.append("<h3>Data sources (heatpath/data/SOURCES.md)</h3>"
                     + _markdown(SOURCES_MD.read_text(encoding="utf-8")))
    else:
        parts.append("<p class='note'>heatpath/data/SOURCES.md not found.</p>")
    return "\n".join(parts)


def _rules_html(years: list[int]) -> str:
    from heatpath.eed import alternatives, ghg_limit_g_per_kwh
    from heatpath.eed.rules import ghg_limit

    recs = []
    for y in years:
        try:
            for a in alternatives(y):
                recs.append({"year": y, "rule": a.id, "content": a.label, "source": a.source})
            g = ghg_limit(y)
            recs.append({"year": y, "rule": "Art. 26(2)",
                         "content": f"max {ghg_limit_g_per_kwh(y):.0f} g CO2/kWh delivered",
                         "source": g.source})
        except ValueError as exc:
            recs.append({"year": y, "rule": "-", "content": str(exc), "source": ""})
    return frame_html(pd.DataFrame(recs))


def _economics_tables(inp: ReportInput) -> str:
    parts = []
    ind = indicators_table(inp.results)
    if not ind.empty:
        parts.append("<h3>Financial indicators (finance.json)</h3>" + frame_html(ind))
    else:
        parts.append("<p class='note'>No finance.json in the result directories: financial "
                     "indicators and cash flows are not shown.</p>")
    for path, df in inp.comparisons:
        parts.append(f"<h3>Comparison table {html.escape(str(path))}</h3>" + frame_html(df))
    return "\n".join(parts)


def render_html(inp: ReportInput, figures: list[FigureSpec], *, step=None) -> str:
    """The complete HTML document."""
    from heatpath import __version__

    by_section: dict[str, list[str]] = {a: [] for a, _ in SECTIONS}
    for f in figures:
        div = figure_div(f)
        cap = f"<figcaption>{html.escape(f.caption)}</figcaption>" if f.caption else ""
        by_section[_SECTION_OF[f.section]].append(
            f'<figure class="hp-figure" id="fig-{f.id}" data-figure="{f.id}">{div}{cap}'
            f"</figure>")
        if step:
            step(f.id)
    body = {
        "comparison": comparison_html(inp.results),
        "heat-supply": "\n".join(by_section["heat-supply"]),
        "electricity": "\n".join(by_section["electricity"]),
        "eed": "\n".join(by_section["eed"]) + _eed_details(inp.results),
        "economics": "\n".join(by_section["economics"]) + _economics_tables(inp),
        "inputs": _inputs(inp),
    }
    nav = "".join(f'<a href="#{a}">{html.escape(t)}</a>' for a, t in SECTIONS if body[a])
    sections = "\n".join(f'<section id="{a}"><h2>{html.escape(t)}</h2>\n{body[a]}</section>'
                         for a, t in SECTIONS if body[a])
    labels = ", ".join(r.label for r in inp.results)
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<meta name=\"generator\" content=\"heatpath {__version__}\">"
        f"<meta name=\"heatpath-figure-count\" content=\"{len(figures)}\">"
        f"<title>heatpath report — {html.escape(labels)}</title>"
        f"<style>{CSS}</style>\n"
        f"<script type=\"text/javascript\">{plotly_js()}</script>\n</head><body>"
        f"<header><h1>heatpath report</h1><p>{html.escape(labels)} · generated {now} · "
        f"heatpath {__version__}</p></header><nav>{nav}</nav><main>{sections}</main>"
        "</body></html>\n"
    )
