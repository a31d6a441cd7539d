"""Discounted-cash-flow primitives: NPV, IRR, payback, annuities, Fisher relation.

Conventions used throughout :mod:`heatpath.economics`
-----------------------------------------------------
* ``cashflows[0]`` is year 0 (the investment year) and is **not** discounted;
  ``cashflows[t]`` is discounted by ``(1 + rate) ** t``. This is the same convention as
  :func:`numpy_financial.npv` and as the paper's Eq. for NPV, where ``-CAPEX`` sits at
  ``y = 0`` and the differential cash flows ``dCF_y`` at ``y = 1..N``.
* Rates are fractions per year (``0.10`` = 10 %/yr), never percentages.
* Money is in EUR of a single price basis (constant prices of a base year, or nominal).

Every function raises :class:`ValueError` with an explicit message for a rate
``<= -1``, an empty cash-flow sequence or non-finite values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq

__all__ = [
    "annuity_payment",
    "crf",
    "discounted_payback",
    "fisher_nominal_rate",
    "fisher_real_rate",
    "irr",
    "npv",
    "simple_payback",
    "wacc",
]

ArrayLike = Iterable[float] | npt.NDArray[np.floating]


def _check_rate(rate: float, name: str = "rate") -> float:
    try:
        value = float(rate)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number (fraction per year), got {rate!r}") from exc
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {rate!r}")
    if value <= -1.0:
        raise ValueError(
            f"{name} must be > -1 (a fraction per year, e.g. 0.10 for 10 %), got {rate!r}"
        )
    return value


def _check_flows(cashflows: ArrayLike, name: str = "cashflows") -> npt.NDArray[np.float64]:
    if not hasattr(cashflows, "__len__"):
        cashflows = list(cashflows)
    try:
        flows = np.asarray(cashflows, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a sequence of numbers (EUR per year)") from exc
    if flows.ndim != 1:
        raise ValueError(
            f"{name} must be one-dimensional (one value per year), got shape {flows.shape}"
        )
    if flows.size == 0:
        raise ValueError(f"{name} is empty: at least the year-0 cash flow is required")
    if not np.all(np.isfinite(flows)):
        bad = [i for i, v in enumerate(flows) if not math.isfinite(v)]
        raise ValueError(f"{name} contains non-finite values (NaN/inf) at positions {bad[:10]}")
    return flows


def npv(rate: float, cashflows: ArrayLike) -> float:
    """Net present value of a cash-flow series (paper's NPV equation).

    ``NPV = sum_t CF_t / (1 + rate) ** t`` with ``CF_0`` undiscounted. With
    ``CF_0 = -CAPEX`` and ``CF_y = dCF_y`` this is the paper's
    ``NPV = -CAPEX + sum_{y=1..N} dCF_y / (1 + r) ** y``.

    Parameters
    ----------
    rate : float
        Discount rate, fraction per year (``0.10`` = 10 %/yr); must be > -1.
    cashflows : sequence of float
        Cash flows in EUR, ``cashflows[0]`` in year 0.

    Returns
    -------
    float
        NPV in EUR at year 0.
    """
    r = _check_rate(rate)
    flows = _check_flows(cashflows)
    t = np.arange(flows.size, dtype=float)
    return float(np.sum(flows / (1.0 + r) ** t))


def _npv_curve(flows: npt.NDArray[np.float64], rates: npt.NDArray[np.float64]) -> npt.NDArray:
    t = np.arange(flows.size, dtype=float)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return (flows[None, :] / (1.0 + rates[:, None]) ** t[None, :]).sum(axis=1)


def _refine(flows: npt.NDArray[np.float64], lo: float, hi: float) -> float:
    """Brent's method on a bracketed NPV root, to machine precision in rate."""
    t = np.arange(flows.size, dtype=float)

    def f(rate: float) -> float:
        return float(np.dot(flows, (1.0 + rate) ** -t))

    return float(brentq(f, lo, hi, xtol=4.0 * np.finfo(float).eps, rtol=4.0 * np.finfo(float).eps))


def irr(cashflows: ArrayLike) -> float | None:
    """Internal rate of return: the rate at which :func:`npv` is zero (paper's IRR equation).

    The root is found by scanning NPV on a dense grid of rates in ``[-1 + 1e-12, 1e6]``
    (finer near 0; the lower end is raised for long series to avoid overflow) for sign
    changes and refining each bracket with Brent's method, so it never diverges as Newton
    iterations can. Roots outside the grid (IRR below about -99.9999999999 % or above
    1e8 %) are not reported.

    Parameters
    ----------
    cashflows : sequence of float
        Cash flows in EUR, ``cashflows[0]`` in year 0.

    Returns
    -------
    float or None
        IRR as a fraction per year. ``None`` if the cash flows never change sign (no IRR
        exists) or if NPV has no real root > -1 (possible with several sign changes).
        With several sign changes NPV can have several roots; the root **closest to 0**
        (smallest absolute value) is returned, the same choice as
        :func:`numpy_financial.irr`. Inspect :func:`npv` directly for such projects.
    """
    flows = _check_flows(cashflows)
    nz = flows[flows != 0.0]
    if nz.size == 0 or np.all(nz > 0) or np.all(nz < 0):
        return None
    n = flows.size - 1
    # Keep (1 + r) ** -n below ~1e250 to avoid overflow near r = -1.
    lower = -1.0 + max(10.0 ** (-250.0 / max(n, 1)), 1e-12)
    grid = np.unique(
        np.concatenate(
            [
                -1.0 + np.geomspace(1.0 + lower, 0.5, 400),  # (-1, -0.5]
                np.linspace(-0.5, 1.0, 3001),  # 0.0005 steps around the usual range
                np.geomspace(1.0, 1e6, 600),
            ]
        )
    )
    values = _npv_curve(flows, grid)
    finite = np.isfinite(values)
    roots = [float(r) for r in grid[finite & (values == 0.0)]]
    a, b = values[:-1], values[1:]
    bracket = finite[:-1] & finite[1:] & (a != 0.0) & (b != 0.0) & ((a < 0.0) != (b < 0.0))
    roots += [_refine(flows, float(grid[k]), float(grid[k + 1])) for k in np.flatnonzero(bracket)]
    if not roots:
        return None
    return min(roots, key=abs)


def _payback(flows: npt.NDArray[np.float64]) -> float | None:
    cumulative = np.cumsum(flows)
    if cumulative[0] >= 0.0:
        return 0.0
    for t in range(1, flows.size):
        if cumulative[t] >= 0.0:
            # cumulative[t - 1] < 0 <= cumulative[t], hence flows[t] > 0.
            return (t - 1) + float(-cumulative[t - 1] / flows[t])
    return None


def simple_payback(cashflows: ArrayLike) -> float | None:
    """Simple payback period SPB (paper's SPB equation), in years.

    The smallest ``n`` with ``sum_{t=0..n} CF_t >= 0``, linearly interpolated inside the
    year in which the cumulative sum turns non-negative:
    ``SPB = (n - 1) + (-cum_{n-1}) / CF_n``. The first crossing is returned even if the
    cumulative sum later turns negative again (e.g. a replacement investment).

    Parameters
    ----------
    cashflows : sequence of float
        Undiscounted cash flows in EUR, ``cashflows[0]`` in year 0.

    Returns
    -------
    float or None
        Years after year 0; ``0.0`` if ``cashflows[0] >= 0``; ``None`` if the cumulative
        sum never becomes non-negative within the horizon.
    """
    return _payback(_check_flows(cashflows))


def discounted_payback(rate: float, cashflows: ArrayLike) -> float | None:
    """Discounted payback period DPB (paper's DPB equation), in years.

    As :func:`simple_payback` applied to ``CF_t / (1 + rate) ** t``.

    Parameters
    ----------
    rate : float
        Discount rate, fraction per year; must be > -1.
    cashflows : sequence of float
        Cash flows in EUR, ``cashflows[0]`` in year 0.

    Returns
    -------
    float or None
        Years after year 0, or ``None`` if the discounted cumulative sum never becomes
        non-negative.
    """
    r = _check_rate(rate)
    flows = _check_flows(cashflows)
    t = np.arange(flows.size, dtype=float)
    return _payback(flows / (1.0 + r) ** t)


def _check_years(years: int) -> int:
    if isinstance(years, bool) or not float(years).is_integer() or years < 1:
        raise ValueError(f"years must be a positive whole number of years, got {years!r}")
    return int(years)


def crf(rate: float, years: int) -> float:
    """Capital recovery factor ``CRF = r (1 + r)^n / ((1 + r)^n - 1)``; ``1/n`` at ``r = 0``.

    Parameters
    ----------
    rate : float
        Interest/discount rate, fraction per year; must be > -1.
    years : int
        Number of annual payments (>= 1).

    Returns
    -------
    float
        Annual payment per EUR of present value (1/yr).
    """
    r = _check_rate(rate)
    n = _check_years(years)
    if r == 0.0:
        return 1.0 / n
    growth = (1.0 + r) ** n
    if growth == 1.0:  # |r| below float resolution of (1+r)^n
        return 1.0 / n
    return r * growth / (growth - 1.0)


def annuity_payment(principal: float, rate: float, years: int) -> float:
    """Constant annual payment that repays ``principal`` with interest in ``years`` years.

    ``A = principal * CRF(rate, years)``, first payment one year after drawdown.

    Parameters
    ----------
    principal : float
        Amount borrowed / present value, EUR.
    rate : float
        Interest rate, fraction per year; must be > -1.
    years : int
        Number of annual payments (>= 1).

    Returns
    -------
    float
        Annual payment, EUR/yr.
    """
    p = float(principal)
    if not math.isfinite(p):
        raise ValueError(f"principal must be finite, got {principal!r}")
    return p * crf(rate, years)


def fisher_real_rate(nominal: float, inflation: float) -> float:
    """Real rate from a nominal rate and inflation (exact Fisher relation).

    ``1 + r_real = (1 + r_nominal) / (1 + i)``. Example with the paper's values:
    cost of equity 11.24 % and inflation 8.6 % give ``1.1124 / 1.086 - 1 = 2.431 %``.

    Parameters
    ----------
    nominal : float
        Nominal rate, fraction per year (> -1).
    inflation : float
        Inflation rate, fraction per year (> -1).

    Returns
    -------
    float
        Real rate, fraction per year.
    """
    n = _check_rate(nominal, "nominal")
    i = _check_rate(inflation, "inflation")
    return (1.0 + n) / (1.0 + i) - 1.0


def fisher_nominal_rate(real: float, inflation: float) -> float:
    """Nominal rate from a real rate and inflation: ``1 + r_nom = (1 + r_real)(1 + i)``.

    Example: the paper's real 10 % with 8.6 % inflation is ``1.10 * 1.086 - 1 = 19.46 %``
    nominal.

    Parameters
    ----------
    real : float
        Real rate, fraction per year (> -1).
    inflation : float
        Inflation rate, fraction per year (> -1).

    Returns
    -------
    float
        Nominal rate, fraction per year.
    """
    r = _check_rate(real, "real")
    i = _check_rate(inflation, "inflation")
    return (1.0 + r) * (1.0 + i) - 1.0


def wacc(
    equity_share: float, cost_of_equity: float, cost_of_debt: float, tax_rate: float = 0.0
) -> float:
    """Weighted average cost of capital ``u_e r_e + (1 - u_e) r_k (1 - CIT)``.

    Provided for transparency: with the paper's inputs (25 % equity at 11.24 %, 75 % debt
    at 9 %, CIT 16 %) the after-tax nominal WACC is ``0.25*0.1124 + 0.75*0.09*0.84 =
    8.48 %``. The paper's real discount rate of 10 % is taken as given (its derivation
    equation is not reproduced in the reference text), see ``docs/economics.md``.

    Parameters
    ----------
    equity_share : float
        Equity share of financing ``u_e``, in [0, 1].
    cost_of_equity, cost_of_debt : float
        Rates, fraction per year (> -1).
    tax_rate : float, default 0
        Corporate income tax rate in [0, 1) (interest tax shield).

    Returns
    -------
    float
        WACC, fraction per year (same price basis as the inputs).
    """
    ue = float(equity_share)
    if not 0.0 <= ue <= 1.0:
        raise ValueError(f"equity_share must be in [0, 1], got {equity_share!r}")
    t = float(tax_rate)
    if not 0.0 <= t < 1.0:
        raise ValueError(f"tax_rate must be in [0, 1), got {tax_rate!r}")
    re = _check_rate(cost_of_equity, "cost_of_equity")
    rk = _check_rate(cost_of_debt, "cost_of_debt")
    return ue * re + (1.0 - ue) * rk * (1.0 - t)
