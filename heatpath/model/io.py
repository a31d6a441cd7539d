"""Load a scenario from a TOML file plus CSV time series.

Relative paths resolve against the TOML file's folder. Every error is a
:class:`~heatpath.model.errors.ScenarioError` naming file, field and value.
"""

from __future__ import annotations

import difflib
import tomllib
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from heatpath.model.errors import ScenarioError, validation_error
from heatpath.model.schema import UNIT_KINDS, SeriesRef, System

VALID_ROWS = (8760, 8784)


def read_timeseries_csv(path: Path, timestamp_column: str = "timestamp") -> pd.DataFrame:
    """Read an hourly CSV with an explicit timestamp column.

    Parameters
    ----------
    path : Path
        CSV file; one row per hour, 8760 or 8784 rows.
    timestamp_column : str
        Name of the timestamp column (ISO 8601).

    Returns
    -------
    pandas.DataFrame
        Numeric columns indexed by a ``DatetimeIndex`` named ``timestamp``.

    Raises
    ------
    ScenarioError
        Missing file, missing timestamp column, unparsable or non-hourly timestamps, wrong row
        count.
    """
    if not path.is_file():
        raise ScenarioError("time-series file not found", file=path)
    try:
        df = pd.read_csv(path)
    except Exception as exc:  # pandas raises many types; report them uniformly
        raise ScenarioError(f"cannot read CSV: {exc}", file=path) from None
    if timestamp_column not in df.columns:
        raise ScenarioError(
            f"no timestamp column '{timestamp_column}'; columns are {list(df.columns)}",
            file=path,
            field=timestamp_column,
        )
    try:
        idx = pd.DatetimeIndex(pd.to_datetime(df[timestamp_column]), name="timestamp")
    except Exception:
        bad = df[timestamp_column].iloc[0]
        raise ScenarioError("timestamps are not ISO 8601 dates", file=path,
                            field=timestamp_column, value=bad) from None
    if len(df) not in VALID_ROWS:
        raise ScenarioError(
            f"expected {VALID_ROWS[0]} or {VALID_ROWS[1]} hourly rows, found {len(df)}",
            file=path,
        )
    # seconds since the first stamp (works for naive and time-zone-aware timestamps)
    steps = np.diff(((idx - idx[0]) / pd.Timedelta(seconds=1)).to_numpy())
    if len(steps) and not np.all(steps == 3600):
        pos = int(np.argmax(steps != 3600)) + 1
        raise ScenarioError(
            f"time step must be exactly 1 h; row {pos + 2} breaks it",
            file=path, field=timestamp_column, value=str(idx[pos]),
        )
    data = df.drop(columns=[timestamp_column])
    data.index = idx
    return data


