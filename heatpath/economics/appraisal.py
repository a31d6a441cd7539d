"""Financial appraisal of a dispatched scenario against a dispatched "no action" reference.

Bridges dispatch results and :mod:`heatpath.economics.cashflow` following the paper's
method (Sect. 2): the scenario is compared with a reference that keeps the existing heat
sources; the **variable operating-cost saving** of the scenario's dispatch year recoups the
investment in the new units and storages. Prices are constant (2024 in the paper) and the
saving of the dispatched year is applied **unchanged to every operating year** of the
horizon (paper: "the constant annual cash flow is used based on the 2024 data"),
investments are made in ``start_year`` (2027) and operate from the following year until
``end_year`` (2050).

* :func:`investments_between` — what the scenario builds that the reference does not have
  (new components by name, or the capacity increase of components of the same name), costed
  from the component's own ``capex_eur_per_mw`` / ``capex_eur_per_mwh`` or from the CAPEX
  catalogue row named by its ``technology``.
* :func:`appraise_results` — differential cash flow, NPV, IRR, paybacks, LCOH and funding
  gap for the project and equity perspectives (:class:`Appraisal`).
* :func:`unit_variable_costs` — stand-alone variable cost per unit of a dispatch result
  (used for the LCOH of the new units).

Money in EUR of the price basis of the inputs, energy in MWh, capacity in MW (units, heat
output) and MWh (storages).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from heatpath.dispatch.result import jsonable
from heatpath.economics.capex import catalogue_units_per_size, load_catalogue
from heatpath.economics.cashflow import (
    FinanceAssumptions,
    Investment,
    appraise,
    investment_from_catalogue,
)
from heatpath.model.schema import (
    SolarThermal,
    Storage,
    System,
)

if TYPE_CHECKING:  # economics does not import dispatch at run time
    from heatpath.dispatch.result import DispatchResult

__all__ = [
    "Appraisal",
    "ComponentInvestment",
    "appraise_results",
    "investments_between",
    "unit_variable_costs",
    "variable_cost",
]

#: Relative tolerance below which a capacity increase is ignored (solver noise).
CAPACITY_TOL = 1e-6

#: Note stored with every appraisal: the paper's constant-cash-flow assumption.
CONSTANT_FLOW_NOTE = (
    "constant annual cash flow: the variable-cost saving of the dispatched year is applied "
    "unchanged to every operating year (start_year + 1 .. end_year), constant prices"
)


@dataclass(frozen=True)
class ComponentInvestment(Investment):
    """An :class:`~heatpath.economics.cashflow.Investment` in one scenario component.

    Attributes
    ----------
    component : str
        Unit or storage name (also in ``name``).
    kind : {"unit", "storage"}
        What is built.
    size : float
        Capacity added: MW of heat output (units) or MWh (storages).
    size_unit : str
        ``"MW"`` or ``"MWh"``.
    cost_source : str
        ``"scenario"`` (the component's own ``capex_eur_per_mw``/``capex_eur_per_mwh``) or
        ``"catalogue:<technology>"``.
    catalogue_size : float or None
        Size in the catalogue's unit (MW_th, MW_el, MW_fuel, m2, m3) when the catalogue
        was used.
    catalogue_unit : str or None
        The catalogue's ``capex_unit``.
    new_fraction : float
        Share of the scenario component's capacity that is new (1 for a new component);
        used to attribute its heat to the investment (LCOH).
    """

    component: str = ""
    kind: str = "unit"
    size: float = 0.0
    size_unit: str = "MW"
    cost_source: str = "scenario"
    catalogue_size: float | None = None
    catalogue_unit: str | None = None
    new_fraction: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (EUR, EUR/yr, years, MW or MWh)."""
        return {
            "name": self.name, "component": self.component, "kind": self.kind,
            "year": self.year, "size": self.size, "size_unit": self.size_unit,
            "capex_eur": self.capex, "fixed_om_eur_per_yr": self.fixed_om,
            "lifetime_years": self.lifetime_years, "cost_source": self.cost_source,
            "catalogue_size": self.catalogue_size, "catalogue_unit": self.catalogue_unit,
            "new_fraction": self.new_fraction,
        }


# --------------------------------------------------------------------------- sizes


def _unit_size_mw(u: Any, capacities: Mapping[str, float] | None, which: str) -> float:
    """Heat capacity of a unit, MW (extendable: the size chosen by the dispatch)."""
    if u.extendable:
        if capacities is None or u.name not in capacities:
            raise ValueError(
                f"{which} unit '{u.name}' is extendable: its size comes from the dispatch; "
                f"pass the dispatch result's capacities (result.capacities)")
        return float(capacities[u.name])
    if isinstance(u, SolarThermal) and u.area_m2 is not None:
        return float(u.area_m2 * u.eta0 / 1000.0)  # peak at 1000 W/m2, MW
    return float(u.capacity_mw)


def _storage_mwh_per_m3(s: Storage) -> float:
    from heatpath.physics.storage import storage_capacity_mwh

    return float(storage_capacity_mwh(1.0, s.t_hot_c, s.t_cold_c))


def _storage_size_mwh(s: Storage, capacities: Mapping[str, float] | None, which: str) -> float:
    """Energy capacity of a storage, MWh (extendable: the size chosen by the dispatch)."""
    if s.extendable:
        if capacities is None or s.name not in capacities:
            raise ValueError(
                f"{which} storage '{s.name}' is extendable: its size comes from the dispatch;"
                f" pass the dispatch result's capacities (result.capacities)")
        return float(capacities[s.name])
    if s.capacity_mwh is not None:
        return float(s.capacity_mwh)
    return float(s.volume_m3) * _storage_mwh_per_m3(s)  # type: ignore[arg-type]


def _cost_one(c: Any, size: float, total: float, year: int, catalogue: pd.DataFrame | None,
              price_year: int | None) -> ComponentInvestment:
    """Cost ``size`` MW/MWh of component ``c``: own figures first, then the catalogue."""
    is_storage = isinstance(c, Storage)
    kind, size_unit = ("storage", "MWh") if is_storage else ("unit", "MW")
    own_capex = float(c.capex_eur_per_mwh if is_storage else c.capex_eur_per_mw)
    own_fom = float(c.fixed_om_eur_per_mwh_yr if is_storage else c.fixed_om_eur_per_mw_yr)
    field_capex = "capex_eur_per_mwh" if is_storage else "capex_eur_per_mw"
    tech = c.technology
    cat_inv: Investment | None = None
    cat_size = cat_unit = None
    table = None
    if tech is not None and (own_capex <= 0.0 or own_fom <= 0.0):
        table = load_catalogue() if catalogue is None else catalogue
    if table is not None and tech not in table.index:
        if own_capex <= 0.0:
            raise ValueError(
                f"{kind} '{c.name}': technology '{tech}' is not in the CAPEX catalogue "
                f"(known: {', '.join(sorted(table.index))}); set {field_capex} or use a "
                f"catalogue technology")
        table = None  # own CAPEX given: the unknown technology is only a label
    if table is not None:
        cat_unit = str(table.loc[tech, "capex_unit"])
        try:
            cat_size = size * catalogue_units_per_size(c, cat_unit, tech)
            cat_inv = investment_from_catalogue(tech, cat_size, year, catalogue=table,
                                                price_year=price_year, extrapolate=True)
        except ValueError:
            if own_capex <= 0.0:
                raise
            cat_size = cat_unit = None  # own CAPEX given: the catalogue is not needed
    if own_capex > 0.0:
        capex, source = own_capex * size, "scenario"
    elif cat_inv is not None:
        capex, source = cat_inv.capex, f"catalogue:{tech}"
    else:
        raise ValueError(
            f"{kind} '{c.name}' is new or larger in the scenario (+{size:,.3g} {size_unit}) "
            f"but has no investment cost: set {field_capex} (EUR per {size_unit}) or "
            f"technology (a CAPEX catalogue key, e.g. "
            f"{'ptes, steel_tank' if is_storage else 'ashp, gas_boiler, solar_dh'})")
    if own_fom > 0.0:
        fixed_om = own_fom * size
    elif cat_inv is not None:
        fixed_om = cat_inv.fixed_om
    else:
        fixed_om = 0.0
    if "lifetime_years" in c.model_fields_set or cat_inv is None:
        life = max(1, int(round(float(c.lifetime_years))))
    else:
        life = int(cat_inv.lifetime_years or 1)
    return ComponentInvestment(
        year=int(year), capex=float(capex), lifetime_years=life, fixed_om=float(fixed_om),
        name=c.name, component=c.name, kind=kind, size=float(size), size_unit=size_unit,
        cost_source=source,
        catalogue_size=None if cat_size is None or source == "scenario" else float(cat_size),
        catalogue_unit=None if source == "scenario" else cat_unit,
        new_fraction=min(1.0, size / total) if total > 0 else 1.0,
    )


def investments_between(
    scenario: System,
    reference: System,
    *,
    year: int = 2027,
    catalogue: pd.DataFrame | None = None,
    capacities: Mapping[str, float] | None = None,
    reference_capacities: Mapping[str, float] | None = None,
    price_year: int | None = 2024,
) -> list[ComponentInvestment]:
    """Investments the scenario makes compared with the reference.

    A unit or storage of the scenario is an investment when the reference has no component
    of that name (or one of another type: unit vs storage, or another unit ``kind``) — the
    whole capacity is built — or when its capacity is larger than the reference's — the
    difference is built. Components of the reference that the scenario drops or shrinks
    are not credited (no salvage value).

    Parameters
    ----------
    scenario, reference : System
        The two systems (loaded or built in Python; not modified).
    year : int, default 2027
        Investment year (paper: all projects in 2027).
    catalogue : pandas.DataFrame, optional
        CAPEX catalogue (:func:`heatpath.economics.load_catalogue`, possibly overridden).
    capacities, reference_capacities : mapping {name: MW or MWh}, optional
        Sizes chosen by the dispatch for ``extendable`` units (MW) and storages (MWh) of the
        scenario / reference (``DispatchResult.capacities``); required for extendable
        components.
    price_year : int or None, default 2024
        Price year of catalogue costs (CEPCI-indexed, held flat beyond the CEPCI table);
        ``None`` keeps the catalogue's price year. Own ``capex_eur_per_*`` figures are
        taken as given (assumed in the analysis' price basis).

    Returns
    -------
    list of ComponentInvestment
        One item per component built, in scenario order (units, then storages). Capacity in
        MW of heat output (units) or MWh (storages); capacity of a solar field given by
        ``area_m2`` is its peak ``eta0 * area / 1000`` MW, of a storage given by
        ``volume_m3`` the MWh between ``t_hot_c`` and ``t_cold_c``.

    Raises
    ------
    ValueError
        When a component built has no cost data (names the component and asks for
        ``capex_eur_per_mw`` / ``capex_eur_per_mwh`` or ``technology``), its technology is
        not in the catalogue or priced in a unit that cannot be derived from its capacity,
        or an extendable component's size is not given.

    Notes
    -----
    Cost = own ``capex_eur_per_mw`` (``capex_eur_per_mwh``) x capacity when > 0, else the
    catalogue row of ``technology`` (size converted to the catalogue unit: MW_th = heat
    capacity; MW_el = heat x power-to-heat for back-pressure CHPs, ``el_capacity_mw`` scaled
    for extraction CHPs; MW_fuel = heat / efficiency; m2 = peak MW x 1000 / eta0 for solar;
    m3 = MWh / (MWh per m3 between t_hot_c and t_cold_c) for storages). Fixed O&M likewise:
    own ``fixed_om_eur_per_mw_yr`` (``_per_mwh_yr``) when > 0, else the catalogue row, else 0.
    Lifetime: the component's ``lifetime_years`` when set explicitly, else the catalogue's,
    else the schema default (25 years units, 30 storages).
    """
    ref_units = {u.name: u for u in reference.units}
    ref_storages = {s.name: s for s in reference.storages}
    out: list[ComponentInvestment] = []
    for u in scenario.units:
        total = size = _unit_size_mw(u, capacities, "scenario")
        r = ref_units.get(u.name)
        if r is not None and r.kind == u.kind:
            size -= _unit_size_mw(r, reference_capacities, "reference")
        if size > CAPACITY_TOL * max(1.0, total):
            out.append(_cost_one(u, size, total, year, catalogue, price_year))
    for s in scenario.storages:
        total = size = _storage_size_mwh(s, capacities, "scenario")
        rs = ref_storages.get(s.name)
        if rs is not None:
            size -= _storage_size_mwh(rs, reference_capacities, "reference")
        if size > CAPACITY_TOL * max(1.0, total):
            out.append(_cost_one(s, size, total, year, catalogue, price_year))
    return out


# --------------------------------------------------------------------------- dispatch figures


def unit_variable_costs(result: DispatchResult) -> dict[str, float]:
    """Stand-alone annual variable cost per unit of a dispatch result, EUR.

    ``fuel x fuel price + CO2 x EUA price + heat x vom + electricity used x (price + fee) -
    electricity produced x price`` (the paper's energyPRO formula per unit, hourly prices).
    Unlike the system objective, each unit pays the distribution fee on all its electricity
    use (no netting against CHP output), so the sum over units can exceed the objective.
    """
    system = result.system
    p = system.prices
    pel = np.asarray(p.electricity_eur_per_mwh, dtype=float)
    fee = float(p.electricity_fee_eur_per_mwh)
    co2p = np.asarray(p.co2_eur_per_t, dtype=float)
    out: dict[str, float] = {}
    for u in system.units:
        n = u.name
        cost = float(np.sum(result.heat[n].to_numpy() * float(u.vom_eur_per_mwh)))
        fuel = getattr(u, "fuel", None)
        if fuel is not None and n in result.fuel:
            cost += float(np.sum(result.fuel[n].to_numpy()
                                 * np.asarray(p.fuels_eur_per_mwh[fuel], dtype=float)))
        if n in result.co2_t:
            cost += float(np.sum(result.co2_t[n].to_numpy() * co2p))
        if n in result.el_in:
            cost += float(np.sum(result.el_in[n].to_numpy() * (pel + fee)))
        if n in result.el_out:
            cost -= float(np.sum(result.el_out[n].to_numpy() * pel))
        out[n] = cost
    return out


def _summary(result: DispatchResult | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(result, Mapping):
        return result
    if hasattr(result, "summary"):
        return result.summary()
    raise TypeError(f"expected a DispatchResult or a summary mapping, got {type(result)!r}")


def variable_cost(result: DispatchResult | Mapping[str, Any]) -> float:
    """Annual variable (operating) cost of a dispatch, EUR.

    The dispatch objective minus the annualised investment and fixed O&M of extendable
    capacity (``costs_eur["investment_annualised"]``): fuel + ETS + variable O&M + start
    costs + electricity bought (price + fee) - electricity sold.
    """
    s = _summary(result)
    invest = float((s.get("costs_eur") or {}).get("investment_annualised", 0.0) or 0.0)
    return float(s["objective_eur"]) - invest


# --------------------------------------------------------------------------- appraisal


@dataclass
class Appraisal:
    """Outcome of :func:`appraise_results`.

    Attributes
    ----------
    indicators : dict
        ``{"project": {...}, "equity": {...}}`` with ``npv`` (EUR at ``start_year``),
        ``irr`` (fraction/yr or None), ``simple_payback`` and ``discounted_payback`` (years
        after ``start_year`` or None), ``lcoh`` (EUR/MWh of heat of the new units, pre-tax
        and pre-financing: project only, None for equity), ``funding_gap_eur`` (grant in
        ``start_year`` that brings NPV to 0, EUR) and ``funding_gap_share`` (of the initial
        CAPEX, or None without CAPEX).
    cashflow : pandas.DataFrame
        One row per year (index ``year``), every component a column
        (:func:`heatpath.economics.differential_cashflow`).
    investments : list of Investment
        What the scenario builds (empty when nothing is built).
    opex_saving_eur : float
        Reference variable cost - scenario variable cost, EUR/yr (> 0 is a saving).
    variable_cost_eur : dict
        ``{"scenario": ..., "reference": ...}`` EUR/yr (:func:`variable_cost`).
    assumptions : FinanceAssumptions
    scenario, reference : str
        Scenario names.
    year : int
        Dispatch year whose saving is applied to every operating year.
    capex_total_eur : float
        Initial investment, EUR.
    new_heat_mwh : float or None
        Heat of the new capacity (pro rata for enlarged units), MWh/yr, used for the LCOH.
    """

    indicators: dict[str, dict[str, float | None]]
    cashflow: pd.DataFrame
    investments: list[Investment]
    opex_saving_eur: float
    variable_cost_eur: dict[str, float] = field(default_factory=dict)
    assumptions: FinanceAssumptions = field(default_factory=FinanceAssumptions)
    scenario: str = ""
    reference: str = ""
    year: int | None = None
    capex_total_eur: float = 0.0
    new_heat_mwh: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Content of ``finance.json``: indicators, assumptions, investments (JSON-ready).

        Each perspective also carries ``funding_gap`` (= ``funding_gap_eur``, the name read
        by :mod:`heatpath.report`).
        """
        ind = {p: dict(v) for p, v in self.indicators.items()}
        for v in ind.values():
            v["funding_gap"] = v.get("funding_gap_eur")
        invs = [i.to_dict() if isinstance(i, ComponentInvestment) else
                {"name": i.name, "year": i.year, "capex_eur": i.capex,
                 "fixed_om_eur_per_yr": i.fixed_om, "lifetime_years": i.lifetime_years}
                for i in self.investments]
        fa = self.assumptions
        out = {
            "scenario": self.scenario,
            "reference": self.reference,
            "dispatch_year": self.year,
            "start_year": fa.start_year,
            "end_year": fa.end_year,
            "price_basis": fa.price_basis,
            "price_base_year": fa.price_base_year,
            "discount_rate_project": fa.project_rate,
            "discount_rate_equity": fa.equity_rate,
            "capex_total_eur": self.capex_total_eur,
            "opex_saving_eur_per_yr": self.opex_saving_eur,
            "variable_cost_eur_per_yr": dict(self.variable_cost_eur),
            "new_heat_mwh_per_yr": self.new_heat_mwh,
            "indicators": ind,
            "investments": invs,
            "assumptions": dataclasses.asdict(fa),
            "notes": [CONSTANT_FLOW_NOTE, *self.notes],
        }
        return jsonable(out)

    def to_json(self, indent: int = 2) -> str:
        """``finance.json`` text (NaN and infinities written as null)."""
        return json.dumps(self.to_dict(), indent=indent) + "\n"



def _new_heat(investments: Sequence[Investment], s_summary: Mapping[str, Any],
              unit_costs: Mapping[str, float] | None) -> tuple[float, float | None]:
    """Heat (MWh) and variable cost (EUR) of the new unit capacity, pro rata."""
    heat_by_unit = s_summary.get("heat_mwh") or {}
    heat = 0.0
    cost: float | None = 0.0
    for inv in investments:
        if not isinstance(inv, ComponentInvestment) or inv.kind != "unit":
            continue
        if inv.component not in heat_by_unit:
            continue
        frac = inv.new_fraction
        heat += frac * float(heat_by_unit[inv.component])
        if unit_costs is None or inv.component not in unit_costs:
            cost = None
        elif cost is not None:
            cost += frac * float(unit_costs[inv.component])
    return heat, cost


def appraise_results(
    scenario_result: DispatchResult | Mapping[str, Any],
    reference_result: DispatchResult | Mapping[str, Any],
    *,
    assumptions: FinanceAssumptions | None = None,
    investments: Sequence[Investment] | None = None,
    start_year: int | None = None,
    catalogue: pd.DataFrame | None = None,
    grant: float = 0.0,
    replacements: bool = True,
    residual_value: bool = True,
) -> Appraisal:
    """Differential cash flow and profitability of a scenario against its reference.

    Parameters
    ----------
    scenario_result, reference_result : DispatchResult or mapping
        Dispatch results of the same year (or their ``summary.json`` content; then
        ``investments`` must be given, and the LCOH needs the summary's
        ``unit_variable_cost_eur`` entry written by ``heatpath appraise`` / ``compare``).
    assumptions : FinanceAssumptions, optional
        Default: the paper's base case (2027-2050, 10 % real, 25 % equity, 9 % loan over
        10 years, CIT 16 %).
    investments : sequence of Investment, optional
        Default: :func:`investments_between` the two results' systems, in ``start_year``,
        catalogue costs at ``assumptions.price_base_year``.
    start_year : int, optional
        Investment year (year 0); default ``assumptions.start_year`` (2027). Given, it
        replaces the assumptions' ``start_year``.
    catalogue : pandas.DataFrame, optional
        CAPEX catalogue for :func:`investments_between`.
    grant, replacements, residual_value
        As for :func:`heatpath.economics.differential_cashflow`.

    Returns
    -------
    Appraisal

    Raises
    ------
    ValueError
        Results of different years, investments that cannot be costed, a horizon shorter
        than the loan tenor, or (with summaries) missing ``investments``.

    Notes
    -----
    ``opex_saving`` = reference variable cost - scenario variable cost (:func:`variable_cost`:
    the dispatch objective without the annualised investment of extendable capacity, whose
    fixed O&M is charged through the investments instead), applied constantly from
    ``start_year + 1`` to ``end_year`` (paper: constant 2024 prices and annual cash flow).
    With nothing built, a zero investment stands in so that the cash flow is still defined
    (IRR and paybacks are then None or 0).
    """
    fa = FinanceAssumptions() if assumptions is None else assumptions
    if start_year is not None and start_year != fa.start_year:
        fa = dataclasses.replace(fa, start_year=int(start_year))
    s_sum, r_sum = _summary(scenario_result), _summary(reference_result)
    sy, ry = int(s_sum["year"]), int(r_sum["year"])
    if sy != ry:
        raise ValueError(
            f"scenario '{s_sum.get('scenario')}' is dispatched for {sy} but its reference "
            f"'{r_sum.get('scenario')}' for {ry}: compare results of the same year")
    if investments is None:
        s_sys = getattr(scenario_result, "system", None)
        r_sys = getattr(reference_result, "system", None)
        if s_sys is None or r_sys is None:
            raise ValueError("with summaries instead of DispatchResults, pass investments= "
                             "(e.g. from investments_between(scenario, reference, ...))")
        investments = investments_between(
            s_sys, r_sys, year=fa.start_year, catalogue=catalogue,
            capacities=getattr(scenario_result, "capacities", None),
            reference_capacities=getattr(reference_result, "capacities", None),
            price_year=fa.price_base_year)
    invs = list(investments)
    var_s, var_r = variable_cost(s_sum), variable_cost(r_sum)
    saving = var_r - var_s
    notes: list[str] = []

    if isinstance(scenario_result, Mapping):
        unit_costs = scenario_result.get("unit_variable_cost_eur")
    else:
        unit_costs = unit_variable_costs(scenario_result)
    new_heat, new_var = _new_heat(invs, s_sum, unit_costs)
    lcoh_kw: dict[str, Any] = {}
    if invs and new_heat > 0 and new_var is not None:
        lcoh_kw = {"heat_mwh": new_heat, "variable_cost": new_var}
    elif invs:
        notes.append("lcoh not computed: the new capacity produces no heat"
                     if new_heat <= 0 else
                     "lcoh not computed: per-unit variable costs unavailable")

    items = invs or [Investment(year=fa.start_year, capex=0.0, name="(nothing built)")]
    res = appraise(items, saving, 0.0, fa, grant=grant, replacements=replacements,
                   residual_value=residual_value, **lcoh_kw)
    indicators: dict[str, dict[str, float | None]] = {}
    for p in ("project", "equity"):
        indicators[p] = {
            "npv": res[f"npv_{p}"],
            "irr": res[f"irr_{p}"],
            "simple_payback": res[f"simple_payback_{p}"],
            "discounted_payback": res[f"discounted_payback_{p}"],
            "lcoh": res["lcoh"] if p == "project" else None,
            "funding_gap_eur": res[f"funding_gap_{p}"],
            "funding_gap_share": res[f"funding_gap_{p}_share"],
        }
    return Appraisal(
        indicators=indicators, cashflow=res["cashflow"], investments=invs,
        opex_saving_eur=saving, variable_cost_eur={"scenario": var_s, "reference": var_r},
        assumptions=fa, scenario=str(s_sum.get("scenario", "")),
        reference=str(r_sum.get("scenario", "")), year=sy,
        capex_total_eur=float(res["capex_total"]),
        new_heat_mwh=new_heat if invs else None, notes=notes,
    )
