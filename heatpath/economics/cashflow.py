"""Differential cash flow of a scenario against the "no action" reference, and appraisal.

Implements the paper's financial analysis (Sect. 2): the differential annual cash flow

    dCF_y = CF'_y - CF_y = dC_q,var,y - dTx_y + dL_y

(variable-cost saving, minus the change in tax, plus residual value of assets at the
end of the horizon) recoups the CAPEX; NPV, IRR, simple and discounted payback are then
computed from the yearly series. heatpath extends this with fixed O&M, replacements,
debt financing (equity + loan), an equity perspective, LCOH and the funding gap.

Sign convention of the output
-----------------------------
Cash-flow columns are signed: inflows > 0, outflows < 0 (``investment``, ``fixed_om``,
``tax``, ``interest``, ``principal`` are <= 0). Accounting columns (``depreciation``,
``ebitda``, ``taxable_income*``, ``loss_*``) are not cash and keep their natural sign.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from heatpath.economics.capex import capex as catalogue_capex
from heatpath.economics.capex import load_catalogue
from heatpath.economics.finance import (
    discounted_payback,
    fisher_nominal_rate,
    fisher_real_rate,
    irr,
    npv,
    simple_payback,
)
from heatpath.economics.loan import loan_schedule

__all__ = [
    "FinanceAssumptions",
    "Investment",
    "appraise",
    "differential_cashflow",
    "investment_from_catalogue",
]

YearValue = float | Mapping[int, float]


@dataclass(frozen=True)
class FinanceAssumptions:
    """Financial assumptions; defaults are the paper's base case (Sect. 2, key assumptions).

    Paper values: horizon 2027-2050 (investment in 2027, 23 operating years), constant
    prices of 2024, financing 25 % equity / 75 % bank loan at 9.0 %/yr nominal repaid in
    10 years, CIT 16 % (Romania), inflation 8.6 %/yr, nominal cost of equity 11.24 %,
    real financial discount rate 10.0 %, straight-line depreciation, no grant, no VAT.

    Attributes
    ----------
    start_year : int
        Year 0 of the analysis (investment year), default 2027.
    end_year : int
        Last year of the horizon (inclusive), default 2050.
    price_base_year : int
        Year whose prices all inputs are expressed in, default 2024.
    equity_share : float
        Share of initial investments financed with equity ``u_e``, default 0.25; the rest
        ``u_k = 1 - u_e`` is a bank loan.
    loan_rate : float
        Nominal loan interest rate ``r_k``, default 0.09 /yr.
    loan_tenor_years : int
        Loan repayment period, default 10 years (first instalment the year after
        drawdown).
    repayment : {"annuity", "linear"}
        Loan repayment profile, default "annuity" (the paper does not state it).
    cit_rate : float
        Corporate income tax rate, default 0.16.
    inflation : float
        Average annual inflation ``i``, default 0.086 (EU harmonised value, Oct 2025).
    cost_of_equity : float
        Nominal cost of equity ``r_e``, default 0.1124 (incl. a risk premium).
    discount_rate : float
        Real financial discount rate ``r`` for the project perspective, default 0.10.
    price_basis : {"real", "nominal"}
        "real" (paper): constant base-year prices, no escalation, discounting at the real
        rate. "nominal": base-year prices escalated by ``(1 + i) ** (year -
        price_base_year)`` and discounting at Fisher-nominal rates.
    equity_discount_rate : float or None
        Rate for the equity perspective. ``None`` (default) uses ``cost_of_equity`` as
        stated in both price bases, consistent with applying the contractual loan rate in
        the constant-price ("real") analysis. Its Fisher-real equivalent with the paper's
        inflation, ``1.1124 / 1.086 - 1 = 2.43 %`` (:attr:`real_cost_of_equity`), is
        below the paper's real project rate of 10 %: the paper's inputs are not
        Fisher-consistent, so heatpath does not deflate them silently; pass
        ``equity_discount_rate=fa.real_cost_of_equity`` for a strictly real analysis.
    loss_carry_forward_years : int or None
        Tax losses can be offset against profits of the following N years (FIFO, the
        oldest loss first); ``None`` (default) = carried forward indefinitely. Losses are
        never carried back and never create negative tax. Check the current national rule
        (Romania shortened its carry-forward period and capped the offset in 2024).
    loss_offset_cap : float
        Maximum share of a year's taxable profit that carried-forward losses may offset,
        default 1.0 (no cap).
    default_lifetime_years : int
        Lifetime for investments given as ``{year: EUR}`` (depreciation, replacement,
        residual value), default 25 (heatpath default, not from the paper).
    """

    start_year: int = 2027
    end_year: int = 2050
    price_base_year: int = 2024
    equity_share: float = 0.25
    loan_rate: float = 0.09
    loan_tenor_years: int = 10
    repayment: Literal["annuity", "linear"] = "annuity"
    cit_rate: float = 0.16
    inflation: float = 0.086
    cost_of_equity: float = 0.1124
    discount_rate: float = 0.10
    price_basis: Literal["real", "nominal"] = "real"
    equity_discount_rate: float | None = None
    loss_carry_forward_years: int | None = None
    loss_offset_cap: float = 1.0
    default_lifetime_years: int = 25

    def __post_init__(self) -> None:
        for name in ("loan_rate", "inflation", "cost_of_equity", "discount_rate"):
            _rate(getattr(self, name), name)
        if self.equity_discount_rate is not None:
            _rate(self.equity_discount_rate, "equity_discount_rate")
        if self.end_year <= self.start_year:
            raise ValueError(
                f"end_year ({self.end_year}) must be after start_year ({self.start_year})"
            )
        if not 0.0 <= self.equity_share <= 1.0:
            raise ValueError(f"equity_share must be in [0, 1], got {self.equity_share!r}")
        if not 0.0 <= self.cit_rate < 1.0:
            raise ValueError(f"cit_rate must be in [0, 1), got {self.cit_rate!r}")
        if not 0.0 <= self.loss_offset_cap <= 1.0:
            raise ValueError(f"loss_offset_cap must be in [0, 1], got {self.loss_offset_cap!r}")
        if self.loan_tenor_years < 1:
            raise ValueError(f"loan_tenor_years must be >= 1, got {self.loan_tenor_years!r}")
        if self.repayment not in ("annuity", "linear"):
            raise ValueError(f"repayment must be 'annuity' or 'linear', got {self.repayment!r}")
        if self.price_basis not in ("real", "nominal"):
            raise ValueError(f"price_basis must be 'real' or 'nominal', got {self.price_basis!r}")
        if self.loss_carry_forward_years is not None and self.loss_carry_forward_years < 0:
            raise ValueError("loss_carry_forward_years must be >= 0 or None (indefinite)")
        if self.default_lifetime_years < 1:
            raise ValueError("default_lifetime_years must be >= 1")
        horizon = self.end_year - self.start_year
        if self.equity_share < 1.0 and horizon < self.loan_tenor_years:
            raise ValueError(
                f"horizon {self.start_year}-{self.end_year} ({horizon} years after the "
                f"investment year) is shorter than the {self.loan_tenor_years}-year loan "
                f"tenor; extend end_year, shorten loan_tenor_years or set equity_share=1"
            )

    @property
    def loan_share(self) -> float:
        """Debt share ``u_k = 1 - u_e`` of initial investments."""
        return 1.0 - self.equity_share

    @property
    def project_rate(self) -> float:
        """Discount rate of the project (unlevered) cash flow in the chosen price basis."""
        if self.price_basis == "real":
            return self.discount_rate
        return fisher_nominal_rate(self.discount_rate, self.inflation)

    @property
    def equity_rate(self) -> float:
        """Discount rate of the equity cash flow: ``equity_discount_rate`` or ``cost_of_equity``.

        The cost of equity is applied as stated in both price bases, like the loan rate
        (see the class docstring for why it is not Fisher-deflated in the real basis).
        """
        if self.equity_discount_rate is not None:
            return self.equity_discount_rate
        return self.cost_of_equity

    @property
    def real_cost_of_equity(self) -> float:
        """Fisher-real cost of equity ``(1 + r_e) / (1 + i) - 1`` (2.43 % with paper values)."""
        return fisher_real_rate(self.cost_of_equity, self.inflation)

    @property
    def years(self) -> list[int]:
        """All years of the horizon, ``start_year..end_year`` inclusive."""
        return list(range(self.start_year, self.end_year + 1))


@dataclass(frozen=True)
class Investment:
    """One investment item.

    Attributes
    ----------
    year : int
        Year the CAPEX is spent; operation (savings, fixed O&M, depreciation) starts the
        following year.
    capex : float
        Investment cost, EUR in ``price_base_year`` prices (>= 0).
    lifetime_years : int or None
        Technical/depreciation lifetime; ``None`` uses
        ``FinanceAssumptions.default_lifetime_years``.
    fixed_om : float
        Fixed O&M of the new asset, EUR/yr in base-year prices (charged from ``year + 1``).
    name : str
        Label (e.g. technology key).
    """

    year: int
    capex: float
    lifetime_years: int | None = None
    fixed_om: float = 0.0
    name: str = ""


def investment_from_catalogue(
    technology: str,
    size: float,
    year: int,
    *,
    catalogue: pd.DataFrame | None = None,
    price_year: int | None = None,
    extrapolate: bool = False,
) -> Investment:
    """Build an :class:`Investment` from the CAPEX catalogue.

    Parameters
    ----------
    technology : str
        Catalogue key (see :func:`heatpath.economics.load_catalogue`).
    size : float
        Size in the catalogue unit (MW, m2, m3).
    year : int
        Investment year.
    catalogue : pandas.DataFrame, optional
        Possibly overridden catalogue.
    price_year : int, optional
        CEPCI-index CAPEX and fixed O&M to this price year (should equal
        ``FinanceAssumptions.price_base_year``); ``None`` keeps the catalogue year.
    extrapolate : bool, default False
        Hold CEPCI flat beyond its table (needed for price years after the last entry).

    Returns
    -------
    Investment
    """
    table = load_catalogue() if catalogue is None else catalogue
    cost = catalogue_capex(technology, size, price_year, catalogue=table, extrapolate=extrapolate)
    row = table.loc[technology]
    base = float(row["specific_capex"]) * float(size)
    factor = cost / base if base else 1.0
    return Investment(
        year=int(year),
        capex=cost,
        lifetime_years=int(row["lifetime_years"]),
        fixed_om=float(row["fixed_om"]) * float(size) * factor,
        name=technology,
    )


# --------------------------------------------------------------------------- helpers


def _rate(value: Any, name: str) -> float:
    v = float(value)
    if not math.isfinite(v) or v <= -1.0:
        raise ValueError(f"{name} must be a finite fraction per year > -1, got {value!r}")
    return v


def _finite(value: Any, name: str) -> float:
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


def _normalise_investments(
    investments: Mapping[int, float] | Sequence[Investment], fa: FinanceAssumptions
) -> list[Investment]:
    if isinstance(investments, Mapping):
        items = [Investment(year=int(y), capex=float(c)) for y, c in investments.items()]
    else:
        items = list(investments)
    if not items:
        raise ValueError("investments is empty: give {year: EUR} or a list of Investment")
    out = []
    for item in items:
        if not isinstance(item, Investment):
            raise ValueError(f"investments must be Investment items, got {item!r}")
        capex = _finite(item.capex, f"capex of {item.name or item.year}")
        if capex < 0.0:
            raise ValueError(f"capex must be >= 0 EUR, got {capex} for {item.name or item.year}")
        if not fa.start_year <= item.year < fa.end_year:
            raise ValueError(
                f"investment year {item.year} outside the horizon "
                f"[{fa.start_year}, {fa.end_year - 1}]"
            )
        life = item.lifetime_years or fa.default_lifetime_years
        if life < 1:
            raise ValueError(f"lifetime_years must be >= 1, got {life}")
        out.append(
            Investment(item.year, capex, int(life), _finite(item.fixed_om, "fixed_om"), item.name)
        )
    return out


def _series(value: YearValue, years: list[int], name: str, first: int) -> np.ndarray:
    """Per-year values: a scalar applies to every year >= ``first``; a mapping is explicit."""
    out = np.zeros(len(years))
    if isinstance(value, Mapping):
        for y, v in value.items():
            if int(y) not in years:
                raise ValueError(f"{name}: year {y} outside the horizon {years[0]}-{years[-1]}")
            out[years.index(int(y))] = _finite(v, f"{name}[{y}]")
        return out
    v = _finite(value, name)
    for k, y in enumerate(years):
        if y >= first:
            out[k] = v
    return out


def _tax(
    taxable: np.ndarray, cit: float, carry_years: int | None, cap: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tax with loss carry-forward. Returns (tax >= 0, loss used, loss pool at year end)."""
    pool: list[list[float]] = []  # [year_index, remaining loss], oldest first
    tax = np.zeros_like(taxable)
    used = np.zeros_like(taxable)
    balance = np.zeros_like(taxable)
    for k, income in enumerate(taxable):
        if carry_years is not None:
            pool = [p for p in pool if k - p[0] <= carry_years]
        if income < 0.0:
            pool.append([k, -income])
        elif income > 0.0:
            room = income * cap
            for p in pool:
                take = min(p[1], room)
                p[1] -= take
                room -= take
                used[k] += take
                if room <= 0.0:
                    break
            pool = [p for p in pool if p[1] > 0.0]
            tax[k] = cit * max(income - used[k], 0.0)
        balance[k] = sum(p[1] for p in pool)
    return tax, used, balance


