"""Reading result directories written by ``heatpath run`` (and later by economics/compare).

A result directory holds ``summary.json`` and ``dispatch.csv`` (required) and optionally
``finance.json`` and ``cashflow.csv``. A *compare* directory holds ``comparison.csv`` and,
possibly, result directories one level down. Optional files are read when present and
skipped when absent; a malformed optional file is reported as a warning, not an error.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from heatpath.model.schema import EED_GROUPS

#: Finance indicators read from ``finance.json`` (see :func:`normalise_finance`).
INDICATORS: tuple[str, ...] = ("npv", "irr", "simple_payback", "discounted_payback", "lcoh",
                               "funding_gap")
#: Perspectives of the finance indicators.
PERSPECTIVES: tuple[str, ...] = ("project", "equity")

#: Differential cash-flow components drawn as stacked bars (project perspective), in order.
CASHFLOW_COMPONENTS: tuple[str, ...] = (
    "investment", "replacement", "opex_saving", "fixed_om", "residual_value", "grant",
    "tax_unlevered",
)
#: cashflow.csv columns that are results or bookkeeping, never drawn as components.
CASHFLOW_NON_COMPONENTS: frozenset[str] = frozenset({
    "year", "t", "escalation", "depreciation", "ebitda", "taxable_income_unlevered",
    "loan_drawdown", "interest", "principal", "loan_balance", "taxable_income", "loss_used",
    "loss_carried_forward", "tax", "cf_project", "cf_equity", "discount_factor", "discounted",
    "cumulative", "cumulative_discounted", "discount_factor_equity", "discounted_equity",
    "cumulative_equity", "cumulative_discounted_equity",
})


class ResultDirError(ValueError):
    """A directory given to the report is not a usable result directory."""


@dataclass
class Result:
    """One scenario result, as read from its directory.

    Attributes
    ----------
    path : Path
        The result directory.
    summary : dict
        ``summary.json`` content.
    dispatch : DataFrame
        ``dispatch.csv`` with a DatetimeIndex (hourly).
    finance : dict or None
        Normalised ``finance.json`` (:func:`normalise_finance`), None when absent.
    cashflow : DataFrame or None
        ``cashflow.csv`` indexed by year, None when absent.
    label : str
        Short unique name used in legends and tables (``"<scenario> <year>"``).
    """

    path: Path
    summary: dict[str, Any]
    dispatch: pd.DataFrame
    finance: dict[str, Any] | None = None
    cashflow: pd.DataFrame | None = None
    label: str = ""
    warnings: list[str] = field(default_factory=list)

    # ---- convenience accessors ---------------------------------------------------------
    @property
    def scenario(self) -> str:
        return str(self.summary.get("scenario", self.path.name))

    @property
    def year(self) -> int:
        return int(self.summary["year"])

    @property
    def units(self) -> list[str]:
        """Unit names, in summary order (falling back to dispatch.csv columns)."""
        names = list(self.summary.get("heat_mwh", {}))
        if names:
            return names
        return [c[5:-3] for c in self.dispatch.columns
                if c.startswith("heat_") and c.endswith("_mw") and c != "heat_demand_mw"]

    @property
    def storages(self) -> list[str]:
        return [c[4:-4] for c in self.dispatch.columns
                if c.startswith("soc_") and c.endswith("_mwh")]

    @property
    def heat_pumps(self) -> list[str]:
        return [c[4:] for c in self.dispatch.columns if c.startswith("cop_")]

    def heat(self) -> pd.DataFrame:
        """Hourly heat into the network per unit, MW (columns = unit names)."""
        cols = {u: self.dispatch[f"heat_{u}_mw"] for u in self.units
                if f"heat_{u}_mw" in self.dispatch}
        return pd.DataFrame(cols, index=self.dispatch.index)

    def column(self, name: str) -> pd.Series | None:
        return self.dispatch.get(name)

    @property
    def shares(self) -> dict[str, float]:
        return {g: float(v) for g, v in self.summary.get("shares", {}).items()}

    @property
    def eed(self) -> dict[str, Any]:
        return dict(self.summary.get("eed") or {})

    def unit_info(self) -> dict[str, dict[str, Any]]:
        """Per-unit static data from ``summary["units"]`` when the summary provides it.

        Accepts a mapping ``{name: {...}}`` or a list of ``{"name": ..., ...}`` records
        (keys such as ``kind``, ``capacity_mw``, ``eed_group``, ``eed_category``,
        ``category_fractions``); returns ``{}`` when absent.
        """
        raw = self.summary.get("units")
        if isinstance(raw, dict):
            return {str(k): dict(v) for k, v in raw.items() if isinstance(v, dict)}
        if isinstance(raw, list):
            return {str(r["name"]): dict(r) for r in raw if isinstance(r, dict) and "name" in r}
        return {}


def _finite_or_none(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def normalise_finance(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring ``finance.json`` into ``{"indicators": {persp: {name: value}}, "meta": {...}}``.

    Accepted layouts (the economics feature decides which one it writes):

    * nested: ``{"project": {"npv": ...}, "equity": {...}}``, optionally under a top-level
      ``"indicators"`` key;
    * flat, as :func:`heatpath.economics.appraise` returns: ``{"npv_project": ...,
      "irr_equity": ..., "lcoh": ...}``; an indicator without a perspective suffix is
      attributed to the project perspective.

    Other scalar keys (discount rates, price basis, start year, ...) go to ``"meta"``.
    Indicator values that are null/NaN stay ``None`` (e.g. no payback within the horizon).
    """
    src = raw.get("indicators", raw) if isinstance(raw.get("indicators"), dict) else raw
    ind: dict[str, dict[str, float | None]] = {p: {} for p in PERSPECTIVES}
    meta: dict[str, Any] = {}
    for key, val in src.items():
        if key in PERSPECTIVES and isinstance(val, dict):
            for name, v in val.items():
                if name in INDICATORS or not isinstance(v, (dict, list)):
                    ind[key][name] = _finite_or_none(v) if name in INDICATORS else v
            continue
        m = re.fullmatch(rf"({'|'.join(INDICATORS)})(?:_({'|'.join(PERSPECTIVES)}))?", key)
        if m and not isinstance(val, (dict, list)):
            ind[m.group(2) or "project"][m.group(1)] = _finite_or_none(val)
        elif not isinstance(val, (dict, list)):
            meta[key] = val
    if src is not raw:
        for key, val in raw.items():
            if key != "indicators" and not isinstance(val, (dict, list)):
                meta[key] = val
    ind = {p: v for p, v in ind.items() if v}
    return {"indicators": ind, "meta": meta}


