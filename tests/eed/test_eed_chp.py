"""High-efficiency cogeneration (EED Annex III) and CHP emission allocation."""

from __future__ import annotations

import datetime as dt

import pytest

from heatpath.eed import (
    chp_heat_share,
    co2_limit_applies,
    default_reference_efficiencies,
    hechp_status,
    is_high_efficiency_chp,
    primary_energy_savings,
)
from heatpath.model.schema import CHPBackPressure


def test_default_reference_efficiencies():
    assert default_reference_efficiencies() == (0.90, 0.53)


def test_pes_hand_computed():
    # 1 - 1/(0.45/0.90 + 0.405/0.53) = 1 - 1/(0.5 + 0.7641509) = 0.2089552
    assert primary_energy_savings(0.45, 0.405, 0.90, 0.53) == pytest.approx(0.2089552, abs=1e-6)
    # Bucharest WtE: 67.3/135 heat, 47.1/135 el
    assert primary_energy_savings(67.3 / 135, 47.1 / 135, 0.9, 0.53) == pytest.approx(
        1 - 1 / (67.3 / 135 / 0.9 + 47.1 / 135 / 0.53))
    # heat only at the reference efficiency: no savings
    assert primary_energy_savings(0.9, 0.0, 0.9, 0.53) == pytest.approx(0.0)


@pytest.mark.parametrize("args", [
    (-0.1, 0.4, 0.9, 0.53), (0.4, 0.4, 0.0, 0.53), (0.4, 0.4, 90, 53), (0, 0, 0.9, 0.53),
    (float("nan"), 0.4, 0.9, 0.53), (45, 40, 0.9, 0.53),
])
def test_pes_invalid(args):
    with pytest.raises(ValueError):
        primary_energy_savings(*args)


@pytest.mark.parametrize(("pes", "cap", "ok"), [
    (0.10, 5.0, True), (0.0999, 5.0, False), (0.25, 5.0, True),  # >= 10 %, Annex III(a)
    (0.0001, 0.99, True), (0.0, 0.99, False),  # small-scale < 1 MWe: PES > 0, Annex III(b)
    (0.0001, 0.04, True), (-0.01, 0.04, False),  # micro < 50 kWe
    (0.05, 1.0, False),  # exactly 1 MWe is not small-scale
])
def test_is_high_efficiency_chp_pes(pes, cap, ok):
    assert is_high_efficiency_chp(pes, cap) is ok


@pytest.mark.parametrize(("year", "new", "applies"), [
    (2033, False, False), (2034, False, True),
    (2024, True, False), (2025, True, True),
    (dt.date(2025, 10, 11), True, False), (dt.date(2025, 10, 12), True, True),
    (dt.date(2033, 12, 31), False, False), (dt.date(2034, 1, 1), False, True),
    (None, True, False),
])
def test_co2_limit_dates(year, new, applies):
    assert co2_limit_applies(year, new) is applies


def test_is_high_efficiency_chp_emission_limit():
    assert is_high_efficiency_chp(0.2, 20, specific_emissions_g_per_kwh=269.9, year=2034)
    assert not is_high_efficiency_chp(0.2, 20, specific_emissions_g_per_kwh=270, year=2034)
    assert is_high_efficiency_chp(0.2, 20, specific_emissions_g_per_kwh=400, year=2033)
    assert not is_high_efficiency_chp(0.2, 20, specific_emissions_g_per_kwh=400, year=2026,
                                      new_or_refurbished=True)
    with pytest.raises(ValueError, match="specific_emissions"):
        is_high_efficiency_chp(0.2, 20, year=2034)
    with pytest.raises(ValueError):
        is_high_efficiency_chp(0.2, -1)


def test_hechp_status_gas(fuels):
    u = CHPBackPressure(name="c", kind="chp_backpressure", fuel="natural_gas", capacity_mw=30,
                        efficiency=0.45, power_to_heat=0.9)
    st = hechp_status(u, fuels, year=2034)
    assert st.hechp and st.co2_limit_applied
    assert st.pes == pytest.approx(0.2089552, abs=1e-6)
    assert st.el_capacity_mw == pytest.approx(27.0)
    # 0.199512 t/MWh fuel / 0.855 -> 233.3 g/kWh < 270
    assert st.specific_emissions_g_per_kwh == pytest.approx(55.42 * 3.6 / 0.855, rel=1e-9)


def test_hechp_status_custom_references(fuels):
    u = CHPBackPressure(name="c", kind="chp_backpressure", fuel="rdf", capacity_mw=67.3,
                        efficiency=67.3 / 135, power_to_heat=47.1 / 67.3)
    st = hechp_status(u, fuels, ref_heat_eff=0.80, ref_el_eff=0.25)  # waste references
    assert st.pes == pytest.approx(1 - 1 / (67.3 / 135 / 0.8 + 47.1 / 135 / 0.25))


def test_chp_heat_share_methods():
    # energy (output) method: H / (H + E)
    assert chp_heat_share(0.45, 0.405, "energy") == pytest.approx(0.45 / 0.855)
    # reference-efficiency method: (0.45/0.9) / (0.45/0.9 + 0.405/0.53) = 0.3955224
    assert chp_heat_share(0.45, 0.405) == pytest.approx(0.3955224, abs=1e-7)
    assert chp_heat_share(0.45, 0.0) == 1.0
    with pytest.raises(ValueError, match="allocation"):
        chp_heat_share(0.45, 0.4, "exergy")
