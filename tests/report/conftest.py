"""Result directories and one built report shared by the report tests.

``toy_result`` is the real ``run_scenario`` output of examples/toy (dispatch.csv +
summary.json with its eed block). ``finance_result`` is a copy relabelled as a 2035 scenario
without the eed block (the report recomputes it) plus finance.json / cashflow.csv written
from :func:`heatpath.economics.appraise`, so every optional figure and sheet is exercised.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import TOY


@pytest.fixture(scope="session")
def toy_result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from heatpath.dispatch import run_scenario
    from heatpath.model import load_scenario

    out = tmp_path_factory.mktemp("results") / "toy"
    run_scenario(load_scenario(TOY / "toy.toml")).write(out)
    return out


@pytest.fixture(scope="session")
def finance_result(toy_result: Path) -> Path:
    from heatpath.economics import appraise

    out = toy_result.parent / "toy_b"
    shutil.copytree(toy_result, out)
    res = appraise({2027: 20e6}, 3.5e6, 0.3e6, heat_mwh=150_000.0, variable_cost=2e6)
    res.pop("cashflow").to_csv(out / "cashflow.csv")
    (out / "finance.json").write_text(json.dumps(res, indent=1))
    s = json.loads((out / "summary.json").read_text())
    s.update(scenario="toy_b", year=2035)
    s.pop("eed", None)
    (out / "summary.json").write_text(json.dumps(s, indent=1))
    return out


@pytest.fixture(scope="session")
def built_report(toy_result: Path, finance_result: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """HTML + Excel + PNG/SVG of both results, built once."""
    from heatpath.report import build_report

    d = tmp_path_factory.mktemp("report")
    return build_report([toy_result, finance_result], d / "report.html",
                        excel=d / "report.xlsx", figures_dir=d / "figures", progress=False)