# --------------------------------------------------------------------------- main model


def differential_cashflow(
    investments: Mapping[int, float] | Sequence[Investment],
    opex_saving: YearValue,
    fixed_om_change: YearValue = 0.0,
    assumptions: FinanceAssumptions | None = None,
    *,
    grant: float = 0.0,
    replacements: bool = True,
    residual_value: bool = True,
) -> pd.DataFrame:
    """Year-by-year differential cash flow of a scenario vs the "no action" reference.

    Parameters
    ----------
    investments : mapping {year: EUR} or sequence of Investment
        Initial investments in base-year prices. Each is financed ``equity_share`` by
        equity and the rest by a loan drawn in its year.
    opex_saving : float or mapping {year: EUR}
        Variable operating-cost saving ``dC_q,var`` = reference variable cost - scenario
        variable cost (incl. CHP electricity revenue), EUR/yr in base-year prices; > 0 is
        a saving. A scalar applies to every year after the first investment year.
    fixed_om_change : float or mapping {year: EUR}, default 0
        Additional fixed O&M (scenario - reference), EUR/yr, > 0 is a cost. Added to the
        fixed O&M carried by the Investment items. A scalar applies from the year after
        the first investment.
    assumptions : FinanceAssumptions, optional
        Defaults to the paper's base case.
    grant : float, default 0
        Non-taxable capital grant received in ``start_year`` in the analysis price basis;
        it does not reduce the depreciation base or the loan.
    replacements : bool, default True
        Reinvest the same (escalated) CAPEX at the end of each lifetime that ends before
        ``end_year``; replacements are paid from cash flow (not loan-financed).
    residual_value : bool, default True
        Add the straight-line remaining book value of all assets in ``end_year``
        (the paper's ``dL``); it is untaxed as it equals book value.

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``t`` (years since ``start_year``), ``escalation``,
        ``investment``, ``replacement``, ``opex_saving``, ``fixed_om``,
        ``residual_value``, ``grant``, ``depreciation``, ``ebitda``,
        ``taxable_income_unlevered``, ``tax_unlevered``, ``loan_drawdown``, ``interest``,
        ``principal``, ``loan_balance``, ``taxable_income``, ``loss_used``,
        ``loss_carried_forward``, ``tax``, ``cf_project``, ``cf_equity``,
        ``discount_factor``, ``discounted``, ``cumulative``, ``cumulative_discounted``,
        ``discount_factor_equity``, ``discounted_equity``, ``cumulative_equity``.

    Notes
    -----
    * Project perspective (unlevered): ``cf_project = investment + replacement +
      opex_saving + fixed_om + residual_value + grant + tax_unlevered`` where the tax is
      computed without interest deduction.
    * Equity perspective: ``cf_equity = equity part of investment + replacement +
      opex_saving + fixed_om + residual_value + grant + interest + principal + tax``
      with interest tax-deductible.
    * Taxable income = EBITDA - depreciation (- interest); losses are carried forward
      per ``loss_carry_forward_years``/``loss_offset_cap``; tax is never negative and the
      project is taxed stand-alone (no group relief).
    * Depreciation is straight-line over the lifetime from the year after the investment
      and is based on the cost in the chosen price basis.
    * In the "real" basis the loan runs at its contractual (nominal) rate on constant-price
      amounts, as in a constant-price spreadsheet; the "nominal" basis is the consistent
      alternative.
    """
    fa = FinanceAssumptions() if assumptions is None else assumptions
    items = _normalise_investments(investments, fa)
    grant = _finite(grant, "grant")
    years = fa.years
    n = len(years)
    t = np.arange(n, dtype=float)
    yr = np.array(years)
    if fa.price_basis == "nominal":
        escalation = (1.0 + fa.inflation) ** (yr - fa.price_base_year)
    else:
        escalation = np.ones(n)

    first_op = min(i.year for i in items) + 1
    opex = _series(opex_saving, years, "opex_saving", first_op) * escalation
    fixed_extra = _series(fixed_om_change, years, "fixed_om_change", first_op)

    investment = np.zeros(n)
    replacement = np.zeros(n)
    depreciation = np.zeros(n)
    residual = np.zeros(n)
    fixed = fixed_extra.copy()
    drawdown = np.zeros(n)
    interest = np.zeros(n)
    principal = np.zeros(n)
    loan_balance = np.zeros(n)

    for item in items:
        life = int(item.lifetime_years or fa.default_lifetime_years)
        k0 = item.year - fa.start_year
        fixed[k0 + 1 :] += item.fixed_om
        vintages = [item.year]
        if replacements:
            while vintages[-1] + life < fa.end_year:
                vintages.append(vintages[-1] + life)
        for v_year in vintages:
            kv = v_year - fa.start_year
            cost = item.capex * escalation[kv]
            if v_year == item.year:
                investment[kv] -= cost
            else:
                replacement[kv] -= cost
            last = min(kv + life, n - 1)
            depreciation[kv + 1 : last + 1] += cost / life
            if residual_value:
                used_years = min(life, fa.end_year - v_year)
                residual[n - 1] += cost * (1.0 - used_years / life)
        # financing of the initial investment
        loan = fa.loan_share * item.capex * escalation[k0]
        if loan > 0.0:
            if item.year + fa.loan_tenor_years > fa.end_year:
                raise ValueError(
                    f"horizon ends in {fa.end_year} but the {fa.loan_tenor_years}-year loan "
                    f"for the {item.year} investment runs to {item.year + fa.loan_tenor_years};"
                    f" extend end_year or shorten loan_tenor_years"
                )
            sched = loan_schedule(
                loan, fa.loan_rate, fa.loan_tenor_years, fa.repayment, start_year=item.year + 1
            )
            drawdown[k0] += loan
            idx = sched["year"].to_numpy() - fa.start_year
            interest[idx] -= sched["interest"].to_numpy()
            principal[idx] -= sched["principal_repayment"].to_numpy()
            loan_balance[k0] += loan
            loan_balance[idx] += sched["closing_balance"].to_numpy()

    fixed_cf = -fixed * escalation + 0.0  # + 0.0 turns -0.0 into 0.0
    grant_cf = np.zeros(n)
    grant_cf[0] = grant
    ebitda = opex + fixed_cf
    taxable_unlev = ebitda - depreciation
    tax_unlev, _, _ = _tax(
        taxable_unlev, fa.cit_rate, fa.loss_carry_forward_years, fa.loss_offset_cap
    )
    taxable = taxable_unlev + interest
    tax_lev, used, pool = _tax(
        taxable, fa.cit_rate, fa.loss_carry_forward_years, fa.loss_offset_cap
    )

    cf_project = investment + replacement + opex + fixed_cf + residual + grant_cf - tax_unlev
    cf_equity = (
        investment
        + drawdown
        + replacement
        + opex
        + fixed_cf
        + residual
        + grant_cf
        + interest
        + principal
        - tax_lev
    )
    df_p = (1.0 + fa.project_rate) ** -t
    df_e = (1.0 + fa.equity_rate) ** -t

    frame = pd.DataFrame(
        {
            "t": t.astype(int),
            "escalation": escalation,
            "investment": investment,
            "replacement": replacement,
            "opex_saving": opex,
            "fixed_om": fixed_cf,
            "residual_value": residual,
            "grant": grant_cf,
            "depreciation": depreciation,
            "ebitda": ebitda,
            "taxable_income_unlevered": taxable_unlev,
            "tax_unlevered": -tax_unlev + 0.0,
            "loan_drawdown": drawdown,
            "interest": interest,
            "principal": principal,
            "loan_balance": loan_balance,
            "taxable_income": taxable,
            "loss_used": used,
            "loss_carried_forward": pool,
            "tax": -tax_lev + 0.0,
            "cf_project": cf_project,
            "cf_equity": cf_equity,
            "discount_factor": df_p,
            "discounted": cf_project * df_p,
            "cumulative": np.cumsum(cf_project),
            "cumulative_discounted": np.cumsum(cf_project * df_p),
            "discount_factor_equity": df_e,
            "discounted_equity": cf_equity * df_e,
            "cumulative_equity": np.cumsum(cf_equity),
        },
        index=pd.Index(years, name="year"),
    )
    return frame


