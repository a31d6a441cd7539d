"""Integrity of the rule tables and helpers built on them."""

from __future__ import annotations

import pytest

from heatpath.eed import (
    GROUPS,
    alternatives,
    categories,
    essential_alternatives,
    period,
    periods,
)
from heatpath.eed.rules import canonical_groups, parameters, thresholds
from heatpath.model.schema import ShareRequirement


def test_periods_tile_2024_2100():
    ps = periods()
    assert [p.id for p in ps] == ["2024-2027", "2028-2034", "2035-2039", "2040-2044",
                                  "2045-2049", "2050-2100"]
    for p in ps:
        for a in p.alternatives:
            assert a.id.startswith(p.id[:4] + ".")
            assert a.source and a.label
            for c in a.conditions:
                assert 0 < c.min_share <= 1 and set(c.groups) <= set(GROUPS)


def test_ids_are_unique():
    ids = [a.id for p in periods() for a in p.alternatives]
    assert len(ids) == len(set(ids))


def test_requirements_for_dispatch():
    alt = next(a for a in alternatives(2028) if a.id == "2028.res5_combined50")
    reqs = alt.requirements()
    assert all(isinstance(r, ShareRequirement) for r in reqs)
    assert [(r.groups, r.min_share) for r in reqs] == [
        (["renewable"], 0.05), (["renewable", "waste_heat", "hechp"], 0.5)]


@pytest.mark.parametrize(("year", "ids"), [
    (2026, ["2024.combined50"]),
    (2030, ["2028.res_wh50", "2028.hechp80", "2028.res5_combined50"]),
    (2036, ["2035.res_wh50", "2035.res_wh35_combined80"]),
    (2041, ["2040.res_wh75", "2040.res_wh35_combined95"]),
    (2046, ["2045.res_wh75"]),
    (2060, ["2050.res_wh100"]),
])
def test_essential_alternatives(year, ids):
    assert [a.id for a in essential_alternatives(year)] == ids


def test_canonical_groups():
    assert canonical_groups("hechp+renewable") == ("renewable", "hechp")
    with pytest.raises(ValueError, match="unknown"):
        canonical_groups("renewable+solar")
    with pytest.raises(ValueError, match="repeat"):
        canonical_groups(["hechp", "hechp"])


def test_table_a1_categories():
    cats = categories()
    assert list(cats)[:11] == [f"X{i}" for i in range(1, 12)]
    assert {c: cats[c].group for c in ("Y1", "Y2", "Z1", "Z2", "W", "W.CHP")} == {
        "Y1": "waste_heat", "Y2": "waste_heat", "Z1": "hechp", "Z2": "hechp",
        "W": "fossil", "W.CHP": "cogeneration"}


def test_parameter_and_threshold_tables():
    p = parameters()
    assert float(p["hp_spf_factor"]) == 1.15 and float(p["hp_eta_default"]) == 0.455
    assert {(t.obligation, t.installation_type) for t in thresholds()} >= {
        ("plan", "dhc_system"), ("cba", "industrial")}


def test_period_lookup():
    assert period(2027).id == "2024-2027"
    assert period(2028).id == "2028-2034"
