"""Loan schedules: exact principal repayment, hand-checked interest."""

from __future__ import annotations

import math

import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heatpath.economics import loan_schedule
from heatpath.economics.loan import SCHEDULE_COLUMNS


@pytest.mark.parametrize("method", ["annuity", "linear"])
@pytest.mark.parametrize("principal", [75e6, 0.1, 1e6 / 3, 123456789.123, 1.0, 7e13])
def test_principal_repaid_exactly(method: str, principal: float) -> None:
    sched = loan_schedule(principal, 0.09, 10, method)
    assert list(sched.columns) == SCHEDULE_COLUMNS
    assert sched["principal_repayment"].sum() == principal  # exact, not approx
    assert sum(sched["principal_repayment"]) == principal
    assert sched["closing_balance"].iloc[-1] == 0.0
    assert (sched["principal_repayment"] >= 0).all()


@settings(max_examples=80, deadline=None)
@given(
    st.floats(min_value=0.0, max_value=1e12, allow_nan=False),
    st.floats(min_value=-0.5, max_value=0.5),
    st.integers(min_value=1, max_value=40),
    st.sampled_from(["annuity", "linear"]),
)
def test_principal_exact_property(principal: float, rate: float, n: int, method: str) -> None:
    sched = loan_schedule(principal, rate, n, method)
    assert sched["principal_repayment"].sum() == principal
    assert sched["closing_balance"].iloc[-1] == 0.0
    # balances chain: opening(k+1) == closing(k)
    assert (
        sched["opening_balance"].iloc[1:].to_numpy()
        == sched["closing_balance"].iloc[:-1].to_numpy()
    ).all()


def test_annuity_payment_constant_and_matches_pmt() -> None:
    sched = loan_schedule(75e6, 0.09, 10, "annuity", start_year=2028)
    expected = -npf.pmt(0.09, 10, 75e6)  # 11,686,506.8 EUR/yr
    assert sched["payment"].to_numpy() == pytest.approx(expected, abs=0.05)
    assert sched["year"].tolist() == list(range(2028, 2038))
    # first-year interest: 75e6 * 0.09 = 6.75e6
    assert sched["interest"].iloc[0] == pytest.approx(6.75e6)
    # total interest = n * A - P
    assert sched["interest"].sum() == pytest.approx(10 * expected - 75e6, abs=0.5)


def test_linear_hand() -> None:
    # 1000 at 10 % over 4 years: repay 250/yr; interest 100, 75, 50, 25 (total 250)
    sched = loan_schedule(1000.0, 0.10, 4, "linear")
    assert sched["principal_repayment"].tolist() == [250.0] * 4
    assert sched["interest"].to_numpy() == pytest.approx([100, 75, 50, 25])
    assert sched["payment"].to_numpy() == pytest.approx([350, 325, 300, 275])
    # awkward split: 1000/3 is quantised below one cent, last instalment absorbs it
    sched3 = loan_schedule(1000.0, 0.10, 3, "linear")
    assert sched3["principal_repayment"].to_numpy() == pytest.approx(1000 / 3, abs=0.01)
    assert sched3["interest"].sum() == pytest.approx(0.1 * 1000 * (3 + 1) / 2, abs=0.01)


def test_zero_rate_and_zero_principal() -> None:
    sched = loan_schedule(1200.0, 0.0, 12)
    assert sched["payment"].tolist() == [100.0] * 12
    assert sched["interest"].sum() == 0.0
    empty = loan_schedule(0.0, 0.09, 5)
    assert (empty[["interest", "payment", "closing_balance"]] == 0).all().all()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"principal": -1.0}, "principal"),
        ({"principal": math.nan}, "principal"),
        ({"tenor_years": 0}, "tenor_years"),
        ({"tenor_years": 2.5}, "tenor_years"),
        ({"method": "bullet"}, "method"),
        ({"rate": -1.0}, "rate"),
    ],
)
def test_bad_input(kwargs: dict, match: str) -> None:
    args = {"principal": 1000.0, "rate": 0.09, "tenor_years": 10, "method": "annuity"}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        loan_schedule(**args)
