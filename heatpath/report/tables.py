"""Tables shared by the HTML report and the Excel workbook (plain pandas, numbers as numbers).

Column names carry their unit in parentheses, e.g. ``"heat (MWh)"``; shares carry the unit
``fraction`` (0.45 = 45 %, displayed as a percentage), ``-`` marks other dimensionless
ratios (COP, SPF).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from heatpath.model.schema import EED_GROUPS
from heatpath.report.load import INDICATORS, PERSPECTIVES, Result, combined_share, group_shares

#: Table A-2 indicator row per counting group (Recommendation (EU) 2024/2395).
GROUP_INDICATOR = {"renewable": "%RES", "waste_heat": "%WHR", "hechp": "%HECHP",
                   "cogeneration": "%CHP (other cogeneration)", "fossil": "%W (not counted)"}

GROUP_CATEGORY_RANGE = {"renewable": "X1–X11", "waste_heat": "Y1–Y2", "hechp": "Z1–Z2",
                        "cogeneration": "W (other CHP)", "fossil": "W"}

INDICATOR_UNITS = {"npv": "EUR", "irr": "fraction", "simple_payback": "years",
                   "discounted_payback": "years", "lcoh": "EUR/MWh", "funding_gap": "EUR"}


# --------------------------------------------------------------------------- EED status


def eed_status(r: Result) -> dict[str, Any]:
    """The summary's ``eed`` block, completed by :func:`heatpath.eed.assess` when absent.

    Keys: ``efficient``, ``criteria_met``, ``period``, ``ghg_g_per_kwh`` (None if unknown),
    ``ghg_limit_g_per_kwh``, ``explanation``, ``enforced`` (article or "none"),
    ``source`` ("summary.json" or "recomputed").
    """
    from heatpath.eed import assess, ghg_limit_g_per_kwh

    e = r.eed
    out: dict[str, Any] = {
        "efficient": e.get("efficient"), "criteria_met": list(e.get("criteria_met") or []),
        "period": e.get("period"), "ghg_g_per_kwh": e.get("ghg_g_per_kwh"),
        "ghg_limit_g_per_kwh": e.get("ghg_limit_g_per_kwh"),
        "explanation": e.get("explanation", ""), "source": "summary.json",
    }
    enforced = e.get("enforced")
    if isinstance(enforced, dict):
        out["enforced"] = enforced.get("article", "yes")
    elif enforced:
        out["enforced"] = str(enforced)
    else:
        out["enforced"] = "none"
    try:
        if out["ghg_limit_g_per_kwh"] is None:
            out["ghg_limit_g_per_kwh"] = ghg_limit_g_per_kwh(r.year)
        if out["efficient"] is None:
            a = assess(r.year, r.summary["group_heat_mwh"])
            out.update(efficient=a.efficient, criteria_met=a.criteria_met, period=a.period,
                       explanation=a.explanation, source="recomputed")
    except ValueError as exc:  # year outside the rule tables, zero heat, ...
        out["explanation"] = out["explanation"] or f"not assessed: {exc}"
    return out


# --------------------------------------------------------------------------- comparison


def _finance_rows(r: Result) -> list[tuple[str, str, Any]]:
    rows = []
    ind = (r.finance or {}).get("indicators", {})
    for p in PERSPECTIVES:
        for name in INDICATORS:
            if name in ind.get(p, {}):
                rows.append((f"{name.replace('_', ' ')} ({p})", INDICATOR_UNITS[name],
                             ind[p][name]))
    return rows


def comparison_table(results: list[Result]) -> pd.DataFrame:
    """One row per metric (index ``metric``, column ``unit``), one column per scenario."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}

    def put(metric: str, unit: str, label: str, value: Any) -> None:
        rows.setdefault((metric, unit), {})[label] = value

    for r in results:
        s, lab = r.summary, r.label
        e = eed_status(r)
        d = float(s.get("heat_delivered_mwh", np.nan))
        put("scenario", "", lab, r.scenario)
        put("year", "", lab, r.year)
        put("solver status", "", lab, s.get("status", ""))
        put("result directory", "", lab, str(r.path))
        put("heat delivered", "MWh", lab, d)
        put("heat into the network", "MWh", lab, s.get("heat_into_network_mwh"))
        put("network losses", "MWh", lab, s.get("network_loss_mwh"))
        put("storage losses", "MWh", lab, s.get("storage_loss_mwh"))
        put("variable cost (net)", "EUR", lab, s.get("objective_eur"))
        obj = s.get("objective_eur")
        put("variable cost per MWh delivered", "EUR/MWh", lab,
            obj / d if obj is not None and d > 0 else None)
        for k, v in (s.get("costs_eur") or {}).items():
            put(f"cost: {k.replace('_', ' ')}", "EUR", lab, v)
        for g, v in group_shares(r).items():
            put(f"share {g}", "fraction", lab, v)
        put("EED period", "", lab, e["period"])
        put("EED Art. 26(1) efficient", "", lab, e["efficient"])
        put("Art. 26(1) alternatives met", "", lab, ", ".join(e["criteria_met"]) or "none")
        put("EED treatment enforced", "", lab, e["enforced"])
        put("GHG intensity", "g CO2/kWh", lab, e["ghg_g_per_kwh"])
        put("Art. 26(2) GHG limit", "g CO2/kWh", lab, e["ghg_limit_g_per_kwh"])
        put("CO2 emissions", "t", lab, s.get("co2_t"))
        put("electricity bought", "MWh", lab, s.get("electricity_bought_mwh"))
        put("electricity sold", "MWh", lab, s.get("electricity_sold_mwh"))
        for metric, unit, v in _finance_rows(r):
            put(metric, unit, lab, v)
    labels = [r.label for r in results]
    idx = pd.MultiIndex.from_tuples(list(rows), names=["metric", "unit"])
    df = pd.DataFrame([[rows[k].get(lab) for lab in labels] for k in rows], index=idx,
                      columns=labels)
    return df


