"""High-efficiency cogeneration (EED Annex III) and CHP heat/power emission allocation."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

from heatpath.eed.rules import param, param_date


def _finite(x: object, name: str, *, low: float | None = None, low_open: bool = False) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValueError(f"{name} must be a number, got {x!r}")
    v = float(x)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {v}")
    if low is not None and (v <= low if low_open else v < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {v}")
    return v


def default_reference_efficiencies() -> tuple[float, float]:
    """(ref heat efficiency, ref electrical efficiency) used when none is given.

    Natural gas: heat 0.90 (hot water), electricity 0.53 (Delegated Regulation (EU)
    2015/2402 Annex I, units from 2016). See ``eed_parameters.csv`` for the caveats: the heat
    value should be checked against the consolidated Annex II and no climatic / grid-loss
    correction factors are applied.
    """
    return param("ref_heat_eff_default"), param("ref_el_eff_default")


def primary_energy_savings(heat_eff: float, el_eff: float, ref_heat_eff: float,
                           ref_el_eff: float) -> float:
    """Primary energy savings of cogeneration, EED (EU) 2023/1791 Annex III(c).

    PES = 1 - 1 / (CHP Hη / Ref Hη + CHP Eη / Ref Eη)

    with CHP Hη (Eη) the useful heat (electricity from cogeneration) per unit of fuel input
    (LHV) and Ref Hη (Ref Eη) the harmonised reference efficiencies for separate production.

    Raises
    ------
    ValueError
        For negative or non-finite efficiencies, both CHP efficiencies zero, or reference
        efficiencies not in (0, 1.2].
    """
    h = _finite(heat_eff, "heat_eff", low=0.0)
    e = _finite(el_eff, "el_eff", low=0.0)
    rh = _finite(ref_heat_eff, "ref_heat_eff", low=0.0, low_open=True)
    re_ = _finite(ref_el_eff, "ref_el_eff", low=0.0, low_open=True)
    if rh > 1.2 or re_ > 1.2:
        raise ValueError("reference efficiencies must be fractions (e.g. 0.9), not percent")
    if h > 1.2 or e > 1.2:
        raise ValueError("CHP efficiencies must be fractions (e.g. 0.45), not percent")
    if h + e <= 0:
        raise ValueError("heat_eff and el_eff cannot both be zero")
    return 1.0 - 1.0 / (h / rh + e / re_)


def _on_date(year: int | dt.date) -> dt.date:
    if isinstance(year, dt.date):
        return year
    if isinstance(year, bool) or not isinstance(year, numbers.Integral):
        raise ValueError(f"year must be an int or a datetime.date, got {year!r}")
    # a rule in force on any day of the year applies to that year (conservative)
    return dt.date(int(year), 12, 31)


def co2_limit_applies(year: int | dt.date | None, new_or_refurbished: bool) -> bool:
    """Whether the < 270 gCO2/kWh HECHP limit of Annex III applies.

    New or substantially refurbished units from 12 October 2025, all units from
    1 January 2034 (Recommendation (EU) 2024/2395 Table 1). An integer year counts as
    affected if the limit is in force on any day of it (so 2025 for new units).
    """
    if year is None:
        return False
    d = _on_date(year)
    if d >= param_date("hechp_co2_limit_all_from"):
        return True
    return bool(new_or_refurbished) and d >= param_date("hechp_co2_limit_new_from")


def is_high_efficiency_chp(
    pes: float,
    el_capacity_mw: float,
    *,
    specific_emissions_g_per_kwh: float | None = None,
    year: int | dt.date | None = None,
    new_or_refurbished: bool = False,
) -> bool:
    """High-efficiency cogeneration test of EED (EU) 2023/1791 Annex III.

    * PES >= 10 % (Annex III(a)); for small-scale (< 1 MWe) and micro (< 50 kWe) units any
      PES > 0 (Annex III(b));
    * direct CO2 from fossil fuels < 270 g per kWh of combined energy output, for new or
      substantially refurbished units from 12 Oct 2025 and for all units from 1 Jan 2034
      (Recommendation (EU) 2024/2395 Table 1). ``year=None`` skips this criterion.

    Raises
    ------
    ValueError
        For a negative capacity, or when the emission criterion applies but
        ``specific_emissions_g_per_kwh`` is missing.
    """
    p = _finite(pes, "pes")
    cap = _finite(el_capacity_mw, "el_capacity_mw", low=0.0)
    small = cap < param("small_chp_max_mwe")  # includes micro (< 0.05 MWe)
    ok = p > param("pes_min_small") if small else p >= param("pes_min") - 1e-12
    if co2_limit_applies(year, new_or_refurbished):
        if specific_emissions_g_per_kwh is None:
            raise ValueError(
                "the < 270 gCO2/kWh HECHP criterion applies in this year: give "
                "specific_emissions_g_per_kwh (fossil CO2 per kWh of heat + electricity)"
            )
        em = _finite(specific_emissions_g_per_kwh, "specific_emissions_g_per_kwh", low=0.0)
        ok = ok and em < param("hechp_co2_limit_g_per_kwh")
    return ok


@dataclass(frozen=True)
class HECHPStatus:
    """Result of the Annex III test for one CHP unit."""

    hechp: bool
    pes: float
    heat_eff: float
    el_eff: float
    el_capacity_mw: float
    specific_emissions_g_per_kwh: float
    co2_limit_applied: bool
    reason: str


#: Unit kinds that cogenerate heat and power (schema kinds).
CHP_KINDS: tuple[str, ...] = ("chp_backpressure", "gas_engine", "biogas_chp", "waste_to_energy",
                              "chp_extraction", "ccgt")
#: Extraction-condensing kinds (heat and power are two variables, cb/cv model).
EXTRACTION_KINDS: tuple[str, ...] = ("chp_extraction", "ccgt")


def chp_efficiencies(unit) -> tuple[float, float]:
    """(heat efficiency, gross electrical efficiency) of a CHP unit in cogeneration mode.

    Electricity is gross (at the generator outlet, EED Annex I(a)). A back-pressure unit with
    a fixed power-to-heat ratio produces only cogeneration electricity: heat eff = efficiency,
    el eff = efficiency * power_to_heat. An extraction unit (cb/cv model) is assessed on its
    back-pressure line, where all its electricity is cogenerated (EED Annex I: electricity
    from cogeneration is the power produced with the useful heat at the power-to-heat ratio):
    fuel = (cb + cv) h / eta_el, so heat eff = eta_el / (cb + cv) and el eff = cb * heat eff.
    """
    if unit.kind in EXTRACTION_KINDS:
        h = float(unit.el_efficiency) / (float(unit.power_to_heat) + float(unit.power_loss))
        return h, h * float(unit.power_to_heat)
    h = float(unit.efficiency)
    return h, h * float(unit.power_to_heat)


def chp_el_capacity_mw(unit) -> float:
    """Electrical capacity of a CHP unit, MW (for the small-scale thresholds of Annex III)."""
    if unit.kind in EXTRACTION_KINDS:
        return float(unit.el_capacity_mw)
    return float(unit.capacity_mw) * float(unit.power_to_heat)


def hechp_status(
    unit,
    fuels: Mapping,
    *,
    year: int | dt.date | None = None,
    new_or_refurbished: bool = False,
    ref_heat_eff: float | None = None,
    ref_el_eff: float | None = None,
) -> HECHPStatus:
    """Annex III high-efficiency test computed from a CHP unit's data.

    ``unit.hechp`` (explicit override) is *not* consulted here; see
    :func:`heatpath.eed.classify_unit`.
    """
    rh_d, re_d = default_reference_efficiencies()
    rh = rh_d if ref_heat_eff is None else ref_heat_eff
    re_ = re_d if ref_el_eff is None else ref_el_eff
    h, e = chp_efficiencies(unit)
    pes = primary_energy_savings(h, e, rh, re_)
    cap_e = chp_el_capacity_mw(unit)
    fuel = fuels[unit.fuel]
    fossil_ef = float(fuel.emission_factor_t_per_mwh) * (1.0 - float(fuel.biogenic_fraction))
    spec = fossil_ef / (h + e) * 1000.0  # t/MWh_fuel / (MWh_out/MWh_fuel) -> g/kWh_out
    applied = co2_limit_applies(year, new_or_refurbished)
    ok = is_high_efficiency_chp(pes, cap_e, specific_emissions_g_per_kwh=spec, year=year,
                                new_or_refurbished=new_or_refurbished)
    small = cap_e < param("small_chp_max_mwe")
    need = "PES > 0 (small-scale < 1 MWe, Annex III(b))" if small else "PES >= 10 % (Annex III(a))"
    txt = (f"PES = {pes:.1%} with heat eff {h:.3f}, gross el eff {e:.3f} against reference "
           f"heat {rh:.3f} / el {re_:.3f}; needs {need}")
    if applied:
        txt += (f"; fossil CO2 {spec:.0f} g/kWh of combined output, limit < "
                f"{param('hechp_co2_limit_g_per_kwh'):.0f} (Annex III, Rec. Table 1)")
    return HECHPStatus(ok, pes, h, e, cap_e, spec, applied, txt)


#: CHP heat/power emission allocation methods of :func:`chp_heat_share`.
ALLOCATION_METHODS: tuple[str, ...] = ("efficiency", "energy")


def chp_heat_share(heat_eff: float, el_eff: float, method: str = "efficiency", *,
                   ref_heat_eff: float | None = None, ref_el_eff: float | None = None) -> float:
    """Share of a CHP's fuel (and direct emissions) allocated to its heat.

    ``"efficiency"`` (default; reference-efficiency / "Finnish" benefit-sharing method)::

        a_heat = (Hη / Ref Hη) / (Hη / Ref Hη + Eη / Ref Eη)

    i.e. fuel is split in proportion to the fuel that separate production would need, the
    same reference efficiencies as the PES test of Annex III (and the split used for CHP in
    EU ETS free-allocation rules). ``"energy"`` (output method): ``a_heat = Hη / (Hη + Eη)``.
    """
    if method not in ALLOCATION_METHODS:
        raise ValueError(f"unknown allocation method {method!r}; choose {ALLOCATION_METHODS}")
    h = _finite(heat_eff, "heat_eff", low=0.0)
    e = _finite(el_eff, "el_eff", low=0.0)
    if h + e <= 0:
        raise ValueError("heat_eff and el_eff cannot both be zero")
    if method == "energy":
        return h / (h + e)
    rh_d, re_d = default_reference_efficiencies()
    rh = _finite(rh_d if ref_heat_eff is None else ref_heat_eff, "ref_heat_eff", low=0.0,
                 low_open=True)
    re_ = _finite(re_d if ref_el_eff is None else ref_el_eff, "ref_el_eff", low=0.0,
                  low_open=True)
    return (h / rh) / (h / rh + e / re_)
