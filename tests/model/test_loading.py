"""Scenario loading: the toy loads, and every kind of bad input gives one clear message."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from heatpath.model import HeatPump, ScenarioError, load_scenario


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_toy_loads_with_hourly_series(toy_dir: Path) -> None:
    s = load_scenario(toy_dir / "toy.toml")
    assert len(s.snapshots) == 8784  # 2028 is a leap year
    hp = s.unit("air_hp")
    assert isinstance(hp, HeatPump)
    assert isinstance(hp.cop, pd.Series) and hp.cop.index.equals(s.snapshots)
    csv = pd.read_csv(toy_dir / "timeseries.csv")
    assert hp.cop.to_numpy() == pytest.approx(csv["hp_cop"].to_numpy())
    # constants are broadcast to hourly series
    assert (s.prices.fuels_eur_per_mwh["natural_gas"] == 37.61).all()
    assert s.demand.network_loss_fraction == 0.12


def test_relative_paths_resolve_against_toml_not_cwd(toy_dir: Path, monkeypatch) -> None:
    monkeypatch.chdir(toy_dir.parent.parent)
    s = load_scenario(toy_dir / "toy.toml")
    assert s.demand.heat_mw.sum() > 0


def _error(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def test_missing_scenario_file(tmp_path: Path) -> None:
    e = _error(tmp_path / "nope.toml")
    assert "nope.toml" in str(e) and "not found" in str(e)


def test_missing_csv_file(toy_dir: Path) -> None:
    _edit(toy_dir / "toy.toml", 'timeseries = "timeseries.csv"', 'timeseries = "missing.csv"')
    e = _error(toy_dir / "toy.toml")
    assert "missing.csv" in str(e) and "not found" in str(e)


def test_misspelt_column_names_file_field_and_suggests(toy_dir: Path) -> None:
    _edit(toy_dir / "toy.toml", 'cop = "hp_cop"', 'cop = "hp_cpo"')
    e = _error(toy_dir / "toy.toml")
    msg = str(e)
    assert "timeseries.csv" in msg and "units[2].cop" in msg and "hp_cpo" in msg
    assert "did you mean 'hp_cop'" in msg


def test_nan_in_series_names_row(toy_dir: Path) -> None:
    csv = toy_dir / "timeseries.csv"
    df = pd.read_csv(csv)
    df.loc[100, "heat_demand_mw"] = float("nan")
    df.to_csv(csv, index=False)
    msg = str(_error(toy_dir / "toy.toml"))
    assert "heat_demand_mw" in msg and "demand.heat_mw" in msg
    assert df.loc[100, "timestamp"] in msg


def test_wrong_row_count(toy_dir: Path) -> None:
    csv = toy_dir / "timeseries.csv"
    pd.read_csv(csv).iloc[:-5].to_csv(csv, index=False)
    msg = str(_error(toy_dir / "toy.toml"))
    assert "8779" in msg and "timeseries.csv" in msg


def test_negative_capacity(toy_dir: Path) -> None:
    _edit(toy_dir / "toy.toml", "capacity_mw = 20.0", "capacity_mw = -20.0")
    e = _error(toy_dir / "toy.toml")
    assert e.field == "units[2].capacity_mw" and e.value == -20.0
    assert "toy.toml" in str(e)


def test_unknown_unit_kind(toy_dir: Path) -> None:
    _edit(toy_dir / "toy.toml", 'kind = "heat_pump"', 'kind = "fusion_reactor"')
    e = _error(toy_dir / "toy.toml")
    assert e.field == "units[2].kind" and e.value == "fusion_reactor"
    assert "heat_pump" in str(e)  # lists the known kinds


def test_share_target_above_one(toy_dir: Path) -> None:
    _edit(toy_dir / "toy.toml", "min_share = 0.45", "min_share = 1.5")
    e = _error(toy_dir / "toy.toml")
    assert e.field == "share_requirements[0].min_share" and e.value == 1.5


def test_misspelt_field_is_rejected(toy_dir: Path) -> None:
    _edit(toy_dir / "toy.toml", "efficiency = 0.93", "efficency = 0.93")
    e = _error(toy_dir / "toy.toml")
    assert e.field is not None and "efficency" in e.field


def test_undefined_fuel(toy_dir: Path) -> None:
    _edit(toy_dir / "toy.toml", 'fuel = "natural_gas"\ncapacity_mw = 100.0',
          'fuel = "coal"\ncapacity_mw = 100.0')
    msg = str(_error(toy_dir / "toy.toml"))
    assert "coal" in msg and "toy.toml" in msg


def test_non_hourly_timestamps(toy_dir: Path) -> None:
    csv = toy_dir / "timeseries.csv"
    df = pd.read_csv(csv)
    df.loc[10, "timestamp"] = "2028-01-01 10:30:00"
    df.to_csv(csv, index=False)
    msg = str(_error(toy_dir / "toy.toml"))
    assert re.search(r"1 h", msg)


def test_negative_demand(toy_dir: Path) -> None:
    csv = toy_dir / "timeseries.csv"
    df = pd.read_csv(csv)
    df.loc[5, "heat_demand_mw"] = -3.0
    df.to_csv(csv, index=False)
    e = _error(toy_dir / "toy.toml")
    assert e.field == "demand.heat_mw" and e.value == -3.0


def test_chp_producing_more_than_its_fuel_is_rejected(toy_dir: Path) -> None:
    # 0.45 x (1 + 1.9) = 1.305 MWh of heat and electricity per MWh of fuel (LHV)
    _edit(toy_dir / "toy.toml", "power_to_heat = 0.9 ", "power_to_heat = 1.9 ")
    msg = str(_error(toy_dir / "toy.toml"))
    assert "toy.toml" in msg and "units[1]" in msg and "1.3" in msg
    assert "exceed the fuel input" in msg
