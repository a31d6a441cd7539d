"""Typical days for investment planning: cluster a year of hourly data into K representative
days with weights, and keep the calendar sequence for seasonal storage.

The year of the scenario (8760 or 8784 hours, D = 365 or 366 days) is cut into days and
clustered with tsam (:func:`tsam.aggregate`; hierarchical clustering, *medoid*
representation) on the hourly series that drive the dispatch: heat need (demand + network
losses), electricity price, and every unit's availability, electricity use per MWh of heat
(1 / COP) and cost per MWh of heat that varies in time. Every typical day is a real day of
the year (the medoid of its cluster), so all coefficients of one typical hour belong to the
same real hour and stay physically consistent (COP, price, solar yield, demand). The day with
the highest heat need is kept as an extra typical day of weight 1 (tsam ``ExtremeConfig``),
so that the peak capacity is sized on the real peak.

Weights: typical day k stands for ``weights[k]`` days of the year (sum = D). Annual sums are
``sum_k weights[k] * sum_h x[k, h]``. :meth:`TypicalDays.reduce` with ``preserve_sum=True``
scales the non-peak typical days of a series so that this weighted sum equals the series'
annual sum exactly (used for the heat need, so that the annual heat and EED shares refer to
the real annual amount).

Seasonal storage (Kotzur et al. 2018, "Time series aggregation for energy system design:
modeling seasonal storage", Applied Energy 213, 123-135): :attr:`TypicalDays.day_cluster`
maps each of the D calendar days to its typical day; the planning model chains an inter-day
state of charge over the D days with it (see :mod:`heatpath.planning.pathway_model`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Hours per typical period (days).
HOURS = 24


@dataclass(frozen=True)
class TypicalDays:
    """Typical days of one year.

    Attributes
    ----------
    snapshots : DatetimeIndex
        Hourly snapshots of the year that was clustered (D * 24 hours).
    medoids : ndarray of int, shape (K,)
        Calendar day index (0 .. D-1) of each typical day.
    day_cluster : ndarray of int, shape (D,)
        Typical day (0 .. K-1) that represents each calendar day.
    weights : ndarray of float, shape (K,)
        Number of calendar days each typical day stands for (sum = D).
    peak_clusters : tuple of int
        Typical days kept as extreme periods (the peak-need day).
    features : list of str
        Columns used for the clustering.
    accuracy : dict
        Per feature, the root-mean-square error of the day-by-day reconstruction (each day
        replaced by its typical day), in the feature's unit, and normalised by the feature's
        range (``rmse``, ``nrmse``).
    """

    snapshots: pd.DatetimeIndex
    medoids: np.ndarray
    day_cluster: np.ndarray
    weights: np.ndarray
    peak_clusters: tuple[int, ...] = ()
    features: list[str] = field(default_factory=list)
    accuracy: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def n_clusters(self) -> int:
        """Number of typical days K (including the peak day)."""
        return len(self.medoids)

    @property
    def n_days(self) -> int:
        """Number of calendar days D."""
        return len(self.day_cluster)

    @property
    def dates(self) -> list[str]:
        """Calendar date (ISO) of each typical day."""
        return [str(self.snapshots[int(d) * HOURS].date()) for d in self.medoids]

    def _days(self, values: np.ndarray | pd.Series | pd.DataFrame) -> np.ndarray:
        arr = np.asarray(values, dtype=float)
        if arr.shape[0] != self.n_days * HOURS:
            raise ValueError(f"expected {self.n_days * HOURS} hourly rows, got {arr.shape[0]}")
        return arr.reshape((self.n_days, HOURS) + arr.shape[1:])

    def reduce(self, values: np.ndarray | pd.Series | pd.DataFrame, *,
               preserve_sum: bool = False) -> np.ndarray:
        """Hourly values of the year -> values of the typical days, shape (K, 24, ...).

        Parameters
        ----------
        values : array-like, shape (D * 24, ...)
            Hourly values (any unit).
        preserve_sum : bool
            Scale the non-peak typical days (one common factor) so that the weighted sum
            equals the annual sum of ``values`` (per trailing column). The peak days are
            kept unchanged.
        """
        days = self._days(values)
        out = days[self.medoids].copy()
        if preserve_sum:
            w = self.weights.reshape((-1,) + (1,) * (out.ndim - 1))
            total = days.sum(axis=(0, 1))
            peak = np.zeros(self.n_clusters, dtype=bool)
            peak[list(self.peak_clusters)] = True
            fixed = (w * out)[peak].sum(axis=(0, 1))
            free = (w * out)[~peak].sum(axis=(0, 1))
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(np.abs(free) > 0, (total - fixed) / free, 1.0)
            out[~peak] = out[~peak] * factor
        return out

    def expand(self, typical: np.ndarray) -> np.ndarray:
        """Values of the typical days, shape (K, 24, ...) -> hourly values of the year."""
        arr = np.asarray(typical)
        full = arr[self.day_cluster]
        return full.reshape((self.n_days * HOURS,) + arr.shape[2:])

    def weighted_sum(self, typical: np.ndarray) -> np.ndarray | float:
        """Annual sum of typical-day values: sum_k weights[k] * sum_h typical[k, h]."""
        arr = np.asarray(typical, dtype=float)
        w = self.weights.reshape((-1,) + (1,) * (arr.ndim - 1))
        return (w * arr).sum(axis=(0, 1))

    def to_dict(self) -> dict:
        """JSON-ready description (dates, weights, accuracy)."""
        return {
            "n_typical_days": self.n_clusters,
            "n_days": self.n_days,
            "dates": self.dates,
            "weights_days": [float(w) for w in self.weights],
            "peak_days": [self.dates[k] for k in self.peak_clusters],
            "features": list(self.features),
            "accuracy": self.accuracy,
        }


def _identity(snapshots: pd.DatetimeIndex, n_days: int) -> TypicalDays:
    idx = np.arange(n_days)
    return TypicalDays(snapshots, idx, idx.copy(), np.ones(n_days), (), [], {})


def cluster_days(
    features: pd.DataFrame,
    n_typical: int,
    *,
    weights: Mapping[str, float] | None = None,
    peak_column: str | None = "need",
) -> TypicalDays:
    """Cluster the days of a year into ``n_typical`` typical days plus the peak day.

    Parameters
    ----------
    features : DataFrame
        Hourly series (rows D * 24, hourly DatetimeIndex); columns in any unit (tsam
        normalises them). Constant columns are ignored.
    n_typical : int
        Number of clustered typical days K (>= 1). The peak day of ``peak_column`` is added
        on top, so the model has K + 1 typical days. With K + 1 >= D every day is kept.
    weights : mapping, optional
        Clustering weight per column (default 1).
    peak_column : str, optional
        Column whose maximum-hour day is kept as an extra typical day of weight 1.

    Returns
    -------
    TypicalDays

    Raises
    ------
    ImportError
        If tsam is not installed.
    ValueError
        If the series do not cover whole days or ``n_typical`` < 1.
    """
    if n_typical < 1:
        raise ValueError(f"typical days must be >= 1, got {n_typical}")
    n = len(features)
    if n % HOURS:
        raise ValueError(f"{n} hourly rows do not make whole days")
    n_days = n // HOURS
    snapshots = pd.DatetimeIndex(features.index)
    if n_typical + 1 >= n_days:
        td = _identity(snapshots, n_days)
        return TypicalDays(td.snapshots, td.medoids, td.day_cluster, td.weights, (),
                           list(features.columns), _accuracy(features, td))
    try:
        import tsam
        from tsam import ClusterConfig, ExtremeConfig
    except ImportError as exc:  # pragma: no cover - tsam is a dependency of planning
        raise ImportError("heatpath planning needs tsam (pip install 'tsam>=4')") from exc

    data = features.loc[:, features.std() > 1e-9 * (features.abs().max() + 1.0)]
    if data.shape[1] == 0:  # nothing varies: one typical day represents every day
        data = features.iloc[:, :1]
    # tsam needs a regular, time-zone-naive index; the calendar is ours (positions)
    data = data.copy()
    data.index = pd.date_range("2001-01-01", periods=n, freq="h")
    w = {c: float((weights or {}).get(c, 1.0)) for c in data.columns}
    extremes = None
    if peak_column is not None and peak_column in data.columns:
        extremes = ExtremeConfig(method="append", max_value=[peak_column])
    res = tsam.aggregate(
        data, n_typical, period_duration=HOURS,
        cluster=ClusterConfig(method="hierarchical", representation="medoid"),
        extremes=extremes, weights=w, preserve_column_means=False,
    )
    clustering = res.clustering
    medoids = np.asarray(clustering.cluster_centers, dtype=int)
    assign = np.asarray(res.cluster_assignments, dtype=int)
    k = len(medoids)
    counts = np.bincount(assign, minlength=k).astype(float)
    peaks = tuple(int(i) for i in (clustering.extreme_cluster_indices or ()))
    td = TypicalDays(snapshots, medoids, assign, counts, peaks, list(data.columns), {})
    return TypicalDays(td.snapshots, medoids, assign, counts, peaks, list(data.columns),
                       _accuracy(features[list(data.columns)], td))


def _accuracy(features: pd.DataFrame, td: TypicalDays) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for c in features.columns:
        x = features[c].to_numpy(dtype=float)
        rec = td.expand(td.reduce(x))
        rmse = float(np.sqrt(np.mean((rec - x) ** 2)))
        span = float(x.max() - x.min())
        out[str(c)] = {"rmse": rmse, "nrmse": rmse / span if span > 0 else 0.0}
    return out


def dispatch_features(
    need_mw: pd.Series,
    electricity_price: pd.Series,
    availability: pd.DataFrame,
    el_in_per_heat: pd.DataFrame,
    cost_per_heat: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Hourly features for :func:`cluster_days` and their clustering weights.

    The heat need (MW) weighs 4, the electricity price (EUR/MWh) 2, and all varying unit
    coefficients (availability 0..1, electricity per heat MWh/MWh, cost per heat EUR/MWh;
    duplicates removed) share a total weight of 2.

    Returns
    -------
    (DataFrame, dict)
        Features (``need``, ``electricity_price``, ``avail:<unit>``, ``el:<unit>``,
        ``cost:<unit>``) and weights per column.
    """
    cols: dict[str, np.ndarray] = {}
    seen: list[np.ndarray] = []

    def add(name: str, values: np.ndarray) -> None:
        if np.ptp(values) <= 1e-9 * (np.abs(values).max() + 1.0):
            return
        if any(np.array_equal(values, s) for s in seen):
            return
        seen.append(values)
        cols[name] = values

    for prefix, table in (("avail", availability), ("el", el_in_per_heat),
                          ("cost", cost_per_heat)):
        for c in table.columns:
            add(f"{prefix}:{c}", table[c].to_numpy(dtype=float))
    others = list(cols)
    frame = pd.DataFrame({"need": need_mw.to_numpy(dtype=float),
                          "electricity_price": electricity_price.to_numpy(dtype=float),
                          **cols}, index=need_mw.index)
    weights = {"need": 4.0, "electricity_price": 2.0}
    for c in others:
        weights[c] = 2.0 / len(others)
    return frame, weights
