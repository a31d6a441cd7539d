"""Classification of units into the counting groups (Rec. (EU) 2024/2395 Tables A-1/A-2)."""

from __future__ import annotations

import pandas as pd
import pytest

from heatpath.eed import (
    GROUPS,
    category_heat,
    classify_unit,
    estimate_spf,
    group_fractions,
    group_heat,
    heat_pump_counts_as_renewable,
    spf_threshold,
    table_a2,
)
from heatpath.model.schema import (
    CHPBackPressure,
    ElectricBoiler,
    FuelBoiler,
    HeatPump,
    SolarThermal,
    WasteHeat,
)

THR = 1.15 / 0.455  # 2.52747...


def hp(source="air", **kw):
    kw.setdefault("cop", 3.0)
    return HeatPump(name="hp", kind="heat_pump", source=source, capacity_mw=5, **kw)


def chp(fuel, **kw):
    base = {"capacity_mw": 30, "efficiency": 0.45, "power_to_heat": 0.9}
    base.update(kw)
    return CHPBackPressure(name="chp", kind=base.pop("kind", "chp_backpressure"), fuel=fuel,
                           **base)


def boiler(kind, fuel, **kw):
    return FuelBoiler(name="b", kind=kind, fuel=fuel, capacity_mw=10, efficiency=0.9, **kw)


def test_groups_reuse_schema():
    from heatpath.model.schema import EED_GROUPS

    assert GROUPS == EED_GROUPS


# --- Bucharest waste-to-energy (paper sect. 3): 30 % biogenic RDF -----------------------

def test_bucharest_wte_chp(fuels):
    wte = chp("rdf", capacity_mw=67.3, efficiency=67.3 / 135, power_to_heat=47.1 / 67.3)
    c = classify_unit(wte, fuels)
    assert 538_542 * c.fractions["renewable"] == pytest.approx(161_563, abs=1)
    assert c.fractions["waste_heat"] == 0.0  # WtE heat is a main product, not waste heat
    assert c.fractions["hechp"] == pytest.approx(0.7)  # fossil part, PES ~ 17.5 % >= 10 %
    assert c.category == "Z2"
    assert c.category_fractions == pytest.approx({"X3": 0.3, "Z2": 0.7})
    assert "main product" in c.reason and "Table A-2" in c.reason


def test_wte_chp_not_high_efficiency_goes_to_cogeneration(fuels):
    c = classify_unit(chp("rdf", hechp=False), fuels)
    assert c.fractions == pytest.approx({"renewable": 0.3, "waste_heat": 0.0, "hechp": 0.0,
                                         "cogeneration": 0.7, "fossil": 0.0})
    assert c.category == "W.CHP"


def test_wte_boiler_fossil_part_is_fossil(fuels):
    c = classify_unit(boiler("boiler", "rdf"), fuels)
    assert c.fractions["renewable"] == pytest.approx(0.3)
    assert c.fractions["fossil"] == pytest.approx(0.7)
    assert c.category_fractions == pytest.approx({"X2": 0.3, "W": 0.7})


# --- heat pump rule (recital 107 EED, RED Annex VII) ------------------------------------

def test_spf_threshold_value():
    assert spf_threshold() == pytest.approx(2.5274725274725274)
    assert spf_threshold(0.5) == pytest.approx(2.3)


@pytest.mark.parametrize(("spf", "counts"), [
    (THR + 1e-9, True), (2.528, True), (3.0, True),
    (THR, False), (2.527, False), (1.0, False),
])
def test_heat_pump_counts_as_renewable(spf, counts):
    assert heat_pump_counts_as_renewable(spf) is counts


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "3", True])
def test_heat_pump_bad_spf(bad):
    with pytest.raises(ValueError):
        heat_pump_counts_as_renewable(bad)


