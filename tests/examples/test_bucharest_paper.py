"""The Bucharest scenarios (examples/bucharest/*.toml) against the reference paper's arithmetic.

Every number is read from the scenario files (``heatpath.model.load_scenario``) or derived from
them with heatpath; the paper's figures (MDPI Energies 19(3), 716, §2 and its lists I.1-II.5) are
the expected values. Where the paper contradicts itself or a heatpath model disagrees, the test
pins the documented difference (examples/bucharest/README.md, "Results").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from heatpath.eed import assess, classify_unit, group_fractions
from heatpath.eed.chp import hechp_status
from heatpath.model import load_scenario
from heatpath.model.errors import InfeasibleError
from heatpath.model.schema import ShareRequirement
from heatpath.physics import storage
from heatpath.physics.profiles import derive

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "examples" / "bucharest"

#: Paper §2: heat into the network after the network restoration, MWh/yr.
PAPER_HEAT_MWH = 3_576_594
#: Paper §2: "5% RES share requires at least 178,830 MWh"; "at least 1,251,808 MWh ... 35%".
PAPER_RES5_MWH = 178_830
PAPER_RES35_MWH = 1_251_808

SCENARIOS = {
    "reference_2028": 2028, "reference_2035": 2035,
    "scenario1_2028": 2028, "scenario2_2028": 2028,
    "scenario1_2035": 2035, "scenario2_2035": 2035,
    "reference_2028_sized": 2028, "scenario1_2035_sized": 2035, "scenario2_2035_sized": 2035,
}
#: Units that are not today's plants (added by the scenarios or the sizing variants).
GAS_UNITS = ("gas_chp_steam_3plants", "gas_chp_steam_other", "gas_boilers_existing",
             "gas_boilers_added")


def load(name: str):
    return load_scenario(HERE / f"{name}.toml")


def heat_into_network_mwh(system) -> float:
    """Sum over the year of demand / (1 - f): the EED denominator without storage losses."""
    f = system.demand.network_loss_fraction
    return float(system.demand.heat_mw.sum()) / (1.0 - f)


# ---- every scenario ----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_loads_and_classifies(name):
    system = derive(load(name))
    assert system.system.year == SCENARIOS[name]
    assert system.eed.article == "26(1)"
    assert system.demand.network_loss_fraction == 0.18
    assert system.dispatch.mode == "lp"
    fr = group_fractions(system)
    assert list(fr.index) == [u.name for u in system.units]
    np.testing.assert_allclose(fr.sum(axis=1), 1.0)
    for u in system.units:
        row = fr.loc[u.name]
        if u.kind == "gas_boiler":
            assert row["fossil"] == 1.0
        elif u.kind in ("chp_backpressure", "ccgt"):
            assert row["hechp"] == 1.0, f"{u.name} should be high-efficiency CHP"
        elif u.kind == "heat_pump":
            group = "waste_heat" if u.source in ("metro", "data_centre") else "renewable"
            assert row[group] == 1.0, f"{u.name}: SPF test failed"
        elif u.kind in ("solar_thermal", "geothermal", "biogas_chp"):
            assert row["renewable"] == 1.0
        elif u.kind == "waste_to_energy":
            assert row["renewable"] == pytest.approx(0.30)
        else:  # pragma: no cover - a new kind needs a rule here
            raise AssertionError(f"unexpected kind {u.kind}")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_heat_into_network_is_the_papers(name):
    assert heat_into_network_mwh(load(name)) == pytest.approx(PAPER_HEAT_MWH, rel=1e-6)


def test_res_thresholds_from_the_reference():
    for name in ("reference_2028", "reference_2035"):
        total = heat_into_network_mwh(load(name))
        assert round(0.05 * total) == PAPER_RES5_MWH
        assert round(0.35 * total) == PAPER_RES35_MWH


@pytest.mark.parametrize("name", ["reference_2028", "reference_2035"])
def test_existing_capacity_exceeds_173_gw_and_covers_the_peak(name):
    system = load(name)
    assert [u.name for u in system.units] == list(GAS_UNITS)
    cap = {u.name: u.capacity_mw for u in system.units}
    existing = sum(v for k, v in cap.items() if k != "gas_boilers_added")
    assert existing >= 1730.0  # paper §2: "exceeding 1.73 GWth"
    peak = float((system.demand.heat_mw / (1 - 0.18)).max())
    assert peak == pytest.approx(1829.0, abs=1e-3)  # paper §2: peak load 1829 MW
    assert existing < peak <= sum(cap.values())  # hence the added boilers
    chp = cap["gas_chp_steam_3plants"] + cap["gas_chp_steam_other"]
    # CHP can supply at most ~76 % (< 80 %): the paper's observed 68-74 % fits; the 2028
    # alternative "80 % HECHP" is out of reach (README)
    into = (system.demand.heat_mw / (1 - 0.18)).to_numpy()
    assert 0.74 < np.minimum(into, chp).sum() / into.sum() < 0.80


def test_reference_2035_keeps_todays_plants():
    a, b = load("reference_2028"), load("reference_2035")
    assert [u.model_dump(exclude={"availability"}) for u in a.units] == \
        [u.model_dump(exclude={"availability"}) for u in b.units]


def test_scenario2_2028_is_scenario1_2028():
    a, b = load("scenario1_2028"), load("scenario2_2028")
    assert [u.model_dump(exclude={"availability"}) for u in a.units] == \
        [u.model_dump(exclude={"availability"}) for u in b.units]
    assert a.system.name != b.system.name


# ---- phase I: solar and air-source heat pumps --------------------------------------------

def test_ashp_arithmetic():
    hp = load("scenario1_2028").unit("ashp_phase1")
    assert hp.capacity_mw == 29.0  # paper I.2
    assert hp.capacity_mw * 5500 == 159_500  # paper I.2: 5500 h -> 159,500 MWh


def test_solar_arithmetic_and_modelled_yield():
    system = derive(load("scenario1_2028"))
    sol = system.unit("solar_rooftops")
    assert sol.area_m2 == 200 * 80 == 16_000  # paper I.1
    # the paper's own figures per m2: 14.1 MW peak -> 0.881 kW/m2; 19,240 MWh -> 1.2 MWh/m2
    assert 14.1e3 / sol.area_m2 == pytest.approx(0.881, abs=1e-3)
    paper_yield = 19_240 / sol.area_m2
    assert paper_yield == pytest.approx(1.2025)
    # our yield: EN ISO 9806 collector model on the irradiance of timeseries_2028.csv, all
    # heat used (the dispatch never curtails it in these scenarios)
    ours_mwh = float((sol.capacity_mw * sol.availability).sum())
    ours = ours_mwh / sol.area_m2
    # Plausible band for flat-plate collectors feeding 80-110 °C / 40-55 °C directly (mean
    # fluid 60-82 °C) in south-east Europe: 0.35-0.90 MWh/m2/yr (README, "What differs"). Our
    # model has no incidence-angle, piping or capacity losses, so it sits at the top.
    assert 0.35 <= ours <= 0.90
    assert paper_yield > 0.90  # the paper's 1.2 MWh/m2 is outside the band
    assert ours_mwh / 19_240 == pytest.approx(0.73, abs=0.02)  # ratio reported in the README
    assert sol.capacity_mw == pytest.approx(12.8)  # 16,000 m2 x eta0 0.8 x 1 kW/m2


def test_phase_one_falls_90_mwh_short_by_the_papers_own_numbers():
    system = load("scenario1_2028")
    hp = system.unit("ashp_phase1").capacity_mw * 5500
    assert 19_240 + hp == 178_740
    assert round(0.05 * heat_into_network_mwh(system)) - (19_240 + hp) == 90


# ---- phase II: waste-to-energy, storage, CCGT --------------------------------------------

def test_wte_arithmetic_and_classification():
    system = load("scenario1_2035")
    wte = system.unit("wte_rdf")
    assert wte.capacity_mw == 67.3  # paper I.3
    assert wte.capacity_mw / wte.efficiency == pytest.approx(135.0, rel=1e-3)  # fuel, MW
    assert wte.capacity_mw * wte.power_to_heat == pytest.approx(47.1, rel=1e-3)  # MWe
    assert wte.annual_fuel_max_mwh == 135 * 8000
    heat = wte.capacity_mw * 8000
    assert heat == pytest.approx(538_542, rel=3e-4)  # paper: 538,542 MWh (67.318 MW x 8000 h)
    # renewable part via the EED classification of the unit as written in the scenario
    c = classify_unit(wte, system.fuels, year=2035)
    assert round(c.fractions["renewable"] * 538_542) == 161_563  # paper I.3
    assert c.category_fractions["X3"] == pytest.approx(0.30)
    # the fossil 70 %: PES 17.5 % but 273 g CO2/kWh > 270 g, the limit for all CHP from 2034
    st = hechp_status(wte, system.fuels, year=2035)
    assert st.pes == pytest.approx(0.175, abs=1e-3)
    assert st.specific_emissions_g_per_kwh == pytest.approx(272.7, abs=0.2)
    assert not st.hechp
    assert c.fractions["cogeneration"] == pytest.approx(0.70)
    # the paper's internal inconsistency: 235 kt x 21.33 MJ/kg vs 135 MW x 8000 h
    mwh_from_mass = 235_000 * 21.33 / 3.6  # t x GJ/t / (GJ/MWh)
    assert mwh_from_mass == pytest.approx(1_392_375)
    assert mwh_from_mass / wte.annual_fuel_max_mwh == pytest.approx(1.289, abs=1e-3)
    implied_lhv = wte.annual_fuel_max_mwh * 3.6 / 235_000
    assert 15.0 <= implied_lhv <= 22.0  # inside the paper's measured 15-22 MJ/kg
    # RDF gate fee: -0.13 EUR/kg at 21.33 MJ/kg
    price = float(system.prices.fuels_eur_per_mwh["rdf"].iloc[0])
    assert price == pytest.approx(-0.13 / (21.33 / 3600), abs=0.01)


@pytest.mark.parametrize(("name", "volume", "pits"), [("scenario1_2035", 1.2e6, 6),
                                                       ("scenario2_2035", 1.5e6, 6)])
def test_ptes_volume_capacity_and_loss(name, volume, pits):
    system = derive(load(name))
    (st,) = system.storages
    assert st.volume_m3 == volume and (st.t_hot_c, st.t_cold_c) == (90.0, 60.0)  # paper II.5
    one = volume / pits
    cap_one = float(storage.storage_capacity_mwh(one, 90.0, 60.0))
    assert st.capacity_mwh == pytest.approx(pits * cap_one, rel=1e-9)
    if volume == 1.2e6:
        assert cap_one == pytest.approx(6813.5, abs=0.1)  # 200,000 m3 at 90/60 °C
    # the given standing loss is that of ONE pit of the series (physics at the mean air temp.)
    t_amb = float(system.weather.outdoor_temperature_c.mean())
    geo = storage.pit_geometry(one)
    loss = float(storage.storage_heat_loss(75.0, t_amb, t_amb, geo.air_area_m2,
                                           geo.ground_area_m2))
    frac = float(storage.standing_loss_fraction_per_hour(loss, cap_one))
    assert st.standing_loss_per_h == pytest.approx(frac, rel=5e-3)


@pytest.mark.parametrize("name", ["scenario1_2035", "scenario2_2035"])
def test_three_ccgts_replace_the_three_steam_chps(name):
    system = load(name)
    ref = load("reference_2035")
    ccgts = [u for u in system.units if u.kind == "ccgt"]
    assert len(ccgts) == 3  # paper §2: three gas CHP plants modernised by 2035
    assert sum(u.capacity_mw for u in ccgts) == ref.unit("gas_chp_steam_3plants").capacity_mw
    for u in ccgts:
        assert (u.capacity_mw, u.el_capacity_mw) == (114.0, 150.0)  # EL-TO Zagreb (reported)
        total = (1 + u.power_to_heat) * u.el_efficiency / (u.power_to_heat + u.power_loss)
        assert total == pytest.approx(0.89, abs=0.005)  # reported ~89.5 % net
        assert u.power_to_heat * u.capacity_mw + u.power_loss * u.capacity_mw <= u.el_capacity_mw
        st = hechp_status(u, system.fuels, year=2035)
        assert st.hechp and st.pes > 0.25 and st.specific_emissions_g_per_kwh < 270
    assert "gas_chp_steam_3plants" not in [u.name for u in system.units]


def test_existing_steam_chp_is_high_efficiency_by_a_small_margin():
    system = load("reference_2028")
    st = hechp_status(system.unit("gas_chp_steam_other"), system.fuels, year=2035)
    assert st.pes == pytest.approx(0.120, abs=1e-3) and st.hechp
    assert st.specific_emissions_g_per_kwh == pytest.approx(237.2, abs=0.1)


def test_scenario2_needs_the_water_source_heat_pumps():
    """Without the lake, sewage, geothermal and biogas units the renewable + waste heat
    potential of Scenario 2 is 13 % of the heat into the network (README)."""
    system = derive(load("scenario2_2035"))
    only = ("solar_rooftops", "ashp_phase1", "solar_phase2", "ashp_phase2", "metro_hp",
            "data_centre_hp")
    potential = sum(float((system.unit(n).capacity_mw * system.unit(n).availability).sum())
                    for n in only)
    assert potential / heat_into_network_mwh(system) == pytest.approx(0.132, abs=0.001)


# ---- dispatch: the reference is not efficient from 2028 -----------------------------------

@pytest.mark.slow
def test_reference_2028_is_not_efficient_closest_miss_renewable():
    from heatpath.dispatch import run_scenario

    system = load("reference_2028")
    # as written ([eed] article = "26(1)"): no Art. 26(1) alternative can be met
    with pytest.raises(InfeasibleError) as exc:
        run_scenario(system)
    assert "2028.res5_combined50" in str(exc.value) and "renewable" in str(exc.value)

    # cost-optimal dispatch, then assessed
    system = load("reference_2028")
    system.eed.article = "none"
    res = run_scenario(system)
    a = assess(2028, res.group_heat_mwh.to_dict())
    assert not a.efficient
    assert a.shares["renewable"] == 0.0
    miss = a.closest_miss
    assert miss.alternative_id == "2028.res5_combined50"
    assert miss.target_group == "renewable"
    assert miss.mwh >= PAPER_RES5_MWH  # more when CHP < 45 % (README: 265,989 MWh)
    twin = load("reference_2028")
    twin.eed.article = "none"
    assert run_scenario(twin).heat.equals(res.heat)  # deterministic

    # with the CHP share observed today (~70 % of heat into the network: 74-80 % of the 92 %
    # purchased, paper §2) the gap is exactly the paper's 5 % = 178,830 MWh of renewable heat
    system = load("reference_2028")
    system.eed.article = "none"
    system.share_requirements = [ShareRequirement(name="observed_chp", groups=["hechp"],
                                                  min_share=0.70)]
    res = run_scenario(system)
    miss = assess(2028, res.group_heat_mwh.to_dict()).closest_miss
    assert miss.alternative_id == "2028.res5_combined50" and miss.target_group == "renewable"
    assert miss.mwh == pytest.approx(PAPER_RES5_MWH, abs=1.0)
