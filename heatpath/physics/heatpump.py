"""Heat pumps: ideal and real COP, manufacturer tables, capacity, SPF, source temperatures.

Temperatures are given in °C and converted to kelvin internally (T[K] = T[°C] + 273.15).
Heat in MW / MWh, COP dimensionless (heat out per electricity in).

The real COP is modelled as a constant quality factor times an ideal (Carnot or Lorenz) COP,
the generic screening method of Reinholdt et al. (2018). Pieper et al. (2020) show that a
constant Lorenz/Carnot efficiency is adequate near the design point but deviates far from
it; use :func:`cop_from_table` when manufacturer data are available. Source availability
(cut-off) and capacity derating are separate functions so that the COP series stays finite
everywhere and the dispatch layer can multiply capacity by an availability/capacity factor.

References
----------
Lorenz, H. (1894). Die Ermittlung der Grenzwerte der thermodynamischen Energieumwandlung.
Zeitschrift für die gesamte Kälte-Industrie 1.

Reinholdt, L., Kristófersson, J., Zühlsdorf, B., Elmegaard, B., Jensen, J., Ommen, T. &
Jørgensen, P. H. (2018). Heat pump COP, part 1: Generalized method for screening of system
integration potentials. Proc. 13th IIR Gustav Lorentzen Conference on Natural Refrigerants,
Valencia, 1097-1104. doi:10.18462/iir.gl.2018.1380

Pieper, H., Ommen, T., Jensen, J. K., Elmegaard, B. & Markussen, W. B. (2020). Comparison
of COP estimation methods for large-scale heat pumps used in energy planning. Energy 205,
117994.

Ruhnau, O., Hirth, L. & Praktiknjo, A. (2019). Time series of heat demand and heat pump
efficiency for energy system modeling. Scientific Data 6, 189 (the *when2heat* data set).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from heatpath.physics._utils import (
    KELVIN,
    ArrayLike,
    as_float_array,
    day_of_year,
    require_finite,
    restore,
    restore_to_index,
    series_index,
)

# ---------------------------------------------------------------------------------------
# Ideal COP
# ---------------------------------------------------------------------------------------


def cop_carnot(t_sink_c: ArrayLike, t_source_c: ArrayLike, min_lift_k: float = 1.0) -> ArrayLike:
    """Carnot (reversible) heating COP.

    ::

        T_H = max(T_sink, T_source + min_lift)                 (temperatures in K)
        COP_C = T_H / (T_H - T_source)

    Parameters
    ----------
    t_sink_c : scalar, array or Series
        Sink (condenser / heat delivery) temperature, °C.
    t_source_c : scalar, array or Series
        Source (evaporator) temperature, °C.
    min_lift_k : float
        Lower bound of the temperature lift, K (> 0): a sink colder than
        ``T_source + min_lift`` is treated as ``T_source + min_lift``, so the COP stays
        finite when the source is as warm as (or warmer than) the sink, and it never
        increases with the sink temperature.

    Returns
    -------
    scalar, array or Series
        Carnot COP (dimensionless). Example: sink 80 °C, source 10 °C ->
        353.15 / 70 = 5.045.
    """
    if min_lift_k <= 0.0:
        raise ValueError("min_lift_k must be > 0")
    t_cold = as_float_array(t_source_c) + KELVIN
    t_hot = np.maximum(as_float_array(t_sink_c) + KELVIN, t_cold + min_lift_k)
    return restore(t_hot / (t_hot - t_cold), t_sink_c, t_source_c, name="cop_carnot")


def log_mean_temperature(t_in_c: ArrayLike, t_out_c: ArrayLike) -> ArrayLike:
    """Thermodynamic (logarithmic) mean temperature of a stream, in **kelvin**.

    ::

        T_lm = (T_out - T_in) / ln(T_out / T_in)          (temperatures in K)

    which tends to ``T_in`` when ``T_out -> T_in`` (handled without division by zero).

    Parameters
    ----------
    t_in_c, t_out_c : scalar, array or Series
        Inlet and outlet temperature of the stream, °C.

    Returns
    -------
    scalar, array or Series
        Log-mean temperature, K.
    """
    a = as_float_array(t_in_c) + KELVIN
    b = as_float_array(t_out_c) + KELVIN
    diff = b - a
    small = np.abs(diff) < 1e-6
    with np.errstate(divide="ignore", invalid="ignore"):
        lm = np.where(small, (a + b) / 2.0, diff / np.log(np.where(small, 2.0, b / a)))
    return restore(lm, t_in_c, t_out_c, name="t_log_mean_k")


def cop_lorenz(
    t_sink_in_c: ArrayLike,
    t_sink_out_c: ArrayLike,
    t_source_in_c: ArrayLike,
    t_source_out_c: ArrayLike,
    min_lift_k: float = 1.0,
) -> ArrayLike:
    """Lorenz COP: reversible COP between gliding sink and source temperatures.

    ::

        T_L = log-mean(T_source_in, T_source_out)               (temperatures in K)
        T_H = max(log-mean(T_sink_in, T_sink_out), T_L + min_lift)
        COP_L = T_H / (T_H - T_L)

    For a district heating heat pump the sink is heated from return to supply temperature
    and the source is cooled from its inlet to its outlet temperature, so COP_L > COP_C.

    Parameters
    ----------
    t_sink_in_c, t_sink_out_c : scalar, array or Series
        Sink inlet (e.g. network return) and outlet (e.g. supply) temperature, °C.
    t_source_in_c, t_source_out_c : scalar, array or Series
        Source inlet and outlet temperature, °C.
    min_lift_k : float
        Lower bound of ``T_H - T_L``, K (> 0), applied by raising ``T_H`` as in
        :func:`cop_carnot`.

    Returns
    -------
    scalar, array or Series
        Lorenz COP (dimensionless).

    References
    ----------
    Lorenz (1894); Reinholdt et al. (2018), see module docstring.
    """
    if min_lift_k <= 0.0:
        raise ValueError("min_lift_k must be > 0")
    t_l = as_float_array(log_mean_temperature(t_source_in_c, t_source_out_c))
    t_h = np.maximum(
        as_float_array(log_mean_temperature(t_sink_in_c, t_sink_out_c)), t_l + min_lift_k
    )
    cop = t_h / (t_h - t_l)
    return restore(cop, t_sink_in_c, t_sink_out_c, t_source_in_c, t_source_out_c, name="cop_lorenz")


# ---------------------------------------------------------------------------------------
# Real COP
# ---------------------------------------------------------------------------------------


def cop_hourly(
    t_source_c: ArrayLike,
    t_supply_c: ArrayLike,
    t_return_c: ArrayLike | None = None,
    *,
    method: Literal["carnot", "lorenz"] = "carnot",
    quality_factor: float = 0.5,
    source_cooling_k: float = 5.0,
    min_lift_k: float = 15.0,
    cop_min: float = 1.0,
    cop_max: float | None = None,
) -> ArrayLike:
    """Real hourly COP = quality factor x ideal COP (always finite, never NaN for finite input).

    * ``method="carnot"``: ``COP = qf * COP_Carnot(T_supply, T_source, min_lift)``
      (sink = supply temperature, source = source inlet temperature).
    * ``method="lorenz"``: ``COP = qf * COP_Lorenz(T_return -> T_supply,
      T_source -> T_source - source_cooling_k)`` (needs ``t_return_c``).

    The result is clipped to ``[cop_min, cop_max]``. Source cut-off is *not* applied here:
    use :func:`availability` / :func:`capacity_factor` for the hours in which the heat pump
    cannot run, so that the COP series never needs NaN or zero values.

    Parameters
    ----------
    t_source_c : scalar, array or Series
        Heat source temperature (inlet), °C (see the ``*_temperature`` source models).
    t_supply_c : scalar, array or Series
        Sink outlet temperature (network supply temperature), °C.
    t_return_c : scalar, array or Series, optional
        Sink inlet temperature (network return temperature), °C; required for Lorenz.
    method : {"carnot", "lorenz"}
        Ideal reference cycle.
    quality_factor : float
        Ratio real COP / ideal COP (the Carnot or Lorenz efficiency). Default 0.5, a typical
        value for large electric heat pumps (values of roughly 0.4-0.6 are common in
        planning studies; calibrate to the manufacturer's data when available).
    source_cooling_k : float
        Temperature drop of the source stream, K (Lorenz only). Default 5 K (typical).
    min_lift_k : float
        Floor of the (log-mean) temperature lift, K. Default 15 K, the same floor as used by
        the when2heat COP regression (Ruhnau et al. 2019); it also accounts for the
        heat-exchanger approach temperatures that a real machine always needs.
    cop_min : float
        Lower bound of the COP (default 1.0: a heat pump is never worse than direct
        electric heating in this model).
    cop_max : float, optional
        Upper bound of the COP (e.g. a manufacturer's limit); no bound by default.

    Returns
    -------
    scalar, array or Series
        COP (dimensionless).
    """
    if quality_factor <= 0.0:
        raise ValueError("quality_factor must be > 0")
    if method == "carnot":
        ideal = as_float_array(cop_carnot(t_supply_c, t_source_c, min_lift_k=min_lift_k))
    elif method == "lorenz":
        if t_return_c is None:
            raise ValueError("method='lorenz' needs t_return_c")
        t_src = as_float_array(t_source_c)
        ideal = as_float_array(
            cop_lorenz(t_return_c, t_supply_c, t_src, t_src - source_cooling_k, min_lift_k)
        )
    else:
        raise ValueError("method must be 'carnot' or 'lorenz'")
    cop = np.clip(quality_factor * ideal, cop_min, cop_max)
    return restore(cop, t_source_c, t_supply_c, t_return_c, name="cop")


def cop_from_table(
    t_source_c: ArrayLike,
    t_sink_c: ArrayLike,
    table: pd.DataFrame,
    extrapolate: bool = False,
) -> ArrayLike:
    """COP by bilinear interpolation in a manufacturer table.

    Parameters
    ----------
    t_source_c : scalar, array or Series
        Source temperature, °C.
    t_sink_c : scalar, array or Series
        Sink (supply) temperature, °C.
    table : DataFrame
        COP values; index = source temperatures (°C), columns = sink temperatures (°C),
        numeric (strings such as ``"80"`` are converted), at least 2 x 2, no NaN. Rows and
        columns need not be sorted.
    extrapolate : bool
        If False (default), inputs outside the table are clamped to its edge (nearest
        tabulated temperature); if True, the edge cells are extended linearly.

    Returns
    -------
    scalar, array or Series
        COP (dimensionless).
    """
    tab = table.copy()
    tab.index = pd.Index(tab.index, dtype=float)
    tab.columns = pd.Index([float(c) for c in tab.columns])
    tab = tab.sort_index(axis=0).sort_index(axis=1)
    xs = tab.index.to_numpy(dtype=float)
    ys = tab.columns.to_numpy(dtype=float)
    z = tab.to_numpy(dtype=float)
    if len(xs) < 2 or len(ys) < 2:
        raise ValueError("table needs at least two source and two sink temperatures")
    if np.isnan(z).any():
        raise ValueError("table must not contain NaN")
    if np.any(np.diff(xs) <= 0) or np.any(np.diff(ys) <= 0):
        raise ValueError("table index and columns must not contain duplicates")
    x, y = np.broadcast_arrays(as_float_array(t_source_c), as_float_array(t_sink_c))
    i = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, len(xs) - 2)
    j = np.clip(np.searchsorted(ys, y, side="right") - 1, 0, len(ys) - 2)
    tx = (x - xs[i]) / (xs[i + 1] - xs[i])
    ty = (y - ys[j]) / (ys[j + 1] - ys[j])
    if not extrapolate:
        tx, ty = np.clip(tx, 0.0, 1.0), np.clip(ty, 0.0, 1.0)
    out = (
        z[i, j] * (1 - tx) * (1 - ty)
        + z[i + 1, j] * tx * (1 - ty)
        + z[i, j + 1] * (1 - tx) * ty
        + z[i + 1, j + 1] * tx * ty
    )
    return restore(out, t_source_c, t_sink_c, name="cop")


# ---------------------------------------------------------------------------------------
# Capacity and availability
# ---------------------------------------------------------------------------------------


def capacity_derating(
    t_source_c: ArrayLike,
    t_ref_c: float = 7.0,
    slope_per_k: float = 0.02,
    min_factor: float = 0.0,
    max_factor: float = 1.0,
) -> ArrayLike:
    """Linear capacity factor of a heat pump as a function of source temperature.

    ::

        f = clip(1 + slope * (T_source - T_ref), min_factor, max_factor)

    Parameters
    ----------
    t_source_c : scalar, array or Series
        Source temperature, °C.
    t_ref_c : float
        Source temperature at which the nominal capacity is rated, °C. Default 7 °C (the
        standard air-source rating point A7 of EN 14511).
    slope_per_k : float
        Relative capacity change per K, 1/K. Default 0.02 (2 %/K), a typical value for
        air-source units (usually 1-3 %/K); use 0 for flow-limited water/waste-heat sources.
    min_factor, max_factor : float
        Bounds of the factor. ``max_factor=1`` keeps the output at or below nameplate
        capacity (compressor/motor limit) on warm days.

    Returns
    -------
    scalar, array or Series
        Capacity factor (fraction of nominal heat output).
    """
    t = as_float_array(t_source_c)
    f = np.clip(1.0 + slope_per_k * (t - t_ref_c), min_factor, max_factor)
    return restore(f, t_source_c, name="capacity_factor")


def availability(t_source_c: ArrayLike, cutoff_c: float, t_max_c: float | None = None) -> ArrayLike:
    """Operating mask of a heat pump: 1.0 if ``cutoff_c <= T_source (<= t_max_c)``, else 0.0.

    Parameters
    ----------
    t_source_c : scalar, array or Series
        Source temperature, °C. NaN gives 0.0.
    cutoff_c : float
        Minimum source temperature, °C (e.g. -15 to -20 °C for air-source units; about
        2-4 °C for lake or river water to avoid freezing in the evaporator: typical values).
    t_max_c : float, optional
        Maximum source temperature, °C (no upper limit by default).

    Returns
    -------
    scalar, array or Series
        0.0 / 1.0 availability.
    """
    t = as_float_array(t_source_c)
    with np.errstate(invalid="ignore"):
        ok = t >= cutoff_c
        if t_max_c is not None:
            ok &= t <= t_max_c
    return restore(ok.astype(float), t_source_c, name="availability")


def capacity_factor(
    t_source_c: ArrayLike,
    cutoff_c: float | None = None,
    t_ref_c: float = 7.0,
    slope_per_k: float = 0.02,
    max_factor: float = 1.0,
) -> ArrayLike:
    """Hourly available capacity as a fraction of nominal: availability x derating.

    Combines :func:`availability` (0 below ``cutoff_c``; no cut-off if None) and
    :func:`capacity_derating`. Multiply by the nominal capacity (MW) for the hourly maximum
    heat output.

    Returns
    -------
    scalar, array or Series
        Capacity factor in [0, max_factor].
    """
    f = as_float_array(capacity_derating(t_source_c, t_ref_c, slope_per_k, 0.0, max_factor))
    if cutoff_c is not None:
        f = f * as_float_array(availability(t_source_c, cutoff_c))
    return restore(f, t_source_c, name="capacity_factor")


def spf(heat_mwh: ArrayLike, electricity_mwh: ArrayLike) -> float:
    """Seasonal performance factor: total heat delivered / total electricity consumed.

    ::

        SPF = sum_t Q_heat,t / sum_t E_el,t

    (The RED Annex VII eligibility test SPF > 1.15 / eta is applied by the EED layer.)

    Parameters
    ----------
    heat_mwh : scalar, array or Series
        Heat output per period (or the total), MWh.
    electricity_mwh : scalar, array or Series
        Electricity consumption per period (or the total), MWh.

    Returns
    -------
    float
        SPF (dimensionless).
    """
    q = float(np.sum(as_float_array(heat_mwh)))
    e = float(np.sum(as_float_array(electricity_mwh)))
    if not (np.isfinite(q) and np.isfinite(e)):
        raise ValueError("heat and electricity must be finite")
    if e <= 0.0:
        raise ValueError("total electricity must be > 0")
    return q / e


# ---------------------------------------------------------------------------------------
# Source temperature models
# ---------------------------------------------------------------------------------------


def air_source_temperature(t_air_c: ArrayLike, offset_k: float = 0.0) -> ArrayLike:
    """Ambient-air source temperature, °C: the outdoor temperature (plus optional offset,
    e.g. for an urban heat island or exhaust-air mixing)."""
    t = as_float_array(t_air_c) + offset_k
    return restore(t, t_air_c, name="t_source_c")


def lagged_temperature(
    t_air_c: ArrayLike,
    tau_days: float,
    floor_c: float | None = None,
    ceiling_c: float | None = None,
    offset_k: float = 0.0,
    timestep_h: float = 1.0,
    initial_c: float | None = None,
) -> ArrayLike:
    """First-order lagged (low-pass filtered) air temperature with floor/ceiling.

    Newtonian relaxation ``dT/dt = (T_air - T) / tau`` discretised exactly for piecewise
    constant input, i.e. an exponential moving average::

        T_k = T_{k-1} + alpha * (T_air,k - T_{k-1}),  alpha = 1 - exp(-dt / tau)
        T_source = clip(T + offset, floor, ceiling)

    This is a single-parameter simplification of the lumped air-to-water temperature
    models (e.g. the *air2water* model of Piccolroaz et al., 2013).

    Parameters
    ----------
    t_air_c : array or Series
        Air temperature time series (equidistant, ``timestep_h``), °C, finite.
    tau_days : float
        Time constant, days (> 0).
    floor_c, ceiling_c : float, optional
        Lower/upper bound of the result, °C.
    offset_k : float
        Constant added to the filtered temperature, K.
    timestep_h : float
        Time step of the series, h.
    initial_c : float, optional
        Filter state before the first step, °C. By default the filter is spun up over the
        series once (starting from its mean), so a one-year series is treated as
        periodic (state at the start = state at the end).

    Returns
    -------
    array or Series
        Source temperature, °C.

    References
    ----------
    Piccolroaz, S., Toffolon, M. & Majone, B. (2013). A simple lumped model to convert air
    temperature into surface water temperature in lakes. Hydrol. Earth Syst. Sci. 17,
    3323-3338.
    """
    if tau_days <= 0.0:
        raise ValueError("tau_days must be > 0")
    x = as_float_array(t_air_c)
    if x.ndim != 1:
        raise ValueError("t_air_c must be a one-dimensional time series")
    require_finite(x, "t_air_c")
    if x.size == 0:
        return restore(x, t_air_c, name="t_source_c")
    alpha = 1.0 - np.exp(-timestep_h / (tau_days * 24.0))
    if initial_c is None:
        initial_c = float(_ema(x, alpha, float(x.mean()))[-1])
    y = _ema(x, alpha, float(initial_c)) + offset_k
    if floor_c is not None or ceiling_c is not None:
        y = np.clip(y, floor_c, ceiling_c)
    return restore(y, t_air_c, name="t_source_c")


def _ema(x: np.ndarray, alpha: float, initial: float) -> np.ndarray:
    """y_k = (1 - alpha) y_{k-1} + alpha x_k with y_{-1} = initial (pandas, C speed)."""
    s = pd.Series(np.concatenate([[initial], x]))
    return s.ewm(alpha=alpha, adjust=False).mean().to_numpy()[1:]


def lake_temperature(
    t_air_c: ArrayLike,
    tau_days: float = 30.0,
    floor_c: float = 4.0,
    offset_k: float = 0.0,
    timestep_h: float = 1.0,
    initial_c: float | None = None,
) -> ArrayLike:
    """Lake water (intake) temperature from air temperature, °C.

    :func:`lagged_temperature` with a time constant of about a month and a 4 °C floor.
    Defaults are typical values, not fitted to Lake Morii: the 30-day time constant reflects
    the thermal inertia of a lake a few metres deep (deep lakes respond more slowly); the
    4 °C floor is the temperature of maximum density of fresh water, which deeper water
    (the intake) keeps under winter stratification or ice. For a shallow, fully mixed
    reservoir the winter temperature can approach 0 °C: lower ``floor_c`` and use an
    :func:`availability` cut-off of about 2-4 °C instead.

    See :func:`lagged_temperature` for the parameters.
    """
    return lagged_temperature(t_air_c, tau_days, floor_c, None, offset_k, timestep_h, initial_c)


def river_temperature(
    t_air_c: ArrayLike,
    tau_days: float = 7.0,
    floor_c: float = 0.0,
    offset_k: float = 0.0,
    timestep_h: float = 1.0,
    initial_c: float | None = None,
) -> ArrayLike:
    """River water temperature from air temperature, °C.

    :func:`lagged_temperature` with a shorter time constant than a lake (default 7 days;
    stream temperature follows air temperature with a lag of days to about a week, cf.
    Stefan & Preud'homme, 1993) and a 0 °C floor (freezing). Typical values; calibrate
    against measurements when available.

    References
    ----------
    Stefan, H. G. & Preud'homme, E. B. (1993). Stream temperature estimation from air
    temperature. Water Resources Bulletin 29(1), 27-45.
    """
    return lagged_temperature(t_air_c, tau_days, floor_c, None, offset_k, timestep_h, initial_c)


def seasonal_temperature(
    times: object, mean_c: float, amplitude_k: float, peak_day: float
) -> ArrayLike:
    """Annual sinusoid ``T = mean + amplitude * cos(2 pi (doy - peak_day) / 365.25)``, °C.

    Parameters
    ----------
    times : DatetimeIndex, Series or numeric
        Timestamps (a Series' DatetimeIndex is used) or fractional day of year.
    mean_c : float
        Annual mean, °C.
    amplitude_k : float
        Half of the peak-to-peak annual swing, K.
    peak_day : float
        Day of year of the maximum.

    Returns
    -------
    scalar, array or Series
        Temperature, °C (Series indexed like ``times`` for datetime input).
    """
    doy, index = day_of_year(times)
    out = mean_c + amplitude_k * np.cos(2.0 * np.pi * (doy - peak_day) / 365.25)
    return restore_to_index(out, index, "t_source_c")


def sewage_temperature(
    times: object, mean_c: float = 15.0, amplitude_k: float = 5.0, peak_day: float = 227.0
) -> ArrayLike:
    """Treated wastewater (sewage) temperature, °C: seasonal sinusoid.

    Defaults give 10 °C (mid-February) to 20 °C (mid-August), the range typically reported
    for municipal wastewater in temperate European climates; the maximum lags the air
    temperature maximum by about a month. Typical values, not measurements from the Glina
    treatment plant. (Alternative: :func:`lagged_temperature` of air temperature with a
    floor of about 10 °C.)
    """
    return seasonal_temperature(times, mean_c, amplitude_k, peak_day)


def metro_air_temperature(
    times: object, mean_c: float = 20.0, amplitude_k: float = 5.0, peak_day: float = 210.0
) -> ArrayLike:
    """Metro tunnel (ventilation exhaust) air temperature, °C: seasonal sinusoid.

    Defaults give 15 °C (winter) to 25 °C (late July): typical values for underground
    railway tunnel air, which is warmed by trains and passengers and follows the outdoor
    seasons with damping. Not measured for the Bucharest metro stations of the paper.
    """
    return seasonal_temperature(times, mean_c, amplitude_k, peak_day)


def shallow_geothermal_temperature(times: object | None = None, t_c: float = 11.0) -> ArrayLike:
    """Shallow geothermal (borehole, 10-100 m) source temperature, °C: constant.

    Below ~10-15 m the undisturbed ground temperature is nearly constant and close to the
    annual mean surface temperature (plus the geothermal gradient of about 3 K per 100 m);
    11 °C is a typical value for Bucharest. Long-term borehole cooling is not modelled.
    ``times`` only sets the shape of the result (float if None).
    """
    return _constant(times, t_c)


def data_centre_temperature(times: object | None = None, t_c: float = 27.0) -> ArrayLike:
    """Data-centre waste-heat temperature (cooling water/air return), °C: constant.

    Air-cooled data centres typically reject heat at about 25-35 °C, so 27 °C is a
    conservative typical value; liquid-cooled racks can deliver 40-60 °C (raise ``t_c``).
    ``times`` only sets the shape of the result (float if None).
    """
    return _constant(times, t_c)


def _constant(times: object | None, value: float) -> ArrayLike:
    if times is None:
        return float(value)
    doy, index = day_of_year(times)
    return restore_to_index(np.full(np.shape(doy), float(value)), index, "t_source_c")


#: Source kinds understood by :func:`source_temperature` (names as in heatpath.model).
SOURCE_KINDS: tuple[str, ...] = (
    "air",
    "lake",
    "river",
    "sewage",
    "geothermal_shallow",
    "metro",
    "data_centre",
)


def source_temperature(source: str, t_air_c: ArrayLike, **kwargs: float) -> ArrayLike:
    """Source temperature of a heat pump by source kind, with the default models.

    Parameters
    ----------
    source : str
        One of :data:`SOURCE_KINDS`: ``air`` (:func:`air_source_temperature`), ``lake``,
        ``river`` (lagged air temperature), ``sewage``, ``metro`` (seasonal sinusoids),
        ``geothermal_shallow``, ``data_centre`` (constants).
    t_air_c : Series (DatetimeIndex) or array
        Outdoor air temperature, °C. The seasonal and constant models only use its
        timestamps and need a Series with a DatetimeIndex (call the specific model directly
        for other inputs).
    **kwargs
        Passed to the specific model (e.g. ``floor_c=2.0``).

    Returns
    -------
    array or Series
        Source temperature, °C, same shape/index as ``t_air_c``.
    """
    if source == "air":
        return air_source_temperature(t_air_c, **kwargs)
    if source == "lake":
        return lake_temperature(t_air_c, **kwargs)
    if source == "river":
        return river_temperature(t_air_c, **kwargs)
    if source in ("sewage", "metro", "geothermal_shallow", "data_centre"):
        index = series_index(t_air_c)
        if index is None or not isinstance(index, pd.DatetimeIndex):
            raise ValueError(f"source {source!r} needs t_air_c as a Series with a DatetimeIndex")
        func = {
            "sewage": sewage_temperature,
            "metro": metro_air_temperature,
            "geothermal_shallow": shallow_geothermal_temperature,
            "data_centre": data_centre_temperature,
        }[source]
        return func(index, **kwargs)
    raise ValueError(f"unknown source {source!r}; expected one of {SOURCE_KINDS}")
