"""Classification of production units into the counting groups of Article 26 EED.

Each unit's heat into the network is split into fractions of the five counting groups
(:data:`heatpath.eed.GROUPS`) and into Table A-1 categories. The fractions are constant per
unit (they depend on fuel composition, CHP qualification and heat-pump efficiency, not on the
hour), so annual group totals are ``sum_u heat_u * fraction_u,g`` - linear, which is what the
dispatch LP needs.

Rules (Recommendation (EU) 2024/2395, Annex, Appendix A, Tables A-1/A-2; docs/eed.md):

* explicit ``unit.eed_group`` / ``unit.eed_category`` overrides win;
* no double counting: the biogenic share of any fuel counts as renewable, also in CHP; only
  the fossil share of a CHP counts as (high-efficiency) cogeneration;
* co-firing and waste-to-energy are split by ``Fuel.biogenic_fraction`` (energy share); heat
  from waste incineration is a main product and never waste heat;
* heat pumps: all heat counts (as renewable, or as waste heat for Y2 sources) if
  SPF > 1.15 / eta (RED Annex VII), else none (group ``fossil``);
* electric boilers count by ``renewable_electricity_share``.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from heatpath.eed.chp import CHP_KINDS, hechp_status
from heatpath.eed.rules import GROUPS, categories, check_category, param

#: Default eta of RED Annex VII (Commission Decision 2013/114/EU: 45.5 %).
ETA_DEFAULT = 0.455

#: Heat-pump sources whose heat is waste heat (Table A-1 row Y2); all others are X10/X11.
WASTE_HEAT_SOURCES: frozenset[str] = frozenset({"data_centre", "metro", "industrial_waste_heat"})

_MAIN_PRODUCT = ("combustion heat is a main product, never waste heat (RED Art. 2(9); "
                 "Rec. (EU) 2024/2395 sect. 3.1.2)")


@dataclass(frozen=True)
class Classification:
    """How a unit's heat counts under Article 26 EED.

    Attributes
    ----------
    category : str
        Table A-1 code receiving the largest part of the heat (``X1``..``X11``, ``Y1``,
        ``Y2``, ``Z1``, ``Z2``, ``W``; ``W.CHP`` = part of W from non-high-efficiency CHP).
    fractions : dict
        Fraction of the unit's heat in each of the five groups (all keys, sums to 1).
    reason : str
        The rule applied and its legal source.
    category_fractions : dict
        Split of the heat over Table A-1 categories (sums to 1), e.g. a waste-to-energy CHP
        ``{"X3": 0.3, "Z2": 0.7}``.
    """

    category: str
    fractions: dict[str, float]
    reason: str
    category_fractions: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.fractions) - set(GROUPS)
        if unknown:
            raise ValueError(f"unknown counting groups {sorted(unknown)}")
        fr = {g: float(self.fractions.get(g, 0.0)) for g in GROUPS}
        if any(not (0.0 <= v <= 1.0) for v in fr.values()) or abs(sum(fr.values()) - 1) > 1e-9:
            raise ValueError(f"fractions must be in [0, 1] and sum to 1, got {fr}")
        object.__setattr__(self, "fractions", fr)
        check_category(self.category)
        cf = dict(self.category_fractions) or {self.category: 1.0}
        for c in cf:
            check_category(c)
        if abs(sum(cf.values()) - 1) > 1e-9:
            raise ValueError(f"category_fractions must sum to 1, got {cf}")
        object.__setattr__(self, "category_fractions", cf)


def heat_pump_counts_as_renewable(spf: float, eta: float = ETA_DEFAULT) -> bool:
    """RED (EU) 2018/2001 Annex VII: a heat pump counts only if SPF > 1.15 * 1/eta.

    With the default eta = 0.455 the threshold is 2.5275 (strictly greater). Recital 107 EED
    and Recommendation (EU) 2024/2395 Table A-2 note (**) then count *all* its heat.
    """
    if isinstance(spf, bool) or not isinstance(spf, numbers.Real) or not math.isfinite(spf):
        raise ValueError(f"spf must be a finite number, got {spf!r}")
    if spf <= 0:
        raise ValueError(f"spf must be > 0, got {spf}")
    if (isinstance(eta, bool) or not isinstance(eta, numbers.Real) or not math.isfinite(eta)
            or not 0 < eta <= 1):
        raise ValueError(f"eta must be in (0, 1], got {eta!r}")
    return float(spf) > param("hp_spf_factor") / float(eta)


def spf_threshold(eta: float = ETA_DEFAULT) -> float:
    """Minimum SPF (exclusive) of RED Annex VII: 1.15 / eta."""
    if not 0 < eta <= 1:
        raise ValueError(f"eta must be in (0, 1], got {eta!r}")
    return param("hp_spf_factor") / eta


def estimate_spf(unit) -> tuple[float, str]:
    """SPF of a heat pump: ``unit.spf`` if given, else the mean of its COP (Series or number).

    The plain mean over all hours is an approximation of the seasonal performance factor
    (heat out / electricity in over the season); give ``spf`` when it is known.
    """
    if unit.spf is not None:
        return float(unit.spf), f"SPF {float(unit.spf):.3f} (given)"
    cop = unit.cop
    if isinstance(cop, pd.Series):
        vals = pd.to_numeric(cop, errors="coerce")
        if len(vals) == 0 or vals.isna().any():
            raise ValueError(f"heat pump '{unit.name}': COP series is empty or has NaN/"
                             f"non-numeric values; give spf")
        spf = float(vals.mean())
        how = f"SPF {spf:.3f} estimated as the mean of the hourly COP series"
    elif isinstance(cop, numbers.Real) and not isinstance(cop, bool):
        spf = float(cop)
        how = f"SPF {spf:.3f} = constant COP"
    else:
        raise ValueError(
            f"heat pump '{unit.name}': COP {cop!r} is a column reference that has not been "
            f"loaded; use heatpath.model.load_scenario / finalize first, or give spf"
        )
    if not math.isfinite(spf) or spf <= 0:
        raise ValueError(f"heat pump '{unit.name}': COP must be positive, got mean {spf}")
    return spf, how


def _is_chp(unit) -> bool:
    return unit.kind in CHP_KINDS


def _renewable_code(unit) -> str:
    """Table A-1 renewable row for a unit kind (fuel state inferred from the kind)."""
    k = unit.kind
    if k == "heat_pump":
        return "X11" if unit.source == "geothermal_shallow" else "X10"
    return {
        "solar_thermal": "X9", "geothermal": "X1", "waste_heat": "X1",
        "electric_boiler": "X8", "boiler": "X2", "biomass_boiler": "X2", "gas_boiler": "X4",
        "oil_boiler": "X6", "chp_backpressure": "X3", "gas_engine": "X5", "biogas_chp": "X5",
        "waste_to_energy": "X3", "chp_extraction": "X3", "ccgt": "X5",
    }[k]


def _default_code(unit, group: str) -> str:
    if group == "renewable":
        return _renewable_code(unit)
    if group == "waste_heat":
        return "Y2" if unit.kind == "heat_pump" else "Y1"
    if group == "hechp":
        return "Z1"
    if group == "cogeneration":
        return "W.CHP"
    return "W"


def _from_categories(cat_fracs: dict[str, float], reason: str) -> Classification:
    cats = categories()
    cf = {c: v for c, v in cat_fracs.items() if v > 0} or {"W": 1.0}
    fr = dict.fromkeys(GROUPS, 0.0)
    for c, v in cf.items():
        fr[cats[c].group] += v
    order = list(cats)
    main = max(cf, key=lambda c: (cf[c], -order.index(c)))
    return Classification(main, fr, reason, cf)


def _override(unit) -> Classification | None:
    grp, cat = unit.eed_group, unit.eed_category
    if grp is None and cat is None:
        return None
    if cat is not None:
        c = check_category(cat)
        if cat == "W" and _is_chp(unit) and grp in (None, "cogeneration"):
            cat, c = "W.CHP", check_category("W.CHP")
        if grp is not None and c.group != grp and not (cat.startswith("W") and grp in
                                                       ("fossil", "cogeneration")):
            raise ValueError(
                f"unit '{unit.name}': eed_category '{unit.eed_category}' counts as "
                f"'{c.group}' but eed_group is '{grp}'"
            )
        grp = grp or c.group
        if cat.startswith("W"):
            cat = "W.CHP" if grp == "cogeneration" else "W"
    else:
        cat = _default_code(unit, grp)
    fr = {g: float(g == grp) for g in GROUPS}
    reason = (f"explicit override on unit '{unit.name}': eed_group={unit.eed_group!r}, "
              f"eed_category={unit.eed_category!r} -> all heat '{grp}' ({cat}); the user is "
              f"responsible for its legal basis")
    return Classification(cat, fr, reason, {cat: 1.0})


def _fuel(unit, fuels: Mapping):
    try:
        return fuels[unit.fuel]
    except KeyError:
        raise ValueError(
            f"unit '{unit.name}' uses fuel '{unit.fuel}' missing from fuels {sorted(fuels)}"
        ) from None


def classify_unit(
    unit,
    fuels: Mapping | None = None,
    *,
    eta: float = ETA_DEFAULT,
    year: int | dt.date | None = None,
    new_or_refurbished: bool = False,
    ref_heat_eff: float | None = None,
    ref_el_eff: float | None = None,
) -> Classification:
    """Counting fractions and Table A-1 category of one production unit.

    Parameters
    ----------
    unit : heatpath.model.schema unit (FuelBoiler, CHPBackPressure, HeatPump, ...)
    fuels : mapping of fuel name -> :class:`heatpath.model.schema.Fuel`
        Needed for fuel-fired units (``system.fuels``).
    eta : float
        eta of RED Annex VII for the heat-pump test (default 0.455).
    year : int or date, optional
        Year of operation, for the 270 gCO2/kWh HECHP criterion (None: PES test only).
    new_or_refurbished : bool
        CHP is new or substantially refurbished (270 g limit from 12 Oct 2025).
    ref_heat_eff, ref_el_eff : float, optional
        Harmonised reference efficiencies for the PES test (default natural gas
        0.90 / 0.53, see ``heatpath/data/eed_parameters.csv``).

    Raises
    ------
    ValueError
        Unknown fuel or category, contradictory overrides, a biomass/biogas unit whose fuel
        has ``biogenic_fraction == 0``, or an unloaded heat-pump COP without ``spf``.
    """
    ov = _override(unit)
    if ov is not None:
        return ov
    fuels = fuels or {}
    k = unit.kind
    if k == "solar_thermal":
        return _from_categories({"X9": 1.0}, "solar thermal heat counts as renewable "
                                "(RED Art. 2(1); Rec. (EU) 2024/2395 Table A-1 X9)")
    if k == "geothermal":
        return _from_categories({"X1": 1.0}, "deep geothermal direct heat counts as renewable "
                                "(RED Art. 2(1); Rec. (EU) 2024/2395 Table A-1 X1)")
    if k == "waste_heat":
        return _from_categories({"Y1": 1.0}, "direct waste heat (unavoidable by-product, RED "
                                "Art. 2(9)) counts as waste heat (Rec. (EU) 2024/2395 Table A-1 "
                                "Y1)")
    if k == "electric_boiler":
        s = float(unit.renewable_electricity_share)
        return _from_categories(
            {"X8": s, "W": 1.0 - s},
            f"electric boiler: {s:.1%} of its heat counts as renewable (renewable electricity "
            f"share, Rec. (EU) 2024/2395 Table A-1 X8), the rest is not counted (W)")
    if k == "heat_pump":
        spf, how = estimate_spf(unit)
        thr = spf_threshold(eta)
        if not heat_pump_counts_as_renewable(spf, eta):
            return _from_categories(
                {"W": 1.0},
                f"heat pump ({unit.source}): {how} <= 1.15/eta = {thr:.4f} (eta {eta}), so "
                f"none of its heat counts (RED Annex VII; Rec. (EU) 2024/2395 Table A-2 note "
                f"(**))")
        if unit.source in WASTE_HEAT_SOURCES:
            return _from_categories(
                {"Y2": 1.0},
                f"heat pump on {unit.source} waste heat: {how} > 1.15/eta = {thr:.4f} (RED Annex "
                f"VII), so all "
                f"its heat counts as waste heat (Rec. (EU) 2024/2395 Table A-1 Y2 'data "
                f"centres ... metro', note (**); recital 107 EED)")
        code = _renewable_code(unit)
        return _from_categories(
            {code: 1.0},
            f"heat pump on {unit.source} ({'shallow geothermal' if code == 'X11' else 'ambient'}"
            f" heat): {how} > 1.15/eta = {thr:.4f} (RED Annex VII), so all its heat counts as "
            f"renewable "
            f"(recital 107 EED; Rec. (EU) 2024/2395 Table A-1 {code}, note (**); sewage water "
            f"is listed as ambient heat in row X10)")
    if k in ("boiler", "gas_boiler", "biomass_boiler", "oil_boiler"):
        fuel = _fuel(unit, fuels)
        b = float(fuel.biogenic_fraction)
        _check_bio_kind(unit, b)
        code = _renewable_code(unit)
        if b <= 0.0:
            txt = (f"{k} on fossil fuel '{unit.fuel}' (biogenic fraction 0): its heat is not "
                   f"counted (W, Rec. (EU) 2024/2395 Table A-1)")
        elif b >= 1.0:
            txt = (f"{k} on biogenic fuel '{unit.fuel}': all heat counts as renewable ({code}, "
                   f"Rec. (EU) 2024/2395 Table A-1; biomass assumed to meet the RED "
                   f"sustainability criteria)")
        else:
            txt = (f"{k} on co-fired fuel '{unit.fuel}': biogenic energy share {b:.1%} counts "
                   f"as renewable ({code}), fossil share {1 - b:.1%} is not counted (W) (Rec. "
                   f"(EU) 2024/2395 Table A-1; co-firing split by fuel energy share)")
        return _from_categories({code: b, "W": 1.0 - b}, f"{txt}; {_MAIN_PRODUCT}")
    if _is_chp(unit):
        fuel = _fuel(unit, fuels)
        b = float(fuel.biogenic_fraction)
        _check_bio_kind(unit, b)
        code = _renewable_code(unit)
        if b > 0.0:
            txt = (f"CHP {k} on fuel '{unit.fuel}': biogenic energy share {b:.1%} counts as "
                   f"renewable ({code}) irrespective of CHP status (Rec. (EU) 2024/2395 Table "
                   f"A-2 note (*), no double counting)")
        else:
            txt = f"CHP {k} on fossil fuel '{unit.fuel}'"
        if b >= 1.0:
            return _from_categories({code: 1.0}, txt + f"; {_MAIN_PRODUCT}")
        if unit.hechp is not None:
            hechp = bool(unit.hechp)
            why = f"high-efficiency status given explicitly (hechp={unit.hechp})"
        else:
            st = hechp_status(unit, fuels, year=year, new_or_refurbished=new_or_refurbished,
                              ref_heat_eff=ref_heat_eff, ref_el_eff=ref_el_eff)
            hechp = st.hechp
            why = f"{'meets' if hechp else 'fails'} EED Annex III: {st.reason}"
        if hechp:
            fz = "Z1" if b == 0 else "Z2"
            txt += (f"; fossil share {1 - b:.1%} counts as high-efficiency cogeneration ({fz}), "
                    f"{why}")
            cats = {code: b, fz: 1.0 - b}
        else:
            txt += (f"; fossil share {1 - b:.1%} is other cogeneration (W.CHP, counted as "
                    f"'cogenerated heat' only until 31.12.2027), {why}")
            cats = {code: b, "W.CHP": 1.0 - b}
        return _from_categories(cats, txt + f"; {_MAIN_PRODUCT}")
    raise ValueError(f"unit '{unit.name}': unknown kind {k!r}")  # pragma: no cover


def _check_bio_kind(unit, b: float) -> None:
    if unit.kind in ("biomass_boiler", "biogas_chp") and b <= 0.0:
        raise ValueError(
            f"unit '{unit.name}' is a {unit.kind} but its fuel '{unit.fuel}' has "
            f"biogenic_fraction 0: set Fuel.biogenic_fraction (1.0 for pure biomass/biogas) or "
            f"use a fossil kind ('boiler', 'gas_engine')"
        )


def classify_system(system, *, eta: float = ETA_DEFAULT) -> dict[str, Classification]:
    """:func:`classify_unit` for every unit of ``system`` (year = ``system.system.year``)."""
    year = int(system.system.year)
    return {u.name: classify_unit(u, system.fuels, eta=eta, year=year) for u in system.units}


def group_fractions(system, *, eta: float = ETA_DEFAULT) -> pd.DataFrame:
    """Counting fractions of every unit: index = unit names (order of ``system.units``),
    columns = :data:`heatpath.eed.GROUPS`, rows sum to 1.

    The dispatch multiplies hourly heat by these fractions for the Art. 26(1) share
    constraints.
    """
    cl = classify_system(system, eta=eta)
    df = pd.DataFrame.from_dict({n: c.fractions for n, c in cl.items()}, orient="index")
    df = df.reindex(columns=list(GROUPS)).astype(float)
    df.index.name = "unit"
    df.columns.name = "group"
    return df


def _unit_heat(system, unit_heat_mwh) -> dict[str, float]:
    names = [u.name for u in system.units]
    items = dict(unit_heat_mwh.items())
    unknown = sorted(set(items) - set(names))
    if unknown:
        raise ValueError(f"unknown unit names {unknown}; units: {names}")
    out = {}
    for n in names:
        v = float(items.get(n, 0.0))
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"heat of unit '{n}' must be finite and >= 0, got {v}")
        out[n] = v
    return out


def group_heat(system, unit_heat_mwh, *, eta: float = ETA_DEFAULT) -> dict[str, float]:
    """Annual MWh per counting group from annual MWh per unit (input of :func:`assess`)."""
    heat = _unit_heat(system, unit_heat_mwh)
    cl = classify_system(system, eta=eta)
    out = dict.fromkeys(GROUPS, 0.0)
    for n, h in heat.items():
        for g, f in cl[n].fractions.items():
            out[g] += h * f
    return out


def category_heat(system, unit_heat_mwh, *, eta: float = ETA_DEFAULT) -> dict[str, float]:
    """Annual MWh per Table A-1 category from annual MWh per unit (input of table_a2)."""
    heat = _unit_heat(system, unit_heat_mwh)
    cl = classify_system(system, eta=eta)
    out = dict.fromkeys(categories(), 0.0)
    for n, h in heat.items():
        for c, f in cl[n].category_fractions.items():
            out[c] += h * f
    return out
