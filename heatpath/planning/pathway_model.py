"""The multi-period investment model of :func:`heatpath.planning.pathway.plan` (linopy).

Sets: periods p (first years y_p), typical days k with weights w_k (days) and hours h,
units u, storages s, calendar days d, candidates c (a subset of units or storages) and
build vintages v (= periods).

Variables

* ``build[c, v]`` >= 0 — size built at the start of period v (MW heat / MWh), 0 before the
  candidate's earliest year;
* ``heat[p, k, h, u]`` — heat into the network, MW; ``chp_el`` — gross electricity of
  extraction CHPs, MW; ``el_buy``, ``el_sell`` — net grid exchange, MW;
* ``charge``, ``discharge`` [p, k, h, s] (MW); ``soc[p, k, h, s]`` — intra-day state of charge
  relative to the start of the typical day (free sign, MWh); ``soc_max``, ``soc_min`` [p, k, s]
  — its extremes; ``soc_inter[p, d, s]`` >= 0 — state of charge at the start of calendar day d;
  ``storage_energy[p, s]`` — installed storage capacity (MWh);
* ``choose_<y>[a]`` in {0, 1} — the Art. 26(1) alternative met in period p, and
  ``group_heat_part_<y>[a, g]`` — its share of the annual group heats (only when the year
  has more than one essential alternative).

Capacity of candidate c in period p: cap[c, p] = existing_c(p) + sum_v A[c, p, v] build[c, v],
A = 1 if y_v <= y_p < y_v + lifetime_c (active), else 0; cap[c, p] <= potential_c and
>= minimum_c once available.

Constraints per period (all sums over typical hours weighted by w_k):

* heat balance: sum_u heat + sum_s (discharge - charge) = demand + network losses;
* existing units: p_min <= heat <= capacity x availability (0 once retired); candidates:
  heat <= availability x cap (must-take / must-run: >= min load x availability x cap);
* extraction CHPs: p >= c_b h, p + c_v h <= P_el (scaled with cap for candidates);
* electricity: el_buy - el_sell = sum_u (el_in - el_out) heat - sum_x (1 - aux) p;
* annual fuel limits: sum w fuel <= limit x hours / 8760;
* storage (Kotzur et al. 2018): soc[k, h] = (1 - l) soc[k, h-1] + eta_c ch - dis / eta_d with
  soc[k, -1] = 0; soc_inter[d+1] = (1 - l)^24 soc_inter[d] + soc[k(d), 23] (cyclic over the
  year, k(d) the typical day of calendar day d); soc_inter[d] + soc_max[k(d)] <= E and
  (1 - l)^24 soc_inter[d] + soc_min[k(d)] >= 0; charge, discharge <= ratio x E;
* Art. 26(1): with one essential alternative, each of its conditions (groups G, share x) is
  sum w (q_uG - x - margin_p) heat >= 0; with several, hull form (Balas) on the annual
  group heats: G_g = sum_a G[a, g], each part meets its alternative homogeneously
  (sum_{g in G} G[a, g] >= (x + margin) sum_g G[a, g]) and sum_g G[a, g] <= z_a 2 x need,
  sum_a z_a = 1, z binary (enforced by branch and bound in :meth:`PathwayModel.solve`);
  Art. 26(2): sum w e_u heat <= (1 - margin) limit x heat delivered; the scenario's own share
  requirements in every period;

Objective (EUR, discounted to the base year at rate r, constant prices):

  sum_p W_p OPEX_p + sum_{c, v} build[c, v] (CAPEX_c CRF(r, L_c) + FOM_c) sum_p A[c, p, v] W_p

with W_p = sum over the years of period p within the horizon of (1 + r)^-(year - base year)
and OPEX_p the annual variable cost (fuel, ETS, variable O&M, electricity bought at price +
fee minus electricity sold). Investment is paid as annuities over the years in which it is
active within the horizon, so that no residual value is needed.

Elastic mode adds penalised slack for unserved heat and for share / GHG shortfalls, to say
which period cannot be made efficient and by how much.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from heatpath.dispatch.build import capital_recovery_factor
from heatpath.model.schema import CHPExtraction, ShareRequirement, System, WasteHeat
from heatpath.planning.pathway_spec import Candidate
from heatpath.planning.typical import HOURS, TypicalDays

#: Penalty for unserved heat in the elastic model, EUR per MWh.
UNSERVED_PENALTY = 1.0e5
#: Penalty for missing qualifying heat / excess emissions in the elastic model, EUR per MWh/t.
SHORTFALL_PENALTY = 2.0e4


@dataclass
class PeriodData:
    """Hourly data of one planning period (full year of the scenario's snapshots).

    Attributes
    ----------
    year : int
        First year of the period (its EED criteria and classification year).
    last_year : int
        Last year represented by the period.
    system : System
        Period system: candidates extendable, retired components at size 0.
    alternatives : list of (str, list of ShareRequirement)
        Essential Art. 26(1) alternatives of ``year`` (empty if not enforced).
    requirements : list of ShareRequirement
        The scenario's own share requirements.
    ghg_limit_t_per_mwh : float, optional
        Art. 26(2) limit, t per MWh delivered.
    emission_t_per_mwh : Series, optional
        Direct emissions per MWh of heat per unit.
    fractions : DataFrame
        Units x EED groups counting fractions.
    need, demand, el_price : ndarray
        Hourly heat into the network needed (demand + network losses), heat delivered (MW),
        electricity price (EUR/MWh).
    fee : float
        Electricity fee on purchases, EUR/MWh.
    p_max, p_min, avail, fuel_cost, ets_cost, om_cost, net_el, fuel_per_heat : ndarray
        Hourly x units tables (MW, -, EUR/MWh of heat, MWh/MWh).
    chp_fuel_price, chp_ets_price : ndarray
        Hourly x extraction CHPs: fuel price and ETS cost per MWh of fuel, EUR/MWh.
    margin : float
        Extra share (or GHG fraction) demanded in this period (repair after validation).
    """

    year: int
    last_year: int
    system: System
    alternatives: list[tuple[str, list[ShareRequirement]]]
    requirements: list[ShareRequirement]
    ghg_limit_t_per_mwh: float | None
    emission_t_per_mwh: pd.Series | None
    fractions: pd.DataFrame
    need: np.ndarray
    demand: np.ndarray
    el_price: np.ndarray
    fee: float
    p_max: np.ndarray
    p_min: np.ndarray
    avail: np.ndarray
    fuel_cost: np.ndarray
    ets_cost: np.ndarray
    om_cost: np.ndarray
    net_el: np.ndarray
    fuel_per_heat: np.ndarray
    chp_fuel_price: np.ndarray
    chp_ets_price: np.ndarray
    margin: float = 0.0


@dataclass
class ModelSolution:
    """Solution of the planning model (numbers only; :class:`~heatpath.planning.pathway.Plan`
    turns it into tables)."""

    status: str
    condition: str
    objective_eur: float
    build: pd.DataFrame          # candidates x vintages, MW or MWh
    capacity: pd.DataFrame       # candidates x periods, installed (incl. existing)
    heat_mwh: pd.DataFrame       # periods x units, annual (weighted) heat
    costs: pd.DataFrame          # periods x cost items, EUR per year (undiscounted)
    chosen: dict[int, str]       # period -> alternative id ('' if none enforced)
    shortfall: dict[int, dict[str, float]] = field(default_factory=dict)
    unserved_mwh: dict[int, float] = field(default_factory=dict)
    storage_loss_mwh: dict[int, float] = field(default_factory=dict)
    solve_s: float = 0.0
    elastic: bool = False
    n_lp: int = 1


def _is_infeasible(cond: object) -> bool:
    return "infeasible" in str(cond).lower()


def discount_factors(years: list[int], end_year: int, base_year: int,
                     rate: float) -> np.ndarray:
    """Period weights W_p = sum_{y = y_p}^{y_{p+1} - 1} (1 + r)^-(y - base_year).

    Parameters
    ----------
    years : list of int
        First years of the periods, increasing.
    end_year : int
        Last year of the horizon (inclusive).
    base_year : int
        Year to which costs are discounted.
    rate : float
        Real discount rate per year.
    """
    bounds = [*years[1:], end_year + 1]
    out = []
    for y0, y1 in zip(years, bounds, strict=True):
        ys = np.arange(y0, y1)
        out.append(float(np.sum((1.0 + rate) ** -(ys - base_year))))
    return np.asarray(out)


def activity(cands: list[Candidate], years: list[int]) -> np.ndarray:
    """A[c, p, v] = 1 if capacity built in period v is active in period p."""
    y = np.asarray(years)
    life = np.asarray([c.lifetime_years for c in cands]).reshape(-1, 1, 1)
    yp = y.reshape(1, -1, 1)
    yv = y.reshape(1, 1, -1)
    return ((yv <= yp) & (yp < yv + life)).astype(float)


class PathwayModel:
    """Builds and solves the multi-period model; see the module docstring."""

    def __init__(self, periods: list[PeriodData], candidates: list[Candidate],
                 td: TypicalDays, *, rate: float, base_year: int, end_year: int,
                 retirements: dict[str, int] | None = None, elastic: bool = False) -> None:
        self.retirements = dict(retirements or {})
        self.periods = periods
        self.cands = candidates
        self.td = td
        self.rate = rate
        self.base_year = base_year
        self.end_year = end_year
        self.elastic = elastic
        self.years = [p.year for p in periods]
        sys0 = periods[0].system
        self.units = list(sys0.units)
        self.storages = list(sys0.storages)
        self.weights_p = discount_factors(self.years, end_year, base_year, rate)
        self.binaries: dict[int, tuple[linopy.Variable, list[str]]] = {}
        self.annual_per_size: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._cache: dict[tuple[str, bool], np.ndarray] = {}
        self.alt_lhs: dict[tuple[int, str], list[linopy.LinearExpression]] = {}
        self.need_total: dict[int, float] = {}
        self.m = linopy.Model(force_dim_names=True)
        self._build()

    # ------------------------------------------------------------------ helpers
    def _red(self, arr: np.ndarray, preserve_sum: bool = False) -> np.ndarray:
        return self.td.reduce(arr, preserve_sum=preserve_sum)

    def _stack(self, name: str, preserve_sum: bool = True) -> np.ndarray:
        """Typical-day values of an hourly table for every period: (P, K, 24[, n]).

        Non-peak typical days are scaled so that annual sums (means) are kept (prices,
        COPs, availabilities: solar yield); availabilities and capacity limits are then
        clipped to their hourly maximum over the year, so that no typical hour offers more
        than the real year does.
        """
        key = (name, preserve_sum)
        if key not in self._cache:
            out = []
            for p in self.periods:
                raw = np.asarray(getattr(p, name), float)
                red = self._red(raw, preserve_sum)
                if name in ("avail", "p_max", "p_min"):
                    red = np.minimum(red, raw.max(axis=0))
                out.append(red)
            self._cache[key] = np.stack(out)
        return self._cache[key]

    def _da(self, arr: np.ndarray, last: str | None = None,
            labels: list[str] | None = None) -> xr.DataArray:
        coords = {"period": self.years, "cluster": np.arange(self.td.n_clusters),
                  "hour": np.arange(HOURS)}
        dims = ["period", "cluster", "hour"]
        if last is not None:
            coords[last] = labels
            dims.append(last)
        return xr.DataArray(arr, coords=coords, dims=dims)

    # ------------------------------------------------------------------ model
    def _build(self) -> None:  # noqa: C901 - one formulation, kept in one place
        m, td = self.m, self.td
        P = pd.Index(self.years, name="period")
        names = [u.name for u in self.units]
        U = pd.Index(names, name="unit")
        w = xr.DataArray(td.weights, coords={"cluster": np.arange(td.n_clusters)},
                         dims="cluster")
        Wp = xr.DataArray(self.weights_p, coords={"period": self.years}, dims="period")
        self.w, self.Wp = w, Wp

        need = self._da(self._stack("need", preserve_sum=True))
        self.need_da = need
        self.demand_da = self._da(self._stack("demand", preserve_sum=True))
        avail = self._da(self._stack("avail"), "unit", names)
        p_max = self._stack("p_max")
        p_min = self._stack("p_min")
        cand_u = [c for c in self.cands if c.component == "unit"]
        cand_s = [c for c in self.cands if c.component == "storage"]
        cu_names = [c.name for c in cand_u]
        upper = p_max.copy()
        lower = p_min.copy()
        for c in cand_u:
            j = names.index(c.name)
            pot = c.potential
            upper[..., j] = np.inf if not np.isfinite(pot) else pot * avail.values[..., j]
            lower[..., j] = 0.0
        heat = m.add_variables(lower=self._da(lower, "unit", names),
                               upper=self._da(upper, "unit", names), name="heat")
        self.heat = heat
        cost_u = self._da(self._stack("fuel_cost") + self._stack("ets_cost")
                          + self._stack("om_cost"), "unit", names)
        op = (w * cost_u * heat).sum(["cluster", "hour", "unit"])

        # ---- investments ------------------------------------------------------------
        invest = 0
        self.cap_expr: dict[str, linopy.Variable] = {}
        self.build_vars: dict[str, linopy.Variable] = {}
        for comp, group in (("unit", cand_u), ("storage", cand_s)):
            if not group:
                continue
            idx = pd.Index([c.name for c in group], name=comp)
            V = pd.Index(self.years, name="vintage")
            ub = np.array([[np.inf if (c.earliest_year is None or y >= c.earliest_year)
                            else 0.0 for y in self.years] for c in group])
            pot = np.array([c.potential for c in group]).reshape(-1, 1)
            ub = np.minimum(ub, pot)
            build = m.add_variables(lower=0.0, upper=xr.DataArray(ub, coords=[idx, V]),
                                    name=f"build_{comp}")
            A = activity(group, self.years)
            A_da = xr.DataArray(A, coords=[idx, P, V])
            existing = np.array([[c.existing * (0.0 if self._retired(c.name, y) else 1.0)
                                  for y in self.years] for c in group])
            # installed size per period as its own variable: it appears in every hour of its
            # period, the builds only in this definition (keeps the columns sparse)
            cap = m.add_variables(lower=0.0, coords=[idx, P], name=f"capacity_{comp}")
            m.add_constraints(cap - (A_da * build).sum("vintage")
                              == xr.DataArray(existing, coords=[idx, P]),
                              name=f"capacity_{comp}_def")
            self.cap_expr[comp] = cap
            self.build_vars[comp] = build
            finite = [c.name for c in group if np.isfinite(c.potential)]
            if finite:
                f_idx = pd.Index(finite, name=comp)
                potv = xr.DataArray([c.potential for c in group if c.name in finite],
                                    coords=[f_idx])
                m.add_constraints(cap.sel({comp: f_idx}) <= potv, name=f"potential_{comp}")
            mins = np.array([[c.minimum if (c.earliest_year is None or y >= c.earliest_year)
                              else 0.0 for y in self.years] for c in group])
            if np.any(mins > 0):
                m.add_constraints(cap >= xr.DataArray(mins, coords=[idx, P]),
                                  name=f"minimum_{comp}")
            per_size = np.array([c.capex_per_size * capital_recovery_factor(
                self.rate, c.lifetime_years) + c.fixed_om_per_size_yr for c in group])
            k_cv = per_size.reshape(-1, 1) * np.einsum("cpv,p->cv", A, self.weights_p)
            self.annual_per_size[comp] = (per_size, A)
            invest = invest + (xr.DataArray(k_cv, coords=[idx, V]) * build).sum()

        if cand_u:
            cu_idx = pd.Index(cu_names, name="unit")
            cap_u = self.cap_expr["unit"]
            av_c = avail.sel(unit=cu_idx)
            m.add_constraints(heat.sel(unit=cu_idx) - av_c * cap_u <= 0,
                              name="candidate_capacity")
            forced = [(u, 1.0) for u in self.units if u.name in cu_names
                      and isinstance(u, WasteHeat) and u.must_take]
            forced += [(u, u.min_load) for u in self.units if u.name in cu_names
                       and u.must_run and u.min_load > 0 and not isinstance(u, CHPExtraction)]
            if forced:
                f_idx = pd.Index([u.name for u, _ in forced], name="unit")
                fl = xr.DataArray([f for _, f in forced], coords=[f_idx])
                m.add_constraints(heat.sel(unit=f_idx) - fl * avail.sel(unit=f_idx)
                                  * cap_u.sel(unit=f_idx) >= 0, name="candidate_must_run")

        # ---- extraction CHPs ------------------------------------------------------------
        xs = [u for u in self.units if isinstance(u, CHPExtraction)]
        el_extra = None
        self.chp = None
        if xs:
            x_names = [u.name for u in xs]
            x_idx = pd.Index(x_names, name="unit")
            av_x = avail.sel(unit=x_idx)
            el_max = np.zeros((len(self.years), len(xs)))
            for i, p in enumerate(self.periods):
                for u in p.system.units:
                    if u.name in x_names and u.name not in cu_names:
                        el_max[i, x_names.index(u.name)] = (
                            u.el_capacity_mw if u.capacity_mw > 0 else 0.0)
            el_max_da = xr.DataArray(el_max, coords=[P, x_idx])
            p_el = m.add_variables(lower=0.0, coords=[P, need.cluster.to_index(),
                                                      need.hour.to_index(), x_idx],
                                   name="chp_el")
            hx = heat.sel(unit=x_idx)
            cb = xr.DataArray([u.power_to_heat for u in xs], coords=[x_idx])
            cv = xr.DataArray([u.power_loss for u in xs], coords=[x_idx])
            eta = xr.DataArray([u.el_efficiency for u in xs], coords=[x_idx])
            m.add_constraints(p_el - cb * hx >= 0, name="chp_bp")
            fixed_x = [n for n in x_names if n not in cu_names]
            if fixed_x:
                fx = pd.Index(fixed_x, name="unit")
                m.add_constraints(p_el.sel(unit=fx) + cv.sel(unit=fx) * hx.sel(unit=fx)
                                  - av_x.sel(unit=fx) * el_max_da.sel(unit=fx) <= 0,
                                  name="chp_cv")
            cand_x = [u for u in xs if u.name in cu_names]
            if cand_x:
                cx = pd.Index([u.name for u in cand_x], name="unit")
                ratio = xr.DataArray([u.el_capacity_mw / max(u.capacity_mw, 1e-9)
                                      for u in cand_x], coords=[cx])
                m.add_constraints(p_el.sel(unit=cx) + cv.sel(unit=cx) * hx.sel(unit=cx)
                                  - ratio * av_x.sel(unit=cx)
                                  * self.cap_expr["unit"].sel(unit=cx) <= 0,
                                  name="chp_cv_candidate")
            fuel_x = (p_el + cv * hx) / eta
            price_x = self._da(self._stack("chp_fuel_price") + self._stack("chp_ets_price"),
                               "unit", x_names)
            op = op + (w * price_x * fuel_x).sum(["cluster", "hour", "unit"])
            alpha = xr.DataArray([1.0 - u.aux_el_fraction for u in xs], coords=[x_idx])
            el_extra = (alpha * p_el).sum("unit")
            self.chp = (p_el, fuel_x, x_names)

        # ---- annual fuel limits ---------------------------------------------------------
        hours_frac = self.td.n_days * HOURS / 8760.0
        fph = self._da(self._stack("fuel_per_heat"), "unit", names)
        for i, u in enumerate(self.units):
            if u.annual_fuel_max_mwh is None:
                continue
            if self.chp is not None and u.name in self.chp[2]:
                fexpr = (w * self.chp[1].sel(unit=u.name)).sum(["cluster", "hour"])
            else:
                fexpr = (w * fph.sel(unit=u.name) * heat.sel(unit=u.name)).sum(
                    ["cluster", "hour"])
            m.add_constraints(fexpr <= u.annual_fuel_max_mwh * hours_frac,
                              name=f"fuel_cap_{i}")

        # ---- storages -----------------------------------------------------------------------
        inflow = heat.sum("unit")
        self.storage_vars = None
        if self.storages:
            s_names = [s.name for s in self.storages]
            S = pd.Index(s_names, name="storage")
            cs_names = [c.name for c in cand_s]
            fixed_e = np.array([[0.0 if (s.name in cs_names or self._retired(s.name, y))
                                 else float(s.capacity_mwh) for s in self.storages]
                                for y in self.years])
            is_cand = np.array([s.name in cs_names for s in self.storages])
            lo = np.where(is_cand, 0.0, fixed_e)
            hi = np.where(is_cand, np.inf, fixed_e)
            energy = m.add_variables(lower=xr.DataArray(lo, coords=[P, S]),
                                     upper=xr.DataArray(hi, coords=[P, S]),
                                     name="storage_energy")
            if cand_s:
                csi = pd.Index(cs_names, name="storage")
                m.add_constraints(energy.sel(storage=csi) - self.cap_expr["storage"] == 0,
                                  name="storage_candidate_energy")
            nominal = [s.capacity_mwh or 1.0 for s in self.storages]
            cr = xr.DataArray([s.charge_mw / n for s, n in zip(self.storages, nominal,
                                                                strict=True)], coords=[S])
            dr = xr.DataArray([s.discharge_mw / n for s, n in zip(self.storages, nominal,
                                                                   strict=True)], coords=[S])
            K = need.cluster.to_index()
            H = need.hour.to_index()
            ch = m.add_variables(lower=0.0, coords=[P, K, H, S], name="charge")
            dis = m.add_variables(lower=0.0, coords=[P, K, H, S], name="discharge")
            soc = m.add_variables(coords=[P, K, H, S], name="soc")
            smax = m.add_variables(coords=[P, K, S], name="soc_max")
            smin = m.add_variables(coords=[P, K, S], name="soc_min")
            D = pd.Index(np.arange(td.n_days), name="day")
            inter = m.add_variables(lower=0.0, coords=[P, D, S], name="soc_inter")
            keep = xr.DataArray([1.0 - float(s.standing_loss_per_h or 0.0)
                                 for s in self.storages], coords=[S])
            keep24 = keep ** HOURS
            eta_c = xr.DataArray([s.charge_efficiency for s in self.storages], coords=[S])
            eta_d = xr.DataArray([s.discharge_efficiency for s in self.storages], coords=[S])
            notfirst = xr.DataArray((np.arange(HOURS) > 0).astype(float), coords=[H])
            m.add_constraints(ch - cr * energy <= 0, name="charge_max")
            m.add_constraints(dis - dr * energy <= 0, name="discharge_max")
            m.add_constraints(soc - keep * notfirst * soc.roll(hour=1) - eta_c * ch
                              + dis / eta_d == 0, name="soc_intra")
            m.add_constraints(soc - smax <= 0, name="soc_max_def")
            m.add_constraints(soc - smin >= 0, name="soc_min_def")
            dmap = xr.DataArray(td.day_cluster, coords={"day": D}, dims="day")
            end = soc.isel(hour=HOURS - 1).isel(cluster=dmap)
            m.add_constraints(inter.roll(day=-1) - keep24 * inter - end == 0,
                              name="soc_inter_chain")
            m.add_constraints(inter + smax.isel(cluster=dmap) - energy <= 0,
                              name="soc_inter_max")
            m.add_constraints(keep24 * inter + smin.isel(cluster=dmap) >= 0,
                              name="soc_inter_min")
            inflow = inflow + dis.sum("storage") - ch.sum("storage")
            self.storage_vars = (ch, dis, energy)

        self.unserved = None
        if self.elastic:
            self.unserved = m.add_variables(lower=0.0, coords=[P, need.cluster.to_index(),
                                                               need.hour.to_index()],
                                            name="unserved")
            inflow = inflow + self.unserved
            op_pen = UNSERVED_PENALTY * (w * self.unserved).sum(["cluster", "hour"])
        m.add_constraints(inflow == need, name="heat_balance")

        # ---- electricity ----------------------------------------------------------------
        net_el = self._da(self._stack("net_el"), "unit", names)
        self.el = None
        if np.any(net_el.values != 0) or el_extra is not None:
            prices = self.periods[0].system.prices
            imp, exp = prices.grid_import_limit_mw, prices.grid_export_limit_mw
            coords = [P, need.cluster.to_index(), need.hour.to_index()]
            el_buy = m.add_variables(lower=0.0, upper=np.inf if imp is None else imp,
                                     coords=coords, name="el_buy")
            el_sell = m.add_variables(lower=0.0, upper=np.inf if exp is None else exp,
                                      coords=coords, name="el_sell")
            lhs = el_buy - el_sell - (net_el * heat).sum("unit")
            if el_extra is not None:
                lhs = lhs + el_extra
            m.add_constraints(lhs == 0, name="el_balance")
            pel = self._da(self._stack("el_price"))
            fee = xr.DataArray([p.fee for p in self.periods], coords=[P])
            op = op + (w * ((pel + fee) * el_buy - pel * el_sell)).sum(["cluster", "hour"])
            self.el = (el_buy, el_sell, pel, fee)

        # ---- EED criteria per period ------------------------------------------------------
        penalties = 0
        self.short_vars: dict[tuple[int, str], linopy.Variable] = {}
        for i, p in enumerate(self.periods):
            hp = heat.sel(period=p.year)
            fr = p.fractions.reindex(index=names).fillna(0.0)
            annual_need = float(self.td.weighted_sum(need.sel(period=p.year).values))
            big_m_base = 2.0 * annual_need

            def share_lhs(req: ShareRequirement, extra: float, fr: pd.DataFrame = fr,
                          hp: linopy.Variable = hp) -> linopy.LinearExpression:
                q = fr[list(req.groups)].sum(axis=1) - req.min_share - extra
                qa = xr.DataArray(q.to_numpy(), coords=[U])
                return (w * qa * hp).sum()

            def elastic_term(lhs: linopy.LinearExpression, key: str,
                             i: int = i, year: int = p.year) -> linopy.LinearExpression:
                nonlocal penalties
                if not self.elastic:
                    return lhs
                s = m.add_variables(lower=0.0, name=f"short_{year}_{len(self.short_vars)}")
                self.short_vars[(year, key)] = s
                penalties = penalties + SHORTFALL_PENALTY * self.weights_p[i] * s
                return lhs + s

            for k, req in enumerate(p.requirements):
                m.add_constraints(elastic_term(share_lhs(req, 0.0), req.label) >= 0,
                                  name=f"requirement_{p.year}_{k}")
            alts = p.alternatives
            if len(alts) == 1:
                aid, reqs = alts[0]
                for k, req in enumerate(reqs):
                    lhs = elastic_term(share_lhs(req, p.margin), req.label)
                    m.add_constraints(lhs >= 0, name=f"eed_{p.year}_{k}")
            elif len(alts) > 1:
                # Disjunction in hull form (Balas) on the annual group heats G_g: split them
                # into one part per alternative, G_g = sum_a G[a, g]; each part meets its
                # alternative's conditions homogeneously; the binary z_a switches part a
                # off (sum_g G[a, g] <= z_a * 2 x annual need). Its LP relaxation is the convex
                # hull of the union of the alternatives' cones, much tighter than big-M.
                ids = [a for a, _ in alts]
                A_idx = pd.Index(ids, name="alternative")
                G_idx = pd.Index(list(fr.columns), name="group")
                # 0..1 here; integrality is enforced by branching in solve()
                z = m.add_variables(lower=0.0, upper=1.0, coords=[A_idx],
                                    name=f"choose_{p.year}")
                self.binaries[p.year] = (z, ids)
                self.need_total[p.year] = annual_need
                m.add_constraints(z.sum() == 1, name=f"choose_one_{p.year}")
                part = m.add_variables(lower=0.0, coords=[A_idx, G_idx],
                                       name=f"group_heat_part_{p.year}")
                qg = xr.DataArray(fr.to_numpy(), coords=[U, G_idx])
                group_heat = (w * qg * hp).sum(["cluster", "hour", "unit"])
                m.add_constraints(part.sum("alternative") - group_heat == 0,
                                  name=f"group_heat_split_{p.year}")
                m.add_constraints(part.sum("group") - big_m_base * z <= 0,
                                  name=f"group_heat_switch_{p.year}")
                for aid, reqs in alts:
                    pa = part.sel(alternative=aid, drop=True)
                    for k, req in enumerate(reqs):
                        self.alt_lhs.setdefault((p.year, aid), []).append(
                            share_lhs(req, p.margin))
                        inside = xr.DataArray([1.0 if g in req.groups else 0.0
                                               for g in G_idx], coords=[G_idx])
                        coef = inside - req.min_share - p.margin
                        lhs = elastic_term((coef * pa).sum(), req.label)
                        m.add_constraints(lhs >= 0,
                                          name=f"eed_{p.year}_{aid.replace('.', '_')}_{k}")
            if p.ghg_limit_t_per_mwh is not None and p.emission_t_per_mwh is not None:
                e = xr.DataArray(p.emission_t_per_mwh.reindex(names).fillna(0.0).to_numpy(),
                                 coords=[U])
                delivered = float(self.td.weighted_sum(self.demand_da.sel(
                    period=p.year).values))
                limit = max(p.ghg_limit_t_per_mwh * (1.0 - p.margin), 0.0) * delivered
                lhs = (w * e * hp).sum()
                if self.elastic:
                    ex = m.add_variables(lower=0.0, name=f"short_{p.year}_ghg")
                    self.short_vars[(p.year, "ghg")] = ex
                    penalties = penalties + SHORTFALL_PENALTY * self.weights_p[i] * ex
                    lhs = lhs - ex
                m.add_constraints(lhs <= limit, name=f"ghg_{p.year}")

        self.op = op
        total = (Wp * op).sum() + invest + penalties
        if self.elastic:
            total = total + (Wp * op_pen).sum()
        m.add_objective(total)

    def _retired(self, name: str, year: int) -> bool:
        return name in self.retirements and year >= self.retirements[name]

    # ------------------------------------------------------------------ solve
    def solve(self, *, mip_rel_gap: float = 1e-4, time_limit_s: float | None = None,
              log: Callable[[str], None] | None = None) -> ModelSolution:
        """Solve with HiGHS; return the solution (status 'ok' or the solver's status).

        The alternative choices are solved by branch and bound over LPs (interior point
        with crossover): the LP relaxation (choices in 0..1) first; while a period's choice
        is fractional, branch on the most fractional period (one LP per alternative),
        pruning branches whose LP bound is not better than the incumbent by
        ``mip_rel_gap``. The relaxation is usually integral already (one LP). This is
        several times faster than HiGHS' MIP on these models, whose root LP uses dual
        simplex (measured on the Bucharest pathway: 46 s vs 210 s for the root).
        """
        import time

        t0 = time.perf_counter()
        lp = _HighsLP(self.m)
        self.lp = lp
        best: ModelSolution | None = None
        best_obj = math.inf
        stack: list[dict[int, str]] = [{}]
        n_lp = 0
        root_cond = ""
        while stack:
            fixed = stack.pop()
            for year, (z, ids) in self.binaries.items():
                v = np.array([1.0 if a == fixed.get(year) else 0.0 for a in ids])
                lp.set_bounds(z, v if year in fixed else np.zeros(len(ids)),
                              v if year in fixed else np.ones(len(ids)))
            ts = time.perf_counter()
            status, cond = lp.run(time_limit_s)
            n_lp += 1
            if log is not None:
                txt = f"{lp.objective:,.0f}" if status == "ok" else cond
                log(f"LP {n_lp} {fixed or 'relaxation'}: {txt} "
                    f"({time.perf_counter() - ts:.1f} s)")
            if n_lp == 1:
                root_cond = cond
            if status != "ok":
                if n_lp == 1 and not _is_infeasible(cond):
                    return self._failed(status, cond, time.perf_counter() - t0)
                continue
            obj = lp.objective
            if obj >= best_obj - mip_rel_gap * abs(best_obj):
                continue
            frac = {}
            met: dict[int, str] = {}
            for year, (z, ids) in self.binaries.items():
                if year in fixed:  # settled by the branch (elastic: possibly short)
                    met[year] = fixed[year]
                    continue
                vals = np.asarray(lp.value(z).values, float)
                # a period is settled when the dispatch meets an alternative in full, whatever
                # the value of its (then slack) choice variables
                tol = 1e-7 * self.need_total[year]
                ok = [a for a in ids if all(float(lp.value(e)) >= -tol
                                            for e in self.alt_lhs[(year, a)])]
                if ok:
                    met[year] = max(ok, key=lambda a, v=vals, i=ids: v[i.index(a)])
                else:
                    frac[year] = vals
            if not frac:
                best_obj = obj
                best = self._extract("ok", cond, 0.0)
                best.chosen.update(met)
                continue
            year = min(frac, key=lambda y: frac[y].max())
            ids = self.binaries[year][1]
            for i in np.argsort(frac[year]):  # most promising branch last = explored first
                stack.append({**fixed, year: ids[int(i)]})
        dt = time.perf_counter() - t0
        if best is None:
            return self._failed("warning", root_cond if n_lp == 1 else "infeasible", dt)
        best.solve_s = dt
        best.n_lp = n_lp
        return best

    def _failed(self, status: str, cond: str, dt: float) -> ModelSolution:
        return ModelSolution(status, cond, float("nan"), pd.DataFrame(), pd.DataFrame(),
                             pd.DataFrame(), pd.DataFrame(), {}, solve_s=dt,
                             elastic=self.elastic)

    def _extract(self, status: str, cond: str, dt: float) -> ModelSolution:
        w = self.w
        names = [u.name for u in self.units]
        val = self.lp.value
        heat = val(self.heat)  # period, cluster, hour, unit
        heat_mwh = (w * heat).sum(["cluster", "hour"]).to_pandas()
        heat_mwh = heat_mwh.reindex(columns=names)
        build_rows, cap_rows = {}, {}
        for comp, var in self.build_vars.items():
            b = val(var).to_pandas()
            b.columns = self.years
            build_rows.update({n: b.loc[n] for n in b.index})
            cap = val(self.cap_expr[comp]).transpose(comp, "period").to_pandas()
            cap_rows.update({n: cap.loc[n] for n in cap.index})
        build = pd.DataFrame(build_rows).T.reindex(columns=self.years)
        capacity = pd.DataFrame(cap_rows).T.reindex(columns=self.years)
        build = build.clip(lower=0.0)
        capacity = capacity.clip(lower=0.0)

        costs = pd.DataFrame(index=self.years, dtype=float)
        stacks = {k: self._da(self._stack(k), "unit", names)
                  for k in ("fuel_cost", "ets_cost", "om_cost")}
        for k, arr in stacks.items():
            costs[k.replace("_cost", "")] = (w * arr * heat).sum(
                ["cluster", "hour", "unit"]).to_pandas()
        if self.chp is not None:
            p_el, fuel_x, x_names = self.chp
            fx = val(fuel_x)
            for col, key in (("fuel", "chp_fuel_price"), ("ets", "chp_ets_price")):
                price = self._da(self._stack(key), "unit", x_names)
                costs[col] += (w * price * fx).sum(["cluster", "hour", "unit"]).to_pandas()
        if self.el is not None:
            el_buy, el_sell, pel, fee = self.el
            costs["electricity_purchase"] = (w * (pel + fee) * val(el_buy)).sum(
                ["cluster", "hour"]).to_pandas()
            costs["electricity_revenue"] = (w * pel * val(el_sell)).sum(
                ["cluster", "hour"]).to_pandas()
        else:
            costs["electricity_purchase"] = 0.0
            costs["electricity_revenue"] = 0.0
        costs["operating"] = (costs["fuel"] + costs["ets"] + costs["om"]
                              + costs["electricity_purchase"] - costs["electricity_revenue"])
        annuity = pd.Series(0.0, index=self.years)
        for comp, (per_size, A) in self.annual_per_size.items():
            b = val(self.build_vars[comp]).values  # c, v
            annuity += np.einsum("cpv,cv,c->p", A, b, per_size)
        costs["investment_annuity"] = annuity.to_numpy()
        costs["total_annual"] = costs["operating"] + costs["investment_annuity"]
        costs["discount_weight"] = self.weights_p
        costs["discounted"] = costs["total_annual"] * self.weights_p

        chosen: dict[int, str] = {}
        for p in self.periods:
            if p.year in self.binaries:
                z, ids = self.binaries[p.year]
                vals = val(z).values
                chosen[p.year] = ids[int(np.argmax(vals))]
            elif p.alternatives:
                chosen[p.year] = p.alternatives[0][0]
            else:
                chosen[p.year] = ""
        shortfall: dict[int, dict[str, float]] = {}
        for (year, key), var in self.short_vars.items():
            v = float(val(var))
            if v > 1e-6:
                shortfall.setdefault(year, {})[key] = v
        unserved: dict[int, float] = {}
        if self.unserved is not None:
            un = (w * val(self.unserved)).sum(["cluster", "hour"]).to_pandas()
            unserved = {int(k): float(v) for k, v in un.items() if v > 1e-6}
        st_loss: dict[int, float] = {}
        if self.storage_vars is not None:
            ch, dis, _ = self.storage_vars
            loss = (w * (val(ch) - val(dis))).sum(["cluster", "hour", "storage"])
            st_loss = {int(k): float(v) for k, v in loss.to_pandas().items()}
        obj = self.lp.objective
        return ModelSolution(status, cond, obj, build, capacity, heat_mwh, costs, chosen,
                             shortfall, unserved, st_loss, dt, self.elastic)


class _HighsLP:
    """The model handed to HiGHS once (highspy), re-solved after bound changes with a warm
    start; solution values are mapped back to linopy variables and expressions by label."""

    def __init__(self, m: linopy.Model) -> None:
        from heatpath.dispatch.solve import quiet_stdout

        with quiet_stdout(True):
            self.h = m.to_highspy()
        self.h.setOptionValue("output_flag", False)
        self.labels = np.asarray(m.matrices.vlabels)
        self.full = np.full(int(self.labels.max()) + 1 if len(self.labels) else 0, np.nan)
        self.objective = math.nan

    def columns(self, var: linopy.Variable) -> np.ndarray:
        """HiGHS column positions of a variable's labels (flattened)."""
        return np.searchsorted(self.labels, np.asarray(var.labels.values).ravel()).astype(
            np.int32)

    def set_bounds(self, var: linopy.Variable, lower: np.ndarray, upper: np.ndarray) -> None:
        """Change the bounds of a variable's columns."""
        cols = self.columns(var)
        self.h.changeColsBounds(len(cols), cols, np.asarray(lower, float).ravel(),
                                np.asarray(upper, float).ravel())

    def run(self, time_limit_s: float | None) -> tuple[str, str]:
        """Solve: interior point + crossover (dual simplex if that fails)."""
        import highspy

        from heatpath.dispatch.solve import quiet_stdout

        h = self.h
        if time_limit_s is not None:
            h.setOptionValue("time_limit", float(time_limit_s))
        # interior point from scratch beats a warm-started dual simplex after the bound
        # changes of a branch on these models (measured: 20 s vs 15-77 s per LP)
        attempts = [{"solver": "ipm", "run_crossover": "on"},
                    {"solver": "simplex", "simplex_strategy": 1}]
        status = h.getModelStatus()
        for opts in attempts:
            for k, v in opts.items():
                h.setOptionValue(k, v)
            with quiet_stdout(True):
                h.run()
            status = h.getModelStatus()
            if status in (highspy.HighsModelStatus.kOptimal,
                          highspy.HighsModelStatus.kInfeasible,
                          highspy.HighsModelStatus.kTimeLimit):
                break
            h.clearSolver()
        text = h.modelStatusToString(status)
        if status == highspy.HighsModelStatus.kOptimal:
            self.full[self.labels] = np.asarray(h.getSolution().col_value, float)
            self.objective = float(h.getInfo().objective_function_value)
            return "ok", "optimal"
        if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
            return "warning", "infeasible_or_unbounded"
        return "warning", text.lower()

    def value(self, x: linopy.Variable | linopy.LinearExpression) -> xr.DataArray:
        """Solution value of a variable or linear expression (same coordinates)."""
        if isinstance(x, linopy.Variable):
            lab = x.labels
            vals = np.where(lab.values >= 0, self.full[np.maximum(lab.values, 0)], np.nan)
            return xr.DataArray(vals, coords=lab.coords, dims=lab.dims)
        vars_ = x.vars
        v = np.where(vars_.values >= 0, self.full[np.maximum(vars_.values, 0)], 0.0)
        terms = x.coeffs * xr.DataArray(v, coords=vars_.coords, dims=vars_.dims)
        return terms.sum("_term") + x.const
