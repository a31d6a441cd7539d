"""Differential cash flow and appraisal, hand-checked on small horizons."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heatpath.economics import (
    FinanceAssumptions,
    Investment,
    annuity_payment,
    appraise,
    crf,
    differential_cashflow,
    investment_from_catalogue,
    irr,
    lcoh,
)

# 3 operating years (2028-2030), no tax, all equity, real 10 %
SIMPLE = FinanceAssumptions(
    start_year=2027, end_year=2030, equity_share=1.0, cit_rate=0.0, discount_rate=0.10
)
ANNUITY_3Y_10PCT = 1 / 1.1 + 1 / 1.21 + 1 / 1.331  # 2.4868520


def test_defaults_are_the_papers() -> None:
    fa = FinanceAssumptions()
    assert (fa.start_year, fa.end_year, fa.price_base_year) == (2027, 2050, 2024)
    assert fa.end_year - fa.start_year == 23  # paper: 23-year horizon
    assert fa.equity_share == 0.25 and fa.loan_share == 0.75
    assert (fa.loan_rate, fa.loan_tenor_years, fa.cit_rate) == (0.09, 10, 0.16)
    assert (fa.inflation, fa.cost_of_equity, fa.discount_rate) == (0.086, 0.1124, 0.10)
    assert fa.price_basis == "real" and fa.project_rate == 0.10
    assert fa.equity_rate == 0.1124
    assert fa.real_cost_of_equity == pytest.approx(1.1124 / 1.086 - 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fa.cit_rate = 0.2  # type: ignore[misc]


def test_simple_no_tax_no_loan() -> None:
    cf = differential_cashflow(
        [Investment(2027, 100.0, lifetime_years=3)], 50.0, assumptions=SIMPLE
    )
    assert cf.index.tolist() == [2027, 2028, 2029, 2030]
    assert cf["cf_project"].tolist() == [-100.0, 50.0, 50.0, 50.0]
    assert (cf["cf_equity"] == cf["cf_project"]).all()
    res = appraise([Investment(2027, 100.0, lifetime_years=3)], 50.0, assumptions=SIMPLE)
    # NPV = -100 + 50 * 2.4868520 = 24.3426
    assert res["npv_project"] == pytest.approx(-100 + 50 * ANNUITY_3Y_10PCT)
    assert res["npv_project"] == pytest.approx(24.3426, abs=1e-4)
    assert res["irr_project"] == pytest.approx(npf.irr([-100, 50, 50, 50]), abs=1e-9)
    assert res["simple_payback_project"] == pytest.approx(2.0)
    # discounted: -100, 45.4545, 41.3223, 37.5657 -> cum -54.5455, -13.2231 -> 2 + 13.2231/37.5657
    assert res["discounted_payback_project"] == pytest.approx(
        2 + (100 - 50 / 1.1 - 50 / 1.21) / (50 / 1.331)
    )
    assert res["funding_gap_project"] == 0.0 and res["funding_gap_project_share"] == 0.0


def test_tax_and_depreciation_hand() -> None:
    fa = dataclasses.replace(SIMPLE, cit_rate=0.16)
    cf = differential_cashflow([Investment(2027, 100.0, lifetime_years=3)], 50.0, assumptions=fa)
    # depreciation 100/3 = 33.33; taxable 16.67; tax 0.16 * 16.67 = 2.6667; CF = 47.3333
    assert cf["depreciation"].tolist()[1:] == pytest.approx([100 / 3] * 3)
    assert cf["tax_unlevered"].tolist()[1:] == pytest.approx([-0.16 * (50 - 100 / 3)] * 3)
    assert cf["cf_project"].tolist()[1:] == pytest.approx([47.3333] * 3, abs=1e-4)


def test_residual_value_straight_line() -> None:
    cf = differential_cashflow(
        [Investment(2027, 100.0, lifetime_years=5)], 50.0, assumptions=SIMPLE
    )
    # 3 of 5 years used by 2030: book value 100 * (1 - 3/5) = 40
    assert cf["residual_value"].tolist() == [0.0, 0.0, 0.0, 40.0]
    assert cf["depreciation"].tolist() == [0.0, 20.0, 20.0, 20.0]
    off = differential_cashflow(
        [Investment(2027, 100.0, lifetime_years=5)], 50.0, assumptions=SIMPLE, residual_value=False
    )
    assert off["residual_value"].sum() == 0.0


def test_replacement_and_its_residual_value() -> None:
    fa = dataclasses.replace(SIMPLE, end_year=2031)
    cf = differential_cashflow([Investment(2027, 100.0, lifetime_years=3)], 50.0, assumptions=fa)
    # replaced in 2030 (2027 + 3); new asset depreciated 2031..2033 -> 1 of 3 years used
    assert cf["replacement"].tolist() == [0.0, 0.0, 0.0, -100.0, 0.0]
    assert cf["residual_value"].iloc[-1] == pytest.approx(100 * (1 - 1 / 3))
    assert cf["depreciation"].tolist()[1:] == pytest.approx([100 / 3] * 4)
    none = differential_cashflow(
        [Investment(2027, 100.0, lifetime_years=3)], 50.0, assumptions=fa, replacements=False
    )
    assert none["replacement"].sum() == 0.0
    # lifetime 2 in 2027-2031: replaced in 2029 only (2031 is the last year: not replaced)
    cf2 = differential_cashflow([Investment(2027, 100.0, lifetime_years=2)], 50.0, assumptions=fa)
    assert cf2["replacement"].tolist() == [0.0, 0.0, -100.0, 0.0, 0.0]
    assert cf2["residual_value"].iloc[-1] == 0.0


def test_loss_carry_forward_rules() -> None:
    base = FinanceAssumptions(start_year=2027, end_year=2031, equity_share=1.0, cit_rate=0.2)
    inv = [Investment(2027, 100.0, lifetime_years=4)]
    saving = {2030: 100.0, 2031: 100.0}
    # depreciation 25/yr -> taxable -25, -25, 75, 75
    cf = differential_cashflow(inv, saving, assumptions=base)
    assert cf["taxable_income"].tolist()[1:] == [-25.0, -25.0, 75.0, 75.0]
    # indefinite: 2030 offsets 50 -> tax 0.2 * 25 = 5; 2031 -> 15
    assert (-cf["tax"]).tolist() == pytest.approx([0, 0, 0, 5, 15])
    assert cf["loss_carried_forward"].tolist() == [0, 25, 50, 0, 0]
    # 1-year carry-forward: the 2028 loss expires before 2030; only 25 offset -> tax 10
    one = differential_cashflow(
        inv, saving, assumptions=dataclasses.replace(base, loss_carry_forward_years=1)
    )
    assert (-one["tax"]).tolist() == pytest.approx([0, 0, 0, 10, 15])
    # cap 50 %: 2030 offsets 37.5 -> tax 7.5; 2031 offsets remaining 12.5 -> tax 12.5
    cap = differential_cashflow(
        inv, saving, assumptions=dataclasses.replace(base, loss_offset_cap=0.5)
    )
    assert (-cap["tax"]).tolist() == pytest.approx([0, 0, 0, 7.5, 12.5])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=23, max_size=23),
    st.sampled_from([None, 0, 3]),
)
def test_tax_never_negative(savings: list[float], carry: int | None) -> None:
    fa = FinanceAssumptions(loss_carry_forward_years=carry)
    cf = differential_cashflow(
        {2027: 5e6}, dict(zip(range(2028, 2051), savings, strict=True)), assumptions=fa
    )
    assert (cf["tax"] <= 0).all() and (cf["tax_unlevered"] <= 0).all()  # outflows only
    assert (cf["loss_carried_forward"] >= 0).all()


def test_loan_financing_and_equity_perspective() -> None:
    fa = FinanceAssumptions()
    cf = differential_cashflow({2027: 100e6}, 15e6, 1e6, fa)
    assert cf["loan_drawdown"].iloc[0] == 75e6
    assert -cf["principal"].sum() == 75e6  # repaid exactly
    assert cf["loan_balance"].loc[2037] == 0.0 and cf["loan_balance"].loc[2027] == 75e6
    payment = annuity_payment(75e6, 0.09, 10)  # 11,686,507 EUR/yr
    assert (-(cf["interest"] + cf["principal"]).loc[2028:2037]).to_numpy() == pytest.approx(
        payment, abs=1.0
    )
    # equity pays 25 MEUR up front
    assert cf["cf_equity"].iloc[0] == -25e6
    # interest is deductible: 2028 taxable = 15e6 - 1e6 - 4e6 (100e6/25) - 6.75e6 = 3.25e6
    assert cf.loc[2028, "taxable_income"] == pytest.approx(3.25e6)
    assert cf.loc[2028, "tax"] == pytest.approx(-0.16 * 3.25e6)
    # identity: equity CF = project CF + debt flows - tax difference
    diff = cf["loan_drawdown"] + cf["interest"] + cf["principal"] + cf["tax"] - cf["tax_unlevered"]
    assert (cf["cf_equity"] - cf["cf_project"]).to_numpy() == pytest.approx(diff.to_numpy())


def test_appraise_consistent_with_primitives() -> None:
    res = appraise({2027: 100e6}, 15e6, 1e6)
    cf = res["cashflow"]
    flows = cf["cf_project"].to_numpy()
    assert res["npv_project"] == pytest.approx(npf.npv(0.10, flows))
    assert res["irr_project"] == pytest.approx(irr(flows))
    assert res["irr_project"] == pytest.approx(npf.irr(flows), abs=1e-9)
    assert res["npv_equity"] == pytest.approx(npf.npv(0.1124, cf["cf_equity"].to_numpy()))
    assert res["npv_project"] == pytest.approx(cf["discounted"].sum())
    assert res["capex_total"] == 100e6


def test_funding_gap_closes_npv() -> None:
    fa = FinanceAssumptions()
    res = appraise({2027: 100e6}, 8e6, 1e6, fa)
    assert res["npv_project"] < 0 and res["npv_equity"] < 0
    gap = res["funding_gap_project"]
    assert gap == pytest.approx(-res["npv_project"])
    assert res["funding_gap_project_share"] == pytest.approx(gap / 100e6)
    with_grant = appraise({2027: 100e6}, 8e6, 1e6, fa, grant=gap)
    assert with_grant["npv_project"] == pytest.approx(0.0, abs=1e-6)
    eq = appraise({2027: 100e6}, 8e6, 1e6, fa, grant=res["funding_gap_equity"])
    assert eq["npv_equity"] == pytest.approx(0.0, abs=1e-6)


def test_nominal_basis_is_fisher_consistent() -> None:
    real = SIMPLE
    nominal = dataclasses.replace(SIMPLE, price_basis="nominal", inflation=0.086)
    assert nominal.project_rate == pytest.approx(1.10 * 1.086 - 1)  # 19.46 %
    inv = [Investment(2027, 100.0, lifetime_years=3)]
    r = appraise(inv, 50.0, assumptions=real)
    n = appraise(inv, 50.0, assumptions=nominal)
    # without tax or debt, nominal flows are real flows * 1.086**(year - 2024), so the
    # nominal NPV at 2027 equals the real NPV (2024 prices) * 1.086**3
    assert n["npv_project"] == pytest.approx(r["npv_project"] * 1.086**3)
    assert n["cashflow"]["escalation"].loc[2028] == pytest.approx(1.086**4)


def test_lcoh_matches_annuity_method() -> None:
    # PV costs = 100 + 10 * 2.48685 = 124.8685; PV heat = 10 * 2.48685 -> 5.02115 EUR/MWh
    res = appraise(
        [Investment(2027, 100.0, lifetime_years=3)],
        50.0,
        assumptions=SIMPLE,
        heat_mwh=10.0,
        variable_cost=10.0,
    )
    assert res["lcoh"] == pytest.approx((100 + 10 * ANNUITY_3Y_10PCT) / (10 * ANNUITY_3Y_10PCT))
    # same as the annuity formula: (100 * CRF(10 %, 3) + 10) / 10
    assert res["lcoh"] == pytest.approx(lcoh(100 * crf(0.10, 3), 0.0, 10.0, 10.0))
    assert appraise({2027: 1.0}, 1.0, assumptions=SIMPLE)["lcoh"] is None


def test_investment_from_catalogue() -> None:
    inv = investment_from_catalogue("ashp", 29, 2027)
    assert inv.capex == pytest.approx(29 * 951_390.0)  # 29 MW * 0.95139 MEUR2015/MW (DEA 40)
    assert inv.fixed_om == pytest.approx(29 * 2000)
    assert inv.lifetime_years == 25 and inv.name == "ashp"
    indexed = investment_from_catalogue("ashp", 29, 2027, price_year=2023)
    assert indexed.capex == pytest.approx(29 * 951_390.0 * 797.9 / 556.8)  # EUR2015 -> 2023
    assert indexed.fixed_om == pytest.approx(29 * 2000 * 797.9 / 556.8)
    cf = differential_cashflow([inv], 5e6)
    assert cf.loc[2028, "fixed_om"] == pytest.approx(-58_000)
    assert cf.loc[2027, "fixed_om"] == 0.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"end_year": 2030}, "shorter than the 10-year loan"),
        ({"end_year": 2027}, "must be after start_year"),
        ({"discount_rate": -1.0}, "discount_rate"),
        ({"loan_rate": float("nan")}, "loan_rate"),
        ({"equity_share": 1.2}, "equity_share"),
        ({"cit_rate": 1.0}, "cit_rate"),
        ({"repayment": "bullet"}, "repayment"),
        ({"price_basis": "ppp"}, "price_basis"),
    ],
)
def test_bad_assumptions(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        FinanceAssumptions(**kwargs)


def test_bad_cashflow_input() -> None:
    with pytest.raises(ValueError, match="empty"):
        differential_cashflow({}, 1.0)
    with pytest.raises(ValueError, match="outside the horizon"):
        differential_cashflow({2051: 1.0}, 1.0)
    # loan for a 2045 investment would run to 2055
    with pytest.raises(ValueError, match="runs to 2055"):
        differential_cashflow({2045: 1.0}, 1.0)
    with pytest.raises(ValueError, match="opex_saving"):
        differential_cashflow({2027: 1.0}, {2060: 1.0})
    with pytest.raises(ValueError, match="opex_saving"):
        differential_cashflow({2027: 1.0}, float("nan"))
    with pytest.raises(ValueError, match="capex"):
        differential_cashflow({2027: -5.0}, 1.0)
    # all-equity allows a short horizon
    cf = differential_cashflow(
        {2027: 1.0}, 1.0, assumptions=FinanceAssumptions(end_year=2030, equity_share=1.0)
    )
    assert len(cf) == 4 and np.isfinite(cf.to_numpy(dtype=float)).all()
