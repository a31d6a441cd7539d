"""CAPEX catalogue of DH technologies and CEPCI cost indexing.

The paper (Sect. 2) costs heat sources from a DH technology catalogue and the Danish
Energy Agency (DEA) technology data, and brings figures of different years to one price
level with the Chemical Engineering Plant Cost Index (CEPCI). This module ships a
catalogue (``heatpath/data/technologies.csv``) that every scenario can override: rows
verified against the DEA datasheets carry the catalogue's figures and price year with their
citation, the others are heatpath approximations marked ``verified = no``; and the CEPCI
annual averages (``heatpath/data/cepci.csv``).

Catalogue columns
-----------------
``technology`` (index), ``specific_capex`` (EUR per ``capex_unit``), ``capex_unit``
(``EUR/MW_th``, ``EUR/MW_el``, ``EUR/MW_fuel``, ``EUR/m2``, ``EUR/m3``, ``EUR/MWh`` of
storage capacity), ``fixed_om`` (EUR per capex unit per year), ``variable_om_eur_per_mwh``
(basis given in ``notes``),
``lifetime_years``, ``price_year`` (price basis of the costs, e.g. 2015 for the DEA
electricity and district-heating datasheets), ``verified`` (``yes``: every figure read from
the cited catalogue sheet; ``partial``: some figures derived, see ``source``; ``no``: heatpath
approximation), ``source`` (catalogue, sheet, data-year column, price year and where the figure
was read), ``notes``.

:func:`catalogue_units_per_size` converts a component's size (MW of heat for units, MWh of
capacity for storages) into the catalogue's size unit; appraisal and pathway planning both
cost catalogue technologies with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from heatpath.model.schema import (
    CHPBackPressure,
    CHPExtraction,
    FuelBoiler,
    SolarThermal,
    Storage,
)

__all__ = [
    "CATALOGUE_COLUMNS",
    "CATALOGUE_SIZE_UNITS",
    "VERIFIED_VALUES",
    "capex",
    "catalogue_units_per_size",
    "index_cost",
    "load_catalogue",
    "load_cepci",
]

_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

CATALOGUE_COLUMNS = [
    "technology",
    "specific_capex",
    "capex_unit",
    "fixed_om",
    "variable_om_eur_per_mwh",
    "lifetime_years",
    "price_year",
    "verified",
    "source",
    "notes",
]
VERIFIED_VALUES = ("yes", "partial", "no")
_NUMERIC = ("specific_capex", "fixed_om", "variable_om_eur_per_mwh")
_INTEGER = ("lifetime_years", "price_year")
_REQUIRED_NEW = ("specific_capex", "capex_unit", "lifetime_years", "price_year")
#: size units a catalogue ``capex_unit`` may be priced in (``EUR/<unit>``); ``MW`` = ``MW_th``
CATALOGUE_SIZE_UNITS = ("MW_th", "MW", "MW_el", "MW_fuel", "m2", "m3", "MWh")


@lru_cache(maxsize=4)
def _read_cepci(path: str) -> pd.Series:
    table = pd.read_csv(path)
    series = pd.Series(
        table["index"].astype(float).to_numpy(),
        index=table["year"].astype(int).to_numpy(),
        name="cepci",
    )
    return series.sort_index()


def load_cepci(path: str | Path | None = None) -> pd.Series:
    """CEPCI annual averages (1957-59 = 100) as a Series indexed by year.

    Parameters
    ----------
    path : str or Path, optional
        Alternative CSV with columns ``year``, ``index`` (default
        ``heatpath/data/cepci.csv``).

    Returns
    -------
    pandas.Series
    """
    return _read_cepci(str(path or _DATA_DIR / "cepci.csv")).copy()


def _cepci_value(table: pd.Series, year: int, extrapolate: bool) -> float:
    if year in table.index:
        return float(table.loc[year])
    first, last = int(table.index.min()), int(table.index.max())
    if extrapolate:
        # Flat extrapolation: no escalation beyond the table (documented behaviour).
        return float(table.loc[first] if year < first else table.loc[last])
    raise ValueError(
        f"CEPCI has no value for {year} (table covers {first}-{last}); add the year to "
        f"heatpath/data/cepci.csv, pass cepci=..., or use extrapolate=True to hold the "
        f"nearest value flat"
    )


def index_cost(
    cost: float,
    from_year: int,
    to_year: int,
    *,
    cepci: pd.Series | Mapping[int, float] | None = None,
    extrapolate: bool = False,
) -> float:
    """Bring a cost from one price year to another with CEPCI.

    ``C_to = C_from * CEPCI(to_year) / CEPCI(from_year)``.

    Parameters
    ----------
    cost : float
        Cost in EUR of ``from_year``.
    from_year, to_year : int
        Price years.
    cepci : Series or mapping {year: index}, optional
        Index table (default: :func:`load_cepci`).
    extrapolate : bool, default False
        If True, years outside the table use the nearest table value (zero escalation
        beyond the data); otherwise a ValueError is raised.

    Returns
    -------
    float
        Cost in EUR of ``to_year``.
    """
    c = float(cost)
    if not math.isfinite(c):
        raise ValueError(f"cost must be finite, got {cost!r}")
    table = load_cepci() if cepci is None else pd.Series(cepci, dtype=float).sort_index()
    if table.empty:
        raise ValueError("the CEPCI table is empty")
    return (
        c
        * _cepci_value(table, int(to_year), extrapolate)
        / _cepci_value(table, int(from_year), extrapolate)
    )


@lru_cache(maxsize=4)
def _read_catalogue(path: str) -> pd.DataFrame:
    table = pd.read_csv(
        path,
        dtype={"capex_unit": str, "verified": str, "source": str, "notes": str},
        keep_default_na=False,
    )
    if "verified" not in table.columns:
        # catalogues written before the column existed: nothing is marked as verified
        table.insert(len(table.columns), "verified", "no")
    missing = [c for c in CATALOGUE_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing catalogue columns {missing}")
    return table.set_index("technology")


def _validate_row(tech: str, row: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for col in _NUMERIC:
        value = float(out[col])
        if not math.isfinite(value) or value < 0.0:
            raise ValueError(f"catalogue {tech!r}: {col} must be finite and >= 0, got {value!r}")
        out[col] = value
    for col in _INTEGER:
        value = out[col]
        if isinstance(value, bool) or not float(value).is_integer():
            raise ValueError(f"catalogue {tech!r}: {col} must be a whole number, got {value!r}")
        out[col] = int(value)
    if out["lifetime_years"] < 1:
        raise ValueError(f"catalogue {tech!r}: lifetime_years must be >= 1")
    if out["verified"] not in VERIFIED_VALUES:
        raise ValueError(
            f"catalogue {tech!r}: verified must be one of {VERIFIED_VALUES}, "
            f"got {out['verified']!r}"
        )
    return out


def load_catalogue(
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    path: str | Path | None = None,
) -> pd.DataFrame:
    """Technology CAPEX/O&M catalogue, optionally overridden per scenario.

    Parameters
    ----------
    overrides : mapping {technology: {column: value}}, optional
        Replace individual fields (e.g. ``{"ashp": {"specific_capex": 1.1e6}}``) or add a
        technology (then ``specific_capex``, ``capex_unit``, ``lifetime_years`` and
        ``price_year`` are required; ``fixed_om``/``variable_om_eur_per_mwh`` default to
        0, ``source`` to ``"scenario override"``, ``verified`` to ``"no"``). Overridden rows
        get ``"; overridden by scenario"`` appended to ``source`` and ``verified = "no"``
        unless the override sets ``verified`` itself (the overridden figure is no longer the
        catalogue's).
    path : str or Path, optional
        Alternative base CSV (default ``heatpath/data/technologies.csv``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``technology``; a copy that callers may modify.
    """
    table = _read_catalogue(str(path or _DATA_DIR / "technologies.csv")).copy()
    if not overrides:
        return table
    allowed = set(CATALOGUE_COLUMNS) - {"technology"}
    for tech, fields in overrides.items():
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(
                f"override for {tech!r}: unknown column(s) {sorted(unknown)}; "
                f"allowed: {sorted(allowed)}"
            )
        if tech in table.index:
            row = table.loc[tech].to_dict()
            row.update(fields)
            row["source"] = f"{row['source']}; overridden by scenario"
            if "verified" not in fields:
                row["verified"] = "no"
        else:
            missing = [c for c in _REQUIRED_NEW if c not in fields]
            if missing:
                raise ValueError(
                    f"new technology {tech!r} needs {missing} (known technologies: "
                    f"{sorted(table.index)})"
                )
            row = {
                "fixed_om": 0.0,
                "variable_om_eur_per_mwh": 0.0,
                "verified": "no",
                "source": "scenario override",
                "notes": "",
            }
            row.update(fields)
        row = _validate_row(tech, row)
        table.loc[tech] = pd.Series(row)
    for col in _NUMERIC:
        table[col] = table[col].astype(float)
    for col in _INTEGER:
        table[col] = table[col].astype(int)
    return table


def capex(
    technology: str,
    size: float,
    year: int | None = None,
    *,
    catalogue: pd.DataFrame | None = None,
    extrapolate: bool = False,
) -> float:
    """Investment cost of one technology: ``specific_capex * size``, CEPCI-indexed.

    Linear in size (no economies of scale); use an override or several rows for
    size-dependent costs.

    Parameters
    ----------
    technology : str
        Catalogue key, e.g. ``"ashp"``, ``"ptes"``.
    size : float
        Size in the catalogue's ``capex_unit`` denominator (MW_th, MW_el, MW_fuel, m2,
        m3, MWh), >= 0. :func:`catalogue_units_per_size` converts a component's size.
    year : int, optional
        Price year of the result; ``None`` keeps the catalogue's ``price_year``.
    catalogue : pandas.DataFrame, optional
        As returned by :func:`load_catalogue` (default: packaged catalogue).
    extrapolate : bool, default False
        Passed to :func:`index_cost` (CEPCI beyond the table held flat).

    Returns
    -------
    float
        EUR of ``year``.
    """
    table = load_catalogue() if catalogue is None else catalogue
    if technology not in table.index:
        raise ValueError(f"unknown technology {technology!r}; known: {sorted(table.index)}")
    s = float(size)
    if not math.isfinite(s) or s < 0.0:
        raise ValueError(f"size must be finite and >= 0, got {size!r}")
    row = table.loc[technology]
    cost = float(row["specific_capex"]) * s
    if year is None:
        return cost
    return index_cost(cost, int(row["price_year"]), int(year), extrapolate=extrapolate)


def catalogue_units_per_size(component: Any, capex_unit: str, technology: str | None = None
                             ) -> float:
    """Catalogue size units per MW of heat (unit) or per MWh of capacity (storage).

    Multiply a component's size by this factor to get the size in the catalogue's
    ``capex_unit`` (and a catalogue cost per catalogue unit by it to get the cost per MW or
    MWh):

    =========  ========================================================================
    unit       factor
    =========  ========================================================================
    MW_th, MW  1 (units)
    MW_el      ``power_to_heat`` (back-pressure CHP); ``el_capacity_mw / capacity_mw``
               (extraction CHP/CCGT)
    MW_fuel    ``1 / efficiency`` (fuel boiler, back-pressure CHP);
               ``el_capacity_mw / el_efficiency / capacity_mw`` (extraction CHP: fuel at
               the condensing point per MW of heat)
    m2         ``1000 / eta0`` (solar thermal: m2 of aperture per MW of peak at 1000 W/m2)
    m3         ``1 / (MWh per m3)`` at the storage's ``t_hot_c``/``t_cold_c``
               (:func:`heatpath.physics.storage.storage_capacity_mwh`; storages)
    MWh        1 (storages: DEA prices storages per MWh of capacity)
    =========  ========================================================================

    Parameters
    ----------
    component : Unit or Storage
        A component of :mod:`heatpath.model.schema`.
    capex_unit : str
        The catalogue's ``capex_unit`` (``"EUR/MW_el"``) or its size unit (``"MW_el"``).
    technology : str, optional
        Catalogue key, used in error messages only.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Unknown unit, or a unit the component's capacity cannot be converted to (e.g. a
        storage priced per MW, a heat pump per MW_el, a boiler per m2).
    """
    unit = str(capex_unit).split("/")[-1].strip()
    is_storage = isinstance(component, Storage)
    what = "storage" if is_storage else "unit"
    name = getattr(component, "name", "?")
    tech = f"catalogue technology '{technology}'" if technology else "the catalogue cost"
    if unit not in CATALOGUE_SIZE_UNITS:
        raise ValueError(
            f"{what} '{name}': {tech} is priced in {capex_unit!r}, an unknown catalogue unit; "
            f"known: {', '.join('EUR/' + u for u in CATALOGUE_SIZE_UNITS)}")
    needs = ""
    if is_storage:
        if unit == "MWh":
            return 1.0
        if unit == "m3":
            from heatpath.physics.storage import storage_capacity_mwh

            mwh_per_m3 = float(storage_capacity_mwh(1.0, component.t_hot_c, component.t_cold_c))
            if mwh_per_m3 > 0.0:
                return 1.0 / mwh_per_m3
            needs = "t_hot_c above t_cold_c"
        else:
            needs = "a unit; storages are priced per MWh or m3"
    elif unit in ("MW_th", "MW"):
        return 1.0
    elif unit == "MW_el":
        if isinstance(component, CHPBackPressure):
            return float(component.power_to_heat)
        if isinstance(component, CHPExtraction) and component.capacity_mw > 0.0:
            return float(component.el_capacity_mw / component.capacity_mw)
        needs = "a CHP unit (extraction CHP with capacity_mw > 0)"
    elif unit == "MW_fuel":
        if isinstance(component, (FuelBoiler, CHPBackPressure)):
            return 1.0 / float(component.efficiency)
        if isinstance(component, CHPExtraction) and component.capacity_mw > 0.0:
            return float(component.el_capacity_mw / component.el_efficiency
                         / component.capacity_mw)
        needs = "a fuel-fired unit (boiler or CHP)"
    elif unit == "m2":
        if isinstance(component, SolarThermal):
            return 1000.0 / float(component.eta0)
        needs = "a solar thermal unit"
    else:  # m3, MWh
        needs = "a storage"
    raise ValueError(
        f"{what} '{name}': {tech} is priced in {capex_unit}, which cannot be converted from "
        f"the {what}'s capacity ({capex_unit} needs {needs}); set "
        f"{'capex_eur_per_mwh' if is_storage else 'capex_eur_per_mw'} instead")
