"""Synthetic systems for the operator-mode tests and benchmark.

``bucharest_like(year)`` is a Bucharest-scale system in the spirit of the paper's Scenario 1 for
2035 (gas CHPs and boilers, waste-to-energy, lake, sewage and air heat pumps, solar thermal,
geothermal, biogas CHP and a seasonal pit storage) on the measured-data series of
``examples/bucharest/timeseries_2035.csv``. Capacities follow the paper's text where it gives
them; everything else is an assumption for benchmarking, not a scenario of record (the real
scenarios live in ``examples/bucharest/*.toml``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from heatpath.model.io import read_timeseries_csv
from heatpath.model.schema import System

ROOT = Path(__file__).resolve().parents[2]
BUCHAREST_CSV = ROOT / "examples" / "bucharest" / "timeseries_2035.csv"


def bucharest_like(year: int = 2035, *, article: str = "26(1)",
                   ptes_mwh: float = 41_800.0) -> System:
    """A Bucharest-scale 2035 system built in Python (see module docstring)."""
    ts = read_timeseries_csv(BUCHAREST_CSV)

    def col(name: str) -> pd.Series:
        return ts[name].astype(float)

    return System(
        system={"name": "bucharest_like_2035", "year": year},
        weather={"outdoor_temperature_c": col("outdoor_temperature_c"),
                 "ghi_wm2": col("ghi_wm2"), "dni_wm2": col("dni_wm2"),
                 "dhi_wm2": col("dhi_wm2"), "latitude": 44.43, "longitude": 26.10},
        network={"supply_temperature_c": col("supply_temperature_c"),
                 "return_temperature_c": col("return_temperature_c")},
        demand={"heat_mw": col("heat_demand_mw"), "network_loss_fraction": 0.18},
        fuels={"natural_gas": {"emission_factor_t_per_mwh": 0.199512},
               "rdf": {"emission_factor_t_per_mwh": 0.33, "biogenic_fraction": 0.3},
               "biogas": {"emission_factor_t_per_mwh": 0.2, "biogenic_fraction": 1.0}},
        prices={"electricity_eur_per_mwh": col("electricity_price_eur_per_mwh"),
                "electricity_fee_eur_per_mwh": 50.0,
                "co2_eur_per_t": col("co2_price_eur_per_t"),
                "fuels_eur_per_mwh": {"natural_gas": col("gas_price_eur_per_mwh"),
                                      "rdf": -25.0, "biogas": 60.0}},
        units=[
            {"name": "ccgt", "kind": "ccgt", "fuel": "natural_gas", "capacity_mw": 342.0,
             "el_capacity_mw": 420.0, "el_efficiency": 0.55, "power_to_heat": 1.0,
             "power_loss": 0.15, "aux_el_fraction": 0.02, "vom_eur_per_mwh": 2.0,
             "hechp": True},
            {"name": "chp_steam", "kind": "chp_backpressure", "fuel": "natural_gas",
             "capacity_mw": 358.0, "efficiency": 0.58, "power_to_heat": 0.45,
             "aux_el_fraction": 0.07, "vom_eur_per_mwh": 1.8, "hechp": True},
            {"name": "boilers", "kind": "gas_boiler", "fuel": "natural_gas",
             "capacity_mw": 1130.0, "efficiency": 0.90, "vom_eur_per_mwh": 1.0},
            {"name": "wte", "kind": "waste_to_energy", "fuel": "rdf", "capacity_mw": 67.3,
             "efficiency": 0.5, "power_to_heat": 0.7, "vom_eur_per_mwh": 5.0,
             "annual_fuel_max_mwh": 1_080_000.0},
            {"name": "lake_hp", "kind": "heat_pump", "source": "lake", "capacity_mw": 50.0,
             "source_temperature_c": col("lake_water_temperature_c"),
             "vom_eur_per_mwh": 2.0},
            {"name": "sewage_hp", "kind": "heat_pump", "source": "sewage", "capacity_mw": 90.0,
             "source_temperature_c": col("sewage_water_temperature_c"),
             "vom_eur_per_mwh": 2.0},
            {"name": "air_hp", "kind": "heat_pump", "source": "air", "capacity_mw": 29.0,
             "cutoff_temperature_c": -10.0, "vom_eur_per_mwh": 2.0},
            {"name": "solar", "kind": "solar_thermal", "area_m2": 16_000.0},
            {"name": "geothermal", "kind": "geothermal", "capacity_mw": 2.0},
            {"name": "biogas_chp", "kind": "biogas_chp", "fuel": "biogas", "capacity_mw": 10.0,
             "efficiency": 0.45, "power_to_heat": 0.9, "vom_eur_per_mwh": 4.0},
        ],
        storages=[{"name": "ptes", "kind": "pit", "capacity_mwh": ptes_mwh,
                   "charge_mw": 300.0, "discharge_mw": 300.0,
                   "standing_loss_per_h": 0.00005}],
        eed={"article": article},
    )
