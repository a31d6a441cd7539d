"""CAPEX catalogue of DH technologies and CEPCI cost indexing.

The paper (Sect. 2) costs heat sources from a DH technology catalogue and the Danish
Energy Agency (DEA) technology data, and brings figures of different years to one price
level with the Chemical Engineering Plant Cost Index (CEPCI). This module ships an
approximate catalogue (``heatpath/data/technologies.csv``) that every scenario can
override, and the CEPCI annual averages (``heatpath/data/cepci.csv``).

Catalogue columns
-----------------
``technology`` (index), ``specific_capex`` (EUR per ``capex_unit``), ``capex_unit``
(``EUR/MW_th``, ``EUR/MW_el``, ``EUR/MW_fuel``, ``EUR/m2``, ``EUR/m3``), ``fixed_om`` (EUR per
capex unit per year), ``variable_om_eur_per_mwh`` (basis given in ``notes``),
``lifetime_years``, ``price_year``, ``source``, ``notes``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = [
    "CATALOGUE_COLUMNS",
    "capex",
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
    "source",
    "notes",
]
_NUMERIC = ("specific_capex", "fixed_om", "variable_om_eur_per_mwh")
_INTEGER = ("lifetime_years", "price_year")
_REQUIRED_NEW = ("specific_capex", "capex_unit", "lifetime_years", "price_year")


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
        path, dtype={"capex_unit": str, "source": str, "notes": str}, keep_default_na=False
    )
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
        0, ``source`` to ``"scenario override"``). Overridden rows get
        ``"; overridden by scenario"`` appended to ``source``.
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
        m3), >= 0.
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
