"""Tests of heatpath.physics.network (hand-computed values)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatpath.physics import (
    calibrate_ua,
    ground_temperature,
    heating_curve,
    mean_network_temperature,
    pipe_heat_loss,
    return_temperature,
    supply_temperature,
)


def test_supply_curve_endpoints_midpoint_and_flat_parts():
    # Bucharest defaults: 110 °C at -15 °C, 80 °C at +5 °C, flat outside.
    t_out = np.array([-25.0, -15.0, -5.0, 5.0, 25.0])
    # midpoint -5 °C: 110 + (80 - 110) * 10 / 20 = 95 °C
    np.testing.assert_allclose(supply_temperature(t_out), [110, 110, 95, 80, 80])


def test_return_curve_endpoints_midpoint():
    # 55 -> 40 °C; midpoint: 55 + (40 - 55) / 2 = 47.5 °C
    np.testing.assert_allclose(return_temperature([-15.0, -5.0, 5.0, 30.0]), [55, 47.5, 40, 40])


def test_curve_types_scalar_array_series():
    assert isinstance(supply_temperature(0.0), float)
    assert supply_temperature(0.0) == pytest.approx(110 - 30 * 15 / 20)
    arr = supply_temperature(np.zeros((3, 2)))
    assert isinstance(arr, np.ndarray) and arr.shape == (3, 2)
    idx = pd.date_range("2025-01-01", periods=4, freq="h")
    s = supply_temperature(pd.Series([-20.0, 0.0, 10.0, np.nan], index=idx))
    assert isinstance(s, pd.Series) and s.index.equals(idx)
    assert np.isnan(s.iloc[-1])


def test_heating_curve_rejects_bad_breakpoints():
    with pytest.raises(ValueError):
        heating_curve(0.0, 5.0, 110.0, -15.0, 80.0)


def test_pipe_heat_loss_hand_value():
    # UA = 0.5 MW/K, (100 + 50) / 2 - 10 = 65 K -> 32.5 MW
    assert pipe_heat_loss(100.0, 50.0, 10.0, 0.5) == pytest.approx(32.5)
    assert mean_network_temperature(100.0, 50.0) == pytest.approx(75.0)


def test_calibrate_ua_hand_value_and_roundtrip():
    ts, tr, tg = np.full(10, 100.0), np.full(10, 50.0), np.full(10, 10.0)
    ua = calibrate_ua(ts, tr, tg, loss_fraction=0.15, heat_delivered_mwh=1000.0)
    # L = 1000 * 0.15 / 0.85 = 176.47 MWh; sum dT*dt = 10 h * 65 K -> UA = 0.27149 MW/K
    assert ua == pytest.approx(1000 * 0.15 / 0.85 / 650)
    losses = pipe_heat_loss(ts, tr, tg, ua).sum()
    assert losses / (1000.0 + losses) == pytest.approx(0.15)
    ua_d = calibrate_ua(ts, tr, tg, 0.15, 1000.0, basis="delivered")
    assert ua_d == pytest.approx(150 / 650)
    with pytest.raises(ValueError):
        calibrate_ua(ts, tr, tg, 1.0, 1000.0)


def test_ground_temperature_kusuda():
    # depth 1 m, a = 0.05 m2/day: damping exp(-sqrt(pi / 18.25)) = 0.6604, lag 24.1 days
    doy = np.arange(1.0, 366.0, 0.25)
    g = ground_temperature(doy, t_mean_c=12.5, amplitude_k=12.0)
    amp = 12.0 * np.exp(-np.sqrt(np.pi / (365 * 0.05)))
    assert g.max() == pytest.approx(12.5 + amp, abs=1e-3)
    assert g.min() == pytest.approx(12.5 - amp, abs=1e-3)
    lag = 0.5 * np.sqrt(365 / (np.pi * 0.05))
    assert doy[np.argmin(g)] == pytest.approx(20 + lag, abs=0.25)
    idx = pd.date_range("2025-01-01", periods=48, freq="h")
    assert ground_temperature(idx).index.equals(idx)