@pytest.mark.parametrize("bad_eta", [0, 1.5, -0.1])
def test_heat_pump_bad_eta(bad_eta):
    with pytest.raises(ValueError, match="eta"):
        heat_pump_counts_as_renewable(3.0, bad_eta)


@pytest.mark.parametrize(("spf", "group", "cat"), [
    (2.528, "renewable", "X10"),
    (2.527, "fossil", "W"),
])
def test_air_heat_pump_both_sides(spf, group, cat):
    c = classify_unit(hp(spf=spf))
    assert c.fractions[group] == 1.0
    assert c.category == cat
    assert "Annex VII" in c.reason


def test_heat_pump_eta_parameter():
    # SPF 2.4: fails with eta 0.455 (2.527) but passes with eta 0.5 (2.3)
    assert classify_unit(hp(spf=2.4)).fractions["fossil"] == 1.0
    assert classify_unit(hp(spf=2.4), eta=0.5).fractions["renewable"] == 1.0


@pytest.mark.parametrize(("source", "group", "cat"), [
    ("air", "renewable", "X10"), ("lake", "renewable", "X10"), ("river", "renewable", "X10"),
    # Table A-1 row X10: "Ambient heat (e.g., air, rivers, lakes, sea and sewage water)"
    ("sewage", "renewable", "X10"), ("other", "renewable", "X10"),
    ("geothermal_shallow", "renewable", "X11"),
    # Table A-1 row Y2: "data centres and urban heat sources like ... metro"
    ("data_centre", "waste_heat", "Y2"), ("metro", "waste_heat", "Y2"),
    ("industrial_waste_heat", "waste_heat", "Y2"),
])
def test_heat_pump_sources(source, group, cat):
    c = classify_unit(hp(source, spf=3.5))
    assert c.fractions[group] == 1.0 and c.category == cat


def test_waste_heat_pump_failing_spf_counts_nothing():
    c = classify_unit(hp("data_centre", spf=2.0))
    assert c.fractions["fossil"] == 1.0 and c.category == "W"


def test_spf_estimated_from_cop_series():
    idx = pd.date_range("2030-01-01", periods=4, freq="h")
    u = hp(cop=pd.Series([2.0, 2.0, 3.0, 3.2], index=idx))  # mean 2.55 > 2.527
    assert estimate_spf(u)[0] == pytest.approx(2.55)
    assert classify_unit(u).fractions["renewable"] == 1.0
    u2 = hp(cop=pd.Series([2.0, 2.0, 3.0, 3.0], index=idx))  # mean 2.5
    assert classify_unit(u2).fractions["fossil"] == 1.0
    # an explicit spf wins over the COP series
    assert classify_unit(hp(cop=pd.Series([2.0] * 4, index=idx), spf=3.0)).fractions[
        "renewable"] == 1.0


def test_spf_unloaded_cop_reference_is_clear_error():
    with pytest.raises(ValueError, match="load_scenario"):
        classify_unit(hp(cop="hp_cop"))


def test_spf_nan_series_error():
    with pytest.raises(ValueError, match="NaN"):
        classify_unit(hp(cop=pd.Series([3.0, float("nan")])))


# --- fuels, co-firing ---------------------------------------------------------------------

def test_gas_boiler_fossil(fuels):
    c = classify_unit(boiler("gas_boiler", "natural_gas"), fuels)
    assert c.fractions["fossil"] == 1.0 and c.category == "W"


def test_biomass_boiler_renewable(fuels):
    c = classify_unit(boiler("biomass_boiler", "wood"), fuels)
    assert c.fractions["renewable"] == 1.0 and c.category == "X2"


def test_biomass_boiler_with_undeclared_biogenic_fraction_is_an_error(fuels):
    with pytest.raises(ValueError, match="biogenic_fraction"):
        classify_unit(boiler("biomass_boiler", "wood_undeclared"), fuels)


