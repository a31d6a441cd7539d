"""assess(): validation, shares, headroom, closest miss, explanation; Table A-2."""

from __future__ import annotations

import math

import pytest

from heatpath.eed import GROUPS, alternatives, assess, substitution_needed, table_a2


@pytest.mark.parametrize("year", [2023, 2101, 2030.0, True, "2030"])
def test_invalid_year(year):
    with pytest.raises(ValueError, match="year"):
        assess(year, {"renewable": 1.0})


@pytest.mark.parametrize(("heat", "msg"), [
    ({"solar": 1.0}, "unknown counting group"),
    ({"renewable": -1.0, "fossil": 5.0}, ">= 0"),
    ({"renewable": float("nan")}, "finite"),
    ({"renewable": float("inf")}, "finite"),
    ({}, "total heat"),
    ({"renewable": 0.0, "fossil": 0.0}, "total heat"),
    ({"renewable": "5"}, "number"),
    ([("renewable", 1.0)], "mapping"),
])
def test_invalid_heat(heat, msg):
    with pytest.raises(ValueError, match=msg):
        assess(2030, heat)


def test_shares_and_missing_groups():
    a = assess(2030, {"renewable": 30.0, "hechp": 50.0, "fossil": 20.0})
    assert a.shares["renewable"] == pytest.approx(0.3)
    assert a.shares["waste_heat"] == 0.0
    assert a.shares["renewable+waste_heat"] == pytest.approx(0.3)
    assert a.shares["renewable+waste_heat+hechp"] == pytest.approx(0.8)
    assert set(GROUPS) <= set(a.shares)
    assert a.period == "2028-2034"
    assert a.criteria_met == ["2028.res5_combined50"]
    assert a.headroom["2028.res5_combined50"] == pytest.approx(0.25)
    assert a.headroom["2028.hechp80"] == pytest.approx(-0.3)
    assert a.closest_miss is None
    assert "EFFICIENT" in a.explanation and "2028.res5_combined50" in a.explanation
    assert a.total_mwh == pytest.approx(100.0)


def test_closest_miss_single_condition():
    # 2045: RES 70 %, fossil 30 % -> 5 % of 1000 MWh = 50 MWh switched fossil -> renewable
    a = assess(2045, {"renewable": 700.0, "fossil": 300.0})
    assert not a.efficient
    alt, mwh = a.closest_miss
    assert alt in ("2045.res75", "2045.res_wh75")
    assert mwh == pytest.approx(50.0)
    assert a.closest_miss.switch_from == pytest.approx({"fossil": 50.0})
    assert "NOT efficient" in a.explanation and "50 MWh" in a.explanation


def test_closest_miss_two_conditions_takes_hechp_when_fossil_exhausted():
    # 2035: RES 10, HECHP 85, fossil 5: combined 95 % ok, RES+WH 10 % < 35 %
    # -> switch 5 fossil + 20 HECHP to renewable = 25 MWh
    a = assess(2035, {"renewable": 10.0, "hechp": 85.0, "fossil": 5.0})
    m = a.closest_miss
    assert m.alternative_id == "2035.res_wh35_combined80"
    assert m.mwh == pytest.approx(25.0)
    assert m.switch_from == pytest.approx({"fossil": 5.0, "hechp": 20.0})
    assert m.target_group == "renewable"


def test_closest_miss_res5():
    # 2028: RES 4 %, HECHP 50 %, fossil 46 % -> 1 % more renewable
    a = assess(2028, {"renewable": 4.0, "hechp": 50.0, "fossil": 46.0})
    assert a.closest_miss.alternative_id == "2028.res5_combined50"
    assert a.closest_miss.mwh == pytest.approx(1.0)


@pytest.mark.parametrize("year", [2024, 2028, 2035, 2040, 2045, 2050])
def test_substitution_meets_alternative(year):
    heat = {"renewable": 3.0, "waste_heat": 2.0, "hechp": 40.0, "cogeneration": 15.0,
            "fossil": 40.0}
    for alt in alternatives(year):
        m = substitution_needed(alt, heat)
        after = dict(heat)
        for g, v in m.switch_from.items():
            after[g] -= v
        after[m.target_group] += m.mwh
        assert math.isclose(sum(after.values()), 100.0)
        a = assess(year, after)
        assert alt.id in a.criteria_met, (alt.id, m)


def test_table_a2_validation():
    with pytest.raises(ValueError, match="unknown Table A-1"):
        table_a2({"X12": 1.0})
    with pytest.raises(ValueError, match=">= 0"):
        table_a2({"X1": -1.0, "W": 2.0})
    with pytest.raises(ValueError, match="T"):
        table_a2({})


def test_table_a2_rows():
    t = table_a2({"X1": 10, "X10": 20, "Y2": 10, "Z1": 40, "W.CHP": 10, "W": 10})
    assert t.loc["T", "heat_mwh"] == 100
    assert t.loc["%RES", "share"] == pytest.approx(0.3)
    assert t.loc["%WHR", "share"] == pytest.approx(0.1)
    assert t.loc["%HECHP", "share"] == pytest.approx(0.4)
    assert t.loc["%W", "share"] == pytest.approx(0.2)
    assert t.loc["X10", "indicator"] == "RES10"
    assert t.loc["Y2", "group"] == "waste_heat"
    assert list(t.columns) == ["energy_source", "technology", "group", "indicator",
                               "heat_mwh", "share"]
