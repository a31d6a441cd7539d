"""District heating network: regulation (heating) curve, ground temperature, pipe heat loss.

Defaults describe Bucharest's second-generation network as reported in the reference paper
(supply 80-110 °C, return 40-55 °C). Temperatures in °C, heat flows in MW, energies in MWh.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from heatpath.physics._utils import (
    ArrayLike,
    as_float_array,
    day_of_year,
    require_finite,
    restore,
    restore_to_index,
)

#: Design outdoor temperature for Bucharest, °C (SR 1907-1 climatic zone II: -15 °C).
BUCHAREST_T_OUT_DESIGN_C = -15.0
#: Outdoor temperature at and above which the supply/return temperatures stay at their
#: minimum (summer / DHW-only operation), °C. Chosen assumption, see ``supply_temperature``.
BUCHAREST_T_OUT_SWITCH_C = 5.0


def heating_curve(
    t_out_c: ArrayLike,
    t_out_design_c: float,
    t_at_design_c: float,
    t_out_switch_c: float,
    t_at_switch_c: float,
) -> ArrayLike:
    """Generic outdoor-temperature-compensated regulation curve.

    Piecewise linear between the design point ``(t_out_design_c, t_at_design_c)`` and the
    switch point ``(t_out_switch_c, t_at_switch_c)``, flat outside::

        T = T_design                                   if T_out <= T_out_design
        T = T_design + (T_switch - T_design) * x       x = (T_out - T_out_design)
                                                           / (T_out_switch - T_out_design)
        T = T_switch                                   if T_out >= T_out_switch

    Parameters
    ----------
    t_out_c : scalar, array or Series
        Outdoor air temperature, °C.
    t_out_design_c : float
        Design (coldest) outdoor temperature, °C.
    t_at_design_c : float
        Network temperature at and below the design outdoor temperature, °C.
    t_out_switch_c : float
        Outdoor temperature from which the network temperature stays at ``t_at_switch_c``,
        °C. Must be greater than ``t_out_design_c``.
    t_at_switch_c : float
        Network temperature at and above ``t_out_switch_c``, °C.

    Returns
    -------
    scalar, array or Series
        Network temperature, °C (same shape/index as ``t_out_c``).

    References
    ----------
    Frederiksen, S. & Werner, S. (2013). *District Heating and Cooling*. Studentlitteratur,
    Lund (outdoor-temperature-compensated supply temperature control).
    """
    if not t_out_switch_c > t_out_design_c:
        raise ValueError("t_out_switch_c must be greater than t_out_design_c")
    t = as_float_array(t_out_c)
    x = np.clip((t - t_out_design_c) / (t_out_switch_c - t_out_design_c), 0.0, 1.0)
    out = t_at_design_c + (t_at_switch_c - t_at_design_c) * x
    out = np.where(np.isnan(t), np.nan, out)
    return restore(out, t_out_c, name="temperature_c")


def supply_temperature(
    t_out_c: ArrayLike,
    t_out_design_c: float = BUCHAREST_T_OUT_DESIGN_C,
    t_out_switch_c: float = BUCHAREST_T_OUT_SWITCH_C,
    t_supply_max_c: float = 110.0,
    t_supply_min_c: float = 80.0,
) -> ArrayLike:
    """Network supply (forward) temperature from outdoor temperature.

    ``heating_curve`` with the points (``t_out_design_c``, ``t_supply_max_c``) and
    (``t_out_switch_c``, ``t_supply_min_c``).

    Defaults: Bucharest 2nd-generation network, 110 °C at the design outdoor temperature of
    -15 °C, falling linearly to 80 °C at +5 °C and staying at 80 °C above (the minimum is
    kept all summer for domestic hot water preparation in the substations). The 80-110 °C
    range and the 40-55 °C return range are from the reference paper; the +5 °C switch
    point is an assumption of this package (mid heating season), to be replaced by the
    operator's actual regulation curve when known.

    Parameters
    ----------
    t_out_c : scalar, array or Series
        Outdoor air temperature, °C.
    t_out_design_c, t_out_switch_c : float
        Outdoor temperatures of the two curve break points, °C.
    t_supply_max_c, t_supply_min_c : float
        Supply temperature at the design point and at/above the switch point, °C.

    Returns
    -------
    scalar, array or Series
        Supply temperature, °C.
    """
    out = heating_curve(t_out_c, t_out_design_c, t_supply_max_c, t_out_switch_c, t_supply_min_c)
    return _rename(out, "t_supply_c")


def return_temperature(
    t_out_c: ArrayLike,
    t_out_design_c: float = BUCHAREST_T_OUT_DESIGN_C,
    t_out_switch_c: float = BUCHAREST_T_OUT_SWITCH_C,
    t_return_max_c: float = 55.0,
    t_return_min_c: float = 40.0,
) -> ArrayLike:
    """Network return temperature from outdoor temperature (55 °C -> 40 °C by default).

    Same piecewise-linear shape and break points as :func:`supply_temperature`. Return
    temperatures really depend on the substations; the linear curve is a planning proxy.

    Parameters
    ----------
    t_out_c : scalar, array or Series
        Outdoor air temperature, °C.
    t_out_design_c, t_out_switch_c : float
        Outdoor temperatures of the two curve break points, °C.
    t_return_max_c, t_return_min_c : float
        Return temperature at the design point and at/above the switch point, °C.

    Returns
    -------
    scalar, array or Series
        Return temperature, °C.
    """
    out = heating_curve(t_out_c, t_out_design_c, t_return_max_c, t_out_switch_c, t_return_min_c)
    return _rename(out, "t_return_c")


def mean_network_temperature(t_supply_c: ArrayLike, t_return_c: ArrayLike) -> ArrayLike:
    """Arithmetic mean of supply and return temperature, °C: ``(T_s + T_r) / 2``."""
    ts, tr = as_float_array(t_supply_c), as_float_array(t_return_c)
    return restore((ts + tr) / 2.0, t_supply_c, t_return_c, name="t_mean_c")


def ground_temperature(
    times: object,
    t_mean_c: float = 12.5,
    amplitude_k: float = 12.0,
    depth_m: float = 1.0,
    diffusivity_m2_per_day: float = 0.05,
    day_min_surface: float = 20.0,
) -> ArrayLike:
    """Undisturbed ground temperature at a given depth (Kusuda-Achenbach).

    ::

        T(z, t) = T_m - A_s * exp(-z * sqrt(pi / (365 a)))
                  * cos(2 pi / 365 * (t - t_0 - z / 2 * sqrt(365 / (pi a))))

    Parameters
    ----------
    times : DatetimeIndex, Series or numeric
        Timestamps (a Series' DatetimeIndex is used) or fractional day of year.
    t_mean_c : float
        Annual mean ground-surface temperature, °C. Default 12.5 °C, a typical value for
        Bucharest (annual mean air temperature about 11-12 °C; the soil surface is usually
        0.5-1.5 K warmer).
    amplitude_k : float
        Annual amplitude of the surface temperature, K. Default 12 K (typical for
        Bucharest: monthly mean air temperature about -1 °C in January, 23 °C in July).
    depth_m : float
        Depth, m. Default 1.0 m, a typical burial depth of district heating pipes.
    diffusivity_m2_per_day : float
        Soil thermal diffusivity, m2/day. Default 0.05 m2/day (5.8e-7 m2/s), a typical
        value for moist soil.
    day_min_surface : float
        Day of year of the minimum surface temperature. Default 20 (typical, late January).

    Returns
    -------
    scalar, array or Series
        Ground temperature, °C.

    References
    ----------
    Kusuda, T. & Achenbach, P. R. (1965). Earth temperature and thermal diffusivity at
    selected stations in the United States. ASHRAE Transactions 71(1), 61-75.
    """
    doy, index = day_of_year(times)
    damp = depth_m * np.sqrt(np.pi / (365.0 * diffusivity_m2_per_day))
    lag = depth_m / 2.0 * np.sqrt(365.0 / (np.pi * diffusivity_m2_per_day))
    out = t_mean_c - amplitude_k * np.exp(-damp) * np.cos(
        2.0 * np.pi / 365.0 * (doy - day_min_surface - lag)
    )
    return restore_to_index(out, index, "t_ground_c")


def pipe_heat_loss(
    t_supply_c: ArrayLike,
    t_return_c: ArrayLike,
    t_ground_c: ArrayLike,
    ua_mw_per_k: float,
) -> ArrayLike:
    """Network heat loss of supply plus return pipes, MW.

    ::

        Q_loss = UA * ((T_s + T_r) / 2 - T_ground)

    A lumped steady-state model: ``UA`` is the total heat-loss coefficient of the network
    (both pipes, MW/K), applied to the mean of supply and return temperature. The result is
    not clipped: it is negative (a heat gain) if the ground is warmer than the water.

    Parameters
    ----------
    t_supply_c, t_return_c : scalar, array or Series
        Supply and return temperature, °C.
    t_ground_c : scalar, array or Series
        Ground temperature at pipe depth, °C (see :func:`ground_temperature`).
    ua_mw_per_k : float
        Total loss coefficient, MW/K (see :func:`calibrate_ua`).

    Returns
    -------
    scalar, array or Series
        Heat loss, MW.

    References
    ----------
    Frederiksen, S. & Werner, S. (2013). *District Heating and Cooling*. Studentlitteratur,
    Lund (heat losses proportional to the mean water minus ground temperature difference).
    """
    ts, tr, tg = (as_float_array(x) for x in (t_supply_c, t_return_c, t_ground_c))
    out = ua_mw_per_k * ((ts + tr) / 2.0 - tg)
    return restore(out, t_supply_c, t_return_c, t_ground_c, name="pipe_heat_loss_mw")


def calibrate_ua(
    t_supply_c: ArrayLike,
    t_return_c: ArrayLike,
    t_ground_c: ArrayLike,
    loss_fraction: float,
    heat_delivered_mwh: float,
    timestep_h: float = 1.0,
    basis: Literal["supplied", "delivered"] = "supplied",
) -> float:
    """Loss coefficient ``UA`` (MW/K) that reproduces an annual loss fraction.

    With ``basis="supplied"`` (default, the usual definition and the one used by
    ``heatpath.model.Demand.network_loss_fraction``) the fraction is of the heat supplied
    into the network: ``L / (D + L) = f``, hence ``L = D * f / (1 - f)``. With
    ``basis="delivered"`` it is of the heat delivered to customers: ``L = f * D``. Then::

        UA = L / sum_t(((T_s + T_r) / 2 - T_ground) * dt)

    Parameters
    ----------
    t_supply_c, t_return_c, t_ground_c : scalar, array or Series
        Hourly (or ``timestep_h``) temperatures over the period (usually one year), °C.
    loss_fraction : float
        Loss fraction f, 0 <= f < 1.
    heat_delivered_mwh : float
        Heat delivered to customers over the same period, MWh.
    timestep_h : float
        Length of one time step, h.
    basis : {"supplied", "delivered"}
        Reference of the loss fraction (see above).

    Returns
    -------
    float
        ``UA`` in MW/K.
    """
    if not 0.0 <= loss_fraction < 1.0:
        raise ValueError("loss_fraction must be in [0, 1)")
    if basis == "supplied":
        loss_mwh = heat_delivered_mwh * loss_fraction / (1.0 - loss_fraction)
    elif basis == "delivered":
        loss_mwh = heat_delivered_mwh * loss_fraction
    else:
        raise ValueError("basis must be 'supplied' or 'delivered'")
    arrays = (as_float_array(x) for x in (t_supply_c, t_return_c, t_ground_c))
    ts, tr, tg = np.broadcast_arrays(*arrays)
    dt_sum = ((ts + tr) / 2.0 - tg).sum() * timestep_h
    require_finite(np.asarray(dt_sum), "temperatures")
    if dt_sum <= 0.0:
        raise ValueError("mean water temperature must exceed the ground temperature on average")
    return float(loss_mwh / dt_sum)


def _rename(out: ArrayLike, name: str) -> ArrayLike:
    if hasattr(out, "rename"):
        return out.rename(name)  # type: ignore[union-attr]
    return out
