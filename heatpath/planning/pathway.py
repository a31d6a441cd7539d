"""Investment pathways under Article 26 EED: what to build, when, so that the system stays
*efficient* in every period, at the least discounted cost.

:func:`plan` optimises capacity expansion over several periods (default 2025, 2028, 2035,
2040, 2045, 2050) with one multi-period linopy model on typical days
(:mod:`heatpath.planning.typical`; formulation in :mod:`heatpath.planning.pathway_model`):

* candidates are the ``extendable`` units and storages of the scenario plus those of a
  planning spec (:mod:`heatpath.planning.pathway_spec`): technology (catalogue costs),
  potential, earliest year (lead time), lifetime, CAPEX override; existing plants retire in
  the years the spec gives;
* in every period the Art. 26(1) criteria of its first year hold: one binary per essential
  alternative (:func:`heatpath.eed.essential_alternatives`) chooses the alternative met
  (exact disjunction, a small MILP), or the Art. 26(2) GHG limit (``article="26(2)"``);
* the objective is the discounted total cost: CAPEX as annuities over the years the capacity
  is active within the horizon, fixed O&M, and the variable cost of each period (fuel, ETS,
  variable O&M, electricity) at the scenario's prices (constant 2024 prices by default: the
  scenario's year is repeated in every period; ``[planning.price_path]`` scales them).

The chosen portfolio is then re-validated period by period with a full-year hourly dispatch
(:func:`heatpath.dispatch.run_scenario` with the built capacities fixed and the period's EED
criteria). A period that fails is reported with its shortfall; for share shortfalls the plan
is re-optimised with that period's targets raised by the shortfall (``max_repairs`` times).
The difference between the typical-day and the full-year dispatch (operating cost, shares) is
reported as the typical-period error.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from heatpath.dispatch.build import build as build_dispatch
from heatpath.dispatch.coefficients import network_losses_mw, unit_tables
from heatpath.dispatch.result import jsonable
from heatpath.eed import (
    GROUPS,
    assess,
    essential_alternatives,
    ghg_limit_g_per_kwh,
    group_fractions,
    heat_emission_factors,
)
from heatpath.eed import period as eed_period
from heatpath.model.errors import InfeasibleError, ScenarioError
from heatpath.model.schema import CHPExtraction, ShareRequirement, System
from heatpath.planning.pathway_model import ModelSolution, PathwayModel, PeriodData
from heatpath.planning.pathway_spec import (
    DEFAULT_PERIODS,
    Candidate,
    PlanningSpec,
    load_spec,
    parse_spec,
    resolve_candidates,
    with_candidates,
)
from heatpath.planning.typical import TypicalDays, cluster_days, dispatch_features

#: Output files of :meth:`Plan.write`.
OUTPUT_FILES = ("build_plan.csv", "periods.csv", "validation.csv", "capacities.csv",
                "plan.json")
#: Share keys reported per period (groups, then the combinations of the Art. 26(1) rules).
SHARE_KEYS = (*GROUPS, "renewable+waste_heat", "renewable+waste_heat+hechp")
#: Sizes below this are treated as "not built" (MW or MWh).
SIZE_TOL = 1e-3

Progress = Callable[[str], None]


# --------------------------------------------------------------------------- results


@dataclass
class PeriodValidation:
    """Full-year re-validation of one period (hourly dispatch of the built portfolio).

    Attributes
    ----------
    year : int
    status : str
        ``ok`` (dispatch solved with the period's criteria) or ``infeasible``.
    efficient : bool or None
        Art. 26(1) verdict of the full-year dispatch.
    criteria_met : list of str
        Alternatives met over the full year.
    alternative : str
        Alternative enforced by the full-year dispatch (cheapest feasible).
    shares : dict
        Full-year shares of heat into the network (fractions).
    operating_cost_eur : float
        Full-year variable cost, EUR per year.
    typical_operating_cost_eur : float
        Same period in the typical-day model, EUR per year.
    cost_error : float
        (typical - full) / full operating cost (fraction).
    share_error_pp : dict
        Typical minus full-year share per group, percentage points.
    ghg_g_per_kwh : float
        Direct emissions per kWh delivered (Art. 26(2) basis).
    shortfall : dict
        When infeasible: per requirement of the plan's alternative, the share missing
        (percentage points) in the best full-year dispatch; ``unserved_mwh`` for heat.
    message : str
        The dispatch's explanation when infeasible.
    solve_s : float
        Seconds spent.
    """

    year: int
    status: str
    efficient: bool | None = None
    criteria_met: list[str] = field(default_factory=list)
    alternative: str = ""
    shares: dict[str, float] = field(default_factory=dict)
    heat_into_network_mwh: float = float("nan")
    operating_cost_eur: float = float("nan")
    typical_operating_cost_eur: float = float("nan")
    cost_error: float = float("nan")
    share_error_pp: dict[str, float] = field(default_factory=dict)
    ghg_g_per_kwh: float = float("nan")
    shortfall: dict[str, float] = field(default_factory=dict)
    message: str = ""
    solve_s: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the full-year dispatch met the period's criteria."""
        return self.status == "ok"

    @property
    def max_share_error_pp(self) -> float:
        """Largest absolute typical-vs-full share difference, percentage points."""
        vals = [abs(v) for v in self.share_error_pp.values()]
        return max(vals) if vals else float("nan")


@dataclass
class Plan:
    """Result of :func:`plan`.

    Attributes
    ----------
    scenario : str
    years : list of int
        First year of each period.
    last_years : list of int
        Last year represented by each period.
    article : str
        ``26(1)``, ``26(2)`` or ``none``.
    discount_rate : float
    base_year, end_year : int
        Discounting / price base year and last year of the horizon.
    candidates : list of Candidate
    typical : TypicalDays
    solution : ModelSolution
        The multi-period optimum (capacities, annual heat and costs per period).
    feasible : bool
        False when the strict model was infeasible and ``solution`` is the elastic one
        (least shortfall); ``solution.shortfall`` then says where and by how much.
    period_shares : DataFrame
        Typical-day shares per period (rows) and share key (columns).
    criteria_met : dict
        Per period, alternatives met by the typical-day dispatch.
    validation : list of PeriodValidation
        Full-year re-validation (empty when skipped).
    margins : dict
        Extra share demanded per period after repairs (fraction).
    notes : list of str
    timings_s : dict
    """

    scenario: str
    years: list[int]
    last_years: list[int]
    article: str
    discount_rate: float
    base_year: int
    end_year: int
    candidates: list[Candidate]
    typical: TypicalDays
    solution: ModelSolution
    feasible: bool
    period_shares: pd.DataFrame
    criteria_met: dict[int, list[str]]
    validation: list[PeriodValidation] = field(default_factory=list)
    margins: dict[int, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    timings_s: dict[str, float] = field(default_factory=dict)
    repairs: list[dict[str, Any]] = field(default_factory=list)

    # ---- tables -------------------------------------------------------------------------
    @property
    def objective_eur(self) -> float:
        """Discounted total cost over the horizon, EUR (base-year money)."""
        return self.solution.objective_eur

    @property
    def total_cost_eur(self) -> float:
        """Discounted investment + operating cost, EUR (base-year money), without the
        shortfall penalties of an elastic (infeasible) plan."""
        return float(self.solution.costs["discounted"].sum())

    @property
    def capacities(self) -> pd.DataFrame:
        """Installed size of every candidate per period (MW or MWh)."""
        return self.solution.capacity

    def build_plan(self) -> pd.DataFrame:
        """One row per build: candidate, technology, year, size, CAPEX (``build_plan.csv``)."""
        rows = []
        by_name = {c.name: c for c in self.candidates}
        b = self.solution.build
        for name in b.index:
            c = by_name[name]
            for year in self.years:
                size = float(b.loc[name, year])
                if size <= SIZE_TOL:
                    continue
                rows.append({
                    "candidate": name, "technology": c.technology or "",
                    "component": c.component, "year": year, "capacity": size,
                    "size_unit": c.size_unit, "capex_eur": size * c.capex_per_size,
                    "capex_eur_per_size": c.capex_per_size,
                    "fixed_om_eur_per_yr": size * c.fixed_om_per_size_yr,
                    "lifetime_years": c.lifetime_years,
                    "active_until": int(year + math.ceil(c.lifetime_years) - 1),
                    "backstop": c.backstop, "source": c.source,
                })
        cols = ["candidate", "technology", "component", "year", "capacity", "size_unit",
                "capex_eur", "capex_eur_per_size", "fixed_om_eur_per_yr", "lifetime_years",
                "active_until", "backstop", "source"]
        return pd.DataFrame(rows, columns=cols)

    def periods_table(self) -> pd.DataFrame:
        """Per period: EED period, alternative, shares, costs (``periods.csv``)."""
        sol = self.solution
        builds = self.build_plan()
        rows = []
        for y, last in zip(self.years, self.last_years, strict=True):
            row: dict[str, Any] = {"year": y, "last_year": last,
                                   "eed_period": eed_period(y).id, "article": self.article,
                                   "alternative": sol.chosen.get(y, ""),
                                   "criteria_met": " ".join(self.criteria_met.get(y, []))}
            for k in SHARE_KEYS:
                row[f"share_{k}"] = float(self.period_shares.loc[y, k])
            row["heat_into_network_mwh"] = float(sol.heat_mwh.loc[y].sum())
            row["storage_loss_mwh"] = sol.storage_loss_mwh.get(y, 0.0)
            for col in sol.costs.columns:
                key = col if col in ("discount_weight",) else f"{col}_eur"
                row[key] = float(sol.costs.loc[y, col])
            sel = builds[builds["year"] == y]
            row["new_mw"] = float(sel.loc[sel["size_unit"] == "MW", "capacity"].sum())
            row["new_storage_mwh"] = float(sel.loc[sel["size_unit"] == "MWh",
                                                   "capacity"].sum())
            row["capex_eur"] = float(sel["capex_eur"].sum())
            row["shortfall"] = "; ".join(self._shortfall_text(y))
            row["unserved_mwh"] = sol.unserved_mwh.get(y, 0.0)
            row["margin"] = self.margins.get(y, 0.0)
            rows.append(row)
        return pd.DataFrame(rows)

    def validation_table(self) -> pd.DataFrame:
        """Full-year re-validation per period (``validation.csv``)."""
        rows = []
        for v in self.validation:
            row: dict[str, Any] = {
                "year": v.year, "status": v.status, "efficient": v.efficient,
                "criteria_met": " ".join(v.criteria_met), "alternative": v.alternative,
                "plan_alternative": self.solution.chosen.get(v.year, ""),
            }
            for k in SHARE_KEYS:
                row[f"share_{k}"] = v.shares.get(k, float("nan"))
            row.update({
                "heat_into_network_mwh": v.heat_into_network_mwh,
                "operating_cost_eur": v.operating_cost_eur,
                "typical_operating_cost_eur": v.typical_operating_cost_eur,
                "cost_error": v.cost_error,
                "max_share_error_pp": v.max_share_error_pp,
            })
            for g in GROUPS:
                row[f"share_error_{g}_pp"] = v.share_error_pp.get(g, float("nan"))
            row["ghg_g_per_kwh"] = v.ghg_g_per_kwh
            row["shortfall"] = "; ".join(f"{k}: {x:.2f}" for k, x in v.shortfall.items())
            row["message"] = v.message
            row["solve_s"] = v.solve_s
            rows.append(row)
        return pd.DataFrame(rows)

    def _shortfall_text(self, year: int) -> list[str]:
        """Shortfalls of the (elastic) typical-day plan in ``year``: share points and MWh of
        heat to switch from non-qualifying to qualifying sources (t CO2 for Art. 26(2))."""
        out = []
        total = float(self.solution.heat_mwh.loc[year].sum())
        for key, v in self.solution.shortfall.get(year, {}).items():
            if key.startswith("ghg"):
                out.append(f"{key} {v:,.0f} t CO2 too much")
            else:
                out.append(f"{key} short by {100 * v / total:.2f} pp ({v:,.0f} MWh)")
        return out

    def failures(self) -> list[str]:
        """Human-readable list of periods that are not efficient, with the shortfall."""
        out = []
        for y in self.solution.shortfall:
            out.append(f"{y}: the typical-day plan cannot meet the criteria: "
                       + ", ".join(self._shortfall_text(y)))
        for y, mwh in self.solution.unserved_mwh.items():
            out.append(f"{y}: {mwh:,.0f} MWh of heat cannot be served")
        for v in self.validation:
            if not v.ok:
                parts = ", ".join(f"{k} {x:,.2f}" for k, x in v.shortfall.items())
                out.append(f"{v.year}: full-year re-validation fails, short by: {parts}")
        return out

    @property
    def ok(self) -> bool:
        """True when the plan is feasible and every period passed re-validation."""
        return self.feasible and all(v.ok for v in self.validation)

    def typical_error(self) -> dict[str, float]:
        """Worst typical-vs-full-year errors over the validated periods."""
        ok = [v for v in self.validation if v.ok]
        if not ok:
            return {}
        return {"max_abs_cost_error": max(abs(v.cost_error) for v in ok),
                "mean_abs_cost_error": float(np.mean([abs(v.cost_error) for v in ok])),
                "max_share_error_pp": max(v.max_share_error_pp for v in ok)}

    def to_dict(self) -> dict[str, Any]:
        """Content of ``plan.json``."""
        sol = self.solution
        return {
            "scenario": self.scenario,
            "periods": [{"year": y, "last_year": last}
                        for y, last in zip(self.years, self.last_years, strict=True)],
            "article": self.article,
            "discount_rate": self.discount_rate,
            "base_year": self.base_year,
            "end_year": self.end_year,
            "feasible": self.feasible,
            "ok": self.ok,
            "total_cost_eur": self.total_cost_eur,
            "objective_eur": sol.objective_eur,
            "status": sol.status,
            "chosen_alternatives": {str(k): v for k, v in sol.chosen.items()},
            "candidates": [{
                "name": c.name, "component": c.component, "technology": c.technology,
                "potential": None if not math.isfinite(c.potential) else c.potential,
                "size_unit": c.size_unit, "minimum": c.minimum, "existing": c.existing,
                "earliest_year": c.earliest_year, "lifetime_years": c.lifetime_years,
                "capex_eur_per_size": c.capex_per_size,
                "fixed_om_eur_per_size_yr": c.fixed_om_per_size_yr, "backstop": c.backstop,
                "source": c.source, "cost_source": c.cost_source} for c in self.candidates],
            "builds": self.build_plan().to_dict(orient="records"),
            "capacities": {n: {str(y): float(v) for y, v in row.items()}
                           for n, row in sol.capacity.iterrows()},
            "periods_table": self.periods_table().to_dict(orient="records"),
            "validation": self.validation_table().to_dict(orient="records"),
            "typical_error": self.typical_error(),
            "typical_days": self.typical.to_dict(),
            "failures": self.failures(),
            "margins": {str(k): v for k, v in self.margins.items()},
            "repairs": self.repairs,
            "notes": self.notes,
            "timings_s": self.timings_s,
        }

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write the output files into ``out_dir`` (created); return their paths."""
        d = Path(out_dir)
        d.mkdir(parents=True, exist_ok=True)
        paths = {Path(f).stem: d / f for f in OUTPUT_FILES}
        self.build_plan().to_csv(paths["build_plan"], index=False, float_format="%.6g")
        self.periods_table().to_csv(paths["periods"], index=False, float_format="%.6g")
        self.validation_table().to_csv(paths["validation"], index=False, float_format="%.6g")
        cap = self.capacities.copy()
        cap.index.name = "candidate"
        units = {c.name: c.size_unit for c in self.candidates}
        cap.insert(0, "size_unit", [units.get(n, "") for n in cap.index])
        cap.to_csv(paths["capacities"], float_format="%.6g")
        paths["plan"].write_text(json.dumps(jsonable(self.to_dict()), indent=2) + "\n")
        return paths



# --------------------------------------------------------------------------- periods


def _multiplier(path: dict[int, float] | None, year: int) -> float:
    """Price-path multiplier in force in ``year`` (the value of the latest key <= year)."""
    if not path:
        return 1.0
    keys = sorted(k for k in path if k <= year)
    return float(path[keys[-1]]) if keys else 1.0


def period_system(base: System, year: int, spec: PlanningSpec, article: str,
                  capacities: dict[str, float] | None = None) -> System:
    """The scenario as it stands in period ``year``.

    Prices and demand scaled by the price path, retired components removed (size 0 when
    ``capacities`` is None, so that every period has the same components), EED year and
    article set. With ``capacities`` (name -> MW or MWh) the candidates get those sizes
    and become fixed (``extendable = false``); components of size 0 are dropped.
    """
    s = base.model_copy(deep=True)
    s.system.year = year
    s.system.name = f"{base.system.name}_{year}"
    s.eed.article = article  # type: ignore[assignment]
    pp = spec.price_path
    p = s.prices
    p.electricity_eur_per_mwh = p.electricity_eur_per_mwh * _multiplier(
        pp.get("electricity"), year)
    p.co2_eur_per_t = p.co2_eur_per_t * _multiplier(pp.get("co2"), year)
    for fuel in list(p.fuels_eur_per_mwh):
        p.fuels_eur_per_mwh[fuel] = p.fuels_eur_per_mwh[fuel] * _multiplier(pp.get(fuel), year)
    md = _multiplier(pp.get("demand"), year)
    if md != 1.0:
        s.demand.heat_mw = s.demand.heat_mw * md
        if s.demand.network_loss_mw is not None:
            s.demand.network_loss_mw = s.demand.network_loss_mw * md

    def retired(name: str) -> bool:
        r = spec.retirements.get(name)
        return r is not None and year >= r

    keep_units = []
    for u in s.units:
        if capacities is not None and u.extendable:
            size = float(capacities.get(u.name, 0.0))
            if size <= SIZE_TOL:
                continue
            if isinstance(u, CHPExtraction):
                u.el_capacity_mw = u.el_capacity_mw * size / max(u.capacity_mw, 1e-9)
            u.capacity_mw = size
            u.extendable = False
        elif retired(u.name) and not u.extendable:
            if capacities is not None:
                continue
            u.capacity_mw = 0.0
        keep_units.append(u)
    s.units = keep_units
    keep_st = []
    for st in s.storages:
        if capacities is not None and st.extendable:
            size = float(capacities.get(st.name, 0.0))
            if size <= SIZE_TOL:
                continue
            nominal = st.capacity_mwh or 1.0
            st.charge_mw = st.charge_mw * size / nominal
            st.discharge_mw = st.discharge_mw * size / nominal
            st.capacity_mwh = size
            st.extendable = False
        elif retired(st.name) and not st.extendable and capacities is not None:
            continue
        keep_st.append(st)
    s.storages = keep_st
    return s


def _period_data(sp: System, year: int, last: int, article: str) -> PeriodData:
    tables = unit_tables(sp)
    fr = group_fractions(sp)
    idx = sp.snapshots
    losses = network_losses_mw(sp)
    demand = sp.demand.heat_mw
    names = [u.name for u in sp.units]
    prices = sp.prices
    co2 = prices.co2_eur_per_t.to_numpy()
    fuel_price = pd.DataFrame(0.0, index=idx, columns=names)
    for u, f in tables.fuel_of.items():
        fuel_price[u] = prices.fuels_eur_per_mwh[f].to_numpy()
    fuel_cost = tables.fuel_per_heat.to_numpy() * fuel_price.to_numpy()
    ets_cost = tables.co2_per_heat.to_numpy() * co2[:, None]
    om = np.tile(np.array([u.vom_eur_per_mwh for u in sp.units], float), (len(idx), 1))
    xs = [u for u in sp.units if isinstance(u, CHPExtraction)]
    chp_fuel = np.zeros((len(idx), len(xs)))
    chp_ets = np.zeros((len(idx), len(xs)))
    for j, u in enumerate(xs):
        f = sp.fuels[u.fuel]
        chp_fuel[:, j] = prices.fuels_eur_per_mwh[u.fuel].to_numpy()
        chp_ets[:, j] = f.emission_factor_t_per_mwh * (1.0 - f.biogenic_fraction) * co2
    alternatives: list[tuple[str, list[ShareRequirement]]] = []
    ghg_limit = None
    emission = None
    if article == "26(1)":
        for a in essential_alternatives(year):
            reqs = [ShareRequirement(name=f"{a.id}:{'+'.join(c.groups)}", groups=list(c.groups),
                                     min_share=c.min_share) for c in a.conditions]
            alternatives.append((a.id, reqs))
    elif article == "26(2)":
        ghg_limit = ghg_limit_g_per_kwh(year) / 1000.0
        emission = heat_emission_factors(sp)
    return PeriodData(
        year=year, last_year=last, system=sp, alternatives=alternatives,
        requirements=list(sp.share_requirements), ghg_limit_t_per_mwh=ghg_limit,
        emission_t_per_mwh=emission, fractions=fr,
        need=(demand + losses).to_numpy(dtype=float), demand=demand.to_numpy(dtype=float),
        el_price=prices.electricity_eur_per_mwh.to_numpy(dtype=float),
        fee=float(prices.electricity_fee_eur_per_mwh),
        p_max=tables.p_max.to_numpy(), p_min=tables.p_min.to_numpy(),
        avail=tables.availability.to_numpy(), fuel_cost=fuel_cost, ets_cost=ets_cost,
        om_cost=om, net_el=(tables.el_in_per_heat - tables.el_out_per_heat).to_numpy(),
        fuel_per_heat=tables.fuel_per_heat.to_numpy(), chp_fuel_price=chp_fuel,
        chp_ets_price=chp_ets)


def _shares(heat_mwh: pd.Series, fractions: pd.DataFrame) -> dict[str, float]:
    g = fractions.reindex(heat_mwh.index).fillna(0.0).mul(heat_mwh, axis=0).sum()
    total = float(heat_mwh.sum())
    out = {k: float(g[k]) / total if total > 0 else 0.0 for k in GROUPS}
    for key in SHARE_KEYS[len(GROUPS):]:
        out[key] = sum(out[k] for k in key.split("+"))
    return out


# --------------------------------------------------------------------------- validation


def _full_year_shortfall(sp: System, reqs: list[ShareRequirement],
                         ghg_kw: dict[str, Any]) -> tuple[dict[str, float], str]:
    """Elastic full-year dispatch: percentage points missing per requirement."""
    from heatpath.dispatch.solve import run_model

    fr = group_fractions(sp)
    dm = build_dispatch(sp, fr, reqs, elastic=True, **ghg_kw)
    status, _ = run_model(dm)
    if status != "ok":
        return {}, f"the relaxed full-year dispatch could not be solved ({status})"
    m = dm.model
    total = float(np.nansum(m.variables["heat"].solution.values))
    out: dict[str, float] = {}
    for k, req in enumerate(reqs):
        short = float(m.variables[f"share_short_{k}"].solution.values)
        if short > 1e-6:
            out[f"{req.label} (pp)"] = 100.0 * short / total if total else float("nan")
    if "ghg_excess" in m.variables:
        ex = float(m.variables["ghg_excess"].solution.values)
        if ex > 1e-6:
            out["ghg excess (t)"] = ex
    un = float(np.nansum(m.variables["unserved"].solution.values))
    if un > 1e-6:
        out["unserved heat (MWh)"] = un
    return out, ""


def validate_period(sp: System, year: int, article: str, plan_alternative: str,
                    typical_cost: float, typical_shares: dict[str, float]
                    ) -> PeriodValidation:
    """Full-year dispatch of a fixed portfolio with the period's EED criteria.

    Parameters
    ----------
    sp : System
        Period system with the plan's capacities fixed (:func:`period_system`).
    year : int
        Period year.
    article : str
        EED article enforced.
    plan_alternative : str
        Alternative the plan targeted (its shortfall is measured when the dispatch fails).
    typical_cost : float
        Annual operating cost of the period in the typical-day model, EUR.
    typical_shares : dict
        Typical-day shares of the period.
    """
    from heatpath.dispatch import run_scenario

    t0 = time.perf_counter()
    try:
        res = run_scenario(sp)
    except InfeasibleError as exc:
        reqs = list(sp.share_requirements)
        ghg_kw: dict[str, Any] = {}
        if article == "26(1)" and plan_alternative:
            alt = next(a for a in essential_alternatives(year) if a.id == plan_alternative)
            reqs += [ShareRequirement(name=f"{alt.id}:{'+'.join(c.groups)}",
                                      groups=list(c.groups), min_share=c.min_share)
                     for c in alt.conditions]
        elif article == "26(2)":
            ghg_kw = {"ghg_limit_t_per_mwh": ghg_limit_g_per_kwh(year) / 1000.0,
                      "heat_emission_t_per_mwh": heat_emission_factors(sp)}
        short, note = _full_year_shortfall(sp, reqs, ghg_kw)
        return PeriodValidation(year=year, status="infeasible", efficient=False,
                                shortfall=short, message=(note or str(exc)).replace("\n", " "),
                                typical_operating_cost_eur=typical_cost,
                                solve_s=time.perf_counter() - t0)
    summary = res.summary()
    eed = summary.get("eed", {})
    shares = _shares(res.heat_mwh, res.fractions)
    enforced = eed.get("enforced", {})
    alt = enforced.get("chosen_alternative", "") if article == "26(1)" else article
    cost = float(res.objective_eur)
    err = {g: 100.0 * (typical_shares.get(g, 0.0) - shares[g]) for g in GROUPS}
    return PeriodValidation(
        year=year, status="ok", efficient=bool(eed.get("efficient")),
        criteria_met=list(eed.get("criteria_met", [])), alternative=alt or "", shares=shares,
        heat_into_network_mwh=res.heat_into_network_mwh, operating_cost_eur=cost,
        typical_operating_cost_eur=typical_cost,
        cost_error=(typical_cost - cost) / abs(cost) if cost else float("nan"),
        share_error_pp=err, ghg_g_per_kwh=float(eed.get("ghg_g_per_kwh", float("nan"))),
        solve_s=time.perf_counter() - t0)


# --------------------------------------------------------------------------- plan


def _spec_of(candidates: Any) -> PlanningSpec:
    if candidates is None or isinstance(candidates, (dict, PlanningSpec)):
        return parse_spec(candidates)
    if isinstance(candidates, (str, Path)):
        return load_spec(candidates)
    raise TypeError("candidates must be a planning spec: dict, PlanningSpec or TOML path")


def plan(
    system: System,
    *,
    periods: Sequence[int] | None = None,
    candidates: dict[str, Any] | PlanningSpec | str | Path | None = None,
    typical_days: int | None = None,
    article: str | None = None,
    discount_rate: float | None = None,
    progress: Progress | None = None,
    backstops: bool = True,
    validate: bool = True,
    max_repairs: int | None = None,
) -> Plan:
    """Optimise the investment pathway of ``system`` over several periods.

    Parameters
    ----------
    system : System
        Base scenario (loaded or built in Python): existing units and storages, hourly
        demand, weather and prices of one year (used for every period: constant prices).
        Its ``extendable`` units and storages are candidates.
    periods : sequence of int, optional
        First year of each period (>= 2024). Default: the spec's, else 2025, 2028, 2035,
        2040, 2045, 2050. Each period represents the years up to the next one; the last up
        to the spec's ``end_year`` (default: last period + the previous gap - 1).
    candidates : dict, PlanningSpec, str or Path, optional
        The planning spec (:mod:`heatpath.planning.pathway_spec`): candidates with
        technology, potential, earliest year, lifetime and costs, retirements, price path.
    typical_days : int, optional
        Clustered typical days (the peak day is added). Default: the spec's, else 12.
    article : str, optional
        ``"26(1)"`` (default), ``"26(2)"`` or ``"none"``.
    discount_rate : float, optional
        Real rate per year. Default: the spec's, else the scenario's
        ``[dispatch].discount_rate`` (10 %).
    progress : callable, optional
        Called with a short label after each step (clustering, solve, each validation).
    backstops : bool
        Include candidates marked ``backstop`` (beyond the identified potential).
    validate : bool
        Re-validate every period with a full-year dispatch (default True).
    max_repairs : int, optional
        Re-optimisations with raised targets after failed validations (default: spec, 2).

    Returns
    -------
    Plan

    Raises
    ------
    ScenarioError
        Invalid spec or periods.
    RuntimeError
        If the solver fails for another reason than infeasibility.
    """
    t_start = time.perf_counter()
    step = progress or (lambda _label: None)
    spec = _spec_of(candidates)
    years = sorted({int(y) for y in (periods or spec.periods or DEFAULT_PERIODS)})
    if years[0] < 2024:
        raise ScenarioError("planning periods start in 2024 or later (EED Art. 26 tables)",
                            field="planning.periods", value=years)
    if list(periods or spec.periods or DEFAULT_PERIODS) != years:
        raise ScenarioError("planning periods must be increasing and unique",
                            field="planning.periods", value=list(periods or spec.periods))
    gap = years[-1] - years[-2] if len(years) > 1 else 5
    end_year = spec.end_year or years[-1] + gap - 1
    if end_year < years[-1]:
        raise ScenarioError("end_year is before the last period", field="planning.end_year",
                            value=end_year)
    last_years = [*[y - 1 for y in years[1:]], end_year]
    art = article or spec.article or "26(1)"
    if art not in ("26(1)", "26(2)", "none"):
        raise ScenarioError("article must be 26(1), 26(2) or none", field="article", value=art)
    k = typical_days or spec.typical_days or 12
    rate = discount_rate if discount_rate is not None else (
        spec.discount_rate if spec.discount_rate is not None
        else system.dispatch.discount_rate)
    repairs_left = spec.max_repairs if max_repairs is None else max_repairs

    base = with_candidates(system, spec)
    names = {c.name for c in [*base.units, *base.storages]}
    unknown = sorted(set(spec.retirements) - names)
    if unknown:
        raise ScenarioError("retirement of an unknown unit or storage",
                            field="planning.retirements", value=unknown)
    allowed = {"electricity", "co2", "demand", *base.fuels}
    bad = sorted(set(spec.price_path) - allowed)
    if bad:
        raise ScenarioError(f"unknown price path key; allowed: {sorted(allowed)}",
                            field="planning.price_path", value=bad)
    cands = resolve_candidates(base, spec, backstops=backstops)
    if not backstops:  # drop the backstop components themselves
        keep = {c.name for c in cands}
        drop = {c.name for c in spec.candidates if c.backstop} - keep
        base.units = [u for u in base.units if u.name not in drop]
        base.storages = [s for s in base.storages if s.name not in drop]
    notes = _horizon_notes(years, last_years, art)

    pdata = []
    for y, last in zip(years, last_years, strict=True):
        sp = period_system(base, y, spec, art)
        pdata.append(_period_data(sp, y, last, art))
    t_data = time.perf_counter()
    p0 = pdata[0]
    tab = unit_tables(p0.system)
    fuel_like = pd.DataFrame(p0.fuel_cost + p0.ets_cost, index=base.snapshots,
                             columns=tab.p_max.columns)
    feats, weights = dispatch_features(
        pd.Series(p0.need, index=base.snapshots),
        pd.Series(p0.el_price, index=base.snapshots), tab.availability,
        tab.el_in_per_heat, fuel_like)
    td = cluster_days(feats, k, weights=weights)
    step(f"clustered {td.n_days} days into {td.n_clusters} typical days")
    t_cluster = time.perf_counter()

    margins = {y: 0.0 for y in years}
    repairs: list[dict[str, Any]] = []
    timings = {"data": t_data - t_start, "cluster": t_cluster - t_data, "solve": 0.0,
               "validate": 0.0}
    while True:
        for p in pdata:
            p.margin = margins[p.year]
        model = PathwayModel(pdata, cands, td, rate=rate, base_year=spec.base_year,
                             end_year=end_year, retirements=spec.retirements)
        sol = model.solve(mip_rel_gap=spec.mip_rel_gap, time_limit_s=spec.time_limit_s,
                          log=step)
        feasible = sol.status == "ok"
        if not feasible:
            if "infeasible" not in sol.condition.lower():
                raise RuntimeError(f"planning model: HiGHS ended with status {sol.status} "
                                   f"({sol.condition})")
            step("strict plan infeasible: solving with penalised shortfalls")
            model = PathwayModel(pdata, cands, td, rate=rate, base_year=spec.base_year,
                                 end_year=end_year, retirements=spec.retirements,
                                 elastic=True)
            sol = model.solve(mip_rel_gap=spec.mip_rel_gap, time_limit_s=spec.time_limit_s,
                              log=step)
            if sol.status != "ok":
                raise RuntimeError(f"planning model (elastic): HiGHS ended with status "
                                   f"{sol.status} ({sol.condition})")
        timings["solve"] += sol.solve_s
        step(f"optimised {len(years)} periods ({sol.solve_s:.1f} s)")
        shares = pd.DataFrame({y: _shares(sol.heat_mwh.loc[y], p.fractions)
                               for y, p in zip(years, pdata, strict=True)}).T
        met = {}
        for y in years:
            group_heat = {g: shares.loc[y, g] for g in GROUPS}
            met[y] = assess(y, group_heat).criteria_met if sum(group_heat.values()) > 0 \
                else []
        validation: list[PeriodValidation] = []
        if validate:
            tv = time.perf_counter()
            for y in years:
                caps = {n: float(sol.capacity.loc[n, y]) for n in sol.capacity.index}
                sp = period_system(base, y, spec, art, capacities=caps)
                v = validate_period(sp, y, art, sol.chosen.get(y, ""),
                                    float(sol.costs.loc[y, "operating"]),
                                    shares.loc[y].to_dict())
                validation.append(v)
                step(f"validated {y}: {'ok' if v.ok else 'FAILS'}")
            timings["validate"] += time.perf_counter() - tv
        failed = [v for v in validation if not v.ok]
        fixable = [v for v in failed if v.shortfall and not any(
            "unserved" in key for key in v.shortfall)]
        if not (feasible and fixable and repairs_left > 0):
            break
        repairs_left -= 1
        for v in fixable:
            pp = [x for key, x in v.shortfall.items() if key.endswith("(pp)")]
            if pp:
                margins[v.year] += max(pp) / 100.0 + 0.002
            elif "ghg excess (t)" in v.shortfall:
                margins[v.year] += 0.02
        repairs.append({"failed": [v.year for v in fixable],
                        "margins": {str(k2): v2 for k2, v2 in margins.items()}})
        step(f"repair: raising targets of {[v.year for v in fixable]}")
    timings["total"] = time.perf_counter() - t_start
    return Plan(
        scenario=system.system.name, years=years, last_years=last_years, article=art,
        discount_rate=float(rate), base_year=spec.base_year, end_year=end_year,
        candidates=cands, typical=td, solution=sol, feasible=feasible,
        period_shares=shares, criteria_met=met, validation=validation,
        margins={y: m for y, m in margins.items() if m > 0}, notes=notes,
        timings_s=timings, repairs=repairs)


def _horizon_notes(years: list[int], last_years: list[int], article: str) -> list[str]:
    """Notes on periods whose years fall into more than one EED period."""
    notes = []
    if article == "none":
        return notes
    for y, last in zip(years, last_years, strict=True):
        ids = []
        for yy in range(y, last + 1):
            pid = eed_period(min(yy, 2100)).id
            if pid not in ids:
                ids.append(pid)
        if len(ids) > 1:
            notes.append(f"period {y} represents {y}-{last}, which spans the EED periods "
                         f"{', '.join(ids)}; only the criteria of {y} ({ids[0]}) are enforced")
    return notes

