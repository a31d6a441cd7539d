"""Hourly variable cost of heat production per unit (paper, Sect. 2, energyPRO formula).

The paper computes, for every production unit and hour ``t``::

    C_q,var,t = C_f + C_el + C_om + C_env + C_ETS - S_el,chp

with

* fuel cost          ``C_f   = Q / eta * p_f``            (boilers, CHP; eta related to heat)
* electricity cost   ``C_el  = Q / COP * (p_el + dc_el)`` (heat pumps, electric boilers)
* O&M cost           ``C_om  = Q * c_om``                 (EUR/MWh_th, DEA catalogue data)
* environment cost   ``C_env = Q / eta * c_env``          (fee per MWh of fuel; heatpath
  convention, the paper names the term without a formula)
* ETS cost           ``C_ETS = Q / eta * 3.6 * EF / 1000 * s_fossil * p_EUA``
* CHP power revenue  ``S_el,chp = Q * (sigma - alpha) * p_el``

All functions are vectorised: arguments may be scalars, numpy arrays or pandas Series
(e.g. an hourly price vector); pandas indexes are preserved. Energy in MWh, prices in
EUR/MWh, EUA in EUR/t CO2, emission factors in kg CO2/GJ of fuel (LHV).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_DISTRIBUTION_COST",
    "GJ_PER_MWH",
    "MJ_PER_MWH",
    "chp_electricity_revenue",
    "ets_cost",
    "fuel_cost",
    "fuel_price_per_mwh",
    "heat_pump_electricity_cost",
    "lcoh",
    "lcoh_system",
    "load_fuels",
    "net_electricity_cost",
    "price_per_mwh_from_per_kg",
    "price_per_mwh_from_per_nm3",
    "variable_heat_cost",
]

#: Electricity transmission and distribution fee paid to the DSO, EUR/MWh_el (paper).
DEFAULT_DISTRIBUTION_COST = 50.0
GJ_PER_MWH = 3.6
MJ_PER_MWH = 3600.0

_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

Value = Any  # float | numpy array | pandas Series


def _require_positive(value: Value, name: str) -> None:
    arr = np.asarray(value, dtype=float)
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0.0):
        raise ValueError(f"{name} must be finite and > 0 everywhere, got {value!r}")


def _require_finite(value: Value, name: str) -> None:
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains non-finite values (NaN/inf)")


# --------------------------------------------------------------------------- fuel prices


def price_per_mwh_from_per_kg(price_eur_per_kg: Value, lhv_mj_per_kg: float) -> Value:
    """Convert a fuel price per kg into EUR per MWh of fuel (LHV basis).

    ``p [EUR/MWh] = p [EUR/kg] / (LHV [MJ/kg] / 3600 [MJ/MWh])``. A negative price is a
    gate fee received for taking the fuel, e.g. the paper's RDF at -0.13 EUR/kg with
    LHV 21.33 MJ/kg gives ``-0.13 / (21.33 / 3600) = -21.94 EUR/MWh``.

    Parameters
    ----------
    price_eur_per_kg : float or array-like
        Fuel price, EUR/kg (negative = gate fee).
    lhv_mj_per_kg : float
        Lower heating value, MJ/kg (> 0).

    Returns
    -------
    float or array-like
        Fuel price, EUR/MWh_fuel.
    """
    _require_positive(lhv_mj_per_kg, "lhv_mj_per_kg")
    _require_finite(price_eur_per_kg, "price_eur_per_kg")
    return price_eur_per_kg * (MJ_PER_MWH / lhv_mj_per_kg)


def price_per_mwh_from_per_nm3(price_eur_per_nm3: Value, lhv_mj_per_nm3: float) -> Value:
    """Convert a gas price per normal cubic metre into EUR per MWh (LHV basis).

    ``p [EUR/MWh] = p [EUR/Nm3] / (LHV [MJ/Nm3] / 3600)``; e.g. natural gas at
    0.40 EUR/Nm3 with LHV 36.54 MJ/Nm3 is ``0.40 * 3600 / 36.54 = 39.41 EUR/MWh``.

    Parameters
    ----------
    price_eur_per_nm3 : float or array-like
        Gas price, EUR/Nm3.
    lhv_mj_per_nm3 : float
        Lower heating value, MJ/Nm3 (> 0).

    Returns
    -------
    float or array-like
        Fuel price, EUR/MWh_fuel.
    """
    _require_positive(lhv_mj_per_nm3, "lhv_mj_per_nm3")
    _require_finite(price_eur_per_nm3, "price_eur_per_nm3")
    return price_eur_per_nm3 * (MJ_PER_MWH / lhv_mj_per_nm3)


@lru_cache(maxsize=4)
def _read_fuels(path: str) -> pd.DataFrame:
    return pd.read_csv(path).set_index("name")


def load_fuels(path: str | Path | None = None) -> pd.DataFrame:
    """Fuel property table ``heatpath/data/fuels.csv``, indexed by fuel ``name``.

    Columns: ``lhv``, ``lhv_unit`` (``MJ/kg`` or ``MJ/Nm3``), ``ef_kg_per_gj`` (kg CO2 per
    GJ of fuel, LHV), ``fossil_share_default`` (share of the emissions that needs EUAs)
    and ``source``.

    Parameters
    ----------
    path : str or Path, optional
        Alternative CSV with the same columns.

    Returns
    -------
    pandas.DataFrame
        A copy that callers may modify.
    """
    return _read_fuels(str(path or _DATA_DIR / "fuels.csv")).copy()


def fuel_price_per_mwh(
    name: str, price_per_unit: Value, fuels: pd.DataFrame | None = None
) -> Value:
    """Convert a fuel price per kg or per Nm3 into EUR/MWh using ``fuels.csv``.

    Parameters
    ----------
    name : str
        Fuel name in the table (e.g. ``"rdf"``, ``"natural_gas"``).
    price_per_unit : float or array-like
        Price in EUR per kg or per Nm3, according to the fuel's ``lhv_unit``.
    fuels : pandas.DataFrame, optional
        Table as returned by :func:`load_fuels` (default: the packaged one).

    Returns
    -------
    float or array-like
        EUR/MWh_fuel.
    """
    table = load_fuels() if fuels is None else fuels
    if name not in table.index:
        raise ValueError(f"unknown fuel {name!r}; known: {sorted(table.index)}")
    row = table.loc[name]
    if row["lhv_unit"] == "MJ/kg":
        return price_per_mwh_from_per_kg(price_per_unit, float(row["lhv"]))
    if row["lhv_unit"] == "MJ/Nm3":
        return price_per_mwh_from_per_nm3(price_per_unit, float(row["lhv"]))
    raise ValueError(f"fuel {name!r} has unsupported lhv_unit {row['lhv_unit']!r}")


# --------------------------------------------------------------------------- cost terms


def fuel_cost(heat_mwh: Value, efficiency: Value, fuel_price: Value) -> Value:
    """Fuel cost ``C_f = Q / eta * p_f`` (paper's fuel-cost equation).

    Parameters
    ----------
    heat_mwh : float or array-like
        Heat output Q, MWh_th (per hour: MW_th x 1 h).
    efficiency : float or array-like
        Heat efficiency eta, MWh_th per MWh_fuel (for CHP: related to heat production).
    fuel_price : float or array-like
        Fuel price p_f, EUR/MWh_fuel (LHV); negative for a gate fee.

    Returns
    -------
    float or array-like
        EUR.
    """
    _require_positive(efficiency, "efficiency")
    return heat_mwh / efficiency * fuel_price


def heat_pump_electricity_cost(
    heat_mwh: Value,
    cop: Value,
    el_price: Value,
    distribution_cost: Value = DEFAULT_DISTRIBUTION_COST,
) -> Value:
    """Electricity cost of a heat pump ``C_el = Q / COP * (p_el + dc_el)`` (paper).

    Also valid for electric boilers with ``cop`` = efficiency (~0.99).

    Parameters
    ----------
    heat_mwh : float or array-like
        Heat output Q, MWh_th.
    cop : float or array-like
        Coefficient of performance, MWh_th/MWh_el (> 0), may vary by hour.
    el_price : float or array-like
        Electricity market price p_el, EUR/MWh_el (may be negative).
    distribution_cost : float or array-like, default 50
        Transmission and distribution fee dc_el paid to the DSO, EUR/MWh_el (paper: 50).

    Returns
    -------
    float or array-like
        EUR.
    """
    _require_positive(cop, "cop")
    return heat_mwh / cop * (el_price + distribution_cost)


def chp_electricity_revenue(
    heat_mwh: Value, power_to_heat_ratio: Value, aux_consumption: Value, el_price: Value
) -> Value:
    """Revenue from exported CHP electricity ``S_el,chp = Q * (sigma - alpha) * p_el``.

    Implements the paper's formula with ``sigma`` the power-to-heat ratio (MWh_el gross per
    MWh_th) and ``alpha`` the auxiliary electricity consumption of the unit **expressed per
    MWh of heat** (MWh_el/MWh_th), so ``Q * (sigma - alpha)`` is the net exported
    electricity. If your auxiliary consumption is a fraction ``f`` of gross electric
    output, pass ``alpha = f * sigma``. No distribution fee is deducted from exports.

    Parameters
    ----------
    heat_mwh : float or array-like
        Heat output Q, MWh_th.
    power_to_heat_ratio : float or array-like
        sigma, MWh_el/MWh_th (>= 0).
    aux_consumption : float or array-like
        alpha, MWh_el/MWh_th (>= 0).
    el_price : float or array-like
        Electricity market price, EUR/MWh_el (negative prices give negative revenue).

    Returns
    -------
    float or array-like
        EUR (positive = revenue).
    """
    for value, name in (
        (power_to_heat_ratio, "power_to_heat_ratio"),
        (aux_consumption, "aux_consumption"),
    ):
        arr = np.asarray(value, dtype=float)
        if not np.all(np.isfinite(arr)) or np.any(arr < 0.0):
            raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return heat_mwh * (power_to_heat_ratio - aux_consumption) * el_price


def ets_cost(
    fuel_mwh: Value, ef_kg_per_gj: Value, eua_price: Value, fossil_share: Value = 1.0
) -> Value:
    """Cost of EU ETS allowances ``C_ETS = E_f * 3.6 * EF / 1000 * s_fossil * p_EUA``.

    Parameters
    ----------
    fuel_mwh : float or array-like
        Fuel energy input E_f (LHV), MWh_fuel (= Q / eta).
    ef_kg_per_gj : float or array-like
        Emission factor, kg CO2 per GJ of fuel (paper: gas 55.42, RDF 91.7).
    eua_price : float or array-like
        EUA price, EUR/t CO2 (paper 2024 average: 65.24).
    fossil_share : float or array-like, default 1.0
        Share of the emissions that is fossil and needs allowances, in [0, 1]
        (biogenic CO2 is zero-rated).

    Returns
    -------
    float or array-like
        EUR. Example: 1 MWh of gas at 65.24 EUR/t costs
        ``1 * 3.6 * 55.42 / 1000 * 65.24 = 13.016 EUR``.
    """
    arr = np.asarray(fossil_share, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any((arr < 0.0) | (arr > 1.0)):
        raise ValueError(f"fossil_share must be within [0, 1], got {fossil_share!r}")
    return fuel_mwh * GJ_PER_MWH * ef_kg_per_gj / 1000.0 * fossil_share * eua_price


def net_electricity_cost(
    consumption_mwh: Value,
    production_mwh: Value,
    el_price: Value,
    distribution_cost: Value = DEFAULT_DISTRIBUTION_COST,
) -> Value:
    """Cost of the *net* electricity exchange of units balanced within the system.

    When CHP units and heat pumps work together the paper balances electricity inside the
    system and prices only net imports and exports: ``net = consumption - production``;
    cost = ``max(net, 0) * (p_el + dc_el) - max(-net, 0) * p_el``.

    Parameters
    ----------
    consumption_mwh, production_mwh : float or array-like
        Electricity consumed (heat pumps, electric boilers) and produced (CHP, net of
        auxiliaries) in the same hour, MWh_el.
    el_price : float or array-like
        Market price, EUR/MWh_el.
    distribution_cost : float or array-like, default 50
        DSO fee on imports, EUR/MWh_el.

    Returns
    -------
    float or array-like
        EUR (negative = net revenue).
    """
    net = consumption_mwh - production_mwh
    imports = np.maximum(net, 0.0)
    exports = np.maximum(-net, 0.0)
    return imports * (el_price + distribution_cost) - exports * el_price


def _coerce(value: Value) -> Value:
    """Lists/tuples become float arrays; scalars, arrays and Series pass through."""
    if isinstance(value, list | tuple):
        return np.asarray(value, dtype=float)
    return value


def _index_of(*values: Value) -> pd.Index | None:
    for v in values:
        if isinstance(v, pd.Series):
            return v.index
    return None


def variable_heat_cost(
    heat_mwh: Value,
    *,
    efficiency: Value | None = None,
    fuel_price: Value = 0.0,
    cop: Value | None = None,
    el_price: Value = 0.0,
    distribution_cost: Value = DEFAULT_DISTRIBUTION_COST,
    variable_om: Value = 0.0,
    env_cost_per_mwh_fuel: Value = 0.0,
    ef_kg_per_gj: Value = 0.0,
    fossil_share: Value = 1.0,
    eua_price: Value = 0.0,
    power_to_heat_ratio: Value = 0.0,
    aux_consumption: Value = 0.0,
) -> pd.DataFrame:
    """Variable heat cost of one unit, all terms of the paper's energyPRO formula.

    ``C_q,var,t = C_f + C_el + C_om + C_env + C_ETS - S_el,chp``.

    Give ``efficiency`` for fuel-fired units (boilers, CHP; heat efficiency), ``cop`` for
    electricity-driven ones (heat pumps, electric boilers), or neither for units with no
    energy input cost (solar, storage). Both may be given (e.g. a gas-driven unit with an
    electric booster), in which case both terms are charged.

    Parameters
    ----------
    heat_mwh : float or array-like
        Heat output Q per hour, MWh_th (pandas Series index is preserved).
    efficiency : float or array-like, optional
        Heat efficiency eta, MWh_th/MWh_fuel.
    fuel_price : float or array-like, default 0
        EUR/MWh_fuel; negative for a gate fee (see :func:`price_per_mwh_from_per_kg`).
    cop : float or array-like, optional
        Coefficient of performance, MWh_th/MWh_el.
    el_price : float or array-like, default 0
        Electricity market price, EUR/MWh_el.
    distribution_cost : float or array-like, default 50
        DSO fee on purchased electricity, EUR/MWh_el (paper).
    variable_om : float or array-like, default 0
        Variable O&M, EUR/MWh_th.
    env_cost_per_mwh_fuel : float or array-like, default 0
        Environmental fees (non-ETS), EUR/MWh_fuel.
    ef_kg_per_gj : float or array-like, default 0
        CO2 emission factor of the fuel, kg/GJ.
    fossil_share : float or array-like, default 1
        Fossil share of the CO2, in [0, 1].
    eua_price : float or array-like, default 0
        EUA price, EUR/t CO2.
    power_to_heat_ratio, aux_consumption : float or array-like, default 0
        CHP sigma and alpha, MWh_el/MWh_th (see :func:`chp_electricity_revenue`).

    Returns
    -------
    pandas.DataFrame
        Columns ``c_f``, ``c_el``, ``c_om``, ``c_env``, ``c_ets``, ``s_el_chp`` and
        ``c_q_var`` (= sum of costs minus CHP revenue), EUR per row (hour). The index is
        that of the first pandas Series argument, else a RangeIndex. Call with
        ``heat_mwh=1.0`` for the specific cost in EUR/MWh_th.
    """
    (
        heat_mwh,
        efficiency,
        fuel_price,
        cop,
        el_price,
        distribution_cost,
        variable_om,
        env_cost_per_mwh_fuel,
        ef_kg_per_gj,
        fossil_share,
        eua_price,
        power_to_heat_ratio,
        aux_consumption,
    ) = map(
        _coerce,
        (
            heat_mwh,
            efficiency,
            fuel_price,
            cop,
            el_price,
            distribution_cost,
            variable_om,
            env_cost_per_mwh_fuel,
            ef_kg_per_gj,
            fossil_share,
            eua_price,
            power_to_heat_ratio,
            aux_consumption,
        ),
    )
    _require_finite(heat_mwh, "heat_mwh")
    if efficiency is not None:
        _require_positive(efficiency, "efficiency")
        fuel_mwh = heat_mwh / efficiency
        c_f = fuel_cost(heat_mwh, efficiency, fuel_price)
        c_env = fuel_mwh * env_cost_per_mwh_fuel
        c_ets = ets_cost(fuel_mwh, ef_kg_per_gj, eua_price, fossil_share)
    else:
        if np.any(np.asarray(fuel_price, dtype=float) != 0.0) or np.any(
            np.asarray(eua_price, dtype=float) * np.asarray(ef_kg_per_gj, dtype=float) != 0.0
        ):
            raise ValueError("fuel_price/ETS given without efficiency: pass efficiency=eta")
        c_f = c_env = c_ets = 0.0
    c_el = (
        heat_pump_electricity_cost(heat_mwh, cop, el_price, distribution_cost)
        if (cop is not None)
        else 0.0
    )
    c_om = heat_mwh * variable_om
    s_el = chp_electricity_revenue(heat_mwh, power_to_heat_ratio, aux_consumption, el_price)

    index = _index_of(
        heat_mwh,
        efficiency,
        fuel_price,
        cop,
        el_price,
        distribution_cost,
        variable_om,
        env_cost_per_mwh_fuel,
        ef_kg_per_gj,
        fossil_share,
        eua_price,
        power_to_heat_ratio,
        aux_consumption,
    )
    terms = {
        "c_f": c_f,
        "c_el": c_el,
        "c_om": c_om,
        "c_env": c_env,
        "c_ets": c_ets,
        "s_el_chp": s_el,
    }
    arrays = {k: np.asarray(v, dtype=float) for k, v in terms.items()}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values()))
    n = int(np.prod(shape)) if shape else 1
    if index is not None and len(index) != n:
        raise ValueError(f"inputs have {n} elements but a Series index has {len(index)}")
    data = {k: np.broadcast_to(a, shape).reshape(n) for k, a in arrays.items()}
    frame = pd.DataFrame(data, index=index if index is not None else pd.RangeIndex(n))
    frame["c_q_var"] = (
        frame["c_f"]
        + frame["c_el"]
        + frame["c_om"]
        + frame["c_env"]
        + frame["c_ets"]
        - frame["s_el_chp"]
    )
    return frame


# --------------------------------------------------------------------------- LCOH


def lcoh(capex_annuity: Value, fixed_om: Value, variable_cost: Value, heat_mwh: Value) -> Value:
    """Levelised cost of heat per unit (annuity method), EUR/MWh_th.

    ``LCOH = (A_capex + C_om,fix + C_var) / Q_year`` where ``A_capex = CAPEX * CRF(r, n)``
    (see :func:`heatpath.economics.annuity_payment`). Element-wise for arrays/Series
    (one element per unit).

    Parameters
    ----------
    capex_annuity : float or array-like
        Annualised investment, EUR/yr.
    fixed_om : float or array-like
        Fixed O&M, EUR/yr.
    variable_cost : float or array-like
        Annual variable cost (sum of ``c_q_var`` over the year), EUR/yr.
    heat_mwh : float or array-like
        Annual heat production, MWh_th/yr (> 0).

    Returns
    -------
    float or array-like
        EUR/MWh_th.
    """
    _require_positive(heat_mwh, "heat_mwh")
    return (capex_annuity + fixed_om + variable_cost) / heat_mwh


def lcoh_system(
    capex_annuity: Value, fixed_om: Value, variable_cost: Value, heat_mwh: Value
) -> float:
    """Levelised cost of heat of a set of units: total annual cost over total heat.

    ``LCOH_sys = sum_i (A_i + F_i + V_i) / sum_i Q_i`` — the heat-weighted mean of the
    per-unit :func:`lcoh`.

    Parameters
    ----------
    capex_annuity, fixed_om, variable_cost : float or array-like
        Per-unit annual amounts, EUR/yr.
    heat_mwh : float or array-like
        Per-unit annual heat production, MWh_th/yr (each >= 0, total > 0).

    Returns
    -------
    float
        EUR/MWh_th.
    """
    q = np.asarray(heat_mwh, dtype=float)
    if not np.all(np.isfinite(q)) or np.any(q < 0.0) or math.isclose(float(q.sum()), 0.0):
        raise ValueError("heat_mwh must be finite, >= 0 per unit and > 0 in total")
    total = (
        np.asarray(capex_annuity, dtype=float)
        + np.asarray(fixed_om, dtype=float)
        + np.asarray(variable_cost, dtype=float)
    )
    total = np.broadcast_to(total, np.broadcast_shapes(total.shape, q.shape))
    return float(total.sum() / q.sum())
