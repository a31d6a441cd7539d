"""Build the hourly dispatch model of a system with linopy (vectorised, no loop over hours).

Variables (dimension ``snapshot`` x ``unit`` / ``storage``):

* ``heat[t, u]`` — heat of unit u into the network, MW (= MWh per 1 h step);
* ``chp_el[t, x]`` — gross electricity of extraction CHPs / CCGTs, MW;
* ``charge[t, s]``, ``discharge[t, s]``, ``soc[t, s]`` — storage flows (MW) and content (MWh);
* ``el_buy[t]``, ``el_sell[t]`` — net electricity exchange with the grid, MW;
* ``capacity[u]``, ``storage_capacity[s]`` — sizes of ``extendable`` units (MW) and storages
  (MWh);
* ``on[t, c]``, ``start[t, c]`` — commitment and start-up (0/1) of units in MILP mode;
  ``stop[t, d]`` (shut-down) only for units d with a minimum down time.

Constraints:

* ``heat_balance``: sum_u heat + sum_s (discharge - charge) = demand + network losses
  (paper, hourly heat balance);
* ``soc``: soc_t = (1 - l_s) soc_{t-1} + eta_c charge_t - discharge_t / eta_d, cyclic year;
* ``el_balance``: el_buy - el_sell = sum_u (el_in - el_out) (CHPs and heat pumps balance
  electricity internally; only the net import pays the distribution fee, paper section 2);
* ``chp_bp`` / ``chp_cv``: extraction-CHP operating region p >= cb h, p + cv h <= P_max;
* ``on_max`` / ``on_min`` (MILP): heat <= P_max on, heat >= min_load P_max on;
  ``on_start``: start_t >= on_t - on_{t-1}; ``on_stop``: stop_t >= on_{t-1} - on_t;
  ``min_up_<unit>`` / ``min_down_<unit>``: minimum up and down times (cyclic year);
* ``fuel_cap``: annual fuel limit (e.g. waste-to-energy: the waste available per year);
* ``share_k``: sum_{t,u} (q_{u,k} - x_k) heat[t, u] >= 0 for each annual share requirement k,
  with q_{u,k} the fraction of unit u's heat counted in the groups of k (EED Art. 26(1));
* ``ghg`` (optional): sum_{t,u} e_u heat[t,u] <= limit * heat delivered (EED Art. 26(2)).

Objective: total variable cost, EUR = sum (fuel + ETS + O&M) + electricity bought
* (price + fee) - electricity sold * price (paper, variable cost of heat) + start costs
+ annualised investment of extendable capacity (capital recovery factor).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from heatpath.dispatch.coefficients import UnitTables, network_losses_mw, unit_tables
from heatpath.model.errors import ScenarioError
from heatpath.model.schema import CHPExtraction, ShareRequirement, Storage, System, Unit

#: Penalty for unserved heat in the elastic (diagnostic) model, EUR/MWh.
UNSERVED_PENALTY = 1.0e5
#: Penalty for missing qualifying heat in the elastic model, EUR/MWh.
SHARE_PENALTY = 1.0e4


def capital_recovery_factor(rate: float, years: float) -> float:
    """Annuity factor r / (1 - (1 + r)^-n) turning an investment into equal yearly payments.

    Parameters
    ----------
    rate : float
        Discount rate per year (fraction), > -1.
    years : float
        Lifetime, years.
    """
    if rate == 0:
        return 1.0 / years
    return rate / (1.0 - (1.0 + rate) ** (-years))


def annual_cost_per_size(component: Unit | Storage, rate: float) -> float:
    """Annualised investment + fixed O&M per MW (unit) or MWh (storage) per year, EUR."""
    crf = capital_recovery_factor(rate, component.lifetime_years)
    if isinstance(component, Storage):
        return crf * component.capex_eur_per_mwh + component.fixed_om_eur_per_mwh_yr
    return crf * component.capex_eur_per_mw + component.fixed_om_eur_per_mw_yr


@dataclass
class DispatchModel:
    """A built dispatch model and the data it was built from."""

    system: System
    model: linopy.Model
    tables: UnitTables
    fractions: pd.DataFrame
    demand_mw: pd.Series
    losses_mw: pd.Series
    requirements: list[ShareRequirement]
    ghg_limit_t_per_mwh: float | None = None
    heat_emission_t_per_mwh: pd.Series | None = None
    elastic: bool = False
    share_constraint_names: dict[str, str] = field(default_factory=dict)


def _da(df: pd.DataFrame, dim: str) -> xr.DataArray:
    return xr.DataArray(
        df.to_numpy(dtype=float),
        coords={"snapshot": df.index.to_numpy(), dim: list(df.columns)},
        dims=("snapshot", dim),
    )


def _vec(values: Sequence[float], index: pd.Index) -> xr.DataArray:
    return xr.DataArray(np.asarray(values, dtype=float), coords={index.name: index},
                        dims=index.name)


def requirement_coefficients(
    fractions: pd.DataFrame, requirement: ShareRequirement
) -> pd.Series:
    """Per-unit coefficient (q_u - x) of a share requirement.

    Parameters
    ----------
    fractions : DataFrame
        Units x EED groups, the fraction of each unit's heat counted in each group.
    requirement : ShareRequirement
        Groups and minimum share x.
    """
    q = fractions[list(requirement.groups)].sum(axis=1)
    return q - requirement.min_share


def fuel_cost_per_mwh(system: System, fuel: str) -> pd.Series:
    """Cost of one MWh of fuel, EUR/MWh: price + ETS on the fossil share of its emissions."""
    f = system.fuels[fuel]
    co2 = f.emission_factor_t_per_mwh * (1.0 - f.biogenic_fraction)
    return system.prices.fuels_eur_per_mwh[fuel] + co2 * system.prices.co2_eur_per_t


def _check_sizing_costs(system: System) -> None:
    """An extendable component must carry its own cost, or the optimiser sees it as free."""
    for c in [*system.units, *system.storages]:
        per = c.capex_eur_per_mwh if isinstance(c, Storage) else c.capex_eur_per_mw
        field = "capex_eur_per_mwh" if isinstance(c, Storage) else "capex_eur_per_mw"
        if c.extendable and per == 0 and c.technology is not None:
            raise ScenarioError(
                f"'{c.name}' is extendable and names technology '{c.technology}' but has no "
                f"{field}: the optimiser would see it as free. Set {field} (the catalogue "
                "figure is in heatpath/data/technologies.csv)",
                file=system.source_file, field=f"{c.name}.{field}", value=per)


def objective_coefficients(system: System, tables: UnitTables | None = None
                           ) -> dict[str, xr.DataArray]:
    """Cost coefficient of every cost-bearing variable of the dispatch model, EUR per unit.

    One formula for the objective, used by :func:`build` and by
    :class:`heatpath.dispatch.reuse.ReusableModel` to update prices in a built model.

    Returns
    -------
    dict
        Variable name -> coefficients (same dimensions as the variable): ``heat`` (fuel,
        ETS, O&M per MWh of heat, EUR/MWh), ``chp_el`` (fuel and ETS per MWh of gross
        electricity of extraction CHPs), ``el_buy`` (price + fee), ``el_sell`` (-price),
        ``start`` (EUR per start), ``capacity`` / ``storage_capacity`` (annualised investment
        and fixed O&M for the modelled fraction of a year, EUR per MW or MWh).
    """
    tables = tables or unit_tables(system)
    snapshots = system.snapshots
    t_idx = pd.Index(snapshots.to_numpy(), name="snapshot")
    year_fraction = len(snapshots) / 8760.0
    rate = system.dispatch.discount_rate
    heat_cost = tables.cost_per_heat.copy()
    out: dict[str, xr.DataArray] = {}
    xs = [u for u in system.units if isinstance(u, CHPExtraction)]
    if xs:
        # fuel = (p + cv h) / eta_el: the heat term adds cv / eta_el per MWh of heat
        per_fuel = pd.DataFrame({u.name: fuel_cost_per_mwh(system, u.fuel).to_numpy()
                                 for u in xs}, index=snapshots)
        out["chp_el"] = _da(per_fuel.div([u.el_efficiency for u in xs], axis=1), "unit")
        for u in xs:
            heat_cost[u.name] += per_fuel[u.name] * u.power_loss / u.el_efficiency
    out["heat"] = _da(heat_cost, "unit")
    p_el = xr.DataArray(system.prices.electricity_eur_per_mwh.to_numpy(),
                        coords={"snapshot": t_idx}, dims="snapshot")
    out["el_buy"] = p_el + system.prices.electricity_fee_eur_per_mwh
    out["el_sell"] = -p_el
    com = [u for u in system.units if u.committed]
    if com:
        out["start"] = _vec([u.start_cost_eur for u in com],
                            pd.Index([u.name for u in com], name="unit"))
    ext = [u for u in system.units if u.extendable]
    if ext:
        out["capacity"] = year_fraction * _vec([annual_cost_per_size(u, rate) for u in ext],
                                               pd.Index([u.name for u in ext], name="unit"))
    sx = [s for s in system.storages if s.extendable]
    if sx:
        out["storage_capacity"] = year_fraction * _vec(
            [annual_cost_per_size(s, rate) for s in sx],
            pd.Index([s.name for s in sx], name="storage"))
    return out


def build(
    system: System,
    fractions: pd.DataFrame,
    requirements: Sequence[ShareRequirement] = (),
    *,
    ghg_limit_t_per_mwh: float | None = None,
    heat_emission_t_per_mwh: pd.Series | None = None,
    elastic: bool = False,
    initial_soc_mwh: pd.Series | None = None,
    terminal_soc_value_eur_per_mwh: pd.Series | None = None,
) -> DispatchModel:
    """Build the dispatch model.

    Parameters
    ----------
    system : System
        Finalised and derived system (every series a pandas Series on ``system.snapshots``).
    fractions : DataFrame
        Units x EED groups counting fractions (from :func:`heatpath.eed.group_fractions`).
    requirements : sequence of ShareRequirement
        Annual share requirements to enforce.
    ghg_limit_t_per_mwh : float, optional
        Art. 26(2) limit on direct emissions per MWh of heat delivered (t/MWh = kg/kWh).
    heat_emission_t_per_mwh : Series, optional
        Direct emissions attributed to each MWh of heat of each unit, t/MWh.
    elastic : bool
        Add penalised slack for unserved heat and share shortfalls (used to explain
        infeasibility).
    initial_soc_mwh : Series, optional
        State of charge per storage before the first snapshot, MWh. When given the horizon
        is not cyclic (rolling-horizon windows); by default the year is cyclic.
    terminal_soc_value_eur_per_mwh : Series, optional
        Value per storage of heat left in store at the end of the horizon, EUR/MWh
        (subtracted from the cost, so that a window does not empty seasonal storage).

    Returns
    -------
    DispatchModel
    """
    tables = unit_tables(system)
    snapshots = system.snapshots
    units = system.units
    names = [u.name for u in units]
    storages = system.storages
    demand = system.demand.heat_mw
    losses = network_losses_mw(system)
    milp = system.dispatch.mode == "milp"
    year_fraction = len(snapshots) / 8760.0
    m = linopy.Model(force_dim_names=True)
    extra_cost: list[linopy.LinearExpression] = []

    t_idx = pd.Index(snapshots.to_numpy(), name="snapshot")
    u_idx = pd.Index(names, name="unit")
    ext = [u for u in units if u.extendable]
    _check_sizing_costs(system)
    upper = tables.p_max.copy()
    for u in ext:
        cmax = np.inf if u.capacity_max_mw is None else u.capacity_max_mw
        a = tables.availability[u.name].to_numpy()
        upper[u.name] = np.where(a > 0, cmax * a, 0.0)  # avoid inf * 0 = NaN
    lower = tables.p_min.copy()
    for u in ext:
        lower[u.name] = 0.0
    heat = m.add_variables(lower=_da(lower, "unit"), upper=_da(upper, "unit"), name="heat")

    # ---- extendable unit capacities ------------------------------------------------------
    if ext:
        e_idx = pd.Index([u.name for u in ext], name="unit")
        cap = m.add_variables(
            lower=_vec([u.capacity_min_mw for u in ext], e_idx),
            upper=_vec([np.inf if u.capacity_max_mw is None else u.capacity_max_mw
                        for u in ext], e_idx), name="capacity")
        avail = _da(tables.availability[e_idx], "unit")
        h_ext = heat.sel(unit=e_idx)
        m.add_constraints(h_ext - avail * cap <= 0, name="capacity_limit")
        mr = [u for u in ext if u.must_run and u.min_load > 0]
        if mr:
            r_idx = pd.Index([u.name for u in mr], name="unit")
            ml = _vec([u.min_load for u in mr], r_idx)
            m.add_constraints(heat.sel(unit=r_idx) - ml * _da(tables.availability[r_idx], "unit")
                              * cap.sel(unit=r_idx) >= 0, name="capacity_must_run")

    # ---- extraction CHPs / CCGTs: second variable (gross electricity) ---------------------
    xs = [u for u in units if isinstance(u, CHPExtraction)]
    el_extra = None
    fuel_exprs: dict[str, linopy.LinearExpression] = {}
    if xs:
        x_idx = pd.Index([u.name for u in xs], name="unit")
        pmax = pd.DataFrame({u.name: u.el_capacity_mw * tables.availability[u.name]
                             for u in xs})
        p = m.add_variables(lower=0, upper=_da(pmax, "unit"), name="chp_el")
        hx = heat.sel(unit=x_idx)
        cb = _vec([u.power_to_heat for u in xs], x_idx)
        cv = _vec([u.power_loss for u in xs], x_idx)
        eta = _vec([u.el_efficiency for u in xs], x_idx)
        m.add_constraints(p - cb * hx >= 0, name="chp_bp")
        m.add_constraints(p + cv * hx - _da(pmax, "unit") <= 0, name="chp_cv")
        mr = [u for u in xs if u.must_run and u.min_load > 0]
        if mr:
            r_idx = pd.Index([u.name for u in mr], name="unit")
            m.add_constraints(
                p.sel(unit=r_idx) - _vec([u.min_load for u in mr], r_idx)
                * _da(pmax[r_idx], "unit") >= 0, name="chp_must_run")
        fuel_x = (p + cv * hx) / eta
        alpha = _vec([1.0 - u.aux_el_fraction for u in xs], x_idx)
        el_extra = (alpha * p).sum("unit")
        for u in xs:
            fuel_exprs[u.name] = fuel_x.sel(unit=u.name)

    # ---- annual fuel limits -----------------------------------------------------------------
    capped = [u for u in units if u.annual_fuel_max_mwh is not None]
    for k, u in enumerate(capped):
        if u.name in fuel_exprs:
            expr = fuel_exprs[u.name].sum()
        else:
            expr = (float(tables.fuel_per_heat[u.name].iloc[0]) * heat.sel(unit=u.name)).sum()
        m.add_constraints(expr <= u.annual_fuel_max_mwh * year_fraction, name=f"fuel_cap_{k}")

    # ---- unit commitment (MILP) ---------------------------------------------------------------
    if milp:
        com = [u for u in units if u.committed]
        if any(u.extendable for u in com):
            bad = [u.name for u in com if u.extendable][0]
            raise ValueError(f"unit '{bad}': on/off commitment and extendable capacity cannot "
                             "be combined; fix its capacity or drop min_load/start costs")
        if com:
            c_idx = pd.Index([u.name for u in com], name="unit")
            on = m.add_variables(coords=[t_idx, c_idx], binary=True, name="on")
            pm = _da(tables.p_max[c_idx], "unit")
            hc = heat.sel(unit=c_idx)
            m.add_constraints(hc - pm * on <= 0, name="on_max")
            heat_min = [u for u in com if not isinstance(u, CHPExtraction) and u.min_load > 0]
            if heat_min:
                h_idx = pd.Index([u.name for u in heat_min], name="unit")
                m.add_constraints(
                    heat.sel(unit=h_idx) - _vec([u.min_load for u in heat_min], h_idx)
                    * _da(tables.p_max[h_idx], "unit") * on.sel(unit=h_idx) >= 0,
                    name="on_min")
            x_min = [u for u in com if isinstance(u, CHPExtraction) and u.min_load > 0]
            if x_min:
                xm_idx = pd.Index([u.name for u in x_min], name="unit")
                pmx = pd.DataFrame({u.name: u.el_capacity_mw * tables.availability[u.name]
                                    for u in x_min})
                chp_el = m.variables["chp_el"]
                m.add_constraints(
                    chp_el.sel(unit=xm_idx) - _vec([u.min_load for u in x_min], xm_idx)
                    * _da(pmx, "unit") * on.sel(unit=xm_idx) >= 0, name="on_min_el")
                m.add_constraints(chp_el.sel(unit=xm_idx) - _da(pmx, "unit")
                                  * on.sel(unit=xm_idx) <= 0, name="on_max_el")
            # start >= on_t - on_{t-1} (and stop >= on_{t-1} - on_t) instead of the equality
            # on_t - on_{t-1} = start - stop: start costs and the minimum up/down windows only
            # ever push start/stop down onto these bounds, so the optimum and the LP
            # relaxation are the same, and a stop variable is needed only for minimum down
            # times (one variable less per committed unit-hour without one; a unit with a
            # minimum down time has two inequality rows per hour instead of one equality)
            start = m.add_variables(lower=0, upper=1, coords=[t_idx, c_idx], name="start")
            m.add_constraints(start - on + on.roll(snapshot=1) >= 0, name="on_start")
            windows = [(start, u.min_up_h, -1, "min_up", u) for u in com if u.min_up_h > 1]
            down = [u for u in com if u.min_down_h > 1]
            if down:
                d_idx = pd.Index([u.name for u in down], name="unit")
                stop = m.add_variables(lower=0, upper=1, coords=[t_idx, d_idx], name="stop")
                on_d = on.sel(unit=d_idx)
                m.add_constraints(stop + on_d - on_d.roll(snapshot=1) >= 0, name="on_stop")
                windows += [(stop, u.min_down_h, 1, "min_down", u) for u in down]
            # minimum up/down time: starts (stops) in the last U hours (cyclic year) imply on
            # (off) now
            for var, hours, sign, name, u in windows:
                v = var.sel(unit=u.name)
                window = sum(v.roll(snapshot=k) for k in range(1, hours)) + v
                m.add_constraints(window + sign * on.sel(unit=u.name)
                                  <= (1 if sign > 0 else 0), name=f"{name}_{u.name}")

    # ---- storages -------------------------------------------------------------------------------
    inflow = heat.sum("unit")
    if storages:
        s_idx = pd.Index([s.name for s in storages], name="storage")
        cap_e = _vec([s.capacity_mwh if not s.extendable else (
            np.inf if s.capacity_max_mwh is None else s.capacity_max_mwh) for s in storages],
            s_idx)
        ch_max = _vec([s.charge_mw if not s.extendable else np.inf for s in storages], s_idx)
        dis_max = _vec([s.discharge_mw if not s.extendable else np.inf for s in storages], s_idx)
        charge = m.add_variables(lower=0, upper=ch_max, coords=[t_idx, s_idx], name="charge")
        discharge = m.add_variables(lower=0, upper=dis_max, coords=[t_idx, s_idx],
                                    name="discharge")
        soc = m.add_variables(lower=0, upper=cap_e, coords=[t_idx, s_idx], name="soc")
        keep = _vec([1.0 - s.standing_loss_per_h for s in storages], s_idx)
        eta_c = _vec([s.charge_efficiency for s in storages], s_idx)
        eta_d = _vec([s.discharge_efficiency for s in storages], s_idx)
        if initial_soc_mwh is None:
            # cyclic year: the hour before the first is the last (roll by one step)
            m.add_constraints(
                soc - keep * soc.roll(snapshot=1) - eta_c * charge + discharge / eta_d == 0,
                name="soc",
            )
        else:
            # open horizon: the first hour starts from the given state of charge
            first = xr.DataArray(np.r_[1.0, np.zeros(len(t_idx) - 1)],
                                 coords={"snapshot": t_idx}, dims="snapshot")
            soc0 = _vec(initial_soc_mwh.reindex(s_idx).fillna(0.0).to_numpy(), s_idx)
            m.add_constraints(
                soc - keep * (1.0 - first) * soc.roll(snapshot=1) - eta_c * charge
                + discharge / eta_d == keep * soc0 * first,
                name="soc",
            )
        if terminal_soc_value_eur_per_mwh is not None:
            val = _vec(terminal_soc_value_eur_per_mwh.reindex(s_idx).fillna(0.0).to_numpy(),
                       s_idx)
            extra_cost.append(-(val * soc.isel(snapshot=-1)).sum())
        sx = [s for s in storages if s.extendable]
        if sx:
            sx_idx = pd.Index([s.name for s in sx], name="storage")
            scap = m.add_variables(
                lower=_vec([s.capacity_min_mwh for s in sx], sx_idx),
                upper=_vec([np.inf if s.capacity_max_mwh is None else s.capacity_max_mwh
                            for s in sx], sx_idx), name="storage_capacity")
            m.add_constraints(soc.sel(storage=sx_idx) - scap <= 0, name="storage_soc_max")
            # power limits scale with energy: the nominal charge/discharge-to-capacity ratios
            nominal = [s.capacity_mwh or 1.0 for s in sx]
            cr = _vec([s.charge_mw / n for s, n in zip(sx, nominal, strict=True)], sx_idx)
            dr = _vec([s.discharge_mw / n for s, n in zip(sx, nominal, strict=True)], sx_idx)
            m.add_constraints(charge.sel(storage=sx_idx) - cr * scap <= 0,
                              name="storage_charge_max")
            m.add_constraints(discharge.sel(storage=sx_idx) - dr * scap <= 0,
                              name="storage_discharge_max")
        inflow = inflow + discharge.sum("storage") - charge.sum("storage")

    need = xr.DataArray((demand + losses).to_numpy(), coords={"snapshot": t_idx},
                        dims="snapshot")
    if elastic:
        unserved = m.add_variables(lower=0, coords=[t_idx], name="unserved")
        inflow = inflow + unserved
    m.add_constraints(inflow == need, name="heat_balance")

    # ---- electricity: net exchange with the grid -----------------------------------------
    net_el = _da(tables.el_in_per_heat - tables.el_out_per_heat, "unit")
    has_el = bool(np.any(net_el.values != 0)) or el_extra is not None
    if has_el:
        prices = system.prices
        imp = prices.grid_import_limit_mw
        exp = prices.grid_export_limit_mw
        el_buy = m.add_variables(lower=0, upper=np.inf if imp is None else imp,
                                 coords=[t_idx], name="el_buy")
        el_sell = m.add_variables(lower=0, upper=np.inf if exp is None else exp,
                                  coords=[t_idx], name="el_sell")
        lhs = el_buy - el_sell - (net_el * heat).sum("unit")
        if el_extra is not None:
            lhs = lhs + el_extra
        m.add_constraints(lhs == 0, name="el_balance")

    # ---- EED share requirements and GHG limit -------------------------------------------
    fr = fractions.reindex(index=names).fillna(0.0)
    dm = DispatchModel(system, m, tables, fr, demand, losses, list(requirements),
                       ghg_limit_t_per_mwh, heat_emission_t_per_mwh, elastic)
    for k, req in enumerate(requirements):
        coef = requirement_coefficients(fr, req)
        lhs = (xr.DataArray(coef.to_numpy(), coords={"unit": u_idx}, dims="unit")
               * heat).sum()
        cname = f"share_{k}"
        if elastic:
            short = m.add_variables(lower=0, name=f"share_short_{k}")
            lhs = lhs + short
            extra_cost.append(SHARE_PENALTY * short)
        m.add_constraints(lhs >= 0, name=cname)
        dm.share_constraint_names[req.label] = cname

    if ghg_limit_t_per_mwh is not None:
        if heat_emission_t_per_mwh is None:
            raise ValueError("a GHG limit needs heat_emission_t_per_mwh")
        e = heat_emission_t_per_mwh.reindex(names).fillna(0.0)
        lhs = (xr.DataArray(e.to_numpy(), coords={"unit": u_idx}, dims="unit") * heat).sum()
        limit = ghg_limit_t_per_mwh * float(demand.sum())
        if elastic:
            excess = m.add_variables(lower=0, name="ghg_excess")
            lhs = lhs - excess
            extra_cost.append(SHARE_PENALTY * excess)
        m.add_constraints(lhs <= limit, name="ghg")

    if elastic:
        extra_cost.append(UNSERVED_PENALTY * unserved.sum())
    coefs = objective_coefficients(system, tables)
    terms = [(coefs[name] * m.variables[name]).sum() for name in coefs if name in m.variables]
    m.add_objective(sum(terms[1:] + extra_cost, terms[0]))
    return dm
