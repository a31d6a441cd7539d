"""Typed description of a district heating system (pydantic v2).

A :class:`System` can be built in Python (series as :class:`pandas.Series`) or loaded from a
TOML file plus CSV time series with :func:`heatpath.model.load_scenario`. Every field that may
vary by hour is a :data:`SeriesLike`: a constant number, the name of a column in the scenario's
default time-series CSV, a ``{file, column}`` reference, or (in Python) a ``pandas.Series``.
After loading, every series field holds a ``pandas.Series`` indexed by the hourly snapshots.

Units are in the field names: ``_mw`` (MW, thermal unless stated), ``_mwh`` (MWh),
``_eur_per_mwh`` (EUR/MWh), ``_t_per_mwh`` (t CO2 per MWh of fuel, lower heating value).
The full reference is ``docs/scenario-format.md``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: The five counting groups of Article 26 EED used for the annual shares (Recommendation
#: (EU) 2024/2395, Annex, Table A-2): renewable heat, waste heat, high-efficiency
#: cogeneration, other (not high-efficiency) cogeneration and other fossil heat.
EEDGroup = Literal["renewable", "waste_heat", "hechp", "cogeneration", "fossil"]
EED_GROUPS: tuple[str, ...] = ("renewable", "waste_heat", "hechp", "cogeneration", "fossil")


class SeriesRef(BaseModel):
    """Reference to a column of a CSV file (path relative to the TOML file)."""

    model_config = ConfigDict(extra="forbid")
    file: str
    column: str


#: A value that may vary by hour: number, column name of the default CSV, file reference,
#: or a pandas Series (Python API; every loaded scenario holds Series here).
SeriesLike = float | str | SeriesRef | pd.Series


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=False)


class SystemInfo(_Base):
    """General data of the system.

    Attributes
    ----------
    name : str
        Scenario name, used in outputs.
    year : int
        Calendar year simulated (also the year whose EED criteria apply).
    timeseries : str, optional
        Default CSV file for column references (relative to the TOML file).
    timestamp_column : str
        Name of the timestamp column in every CSV (default ``timestamp``).
    """

    name: str
    year: int = Field(ge=1990, le=2100)
    timeseries: str | None = None
    timestamp_column: str = "timestamp"
    description: str = ""


class Weather(_Base):
    """Hourly weather driving demand, heat-pump and solar performance.

    Attributes
    ----------
    outdoor_temperature_c : SeriesLike, optional
        Ambient air temperature, deg C.
    ghi_wm2, dni_wm2, dhi_wm2 : SeriesLike, optional
        Global horizontal, direct normal and diffuse horizontal irradiance, W/m2.
    latitude, longitude : float, optional
        Site, degrees (north, east), for solar position.
    """

    outdoor_temperature_c: SeriesLike | None = None
    ghi_wm2: SeriesLike | None = None
    dni_wm2: SeriesLike | None = None
    dhi_wm2: SeriesLike | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class Network(_Base):
    """Network temperatures: given hourly, or from the regulation (heating) curve.

    When a temperature series is not given it follows the piecewise-linear heating curve
    between (``t_out_design_c``, max) and (``t_out_switch_c``, min), flat outside
    (defaults: 2nd-generation Bucharest network, 80-110 / 40-55 deg C, paper Figure 5).
    """

    supply_temperature_c: SeriesLike | None = None
    return_temperature_c: SeriesLike | None = None
    t_out_design_c: float = -15.0
    t_out_switch_c: float = 5.0
    supply_max_c: float = 110.0
    supply_min_c: float = 80.0
    return_max_c: float = 55.0
    return_min_c: float = 40.0


class Demand(_Base):
    """Heat demand delivered to customers and network losses.

    Either ``heat_mw`` (hourly series) or ``annual_mwh`` (with optional ``peak_mw`` and
    ``dhw_share``) to derive the profile from the outdoor temperature (heating-degree method
    plus hot-water base load, :func:`heatpath.physics.demand.calibrate_demand`).

    At most one of ``network_loss_fraction`` (losses as a fraction f of heat into the network)
    or ``network_loss_mw`` (hourly MW series). ``network_loss_method`` ``proportional``:
    losses_t = demand_t * f / (1 - f); ``temperature``: losses_t proportional to the mean
    network temperature above ground temperature, scaled so that the annual fraction is f.
    """

    heat_mw: SeriesLike | None = None
    annual_mwh: float | None = Field(default=None, gt=0.0)
    peak_mw: float | None = Field(default=None, gt=0.0)
    dhw_share: float = Field(default=0.2, ge=0.0, lt=1.0)
    heating_threshold_c: float = 15.41
    profile_method: Literal["share", "exponent"] = "share"
    network_loss_fraction: float | None = Field(default=None, ge=0.0, lt=1.0)
    network_loss_mw: SeriesLike | None = None
    network_loss_method: Literal["proportional", "temperature"] = "proportional"

    @model_validator(mode="after")
    def _one_loss_spec(self) -> Demand:
        if self.network_loss_fraction is not None and self.network_loss_mw is not None:
            raise ValueError(
                "give either network_loss_fraction or network_loss_mw, not both"
            )
        if (self.heat_mw is None) == (self.annual_mwh is None):
            raise ValueError("give exactly one of heat_mw (hourly) or annual_mwh (profile)")
        return self


class Fuel(_Base):
    """A fuel and its emission data.

    Attributes
    ----------
    emission_factor_t_per_mwh : float
        Total CO2 emission factor, t CO2 per MWh of fuel (LHV). Natural gas 55.42 kg/GJ
        = 0.1995 t/MWh (EU ETS monitoring values cited by the Bucharest paper).
    biogenic_fraction : float
        Share of the fuel energy that is biogenic (renewable). Only the fossil share
        (1 - biogenic_fraction) pays EU ETS allowances and counts as direct emissions.
    """

    emission_factor_t_per_mwh: float = Field(default=0.0, ge=0.0)
    biogenic_fraction: float = Field(default=0.0, ge=0.0, le=1.0)


class Prices(_Base):
    """Energy and CO2 prices.

    Attributes
    ----------
    electricity_eur_per_mwh : SeriesLike
        Day-ahead market price, EUR/MWh (hourly); paid on net purchases and earned on net sales.
    electricity_fee_eur_per_mwh : float
        Distribution/transmission fee on net purchases, EUR/MWh (50 in the Bucharest paper).
    fuels_eur_per_mwh : dict
        Fuel price per MWh of fuel (LHV) for every fuel used; negative = gate fee.
    co2_eur_per_t : SeriesLike
        EU ETS allowance price, EUR/t CO2.
    """

    electricity_eur_per_mwh: SeriesLike = 0.0
    electricity_fee_eur_per_mwh: float = Field(default=0.0, ge=0.0)
    fuels_eur_per_mwh: dict[str, SeriesLike] = Field(default_factory=dict)
    co2_eur_per_t: SeriesLike = 0.0
    grid_import_limit_mw: float | None = Field(default=None, ge=0.0)
    grid_export_limit_mw: float | None = Field(default=None, ge=0.0)


class UnitBase(_Base):
    """Fields common to every production unit.

    Attributes
    ----------
    name : str
        Unique name.
    capacity_mw : float
        Maximum heat output into the network, MW.
    vom_eur_per_mwh : float
        Variable operation and maintenance cost per MWh of heat.
    availability : SeriesLike
        Hourly factor 0..1 multiplying the capacity (outages, operating windows).
    eed_group : str, optional
        Override of the EED counting group derived by :mod:`heatpath.eed`.
    eed_category : str, optional
        Override of the Table A-1 category (X1..X11, Y1, Y2, Z1, Z2, W).
    """

    name: str = Field(min_length=1)
    capacity_mw: float = Field(ge=0.0)
    vom_eur_per_mwh: float = 0.0
    availability: SeriesLike = 1.0
    eed_group: EEDGroup | None = None
    eed_category: str | None = None
    description: str = ""
    # operation
    operating_months: list[int] | None = None
    operating_hours: list[int] | None = None
    min_load: float = Field(default=0.0, ge=0.0, le=1.0)
    must_run: bool = False
    start_cost_eur: float = Field(default=0.0, ge=0.0)
    min_up_h: int = Field(default=0, ge=0)
    min_down_h: int = Field(default=0, ge=0)
    annual_fuel_max_mwh: float | None = Field(default=None, ge=0.0)
    # sizing and costs
    technology: str | None = None
    extendable: bool = False
    capacity_min_mw: float = Field(default=0.0, ge=0.0)
    capacity_max_mw: float | None = Field(default=None, ge=0.0)
    capex_eur_per_mw: float = Field(default=0.0, ge=0.0)
    fixed_om_eur_per_mw_yr: float = Field(default=0.0, ge=0.0)
    lifetime_years: float = Field(default=25.0, gt=0.0)

    @field_validator("operating_months")
    @classmethod
    def _months(cls, v: list[int] | None) -> list[int] | None:
        if v is not None and any(m < 1 or m > 12 for m in v):
            raise ValueError("months are 1..12")
        return v

    @field_validator("operating_hours")
    @classmethod
    def _hours(cls, v: list[int] | None) -> list[int] | None:
        if v is not None and any(h < 0 or h > 23 for h in v):
            raise ValueError("hours are 0..23")
        return v

    @property
    def committed(self) -> bool:
        """True when the unit needs on/off variables in MILP mode."""
        return (self.min_load > 0 and not self.must_run) or self.start_cost_eur > 0 or \
            self.min_up_h > 1 or self.min_down_h > 1


class FuelBoiler(UnitBase):
    """Fuel-fired heat-only boiler: fuel_t = heat_t / efficiency."""

    kind: Literal["boiler", "gas_boiler", "biomass_boiler", "oil_boiler"]
    fuel: str
    efficiency: float = Field(gt=0.0, le=1.2)


class ElectricBoiler(UnitBase):
    """Electric (resistance or electrode) boiler: electricity_t = heat_t / efficiency.

    ``renewable_electricity_share`` is the share of its electricity from renewable sources
    that may be counted under the EED (default 0).
    """

    kind: Literal["electric_boiler"]
    efficiency: float = Field(default=0.99, gt=0.0, le=1.0)
    renewable_electricity_share: float = Field(default=0.0, ge=0.0, le=1.0)


class CHPBackPressure(UnitBase):
    """Back-pressure CHP with a fixed power-to-heat ratio.

    fuel_t = heat_t / efficiency (thermal efficiency, heat per fuel, LHV);
    gross electricity_t = power_to_heat * heat_t; auxiliary consumption
    aux_t = aux_el_fraction * gross electricity_t (the paper's alpha).

    ``hechp`` overrides the high-efficiency test of :mod:`heatpath.eed` (Annex III).
    """

    kind: Literal["chp_backpressure", "gas_engine", "biogas_chp", "waste_to_energy"]
    fuel: str
    efficiency: float = Field(gt=0.0, le=1.2)
    power_to_heat: float = Field(ge=0.0)
    aux_el_fraction: float = Field(default=0.0, ge=0.0, lt=1.0)
    hechp: bool | None = None

    @model_validator(mode="after")
    def _total_efficiency(self) -> CHPBackPressure:
        # heat + electricity per unit of fuel (LHV); flue-gas condensation can take the heat
        # side somewhat above 1, the same bound as each efficiency (EED Annex III inputs)
        total = self.efficiency * (1.0 + self.power_to_heat)
        if total > 1.2:
            raise ValueError(
                f"efficiency x (1 + power_to_heat) = {self.efficiency:g} x "
                f"(1 + {self.power_to_heat:g}) = {total:.3g}: heat and electricity would exceed "
                "the fuel input (LHV); check the efficiency (heat per fuel) and the "
                "power-to-heat ratio")
        return self


class CHPExtraction(UnitBase):
    """Extraction-condensing CHP or CCGT with a feasible operating region.

    Variables heat h and gross electricity p (MW) per hour, with (Danish Energy Agency
    notation, cv/cb model): p >= power_to_heat * h (back-pressure line, cb);
    p + power_loss * h <= el_capacity_mw * availability (condensing line, cv);
    fuel = (p + power_loss * h) / el_efficiency. Net electricity = (1 - aux_el_fraction) p.

    Attributes
    ----------
    el_efficiency : float
        Electrical efficiency in full condensing mode (LHV).
    el_capacity_mw : float
        Maximum electrical output in condensing mode, MW.
    power_to_heat : float
        Back-pressure power-to-heat ratio cb (sigma).
    power_loss : float
        Power-loss coefficient cv: MW of electricity lost per MW of heat extracted.
    """

    kind: Literal["chp_extraction", "ccgt"]
    fuel: str
    el_efficiency: float = Field(gt=0.0, le=1.0)
    el_capacity_mw: float = Field(gt=0.0)
    power_to_heat: float = Field(ge=0.0)
    power_loss: float = Field(default=0.15, ge=0.0, le=1.0)
    aux_el_fraction: float = Field(default=0.0, ge=0.0, lt=1.0)
    hechp: bool | None = None


HeatSource = Literal[
    "air", "lake", "river", "sewage", "geothermal_shallow", "metro", "data_centre",
    "industrial_waste_heat", "other",
]


class HeatPump(UnitBase):
    """Electric heat pump: electricity_t = heat_t / cop_t.

    Attributes
    ----------
    cop : SeriesLike, optional
        Coefficient of performance (heat out per electricity in), hourly. When omitted it is
        computed by :mod:`heatpath.physics.heatpump` from the source temperature (given, or
        modelled from the source type and outdoor temperature) and the sink (network supply,
        return) temperatures: ``cop_method`` ``carnot`` / ``lorenz`` with ``quality_factor``,
        or ``table`` (manufacturer table ``cop_table``: a CSV with the source temperature in
        the first column and one column per sink temperature).
    cutoff_temperature_c : float, optional
        Source temperature below which the unit cannot run (air-source heat pumps).
    rated_source_temperature_c, capacity_change_per_k : float
        Capacity = capacity_mw * (1 + capacity_change_per_k * (T_source - rated)), clipped 0..1.
    source : str
        Heat source (``air``, ``lake``, ``river``, ``sewage``, ``geothermal_shallow``,
        ``metro``, ``data_centre``, ``industrial_waste_heat``, ``other``); decides the EED
        counting group (renewable, or waste heat for Y2 sources).
    spf : float, optional
        Seasonal performance factor; if omitted it is estimated from the COP series.
    """

    kind: Literal["heat_pump"]
    cop: SeriesLike | None = None
    source: HeatSource = "air"
    spf: float | None = Field(default=None, gt=0.0)
    source_temperature_c: SeriesLike | None = None
    sink_temperature_c: SeriesLike | None = None
    cop_method: Literal["carnot", "lorenz", "table"] = "lorenz"
    quality_factor: float = Field(default=0.5, gt=0.0, le=1.0)
    cop_table: str | pd.DataFrame | None = None
    cop_max: float | None = Field(default=None, gt=1.0)
    cutoff_temperature_c: float | None = None
    rated_source_temperature_c: float | None = None
    capacity_change_per_k: float = 0.0


class SolarThermal(UnitBase):
    """Solar thermal collector field: heat_t <= capacity_mw * availability_t (curtailable).

    With ``area_m2`` the hourly yield is computed from the irradiance on the collector plane
    and the collector coefficients (EN ISO 9806 quasi-steady model: eta = eta0
    - a1 (Tm - Ta)/G - a2 (Tm - Ta)^2/G, Tm = mean of network supply and return), and
    ``capacity_mw`` is the peak output at 1000 W/m2 (eta0 * area). Without ``area_m2``
    ``availability`` is the yield per MW of peak (0..1).
    """

    kind: Literal["solar_thermal"]
    capacity_mw: float = Field(default=0.0, ge=0.0)
    area_m2: float | None = Field(default=None, gt=0.0)
    eta0: float = Field(default=0.8, gt=0.0, le=1.0)
    a1: float = Field(default=2.5, ge=0.0)
    a2: float = Field(default=0.01, ge=0.0)
    tilt_deg: float = Field(default=35.0, ge=0.0, le=90.0)
    azimuth_deg: float = Field(default=180.0, ge=0.0, le=360.0)
    poa_wm2: SeriesLike | None = None


class WasteHeat(UnitBase):
    """Direct waste heat (or deep geothermal) into the network, hourly availability."""

    kind: Literal["waste_heat", "geothermal"]
    must_take: bool = False
    electricity_per_heat: float = Field(default=0.0, ge=0.0)


Unit = Annotated[
    FuelBoiler | ElectricBoiler | CHPBackPressure | CHPExtraction | HeatPump | SolarThermal
    | WasteHeat,
    Field(discriminator="kind"),
]

#: Unit kinds known to the schema, in documentation order.
UNIT_KINDS: tuple[str, ...] = (
    "boiler", "gas_boiler", "biomass_boiler", "oil_boiler", "electric_boiler",
    "chp_backpressure", "gas_engine", "biogas_chp", "waste_to_energy", "chp_extraction", "ccgt",
    "heat_pump", "solar_thermal", "waste_heat", "geothermal",
)


class Storage(_Base):
    """Sensible heat storage (tank or pit).

    State of charge: soc_t = soc_{t-1} * (1 - standing_loss_per_h)
    + charge_t * charge_efficiency - discharge_t / discharge_efficiency, cyclic over the year.

    With ``volume_m3`` the capacity follows from the hot and cold temperatures
    (:func:`heatpath.physics.storage.storage_capacity_mwh`) and, unless
    ``standing_loss_per_h`` is given, the loss from the geometry (pit: truncated pyramid;
    tank: cylinder) at the mean of hot and cold temperature, as a constant fraction of the
    stored energy per hour (:mod:`heatpath.physics.storage`).
    """

    name: str = Field(min_length=1)
    capacity_mwh: float | None = Field(default=None, ge=0.0)
    charge_mw: float = Field(ge=0.0)
    discharge_mw: float = Field(ge=0.0)
    standing_loss_per_h: float | None = Field(default=None, ge=0.0, lt=1.0)
    charge_efficiency: float = Field(default=1.0, gt=0.0, le=1.0)
    discharge_efficiency: float = Field(default=1.0, gt=0.0, le=1.0)
    description: str = ""
    # physical description (pit or tank); used when capacity/loss are not given
    kind: Literal["tank", "pit"] = "tank"
    volume_m3: float | None = Field(default=None, gt=0.0)
    t_hot_c: float = 90.0
    t_cold_c: float = 60.0
    depth_m: float | None = Field(default=None, gt=0.0)
    u_lid_w_m2k: float | None = Field(default=None, gt=0.0)
    u_wall_w_m2k: float | None = Field(default=None, gt=0.0)
    # sizing (energy capacity; power limits scale with the charge/discharge-to-capacity ratio)
    technology: str | None = None
    extendable: bool = False
    capacity_min_mwh: float = Field(default=0.0, ge=0.0)
    capacity_max_mwh: float | None = Field(default=None, ge=0.0)
    capex_eur_per_mwh: float = Field(default=0.0, ge=0.0)
    fixed_om_eur_per_mwh_yr: float = Field(default=0.0, ge=0.0)
    lifetime_years: float = Field(default=30.0, gt=0.0)

    @model_validator(mode="after")
    def _capacity_spec(self) -> Storage:
        if self.capacity_mwh is None and self.volume_m3 is None:
            raise ValueError("give capacity_mwh or volume_m3 (with t_hot_c, t_cold_c)")
        if self.t_hot_c <= self.t_cold_c:
            raise ValueError(f"t_hot_c ({self.t_hot_c}) must exceed t_cold_c ({self.t_cold_c})")
        return self


class ShareRequirement(_Base):
    """Annual requirement sum_{t, u in groups} heat >= min_share * sum_{t, u} heat.

    Shares are of heat into the network (heat produced by all units, at their handover point).
    """

    name: str = ""
    groups: list[EEDGroup] = Field(min_length=1)
    min_share: float = Field(ge=0.0, le=1.0)

    @field_validator("groups")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("groups must not repeat")
        return v

    @property
    def label(self) -> str:
        return self.name or ("+".join(self.groups) + f">={self.min_share:g}")


class DispatchOptions(_Base):
    """Solver options.

    ``mode`` ``lp`` (default) or ``milp`` (on/off, minimum load, start cost, minimum up and
    down time for units that declare them). ``discount_rate`` annualises the investment of
    ``extendable`` units and storages (capital recovery factor; default 10 % real, paper).
    """

    mode: Literal["lp", "milp"] = "lp"
    solver: Literal["highs"] = "highs"
    time_limit_s: float | None = Field(default=None, gt=0)
    mip_rel_gap: float = Field(default=0.005, ge=0)
    solver_options: dict[str, Any] = Field(default_factory=dict)
    discount_rate: float = Field(default=0.10, gt=-1.0)


class EEDOptions(_Base):
    """Ask the optimiser to make the system efficient under Article 26 in the scenario year.

    ``article`` ``26(1)`` enforces the share alternatives of Art. 26(1) (the cheapest feasible
    alternative is chosen); ``26(2)`` enforces the GHG-intensity limit; ``none`` only assesses.
    """

    article: Literal["26(1)", "26(2)", "none"] = "none"


class System(_Base):
    """A complete district heating scenario.

    Build in Python or load with :func:`heatpath.model.load_scenario`.
    """

    system: SystemInfo
    demand: Demand
    weather: Weather = Field(default_factory=Weather)
    network: Network = Field(default_factory=Network)
    prices: Prices = Field(default_factory=Prices)
    fuels: dict[str, Fuel] = Field(default_factory=dict)
    units: list[Unit] = Field(min_length=1)
    storages: list[Storage] = Field(default_factory=list)
    share_requirements: list[ShareRequirement] = Field(default_factory=list)
    dispatch: DispatchOptions = Field(default_factory=DispatchOptions)
    eed: EEDOptions = Field(default_factory=EEDOptions)
    #: Hourly snapshots (set by the loader, or derived from the demand Series in Python).
    snapshots: pd.DatetimeIndex | None = None
    #: Where the scenario was loaded from (None when built in Python).
    source_file: str | None = None
    #: Set by :func:`heatpath.physics.profiles.derive` once derived profiles are filled in.
    derived: bool = False

    @model_validator(mode="after")
    def _cross_checks(self) -> System:
        names = [u.name for u in self.units] + [s.name for s in self.storages]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"unit and storage names must be unique; repeated: {dupes}")
        for i, u in enumerate(self.units):
            fuel = getattr(u, "fuel", None)
            if fuel is not None and fuel not in self.fuels:
                raise ValueError(
                    f"units[{i}] ('{u.name}') uses fuel '{fuel}' that is not defined in "
                    f"[fuels]; defined: {sorted(self.fuels)}"
                )
            if fuel is not None and fuel not in self.prices.fuels_eur_per_mwh:
                raise ValueError(
                    f"units[{i}] ('{u.name}') uses fuel '{fuel}' without a price in "
                    f"[prices.fuels_eur_per_mwh]"
                )
        return self

    def unit(self, name: str) -> Any:
        """Return the unit called ``name``."""
        for u in self.units:
            if u.name == name:
                return u
        raise KeyError(name)
