"""Heat demand from outdoor temperature (heating-degree method) and its calibration.

Model (per time step t, heat in MW)::

    Q_t = B * s_t + k * h_t ** gamma,    h_t = max(0, T_threshold - T_ref,t)

* ``B * s_t`` -- weather-independent base load (domestic hot water, DHW; for a network
  series it also absorbs the roughly constant network losses), ``s_t`` a daily shape with
  mean 1 (flat by default);
* ``k * h_t ** gamma`` -- space heating proportional to the heating degrees (``gamma = 1``:
  the classic degree-hour method); ``T_ref`` is the outdoor temperature, optionally
  smoothed (daily mean, or the when2heat / BDEW geometric 4-day mean).

:func:`calibrate_demand` chooses ``B``, ``k`` (and ``gamma``) so that the series hits an
annual total exactly and, optionally, a peak.

References
----------
Ruhnau, O., Hirth, L. & Praktiknjo, A. (2019). Time series of heat demand and heat pump
efficiency for energy system modeling. Scientific Data 6, 189. Heating thresholds per
country: when2heat repository, ``input/heating_thresholds/heating_thresholds.csv``
(RO: 15.41 °C). In when2heat the threshold shifts the BDEW sigmoid profiles; here it is
used as the base temperature of a degree-hour model, an adaptation of this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from heatpath.physics._utils import ArrayLike, as_float_array, require_finite, restore

#: Heating threshold temperature for Romania in the when2heat data set, °C.
T_THRESHOLD_RO_C = 15.41

Smoothing = Literal["none", "daily", "geometric"]


# ---------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------


def _day_ids(x: object, n: int, timestep_h: float) -> np.ndarray:
    """Integer day number of every time step (calendar day for a DatetimeIndex Series,
    else consecutive 24 h blocks starting at the first step)."""
    if isinstance(x, pd.Series) and isinstance(x.index, pd.DatetimeIndex):
        days = x.index.normalize()
        _, ids = np.unique(days.asi8, return_inverse=True)
        return ids.astype(int)
    return np.floor(np.arange(n) * timestep_h / 24.0 + 1e-9).astype(int)


def reference_temperature(
    t_out_c: ArrayLike, smoothing: Smoothing = "daily", timestep_h: float = 1.0
) -> ArrayLike:
    """Smoothed outdoor temperature used as the demand driver, °C.

    * ``"none"``: the temperature itself;
    * ``"daily"``: the mean of the calendar day (DatetimeIndex Series) or of consecutive
      24 h blocks (arrays, assumed to start at 00:00), repeated for every hour of the day;
    * ``"geometric"``: ``(T_d + 0.5 T_{d-1} + 0.25 T_{d-2} + 0.125 T_{d-3}) / 1.875`` of the
      daily means (building thermal inertia; BDEW/when2heat reference temperature; the
      first days reuse the first daily mean).

    Parameters
    ----------
    t_out_c : array or Series
        Outdoor temperature time series, °C.
    smoothing : {"none", "daily", "geometric"}
    timestep_h : float
        Time step, h (arrays only).

    Returns
    -------
    array or Series
        Reference temperature, °C.
    """
    t = as_float_array(t_out_c)
    if smoothing == "none":
        return restore(t, t_out_c, name="t_ref_c")
    if smoothing not in ("daily", "geometric"):
        raise ValueError("smoothing must be 'none', 'daily' or 'geometric'")
    if t.ndim != 1:
        raise ValueError("t_out_c must be a one-dimensional time series")
    require_finite(t, "t_out_c")
    ids = _day_ids(t_out_c, t.size, timestep_h)
    daily = np.bincount(ids, weights=t) / np.bincount(ids)
    if smoothing == "geometric":
        padded = np.concatenate([np.full(3, daily[0]), daily])
        n = daily.size
        daily = (
            padded[3 : 3 + n]
            + 0.5 * padded[2 : 2 + n]
            + 0.25 * padded[1 : 1 + n]
            + 0.125 * padded[0:n]
        ) / 1.875
    return restore(daily[ids], t_out_c, name="t_ref_c")


def heating_degrees(
    t_out_c: ArrayLike,
    t_threshold_c: float = T_THRESHOLD_RO_C,
    smoothing: Smoothing = "none",
    timestep_h: float = 1.0,
) -> ArrayLike:
    """Heating degrees ``h = max(0, T_threshold - T_ref)``, K (degree-hours per hour).

    Parameters
    ----------
    t_out_c : scalar, array or Series
        Outdoor temperature, °C.
    t_threshold_c : float
        Heating threshold (base) temperature, °C. Default 15.41 °C (Romania, when2heat).
    smoothing : {"none", "daily", "geometric"}
        See :func:`reference_temperature`.
    timestep_h : float
        Time step, h (for smoothing of arrays).

    Returns
    -------
    scalar, array or Series
        Heating degrees, K. Their sum times ``timestep_h`` is the heating degree-hours.
    """
    t_ref = as_float_array(reference_temperature(t_out_c, smoothing, timestep_h))
    return restore(np.maximum(t_threshold_c - t_ref, 0.0), t_out_c, name="heating_degrees_k")


def dhw_profile(
    like: ArrayLike, daily_shape: ArrayLike | None = None, timestep_h: float = 1.0
) -> ArrayLike:
    """Relative domestic-hot-water profile ``s_t`` (mean of the daily shape = 1).

    Parameters
    ----------
    like : array or Series
        Template time series (its length, and for a DatetimeIndex Series its hours).
    daily_shape : sequence of 24 floats, optional
        Relative DHW draw per hour of day 0-23 (any positive scale; normalised to mean 1).
        Flat (all ones) if None. For a DatetimeIndex Series the index hour is used (local
        time if the index is timezone-aware); arrays are assumed to start at 00:00.
    timestep_h : float
        Time step, h (arrays only).

    Returns
    -------
    array or Series
        Dimensionless profile.
    """
    n = np.shape(as_float_array(like))[0] if np.ndim(as_float_array(like)) else 1
    if daily_shape is None:
        return restore(np.ones(n), like, name="dhw_profile")
    shape = as_float_array(daily_shape)
    if shape.shape != (24,) or np.any(shape < 0) or not np.all(np.isfinite(shape)):
        raise ValueError("daily_shape must be 24 finite non-negative values")
    if shape.sum() <= 0:
        raise ValueError("daily_shape must not be all zero")
    shape = shape / shape.mean()
    if isinstance(like, pd.Series) and isinstance(like.index, pd.DatetimeIndex):
        hours = like.index.hour.to_numpy()
    else:
        hours = np.floor(np.mod(np.arange(n) * timestep_h, 24.0) + 1e-9).astype(int) % 24
    return restore(shape[hours], like, name="dhw_profile")


# ---------------------------------------------------------------------------------------
# Demand model and calibration
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandFit:
    """Parameters of a calibrated demand model ``Q = B s + k h ** gamma``.

    Attributes
    ----------
    base_mw : float
        Base (DHW) load ``B``, MW (mean over the daily shape).
    sh_mw_per_k : float
        Space-heating coefficient ``k``, MW per K**gamma.
    exponent : float
        ``gamma`` (1.0 = linear degree-hour model).
    dhw_share : float
        Share of the base load in the calibration period's total, -.
    t_threshold_c : float
        Heating threshold, °C.
    smoothing : str
        Temperature smoothing (see :func:`reference_temperature`).
    dhw_daily_shape : tuple of 24 floats or None
        DHW daily shape (None = flat).
    """

    base_mw: float
    sh_mw_per_k: float
    exponent: float
    dhw_share: float
    t_threshold_c: float
    smoothing: str
    dhw_daily_shape: tuple[float, ...] | None


def heat_demand(t_out_c: ArrayLike, fit: DemandFit, timestep_h: float = 1.0) -> ArrayLike:
    """Hourly heat demand, MW, from outdoor temperature and fitted parameters.

    ``Q_t = B s_t + k h_t ** gamma``. Use it to apply a calibration (see
    :func:`fit_demand`) to another weather year.

    Parameters
    ----------
    t_out_c : array or Series
        Outdoor temperature time series, °C.
    fit : DemandFit
        Model parameters.
    timestep_h : float
        Time step, h.

    Returns
    -------
    array or Series
        Heat demand, MW.
    """
    h = as_float_array(
        heating_degrees(t_out_c, fit.t_threshold_c, fit.smoothing, timestep_h)  # type: ignore[arg-type]
    )
    s = as_float_array(dhw_profile(t_out_c, fit.dhw_daily_shape, timestep_h))
    q = fit.base_mw * s + fit.sh_mw_per_k * _power(h, fit.exponent)
    return restore(q, t_out_c, name="heat_demand_mw")


def _power(h: np.ndarray, gamma: float) -> np.ndarray:
    """h ** gamma with 0 ** gamma = 0 for every gamma > 0."""
    return np.where(h > 0.0, np.power(np.where(h > 0.0, h, 1.0), gamma), 0.0)


def fit_demand(
    t_out_c: ArrayLike,
    annual_mwh: float,
    peak_mw: float | None = None,
    dhw_share: float = 0.2,
    *,
    method: Literal["share", "exponent"] = "share",
    t_threshold_c: float = T_THRESHOLD_RO_C,
    smoothing: Smoothing = "none",
    dhw_daily_shape: ArrayLike | None = None,
    timestep_h: float = 1.0,
) -> DemandFit:
    """Fit ``B``, ``k`` (and ``gamma``) to an annual total and optionally a peak.

    Method
    ------
    With ``S = sum_t s_t dt`` and ``H_gamma = sum_t h_t**gamma dt``:

    * **no peak**: ``B = dhw_share * E / S``, ``k = (1 - dhw_share) * E / H_1``,
      ``gamma = 1``. ``dhw_share`` is used as given.
    * **peak, method="share"** (default): keeps the linear degree-hour model
      (``gamma = 1``) and solves for the base load ``B`` (``dhw_share`` is ignored and
      returned as the solved share): ``k(B) = (E - B S) / H_1`` keeps the total exact and
      ``max_t(B s_t + k(B) h_t) = P`` is solved by bisection on the branch where the peak
      decreases with ``B`` (closed form for a flat shape:
      ``k = (P - mean) / (h_max - h_mean)``). Feasible peaks lie between
      ``min_B max_t Q_t`` (= the mean load for a flat shape: all base) and
      ``E h_max / H_1`` (no base load).
    * **peak, method="exponent"**: keeps ``B = dhw_share * E / S`` and solves for
      ``gamma`` in [0.01, 30] (bisection in log gamma), with
      ``k = (1 - dhw_share) E / H_gamma``. A larger ``gamma`` concentrates the space
      heating in the coldest hours, so it reaches lower load factors than the linear model.

    Parameters
    ----------
    t_out_c : array or Series
        Outdoor temperature time series of the calibration period (usually a year), °C.
    annual_mwh : float
        Total heat demand over the period, MWh (> 0).
    peak_mw : float, optional
        Maximum of the hourly series, MW.
    dhw_share : float
        Share of the base (DHW) load in the total, 0-1 (see above). Default 0.2, a typical
        planning value for residential district heating (domestic hot water).
    method : {"share", "exponent"}
        How the peak is matched (see above).
    t_threshold_c : float
        Heating threshold, °C (default 15.41, Romania in when2heat).
    smoothing : {"none", "daily", "geometric"}
        Temperature smoothing (see :func:`reference_temperature`).
    dhw_daily_shape : 24 floats, optional
        DHW shape by hour of day (see :func:`dhw_profile`).
    timestep_h : float
        Time step, h.

    Returns
    -------
    DemandFit

    Raises
    ------
    ValueError
        If the targets cannot both be met (the message gives the feasible peak range),
        or on invalid inputs.
    """
    if not annual_mwh > 0:
        raise ValueError("annual_mwh must be > 0")
    if not 0.0 <= dhw_share <= 1.0:
        raise ValueError("dhw_share must be in [0, 1]")
    if method not in ("share", "exponent"):
        raise ValueError("method must be 'share' or 'exponent'")
    t = as_float_array(t_out_c)
    if t.ndim != 1 or t.size == 0:
        raise ValueError("t_out_c must be a non-empty one-dimensional time series")
    require_finite(t, "t_out_c")
    h = as_float_array(heating_degrees(t_out_c, t_threshold_c, smoothing, timestep_h))
    s = as_float_array(dhw_profile(t_out_c, dhw_daily_shape, timestep_h))
    shape_t = None
    if dhw_daily_shape is not None:
        shape_t = tuple(float(v) for v in as_float_array(dhw_daily_shape))
    e, dt = float(annual_mwh), float(timestep_h)
    s_sum = float(s.sum() * dt)
    h_sum = float(h.sum() * dt)

    def result(b: float, k: float, gamma: float) -> DemandFit:
        return DemandFit(
            base_mw=float(b),
            sh_mw_per_k=float(k),
            exponent=float(gamma),
            dhw_share=float(b * s_sum / e),
            t_threshold_c=float(t_threshold_c),
            smoothing=smoothing,
            dhw_daily_shape=shape_t,
        )

    if h_sum <= 0.0:
        # No heating hours: everything is base load.
        b = e / s_sum
        if peak_mw is not None and not np.isclose(b * s.max(), peak_mw, rtol=1e-9):
            raise ValueError(
                f"no heating degrees in the period: the demand is the base load only and its "
                f"peak is {b * s.max():.6g} MW, not {peak_mw:.6g} MW"
            )
        return result(b, 0.0, 1.0)
    if peak_mw is None:
        return result(dhw_share * e / s_sum, (1.0 - dhw_share) * e / h_sum, 1.0)
    if method == "share":
        return result(*_fit_share(h, s, e, float(peak_mw), dt))
    return result(*_fit_exponent(h, s, e, float(peak_mw), dhw_share, dt))


def _fit_share(
    h: np.ndarray, s: np.ndarray, e: float, p: float, dt: float
) -> tuple[float, float, float]:
    """Base load B (and k) of the linear model for the peak P (see fit_demand)."""
    s_sum, h_sum = float(s.sum() * dt), float(h.sum() * dt)
    b_max = e / s_sum
    period_h = h.size * dt

    def peak(b: float) -> float:
        return float(np.max(b * s + (e - b * s_sum) / h_sum * h))

    # argmin of the convex piecewise-linear peak(B) on [0, b_max]: golden-section search.
    lo, hi = 0.0, b_max
    g = (np.sqrt(5.0) - 1.0) / 2.0
    for _ in range(200):
        m1, m2 = hi - g * (hi - lo), lo + g * (hi - lo)
        if peak(m1) <= peak(m2):
            hi = m2
        else:
            lo = m1
    b_star = (lo + hi) / 2.0
    if peak(b_max) <= peak(b_star):
        b_star = b_max
    p_hi, p_lo = peak(0.0), peak(b_star)
    if p > p_hi * (1 + 1e-12):
        raise ValueError(
            f"peak {p:.6g} MW too high for the linear degree-hour model: without base load "
            f"the peak is {p_hi:.6g} MW (requested load factor {e / (p * period_h):.3f}, "
            f"minimum reachable {e / (p_hi * period_h):.3f}). Use method='exponent', a lower "
            "heating threshold or less smoothing."
        )
    if p < p_lo * (1 - 1e-12):
        raise ValueError(
            f"peak {p:.6g} MW too low: the smallest possible peak for this total and DHW "
            f"shape is {p_lo:.6g} MW (the demand cannot be flatter)."
        )
    lo, hi = 0.0, b_star  # peak(lo) >= p >= peak(hi); peak decreases on [0, b_star]
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if peak(mid) > p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * max(b_star, 1.0):
            break
    b = (lo + hi) / 2.0
    return b, (e - b * s_sum) / h_sum, 1.0


def _fit_exponent(
    h: np.ndarray, s: np.ndarray, e: float, p: float, dhw_share: float, dt: float
) -> tuple[float, float, float]:
    """Exponent gamma (and B, k) for the peak P with a fixed base share (see fit_demand)."""
    b = dhw_share * e / float(s.sum() * dt)
    x = h / h.max()  # in [0, 1]: no overflow for large gamma
    base = b * s

    def peak(gamma: float) -> float:
        xg = _power(x, gamma)
        return float(np.max(base + (1.0 - dhw_share) * e * xg / (xg.sum() * dt)))

    g_lo, g_hi = 0.01, 30.0
    p_lo, p_hi = peak(g_lo), peak(g_hi)
    if not p_lo <= p <= p_hi:
        raise ValueError(
            f"peak {p:.6g} MW cannot be reached with dhw_share={dhw_share:g} by an exponent in "
            f"[{g_lo}, {g_hi}]: feasible peaks are {p_lo:.6g}-{p_hi:.6g} MW. Change dhw_share."
        )
    lo, hi = np.log(g_lo), np.log(g_hi)
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if peak(float(np.exp(mid))) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-15:
            break
    gamma = float(np.exp((lo + hi) / 2.0))
    if not np.isclose(peak(gamma), p, rtol=1e-9):
        raise ValueError("the peak is not monotone in the exponent for this DHW shape; use 'share'")
    hg_sum = float(_power(h, gamma).sum() * dt)
    return b, (1.0 - dhw_share) * e / hg_sum, gamma


def calibrate_demand(
    t_out_c: ArrayLike,
    annual_mwh: float,
    peak_mw: float | None = None,
    dhw_share: float = 0.2,
    *,
    method: Literal["share", "exponent"] = "share",
    t_threshold_c: float = T_THRESHOLD_RO_C,
    smoothing: Smoothing = "none",
    dhw_daily_shape: ArrayLike | None = None,
    timestep_h: float = 1.0,
) -> ArrayLike:
    """Hourly heat demand, MW, that sums to ``annual_mwh`` exactly (and peaks at ``peak_mw``).

    :func:`fit_demand` followed by :func:`heat_demand`; the series is finally rescaled by
    ``E / sum(Q dt)`` (a correction at rounding level) so the total holds to machine
    precision. See :func:`fit_demand` for the method, parameters and errors. The fitted
    parameters are attached to a Series result as ``result.attrs["demand_fit"]``.

    Returns
    -------
    array or Series
        Heat demand, MW (Series with the index of ``t_out_c`` for Series input).
    """
    fit = fit_demand(
        t_out_c,
        annual_mwh,
        peak_mw,
        dhw_share,
        method=method,
        t_threshold_c=t_threshold_c,
        smoothing=smoothing,
        dhw_daily_shape=dhw_daily_shape,
        timestep_h=timestep_h,
    )
    q = as_float_array(heat_demand(t_out_c, fit, timestep_h))
    q = q * (annual_mwh / (q.sum() * timestep_h))
    out = restore(q, t_out_c, name="heat_demand_mw")
    if isinstance(out, pd.Series):
        out.attrs["demand_fit"] = fit
    return out


def load_factor(series: ArrayLike) -> float:
    """Load factor = mean / maximum of a load series (NaN ignored), dimensionless.

    Example: the reference paper's Bucharest load, 3,576,594 MWh/yr with a 1,829 MW peak:
    (3,576,594 / 8760) / 1829 = 0.223.
    """
    x = as_float_array(series)
    peak = np.nanmax(x)
    if not peak > 0:
        raise ValueError("maximum of the series must be > 0")
    return float(np.nanmean(x) / peak)
