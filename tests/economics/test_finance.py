"""Hand-checked tests of heatpath.economics.finance."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heatpath.economics import (
    annuity_payment,
    crf,
    discounted_payback,
    fisher_nominal_rate,
    fisher_real_rate,
    irr,
    npv,
    simple_payback,
    wacc,
)


def test_npv_hand() -> None:
    # -100 + 60/1.1 + 60/1.21 = -100 + 54.545454 + 49.586777 = 4.132231
    assert npv(0.10, [-100, 60, 60]) == pytest.approx(4.1322314, abs=1e-6)
    # year 0 is undiscounted: a single flow is returned as is
    assert npv(0.5, [-42.0]) == -42.0
    # rate 0: plain sum
    assert npv(0.0, [-100, 30, 30, 30]) == pytest.approx(-10.0)


def test_npv_matches_numpy_financial() -> None:
    # numpy_financial.npv also treats values[0] as t = 0
    flows = [-1000.0, 120.0, 300.0, 450.0, 500.0, -50.0]
    for rate in (0.0, 0.05, 0.10, 0.1946, -0.2):
        assert npv(rate, flows) == pytest.approx(npf.npv(rate, flows), rel=1e-12)


def test_irr_hand() -> None:
    assert irr([-100, 110]) == pytest.approx(0.10, abs=1e-12)
    # -100 + 60 x + 60 x^2 = 0, x = 1/(1+r): x = (-1 + sqrt(1 + 20/3)) / 2 = 0.884437
    x = (-1 + math.sqrt(1 + 20 / 3)) / 2
    assert irr([-100, 60, 60]) == pytest.approx(1 / x - 1, abs=1e-10)  # 13.0662 %
    # negative IRR: get back less than invested
    assert irr([-100, 50, 40]) == pytest.approx(npf.irr([-100, 50, 40]), abs=1e-9)
    assert irr([-100, 50, 40]) < 0


def test_irr_none_cases() -> None:
    assert irr([100, 10, 10]) is None  # never negative
    assert irr([-100, -10, -10]) is None  # never positive
    assert irr([0, 0, 0]) is None
    # sign changes but no real root: -1 + 3x - 3x^2 has discriminant 9 - 12 < 0
    assert irr([-1, 3, -3]) is None


def test_irr_multiple_roots_returns_closest_to_zero() -> None:
    # -100 + 230 x - 132 x^2 = 0 -> x = (230 +- 10) / 264 -> r = 10 % or 20 %
    assert irr([-100, 230, -132]) == pytest.approx(0.10, abs=1e-10)
    assert npv(0.20, [-100, 230, -132]) == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=1.0, max_value=1e7),
    st.lists(
        st.one_of(st.just(0.0), st.floats(min_value=1.0, max_value=1e6)), min_size=1, max_size=30
    ),
)
def test_irr_matches_numpy_financial_conventional(invest: float, inflows: list[float]) -> None:
    flows = [-invest, *inflows]
    ours = irr(flows)
    if sum(inflows) == 0.0:
        assert ours is None
        return
    ref = npf.irr(flows)
    if not np.isfinite(ref) or ref < -0.999:
        # numpy_financial may fail near -100 %; ours must then be None or a true root
        assert ours is None or ours < -0.99
        return
    assert ours is not None
    # a single sign change has a single root: both must agree (relative for huge IRRs, e.g.
    # 313,422 = 31 million % for -1, 313,423, 0, 0, 1,258, 1, where ours is the closer root:
    # numpy-financial is off by up to ~1e-9 relative there; the NPV check below is exact)
    assert ours == pytest.approx(ref, abs=1e-6, rel=1e-8)
    assert abs(npv(ours, flows)) <= 1e-6 * invest


def test_simple_payback_interpolates() -> None:
    # cumulative: -100, -70, -40, -10, +20 -> 3 + 10/30
    assert simple_payback([-100, 30, 30, 30, 30]) == pytest.approx(3 + 1 / 3)
    # exactly zero at the end of year 2
    assert simple_payback([-100, 50, 50, 50]) == pytest.approx(2.0)
    assert simple_payback([5, 1]) == 0.0
    assert simple_payback([-100, 10, 10]) is None


def test_discounted_payback_hand() -> None:
    # discounted: -100, 54.5454, 49.5868; cum after year 1 = -45.4545
    # DPB = 1 + 45.4545 / 49.5868 = 1 + (500/11) / (6000/121) = 1 + 60500/66000 = 1.916667
    assert discounted_payback(0.10, [-100, 60, 60]) == pytest.approx(1 + 60500 / 66000)
    assert discounted_payback(0.10, [-100, 55, 55]) is None  # 55/1.1 + 55/1.21 = 95.45
    assert discounted_payback(0.0, [-100, 30, 30, 30, 30]) == pytest.approx(3 + 1 / 3)


def test_crf_and_annuity() -> None:
    # 1.09^10 = 2.3673637; CRF = 0.09 * 2.3673637 / 1.3673637 = 0.1558201
    assert crf(0.09, 10) == pytest.approx(0.15582009, abs=1e-8)
    assert crf(0.0, 4) == 0.25
    assert crf(1e-18, 4) == pytest.approx(0.25)
    assert annuity_payment(75e6, 0.09, 10) == pytest.approx(-npf.pmt(0.09, 10, 75e6))
    assert annuity_payment(1000, 0.0, 4) == 250.0


def test_fisher_hand() -> None:
    # paper's cost of equity 11.24 % with 8.6 % inflation: 1.1124/1.086 - 1 = 2.4309 %
    assert fisher_real_rate(0.1124, 0.086) == pytest.approx(0.0243094, abs=1e-7)
    # paper's real 10 % with 8.6 % inflation: 1.10 * 1.086 - 1 = 19.46 %
    assert fisher_nominal_rate(0.10, 0.086) == pytest.approx(0.1946, abs=1e-12)
    assert fisher_real_rate(fisher_nominal_rate(0.10, 0.086), 0.086) == pytest.approx(0.10)


def test_wacc_hand() -> None:
    # 0.25 * 0.1124 + 0.75 * 0.09 * (1 - 0.16) = 0.0281 + 0.0567 = 0.0848
    assert wacc(0.25, 0.1124, 0.09, 0.16) == pytest.approx(0.0848)
    with pytest.raises(ValueError, match="equity_share"):
        wacc(1.5, 0.1, 0.1)


@pytest.mark.parametrize("rate", [-1.0, -2.0, float("nan"), float("inf")])
def test_bad_rate_raises(rate: float) -> None:
    with pytest.raises(ValueError, match="rate"):
        npv(rate, [-1, 2])
    with pytest.raises(ValueError, match="rate"):
        discounted_payback(rate, [-1, 2])
    with pytest.raises(ValueError, match="rate"):
        crf(rate, 3)


def test_bad_flows_raise() -> None:
    with pytest.raises(ValueError, match="empty"):
        npv(0.1, [])
    with pytest.raises(ValueError, match="empty"):
        irr([])
    with pytest.raises(ValueError, match="non-finite"):
        simple_payback([-1, float("nan")])
    with pytest.raises(ValueError, match="non-finite"):
        irr([-1, float("inf")])
    with pytest.raises(ValueError, match="one-dimensional"):
        npv(0.1, [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="years"):
        crf(0.1, 0)
    with pytest.raises(ValueError, match="years"):
        crf(0.1, 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="inflation"):
        fisher_real_rate(0.1, -1.0)


def test_accepts_generators_and_arrays() -> None:
    assert npv(0.1, (x for x in [-100, 110])) == pytest.approx(0.0, abs=1e-12)
    assert npv(0.1, np.array([-100.0, 110.0])) == pytest.approx(0.0, abs=1e-12)
