"""Solar thermal: sun position, irradiance on the collector plane, collector efficiency/output.

Angles in degrees (azimuth measured clockwise from north: 90 = east, 180 = south),
irradiance in W/m2, areas in m2, heat output in MW, temperatures in °C.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatpath.physics._utils import (
    ArrayLike,
    as_float_array,
    day_of_year,
    restore,
    restore_to_index,
    to_datetime_index,
)
from heatpath.physics.network import return_temperature, supply_temperature

#: Solar constant, W/m2 (value used by Duffie & Beckman for the extraterrestrial irradiance).
SOLAR_CONSTANT_WM2 = 1367.0

# ---------------------------------------------------------------------------------------
# Sun position
# ---------------------------------------------------------------------------------------


def solar_position(times: object, latitude: float, longitude: float) -> pd.DataFrame:
    """Sun position with the NOAA solar calculator equations (after Meeus).

    Vectorised over ``times``. Accuracy is about 0.01-0.02 degrees for 1800-2100 (compared
    with the NREL SPA reference case: zenith 50.1116°, azimuth 194.3402°).

    Parameters
    ----------
    times : DatetimeIndex (or Series of datetimes / Series with a DatetimeIndex)
        Instants. Timezone-aware timestamps are converted to UTC; naive timestamps are
        taken as UTC.
    latitude : float
        Latitude, degrees north (Bucharest: 44.43).
    longitude : float
        Longitude, degrees east (Bucharest: 26.10).

    Returns
    -------
    DataFrame
        Indexed by ``times`` with columns (degrees unless stated):

        * ``zenith`` -- geometric solar zenith angle,
        * ``elevation`` -- geometric elevation, ``90 - zenith``,
        * ``apparent_zenith`` / ``apparent_elevation`` -- corrected for atmospheric
          refraction (NOAA approximation, standard atmosphere),
        * ``azimuth`` -- clockwise from north,
        * ``declination`` -- solar declination,
        * ``hour_angle`` -- solar hour angle (negative in the morning),
        * ``equation_of_time`` -- minutes.

    References
    ----------
    NOAA Global Monitoring Laboratory, Solar Calculation Details / NOAA_Solar_Calculations
    spreadsheet (https://gml.noaa.gov/grad/solcalc/calcdetails.html), based on
    Meeus, J. (1991/1998). *Astronomical Algorithms*. Willmann-Bell.
    Reda, I. & Andreas, A. (2004). Solar position algorithm for solar radiation
    applications. Solar Energy 76(5), 577-589 (reference values used in the tests).
    """
    index = to_datetime_index(times)
    utc = index.tz_convert("UTC") if index.tz is not None else index.tz_localize("UTC")
    seconds = (utc - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(seconds=1)
    seconds = np.asarray(seconds, dtype=float)
    jd = seconds / 86400.0 + 2440587.5
    jc = (jd - 2451545.0) / 36525.0

    l0 = np.mod(280.46646 + jc * (36000.76983 + jc * 0.0003032), 360.0)
    m = 357.52911 + jc * (35999.05029 - 0.0001537 * jc)
    ecc = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc)
    m_rad = np.radians(m)
    ctr = (
        np.sin(m_rad) * (1.914602 - jc * (0.004817 + 0.000014 * jc))
        + np.sin(2 * m_rad) * (0.019993 - 0.000101 * jc)
        + np.sin(3 * m_rad) * 0.000289
    )
    true_long = l0 + ctr
    omega = np.radians(125.04 - 1934.136 * jc)
    app_long = true_long - 0.00569 - 0.00478 * np.sin(omega)
    arcsec = 21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))
    mean_obliq = 23.0 + (26.0 + arcsec / 60.0) / 60.0
    obliq = np.radians(mean_obliq + 0.00256 * np.cos(omega))
    decl = np.arcsin(np.sin(obliq) * np.sin(np.radians(app_long)))
    y = np.tan(obliq / 2.0) ** 2
    l0_rad = np.radians(l0)
    eot = 4.0 * np.degrees(
        y * np.sin(2 * l0_rad)
        - 2 * ecc * np.sin(m_rad)
        + 4 * ecc * y * np.sin(m_rad) * np.cos(2 * l0_rad)
        - 0.5 * y * y * np.sin(4 * l0_rad)
        - 1.25 * ecc * ecc * np.sin(2 * m_rad)
    )
    minutes_utc = np.mod(seconds, 86400.0) / 60.0
    true_solar_time = np.mod(minutes_utc + eot + 4.0 * longitude, 1440.0)
    hour_angle = true_solar_time / 4.0 - 180.0
    ha = np.radians(hour_angle)
    lat = np.radians(latitude)

    cos_zen = np.sin(lat) * np.sin(decl) + np.cos(lat) * np.cos(decl) * np.cos(ha)
    zenith = np.degrees(np.arccos(np.clip(cos_zen, -1.0, 1.0)))
    # Azimuth measured from south towards west (Meeus 13.5), then shifted to from-north.
    az_south = np.arctan2(np.sin(ha), np.cos(ha) * np.sin(lat) - np.tan(decl) * np.cos(lat))
    azimuth = np.mod(np.degrees(az_south) + 180.0, 360.0)
    elevation = 90.0 - zenith
    refraction = _refraction_deg(elevation)

    return pd.DataFrame(
        {
            "zenith": zenith,
            "elevation": elevation,
            "apparent_zenith": zenith - refraction,
            "apparent_elevation": elevation + refraction,
            "azimuth": azimuth,
            "declination": np.degrees(decl),
            "hour_angle": hour_angle,
            "equation_of_time": eot,
        },
        index=times.index if isinstance(times, pd.Series) else index,
    )


def _refraction_deg(elevation: np.ndarray) -> np.ndarray:
    """Atmospheric refraction correction (degrees) of the NOAA calculator."""
    e = np.asarray(elevation, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = np.tan(np.radians(e))
        high = 58.1 / t - 0.07 / t**3 + 0.000086 / t**5
        low = 1735.0 + e * (-518.2 + e * (103.4 + e * (-12.79 + e * 0.711)))
        below = -20.772 / t
    arcsec = np.where(e > 85.0, 0.0, np.where(e > 5.0, high, np.where(e > -0.575, low, below)))
    return arcsec / 3600.0


def extraterrestrial_irradiance(times: object) -> ArrayLike:
    """Extraterrestrial normal irradiance, W/m2.

    ``G_on = G_sc * (1 + 0.033 * cos(2 pi n / 365))`` with ``G_sc = 1367 W/m2`` and ``n``
    the day of year (Duffie & Beckman, eq. 1.4.1a).

    Parameters
    ----------
    times : DatetimeIndex, Series or numeric
        Timestamps or (fractional) day of year.

    References
    ----------
    Duffie, J. A. & Beckman, W. A. (2013). *Solar Engineering of Thermal Processes*, 4th
    ed. Wiley.
    """
    doy, index = day_of_year(times)
    out = SOLAR_CONSTANT_WM2 * (1.0 + 0.033 * np.cos(2.0 * np.pi * doy / 365.0))
    return restore_to_index(out, index, "dni_extra_wm2")


# ---------------------------------------------------------------------------------------
# Irradiance on the collector plane
# ---------------------------------------------------------------------------------------


def angle_of_incidence(
    surface_tilt: float | ArrayLike,
    surface_azimuth: float | ArrayLike,
    solar_zenith: ArrayLike,
    solar_azimuth: ArrayLike,
) -> ArrayLike:
    """Angle between the sun beam and the surface normal, degrees.

    ``cos(AOI) = cos(z) cos(beta) + sin(z) sin(beta) cos(gamma_s - gamma)``
    (Duffie & Beckman, eq. 1.6.3 in zenith/azimuth form).

    Parameters
    ----------
    surface_tilt : float
        Collector tilt from horizontal, degrees (0 = horizontal).
    surface_azimuth : float
        Collector azimuth, degrees clockwise from north (180 = facing south).
    solar_zenith, solar_azimuth : scalar, array or Series
        Sun position, degrees (see :func:`solar_position`).

    Returns
    -------
    scalar, array or Series
        Angle of incidence, degrees (0-180).
    """
    cos_aoi = _cos_aoi(surface_tilt, surface_azimuth, solar_zenith, solar_azimuth)
    aoi = np.degrees(np.arccos(np.clip(cos_aoi, -1.0, 1.0)))
    return restore(aoi, solar_zenith, solar_azimuth, name="aoi")


def _cos_aoi(
    surface_tilt: object, surface_azimuth: object, solar_zenith: object, solar_azimuth: object
) -> np.ndarray:
    tilt = np.radians(as_float_array(surface_tilt))
    saz = np.radians(as_float_array(surface_azimuth))
    zen = np.radians(as_float_array(solar_zenith))
    az = np.radians(as_float_array(solar_azimuth))
    return np.cos(zen) * np.cos(tilt) + np.sin(zen) * np.sin(tilt) * np.cos(az - saz)


def poa_isotropic(
    ghi: ArrayLike,
    dni: ArrayLike,
    dhi: ArrayLike,
    solar_zenith: ArrayLike,
    solar_azimuth: ArrayLike,
    surface_tilt: float,
    surface_azimuth: float,
    albedo: float = 0.2,
) -> ArrayLike:
    """Plane-of-array (tilted surface) irradiance, isotropic sky model, W/m2.

    ::

        G_poa = DNI * max(cos AOI, 0) + DHI * (1 + cos beta) / 2 + GHI * rho * (1 - cos beta) / 2

    The beam term is zero when the sun is below the horizon (zenith >= 90°). This is the
    Liu & Jordan isotropic-diffuse model (Duffie & Beckman, eq. 2.15.1).

    Parameters
    ----------
    ghi, dni, dhi : scalar, array or Series
        Global horizontal, direct normal and diffuse horizontal irradiance, W/m2.
    solar_zenith, solar_azimuth : scalar, array or Series
        Sun position, degrees.
    surface_tilt : float
        Collector tilt, degrees. Typical for Bucharest (44.4° N) fixed collectors: 30-45°.
    surface_azimuth : float
        Collector azimuth, degrees clockwise from north (180 = south).
    albedo : float
        Ground reflectance (default 0.2, the usual value for urban ground/grass).

    Returns
    -------
    scalar, array or Series
        Irradiance on the collector plane, W/m2 (>= 0).

    References
    ----------
    Liu, B. Y. H. & Jordan, R. C. (1963). The long-term average performance of flat-plate
    solar-energy collectors. Solar Energy 7(2), 53-74. Duffie & Beckman (2013).
    """
    g, b, d = (np.maximum(as_float_array(x), 0.0) for x in (ghi, dni, dhi))
    cos_aoi = _cos_aoi(surface_tilt, surface_azimuth, solar_zenith, solar_azimuth)
    sun_up = as_float_array(solar_zenith) < 90.0
    cos_tilt = np.cos(np.radians(surface_tilt))
    beam = np.where(sun_up, b * np.maximum(cos_aoi, 0.0), 0.0)
    poa = beam + d * (1.0 + cos_tilt) / 2.0 + g * albedo * (1.0 - cos_tilt) / 2.0
    return restore(poa, ghi, dni, dhi, solar_zenith, solar_azimuth, name="poa_wm2")


def erbs_decomposition(
    ghi: ArrayLike,
    solar_zenith: ArrayLike,
    times: object,
    min_cos_zenith: float = 0.065,
    max_zenith: float = 87.0,
) -> tuple[ArrayLike, ArrayLike]:
    """Split global horizontal irradiance into direct normal and diffuse (Erbs et al. 1982).

    Clearness index ``k_t = GHI / (G_on cos z)`` (``cos z`` bounded below by
    ``min_cos_zenith``); diffuse fraction::

        k_d = 1 - 0.09 k_t                                              k_t <= 0.22
        k_d = 0.9511 - 0.1604 k_t + 4.388 k_t^2 - 16.638 k_t^3 + 12.336 k_t^4   <= 0.80
        k_d = 0.165                                                     k_t > 0.80

    ``DHI = k_d GHI``, ``DNI = (GHI - DHI) / cos z``; for zenith > ``max_zenith`` all is
    diffuse (DNI = 0). Use it when a weather file has GHI only.

    Parameters
    ----------
    ghi : scalar, array or Series
        Global horizontal irradiance, W/m2.
    solar_zenith : scalar, array or Series
        Solar zenith angle, degrees.
    times : DatetimeIndex, Series or numeric
        Timestamps or day of year (for the extraterrestrial irradiance).
    min_cos_zenith, max_zenith : float
        Numerical guards near the horizon (as in pvlib).

    Returns
    -------
    (dni, dhi) : tuple of scalar, array or Series
        Direct normal and diffuse horizontal irradiance, W/m2.

    References
    ----------
    Erbs, D. G., Klein, S. A. & Duffie, J. A. (1982). Estimation of the diffuse radiation
    fraction for hourly, daily and monthly-average global radiation. Solar Energy 28(4),
    293-302.
    """
    g = np.maximum(as_float_array(ghi), 0.0)
    zen = as_float_array(solar_zenith)
    cos_z = np.cos(np.radians(zen))
    g_on = as_float_array(extraterrestrial_irradiance(times))
    kt = np.clip(g / (g_on * np.maximum(cos_z, min_cos_zenith)), 0.0, 1.0)
    kd = np.where(
        kt <= 0.22,
        1.0 - 0.09 * kt,
        np.where(
            kt <= 0.80,
            0.9511 - 0.1604 * kt + 4.388 * kt**2 - 16.638 * kt**3 + 12.336 * kt**4,
            0.165,
        ),
    )
    dhi = kd * g
    with np.errstate(divide="ignore", invalid="ignore"):
        dni = np.where(zen > max_zenith, 0.0, (g - dhi) / np.maximum(cos_z, min_cos_zenith))
    dhi = np.where(zen > max_zenith, g, dhi)
    return (
        restore(dni, ghi, solar_zenith, name="dni_wm2"),
        restore(dhi, ghi, solar_zenith, name="dhi_wm2"),
    )


# ---------------------------------------------------------------------------------------
# Collector
# ---------------------------------------------------------------------------------------

#: Typical large flat-plate collector coefficients (aperture area), not a specific product:
#: peak efficiency eta0 (-), heat loss coefficients a1 (W/m2K) and a2 (W/m2K2).
FLAT_PLATE_ETA0 = 0.80
FLAT_PLATE_A1 = 2.5
FLAT_PLATE_A2 = 0.01


def collector_efficiency(
    g_wm2: ArrayLike,
    t_mean_c: ArrayLike,
    t_amb_c: ArrayLike,
    eta0: float = FLAT_PLATE_ETA0,
    a1: float = FLAT_PLATE_A1,
    a2: float = FLAT_PLATE_A2,
) -> ArrayLike:
    """Solar collector efficiency, EN ISO 9806 (quasi-)steady-state efficiency curve.

    ::

        eta = eta0 - a1 (T_m - T_a) / G - a2 (T_m - T_a)^2 / G,   clipped to [0, eta0]

    and ``eta = 0`` when ``G <= 0``. The upper clip applies only to a fluid colder than the
    air (T_m < T_a), where the test curve is not valid (never the case for a field feeding a
    heating network). Incidence angle modifier and heat capacity terms of the
    full quasi-dynamic model are neglected (hourly planning resolution).

    Parameters
    ----------
    g_wm2 : scalar, array or Series
        Irradiance on the collector plane (hemispherical), W/m2.
    t_mean_c : scalar, array or Series
        Mean fluid temperature in the collector, °C (for a field feeding the network
        directly: ``(T_supply + T_return) / 2``).
    t_amb_c : scalar, array or Series
        Ambient air temperature, °C.
    eta0 : float
        Peak (zero-loss) efficiency, -. Default 0.80.
    a1 : float
        First-order heat loss coefficient, W/(m2 K). Default 2.5.
    a2 : float
        Second-order heat loss coefficient, W/(m2 K2). Default 0.01.
        The defaults are typical values for large flat-plate collectors used in solar
        district heating (order of magnitude of Solar Keymark data), not a specific product.

    Returns
    -------
    scalar, array or Series
        Efficiency (0 <= eta <= eta0), related to the area the coefficients refer to.
        Example: G = 800 W/m2, T_m - T_a = 40 K -> 0.8 - 0.125 - 0.02 = 0.655.

    References
    ----------
    EN ISO 9806:2017 Solar energy -- Solar thermal collectors -- Test methods.
    """
    g = as_float_array(g_wm2)
    dt = as_float_array(t_mean_c) - as_float_array(t_amb_c)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        eta = eta0 - (a1 * dt + a2 * dt * dt) / g  # one quotient: no inf - inf as G -> 0
    eta = np.where(g > 0.0, np.clip(eta, 0.0, eta0), 0.0)
    return restore(eta, g_wm2, t_mean_c, t_amb_c, name="collector_efficiency")


def collector_heat_output(
    area_m2: float,
    g_wm2: ArrayLike,
    t_amb_c: ArrayLike,
    t_mean_c: ArrayLike | None = None,
    eta0: float = FLAT_PLATE_ETA0,
    a1: float = FLAT_PLATE_A1,
    a2: float = FLAT_PLATE_A2,
) -> ArrayLike:
    """Heat output of a collector field, MW: ``Q = A * G * eta / 1e6``.

    Parameters
    ----------
    area_m2 : float
        Collector area, m2 (the area the coefficients refer to, usually aperture). The
        paper's rooftop programme: 200 x 80 m2 = 16,000 m2.
    g_wm2 : scalar, array or Series
        Irradiance on the collector plane, W/m2 (see :func:`poa_isotropic`).
    t_amb_c : scalar, array or Series
        Ambient (outdoor) temperature, °C.
    t_mean_c : scalar, array or Series, optional
        Mean fluid temperature, °C. Default: the network mean temperature
        ``(T_supply + T_return) / 2`` from the default regulation curves of
        :mod:`heatpath.physics.network` evaluated at ``t_amb_c`` (collectors feeding the
        network directly).
    eta0, a1, a2 : float
        Collector coefficients, see :func:`collector_efficiency`.

    Returns
    -------
    scalar, array or Series
        Heat output, MW (>= 0). Losses in piping and heat exchangers are not included.
    """
    if t_mean_c is None:
        t_amb = as_float_array(t_amb_c)
        t_mean = (
            as_float_array(supply_temperature(t_amb)) + as_float_array(return_temperature(t_amb))
        ) / 2.0
    else:
        t_mean = as_float_array(t_mean_c)
    eta = as_float_array(collector_efficiency(g_wm2, t_mean, t_amb_c, eta0, a1, a2))
    q = area_m2 * np.maximum(as_float_array(g_wm2), 0.0) * eta / 1e6
    return restore(q, g_wm2, t_amb_c, t_mean_c, name="solar_heat_mw")


def collector_peak_power_mw(
    area_m2: float, eta0: float = FLAT_PLATE_ETA0, g_wm2: float = 1000.0
) -> float:
    """Peak thermal power of a collector field, MW: ``A * eta0 * G_ref / 1e6``.

    Output at ``G_ref`` (default 1000 W/m2) with the mean fluid temperature equal to the
    ambient temperature (Solar Keymark convention). The hourly "availability" of a solar
    unit in ``heatpath.model`` (yield per MW of peak capacity) is
    ``collector_heat_output(...) / collector_peak_power_mw(...)``.
    """
    return float(area_m2 * eta0 * g_wm2 / 1e6)
