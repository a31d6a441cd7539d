"""Article 26(2) EED: GHG limits, intensity and per-unit heat emission factors."""

from __future__ import annotations

import pytest

from heatpath.eed import (
    ghg_compliant,
    ghg_intensity,
    ghg_limit_g_per_kwh,
    heat_emission_factors,
)

GAS_EF = 55.42 * 3.6 / 1000  # as in conftest.py
RDF_EF = 91.7 * 3.6 / 1000

# Rec. (EU) 2024/2395 Table 1, Art. 26(2): "Max amount of GHG/unit: 200 grams/kWh - Until
# 31 December 2025", "150 ... From 1 January 2026", "100 ... From 1 January 2035",
# "50 ... From 1 January 2045", "0 ... From 1 January 2050".
LIMITS = [
    (2024, 200), (2025, 200), (2026, 150), (2034, 150), (2035, 100), (2044, 100),
    (2045, 50), (2049, 50), (2050, 0), (2100, 0),
]


@pytest.mark.parametrize(("year", "limit"), LIMITS)
def test_ghg_limit_boundaries(year, limit):
    assert ghg_limit_g_per_kwh(year) == limit


@pytest.mark.parametrize("year", [2023, 2101, 2030.0, True, "2030", None])
def test_ghg_limit_invalid_year(year):
    with pytest.raises(ValueError, match="year"):
        ghg_limit_g_per_kwh(year)


def test_ghg_intensity_units():
    # 1000 t over 10 000 MWh = 0.1 t/MWh = 100 g/kWh
    assert ghg_intensity(1000, 10_000) == pytest.approx(100.0)
    assert ghg_intensity(0, 5) == 0.0


@pytest.mark.parametrize(("e", "h"), [(-1, 10), (1, 0), (1, -5), (float("nan"), 1), ("1", 1)])
def test_ghg_intensity_invalid(e, h):
    with pytest.raises(ValueError):
        ghg_intensity(e, h)


def test_ghg_compliant_is_maximum():
    assert ghg_compliant(2035, 100.0)
    assert not ghg_compliant(2035, 100.01)
    assert ghg_compliant(2050, 0.0)
    assert not ghg_compliant(2050, 0.001)
    with pytest.raises(ValueError):
        ghg_compliant(2035, -1)


def test_heat_emission_factors(system):
    ef = heat_emission_factors(system)
    assert list(ef.index) == [u.name for u in system.units]
    assert ef["gas_boiler"] == pytest.approx(GAS_EF / 0.93)
    # gas CHP, reference-efficiency method: a = (0.45/0.9) / (0.45/0.9 + 0.405/0.53)
    a = 0.5 / (0.5 + 0.405 / 0.53)
    assert ef["gas_chp"] == pytest.approx(GAS_EF / 0.45 * a)
    # WtE: only the fossil 70 % emits
    h, e = 67.3 / 135, 47.1 / 135
    a_w = (h / 0.9) / (h / 0.9 + e / 0.53)
    assert ef["wte"] == pytest.approx(RDF_EF * 0.7 / h * a_w)
    for n in ("air_hp", "solar", "dc_hp", "e_boiler", "industry"):
        assert ef[n] == 0.0


def test_heat_emission_factors_energy_method(system):
    ef = heat_emission_factors(system, method="energy")
    assert ef["gas_chp"] == pytest.approx(GAS_EF / (0.45 + 0.405))
    assert ef["gas_boiler"] == pytest.approx(GAS_EF / 0.93)
    with pytest.raises(ValueError, match="allocation"):
        heat_emission_factors(system, method="exergy")