def _read_dispatch(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path)
    if "timestamp" not in df.columns:
        raise ResultDirError(f"{path}: no 'timestamp' column")
    df["timestamp"] = pd.to_datetime(df["timestamp"])
    df = df.set_index("timestamp")
    bad = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        raise ResultDirError(f"{path}: non-numeric columns {bad}")
    return df.astype(float) + 0.0  # + 0.0 turns the "-0" of the CSV into 0


def _read_cashflow(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path)
    if "year" not in df.columns:
        raise ValueError("no 'year' column")
    df = df.set_index("year")
    df.index = df.index.astype(int)
    return df.apply(pd.to_numeric, errors="coerce")


def load_result(path: str | Path) -> Result:
    """Read one result directory (or its ``summary.json``).

    Raises
    ------
    ResultDirError
        When ``summary.json`` or ``dispatch.csv`` is missing or unreadable.
    """
    d = Path(path)
    if d.is_file() and d.name == "summary.json":
        d = d.parent
    if not d.is_dir():
        raise ResultDirError(f"{d}: not a directory")
    s_path, d_path = d / "summary.json", d / "dispatch.csv"
    missing = [p.name for p in (s_path, d_path) if not p.is_file()]
    if missing:
        raise ResultDirError(f"{d}: missing {', '.join(missing)} (write it with heatpath run)")
    try:
        summary = json.loads(s_path.read_text())
    except json.JSONDecodeError as exc:
        raise ResultDirError(f"{s_path}: invalid JSON ({exc})") from exc
    for key in ("year", "heat_mwh", "shares", "group_heat_mwh", "heat_into_network_mwh"):
        if key not in summary:
            raise ResultDirError(f"{s_path}: missing key '{key}'")
    res = Result(d, summary, _read_dispatch(d_path))
    f_path, c_path = d / "finance.json", d / "cashflow.csv"
    if f_path.is_file():
        try:
            res.finance = normalise_finance(json.loads(f_path.read_text()))
        except (json.JSONDecodeError, AttributeError, TypeError) as exc:
            res.warnings.append(f"{f_path}: ignored ({exc})")
    if c_path.is_file():
        try:
            res.cashflow = _read_cashflow(c_path)
        except (ValueError, KeyError, pd.errors.ParserError) as exc:
            res.warnings.append(f"{c_path}: ignored ({exc})")
    for w in res.warnings:
        warnings.warn(w, stacklevel=2)
    return res


