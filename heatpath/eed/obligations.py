"""Obligations of Article 26(4)-(7) EED (thresholds in ``eed_art26_thresholds.csv``)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping

from heatpath.eed.rules import param, thresholds


def _num(v: object, name: str) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
        raise ValueError(f"{name} must be a finite number, got {v!r}")
    if v < 0:
        raise ValueError(f"{name} must be >= 0, got {v}")
    return float(v)


def _threshold(obligation: str, installation_type: str):
    for t in thresholds():
        if t.obligation == obligation and t.installation_type == installation_type:
            return t
    known = sorted(t.installation_type for t in thresholds() if t.obligation == obligation)
    raise ValueError(f"unknown installation type {installation_type!r} for '{obligation}'; "
                     f"known: {known}")


def substantial_refurbishment(refurb_cost: float, new_unit_cost: float) -> bool:
    """Art. 2(50) EED: refurbishment cost *exceeds* 50 % of a new comparable unit's cost.

    Used by Art. 26(4) (new or substantially refurbished DHC systems/supply units).
    """
    r = _num(refurb_cost, "refurb_cost")
    n = _num(new_unit_cost, "new_unit_cost")
    if n <= 0:
        raise ValueError(f"new_unit_cost must be > 0, got {n}")
    return r > param("substantial_refurbishment_ratio") * n


def plan_obligation(
    system_or_capacities,
    peak_only: Iterable[str] = (),
    *,
    efficient: bool = False,
    year: int | None = None,
) -> bool:
    """Art. 26(5): must the operator prepare a plan to become efficient DHC?

    True if the total installed heat capacity *exceeds* 5 MW, excluding units used only at
    peak demand (Recommendation (EU) 2024/2395 sect. 3.3.1), the system is not efficient
    (``efficient=False``) and - if ``year`` is given - the year is 2025 or later.

    Parameters
    ----------
    system_or_capacities : System, mapping unit name -> MW, or iterable of MW
    peak_only : iterable of str
        Names of peak-only units (not allowed with a plain list of capacities).
    efficient : bool
        The system meets Art. 26(1) (then no plan is required).
    year : int, optional
    """
    t = _threshold("plan", "dhc_system")
    if isinstance(peak_only, str):
        raise ValueError("peak_only must be an iterable of unit names, not a string")
    peak = list(peak_only)
    if hasattr(system_or_capacities, "units"):
        caps = {u.name: u.capacity_mw for u in system_or_capacities.units}
    elif isinstance(system_or_capacities, Mapping):
        caps = dict(system_or_capacities)
    else:
        vals = list(system_or_capacities)
        if peak:
            raise ValueError("peak_only needs named capacities (a System or a mapping)")
        caps = {str(i): v for i, v in enumerate(vals)}
    unknown = sorted(set(peak) - set(caps))
    if unknown:
        raise ValueError(f"peak_only names not found: {unknown}; units: {sorted(caps)}")
    total = math.fsum(_num(v, f"capacity of '{k}'") for k, v in caps.items() if k not in peak)
    if efficient:
        return False
    if year is not None and t.from_date is not None and int(year) < t.from_date.year:
        return False
    return total > t.threshold_mw


def data_centre_waste_heat_obligation(rated_input_mw: float) -> bool:
    """Art. 26(6): data centres with a total rated energy input *exceeding* 1 MW must use
    their waste heat (unless not technically or economically feasible per the 26(7) CBA)."""
    return _num(rated_input_mw, "rated_input_mw") > _threshold(
        "data_centre_waste_heat", "data_centre").threshold_mw


#: Installation types of Art. 26(7)(a)-(d).
CBA_INSTALLATION_TYPES: tuple[str, ...] = (
    "thermal_electricity_generation", "industrial", "service_facility", "data_centre",
)


def cba_required(installation_type: str, total_input_mw: float) -> bool:
    """Art. 26(7): installation-level cost-benefit analysis for a new or substantially
    refurbished installation whose (average annual) total energy input *exceeds*
    10 MW (thermal electricity generation), 8 MW (industrial), 7 MW (service facility) or
    whose total rated energy input exceeds 1 MW (data centre)."""
    t = _threshold("cba", installation_type)
    return _num(total_input_mw, "total_input_mw") > t.threshold_mw