def indicators_table(results: list[Result]) -> pd.DataFrame:
    """Finance indicators: one row per scenario and perspective (empty if no finance.json)."""
    recs = []
    for r in results:
        ind = (r.finance or {}).get("indicators", {})
        for p in PERSPECTIVES:
            if p not in ind:
                continue
            rec = {"scenario": r.label, "year": r.year, "perspective": p}
            for name in INDICATORS:
                rec[f"{name} ({INDICATOR_UNITS[name]})"] = ind[p].get(name)
            recs.append(rec)
    cols = ["scenario", "year", "perspective"] + [f"{n} ({INDICATOR_UNITS[n]})"
                                                  for n in INDICATORS]
    return pd.DataFrame(recs, columns=cols)


# --------------------------------------------------------------------------- units


def units_table(r: Result) -> pd.DataFrame:
    """Annual figures per unit: heat, share, peak, full-load hours, fuel, electricity."""
    s = r.summary
    total = float(s.get("heat_into_network_mwh") or 0.0)
    info = r.unit_info()
    heat = r.heat()
    fuel = s.get("fuel_mwh") or {}
    recs = []
    for u in r.units:
        h = float(s["heat_mwh"].get(u, heat[u].sum() if u in heat else 0.0))
        rec: dict[str, Any] = {"unit": u}
        i = info.get(u, {})
        rec["kind"] = i.get("kind")
        rec["capacity (MW)"] = i.get("capacity_mw")
        rec["EED group"] = i.get("eed_group")
        rec["Table A-1 category"] = i.get("eed_category")
        rec["heat into network (MWh)"] = h
        rec["share of heat into network (fraction)"] = h / total if total > 0 else None
        peak = float(heat[u].max()) if u in heat else None
        rec["peak output (MW)"] = peak
        cap = i.get("capacity_mw") or peak
        rec["full-load hours (h)"] = h / cap if cap else None
        rec["operating hours (h)"] = int((heat[u] > 1e-6).sum()) if u in heat else None
        rec["fuel (MWh)"] = float(fuel[u]) if u in fuel else None
        cop_col = f"cop_{u}"
        if cop_col in r.dispatch and u in heat:
            cop = r.dispatch[cop_col].replace(0.0, np.nan)
            el = float((heat[u] / cop).sum())
            rec["electricity use (MWh)"] = el
            rec["SPF, heat-weighted (-)"] = h / el if el > 0 else None
        else:
            rec["electricity use (MWh)"] = None
            rec["SPF, heat-weighted (-)"] = None
        recs.append(rec)
    df = pd.DataFrame(recs)
    return df.dropna(axis=1, how="all")


# --------------------------------------------------------------------------- Table


def category_heat(r: Result) -> tuple[dict[str, float] | None, str]:
    """Annual MWh per Table A-1 category and how it was obtained.

    Uses ``summary["category_heat_mwh"]`` when present, else per-unit categories of
    ``summary["units"]`` (``category_fractions`` or ``eed_category``). Returns
    ``(None, reason)`` when the summary has no per-unit categories: the report then falls
    back to group-level rows.
    """
    s = r.summary
    if isinstance(s.get("category_heat_mwh"), dict):
        return {str(k): float(v) for k, v in s["category_heat_mwh"].items()}, \
            "summary.json category_heat_mwh"
    info = r.unit_info()
    if info and all(("category_fractions" in info.get(u, {}) or "eed_category" in
                     info.get(u, {})) for u in r.units):
        out: dict[str, float] = {}
        for u in r.units:
            h = float(s["heat_mwh"].get(u, 0.0))
            fr = info[u].get("category_fractions") or {info[u]["eed_category"]: 1.0}
            for c, f in fr.items():
                out[c] = out.get(c, 0.0) + h * float(f)
        return out, "per-unit categories of summary.json units"
    return None, ("summary.json has no per-unit Table A-1 categories; heat is shown per "
                  "counting group (category rows left empty)")


