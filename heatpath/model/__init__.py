"""Typed system description, loaded from TOML + CSV (``load_scenario``) or built in Python."""

from heatpath.model.errors import InfeasibleError, ScenarioError
from heatpath.model.io import finalize, load_scenario, read_timeseries_csv
from heatpath.model.schema import (
    EED_GROUPS,
    UNIT_KINDS,
    CHPBackPressure,
    Demand,
    DispatchOptions,
    EEDOptions,
    ElectricBoiler,
    Fuel,
    FuelBoiler,
    HeatPump,
    Prices,
    SeriesRef,
    ShareRequirement,
    SolarThermal,
    Storage,
    System,
    SystemInfo,
    WasteHeat,
)

__all__ = [
    "EED_GROUPS", "UNIT_KINDS", "CHPBackPressure", "Demand", "DispatchOptions", "EEDOptions",
    "ElectricBoiler", "Fuel", "FuelBoiler", "HeatPump", "InfeasibleError", "Prices",
    "ScenarioError", "SeriesRef", "ShareRequirement", "SolarThermal", "Storage", "System",
    "SystemInfo", "WasteHeat", "finalize", "load_scenario", "read_timeseries_csv",
]