def test_cofiring_gas_boiler_by_energy_share(fuels):
    c = classify_unit(boiler("gas_boiler", "gas_biomethane_20"), fuels)
    assert c.fractions["renewable"] == pytest.approx(0.2)
    assert c.fractions["fossil"] == pytest.approx(0.8)
    assert c.category_fractions == pytest.approx({"X4": 0.2, "W": 0.8})
    assert c.category == "W"


def test_cofiring_hechp_gas_engine(fuels):
    u = chp("gas_biomethane_20", kind="gas_engine", efficiency=0.42, power_to_heat=1.0)
    c = classify_unit(u, fuels)
    assert c.fractions["renewable"] == pytest.approx(0.2)
    assert c.fractions["hechp"] == pytest.approx(0.8)
    assert c.category == "Z2" and "X5" in c.category_fractions


def test_biomass_chp_all_renewable_even_if_not_hechp(fuels):
    c = classify_unit(chp("wood", hechp=False), fuels)
    assert c.fractions["renewable"] == 1.0 and c.category == "X3"


def test_missing_fuel(fuels):
    with pytest.raises(ValueError, match="missing"):
        classify_unit(boiler("gas_boiler", "coal"), fuels)


# --- CHP high-efficiency from PES ---------------------------------------------------------

def test_gas_chp_hechp_from_pes(fuels):
    # heat 0.45, el 0.405: PES = 1 - 1/(0.45/0.90 + 0.405/0.53) = 20.9 % >= 10 %
    c = classify_unit(chp("natural_gas"), fuels)
    assert c.fractions["hechp"] == 1.0 and c.category == "Z1"
    assert "PES = 20.9%" in c.reason


def test_poor_chp_is_other_cogeneration(fuels):
    # heat 0.40, el 0.10: PES = 1 - 1/(0.444 + 0.189) < 0
    c = classify_unit(chp("natural_gas", efficiency=0.40, power_to_heat=0.25), fuels)
    assert c.fractions["cogeneration"] == 1.0 and c.category == "W.CHP"


def test_hechp_override_wins(fuels):
    c = classify_unit(chp("natural_gas", efficiency=0.40, power_to_heat=0.25, hechp=True),
                      fuels)
    assert c.fractions["hechp"] == 1.0 and "hechp=True" in c.reason


def test_chp_270g_limit_from_2034(fuels):
    # a coal-like fuel: 0.34 t/MWh / 0.85 = 400 g/kWh of combined output
    fuels = dict(fuels)
    from heatpath.model.schema import Fuel

    fuels["coal"] = Fuel(emission_factor_t_per_mwh=0.34)
    u = chp("coal", efficiency=0.45, power_to_heat=0.9)
    assert classify_unit(u, fuels, year=2033).fractions["hechp"] == 1.0
    assert classify_unit(u, fuels, year=2034).fractions["cogeneration"] == 1.0
    assert classify_unit(u, fuels, year=2026, new_or_refurbished=True).fractions[
        "cogeneration"] == 1.0


# --- other kinds --------------------------------------------------------------------------

def test_electric_boiler_by_renewable_electricity_share():
    u = ElectricBoiler(name="eb", kind="electric_boiler", capacity_mw=5,
                       renewable_electricity_share=0.6)
    c = classify_unit(u)
    assert c.fractions["renewable"] == pytest.approx(0.6)
    assert c.fractions["fossil"] == pytest.approx(0.4)
    assert c.category == "X8"
    u0 = ElectricBoiler(name="eb", kind="electric_boiler", capacity_mw=5)
    assert classify_unit(u0).fractions["fossil"] == 1.0


def test_solar_geothermal_waste_heat():
    assert classify_unit(SolarThermal(name="s", kind="solar_thermal", capacity_mw=1)).category \
        == "X9"
    g = classify_unit(WasteHeat(name="g", kind="geothermal", capacity_mw=1))
    assert g.category == "X1" and g.fractions["renewable"] == 1.0
    w = classify_unit(WasteHeat(name="w", kind="waste_heat", capacity_mw=1))
    assert w.category == "Y1" and w.fractions["waste_heat"] == 1.0


