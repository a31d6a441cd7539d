"""The committed Bucharest time series (examples/bucharest/timeseries_*.csv) and the pure
transformations of examples/bucharest/build_data.py (no download needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from heatpath.physics.network import return_temperature, supply_temperature

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "examples" / "bucharest"


def _load_build_data():
    spec = importlib.util.spec_from_file_location("bucharest_build_data", HERE / "build_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


bd = _load_build_data()

COLUMNS = [
    "timestamp", "outdoor_temperature_c", "ghi_wm2", "dni_wm2", "dhi_wm2",
    "heat_into_network_mw", "heat_demand_mw", "supply_temperature_c",
    "return_temperature_c", "lake_water_temperature_c", "sewage_water_temperature_c",
    "electricity_price_eur_per_mwh", "gas_price_eur_per_mwh", "co2_price_eur_per_t",
]


@pytest.fixture(scope="module", params=[(2028, 8784), (2035, 8760)], ids=["2028", "2035"])
def data(request) -> tuple[int, int, pd.DataFrame]:
    year, rows = request.param
    df = pd.read_csv(HERE / f"timeseries_{year}.csv")
    df.index = pd.DatetimeIndex(pd.to_datetime(df["timestamp"]))
    return year, rows, df


def test_shape_timestamps_and_no_nan(data):
    year, rows, df = data
    assert list(df.columns) == COLUMNS
    assert len(df) == rows
    assert not df.isna().any().any()
    assert df["timestamp"].iloc[0] == f"{year}-01-01T00:00:00+02:00"
    assert df["timestamp"].iloc[-1] == f"{year}-12-31T23:00:00+02:00"
    assert (np.diff(df.index) == pd.Timedelta(hours=1)).all()


def test_heat_totals_peak_and_loss_split(data):
    _, _, df = data
    into, delivered = df["heat_into_network_mw"], df["heat_demand_mw"]
    assert into.sum() == pytest.approx(3_576_594.0, rel=1e-6)
    assert into.max() == pytest.approx(1829.0, abs=1e-3)
    assert into.min() > 0.0
    f = bd.NETWORK_LOSS_FRACTION
    np.testing.assert_allclose(delivered, into * (1.0 - f), rtol=1e-6, atol=1e-3)
    # what the dispatch puts into the network with network_loss_fraction = f
    assert (delivered / (1.0 - f)).sum() == pytest.approx(3_576_594.0, rel=1e-6)
    # the peak hour is the coldest hour
    assert df["outdoor_temperature_c"].iloc[int(np.argmax(into.to_numpy()))] == pytest.approx(
        -15.0, abs=1e-3)


def test_prices(data):
    _, _, df = data
    assert df["electricity_price_eur_per_mwh"].mean() == pytest.approx(87.57, abs=1e-3)
    assert df["electricity_price_eur_per_mwh"].std() > 10.0  # measured, not flat
    assert (df["gas_price_eur_per_mwh"] == 37.61).all()
    assert (df["co2_price_eur_per_t"] == 65.24).all()


def test_temperatures_match_normals_and_design_minimum(data):
    _, _, df = data
    t = df["outdoor_temperature_c"]
    monthly = t.groupby(df.index.month).mean().to_numpy()
    np.testing.assert_allclose(monthly, bd.BUCHAREST_NORMALS_C, atol=0.1)
    assert t.min() == pytest.approx(-15.0, abs=1e-3)
    assert t.max() < 40.0


def test_network_and_source_temperatures(data):
    _, _, df = data
    ts, tr = df["supply_temperature_c"], df["return_temperature_c"]
    assert ts.between(80.0, 110.0).all() and tr.between(40.0, 55.0).all()
    assert ts.max() == pytest.approx(110.0) and ts.min() == pytest.approx(80.0)
    t = df["outdoor_temperature_c"].to_numpy()
    np.testing.assert_allclose(ts, supply_temperature(t), atol=2e-3)
    np.testing.assert_allclose(tr, return_temperature(t), atol=2e-3)
    assert df["lake_water_temperature_c"].between(4.0, 30.0).all()
    assert df["sewage_water_temperature_c"].between(10.0, 20.0).all()


def test_irradiance(data):
    _, _, df = data
    ghi, dni, dhi = df["ghi_wm2"], df["dni_wm2"], df["dhi_wm2"]
    assert (ghi >= 0).all() and (dni >= 0).all() and (dhi >= 0).all()
    assert (dhi <= ghi + 0.01).all()
    assert ghi.max() < 1100.0
    assert 1000.0 < ghi.sum() / 1000.0 < 2000.0  # kWh/m2 per year
    night = df.index.hour.isin([0, 1, 2, 3, 22, 23])
    assert ghi[night].max() == 0.0
    # solar noon in Bucharest is about 12:15 EET: the daily GHI centroid is near noon
    hours = df.index.hour.to_numpy()
    centroid = float((ghi.to_numpy() * hours).sum() / ghi.sum())
    assert 11.8 < centroid < 12.5


# ---------------------------------------------------------------------------------------
# Pure transformations of build_data.py
# ---------------------------------------------------------------------------------------


def test_typical_year_hour_maps_leap_day_and_utc():
    idx = bd.year_index(2028)
    x = bd.typical_year_hour(idx)
    assert x[0] == 365 * 24 - 2  # 1 Jan 00:00 UTC+2 = 31 Dec 22:00 UTC
    feb29 = (idx.month == 2) & (idx.day == 29) & (idx.hour == 12)
    feb28 = (idx.month == 2) & (idx.day == 28) & (idx.hour == 12)
    assert x[feb29][0] == x[feb28][0]
    assert x[-1] == 365 * 24 - 3


def test_morph_hits_normals_and_minimum_exactly():
    idx = bd.year_index(2035)
    rng = np.random.default_rng(1)
    doy = idx.dayofyear.to_numpy()
    daily = np.repeat(rng.normal(0.0, 2.0, 365), 24)
    t = 12.0 - 9.0 * np.cos(2 * np.pi * (doy - 15) / 365) + daily + 3 * np.sin(
        2 * np.pi * (idx.hour.to_numpy() - 9) / 24)
    m = bd.morph_temperature(t, idx)
    monthly = pd.Series(m.t_c, index=idx).groupby(idx.month).mean().to_numpy()
    np.testing.assert_allclose(monthly, bd.BUCHAREST_NORMALS_C, atol=1e-9)
    assert m.t_c.min() == pytest.approx(-15.0, abs=1e-6)
    assert m.stretch_winter > 1.0
    # the diurnal cycle is kept (up to the slope of the smooth offset within a day)
    diurnal = m.t_c - pd.Series(m.t_c, index=idx).groupby(idx.normalize()).transform("mean")
    diurnal_src = t - pd.Series(t, index=idx).groupby(idx.normalize()).transform("mean")
    np.testing.assert_allclose(diurnal, diurnal_src, atol=0.1)


def test_prices_for_year_keeps_weekdays():
    src_idx = pd.date_range("2018-01-01", periods=8760, freq="h", tz="Europe/Berlin")
    price = pd.Series(src_idx.dayofweek.to_numpy() * 10.0 + src_idx.hour.to_numpy() * 0.1,
                      index=src_idx.tz_convert("UTC"))
    for year in (2028, 2035):
        idx = bd.year_index(year)
        p = bd.prices_for_year(price, year)
        assert len(p) == len(idx)
        weekday = np.floor(p / 10.0 + 1e-9).astype(int)
        # daytime hours keep their weekday, except on the days after the year wrap (<= 6)
        day = (idx.hour >= 6) & (idx.hour <= 21)
        same = weekday[day] == idx.dayofweek.to_numpy()[day]
        assert same.mean() > 1.0 - 6.0 / 365.0
        assert same[: 300 * 16].all()
        # in winter a CET price hour lands one hour later on the EET clock
        noon = (idx.hour == 13) & (idx.month == 1) & (weekday == idx.dayofweek.to_numpy())
        np.testing.assert_allclose(np.round(p[noon] % 10.0, 6), 1.2)
