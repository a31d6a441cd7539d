"""Hourly inputs of a dispatch window as plain arrays, and the coefficients they imply.

The rolling horizon re-solves the same window model hundreds of times with different hourly
data (forecasts for the planned hours, realised values for the committed hours). Only the
*data* changes between windows, never the structure, so the data is kept here as numpy arrays
(:class:`Hourly`) and turned into the model's coefficients by :func:`window_tables`, which
mirrors :func:`heatpath.dispatch.coefficients.unit_tables` (the per-unit constants are read
from ``unit_tables`` once, so fuel, CO2 and electricity factors come from one place).

Units: MW for heat and electricity per hour (= MWh per 1 h step), EUR/MWh for prices,
EUR/t for CO2, availability 0..1, COP dimensionless.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from heatpath.dispatch.coefficients import network_losses_mw, unit_tables
from heatpath.model.schema import CHPExtraction, HeatPump, SolarThermal, System, WasteHeat


@dataclass
class Hourly:
    """Hourly data that forecasts change (one row per hour).

    Attributes
    ----------
    demand : ndarray, shape (n,)
        Heat delivered to customers, MW.
    losses : ndarray, shape (n,)
        Network heat losses, MW.
    el_price : ndarray, shape (n,)
        Day-ahead electricity price, EUR/MWh.
    co2_price : ndarray, shape (n,)
        EU ETS allowance price, EUR/t.
    fuel_price : dict of str to ndarray
        Price per fuel, EUR/MWh of fuel.
    availability : ndarray, shape (n, units)
        Availability factor per unit, 0..1.
    cop : ndarray, shape (n, units)
        Coefficient of performance of heat pumps (1 for other units).
    """

    demand: np.ndarray
    losses: np.ndarray
    el_price: np.ndarray
    co2_price: np.ndarray
    fuel_price: dict[str, np.ndarray]
    availability: np.ndarray
    cop: np.ndarray

    def __len__(self) -> int:
        return len(self.demand)

    def take(self, idx: np.ndarray) -> Hourly:
        """Rows ``idx`` (integer positions) of every array."""
        return Hourly(self.demand[idx], self.losses[idx], self.el_price[idx],
                      self.co2_price[idx], {k: v[idx] for k, v in self.fuel_price.items()},
                      self.availability[idx], self.cop[idx])

    def window(self, start: int, length: int) -> Hourly:
        """Hours ``start .. start + length - 1``; hours past the end of the data are padding.

        Padding hours have no demand, no availability and zero prices, so a window that runs
        past the end of the year plans nothing there (its storage simply carries over).
        """
        n = len(self)
        stop = min(start + length, n)
        out = self.take(np.arange(start, stop))
        return out.padded(length) if stop - start < length else out

    def padded(self, length: int) -> Hourly:
        """These rows followed by ``length - len(self)`` padding hours (see :meth:`window`)."""
        pad = length - len(self)
        if pad <= 0:
            return self

        def z(a: np.ndarray, value: float = 0.0) -> np.ndarray:
            shape = (pad,) + a.shape[1:]
            return np.concatenate([a, np.full(shape, value)])

        return Hourly(z(self.demand), z(self.losses), z(self.el_price), z(self.co2_price),
                      {k: z(v) for k, v in self.fuel_price.items()}, z(self.availability),
                      z(self.cop, 1.0))

    def from_hour(self, start: int) -> Hourly:
        """These rows with the first ``start`` replaced by padding hours (nothing to serve;
        a re-plan from hour ``start``)."""
        rest = self.take(np.arange(start, len(self)))

        def z(a: np.ndarray, b: np.ndarray, value: float = 0.0) -> np.ndarray:
            return np.concatenate([np.full((start,) + a.shape[1:], value), b])

        return Hourly(z(self.demand, rest.demand), z(self.losses, rest.losses),
                      z(self.el_price, rest.el_price), z(self.co2_price, rest.co2_price),
                      {k: z(v, rest.fuel_price[k]) for k, v in self.fuel_price.items()},
                      z(self.availability, rest.availability), z(self.cop, rest.cop, 1.0))

    def copy(self) -> Hourly:
        """Deep copy."""
        return replace(self, demand=self.demand.copy(), losses=self.losses.copy(),
                       el_price=self.el_price.copy(), co2_price=self.co2_price.copy(),
                       fuel_price={k: v.copy() for k, v in self.fuel_price.items()},
                       availability=self.availability.copy(), cop=self.cop.copy())


@dataclass
class Static:
    """Per-unit constants of a system (from :func:`unit_tables` and the unit definitions).

    Attributes
    ----------
    units, storages : list of str
        Names, in model order.
    capacity_mw : ndarray
        Heat capacity per unit, MW.
    pmin_ratio : ndarray
        Minimum output as a fraction of the available capacity (must-take waste heat 1,
        must-run units their ``min_load``, else 0), as in ``unit_tables``.
    fuel_per_heat, co2_per_heat, vom, el_in_const, el_out : ndarray
        MWh fuel, t CO2, EUR O&M, MWh electricity in (non heat pumps) and net electricity out
        per MWh of heat.
    fuel_of : list of str or None
        Fuel of every unit.
    is_hp : ndarray of bool
        Heat pumps (electricity in = 1 / COP).
    weather_driven : ndarray of bool
        Units whose availability and COP follow the weather (heat pumps, solar thermal).
    x_pos : ndarray of int
        Positions of extraction CHPs / CCGTs among the units.
    x_el_capacity_mw, x_power_loss, x_el_efficiency, x_min_load : ndarray
        Their electrical capacity (MW), power-loss coefficient, electrical efficiency and
        minimum electrical load of must-run ones (0 otherwise).
    x_fuel_ef : ndarray
        Fossil CO2 per MWh of their fuel, t/MWh.
    keep : ndarray
        1 - standing loss per hour of every storage.
    """

    units: list[str]
    storages: list[str]
    capacity_mw: np.ndarray
    pmin_ratio: np.ndarray
    fuel_per_heat: np.ndarray
    co2_per_heat: np.ndarray
    vom: np.ndarray
    el_in_const: np.ndarray
    el_out: np.ndarray
    fuel_of: list[str | None]
    is_hp: np.ndarray
    weather_driven: np.ndarray
    x_pos: np.ndarray
    x_el_capacity_mw: np.ndarray
    x_power_loss: np.ndarray
    x_el_efficiency: np.ndarray
    x_min_load: np.ndarray
    x_fuel_ef: np.ndarray
    keep: np.ndarray
    fee: float
    loss_fraction_based: bool = field(default=True)


def static_of(system: System) -> Static:
    """Per-unit constants of a prepared ``system``."""
    tab = unit_tables(system)
    units = system.units
    names = [u.name for u in units]

    def first(df: object) -> np.ndarray:
        return np.array(df.iloc[0].reindex(names), dtype=float)  # type: ignore[attr-defined]

    pmin_ratio = np.zeros(len(units))
    for i, u in enumerate(units):
        if isinstance(u, WasteHeat) and u.must_take:
            pmin_ratio[i] = 1.0
        elif u.must_run and not isinstance(u, CHPExtraction):
            pmin_ratio[i] = u.min_load
    is_hp = np.array([isinstance(u, HeatPump) for u in units])
    el_in_const = first(tab.el_in_per_heat)
    el_in_const[is_hp] = 0.0
    xs = [i for i, u in enumerate(units) if isinstance(u, CHPExtraction)]
    xu = [units[i] for i in xs]
    x_ef = [system.fuels[u.fuel].emission_factor_t_per_mwh
            * (1.0 - system.fuels[u.fuel].biogenic_fraction) for u in xu]
    return Static(
        units=names,
        storages=[s.name for s in system.storages],
        capacity_mw=np.array([u.capacity_mw for u in units], dtype=float),
        pmin_ratio=pmin_ratio,
        fuel_per_heat=first(tab.fuel_per_heat),
        co2_per_heat=first(tab.co2_per_heat),
        vom=np.array([u.vom_eur_per_mwh for u in units], dtype=float),
        el_in_const=el_in_const,
        el_out=first(tab.el_out_per_heat),
        fuel_of=[tab.fuel_of.get(n) for n in names],
        is_hp=is_hp,
        weather_driven=np.array([isinstance(u, (HeatPump, SolarThermal)) for u in units]),
        x_pos=np.array(xs, dtype=int),
        x_el_capacity_mw=np.array([u.el_capacity_mw for u in xu], dtype=float),
        x_power_loss=np.array([u.power_loss for u in xu], dtype=float),
        x_el_efficiency=np.array([u.el_efficiency for u in xu], dtype=float),
        x_min_load=np.array([u.min_load if u.must_run else 0.0 for u in xu], dtype=float),
        x_fuel_ef=np.array(x_ef, dtype=float),
        keep=np.array([1.0 - s.standing_loss_per_h for s in system.storages], dtype=float),
        fee=float(system.prices.electricity_fee_eur_per_mwh),
        loss_fraction_based=system.demand.network_loss_mw is None,
    )


def fuel_budget_mwh(system: System) -> np.ndarray:
    """Fuel limit of every unit for the system's hours, MWh: its ``annual_fuel_max_mwh``
    times hours / 8760 (as :func:`heatpath.dispatch.build.build` applies it); inf for units
    without a limit. Shape (units,)."""
    n = len(system.snapshots)
    return np.array([np.inf if u.annual_fuel_max_mwh is None
                     else u.annual_fuel_max_mwh * n / 8760.0 for u in system.units], dtype=float)


def fuel_mw(st: Static, heat: np.ndarray, chp_el: np.ndarray) -> np.ndarray:
    """Fuel burnt by every unit, MW (MWh per hour, or per step of an aggregated system).

    Parameters
    ----------
    st : Static
        Per-unit constants.
    heat : ndarray, shape (hours, units)
        Heat per unit, MW.
    chp_el : ndarray, shape (hours, extraction CHPs)
        Electricity of the extraction CHPs / CCGTs, MW.

    Returns
    -------
    ndarray, shape (hours, units)
        ``fuel_per_heat x heat``; extraction CHPs ``(el + power_loss x heat) / el_efficiency``.
    """
    fuel = np.asarray(heat, dtype=float) * st.fuel_per_heat
    if len(st.x_pos):
        fuel[:, st.x_pos] = (chp_el + st.x_power_loss * heat[:, st.x_pos]) \
            / st.x_el_efficiency
    return fuel


def realised_hourly(system: System) -> Hourly:
    """The realised (scenario) hourly data of a prepared ``system`` for its whole year."""
    p = system.prices
    cop = np.ones((len(system.snapshots), len(system.units)))
    for i, u in enumerate(system.units):
        if isinstance(u, HeatPump):
            cop[:, i] = u.cop.to_numpy(dtype=float)
    return Hourly(
        demand=system.demand.heat_mw.to_numpy(dtype=float).copy(),
        losses=network_losses_mw(system).to_numpy(dtype=float).copy(),
        el_price=p.electricity_eur_per_mwh.to_numpy(dtype=float).copy(),
        co2_price=p.co2_eur_per_t.to_numpy(dtype=float).copy(),
        fuel_price={k: v.to_numpy(dtype=float).copy() for k, v in p.fuels_eur_per_mwh.items()},
        availability=np.column_stack([np.clip(u.availability.to_numpy(dtype=float), 0.0, 1.0)
                                      for u in system.units]),
        cop=cop,
    )


@dataclass
class Tables:
    """Coefficients of one window, shape (hours, units) unless stated.

    Attributes
    ----------
    p_max, p_min : ndarray
        Heat bounds, MW.
    cost_heat : ndarray
        Cost per MWh of heat excluding electricity, EUR/MWh (extraction CHPs: O&M plus the
        fuel cost of their power-loss term).
    net_el : ndarray
        Electricity consumed minus produced per MWh of heat.
    x_pmax_el, x_cost_el : ndarray, shape (hours, extraction CHPs)
        Electrical capacity (MW) and fuel cost per MWh of gross electricity (EUR/MWh).
    need : ndarray, shape (hours,)
        Demand + network losses, MW.
    el_buy_cost, el_sell_cost : ndarray, shape (hours,)
        Cost of buying (price + fee) and of selling (- price) one MWh of electricity, EUR.
    """

    p_max: np.ndarray
    p_min: np.ndarray
    cost_heat: np.ndarray
    net_el: np.ndarray
    x_pmax_el: np.ndarray
    x_cost_el: np.ndarray
    need: np.ndarray
    el_buy_cost: np.ndarray
    el_sell_cost: np.ndarray


def fuel_price_matrix(st: Static, data: Hourly) -> np.ndarray:
    """Fuel price of every unit's fuel, EUR/MWh, shape (hours, units) (0 without fuel)."""
    out = np.zeros((len(data), len(st.units)))
    for i, f in enumerate(st.fuel_of):
        if f is not None:
            out[:, i] = data.fuel_price[f]
    return out


def window_tables(st: Static, data: Hourly) -> Tables:
    """Model coefficients implied by ``data`` (mirrors ``unit_tables`` and ``build``)."""
    avail = np.clip(data.availability, 0.0, 1.0)
    p_max = np.maximum(st.capacity_mw * avail, 0.0)
    p_min = np.maximum(st.pmin_ratio * p_max, 0.0)
    fp = fuel_price_matrix(st, data)
    cost = st.fuel_per_heat * fp + st.co2_per_heat * data.co2_price[:, None] + st.vom
    el_in = st.el_in_const + np.where(st.is_hp, 1.0 / np.maximum(data.cop, 1e-6), 0.0)
    net_el = el_in - st.el_out
    if len(st.x_pos):
        fx = fp[:, st.x_pos] + st.x_fuel_ef * data.co2_price[:, None]
        x_cost = fx / st.x_el_efficiency
        cost[:, st.x_pos] += x_cost * st.x_power_loss
        x_pmax = st.x_el_capacity_mw * avail[:, st.x_pos]
    else:
        x_cost = x_pmax = np.zeros((len(data), 0))
    return Tables(p_max, p_min, cost, net_el, x_pmax, x_cost, data.demand + data.losses,
                  data.el_price + st.fee, -data.el_price)