def _indicators(flows: np.ndarray, rate: float) -> dict[str, float | None]:
    return {
        "npv": npv(rate, flows),
        "irr": irr(flows),
        "simple_payback": simple_payback(flows),
        "discounted_payback": discounted_payback(rate, flows),
    }


def appraise(
    investments: Mapping[int, float] | Sequence[Investment],
    opex_saving: YearValue,
    fixed_om_change: YearValue = 0.0,
    assumptions: FinanceAssumptions | None = None,
    *,
    grant: float = 0.0,
    replacements: bool = True,
    residual_value: bool = True,
    heat_mwh: YearValue | None = None,
    variable_cost: YearValue = 0.0,
) -> dict[str, Any]:
    """Profitability indicators of a scenario (paper's NPV, IRR, SPB, DPB) and more.

    Parameters
    ----------
    investments, opex_saving, fixed_om_change, assumptions, grant, replacements,
    residual_value
        As for :func:`differential_cashflow`.
    heat_mwh : float or mapping {year: MWh}, optional
        Annual heat produced by the scenario's new units, MWh_th/yr (a scalar applies
        from the year after the first investment). Needed for ``lcoh``.
    variable_cost : float or mapping {year: EUR}, default 0
        Annual variable cost of the new units, EUR/yr in base-year prices (for LCOH).

    Returns
    -------
    dict
        ``npv_project``, ``irr_project``, ``simple_payback_project``,
        ``discounted_payback_project``, the same four with suffix ``_equity``,
        ``funding_gap_project``/``funding_gap_equity`` (EUR: the grant in ``start_year``
        that brings the NPV to zero, ``max(0, -NPV)``),
        ``funding_gap_project_share``/``funding_gap_equity_share`` (funding gap / total
        initial CAPEX), ``capex_total`` (EUR, initial investments in the analysis basis),
        ``lcoh`` (EUR/MWh_th or None), ``discount_rate_project``,
        ``discount_rate_equity``, ``price_basis`` and ``cashflow`` (the DataFrame).
        NPVs are in EUR at ``start_year``; paybacks in years after ``start_year`` or None.

    Notes
    -----
    LCOH = PV(investment + replacements - residual value + fixed O&M + variable cost) /
    PV(heat), discounted at the project rate, before tax and financing.
    """
    fa = FinanceAssumptions() if assumptions is None else assumptions
    cf = differential_cashflow(
        investments,
        opex_saving,
        fixed_om_change,
        fa,
        grant=grant,
        replacements=replacements,
        residual_value=residual_value,
    )
    result: dict[str, Any] = {}
    for key, value in _indicators(cf["cf_project"].to_numpy(), fa.project_rate).items():
        result[f"{key}_project"] = value
    for key, value in _indicators(cf["cf_equity"].to_numpy(), fa.equity_rate).items():
        result[f"{key}_equity"] = value
    capex_total = float(-cf["investment"].sum())
    result["capex_total"] = capex_total
    for persp in ("project", "equity"):
        gap = max(0.0, -result[f"npv_{persp}"])
        result[f"funding_gap_{persp}"] = gap
        result[f"funding_gap_{persp}_share"] = gap / capex_total if capex_total > 0 else None

    result["lcoh"] = None
    if heat_mwh is not None:
        years = fa.years
        items = _normalise_investments(investments, fa)
        first_op = min(i.year for i in items) + 1
        heat = _series(heat_mwh, years, "heat_mwh", first_op)
        if np.any(heat < 0.0):
            raise ValueError("heat_mwh must be >= 0")
        var = _series(variable_cost, years, "variable_cost", first_op) * cf["escalation"]
        df_p = cf["discount_factor"].to_numpy()
        costs = (
            -cf["investment"] - cf["replacement"] - cf["residual_value"] - cf["fixed_om"] + var
        ).to_numpy()
        pv_heat = float(np.sum(heat * df_p))
        if pv_heat <= 0.0:
            raise ValueError("heat_mwh is zero over the horizon: LCOH undefined")
        result["lcoh"] = float(np.sum(costs * df_p)) / pv_heat
    result["discount_rate_project"] = fa.project_rate
    result["discount_rate_equity"] = fa.equity_rate
    result["price_basis"] = fa.price_basis
    result["cashflow"] = cf
    return result