def _column(df: pd.DataFrame, path: Path, column: str, field: str) -> pd.Series:
    if column not in df.columns:
        close = difflib.get_close_matches(column, [str(c) for c in df.columns], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; columns are {list(df.columns)}"
        raise ScenarioError(f"column '{column}' not found{hint}", file=path, field=field,
                            value=column)
    s = pd.to_numeric(df[column], errors="coerce")
    bad = s.isna()
    if bad.any():
        first = int(np.argmax(bad.to_numpy()))
        raise ScenarioError(
            f"column '{column}' has {int(bad.sum())} missing or non-numeric value(s); first at "
            f"{df.index[first]}",
            file=path, field=field, value=df[column].iloc[first],
        )
    return s.astype(float).rename(column)


class SeriesResolver:
    """Turn SeriesLike fields into pandas Series on a common hourly index."""

    def __init__(self, toml_path: Path, default_csv: str | None, ts_col: str) -> None:
        self.base = toml_path.parent
        self.toml_path = toml_path
        self.ts_col = ts_col
        self.default_csv = default_csv
        self.frames: dict[Path, pd.DataFrame] = {}
        self.index: pd.DatetimeIndex | None = None
        self.index_file: Path | None = None

    def frame(self, rel: str, field: str) -> tuple[Path, pd.DataFrame]:
        path = (self.base / rel).resolve()
        if path not in self.frames:
            if not path.is_file():
                raise ScenarioError("time-series file not found", file=path, field=field,
                                    value=rel)
            df = read_timeseries_csv(path, self.ts_col)
            if self.index is None:
                self.index, self.index_file = df.index, path
            elif not df.index.equals(self.index):
                raise ScenarioError(
                    f"timestamps differ from those of {self.index_file}", file=path,
                    field=self.ts_col,
                )
            self.frames[path] = df
        return path, self.frames[path]

    def resolve(self, value: Any, field: str) -> Any:
        if isinstance(value, SeriesRef):
            path, df = self.frame(value.file, field)
            return _column(df, path, value.column, field)
        if isinstance(value, str):
            if self.default_csv is None:
                raise ScenarioError(
                    "a column name was given but [system].timeseries names no CSV file",
                    file=self.toml_path, field=field, value=value,
                )
            path, df = self.frame(self.default_csv, field)
            return _column(df, path, value, field)
        if isinstance(value, (int, float)) and not np.isfinite(value):
            raise ScenarioError("value must be finite", file=self.toml_path, field=field,
                                value=value)
        return value


def series_fields(model: BaseModel, prefix: str) -> Iterator[tuple[BaseModel, str, str]]:
    """Yield (owner, attribute, dotted path) for every SeriesLike field set on ``model``."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}.{name}" if prefix else name
        if pd.Series in typing.get_args(info.annotation):
            yield model, name, path
        elif isinstance(value, BaseModel):
            yield from series_fields(value, path)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from series_fields(item, f"{path}[{i}]")


def build_system(raw: dict[str, Any], source: Path) -> System:
    """Validate a raw TOML dictionary and resolve its time series.

    Parameters
    ----------
    raw : dict
        Parsed TOML content.
    source : Path
        The TOML file (for relative paths and error messages).
    """
    try:
        system = System.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc, file=source, kinds=UNIT_KINDS) from None

    resolver = SeriesResolver(source, system.system.timeseries, system.system.timestamp_column)
    if system.system.timeseries is not None:
        resolver.frame(system.system.timeseries, "system.timeseries")
    resolved: list[tuple[BaseModel, str, str, Any]] = []
    for owner, name, dotted in series_fields(system, ""):
        value = getattr(owner, name)
        if value is None:
            continue
        resolved.append((owner, name, dotted, resolver.resolve(value, dotted)))
    for fuel, value in system.prices.fuels_eur_per_mwh.items():
        dotted = f"prices.fuels_eur_per_mwh.{fuel}"
        system.prices.fuels_eur_per_mwh[fuel] = resolver.resolve(value, dotted)
    for i, u in enumerate(system.units):
        table = getattr(u, "cop_table", None)
        if isinstance(table, str):
            path = (source.parent / table).resolve()
            if not path.is_file():
                raise ScenarioError("COP table file not found", file=path,
                                    field=f"units[{i}].cop_table", value=table)
            try:
                df = pd.read_csv(path, index_col=0)
                df.index = df.index.astype(float)
                df.columns = df.columns.astype(float)
            except Exception as exc:
                raise ScenarioError(f"cannot read COP table (source temperatures in the first "
                                    f"column, one column per sink temperature): {exc}",
                                    file=path, field=f"units[{i}].cop_table") from None
            object.__setattr__(u, "cop_table", df)
    if resolver.index is None:
        raise ScenarioError(
            "no hourly time series given: set [system].timeseries to a CSV with a "
            "timestamp column (8760 or 8784 rows)",
            file=source, field="system.timeseries",
        )
    for owner, name, _dotted, value in resolved:
        object.__setattr__(owner, name, value)
    system.snapshots = resolver.index
    system.source_file = str(source)
    return finalize(system, source)


def finalize(system: System, source: Path | str | None = None) -> System:
    """Broadcast constants to hourly Series and check values (NaN, negatives).

    Used by the loader and by :func:`heatpath.dispatch.solve` for systems built in Python.
    """
    src = source or system.source_file or "<python>"
    if system.snapshots is None:
        given = [getattr(o, n) for o, n, _ in series_fields(system, "")]
        series = [v for v in given if isinstance(v, pd.Series)]
        if not series or not isinstance(series[0].index, pd.DatetimeIndex):
            raise ScenarioError("a system built in Python needs at least one hourly pandas "
                                "Series with a DatetimeIndex (e.g. demand.heat_mw)", file=src,
                                field="demand.heat_mw")
        system.snapshots = pd.DatetimeIndex(series[0].index, name="timestamp")
    idx = system.snapshots
    if len(idx) not in VALID_ROWS:
        raise ScenarioError(f"expected {VALID_ROWS} hourly snapshots, found {len(idx)}",
                            file=src, field="snapshots")

    def to_series(value: Any, dotted: str) -> pd.Series:
        if isinstance(value, pd.Series):
            if len(value) != len(idx):
                raise ScenarioError(f"series has {len(value)} rows, expected {len(idx)}",
                                    file=src, field=dotted)
            s = pd.Series(np.asarray(value, dtype=float), index=idx, name=dotted)
        else:
            s = pd.Series(float(value), index=idx, name=dotted)
        if s.isna().any():
            first = s.index[int(np.argmax(s.isna().to_numpy()))]
            raise ScenarioError(f"NaN at {first}", file=src, field=dotted, value=float("nan"))
        return s

    for owner, name, dotted in list(series_fields(system, "")):
        value = getattr(owner, name)
        if value is None:
            continue
        object.__setattr__(owner, name, to_series(value, dotted))
    for fuel, value in list(system.prices.fuels_eur_per_mwh.items()):
        system.prices.fuels_eur_per_mwh[fuel] = to_series(value, f"prices.fuels_eur_per_mwh.{fuel}")

    checks = []
    for name in ("heat_mw", "network_loss_mw"):
        if getattr(system.demand, name) is not None:
            checks.append((f"demand.{name}", getattr(system.demand, name)))
    for i, u in enumerate(system.units):
        checks.append((f"units[{i}].availability", u.availability))
        if getattr(u, "cop", None) is not None:
            cop = u.cop
            if (cop <= 0).any():
                t = cop.index[int(np.argmax((cop <= 0).to_numpy()))]
                raise ScenarioError(f"COP must be > 0 (at {t})", file=src,
                                    field=f"units[{i}].cop", value=float(cop.loc[t]))
    for dotted, s in checks:
        if (s < 0).any():
            t = s.index[int(np.argmax((s < 0).to_numpy()))]
            raise ScenarioError(f"negative value at {t}", file=src, field=dotted,
                                value=float(s.loc[t]))
    for i, u in enumerate(system.units):
        if (u.availability > 1 + 1e-9).any():
            raise ScenarioError("availability must be within 0..1", file=src,
                                field=f"units[{i}].availability",
                                value=float(u.availability.max()))
    return system


def read_toml(path: str | Path, what: str, error: type[ScenarioError] = ScenarioError
              ) -> tuple[dict[str, Any], Path]:
    """Read a TOML file: its table and resolved path, or ``error`` naming the file when it
    is missing ("<what> not found") or not valid TOML (with the parser's line and column)."""
    p = Path(path).resolve()
    if not p.is_file():
        raise error(f"{what} not found", file=p)
    try:
        return tomllib.loads(p.read_text(encoding="utf-8")), p
    except tomllib.TOMLDecodeError as exc:
        raise error(f"invalid TOML: {exc}", file=p) from None


def load_scenario(path: str | Path) -> System:
    """Load and validate a scenario TOML file with its CSV time series.

    Parameters
    ----------
    path : str or Path
        The scenario TOML file.

    Returns
    -------
    System
        Validated system; every hourly field is a ``pandas.Series`` on ``system.snapshots``.

    Raises
    ------
    ScenarioError
        With file, field and value for any invalid input.
    """
    raw, p = read_toml(path, "scenario file")
    return build_system(raw, p)
