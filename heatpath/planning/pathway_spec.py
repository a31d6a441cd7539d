"""The planning specification of :func:`heatpath.planning.pathway.plan` (``planning.toml``).

The scenario schema has no ``[planning]`` table, so the investment options of a pathway are
given separately, as a TOML file (``heatpath plan SCENARIO.toml --spec planning.toml``) or a
Python dict with the same content. Reference: ``docs/planning.md``.

Example::

    [planning]
    periods = [2025, 2028, 2035, 2040, 2045, 2050]
    base_year = 2024            # price level and discounting base (constant 2024 prices)
    discount_rate = 0.10        # real; default: the scenario's [dispatch].discount_rate
    typical_days = 12

    [planning.retirements]      # existing unit/storage -> first year it is gone
    gas_chp_steam_3plants = 2035

    [planning.price_path]       # optional multipliers, each from the given year on
    electricity = {2040 = 1.2}  # also: co2, demand, and any fuel name

    [planning.fuels.biogas]     # fuels used by new candidates
    emission_factor_t_per_mwh = 0.0
    biogenic_fraction = 1.0
    price_eur_per_mwh = 30.0

    [[planning.candidates]]
    name = "lake_hp"
    technology = "wshp_lake"    # catalogue row for CAPEX, fixed O&M and lifetime
    potential_mw = 50.0
    earliest_year = 2030
    source = "paper §2, II.1"
    unit = {kind = "heat_pump", source = "lake", source_temperature_c = "lake_water_temperature_c"}

A candidate either names an ``extendable`` unit or storage of the scenario, or defines a new
one in ``unit = {...}`` / ``storage = {...}`` with the fields of ``[[units]]`` /
``[[storages]]`` (column names refer to the scenario's CSV). Every ``extendable`` component of
the scenario that no candidate names becomes a candidate with its own limits and costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from heatpath.model.errors import ScenarioError, validation_error
from heatpath.model.schema import (
    UNIT_KINDS,
    Fuel,
    Storage,
    System,
    Unit,
)

#: Default planning periods: the first year of each Art. 26(1) period from 2028, plus 2025.
DEFAULT_PERIODS: tuple[int, ...] = (2025, 2028, 2035, 2040, 2045, 2050)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FuelSpec(_Spec):
    """A fuel added for new candidates: emission data (as ``[fuels]``) and a flat price."""

    emission_factor_t_per_mwh: float = Field(default=0.0, ge=0.0)
    biogenic_fraction: float = Field(default=0.0, ge=0.0, le=1.0)
    price_eur_per_mwh: float


class CandidateSpec(_Spec):
    """One investment option.

    Attributes
    ----------
    name : str
        Unit or storage name (an ``extendable`` component of the scenario, or a new one
        defined in ``unit`` / ``storage``).
    technology : str, optional
        Catalogue row (``heatpath/data/technologies.csv``) for CAPEX, fixed O&M and lifetime.
    potential_mw, potential_mwh, potential_m3 : float, optional
        Maximum installed size at any time: MW of heat (units), MWh or m3 of water (storages;
        m3 converted with the storage's hot and cold temperatures). Default: the component's
        ``capacity_max_mw`` / ``capacity_max_mwh``, else unlimited.
    min_mw, min_mwh : float
        Minimum installed size from the first period in which the candidate is available.
    existing_mw, existing_mwh : float
        Size already installed before the first period (no CAPEX), lasting the whole horizon
        unless listed in ``[planning.retirements]``.
    earliest_year : int, optional
        First year the candidate can operate (lead time, e.g. waste-to-energy not before
        2030). Default: no limit.
    lifetime_years : float, optional
        Economic and technical lifetime, years (default: component field if set, else
        catalogue, else 25).
    capex_eur_per_mw, capex_eur_per_mwh : float, optional
        CAPEX per MW of heat / MWh of storage at base-year prices (overrides the scenario and
        the catalogue).
    fixed_om_eur_per_mw_yr, fixed_om_eur_per_mwh_yr : float, optional
        Fixed O&M per year (overrides).
    backstop : bool
        Option beyond the identified potential (left out with ``backstops=False``).
    source, description : str
        Where the numbers come from; free text.
    unit, storage : dict, optional
        Definition of a new unit / storage (fields of ``[[units]]`` / ``[[storages]]``;
        ``capacity_mw`` / ``capacity_mwh`` are nominal sizes for ratios and may be omitted).
    """

    name: str = Field(min_length=1)
    technology: str | None = None
    potential_mw: float | None = Field(default=None, ge=0.0)
    potential_mwh: float | None = Field(default=None, ge=0.0)
    potential_m3: float | None = Field(default=None, ge=0.0)
    min_mw: float = Field(default=0.0, ge=0.0)
    min_mwh: float = Field(default=0.0, ge=0.0)
    existing_mw: float = Field(default=0.0, ge=0.0)
    existing_mwh: float = Field(default=0.0, ge=0.0)
    earliest_year: int | None = None
    lifetime_years: float | None = Field(default=None, gt=0.0)
    capex_eur_per_mw: float | None = Field(default=None, ge=0.0)
    capex_eur_per_mwh: float | None = Field(default=None, ge=0.0)
    fixed_om_eur_per_mw_yr: float | None = Field(default=None, ge=0.0)
    fixed_om_eur_per_mwh_yr: float | None = Field(default=None, ge=0.0)
    backstop: bool = False
    source: str = ""
    description: str = ""
    unit: dict[str, Any] | None = None
    storage: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_definition(self) -> CandidateSpec:
        if self.unit is not None and self.storage is not None:
            raise ValueError("give either unit or storage, not both")
        return self


class PlanningSpec(_Spec):
    """Content of ``planning.toml`` (the ``[planning]`` table).

    ``None`` values fall back to the arguments of :func:`heatpath.planning.pathway.plan`
    and then to the defaults documented there.
    """

    periods: list[int] | None = None
    end_year: int | None = None
    base_year: int = 2024
    discount_rate: float | None = Field(default=None, gt=-1.0)
    typical_days: int | None = Field(default=None, ge=1)
    article: Literal["26(1)", "26(2)", "none"] | None = None
    retirements: dict[str, int] = Field(default_factory=dict)
    price_path: dict[str, dict[int, float]] = Field(default_factory=dict)
    fuels: dict[str, FuelSpec] = Field(default_factory=dict)
    candidates: list[CandidateSpec] = Field(default_factory=list)
    mip_rel_gap: float = Field(default=1e-4, ge=0.0)
    time_limit_s: float | None = Field(default=None, gt=0.0)
    max_repairs: int = Field(default=2, ge=0)
    description: str = ""

    @model_validator(mode="after")
    def _unique(self) -> PlanningSpec:
        names = [c.name for c in self.candidates]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"candidate names repeat: {dupes}")
        return self


#: Field names suggested for a misspelt field of a planning spec.
_SPEC_FIELDS = sorted({*PlanningSpec.model_fields, *CandidateSpec.model_fields,
                       *FuelSpec.model_fields})


def parse_spec(raw: dict[str, Any] | PlanningSpec | None,
               source: str | Path | None = None) -> PlanningSpec:
    """Validate a planning spec given as a dict (with or without a top ``planning`` key).

    Raises
    ------
    ScenarioError
        Naming the field and value of the first problem.
    """
    if raw is None:
        return PlanningSpec()
    if isinstance(raw, PlanningSpec):
        return raw
    body = raw.get("planning", raw) if isinstance(raw, dict) else raw
    try:
        return PlanningSpec.model_validate(body)
    except ValidationError as exc:
        raise validation_error(exc, file=source or "<planning spec>", prefix=("planning",),
                               suggest=_SPEC_FIELDS) from None


def load_spec(path: str | Path) -> PlanningSpec:
    """Read and validate a ``planning.toml`` file."""
    from heatpath.model.io import read_toml

    raw, p = read_toml(path, "planning spec")
    return parse_spec(raw, p)


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    """An investment option with its limits and costs resolved.

    Sizes are MW of heat for units and MWh for storages (``size_unit``). Costs are at
    base-year prices.
    """

    name: str
    component: Literal["unit", "storage"]
    technology: str | None
    potential: float
    minimum: float
    existing: float
    earliest_year: int | None
    lifetime_years: float
    capex_per_size: float
    fixed_om_per_size_yr: float
    backstop: bool
    source: str
    cost_source: str
    description: str = ""

    @property
    def size_unit(self) -> str:
        """``MW`` (units) or ``MWh`` (storages)."""
        return "MW" if self.component == "unit" else "MWh"


def _catalogue_per_size(component: Any, row: pd.Series, column: str, price_year: int) -> float:
    """A catalogue cost converted to EUR per MW of heat (units) or per MWh (storages).

    The unit conversion is :func:`heatpath.economics.catalogue_units_per_size`; the result
    is CEPCI-indexed from the row's price year to ``price_year`` (flat beyond the table).
    """
    from heatpath.economics import catalogue_units_per_size, index_cost

    try:
        factor = catalogue_units_per_size(component, str(row["capex_unit"]), str(row.name))
    except ValueError as exc:
        name = getattr(component, "name", "?")
        raise ScenarioError(str(exc), field=f"planning.candidates[{name}].technology",
                            value=str(row.name)) from None
    return index_cost(float(row[column]) * factor, int(row["price_year"]), price_year,
                      extrapolate=True)


def _cost_choice(component: Any, row: pd.Series | None, tech: str | None,
                 spec_value: float | None, field: str, column: str, base_year: int
                 ) -> tuple[float, str]:
    """A candidate's cost and where it came from: the spec, else the component's own
    ``field``, else the catalogue ``column`` (indexed to ``base_year``), else 0."""
    if spec_value is not None:
        return spec_value, "spec"
    if field in component.model_fields_set:
        return float(getattr(component, field)), "scenario"
    if row is not None:
        return _catalogue_per_size(component, row, column, base_year), f"catalogue '{tech}'"
    return 0.0, "none given (0)"


def resolve_candidates(system: System, spec: PlanningSpec, *, backstops: bool = True,
                       catalogue: pd.DataFrame | None = None) -> list[Candidate]:
    """Candidates of a prepared system (every ``extendable`` unit and storage).

    Cost precedence: spec override > field set in the component > catalogue row of
    ``technology`` (CEPCI-indexed to ``spec.base_year``) > 0 (noted in ``cost_source``).
    """
    from heatpath.economics import load_catalogue

    cat = load_catalogue() if catalogue is None else catalogue
    by_name = {c.name: c for c in spec.candidates}
    out: list[Candidate] = []
    for comp in [*system.units, *system.storages]:
        if not comp.extendable:
            if comp.name in by_name:
                raise ScenarioError(
                    "a candidate names a component that is not extendable; set extendable = "
                    "true in the scenario or define it in the spec", field="planning.candidates",
                    value=comp.name)
            continue
        cs = by_name.get(comp.name) or CandidateSpec(name=comp.name)
        if cs.backstop and not backstops:
            continue
        is_storage = isinstance(comp, Storage)
        tech = cs.technology or comp.technology
        row = cat.loc[tech] if tech is not None and tech in cat.index else None
        if tech is not None and row is None and (cs.capex_eur_per_mw is None
                                                 and cs.capex_eur_per_mwh is None):
            raise ScenarioError(f"unknown technology; known: {sorted(cat.index)}",
                                field=f"planning.candidates[{comp.name}].technology", value=tech)
        set_fields = comp.model_fields_set
        capex_field = "capex_eur_per_mwh" if is_storage else "capex_eur_per_mw"
        fom_field = "fixed_om_eur_per_mwh_yr" if is_storage else "fixed_om_eur_per_mw_yr"
        spec_capex = cs.capex_eur_per_mwh if is_storage else cs.capex_eur_per_mw
        spec_fom = cs.fixed_om_eur_per_mwh_yr if is_storage else cs.fixed_om_eur_per_mw_yr
        capex, how_capex = _cost_choice(comp, row, tech, spec_capex, capex_field,
                                        "specific_capex", spec.base_year)
        fom, how_fom = _cost_choice(comp, row, tech, spec_fom, fom_field, "fixed_om",
                                    spec.base_year)
        sources = [f"CAPEX: {how_capex}", f"fixed O&M: {how_fom}"]
        if cs.lifetime_years is not None:
            life = cs.lifetime_years
        elif "lifetime_years" in set_fields or row is None:
            life = float(comp.lifetime_years)
        else:
            life = float(row["lifetime_years"])
        if is_storage:
            pot = cs.potential_mwh
            if cs.potential_m3 is not None:
                from heatpath.physics.storage import storage_capacity_mwh

                pot = float(storage_capacity_mwh(cs.potential_m3, comp.t_hot_c, comp.t_cold_c))
            if pot is None:
                pot = comp.capacity_max_mwh
            minimum = max(cs.min_mwh, comp.capacity_min_mwh)
            existing = cs.existing_mwh
        else:
            pot = cs.potential_mw if cs.potential_mw is not None else comp.capacity_max_mw
            minimum = max(cs.min_mw, comp.capacity_min_mw)
            existing = cs.existing_mw
        out.append(Candidate(
            name=comp.name, component="storage" if is_storage else "unit", technology=tech,
            potential=math.inf if pot is None else float(pot), minimum=float(minimum),
            existing=float(existing), earliest_year=cs.earliest_year, lifetime_years=life,
            capex_per_size=float(capex), fixed_om_per_size_yr=float(fom), backstop=cs.backstop,
            source=cs.source, cost_source="; ".join(sources),
            description=cs.description or comp.description))
    unknown = sorted(set(by_name) - {c.name for c in [*system.units, *system.storages]})
    if unknown:
        raise ScenarioError("candidate is neither defined (unit/storage) nor in the scenario",
                            field="planning.candidates", value=unknown)
    return out


# --------------------------------------------------------------------------- components


def _resolve_series(system: System, owner: Any, label: str) -> None:
    """Resolve column-name / file references of a new component against the scenario CSV."""
    from heatpath.model.io import SeriesResolver, series_fields
    from heatpath.model.schema import SeriesRef

    fields = list(series_fields(owner, label))
    needs = [(o, n, d) for o, n, d in fields
             if isinstance(getattr(o, n), (str, SeriesRef))]
    table = getattr(owner, "cop_table", None)
    if not needs and not isinstance(table, str):
        return
    if system.source_file is None:
        raise ScenarioError("column references in planning candidates need a scenario loaded "
                            "from a TOML file; give numbers or pandas Series instead",
                            field=label)
    src = Path(system.source_file)
    resolver = SeriesResolver(src, system.system.timeseries, system.system.timestamp_column)
    for o, n, d in needs:
        value = resolver.resolve(getattr(o, n), d)
        if isinstance(value, pd.Series):
            value = pd.Series(value.to_numpy(dtype=float), index=system.snapshots)
        object.__setattr__(o, n, value)
    if isinstance(table, str):
        df = pd.read_csv((src.parent / table).resolve(), index_col=0)
        df.index = df.index.astype(float)
        df.columns = df.columns.astype(float)
        object.__setattr__(owner, "cop_table", df)


def with_candidates(system: System, spec: PlanningSpec) -> System:
    """A prepared (finalised, derived) copy of ``system`` with the spec's fuels and new
    candidate units and storages added (``extendable = true``).

    New components are derived (COP, solar yield, storage capacity and losses) on a copy of
    the system that holds only them, so that an already derived scenario is not derived
    twice.
    """
    from heatpath.dispatch.solve import prepare
    from heatpath.model.io import finalize
    from heatpath.physics.profiles import derive

    base = prepare(system.model_copy(deep=True))
    for name, f in spec.fuels.items():
        if name in base.fuels:
            raise ScenarioError("fuel already defined in the scenario", field="planning.fuels",
                                value=name)
        base.fuels[name] = Fuel(emission_factor_t_per_mwh=f.emission_factor_t_per_mwh,
                                biogenic_fraction=f.biogenic_fraction)
        base.prices.fuels_eur_per_mwh[name] = pd.Series(
            np.full(len(base.snapshots), float(f.price_eur_per_mwh)), index=base.snapshots)
    names = {c.name for c in [*base.units, *base.storages]}
    new_units: list[Any] = []
    new_storages: list[Storage] = []
    adapter = TypeAdapter(Unit)
    for cs in spec.candidates:
        if cs.unit is None and cs.storage is None:
            continue
        label = f"planning.candidates[{cs.name}]"
        if cs.name in names:
            raise ScenarioError("a new candidate has the name of a scenario component",
                                field=label, value=cs.name)
        if cs.unit is not None:
            raw = dict(cs.unit)
            raw.setdefault("name", cs.name)
            nominal = cs.potential_mw if cs.potential_mw not in (None, 0.0) else 1.0
            raw.setdefault("capacity_mw", nominal)
            raw["extendable"] = True
            if cs.technology is not None:
                raw.setdefault("technology", cs.technology)
            try:
                comp = adapter.validate_python(raw)
            except ValidationError as exc:
                raise validation_error(exc, file=None, prefix=(f"{label}.unit",),
                                       kinds=UNIT_KINDS) from None
            fuel = getattr(comp, "fuel", None)
            if fuel is not None and fuel not in base.fuels:
                raise ScenarioError(f"unknown fuel; defined: {sorted(base.fuels)}",
                                    field=f"{label}.unit.fuel", value=fuel)
            _resolve_series(base, comp, f"{label}.unit")
            new_units.append(comp)
        else:
            raw = dict(cs.storage or {})
            raw.setdefault("name", cs.name)
            raw["extendable"] = True
            if cs.technology is not None:
                raw.setdefault("technology", cs.technology)
            try:
                comp = Storage.model_validate(raw)
            except ValidationError as exc:
                raise validation_error(exc, file=None, prefix=(f"{label}.storage",)) from None
            new_storages.append(comp)
    if new_units or new_storages:
        mini = base.model_copy(deep=True)
        mini.units = new_units
        mini.storages = new_storages
        mini.derived = False
        derive(finalize(mini))
        base.units = [*base.units, *mini.units]
        base.storages = [*base.storages, *mini.storages]
    return base
