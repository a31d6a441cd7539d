"""Generate the toy example's hourly time series (``timeseries.csv``).

The toy system is a teaching and test case, not a real place: its series are SYNTHETIC,
made from smooth seasonal and daily cycles plus seeded noise, so that the example is small,
deterministic and reproducible. The Bucharest example uses measured data instead.

Run ``python examples/toy/make_data.py`` to rebuild the CSV (it is committed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

YEAR = 2028  # a leap year: 8784 hourly rows
SEED = 20281


def make(year: int = YEAR, seed: int = SEED) -> pd.DataFrame:
    """Return the synthetic hourly series of the toy system."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h", name="timestamp")
    doy = idx.dayofyear.to_numpy() + idx.hour.to_numpy() / 24.0
    hour = idx.hour.to_numpy()
    # outdoor temperature, deg C: annual mean 11, amplitude 12 (coldest mid-January),
    # daily swing +-4 (warmest 15:00), AR(1) weather noise with 3 K standard deviation
    noise = np.zeros(len(idx))
    eps = rng.normal(0.0, 3.0 * np.sqrt(1 - 0.995**2), len(idx))
    for i in range(1, len(idx)):
        noise[i] = 0.995 * noise[i - 1] + eps[i]
    t_out = (11.0 - 12.0 * np.cos(2 * np.pi * (doy - 15) / 366.0)
             + 4.0 * np.cos(2 * np.pi * (hour - 15) / 24.0) + noise)
    # heat demand delivered, MW: degree-hour space heating below 15 deg C + hot water base
    space = np.maximum(0.0, 15.0 - t_out) * 3.2
    dhw = 12.0 * (1.0 + 0.25 * np.cos(2 * np.pi * (hour - 19) / 24.0))
    demand = space + dhw
    # day-ahead electricity price, EUR/MWh: mean ~90, morning and evening peaks,
    # higher in winter, log-normal noise
    shape = 1.0 + 0.25 * np.cos(2 * np.pi * (hour - 19) / 24.0) + 0.15 * np.cos(
        2 * np.pi * (hour - 8) / 12.0)
    season = 1.0 + 0.2 * np.cos(2 * np.pi * (doy - 15) / 366.0)
    price = 85.0 * shape * season * rng.lognormal(0.0, 0.25, len(idx))
    # air-source heat pump COP: 0.55 x Carnot between the outdoor air and 75 deg C supply
    cop = 0.55 * (75.0 + 273.15) / (75.0 - t_out)
    return pd.DataFrame(
        {
            "outdoor_temperature_c": t_out.round(3),
            "heat_demand_mw": demand.round(4),
            "electricity_price_eur_per_mwh": price.round(3),
            "hp_cop": cop.round(4),
        },
        index=idx,
    )


if __name__ == "__main__":
    out = Path(__file__).with_name("timeseries.csv")
    make().to_csv(out)
    print(f"wrote {out}")
