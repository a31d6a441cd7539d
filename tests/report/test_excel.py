"""The Excel workbook: Table A-2 shares equal summary.json, numbers as numbers, frozen headers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl
import pytest

from heatpath.model.schema import EED_GROUPS

SHEETS = ["Summary", "Dispatch", "Dispatch 2", "Units", "Table A-1", "Table A-2", "CashFlow",
          "Indicators"]


def _rows(ws) -> list[dict]:
    it = ws.iter_rows(values_only=True)
    header = next(it)
    return [dict(zip(header, r, strict=True)) for r in it if any(v is not None for v in r)]


@pytest.fixture(scope="module")
def wb(built_report):
    return openpyxl.load_workbook(built_report["excel"])


def test_sheets_and_frozen_headers(wb) -> None:
    assert wb.sheetnames == SHEETS
    for name in SHEETS:
        assert wb[name].freeze_panes in ("A2", "B2"), name


def test_table_a2_shares_equal_summary(wb, toy_result: Path, finance_result: Path) -> None:
    rows = _rows(wb["Table A-2"])
    for d in (toy_result, finance_result):
        s = json.loads((d / "summary.json").read_text())
        label = f"{s['scenario']} {s['year']}"
        groups = {r["code"]: r for r in rows if r["scenario"] == label and r["kind"] == "group"}
        assert set(groups) == set(EED_GROUPS)
        for g in EED_GROUPS:
            r = groups[g]
            assert isinstance(r["share (fraction)"], float | int)
            assert r["share (fraction)"] == pytest.approx(s["shares"][g], abs=1e-12)
            assert r["counted heat (MWh)"] == pytest.approx(s["group_heat_mwh"][g], rel=1e-12)
            assert r["T heat into network (MWh)"] == pytest.approx(
                s["heat_into_network_mwh"], rel=1e-12)
        # every Art. 26(1) alternative of the year is listed; "met" agrees with summary.json
        alts = {r["code"]: r["met"] for r in rows
                if r["scenario"] == label and r["kind"] == "alternative"}
        from heatpath.eed import alternatives

        assert set(alts) == {a.id for a in alternatives(s["year"])}
        if "eed" in s:
            assert {k for k, v in alts.items() if v} == set(s["eed"]["criteria_met"])


def test_numbers_are_numbers(wb, toy_result: Path) -> None:
    s = json.loads((toy_result / "summary.json").read_text())
    ws = wb["Dispatch"]
    header = [c.value for c in ws[1]]
    assert header[0] == "timestamp"
    assert "heat_gas_boiler (MW)" in header and "COP air_hp (-)" in header
    assert ws.max_row == 1 + 8784  # toy is a leap year
    col = header.index("heat_gas_boiler (MW)") + 1
    total = sum(ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1))
    assert total == pytest.approx(s["heat_mwh"]["gas_boiler"], rel=1e-5)  # csv: 6 digits
    units = _rows(wb["Units"])
    hp = next(u for u in units if u["unit"] == "air_hp" and u["scenario"] == "toy 2028")
    assert hp["heat into network (MWh)"] == pytest.approx(s["heat_mwh"]["air_hp"])
    assert 1.0 < hp["SPF, heat-weighted (-)"] < 10.0
    summary = _rows(wb["Summary"])
    cost = next(r for r in summary if r["metric"] == "variable cost (net)")
    assert cost["unit"] == "EUR" and cost["toy 2028"] == pytest.approx(s["objective_eur"])
    a1 = _rows(wb["Table A-1"])
    t = next(r for r in a1 if r["scenario"] == "toy 2028" and r["category"] == "T")
    assert t["heat into network (MWh)"] == pytest.approx(s["heat_into_network_mwh"])
    cats = [r["category"] for r in a1 if r["scenario"] == "toy 2028" and r["row"] == "category"]
    assert cats[:11] == [f"X{i}" for i in range(1, 12)]
    assert {"Y1", "Y2", "Z1", "Z2", "W"} <= set(cats)


def test_cashflow_and_indicators(wb, finance_result: Path) -> None:
    fin = json.loads((finance_result / "finance.json").read_text())
    ind = _rows(wb["Indicators"])
    proj = next(r for r in ind if r["perspective"] == "project")
    assert proj["npv (EUR)"] == pytest.approx(fin["npv_project"])
    assert proj["irr (fraction)"] == pytest.approx(fin["irr_project"])
    assert proj["discounted_payback (years)"] == pytest.approx(fin["discounted_payback_project"])
    cf = _rows(wb["CashFlow"])
    assert [r["year"] for r in cf] == list(range(2027, 2051))
    assert cf[-1]["cumulative_discounted (EUR)"] == pytest.approx(fin["npv_project"], rel=1e-9)


def test_table_a2_lines_from_per_unit_categories(toy_result: Path, tmp_path: Path) -> None:
    """With per-unit Table A-1 categories in summary.json the lines add up to the groups."""
    import shutil

    from heatpath.report import load_result
    from heatpath.report.tables import table_a1, table_a2

    d = tmp_path / "toy_cat"
    shutil.copytree(toy_result, d)
    s = json.loads((d / "summary.json").read_text())
    s["units"] = {"gas_boiler": {"eed_category": "W", "kind": "gas_boiler",
                                 "capacity_mw": 100.0},
                  "gas_chp": {"category_fractions": {"Z1": 1.0}},
                  "air_hp": {"eed_category": "X10"}}
    (d / "summary.json").write_text(json.dumps(s))
    r = load_result(d)
    a2 = table_a2(r)
    lines = a2[a2["kind"] == "line"].set_index("code")
    assert lines.loc["RES10", "counted heat (MWh)"] == pytest.approx(s["heat_mwh"]["air_hp"])
    assert lines.loc["HECHP1", "share (fraction)"] == pytest.approx(s["shares"]["hechp"])
    res = lines[lines.index.str.startswith("RES")]["share (fraction)"].sum()
    assert math.isclose(res, s["shares"]["renewable"], rel_tol=1e-12)
    a1 = table_a1(r).set_index("category")
    assert a1.loc["W", "heat into network (MWh)"] == pytest.approx(s["heat_mwh"]["gas_boiler"])
