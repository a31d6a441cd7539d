"""Tests of heatpath.physics.heatpump (hand-computed values and properties)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heatpath.physics import (
    SOURCE_KINDS,
    availability,
    capacity_derating,
    capacity_factor,
    cop_carnot,
    cop_from_table,
    cop_hourly,
    cop_lorenz,
    lagged_temperature,
    lake_temperature,
    log_mean_temperature,
    river_temperature,
    sewage_temperature,
    source_temperature,
    spf,
)

HOURS = pd.date_range("2025-01-01", periods=8760, freq="h")


def test_cop_carnot_hand_value():
    # 353.15 K / (80 - 10) K = 5.045
    assert cop_carnot(80.0, 10.0) == pytest.approx(353.15 / 70.0, rel=1e-12)
    assert cop_carnot(80.0, 10.0) == pytest.approx(5.045, abs=1e-9)


def test_cop_carnot_min_lift_keeps_finite():
    # source warmer than sink: sink raised to source + min_lift -> (T_src + 15) / 15
    assert cop_carnot(20.0, 30.0, min_lift_k=15.0) == pytest.approx((303.15 + 15) / 15)
    with pytest.raises(ValueError):
        cop_carnot(80.0, 10.0, min_lift_k=0.0)


def test_log_mean_temperature():
    # (353.15 - 323.15) / ln(353.15 / 323.15) = 337.928 K; equal temps -> the temperature
    assert log_mean_temperature(50.0, 80.0) == pytest.approx(337.92809, abs=1e-4)
    assert log_mean_temperature(20.0, 20.0) == pytest.approx(293.15)


def test_cop_lorenz_hand_value():
    # Sink 50 -> 80 °C: T_H = 30 / ln(353.15 / 323.15) = 337.9281 K
    # Source 10 -> 5 °C: T_L = -5 / ln(278.15 / 283.15) = 280.6426 K
    # COP_L = 337.9281 / (337.9281 - 280.6426) = 5.8990
    assert cop_lorenz(50.0, 80.0, 10.0, 5.0) == pytest.approx(5.899015, abs=1e-5)
    # gliding temperatures beat Carnot between the extreme temperatures (80 °C / 5 °C)
    assert cop_lorenz(50.0, 80.0, 10.0, 5.0) > cop_carnot(80.0, 5.0)


def test_cop_hourly_carnot_lorenz_and_bounds():
    # 0.5 * 5.045 = 2.5225
    assert cop_hourly(10.0, 80.0) == pytest.approx(2.5225)
    assert cop_hourly(10.0, 80.0, 50.0, method="lorenz", source_cooling_k=5.0) == pytest.approx(
        0.5 * 5.899015, abs=1e-5
    )
    # warm source: lift floor 15 K -> 0.5 * (353.15 + 15) / 15 = 12.27; capped at cop_max
    assert cop_hourly(100.0, 80.0) == pytest.approx(0.5 * (373.15 + 15) / 15)
    assert cop_hourly(100.0, 80.0, cop_max=8.0) == 8.0
    assert cop_hourly(-100.0, 110.0) == 1.0  # cop_min
    with pytest.raises(ValueError):
        cop_hourly(10.0, 80.0, method="lorenz")


def test_cop_hourly_series_shape_and_no_nan():
    t_src = pd.Series(np.linspace(-25, 30, 8760), index=HOURS)
    t_sup = pd.Series(np.linspace(110, 80, 8760), index=HOURS)
    cop = cop_hourly(t_src, t_sup)
    assert isinstance(cop, pd.Series) and cop.index.equals(HOURS)
    assert np.isfinite(cop).all() and (cop >= 1).all()
    arr = cop_hourly(np.zeros((2, 3)), 80.0)
    assert isinstance(arr, np.ndarray) and arr.shape == (2, 3)


def test_series_with_different_indexes_rejected():
    a = pd.Series([1.0, 2.0], index=[0, 1])
    b = pd.Series([1.0, 2.0], index=[1, 2])
    with pytest.raises(ValueError):
        cop_carnot(a, b)


def test_cop_from_table_bilinear():
    table = pd.DataFrame({"70": [2.0, 3.0], "50": [3.0, 4.0]}, index=[0, 10])  # unsorted cols
    assert cop_from_table(5.0, 60.0, table) == pytest.approx(3.0)  # centre of the cell
    assert cop_from_table(5.0, 50.0, table) == pytest.approx(3.5)
    assert cop_from_table(2.5, 65.0, table) == pytest.approx(
        3.0 * 0.75 * 0.25 + 2.0 * 0.75 * 0.75 + 4.0 * 0.25 * 0.25 + 3.0 * 0.25 * 0.75
    )
    assert cop_from_table(20.0, 50.0, table) == pytest.approx(4.0)  # clamped
    assert cop_from_table(20.0, 50.0, table, extrapolate=True) == pytest.approx(5.0)
    s = cop_from_table(pd.Series([0.0, 10.0], index=["a", "b"]), 70.0, table)
    assert list(s.index) == ["a", "b"] and s.tolist() == [2.0, 3.0]
    with pytest.raises(ValueError):
        cop_from_table(0.0, 50.0, table.iloc[:1])


def test_availability_derating_capacity_factor():
    t = np.array([-25.0, -20.0, -8.0, 7.0, 20.0, np.nan])
    np.testing.assert_array_equal(availability(t, -20.0), [0, 1, 1, 1, 1, 0])
    np.testing.assert_array_equal(availability(t, -20.0, t_max_c=10.0), [0, 1, 1, 1, 0, 0])
    # 1 + 0.02 * (-8 - 7) = 0.7; capped at 1 above 7 °C
    np.testing.assert_allclose(capacity_derating(t[:5]), [0.36, 0.46, 0.7, 1.0, 1.0])
    np.testing.assert_allclose(capacity_factor(t[:5], cutoff_c=-20.0), [0.0, 0.46, 0.7, 1, 1])


def test_spf():
    assert spf([10.0, 20.0], [5.0, 5.0]) == pytest.approx(3.0)
    assert spf(pd.Series([3.0, 3.0]), pd.Series([1.0, 1.0])) == pytest.approx(3.0)
    with pytest.raises(ValueError):
        spf([1.0], [0.0])


def test_lagged_temperature_step_response_and_floor():
    dt_h, tau = 1.0, 30.0
    step = np.full(24 * 30, 10.0)
    y = lagged_temperature(step, tau, initial_c=0.0, timestep_h=dt_h)
    # after one time constant: 10 * (1 - e^-1) = 6.321
    assert y[-1] == pytest.approx(10 * (1 - math.exp(-1)), rel=1e-9)
    assert lake_temperature(np.full(100, 15.0)) == pytest.approx(np.full(100, 15.0))
    assert lake_temperature(np.full(100, -5.0)) == pytest.approx(np.full(100, 4.0))
    assert river_temperature(np.full(100, -5.0)) == pytest.approx(np.full(100, 0.0))
    with pytest.raises(ValueError):
        lake_temperature(np.array([1.0, np.nan]))


def test_lake_is_smoother_and_lagging():
    doy = HOURS.dayofyear.to_numpy()
    t_air = pd.Series(11.5 - 12.5 * np.cos(2 * np.pi * (doy - 20) / 365), index=HOURS)
    lake = lake_temperature(t_air)
    assert isinstance(lake, pd.Series) and lake.index.equals(HOURS)
    assert lake.min() >= 4.0
    assert lake.max() < t_air.max()
    assert lake.idxmax() > t_air.idxmax()  # lags the air temperature
    # periodic spin-up: start and end states close
    assert abs(lake.iloc[0] - lake.iloc[-1]) < 0.5


def test_sewage_range_and_peak():
    s = sewage_temperature(HOURS)
    assert s.min() == pytest.approx(10.0, abs=0.01) and s.max() == pytest.approx(20.0, abs=0.01)
    assert s.idxmax().dayofyear in (226, 227, 228)


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_source_temperature_dispatch(kind):
    t_air = pd.Series(np.linspace(-10, 30, 8760), index=HOURS)
    out = source_temperature(kind, t_air)
    assert isinstance(out, pd.Series) and out.index.equals(HOURS)
    assert np.isfinite(out).all()


def test_source_temperature_errors():
    with pytest.raises(ValueError):
        source_temperature("sewage", np.zeros(3))
    with pytest.raises(ValueError):
        source_temperature("moon", np.zeros(3))


temps = st.floats(min_value=-30.0, max_value=150.0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(source=temps, sink1=temps, sink2=temps)
def test_cop_non_increasing_in_sink_temperature(source, sink1, sink2):
    lo, hi = sorted((sink1, sink2))
    assert cop_carnot(hi, source) <= cop_carnot(lo, source) * (1 + 1e-12)
    assert cop_hourly(source, hi) <= cop_hourly(source, lo) * (1 + 1e-12)
    if hi - source > 1.0:  # strictly decreasing once the lift exceeds its floor
        assert cop_carnot(hi + 1.0, source) < cop_carnot(hi, source)


@settings(max_examples=100, deadline=None)
@given(source=st.floats(-30.0, 40.0), ret=st.floats(30.0, 60.0), extra=st.floats(1.0, 60.0))
def test_lorenz_at_least_carnot_of_outlet(source, ret, extra):
    sup = ret + extra
    # Lorenz (gliding) >= Carnot between the sink outlet and the source outlet
    assert cop_lorenz(ret, sup, source, source - 5.0) >= cop_carnot(sup, source - 5.0) - 1e-9
