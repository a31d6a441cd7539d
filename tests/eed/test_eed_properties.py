"""Property tests (hypothesis) of assess()."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from heatpath.eed import GROUPS, alternatives, assess, substitution_needed

heat_value = st.floats(min_value=0.0, max_value=1e7, allow_nan=False, allow_infinity=False)
heat_mix = st.fixed_dictionaries({g: heat_value for g in GROUPS}).filter(
    lambda d: sum(d.values()) > 1e-3)
years = st.integers(min_value=2024, max_value=2100)


@settings(max_examples=150, deadline=None)
@given(years, heat_mix, st.integers(min_value=-20, max_value=20))
def test_invariant_to_scaling(year, heat, k):
    # scaling by a power of two is exact in floating point
    f = 2.0 ** k
    a = assess(year, heat)
    b = assess(year, {g: v * f for g, v in heat.items()})
    assert a.efficient == b.efficient
    assert a.criteria_met == b.criteria_met
    for key in a.shares:
        assert a.shares[key] == pytest.approx(b.shares[key], abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(years, heat_mix, st.floats(min_value=0.0, max_value=1.0))
def test_fossil_to_renewable_never_hurts(year, heat, frac):
    a = assess(year, heat)
    moved = heat["fossil"] * frac
    after = dict(heat, fossil=heat["fossil"] - moved, renewable=heat["renewable"] + moved)
    b = assess(year, after)
    assert not (a.efficient and not b.efficient)
    assert set(a.criteria_met) <= set(b.criteria_met)


@settings(max_examples=100, deadline=None)
@given(years, heat_mix)
def test_closest_miss_is_optimal(year, heat):
    """The greedy substitution equals the LP optimum (scipy as oracle)."""
    linprog = pytest.importorskip("scipy.optimize").linprog
    total = sum(heat.values())
    for alt in alternatives(year):
        m = substitution_needed(alt, heat)
        src = [g for g in GROUPS if g != m.target_group]
        a_ub, b_ub = [], []
        for c in alt.conditions:
            deficit = c.min_share * total - sum(heat[g] for g in c.groups)
            a_ub.append([-(g not in c.groups) for g in src])
            b_ub.append(-deficit)
        res = linprog([1.0] * len(src), A_ub=a_ub, b_ub=b_ub,
                      bounds=[(0, heat[g]) for g in src], method="highs")
        assert res.status == 0
        assert math.isclose(m.mwh, res.fun, rel_tol=1e-7, abs_tol=1e-6 * total)


@settings(max_examples=100, deadline=None)
@given(years, heat_mix)
def test_headroom_consistent(year, heat):
    a = assess(year, heat)
    assert set(a.headroom) == {x.id for x in alternatives(year)}
    assert a.efficient == any(h >= -1e-9 for h in a.headroom.values())
    assert (a.closest_miss is None) == a.efficient


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0.0, max_value=1.0), st.floats(min_value=0.2, max_value=0.9),
       st.floats(min_value=0.0, max_value=1.5), st.sampled_from(
           ["chp_backpressure", "gas_engine", "biogas_chp"]), st.booleans())
def test_chp_fractions_follow_biogenic_share(bio, eff, p2h, kind, override):
    from heatpath.eed import classify_unit
    from heatpath.model.schema import CHPBackPressure, Fuel

    if kind == "biogas_chp" and bio == 0.0:
        bio = 1.0
    assume(eff * (1.0 + p2h) <= 1.2)  # physical units only (the schema rejects the others)
    fuels = {"f": Fuel(emission_factor_t_per_mwh=0.2, biogenic_fraction=bio)}
    u = CHPBackPressure(name="c", kind=kind, fuel="f", capacity_mw=10, efficiency=eff,
                        power_to_heat=p2h, hechp=True if override else None)
    c = classify_unit(u, fuels)
    assert math.isclose(sum(c.fractions.values()), 1.0, abs_tol=1e-12)
    assert math.isclose(c.fractions["renewable"], bio, abs_tol=1e-12)
    assert c.fractions["fossil"] == 0.0 and c.fractions["waste_heat"] == 0.0
    assert math.isclose(sum(c.category_fractions.values()), 1.0, abs_tol=1e-12)
