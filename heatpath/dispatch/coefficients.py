"""Per-unit, per-hour linear coefficients of the dispatch model (components as tables).

Every production unit is described, for every hour, by how much fuel, electricity in and
electricity out one MWh of heat into the network implies, its capacity and its cost per MWh
of heat excluding electricity. The dispatch LP is then built from these tables only, so adding
a unit kind means adding a row rule here, not a new constraint family.

All tables are ``pandas.DataFrame`` (index: snapshots, columns: unit names).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from heatpath.model.schema import (
    CHPBackPressure,
    CHPExtraction,
    ElectricBoiler,
    FuelBoiler,
    HeatPump,
    System,
    WasteHeat,
)


@dataclass(frozen=True)
class UnitTables:
    """Hourly coefficient tables for all units.

    Attributes
    ----------
    p_max : DataFrame
        Maximum heat output, MW (capacity x availability).
    p_min : DataFrame
        Minimum heat output, MW (must-take waste heat, must-run units at minimum load; else 0).
    availability : DataFrame
        Hourly availability factor 0..1 (capacity multiplier, used for extendable units).
    fuel_per_heat : DataFrame
        MWh of fuel (LHV) per MWh of heat (1 / thermal efficiency).
    el_in_per_heat : DataFrame
        MWh of electricity consumed per MWh of heat (1 / COP, 1 / efficiency).
    el_out_per_heat : DataFrame
        Net MWh of electricity produced per MWh of heat (sigma * (1 - alpha)).
    co2_per_heat : DataFrame
        t CO2 (fossil share, EU ETS) per MWh of heat.
    cost_per_heat : DataFrame
        Fuel + ETS + variable O&M cost per MWh of heat, EUR/MWh (electricity excluded; it is
        settled on the system's net exchange with the grid).
    fuel_of : dict
        Fuel name per unit (units without fuel are absent).
    """

    p_max: pd.DataFrame
    p_min: pd.DataFrame
    availability: pd.DataFrame
    fuel_per_heat: pd.DataFrame
    el_in_per_heat: pd.DataFrame
    el_out_per_heat: pd.DataFrame
    co2_per_heat: pd.DataFrame
    cost_per_heat: pd.DataFrame
    fuel_of: dict[str, str]


def unit_tables(system: System) -> UnitTables:
    """Compute the coefficient tables of every unit of a finalised ``system``.

    Parameters
    ----------
    system : System
        A loaded (or :func:`heatpath.model.finalize`-d) system.

    Returns
    -------
    UnitTables
    """
    idx = system.snapshots
    names = [u.name for u in system.units]
    zeros = pd.DataFrame(0.0, index=idx, columns=names)
    p_max, p_min, avail = zeros.copy(), zeros.copy(), zeros.copy()
    fuel_ph, el_in, el_out, co2, cost = (zeros.copy() for _ in range(5))
    fuel_of: dict[str, str] = {}
    co2_price = system.prices.co2_eur_per_t
    for u in system.units:
        avail[u.name] = np.clip(u.availability.to_numpy(), 0.0, 1.0)
        p_max[u.name] = u.capacity_mw * avail[u.name].to_numpy()
        if isinstance(u, WasteHeat) and u.must_take:
            p_min[u.name] = p_max[u.name]
        elif u.must_run and not isinstance(u, CHPExtraction):
            p_min[u.name] = u.min_load * p_max[u.name]
        if isinstance(u, WasteHeat):
            el_in[u.name] = u.electricity_per_heat
        if isinstance(u, CHPExtraction):
            # fuel and electricity depend on a second variable; see build._extraction_chps
            fuel_of[u.name] = u.fuel
        if isinstance(u, (FuelBoiler, CHPBackPressure)):
            fuel = system.fuels[u.fuel]
            fuel_of[u.name] = u.fuel
            f = 1.0 / u.efficiency
            fuel_ph[u.name] = f
            co2[u.name] = f * fuel.emission_factor_t_per_mwh * (1.0 - fuel.biogenic_fraction)
            price = system.prices.fuels_eur_per_mwh[u.fuel].to_numpy()
            cost[u.name] = f * price + co2[u.name].to_numpy() * co2_price.to_numpy()
        if isinstance(u, CHPBackPressure):
            el_out[u.name] = u.power_to_heat * (1.0 - u.aux_el_fraction)
        if isinstance(u, HeatPump):
            el_in[u.name] = 1.0 / u.cop.to_numpy()
        if isinstance(u, ElectricBoiler):
            el_in[u.name] = 1.0 / u.efficiency
        cost[u.name] = cost[u.name].to_numpy() + u.vom_eur_per_mwh
    for df in (p_max, p_min):
        df[:] = np.maximum(df.to_numpy(), 0.0)
    return UnitTables(p_max, p_min, avail, fuel_ph, el_in, el_out, co2, cost, fuel_of)


def network_losses_mw(system: System) -> pd.Series:
    """Hourly network heat losses, MW.

    With ``network_loss_fraction`` f (share of heat into the network that is lost),
    losses_t = demand_t * f / (1 - f), so that losses / (demand + losses) = f.
    """
    d = system.demand
    if d.network_loss_mw is not None:
        return d.network_loss_mw.rename("network_loss_mw")
    f = d.network_loss_fraction or 0.0
    return (d.heat_mw * f / (1.0 - f)).rename("network_loss_mw")


def flows_and_costs(system: System, tab: UnitTables, heat: pd.DataFrame,
                    chp_el: pd.DataFrame | None, el_buy: pd.Series, el_sell: pd.Series
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame,
                               dict[str, float]]:
    """Hourly fuel, electricity and CO2 of a dispatch, and its annual operating costs.

    Parameters
    ----------
    system : System
        Prepared system (prices of the hours in ``heat``).
    tab : UnitTables
        Its coefficient tables (:func:`unit_tables`).
    heat : DataFrame
        Heat into the network per unit, MW (index: snapshots, columns: unit names).
    chp_el : DataFrame or None
        Gross electricity of the extraction CHPs, MW (columns: their names); None without.
    el_buy, el_sell : Series
        Electricity bought from and sold to the grid, MW.

    Returns
    -------
    fuel, el_in, el_out, co2 : DataFrame
        Fuel (MWh), electricity used and produced (MWh) and fossil CO2 (t) per unit and
        hour; extraction CHPs from their operating point: fuel = (p + c_v h) / eta_el, net
        electricity (1 - alpha) p.
    costs : dict
        ``fuel``, ``ets``, ``om``, ``electricity_purchase`` (price + fee) and
        ``electricity_revenue``, EUR (the paper's variable-cost terms).
    """
    fuel = heat * tab.fuel_per_heat
    el_in = heat * tab.el_in_per_heat
    el_out = heat * tab.el_out_per_heat
    co2 = heat * tab.co2_per_heat
    for u in system.units:
        if isinstance(u, CHPExtraction):
            assert chp_el is not None
            f = system.fuels[u.fuel]
            fuel[u.name] = (chp_el[u.name] + u.power_loss * heat[u.name]) / u.el_efficiency
            el_out[u.name] = (1.0 - u.aux_el_fraction) * chp_el[u.name]
            co2[u.name] = fuel[u.name] * f.emission_factor_t_per_mwh * (1 - f.biogenic_fraction)
    p = system.prices
    fuel_cost = 0.0
    for u, f in tab.fuel_of.items():
        fuel_cost += float((fuel[u] * p.fuels_eur_per_mwh[f]).sum())
    pel = p.electricity_eur_per_mwh
    costs = {
        "fuel": fuel_cost,
        "ets": float((co2.sum(axis=1) * p.co2_eur_per_t).sum()),
        "om": float(sum((heat[u.name] * u.vom_eur_per_mwh).sum() for u in system.units)),
        "electricity_purchase": float((el_buy * (pel + p.electricity_fee_eur_per_mwh)).sum()),
        "electricity_revenue": float((el_sell * pel).sum()),
    }
    return fuel, el_in, el_out, co2, costs
