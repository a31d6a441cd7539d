"""Physical models of district heating components: pure, vectorised functions (pvlib style).

Every function accepts scalars, numpy arrays and pandas Series (Series in -> Series out with
the same index) and documents its units and literature source. No I/O, no state.

Modules
-------
network
    Regulation (heating) curves, ground temperature, pipe heat loss, loss calibration.
heatpump
    Carnot/Lorenz/real COP, manufacturer tables, capacity derating, availability, SPF and
    heat-source temperature models (air, lake, river, sewage, geothermal, metro, data centre).
solar
    Sun position (NOAA), irradiance transposition/decomposition, EN ISO 9806 collector.
storage
    Water properties, storage capacity, PTES/tank geometry, heat loss, LP loss coefficient.
demand
    Heating-degree demand model calibrated to annual total and peak; load factor.

See ``docs/physics.md`` for formulas, default parameters and their sources.
"""

from heatpath.physics.demand import (
    T_THRESHOLD_RO_C,
    DemandFit,
    calibrate_demand,
    dhw_profile,
    fit_demand,
    heat_demand,
    heating_degrees,
    load_factor,
    reference_temperature,
)
from heatpath.physics.heatpump import (
    SOURCE_KINDS,
    air_source_temperature,
    availability,
    capacity_derating,
    capacity_factor,
    cop_carnot,
    cop_from_table,
    cop_hourly,
    cop_lorenz,
    data_centre_temperature,
    lagged_temperature,
    lake_temperature,
    log_mean_temperature,
    metro_air_temperature,
    river_temperature,
    seasonal_temperature,
    sewage_temperature,
    shallow_geothermal_temperature,
    source_temperature,
    spf,
)
from heatpath.physics.network import (
    calibrate_ua,
    ground_temperature,
    heating_curve,
    mean_network_temperature,
    pipe_heat_loss,
    return_temperature,
    supply_temperature,
)
from heatpath.physics.solar import (
    angle_of_incidence,
    collector_efficiency,
    collector_heat_output,
    collector_peak_power_mw,
    erbs_decomposition,
    extraterrestrial_irradiance,
    poa_isotropic,
    solar_position,
)
from heatpath.physics.storage import (
    StorageGeometry,
    pit_geometry,
    standing_loss_fraction_per_hour,
    storage_capacity_mwh,
    storage_heat_loss,
    storage_mean_temperature,
    tank_geometry,
    water_density,
    water_heat_capacity,
)

__all__ = [
    # network
    "heating_curve",
    "supply_temperature",
    "return_temperature",
    "mean_network_temperature",
    "ground_temperature",
    "pipe_heat_loss",
    "calibrate_ua",
    # heat pump
    "cop_carnot",
    "log_mean_temperature",
    "cop_lorenz",
    "cop_hourly",
    "cop_from_table",
    "capacity_derating",
    "availability",
    "capacity_factor",
    "spf",
    "SOURCE_KINDS",
    "air_source_temperature",
    "lagged_temperature",
    "lake_temperature",
    "river_temperature",
    "seasonal_temperature",
    "sewage_temperature",
    "metro_air_temperature",
    "shallow_geothermal_temperature",
    "data_centre_temperature",
    "source_temperature",
    # solar
    "solar_position",
    "extraterrestrial_irradiance",
    "angle_of_incidence",
    "poa_isotropic",
    "erbs_decomposition",
    "collector_efficiency",
    "collector_heat_output",
    "collector_peak_power_mw",
    # storage
    "water_density",
    "water_heat_capacity",
    "storage_capacity_mwh",
    "storage_mean_temperature",
    "StorageGeometry",
    "pit_geometry",
    "tank_geometry",
    "storage_heat_loss",
    "standing_loss_fraction_per_hour",
    # demand
    "T_THRESHOLD_RO_C",
    "reference_temperature",
    "heating_degrees",
    "dhw_profile",
    "DemandFit",
    "fit_demand",
    "heat_demand",
    "calibrate_demand",
    "load_factor",
]
