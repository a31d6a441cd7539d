"""Obligations of Article 26(4)-(7) EED."""

from __future__ import annotations

import pytest

from heatpath.eed import (
    cba_required,
    data_centre_waste_heat_obligation,
    plan_obligation,
    substantial_refurbishment,
)


def test_substantial_refurbishment_exceeds_50_percent():
    # Art. 2(50): "cost of which exceeds 50 % of the investment cost for a new comparable unit"
    assert not substantial_refurbishment(50, 100)
    assert substantial_refurbishment(50.01, 100)
    with pytest.raises(ValueError):
        substantial_refurbishment(10, 0)
    with pytest.raises(ValueError):
        substantial_refurbishment(-1, 100)


def test_plan_obligation_exceeding_5_mw(system):
    # Rec. 3.3.1: "heat and cold output exceeding 5 MW" = installed capacity
    assert not plan_obligation({"a": 3.0, "b": 2.0})
    assert plan_obligation({"a": 3.0, "b": 2.1})
    assert plan_obligation([3.0, 2.1])
    # "capacity only used at times of peak demand ... should be excluded"
    assert not plan_obligation({"a": 3.0, "peak": 50.0}, peak_only=["peak"])
    assert plan_obligation(system)
    assert not plan_obligation(system, efficient=True)
    # Table 1: "Planning to become EDHC - From 1 January 2025"
    assert not plan_obligation(system, year=2024)
    assert plan_obligation(system, year=2025)
    big = [u.name for u in system.units if u.capacity_mw > 2]
    assert not plan_obligation(system, peak_only=big)


def test_plan_obligation_invalid():
    with pytest.raises(ValueError, match="named"):
        plan_obligation([3.0, 4.0], peak_only=["x"])
    with pytest.raises(ValueError, match="not found"):
        plan_obligation({"a": 6.0}, peak_only=["b"])
    with pytest.raises(ValueError, match="string"):
        plan_obligation({"a": 6.0}, peak_only="a")
    with pytest.raises(ValueError):
        plan_obligation({"a": -6.0})


def test_data_centre_obligation():
    # Art. 26(6): "total rated energy input exceeding 1 MW"
    assert not data_centre_waste_heat_obligation(1.0)
    assert data_centre_waste_heat_obligation(1.01)


@pytest.mark.parametrize(("kind", "mw"), [
    ("thermal_electricity_generation", 10), ("industrial", 8), ("service_facility", 7),
    ("data_centre", 1),
])
def test_cba_thresholds_exceeding(kind, mw):
    # Art. 26(7)(a)-(d), Rec. Table 2: "... exceeding 10/8/7/1 MW"
    assert not cba_required(kind, mw)
    assert cba_required(kind, mw + 0.001)


def test_cba_unknown_type():
    with pytest.raises(ValueError, match="known"):
        cba_required("hospital", 20)
