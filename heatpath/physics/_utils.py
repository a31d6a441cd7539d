"""Private helpers: array conversion and shape/index restoration (pvlib style).

Every public function in :mod:`heatpath.physics` accepts scalars, numpy arrays and pandas
Series. Computations run on float numpy arrays; the result is given back as

* a ``pandas.Series`` carrying the index of the (first) Series argument, if any argument is
  a Series,
* a Python ``float`` if every argument was a scalar,
* a numpy array (broadcast shape) otherwise.

Several Series arguments must share the same index (no silent alignment).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Anything accepted as a numeric input: scalar, numpy array, list or pandas Series.
ArrayLike = float | int | np.ndarray | pd.Series | Sequence[float]

#: Offset between degrees Celsius and kelvin.
KELVIN = 273.15


def as_float_array(x: ArrayLike) -> np.ndarray:
    """Return ``x`` as a float numpy array (no copy if already one)."""
    if isinstance(x, pd.Series):
        return x.to_numpy(dtype=float)
    return np.asarray(x, dtype=float)


def series_index(*args: object) -> pd.Index | None:
    """Index of the first Series in ``args`` (``None`` if there is none).

    Raises
    ------
    ValueError
        If two Series arguments have different indexes.
    """
    index: pd.Index | None = None
    for a in args:
        if isinstance(a, pd.Series):
            if index is None:
                index = a.index
            elif not index.equals(a.index):
                raise ValueError("Series arguments must share the same index")
    return index


def restore(values: np.ndarray, *inputs: object, name: str | None = None) -> ArrayLike:
    """Give ``values`` back in the container type of ``inputs`` (see module docstring)."""
    index = series_index(*inputs)
    values = np.asarray(values, dtype=float)
    if index is not None:
        if values.ndim == 0:
            values = np.full(len(index), float(values))
        return pd.Series(values, index=index, name=name)
    if values.ndim == 0 and all(np.ndim(a) == 0 for a in inputs if a is not None):
        return float(values)
    return values


def to_datetime_index(times: object) -> pd.DatetimeIndex:
    """Return ``times`` (DatetimeIndex, Series of datetimes or a Series with a DatetimeIndex
    holding non-datetime values) as a DatetimeIndex."""
    if isinstance(times, pd.DatetimeIndex):
        return times
    if isinstance(times, pd.Series):
        if pd.api.types.is_datetime64_any_dtype(times.dtype):
            return pd.DatetimeIndex(times)
        if isinstance(times.index, pd.DatetimeIndex):
            return times.index
    return pd.DatetimeIndex(times)


def day_of_year(times: object) -> tuple[np.ndarray, pd.Index | None]:
    """Fractional day of year (1.0 = 1 January 00:00) and the index to restore.

    ``times`` may be a DatetimeIndex, a Series of datetimes, a Series with a DatetimeIndex
    (its index is used), or numeric day-of-year values (scalar, array or Series).
    """
    if isinstance(times, (pd.DatetimeIndex, pd.Series)) and (
        isinstance(times, pd.DatetimeIndex)
        or pd.api.types.is_datetime64_any_dtype(times.dtype)
        or isinstance(times.index, pd.DatetimeIndex)
    ):
        idx = to_datetime_index(times)
        doy = (
            idx.dayofyear.to_numpy(dtype=float)
            + idx.hour.to_numpy(dtype=float) / 24.0
            + idx.minute.to_numpy(dtype=float) / 1440.0
        )
        out_index = times.index if isinstance(times, pd.Series) else idx
        return doy, out_index
    return as_float_array(times), series_index(times)


def restore_to_index(values: np.ndarray, index: pd.Index | None, name: str | None) -> ArrayLike:
    """Series on ``index`` if given, else float (0-d) or array."""
    values = np.asarray(values, dtype=float)
    if index is not None:
        return pd.Series(values, index=index, name=name)
    if values.ndim == 0:
        return float(values)
    return values


def require_finite(x: np.ndarray, what: str) -> None:
    """Raise ``ValueError`` if ``x`` holds NaN or infinite values."""
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{what} must be finite (no NaN/inf)")