@dataclass
class ReportInput:
    """Everything the report reads: results plus comparison tables of compare dirs."""

    results: list[Result]
    comparisons: list[tuple[Path, pd.DataFrame]] = field(default_factory=list)


def collect(result_dirs: list[Path]) -> ReportInput:
    """Load every result directory; a compare directory contributes its ``comparison.csv``
    and the result directories directly inside it.

    Raises
    ------
    ResultDirError
        If a directory is neither a result nor a compare directory, or nothing was found.
    """
    results: list[Result] = []
    comparisons: list[tuple[Path, pd.DataFrame]] = []
    for raw in result_dirs:
        d = Path(raw)
        if (d / "summary.json").is_file() or d.name == "summary.json":
            results.append(load_result(d))
            continue
        comp = d / "comparison.csv"
        if d.is_dir() and comp.is_file():
            comparisons.append((comp, pd.read_csv(comp)))
            for sub in sorted(p for p in d.iterdir() if (p / "summary.json").is_file()):
                results.append(load_result(sub))
            continue
        if not d.exists():
            raise ResultDirError(f"{d}: no such directory")
        raise ResultDirError(
            f"{d}: neither a result directory (summary.json + dispatch.csv) nor a compare "
            f"directory (comparison.csv)")
    if not results:
        raise ResultDirError("no result directories (with summary.json) to report on")
    _assign_labels(results)
    return ReportInput(results, comparisons)


def _assign_labels(results: list[Result]) -> None:
    base = [f"{r.scenario} {r.year}" for r in results]
    for r, b in zip(results, base, strict=True):
        r.label = b if base.count(b) == 1 else f"{b} ({r.path.name})"
    seen: dict[str, int] = {}
    for r in results:  # still duplicate (same dir name): number them
        n = seen.get(r.label, 0)
        seen[r.label] = n + 1
        if n:
            r.label = f"{r.label} #{n + 1}"


def group_shares(result: Result) -> dict[str, float]:
    """Per-group shares of heat into the network (all five groups, missing = 0)."""
    s = result.shares
    return {g: float(s.get(g, 0.0)) for g in EED_GROUPS}


def combined_share(shares: dict[str, float], groups: tuple[str, ...] | list[str]) -> float:
    return float(math.fsum(shares.get(g, 0.0) for g in groups))


def regular_hourly(index: pd.DatetimeIndex) -> bool:
    """True if ``index`` is strictly hourly without gaps (then x0/dx can replace x)."""
    if len(index) < 2:
        return False
    d = np.diff(((index - index[0]) / pd.Timedelta(seconds=1)).to_numpy())
    return bool(np.all(d == 3600))
