"""HTML content, static figures, optional inputs, the command, progress helpers."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from heatpath.report import ResultDirError, build_report, collect, figure_ids
from heatpath.report.load import normalise_finance
from heatpath.report.progress import final_line, track


def test_html_is_self_contained(built_report) -> None:
    from plotly.offline import get_plotlyjs

    text = built_report["html"].read_text(encoding="utf-8")
    assert text.count(get_plotlyjs()[:200]) == 1  # plotly.js embedded exactly once
    assert not re.findall(r"<script[^>]*\bsrc=", text)  # nothing loaded from elsewhere
    assert not re.findall(r"<link[^>]*\bhref=", text)
    # sane size: < 15 MB for two 8784-hour results (plotly.js alone is ~4.8 MB)
    assert built_report["html"].stat().st_size < 15e6
    for section in ("Scenario comparison", "Heat supply", "EED Article 26", "Economics",
                    "Inputs &amp; assumptions", "Data sources"):
        assert section in text


def test_figures_and_static_exports(built_report, toy_result, finance_result) -> None:
    ids = figure_ids([toy_result, finance_result])
    assert ids == [
        "load-duration-1", "dispatch-1", "load-duration-2", "dispatch-2", "electricity-1",
        "electricity-2", "eed-shares-2028", "eed-shares-2035", "eed-ghg", "eed-trajectory",
        "costs", "cashflow-2"]
    text = built_report["html"].read_text(encoding="utf-8")
    assert text.count('class="hp-figure"') == len(ids)
    for i in ids:
        png, svg = built_report[f"{i}.png"], built_report[f"{i}.svg"]
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 5_000
        assert b"<svg" in svg.read_bytes()[:2000]


def test_optional_files_absent_are_skipped(toy_result: Path, tmp_path: Path) -> None:
    out = build_report([toy_result], tmp_path / "r.html", progress=False)
    text = out["html"].read_text(encoding="utf-8")
    assert "No finance.json" in text
    assert 'id="fig-cashflow' not in text and 'id="fig-eed-trajectory"' not in text
    import openpyxl

    from heatpath.report.excel import write_excel

    inp = collect([toy_result])
    inp.results[0].dispatch = inp.results[0].dispatch.iloc[:48]  # keep the test fast
    wb = openpyxl.load_workbook(write_excel(inp, tmp_path / "r.xlsx"))
    assert wb["CashFlow"]["A1"].value.startswith("no cashflow.csv")
    assert wb["Indicators"]["A1"].value.startswith("no finance.json")
    assert wb["Dispatch"].max_row == 49


def test_compare_dir_and_bad_dirs(toy_result: Path, finance_result: Path, tmp_path: Path) -> None:
    comp = tmp_path / "compare"
    comp.mkdir()
    shutil.copytree(toy_result, comp / "a")
    (comp / "comparison.csv").write_text("scenario,npv_eur\ntoy,1.5\n")
    inp = collect([comp])
    assert len(inp.results) == 1 and len(inp.comparisons) == 1
    with pytest.raises(ResultDirError, match="no such directory"):
        collect([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ResultDirError, match="neither a result directory"):
        collect([tmp_path / "empty"])
    # two copies of one scenario get distinct labels
    labels = [r.label for r in collect([toy_result, comp / "a"]).results]
    assert len(set(labels)) == 2


@pytest.mark.parametrize("raw", [
    {"npv_project": 1.0, "irr_project": 0.1, "npv_equity": 2.0, "lcoh": 30.0,
     "price_basis": "real"},
    {"indicators": {"project": {"npv": 1.0, "irr": 0.1, "lcoh": 30.0},
                    "equity": {"npv": 2.0}}, "price_basis": "real"},
    {"project": {"npv": 1.0, "irr": 0.1, "lcoh": 30.0}, "equity": {"npv": 2.0},
     "price_basis": "real"},
])
def test_normalise_finance_layouts(raw) -> None:
    f = normalise_finance(raw)
    assert f["indicators"]["project"] == {"npv": 1.0, "irr": 0.1, "lcoh": 30.0}
    assert f["indicators"]["equity"] == {"npv": 2.0}
    assert f["meta"]["price_basis"] == "real"
    assert normalise_finance({"npv_project": None})["indicators"]["project"]["npv"] is None


def test_report_command_refuses_overwrite(toy_result: Path, tmp_path: Path) -> None:
    from heatpath.cli import app

    runner = CliRunner()
    out = tmp_path / "r.html"
    out.write_text("old")
    res = runner.invoke(app, ["report", str(toy_result), "--out", str(out)])
    assert res.exit_code == 2 and "--force" in res.output
    assert out.read_text() == "old"
    res = runner.invoke(app, ["report", str(toy_result), "--out", str(out), "--force"])
    assert res.exit_code == 0, res.output
    assert "report:" in res.output and out.stat().st_size > 1e6
    res = runner.invoke(app, ["report", str(tmp_path / "missing"), "--out",
                              str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "no such directory" in res.output


def test_track_is_silent_without_terminal() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=False)
    assert list(track(range(3), "x", console=console)) == [0, 1, 2]
    with track(None, "steps", total=2, console=console) as step:
        step("a")
        step("b")
    assert buf.getvalue() == ""
    # forced on: draws (transient) without failing
    assert list(track([1, 2], "y", enabled=True, console=Console(file=io.StringIO()))) == [1, 2]
    with track(None, "z", total=1, enabled=True, console=Console(file=io.StringIO())) as step:
        step("done")


def test_final_line(tmp_path: Path) -> None:
    buf = io.StringIO()
    line = final_line({"html": tmp_path / "r.html", "excel": tmp_path / "r.xlsx"},
                      console=Console(file=buf, width=400))
    assert line == f"outputs: {tmp_path / 'r.html'}, {tmp_path / 'r.xlsx'}"
    assert buf.getvalue().strip() == line
    assert json.dumps(line)  # plain text, no markup