# --- overrides ----------------------------------------------------------------------------

def test_eed_group_override_wins(fuels):
    u = boiler("gas_boiler", "natural_gas", eed_group="waste_heat")
    c = classify_unit(u, fuels)
    assert c.fractions["waste_heat"] == 1.0 and c.category == "Y1"
    assert "override" in c.reason


def test_eed_group_override_skips_other_checks():
    # an unloaded COP would fail the SPF estimate; the override makes it irrelevant
    c = classify_unit(hp(cop="col", eed_group="renewable"))
    assert c.fractions["renewable"] == 1.0 and c.category == "X10"


def test_eed_category_override():
    c = classify_unit(hp(spf=2.0, eed_category="Y2"))
    assert c.fractions["waste_heat"] == 1.0 and c.category == "Y2"


def test_eed_category_w_on_chp_is_cogeneration(fuels):
    c = classify_unit(chp("natural_gas", eed_category="W"), fuels)
    assert c.fractions["cogeneration"] == 1.0 and c.category == "W.CHP"
    c2 = classify_unit(chp("natural_gas", eed_category="W", eed_group="fossil"), fuels)
    assert c2.fractions["fossil"] == 1.0 and c2.category == "W"


def test_contradictory_override(fuels):
    with pytest.raises(ValueError, match="counts as 'renewable'"):
        classify_unit(boiler("gas_boiler", "natural_gas", eed_category="X4",
                             eed_group="hechp"), fuels)


def test_unknown_category_override(fuels):
    with pytest.raises(ValueError, match="unknown Table A-1 category"):
        classify_unit(boiler("gas_boiler", "natural_gas", eed_category="X99"), fuels)


# --- system-level -------------------------------------------------------------------------

def test_group_fractions(system):
    df = group_fractions(system)
    assert list(df.index) == [u.name for u in system.units]
    assert list(df.columns) == list(GROUPS)
    assert (df.sum(axis=1) - 1).abs().max() < 1e-12
    assert df.loc["gas_boiler", "fossil"] == 1.0
    assert df.loc["gas_chp", "hechp"] == 1.0
    assert df.loc["wte", "renewable"] == pytest.approx(0.3)
    assert df.loc["air_hp", "renewable"] == 1.0  # mean COP 3.2
    assert df.loc["solar", "renewable"] == 1.0
    assert df.loc["dc_hp", "waste_heat"] == 1.0
    assert df.loc["e_boiler", "renewable"] == pytest.approx(0.25)
    assert df.loc["industry", "waste_heat"] == 1.0


def test_group_and_category_heat_and_table_a2(system):
    heat = {"gas_boiler": 100.0, "wte": 1000.0, "air_hp": 50.0, "dc_hp": 10.0}
    g = group_heat(system, heat)
    assert g["renewable"] == pytest.approx(300 + 50)
    assert g["hechp"] == pytest.approx(700)
    assert g["waste_heat"] == pytest.approx(10)
    assert g["fossil"] == pytest.approx(100)
    cat = category_heat(system, heat)
    assert cat["X3"] == pytest.approx(300) and cat["Z2"] == pytest.approx(700)
    t = table_a2(cat)
    assert t.loc["T", "heat_mwh"] == pytest.approx(1160)
    assert t.loc["%RES", "share"] == pytest.approx(350 / 1160)
    assert t.loc["%HECHP", "share"] == pytest.approx(700 / 1160)
    assert t.loc["%WHR", "share"] == pytest.approx(10 / 1160)
    assert t.loc["X3", "indicator"] == "RES3"


def test_group_heat_validation(system):
    with pytest.raises(ValueError, match="unknown unit"):
        group_heat(system, {"nope": 1.0})
    with pytest.raises(ValueError, match=">= 0"):
        group_heat(system, {"wte": -1.0})
