"""Fixtures for the Article 26 EED tests: fuels, units and a tiny system."""

from __future__ import annotations

import pandas as pd
import pytest

from heatpath.model.schema import (
    CHPBackPressure,
    Demand,
    ElectricBoiler,
    Fuel,
    FuelBoiler,
    HeatPump,
    Prices,
    SolarThermal,
    System,
    SystemInfo,
    WasteHeat,
)

#: Natural gas 55.42 kg/GJ (EU ETS value used in the Bucharest paper) -> t/MWh.
GAS_EF = 55.42 * 3.6 / 1000
#: RDF 91.7 kg/GJ (Bucharest paper, sect. 2) -> t/MWh; 30 % biogenic.
RDF_EF = 91.7 * 3.6 / 1000


@pytest.fixture
def fuels() -> dict[str, Fuel]:
    return {
        "natural_gas": Fuel(emission_factor_t_per_mwh=GAS_EF),
        "rdf": Fuel(emission_factor_t_per_mwh=RDF_EF, biogenic_fraction=0.3),
        "wood": Fuel(emission_factor_t_per_mwh=0.403, biogenic_fraction=1.0),
        "gas_biomethane_20": Fuel(emission_factor_t_per_mwh=GAS_EF, biogenic_fraction=0.2),
        "wood_undeclared": Fuel(emission_factor_t_per_mwh=0.403),
    }


@pytest.fixture
def snapshots() -> pd.DatetimeIndex:
    return pd.date_range("2028-01-01", periods=48, freq="h", name="timestamp")


@pytest.fixture
def system(fuels, snapshots) -> System:
    """Gas boiler, gas HECHP, WtE CHP, air HP (COP Series), solar, data-centre HP, e-boiler."""
    cop = pd.Series([3.0, 3.4] * 24, index=snapshots)
    units = [
        FuelBoiler(name="gas_boiler", kind="gas_boiler", fuel="natural_gas", capacity_mw=100,
                   efficiency=0.93),
        CHPBackPressure(name="gas_chp", kind="chp_backpressure", fuel="natural_gas",
                        capacity_mw=30, efficiency=0.45, power_to_heat=0.9),
        CHPBackPressure(name="wte", kind="chp_backpressure", fuel="rdf", capacity_mw=67.3,
                        efficiency=67.3 / 135, power_to_heat=47.1 / 67.3),
        HeatPump(name="air_hp", kind="heat_pump", source="air", capacity_mw=20, cop=cop),
        SolarThermal(name="solar", kind="solar_thermal", capacity_mw=5,
                     availability=pd.Series(0.3, index=snapshots)),
        HeatPump(name="dc_hp", kind="heat_pump", source="data_centre", capacity_mw=3, cop=4.0),
        ElectricBoiler(name="e_boiler", kind="electric_boiler", capacity_mw=10,
                       renewable_electricity_share=0.25),
        WasteHeat(name="industry", kind="waste_heat", capacity_mw=2),
    ]
    return System(
        system=SystemInfo(name="eed-test", year=2028),
        demand=Demand(heat_mw=pd.Series(50.0, index=snapshots)),
        prices=Prices(fuels_eur_per_mwh={k: 30.0 for k in fuels}),
        fuels=fuels,
        units=units,
    )
