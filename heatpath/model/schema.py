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

from typing import Annotated, Any, Literal, Union

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
SeriesLike = Union[float, str, SeriesRef, pd.Series]


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


class Demand(_Base):
    """Heat demand delivered to customers and network losses.

    Exactly one of ``network_loss_fraction`` (losses as a fraction of heat into the network,
    so that losses_t = demand_t * f / (1 - f)) or ``network_loss_mw`` (hourly MW series) may
    be given; with neither the network is lossless.
    """

    heat_mw: SeriesLike
    network_loss_fraction: float | None = Field(default=None, ge=0.0, lt=1.0)
    network_loss_mw: SeriesLike | None = None

    @model_validator(mode="after")
    def _one_loss_spec(self) -> Demand:
        if self.network_loss_fraction is not None and self.network_loss_mw is not None:
            raise ValueError(
                "give either network_loss_fraction or network_loss_mw, not both"
            )
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

    kind: Literal["chp_backpressure", "gas_engine", "biogas_chp"]
    fuel: str
    efficiency: float = Field(gt=0.0, le=1.2)
    power_to_heat: float = Field(ge=0.0)
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
    cop : SeriesLike
        Coefficient of performance (heat out per electricity in), hourly.
    source : str
        Heat source (``air``, ``lake``, ``river``, ``sewage``, ``geothermal_shallow``,
        ``metro``, ``data_centre``, ``industrial_waste_heat``, ``other``); decides the EED
        counting group (renewable, or waste heat for Y2 sources).
    spf : float, optional
        Seasonal performance factor; if omitted it is estimated from the COP series.
    """

    kind: Literal["heat_pump"]
    cop: SeriesLike
    source: HeatSource = "air"
    spf: float | None = Field(default=None, gt=0.0)


class SolarThermal(UnitBase):
    """Solar thermal collector field: heat_t <= capacity_mw * availability_t (curtailable).

    ``availability`` here is the hourly yield per MW of peak capacity (0..1).
    """

    kind: Literal["solar_thermal"]


class WasteHeat(UnitBase):
    """Direct waste heat (or deep geothermal) into the network, hourly availability."""

    kind: Literal["waste_heat", "geothermal"]
    must_take: bool = False


Unit = Annotated[
    Union[FuelBoiler, ElectricBoiler, CHPBackPressure, HeatPump, SolarThermal, WasteHeat],
    Field(discriminator="kind"),
]

#: Unit kinds known to the schema, in documentation order.
UNIT_KINDS: tuple[str, ...] = (
    "boiler", "gas_boiler", "biomass_boiler", "oil_boiler", "electric_boiler",
    "chp_backpressure", "gas_engine", "biogas_chp", "heat_pump", "solar_thermal",
    "waste_heat", "geothermal",
)


class Storage(_Base):
    """Sensible heat storage (tank or pit).

    State of charge: soc_t = soc_{t-1} * (1 - standing_loss_per_h)
    + charge_t * charge_efficiency - discharge_t / discharge_efficiency, cyclic over the year.
    """

    name: str = Field(min_length=1)
    capacity_mwh: float = Field(ge=0.0)
    charge_mw: float = Field(ge=0.0)
    discharge_mw: float = Field(ge=0.0)
    standing_loss_per_h: float = Field(default=0.0, ge=0.0, lt=1.0)
    charge_efficiency: float = Field(default=1.0, gt=0.0, le=1.0)
    discharge_efficiency: float = Field(default=1.0, gt=0.0, le=1.0)
    description: str = ""


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
    """Solver options. ``mode`` ``lp`` (default); ``milp`` is reserved for unit commitment."""

    mode: Literal["lp", "milp"] = "lp"
    solver: Literal["highs"] = "highs"
    time_limit_s: float | None = Field(default=None, gt=0)
    mip_rel_gap: float = Field(default=0.005, ge=0)
    solver_options: dict[str, Any] = Field(default_factory=dict)


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
