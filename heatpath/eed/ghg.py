"""Article 26(2) EED: GHG emissions per unit of heat delivered to customers."""

from __future__ import annotations

import math
import numbers

import pandas as pd

from heatpath.eed.chp import ALLOCATION_METHODS, CHP_KINDS, chp_efficiencies, chp_heat_share
from heatpath.eed.rules import SHARE_TOL, ghg_limit_g_per_kwh

#: Default CHP allocation method of :func:`heat_emission_factors` (see docs/eed.md).
DEFAULT_ALLOCATION = "efficiency"


def ghg_intensity(emissions_t: float, heat_delivered_mwh: float) -> float:
    """Direct GHG emissions per kWh of heat delivered to customers, g/kWh.

    1 t / MWh = 1e6 g / 1e3 kWh = 1000 g/kWh. The denominator is heat *delivered*
    ("final energy", after network losses), not heat into the network
    (Recommendation (EU) 2024/2395 sect. 3.1.3).

    Raises
    ------
    ValueError
        Negative/non-finite emissions, or delivered heat <= 0.
    """
    for name, v in (("emissions_t", emissions_t), ("heat_delivered_mwh", heat_delivered_mwh)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise ValueError(f"{name} must be a finite number, got {v!r}")
    if emissions_t < 0:
        raise ValueError(f"emissions_t must be >= 0, got {emissions_t}")
    if heat_delivered_mwh <= 0:
        raise ValueError(f"heat_delivered_mwh must be > 0, got {heat_delivered_mwh}")
    return float(emissions_t) / float(heat_delivered_mwh) * 1000.0


def ghg_compliant(year: int, intensity_g_per_kwh: float) -> bool:
    """True if the intensity does not exceed the Art. 26(2) maximum of ``year``."""
    v = intensity_g_per_kwh
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v) or v < 0:
        raise ValueError(f"intensity_g_per_kwh must be a finite number >= 0, got {v!r}")
    return float(v) <= ghg_limit_g_per_kwh(year) + SHARE_TOL


def heat_emission_factors(
    system,
    method: str = DEFAULT_ALLOCATION,
    *,
    ref_heat_eff: float | None = None,
    ref_el_eff: float | None = None,
) -> pd.Series:
    """Direct fossil CO2 per MWh of heat into the network, t/MWh, per unit.

    * fuel boilers: ``EF * (1 - biogenic) / efficiency``;
    * CHP: ``EF * (1 - biogenic) / heat_eff * a_heat`` with ``a_heat`` the heat share of
      :func:`heatpath.eed.chp.chp_heat_share` (``method`` ``"efficiency"`` - default - or
      ``"energy"``);
    * heat pumps, electric boilers, solar, geothermal, waste heat: 0 (no direct emissions;
      indirect emissions are excluded, Recommendation (EU) 2024/2395 sect. 3.1.3).

    Since every fuel unit burns ``heat / efficiency`` MWh of fuel, the factor is constant
    per unit. Index = unit names in ``system.units`` order.
    """
    if method not in ALLOCATION_METHODS:
        raise ValueError(f"unknown allocation method {method!r}; choose {ALLOCATION_METHODS}")
    out = {}
    for u in system.units:
        fuel_name = getattr(u, "fuel", None)
        if fuel_name is None:
            out[u.name] = 0.0
            continue
        if fuel_name not in system.fuels:
            raise ValueError(f"unit '{u.name}' uses undefined fuel '{fuel_name}'")
        fuel = system.fuels[fuel_name]
        fossil_ef = float(fuel.emission_factor_t_per_mwh) * (1.0 - float(fuel.biogenic_fraction))
        if u.kind in CHP_KINDS:
            h, e = chp_efficiencies(u)
            a = chp_heat_share(h, e, method, ref_heat_eff=ref_heat_eff, ref_el_eff=ref_el_eff)
            out[u.name] = fossil_ef / h * a
        else:
            out[u.name] = fossil_ef / float(u.efficiency)
    s = pd.Series(out, dtype=float, name="t_co2_per_mwh_heat")
    s.index.name = "unit"
    return s
