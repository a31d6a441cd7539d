"""Tests of heatpath.physics.demand (calibration targets, smoothing, shapes)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatpath.physics import (
    DemandFit,
    calibrate_demand,
    dhw_profile,
    fit_demand,
    heat_demand,
    heating_degrees,
    load_factor,
    reference_temperature,
)

HOURS = pd.date_range("2025-01-01", periods=8760, freq="h")
ANNUAL = 3_576_594.0  # MWh, paper (after network restoration)
PEAK = 1829.0  # MW, paper


@pytest.fixture(scope="module")
def t_out() -> pd.Series:
    """Bucharest-like synthetic weather year (annual + daily cycle + noise), °C."""
    rng = np.random.default_rng(42)
    doy, hr = HOURS.dayofyear.to_numpy(), HOURS.hour.to_numpy()
    t = (
        11.5
        - 12.5 * np.cos(2 * np.pi * (doy - 20) / 365)
        + 5 * np.sin(2 * np.pi * (hr - 9) / 24)
        + rng.normal(0, 3, HOURS.size)
    )
    return pd.Series(t, index=HOURS, name="t_out")


def test_heating_degrees_threshold():
    # default threshold 15.41 °C (Romania, when2heat): 15.41 - 5 = 10.41 K
    np.testing.assert_allclose(heating_degrees([5.0, 15.41, 20.0]), [10.41, 0.0, 0.0])


def test_reference_temperature_daily_and_geometric():
    t = np.repeat([0.0, 8.0, 8.0, 8.0, 8.0], 24) + np.tile(np.arange(24) - 11.5, 5)
    daily = reference_temperature(t, "daily")
    np.testing.assert_allclose(daily[:24], 0.0)
    np.testing.assert_allclose(daily[24:48], 8.0)
    geo = reference_temperature(t, "geometric")
    # day 1: (8 + 0.5*0 + 0.25*0 + 0.125*0) / 1.875 = 4.2667
    np.testing.assert_allclose(geo[24:48], 8.0 / 1.875)
    # day 3: (8 + 0.5*8 + 0.25*8 + 0.125*0) / 1.875 = 7.4667; day 4: all 8 -> 8
    np.testing.assert_allclose(geo[72:96], 14.0 / 1.875)
    np.testing.assert_allclose(geo[96:], 8.0)
    s = reference_temperature(pd.Series(t, index=HOURS[:120]), "daily")
    assert isinstance(s, pd.Series) and s.index.equals(HOURS[:120])


def test_dhw_profile_shape():
    shape = np.r_[np.ones(6), np.full(3, 3.0), np.ones(15)]
    s = dhw_profile(pd.Series(0.0, index=HOURS[:48]), shape)
    assert s.mean() == pytest.approx(1.0)
    assert s.iloc[7] == pytest.approx(3.0 / shape.mean())
    np.testing.assert_allclose(dhw_profile(np.zeros(5)), np.ones(5))
    with pytest.raises(ValueError):
        dhw_profile(np.zeros(5), [1.0, 2.0])


def test_calibrate_without_peak_uses_dhw_share(t_out):
    q = calibrate_demand(t_out, ANNUAL, dhw_share=0.25)
    assert isinstance(q, pd.Series) and q.index.equals(HOURS)
    assert q.sum() == pytest.approx(ANNUAL, rel=1e-9)
    fit = q.attrs["demand_fit"]
    assert isinstance(fit, DemandFit)
    assert fit.base_mw == pytest.approx(0.25 * ANNUAL / 8760)
    assert q.min() == pytest.approx(fit.base_mw)  # summer hours: base load only


@pytest.mark.parametrize("method", ["share", "exponent"])
def test_calibrate_hits_annual_and_peak(t_out, method):
    q = calibrate_demand(t_out, ANNUAL, PEAK, method=method)
    assert q.sum() == pytest.approx(ANNUAL, rel=1e-9)
    assert q.max() == pytest.approx(PEAK, rel=1e-9)
    # paper: load factor 0.22 = (3,576,594 / 8760) / 1829
    assert load_factor(q) == pytest.approx(ANNUAL / 8760 / PEAK)
    assert (q >= 0).all()


def test_calibrate_with_dhw_shape_and_smoothing(t_out):
    shape = np.r_[np.full(6, 0.5), np.full(4, 2.0), np.ones(8), np.full(4, 1.5), np.ones(2)]
    q = calibrate_demand(t_out, 1000.0, 0.3, dhw_daily_shape=shape, smoothing="daily")
    assert q.sum() == pytest.approx(1000.0, rel=1e-9)
    assert q.max() == pytest.approx(0.3, rel=1e-9)


def test_calibrate_array_in_array_out(t_out):
    q = calibrate_demand(t_out.to_numpy(), ANNUAL, PEAK)
    assert isinstance(q, np.ndarray) and q.shape == (8760,)
    assert q.sum() == pytest.approx(ANNUAL, rel=1e-9)


def test_fit_reused_on_same_weather(t_out):
    fit = fit_demand(t_out, ANNUAL, PEAK)
    q = heat_demand(t_out, fit)
    assert q.sum() == pytest.approx(ANNUAL, rel=1e-9)
    assert fit.exponent == 1.0 and 0.0 <= fit.dhw_share <= 1.0


def test_incompatible_targets_raise(t_out):
    mean = ANNUAL / 8760
    with pytest.raises(ValueError, match="too low"):
        calibrate_demand(t_out, ANNUAL, 0.9 * mean)
    with pytest.raises(ValueError, match="too high"):
        calibrate_demand(t_out, ANNUAL, 10 * mean)
    with pytest.raises(ValueError, match="feasible peaks"):
        calibrate_demand(t_out, ANNUAL, 0.9 * mean, method="exponent")
    with pytest.raises(ValueError):
        calibrate_demand(t_out, -1.0)


def test_load_factor_hand_value():
    assert load_factor([1.0, 2.0, 3.0, 4.0]) == pytest.approx(2.5 / 4)
    assert load_factor(pd.Series([2.0, np.nan, 2.0])) == pytest.approx(1.0)
