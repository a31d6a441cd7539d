"""Scenario comparison on the toy system: one row per scenario, numbers of the runs."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from typer.testing import CliRunner

from heatpath.economics.appraisal import appraise_results, investments_between
from heatpath.model import load_scenario
from heatpath.planning.compare import _pick_references, _Run, compare_scenarios, input_hash
from tests.conftest import TOY


def toy_pair(d: Path) -> tuple[Path, Path]:
    """Toy copies without share requirements: a reference without the heat pump (it cannot
    be efficient in 2028) and a scenario with it (18 MEUR of CAPEX), same time series."""
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(TOY / "timeseries.csv", d / "timeseries.csv")
    text = (TOY / "toy.toml").read_text()
    base = text[:text.index("[[share_requirements]]")]
    hp = base.index('[[units]]\nname = "air_hp"')
    st = base.index("[[storages]]")
    (d / "reference.toml").write_text(base[:hp] + base[st:])
    (d / "scenario.toml").write_text(base.replace(
        'cop = "hp_cop"', 'cop = "hp_cop"\ncapex_eur_per_mw = 900000.0'))
    return d / "scenario.toml", d / "reference.toml"


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    d = tmp_path_factory.mktemp("compare")
    scen, ref = toy_pair(d / "in")
    calls: list[tuple[int, int, str]] = []
    df = compare_scenarios([scen, ref], d / "out",
                           progress=lambda done, total, label: calls.append((done, total, label)))
    return df, d / "out", scen, ref, calls


def test_one_row_per_scenario_and_outputs(compared) -> None:
    df, out, _, _, calls = compared
    assert df.index.tolist() == ["scenario", "reference"]
    assert df.loc["scenario", "role"] == "scenario"
    assert df.loc["scenario", "reference"] == "reference"
    assert df.loc["reference", "role"] == "reference"
    for stem in ("scenario", "reference"):
        assert (out / stem / "summary.json").is_file() and (out / stem / "dispatch.csv").is_file()
    assert (out / "scenario" / "finance.json").is_file()
    assert not (out / "reference" / "finance.json").exists()
    csv = pd.read_csv(out / "comparison.csv", index_col="scenario")
    assert csv.index.tolist() == ["scenario", "reference"]
    assert csv.loc["scenario", "npv_eur"] == pytest.approx(df.loc["scenario", "npv_eur"])
    assert calls == [(0, 2, "scenario"), (1, 2, "reference"), (2, 2, "done")]
    assert set(df["dispatch_mode"]) == {"lp"}


def test_numbers_equal_the_runs_summaries(compared) -> None:
    df, out, *_ = compared
    for stem in ("scenario", "reference"):
        s = json.loads((out / stem / "summary.json").read_text())
        row = df.loc[stem]
        assert row["year"] == s["year"] == 2028
        for g, mwh in s["group_heat_mwh"].items():
            assert row[f"heat_{g}_mwh"] == pytest.approx(mwh)
            assert row[f"share_{g}"] == pytest.approx(s["shares"][g])
        assert row["ghg_g_per_kwh"] == pytest.approx(s["eed"]["ghg_g_per_kwh"])
        assert row["co2_t"] == pytest.approx(s["co2_t"])
        assert row["variable_cost_eur"] == pytest.approx(
            s["objective_eur"] - s["costs_eur"]["investment_annualised"])
        discharged = pd.read_csv(out / stem / "dispatch.csv")["discharge_tank_mw"].sum()
        assert row["storage_discharged_mwh"] == pytest.approx(discharged, rel=1e-5)
        assert row["storage_full_cycles"] == pytest.approx(discharged / 400.0, rel=1e-5)
        # headroom against every Art. 26(1) alternative of 2028
        assert sum(c.startswith("headroom_2028.") for c in df.columns) == 5


def test_efficient_scenario_and_its_alternative(compared) -> None:
    df, out, *_ = compared
    row = df.loc["scenario"]
    s = json.loads((out / "scenario" / "summary.json").read_text())
    assert bool(row["efficient"]) and row["status"] == "efficient"
    assert bool(row["eed_constrained"]) and row["eed_enforced"] == "26(1)"
    assert row["chosen_alternative"] == s["eed"]["enforced"]["chosen_alternative"]
    assert row[f"headroom_{row['chosen_alternative']}"] >= -1e-9
    assert s["compare"]["eed_enforced"] == "26(1)"


def test_non_compliant_reference_is_marked_with_its_shortfall(compared) -> None:
    df, out, *_ = compared
    row = df.loc["reference"]
    assert not bool(row["efficient"]) and row["status"] == "not efficient"
    assert not bool(row["eed_constrained"])  # numbers of the unconstrained dispatch
    assert "2028.res5_combined50" in row["shortfall"]
    assert "renewable can reach at most 0.0%" in row["shortfall"]
    assert row["heat_fossil_mwh"] > 0 and row["variable_cost_eur"] > 0
    s = json.loads((out / "reference" / "summary.json").read_text())
    assert s["compare"]["eed_constrained"] is False and s["compare"]["shortfall"]


def test_npv_is_appraise_results_on_the_same_results(compared) -> None:
    df, out, scen, ref, _ = compared
    assert math.isnan(df.loc["reference", "npv_eur"])
    assert math.isnan(df.loc["reference", "irr"])
    s = json.loads((out / "scenario" / "summary.json").read_text())
    r = json.loads((out / "reference" / "summary.json").read_text())
    invs = investments_between(load_scenario(scen), load_scenario(ref))
    a = appraise_results(s, r, investments=invs)
    row = df.loc["scenario"]
    assert row["capex_eur"] == pytest.approx(18e6)
    assert row["npv_eur"] == pytest.approx(a.indicators["project"]["npv"], rel=1e-9)
    assert row["irr"] == pytest.approx(a.indicators["project"]["irr"], rel=1e-9)
    assert row["simple_payback_years"] == pytest.approx(a.indicators["project"]["simple_payback"])
    assert row["opex_saving_eur"] == pytest.approx(
        df.loc["reference", "variable_cost_eur"] - row["variable_cost_eur"])
    fin = json.loads((out / "scenario" / "finance.json").read_text())
    assert fin["indicators"]["project"]["npv"] == pytest.approx(row["npv_eur"])


def _stub(stem: str, year: int) -> _Run:
    run = _Run(Path(f"{stem}.toml"), stem)
    run.system = SimpleNamespace(system=SimpleNamespace(year=year))  # type: ignore[assignment]
    return run


def test_reference_choice() -> None:
    a28, b35 = _stub("a", 2028), _stub("b", 2035)
    r28, r35, given = _stub("reference_2028", 2028), _stub("ref_2035", 2035), _stub("base", 2028)
    runs = [a28, b35, r28, r35, given]
    _pick_references(runs, None)
    assert a28.reference is r28 and b35.reference is None  # 'ref_2035' is not 'reference*'
    assert r28.reference is None and given.reference is r28
    for r in runs:
        r.reference = None
    _pick_references(runs, given)  # --reference wins for its year, others by name
    assert a28.reference is given and r28.reference is None and given.reference is None
    assert b35.reference is None


def test_input_hash_follows_the_files(tmp_path: Path) -> None:
    scen, _ = toy_pair(tmp_path)
    h = input_hash(scen)
    assert h == input_hash(scen) and h != input_hash(scen, salt="eed=26(1)")
    with (tmp_path / "timeseries.csv").open("a") as f:
        f.write("\n")
    assert input_hash(scen) != h


def test_repeated_stems_and_existing_outputs(tmp_path: Path, compared) -> None:
    from heatpath.cli import app

    scen, ref = toy_pair(tmp_path / "a")
    other, _ = toy_pair(tmp_path / "b")
    with pytest.raises(ValueError, match="repeated"):
        compare_scenarios([scen, other], tmp_path / "out")
    out = compared[1]
    r = CliRunner().invoke(app, ["compare", str(scen), str(ref), "--out", str(out)])
    assert r.exit_code == 2 and "--force" in r.output
