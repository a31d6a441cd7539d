"""Excel workbook of a report (openpyxl): numbers as numbers, units in headers, frozen headers.

Sheets
------
Summary      one row per metric, one column per scenario (the comparison table)
Dispatch     hourly dispatch.csv of each result ("Dispatch", "Dispatch 2", ... when several)
Units        annual figures per unit and scenario
Table A-1    EED data-collection template (Recommendation (EU) 2024/2395, Appendix A)
Table A-2    share calculation: counted MWh / T per line, totals per group and per condition
CashFlow     cashflow.csv of each result with one (one row per scenario and year)
Indicators   finance.json indicators per scenario and perspective
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from heatpath.report.load import ReportInput
from heatpath.report.tables import (
    comparison_table,
    indicators_table,
    table_a1,
    table_a2,
    units_table,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE7EE")

FORMATS = {"fraction": "0.00%", "-": "0.000", "MWh": "#,##0", "EUR": "#,##0", "t": "#,##0",
           "MW": "#,##0.0", "h": "#,##0", "EUR/MWh": "#,##0.00", "years": "0.00",
           "g CO2/kWh": "0.0"}


def _unit(header: str) -> str:
    if header.endswith(")") and "(" in header:
        return header[header.rindex("(") + 1:-1]
    return ""


def _cell_value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    if isinstance(v, (pd.Timestamp,)):
        return v.to_pydatetime()
    return v


def _header(ws, names: list[str]) -> list:
    cells = []
    for n in names:
        c = WriteOnlyCell(ws, value=str(n))
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(c)
    return cells


def _write_frame(ws, df: pd.DataFrame, *, formats: list[str | None] | None = None,
                 row_units: list[str] | None = None, first_data_col: int = 1,
                 widths: dict[int, float] | None = None) -> None:
    """Header in row 1 (bold, frozen), data below. ``formats`` per column, or per row via
    ``row_units`` for columns from ``first_data_col`` on (Summary sheet).

    ``ws`` is a write-only worksheet: layout (frozen panes, widths) is set before the rows.
    """
    cols = list(df.columns)
    ws.freeze_panes = "B2" if row_units else "A2"
    for c_i, c in enumerate(cols, start=1):
        w = (widths or {}).get(c_i) or min(45, max(10, len(str(c)) * 0.9 + 2))
        ws.column_dimensions[get_column_letter(c_i)].width = w
    ws.row_dimensions[1].height = 32
    ws.append(_header(ws, cols))
    fmts = formats or [FORMATS.get(_unit(str(c))) for c in cols]
    for r_i, row in enumerate(df.itertuples(index=False, name=None)):
        out = []
        for c_i, v in enumerate(row):
            fmt = fmts[c_i]
            if row_units is not None and c_i >= first_data_col:
                fmt = FORMATS.get(row_units[r_i])
            val = _cell_value(v)
            if fmt and isinstance(val, (int, float)) and not isinstance(val, bool):
                cell = WriteOnlyCell(ws, value=val)
                cell.number_format = fmt
                out.append(cell)
            else:
                out.append(val)
        ws.append(out)


def _write_dispatch(ws, df: pd.DataFrame) -> None:
    """Hourly table, written fast: numbers keep Excel's General format (full precision)."""
    headers = ["timestamp"] + [_dispatch_header(c) for c in df.columns]
    ws.freeze_panes = "B2"
    for c_i, h in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(c_i)].width = (
            19 if c_i == 1 else min(24, max(11, len(h) * 0.8)))
    ws.row_dimensions[1].height = 45
    ws.append(_header(ws, headers))
    ts = df.index.to_pydatetime()
    values = df.to_numpy(dtype=float)
    finite = np.isfinite(values).all()
    for t, row in zip(ts, values.tolist(), strict=True):
        if not finite:
            row = [v if math.isfinite(v) else None for v in row]
        ws.append([t, *row])


def _dispatch_header(col: str) -> str:
    """``heat_gas_boiler_mw`` -> ``heat gas_boiler (MW)``; ``cop_hp`` -> ``COP hp (-)``."""
    if col.startswith("cop_"):
        return f"COP {col[4:]} (-)"
    for suffix, unit in (("_eur_per_mwh", "EUR/MWh"), ("_mwh", "MWh"), ("_mw", "MW")):
        if col.endswith(suffix):
            return f"{col[: -len(suffix)]} ({unit})"
    return col


def _cashflow_header(col: str) -> str:
    if col == "t":
        return "t (years)"
    if col.startswith(("discount_factor", "escalation")):
        return f"{col} (-)"
    return f"{col} (EUR)"


def _note(ws, text: str) -> None:
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 60
    cell = WriteOnlyCell(ws, value=text)
    cell.font = Font(italic=True)
    ws.append([cell])


def write_excel(inp: ReportInput, path: Path) -> Path:
    """Write the workbook of the report to ``path``."""
    wb = Workbook(write_only=True)  # streams rows: ~35 % faster for the hourly sheets
    results = inp.results
    # ---- Summary
    ws = wb.create_sheet("Summary")
    comp = comparison_table(results).reset_index()
    units = [str(u) for u in comp["unit"]]
    _write_frame(ws, comp, row_units=units, first_data_col=2,
                 widths={1: 36, 2: 12, **{k: 22 for k in range(3, 3 + len(results))}})
    if len(results) > 1:
        ws.append([])
        ws.append(["dispatch sheets:"])
        for i, r in enumerate(results, start=1):
            ws.append(["Dispatch" if i == 1 else f"Dispatch {i}", "", r.label])
    # ---- Dispatch
    for i, r in enumerate(results, start=1):
        name = "Dispatch" if i == 1 else f"Dispatch {i}"
        _write_dispatch(wb.create_sheet(name), r.dispatch)
    # ---- Units
    frames = []
    for r in results:
        u = units_table(r)
        u.insert(0, "scenario", r.label)
        frames.append(u)
    _write_frame(wb.create_sheet("Units"), pd.concat(frames, ignore_index=True))
    # ---- Table A-1
    frames = []
    for r in results:
        a1 = table_a1(r)
        a1.insert(0, "year", r.year)
        a1.insert(0, "scenario", r.label)
        a1["basis"] = a1.attrs.get("source", "")
        frames.append(a1)
    _write_frame(wb.create_sheet("Table A-1"), pd.concat(frames, ignore_index=True))
    # ---- Table A-2
    frames = []
    for r in results:
        a2 = table_a2(r)
        a2.insert(0, "year", r.year)
        a2.insert(0, "scenario", r.label)
        frames.append(a2)
    _write_frame(wb.create_sheet("Table A-2"), pd.concat(frames, ignore_index=True),
                 widths={5: 18, 6: 48, 7: 26})
    # ---- CashFlow
    wsc = wb.create_sheet("CashFlow")
    frames = []
    for r in results:
        if r.cashflow is not None:
            cf = r.cashflow.reset_index()
            cf = cf.rename(columns={c: _cashflow_header(c) for c in cf.columns if c != "year"})
            cf.insert(0, "scenario", r.label)
            frames.append(cf)
    if frames:
        _write_frame(wsc, pd.concat(frames, ignore_index=True))
    else:
        _note(wsc, "no cashflow.csv in the result directories")
    # ---- Indicators
    wsi = wb.create_sheet("Indicators")
    ind = indicators_table(results)
    if ind.empty:
        _note(wsi, "no finance.json in the result directories")
    else:
        fmts = [None, None, None] + [FORMATS.get(_unit(c)) for c in ind.columns[3:]]
        _write_frame(wsi, ind, formats=fmts)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
