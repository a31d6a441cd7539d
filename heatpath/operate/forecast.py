"""Forecasts of the hourly data seen by the operator when a window is planned.

Three models, all built from the realised year (:class:`~heatpath.operate.data.Hourly`):

* ``perfect`` — the realised values.
* ``persistence`` — "tomorrow looks like yesterday": every hour of the window takes the value
  of the same hour of the last fully observed day, i.e. hour ``t`` of a window starting at
  ``t0`` gets the value of hour ``t - 24 d`` with ``d = floor((t - t0) / 24) + 1`` (the first
  day of the year, which has no yesterday, is taken as known). Applied to demand, network
  losses, the electricity price and the availability and COP of weather-driven units (heat
  pumps: source temperature; solar thermal: irradiance).
* ``noisy`` — realised values with seeded AR(1) errors that grow with the lead time ``h``
  (hours after the window start): ``e_0 = sigma sqrt(1 - phi^2) eps_0``,
  ``e_h = phi e_{h-1} + sigma sqrt(1 - phi^2) eps_h`` with ``eps ~ N(0, 1)``, so the error
  standard deviation is ``sigma sqrt(1 - phi^(2 (h + 1)))``: about 0.24 sigma one hour ahead,
  0.88 sigma a day ahead and sigma in the limit (``phi = 0.97``). Errors are multiplicative
  for demand + losses (``sigma = 6 %``) and the electricity price (``20 %``), additive for the
  temperature-driven quantities: heat-pump COP (``0.25``) and the availability of heat pumps
  and solar thermal (``0.08``, clipped to 0..1; solar stays 0 at night). One draw per window
  from ``numpy.random.default_rng([seed, t0])``: reproducible and independent of the order in
  which windows are solved.

Fuel and CO2 prices are treated as known (contract and allowance prices change slowly) and
the availability of other units (planned outages, operating windows) as known schedules.

:meth:`Forecaster.seasonal` gives the data of the operator's *seasonal plan* (the annual
solve that sets the target trajectory): the realised year for ``perfect``, the year seen
through day-ahead persistence (every hour shifted by 24 h) for ``persistence``, and the
realised year with the saturated AR(1) error (lead -> infinity) for ``noisy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from heatpath.operate.data import Hourly

ForecastName = Literal["perfect", "persistence", "noisy"]
FORECASTS: tuple[str, ...] = ("perfect", "persistence", "noisy")


@dataclass(frozen=True)
class NoiseModel:
    """Parameters of the ``noisy`` forecast (see module docstring).

    Attributes
    ----------
    phi : float
        Hourly AR(1) coefficient of the errors.
    demand_sigma, price_sigma : float
        Limit standard deviation of the multiplicative errors of demand (+ losses) and the
        electricity price, fraction.
    cop_sigma : float
        Limit standard deviation of the additive COP error.
    availability_sigma : float
        Limit standard deviation of the additive availability error (heat pumps, solar).
    """

    phi: float = 0.97
    demand_sigma: float = 0.06
    price_sigma: float = 0.20
    cop_sigma: float = 0.25
    availability_sigma: float = 0.08


def ar1(rng: np.random.Generator, n: int, sigma: float, phi: float,
        columns: int | None = None) -> np.ndarray:
    """AR(1) error path of ``n`` hours starting at lead 0 (std grows towards ``sigma``).

    Returns shape ``(n,)`` or ``(n, columns)``.
    """
    shape = (n,) if columns is None else (n, columns)
    eps = rng.standard_normal(shape) * sigma * np.sqrt(1.0 - phi * phi)
    out = np.empty(shape)
    prev = np.zeros(shape[1:])
    for h in range(n):
        prev = phi * prev + eps[h]
        out[h] = prev
    return out


class Forecaster:
    """Forecasts of windows of a realised year.

    Parameters
    ----------
    realised : Hourly
        The realised hourly data of the whole year.
    weather_driven : ndarray of bool
        Units whose availability and COP are forecast (heat pumps, solar thermal).
    is_solar : ndarray of bool
        Solar units (availability stays 0 where the realised value is 0).
    kind : {"perfect", "persistence", "noisy"}
    seed : int
        Seed of the ``noisy`` errors.
    noise : NoiseModel, optional
    """

    def __init__(self, realised: Hourly, weather_driven: np.ndarray, is_solar: np.ndarray,
                 kind: ForecastName = "persistence", seed: int = 0,
                 noise: NoiseModel | None = None) -> None:
        if kind not in FORECASTS:
            raise ValueError(f"unknown forecast '{kind}'; choose one of {', '.join(FORECASTS)}")
        self.realised = realised
        self.kind = kind
        self.seed = int(seed)
        self.noise = noise or NoiseModel()
        self.weather = np.asarray(weather_driven, dtype=bool)
        self.solar = np.asarray(is_solar, dtype=bool)

    # ---------------------------------------------------------------------------------
    def window(self, t0: int, length: int) -> Hourly:
        """Forecast of hours ``t0 .. t0 + length - 1`` made just before ``t0``.

        Hours past the end of the year are padding (see :meth:`Hourly.window`).
        """
        n = len(self.realised)
        real = self.realised.window(t0, length)
        if self.kind == "perfect":
            return real
        n_real = min(length, n - t0)
        if self.kind == "persistence":
            h = np.arange(n_real)
            src = t0 + h - 24 * (h // 24 + 1)
            src = np.where(src < 0, (t0 + h) % 24, src)
            return self._substitute(real, self.realised.take(src), n_real)
        rng = np.random.default_rng([self.seed, t0])
        return self._noisy(real, n_real, rng, lead_start=True)

    def seasonal(self) -> Hourly:
        """Data of the seasonal plan for the whole year (see module docstring)."""
        n = len(self.realised)
        real = self.realised.copy()
        if self.kind == "perfect":
            return real
        if self.kind == "persistence":
            src = np.arange(n) - 24
            src = np.where(src < 0, np.arange(n) % 24, src)
            return self._substitute(real, self.realised.take(src), n)
        rng = np.random.default_rng([self.seed, 2**31 - 1])
        return self._noisy(real, n, rng, lead_start=False)

    # ---------------------------------------------------------------------------------
    def _substitute(self, real: Hourly, fc: Hourly, n_real: int) -> Hourly:
        """``real`` with the forecast quantities of the first ``n_real`` hours from ``fc``."""
        out = real.copy()
        w = self.weather
        out.demand[:n_real] = fc.demand[:n_real]
        out.losses[:n_real] = fc.losses[:n_real]
        out.el_price[:n_real] = fc.el_price[:n_real]
        out.availability[:n_real, w] = fc.availability[:n_real][:, w]
        out.cop[:n_real, w] = fc.cop[:n_real][:, w]
        return out

    def _noisy(self, real: Hourly, n_real: int, rng: np.random.Generator,
               lead_start: bool) -> Hourly:
        nm = self.noise
        out = real.copy()
        k = int(self.weather.sum())
        if lead_start:
            e_d = ar1(rng, n_real, nm.demand_sigma, nm.phi)
            e_p = ar1(rng, n_real, nm.price_sigma, nm.phi)
            e_c = ar1(rng, n_real, nm.cop_sigma, nm.phi, k)
            e_a = ar1(rng, n_real, nm.availability_sigma, nm.phi, k)
        else:  # stationary errors: the lead is "a season ahead"
            def stat(sigma: float, cols: int | None = None) -> np.ndarray:
                e = ar1(rng, n_real + 500, sigma, nm.phi, cols)
                return e[500:]
            e_d, e_p = stat(nm.demand_sigma), stat(nm.price_sigma)
            e_c, e_a = stat(nm.cop_sigma, k), stat(nm.availability_sigma, k)
        sl = slice(0, n_real)
        out.demand[sl] *= np.maximum(1.0 + e_d, 0.0)
        out.losses[sl] *= np.maximum(1.0 + e_d, 0.0)
        out.el_price[sl] *= 1.0 + e_p
        if k:
            w = self.weather
            cop = out.cop[sl][:, w] + e_c
            out.cop[sl, w] = np.where(self.solar[w], 1.0, np.maximum(cop, 1.0))
            av = np.clip(out.availability[sl][:, w] + e_a, 0.0, 1.0)
            night = (real.availability[sl][:, w] <= 0.0) & self.solar[w]
            out.availability[sl, w] = np.where(night, 0.0, av)
        return out
