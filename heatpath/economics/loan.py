"""Bank-loan repayment schedules (annuity or linear), as used in the paper's financing case.

The paper finances 75 % of CAPEX with a bank loan at 9 %/yr nominal repaid over 10 years.
Interest is paid on the opening balance of each year; the first instalment falls one year
after drawdown.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from heatpath.economics.finance import annuity_payment, crf

__all__ = ["SCHEDULE_COLUMNS", "loan_schedule"]

SCHEDULE_COLUMNS = [
    "year",
    "opening_balance",
    "interest",
    "principal_repayment",
    "payment",
    "closing_balance",
]

#: Repayments are rounded to multiples of 2**-7 EUR (< 1 cent) so they are exactly
#: representable and their floating-point sum equals the principal bit for bit.
_GRID = 2.0**-7


def _quantise(amount: float, grid: float) -> float:
    return math.floor(amount / grid + 0.5) * grid


def loan_schedule(
    principal: float,
    rate: float,
    tenor_years: int,
    method: Literal["annuity", "linear"] = "annuity",
    start_year: int = 1,
) -> pd.DataFrame:
    """Year-by-year repayment schedule of a loan.

    Parameters
    ----------
    principal : float
        Amount drawn at the start (year ``start_year - 1``), EUR, >= 0.
    rate : float
        Interest rate, fraction per year (> -1), applied to the opening balance.
    tenor_years : int
        Number of annual instalments (>= 1).
    method : {"annuity", "linear"}, default "annuity"
        ``"annuity"``: constant payment ``principal * CRF(rate, tenor)``;
        ``"linear"``: constant principal repayment ``principal / tenor`` with declining
        interest.
    start_year : int, default 1
        Label of the first repayment year (e.g. 2028 for a loan drawn in 2027).

    Returns
    -------
    pandas.DataFrame
        One row per repayment year with columns ``year``, ``opening_balance``,
        ``interest``, ``principal_repayment``, ``payment`` (= interest + principal
        repayment) and ``closing_balance``, all in EUR.

    Notes
    -----
    Principal repayments are rounded to multiples of 2**-7 EUR (below one cent) and the
    last instalment repays the exact remaining balance, so ``principal_repayment`` sums
    *exactly* (in binary floating point) to ``principal`` and the final closing balance is
    exactly 0. Interest is not rounded.
    """
    p = float(principal)
    if not math.isfinite(p) or p < 0.0:
        raise ValueError(f"principal must be a finite amount >= 0 EUR, got {principal!r}")
    if isinstance(tenor_years, bool) or not float(tenor_years).is_integer() or tenor_years < 1:
        raise ValueError(f"tenor_years must be a whole number >= 1, got {tenor_years!r}")
    n = int(tenor_years)
    if method not in ("annuity", "linear"):
        raise ValueError(f"method must be 'annuity' or 'linear', got {method!r}")
    r = float(rate)
    crf(r, n)  # validates the rate (> -1, finite)

    grid = max(_GRID, math.ulp(p)) if p > 0.0 else _GRID
    payment_target = annuity_payment(p, r, n)
    rows = []
    balance = p
    for k in range(n):
        interest = balance * r
        if k == n - 1:
            repay = balance
        elif method == "annuity":
            repay = _quantise(payment_target - interest, grid)
        else:
            repay = _quantise(p / n, grid)
        repay = min(max(repay, 0.0), balance)
        closing = balance - repay
        rows.append((start_year + k, balance, interest, repay, interest + repay, closing))
        balance = closing
    return pd.DataFrame(rows, columns=SCHEDULE_COLUMNS)
