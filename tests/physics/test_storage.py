"""Tests of heatpath.physics.storage (hand-computed values)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatpath.physics import (
    pit_geometry,
    standing_loss_fraction_per_hour,
    storage_capacity_mwh,
    storage_heat_loss,
    storage_mean_temperature,
    tank_geometry,
    water_density,
    water_heat_capacity,
)


def test_water_properties():
    assert water_density(20.0) == pytest.approx(998.2, abs=0.05)
    assert water_density(90.0) == pytest.approx(965.3, abs=0.05)
    assert water_density(4.0) == pytest.approx(999.97, abs=0.01)
    assert water_heat_capacity(20.0) == pytest.approx(4184.4)
    assert water_heat_capacity(75.0) == pytest.approx((4190.2 + 4196.9) / 2)


def test_ptes_capacity_round_constants_hand_value():
    # 1000 kg/m3 * 4186 J/kgK * 200,000 m3 * (90 - 60) K / 3.6e9 J/MWh = 6,976.7 MWh
    e = storage_capacity_mwh(200_000, 90.0, 60.0, rho_kg_m3=1000.0, cp_j_kgk=4186.0)
    assert e == pytest.approx(1000 * 4186 * 200_000 * 30 / 3.6e9)
    assert e == pytest.approx(6976.67, abs=0.01)


def test_ptes_capacity_default_properties_hand_value():
    # Mean 75 °C: rho = 974.849 kg/m3 (Kell), cp = 4193.55 J/kgK (table interpolation)
    # 974.849 * 4193.55 * 200,000 * 30 / 3.6e9 = 6,813.5 MWh (paper: 6 units of 200,000 m3)
    e = storage_capacity_mwh(200_000, 90.0, 60.0)
    assert e == pytest.approx(974.849 * 4193.55 * 200_000 * 30 / 3.6e9, rel=1e-5)
    assert 6800 < e < 6830
    six = storage_capacity_mwh(np.full(6, 200_000.0), 90.0, 60.0)
    assert six.shape == (6,) and six.sum() == pytest.approx(6 * e)


def test_capacity_series_in_series_out():
    v = pd.Series([1000.0, 2000.0], index=["tank_a", "tank_b"])
    e = storage_capacity_mwh(v, 95.0, 55.0)
    assert isinstance(e, pd.Series) and list(e.index) == ["tank_a", "tank_b"]
    assert e["tank_b"] == pytest.approx(2 * e["tank_a"])


def test_pit_geometry_dronninglund():
    # 90 x 90 m top, 26 x 26 m bottom, 16 m deep (slope 1:2):
    # V = 16/3 * (8100 + 676 + 90*26) = 59,285.33 m3
    v = 16 / 3 * (90**2 + 26**2 + 90 * 26)
    g = pit_geometry(v, depth_m=16.0, slope=2.0)
    assert g.top_width_m == pytest.approx(90.0)
    assert g.bottom_width_m == pytest.approx(26.0)
    assert g.top_area_m2 == pytest.approx(8100.0)
    # walls: 4 * (90 + 26) / 2 * 16 * sqrt(1 + 2^2) = 8,300.3 m2
    assert g.side_area_m2 == pytest.approx(4 * 58 * 16 * np.sqrt(5))
    assert g.air_area_m2 == pytest.approx(8100.0)
    assert g.ground_area_m2 == pytest.approx(g.side_area_m2 + 676.0)


def test_pit_geometry_too_small_raises():
    with pytest.raises(ValueError):
        pit_geometry(1000.0, depth_m=16.0, slope=2.0)


def test_tank_geometry():
    g = tank_geometry(np.pi * 25 * 10, height_m=10.0)  # D = 10 m, H = 10 m
    assert g.top_width_m == pytest.approx(10.0)
    assert g.top_area_m2 == pytest.approx(np.pi * 25)
    assert g.side_area_m2 == pytest.approx(np.pi * 10 * 10)
    assert g.air_area_m2 == pytest.approx(np.pi * 25 + np.pi * 100)
    assert g.ground_area_m2 == pytest.approx(np.pi * 25)
    h = tank_geometry(np.pi * 25 * 10, aspect_ratio=1.0)
    assert h.height_m == pytest.approx(h.top_width_m)


def test_storage_heat_loss_and_lp_coefficient():
    # lid 0.25 * 20,000 * (75 - 10) = 325 kW; walls 0.3 * 20,000 * (75 - 15) = 360 kW
    q = storage_heat_loss(75.0, 10.0, 15.0, 20_000.0, 20_000.0)
    assert q == pytest.approx(0.685)
    assert standing_loss_fraction_per_hour(q, 6850.0) == pytest.approx(1e-4)
    assert standing_loss_fraction_per_hour(q, 6850.0, timestep_h=2.0) == pytest.approx(2e-4)
    with pytest.raises(ValueError):
        standing_loss_fraction_per_hour(q, 0.0)
    idx = pd.date_range("2025-01-01", periods=3, freq="h")
    qs = storage_heat_loss(75.0, pd.Series([0.0, 10.0, 20.0], index=idx), 15.0, 100.0, 100.0)
    assert isinstance(qs, pd.Series) and qs.index.equals(idx)
    assert storage_mean_temperature(0.5, 90.0, 60.0) == pytest.approx(75.0)
