"""Build the hourly dispatch LP of a system with linopy (vectorised, no loop over hours).

Variables (dimension ``snapshot`` x ``unit`` / ``storage``):

* ``heat[t, u]`` — heat of unit u into the network, MW (= MWh per 1 h step);
* ``charge[t, s]``, ``discharge[t, s]``, ``soc[t, s]`` — storage flows (MW) and content (MWh);
* ``el_buy[t]``, ``el_sell[t]`` — net electricity exchange with the grid, MW.

Constraints:

* ``heat_balance``: sum_u heat + sum_s (discharge - charge) = demand + network losses
  (paper, hourly heat balance);
* ``soc``: soc_t = (1 - l_s) soc_{t-1} + eta_c charge_t - discharge_t / eta_d, cyclic year;
* ``el_balance``: el_buy - el_sell = sum_u (el_in - el_out) heat (CHPs and heat pumps balance
  electricity internally; only the net import pays the distribution fee, paper section 2);
* ``share[r]``: sum_{t,u} (q_{u,r} - x_r) heat[t, u] >= 0 for each annual share requirement r,
  with q_{u,r} the fraction of unit u's heat counted in the groups of r (EED Art. 26(1));
* ``ghg`` (optional): sum_{t,u} e_u heat[t,u] <= limit * heat delivered (EED Art. 26(2)).

Objective: total variable cost, EUR = sum (fuel + ETS + O&M) + electricity bought
* (price + fee) - electricity sold * price (paper, variable cost of heat).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import linopy
import numpy as np
import pandas as pd
import xarray as xr

from heatpath.dispatch.coefficients import UnitTables, network_losses_mw, unit_tables
from heatpath.model.schema import ShareRequirement, System

#: Penalty for unserved heat in the elastic (diagnostic) model, EUR/MWh.
UNSERVED_PENALTY = 1.0e5
#: Penalty for missing qualifying heat in the elastic model, EUR/MWh.
SHARE_PENALTY = 1.0e4


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


def build(
    system: System,
    fractions: pd.DataFrame,
    requirements: Sequence[ShareRequirement] = (),
    *,
    ghg_limit_t_per_mwh: float | None = None,
    heat_emission_t_per_mwh: pd.Series | None = None,
    elastic: bool = False,
) -> DispatchModel:
    """Build the dispatch LP.

    Parameters
    ----------
    system : System
        Finalised system (every series a pandas Series on ``system.snapshots``).
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

    Returns
    -------
    DispatchModel
    """
    tables = unit_tables(system)
    snapshots = system.snapshots
    units = [u.name for u in system.units]
    storages = system.storages
    demand = system.demand.heat_mw
    losses = network_losses_mw(system)
    m = linopy.Model(force_dim_names=True)

    t_idx = pd.Index(snapshots.to_numpy(), name="snapshot")
    u_idx = pd.Index(units, name="unit")
    heat = m.add_variables(
        lower=_da(tables.p_min, "unit"), upper=_da(tables.p_max, "unit"), name="heat"
    )

    inflow = heat.sum("unit")
    if storages:
        s_idx = pd.Index([s.name for s in storages], name="storage")

        def per_storage(values: Sequence[float]) -> xr.DataArray:
            return xr.DataArray(np.asarray(values, dtype=float), coords={"storage": s_idx},
                                dims="storage")

        charge = m.add_variables(lower=0, upper=per_storage([s.charge_mw for s in storages]),
                                 coords=[t_idx, s_idx], name="charge")
        discharge = m.add_variables(
            lower=0, upper=per_storage([s.discharge_mw for s in storages]),
            coords=[t_idx, s_idx], name="discharge")
        soc = m.add_variables(lower=0, upper=per_storage([s.capacity_mwh for s in storages]),
                              coords=[t_idx, s_idx], name="soc")
        keep = per_storage([1.0 - s.standing_loss_per_h for s in storages])
        eta_c = per_storage([s.charge_efficiency for s in storages])
        eta_d = per_storage([s.discharge_efficiency for s in storages])
        # cyclic year: the hour before the first is the last (roll by one step)
        m.add_constraints(
            soc - keep * soc.roll(snapshot=1) - eta_c * charge + discharge / eta_d == 0,
            name="soc",
        )
        inflow = inflow + discharge.sum("storage") - charge.sum("storage")

    need = xr.DataArray((demand + losses).to_numpy(), coords={"snapshot": t_idx},
                        dims="snapshot")
    if elastic:
        unserved = m.add_variables(lower=0, coords=[t_idx], name="unserved")
        inflow = inflow + unserved
    m.add_constraints(inflow == need, name="heat_balance")

    cost = (_da(tables.cost_per_heat, "unit") * heat).sum()

    net_el = _da(tables.el_in_per_heat - tables.el_out_per_heat, "unit")
    has_el = bool(np.any(net_el.values != 0))
    if has_el:
        prices = system.prices
        imp = prices.grid_import_limit_mw
        exp = prices.grid_export_limit_mw
        el_buy = m.add_variables(lower=0, upper=np.inf if imp is None else imp,
                                 coords=[t_idx], name="el_buy")
        el_sell = m.add_variables(lower=0, upper=np.inf if exp is None else exp,
                                  coords=[t_idx], name="el_sell")
        m.add_constraints(el_buy - el_sell - (net_el * heat).sum("unit") == 0,
                          name="el_balance")
        p_el = xr.DataArray(prices.electricity_eur_per_mwh.to_numpy(),
                            coords={"snapshot": t_idx}, dims="snapshot")
        fee = prices.electricity_fee_eur_per_mwh
        cost = cost + ((p_el + fee) * el_buy).sum() - (p_el * el_sell).sum()

    fr = fractions.reindex(index=units).fillna(0.0)
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
            cost = cost + SHARE_PENALTY * short
        m.add_constraints(lhs >= 0, name=cname)
        dm.share_constraint_names[req.label] = cname

    if ghg_limit_t_per_mwh is not None:
        if heat_emission_t_per_mwh is None:
            raise ValueError("a GHG limit needs heat_emission_t_per_mwh")
        e = heat_emission_t_per_mwh.reindex(units).fillna(0.0)
        lhs = (xr.DataArray(e.to_numpy(), coords={"unit": u_idx}, dims="unit") * heat).sum()
        limit = ghg_limit_t_per_mwh * float(demand.sum())
        if elastic:
            excess = m.add_variables(lower=0, name="ghg_excess")
            lhs = lhs - excess
            cost = cost + SHARE_PENALTY * excess
        m.add_constraints(lhs <= limit, name="ghg")

    if elastic:
        cost = cost + UNSERVED_PENALTY * unserved.sum()
    m.add_objective(cost)
    return dm