def table_a1(r: Result) -> pd.DataFrame:
    """Table A-1 (data collection) of Recommendation (EU) 2024/2395 for one result.

    Rows X1..X11, Y1, Y2, Z1, Z2, W (W includes heatpath's W.CHP sub-row, reported as "of
    which other CHP"), then group totals and T. ``heat (MWh)`` is None where unknown.
    """
    from heatpath.eed import categories

    cats = categories()
    cat_heat, how = category_heat(r)
    gh = {g: float(v) for g, v in r.summary["group_heat_mwh"].items()}
    recs = []
    for code, c in cats.items():
        if code == "W.CHP":
            continue
        mwh = None
        if cat_heat is not None:
            mwh = cat_heat.get(code, 0.0)
            if code == "W":
                mwh += cat_heat.get("W.CHP", 0.0)
        recs.append({"row": "category", "category": code, "energy source": c.energy_source,
                     "conversion technology": c.technology, "counting group": c.group,
                     "heat into network (MWh)": mwh})
        if code == "W":
            recs.append({"row": "category", "category": "W (of which other CHP)",
                         "energy source": cats["W.CHP"].energy_source,
                         "conversion technology": cats["W.CHP"].technology,
                         "counting group": "cogeneration",
                         "heat into network (MWh)":
                             cat_heat.get("W.CHP", 0.0) if cat_heat is not None else None})
    for g in EED_GROUPS:
        recs.append({"row": "group total", "category": f"total {GROUP_CATEGORY_RANGE[g]}",
                     "energy source": f"total {g}", "conversion technology": "",
                     "counting group": g, "heat into network (MWh)": gh.get(g, 0.0)})
    recs.append({"row": "total", "category": "T", "energy source":
                 "total heat into the network", "conversion technology": "",
                 "counting group": "+".join(EED_GROUPS),
                 "heat into network (MWh)": float(r.summary["heat_into_network_mwh"])})
    df = pd.DataFrame(recs)
    df.attrs["source"] = how
    return df


def table_a2(r: Result) -> pd.DataFrame:
    """Table A-2 share calculation: counted MWh / T per line, totals per criterion.

    Columns: ``kind`` (``line`` = one Table A-1 category, ``group`` = total of a counting
    group = %RES, %WHR, %HECHP, ..., ``condition`` = a condition of an Art. 26(1)
    alternative, ``alternative``), ``code``, ``description``, ``formula``,
    ``counted heat (MWh)``, ``T heat into network (MWh)``, ``share (fraction)``,
    ``threshold (fraction)``, ``headroom (fraction)``, ``met``.
    """
    from heatpath.eed import alternatives, categories

    s = r.summary
    T = float(s["heat_into_network_mwh"])
    gh = {g: float(s["group_heat_mwh"].get(g, 0.0)) for g in EED_GROUPS}
    cat_heat, _ = category_heat(r)
    recs: list[dict[str, Any]] = []

    def rec(kind, code, desc, formula, counted, share=None, threshold=None, headroom=None,
            met=None):
        if share is None and counted is not None and T > 0:
            share = counted / T
        recs.append({"kind": kind, "code": code, "description": desc, "formula": formula,
                     "counted heat (MWh)": counted, "T heat into network (MWh)": T,
                     "share (fraction)": share, "threshold (fraction)": threshold,
                     "headroom (fraction)": headroom, "met": met})

    if cat_heat is not None:
        for code, c in categories().items():
            if c.indicator:
                rec("line", c.indicator, f"{c.energy_source} — {c.technology}",
                    f"{code} / T", cat_heat.get(code, 0.0))
    shares = {g: (gh[g] / T if T > 0 else 0.0) for g in EED_GROUPS}
    for g in EED_GROUPS:
        rng = GROUP_CATEGORY_RANGE[g]
        rec("group", g, GROUP_INDICATOR[g], f"sum({rng}) / T", gh[g], share=shares[g])
    try:
        alts = alternatives(r.year)
    except ValueError:
        alts = []
    for a in alts:
        for c in a.conditions:
            sh = combined_share(shares, c.groups)
            rec("condition", a.id, f"{' + '.join(c.groups)} ≥ {c.min_share:.0%}",
                " + ".join(GROUP_INDICATOR[g].split(" ")[0] for g in c.groups),
                math.fsum(gh[g] for g in c.groups), share=sh, threshold=c.min_share,
                headroom=sh - c.min_share, met=bool(sh - c.min_share >= -1e-9))
        h = a.headroom(shares)
        rec("alternative", a.id, a.label, "all conditions", None, headroom=h,
            met=bool(a.is_met(shares)))
    return pd.DataFrame(recs)
