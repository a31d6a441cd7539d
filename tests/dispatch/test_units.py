"""Every unit kind: operating regions, must-run, fuel caps, windows, sizing, MILP."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatpath.dispatch import solve
from heatpath.dispatch.build import capital_recovery_factor
from tests.conftest import constant, hours
from tests.dispatch.helpers import fractions, system

BOILER = {"kind": "gas_boiler", "name": "boiler", "fuel": "gas", "capacity_mw": 50.0,
          "efficiency": 0.9}


def _balance_ok(r) -> None:
    inflow = r.heat.sum(axis=1) + r.discharge.sum(axis=1) - r.charge.sum(axis=1)
    assert np.max(np.abs(inflow - (r.demand + r.losses))) < 1e-6


def test_extraction_chp_operating_region_and_fuel() -> None:
    """CCGT: cb = 1.0, cv = 0.15, eta_el = 0.5, P_max = 40 MW. With a high power price it runs
    at the condensing line: p + 0.15 h = 40 and p >= h. Demand 10 MW -> h = 10 (cheaper than
    the boiler at 30/0.9), p = 38.5, fuel = (38.5 + 1.5)/0.5 = 80 MWh/h."""
    ccgt = {"kind": "ccgt", "name": "ccgt", "fuel": "gas", "capacity_mw": 30.0,
            "el_efficiency": 0.5, "el_capacity_mw": 40.0, "power_to_heat": 1.0,
            "power_loss": 0.15}
    s = system([BOILER, ccgt], demand=constant(10.0), el_price=200.0, gas=30.0)
    r = solve(s, fractions=fractions({"boiler": "fossil", "ccgt": "hechp"}))
    _balance_ok(r)
    assert r.heat["ccgt"].mean() == pytest.approx(10.0)
    assert r.el_out["ccgt"].mean() == pytest.approx(38.5)
    assert r.fuel["ccgt"].mean() == pytest.approx(80.0)
    # objective: fuel 80 x 30 = 2400 EUR/h minus 38.5 MWh x 200 = 7700 EUR/h
    assert r.objective_eur == pytest.approx(8760 * (80 * 30 - 38.5 * 200), rel=1e-9)


def test_extraction_chp_back_pressure_line_binds_when_power_is_cheap() -> None:
    """Power worth 0: the CCGT makes only the minimum power p = cb h (back-pressure line)."""
    ccgt = {"kind": "ccgt", "name": "ccgt", "fuel": "gas", "capacity_mw": 30.0,
            "el_efficiency": 0.5, "el_capacity_mw": 40.0, "power_to_heat": 0.5,
            "power_loss": 0.15}
    s = system([BOILER, ccgt], demand=constant(10.0), el_price=0.0, gas=1.0)
    r = solve(s, fractions=fractions({"boiler": "fossil", "ccgt": "hechp"}))
    h = r.heat["ccgt"].mean()
    assert r.el_out["ccgt"].mean() == pytest.approx(0.5 * h)


def test_must_run_with_annual_fuel_cap() -> None:
    """WtE must run at >= 50 % load, but has fuel for only 60,000 MWh a year."""
    wte = {"kind": "waste_to_energy", "name": "wte", "fuel": "gas", "capacity_mw": 10.0,
           "efficiency": 0.5, "power_to_heat": 0.3, "must_run": True, "min_load": 0.5,
           "annual_fuel_max_mwh": 100_000.0}
    s = system([BOILER, wte], demand=constant(20.0), gas=-20.0, el_price=0.0)
    r = solve(s, fractions=fractions({"boiler": "fossil", "wte": "renewable"}))
    _balance_ok(r)
    assert r.heat["wte"].min() >= 5.0 - 1e-6          # must-run at min load
    assert r.fuel["wte"].sum() == pytest.approx(100_000.0, rel=1e-6)  # cap binds (gate fee)


def test_operating_window_months() -> None:
    hp = {"kind": "heat_pump", "name": "hp", "capacity_mw": 5.0, "cop": 4.0,
          "operating_months": [6, 7, 8]}
    s = system([BOILER, hp], demand=constant(10.0), el_price=10.0)
    r = solve(s, fractions=fractions({"boiler": "fossil", "hp": "renewable"}))
    months = r.heat.index.month
    assert r.heat["hp"][~np.isin(months, [6, 7, 8])].max() == 0.0
    assert r.heat["hp"][np.isin(months, [6, 7, 8])].min() == pytest.approx(5.0)


def test_extendable_unit_sized_by_hand_calculation() -> None:
    """Boiler heat 30/0.9 = 33.33 EUR/MWh; HP heat 60/3 = 20 EUR/MWh plus annuity.

    Every MW of HP saves 8760 x 13.33 = 116,800 EUR/yr: with an annuity below that the HP is
    built to cover the whole (constant) demand of 10 MW, above it not at all.
    """
    crf = capital_recovery_factor(0.10, 20)
    for capex, expected in ((800_000.0, 10.0), (1_200_000.0, 0.0)):
        assert (crf * capex < 8760 * (30 / 0.9 - 20)) == (expected > 0)
        hp = {"kind": "heat_pump", "name": "hp", "capacity_mw": 0.0, "cop": 3.0,
              "extendable": True, "capacity_max_mw": 50.0, "capex_eur_per_mw": capex,
              "lifetime_years": 20}
        s = system([BOILER, hp], demand=constant(10.0), el_price=60.0)
        r = solve(s, fractions=fractions({"boiler": "fossil", "hp": "renewable"}))
        assert r.capacities["hp"] == pytest.approx(expected, abs=1e-6)
        assert r.costs_eur["investment_annualised"] == pytest.approx(crf * capex * expected,
                                                                      rel=1e-6)


def test_extendable_storage_sized_for_a_share_target() -> None:
    """Solar only from 8:00 to 16:00; a 50 % renewable target needs storage to shift it.

    Storage is dear (200,000 EUR/MWh: annuity 21,216 EUR/MWh/yr at 10 %, 30 years, more than
    the 365 x 33.3 = 12,167 EUR/yr one MWh of daily cycling saves), so the optimiser builds
    only the storage the target needs.
    """
    idx = hours()
    avail = pd.Series(((idx.hour >= 8) & (idx.hour < 16)).astype(float), index=idx)
    sol = {"kind": "solar_thermal", "name": "sol", "capacity_mw": 30.0, "availability": avail}
    st = {"name": "tank", "capacity_mwh": 100.0, "charge_mw": 50.0, "discharge_mw": 50.0,
          "extendable": True, "capex_eur_per_mwh": 200_000.0, "capacity_max_mwh": 10_000.0}
    req = [{"groups": ["renewable"], "min_share": 0.5}]
    s = system([BOILER, sol], demand=constant(10.0), storages=[st], requirements=req)
    r = solve(s, fractions=fractions({"boiler": "fossil", "sol": "renewable"}))
    _balance_ok(r)
    assert r.shares["renewable"] == pytest.approx(0.5, abs=1e-6)
    # 8 sun hours at 10 MW of direct use = 1/3 of demand; the rest (50 % - 33.3 %) x 10 MW x
    # 24 h = 40 MWh per day must be stored and released at night
    assert r.capacities["tank"] == pytest.approx(40.0, rel=1e-3)


def test_milp_never_cheaper_than_lp_and_respects_min_load() -> None:
    rng = np.random.default_rng(1)
    d = pd.Series(5 + 30 * rng.random(8760), index=hours())
    chp = {"kind": "chp_backpressure", "name": "chp", "fuel": "gas", "capacity_mw": 30.0,
           "efficiency": 0.45, "power_to_heat": 0.9, "min_load": 0.6, "start_cost_eur": 500.0,
           "min_up_h": 4, "min_down_h": 3}
    price = pd.Series(40 + 80 * rng.random(8760), index=hours())
    lp = system([BOILER, chp], demand=d, el_price=price, gas=35.0)
    fr = fractions({"boiler": "fossil", "chp": "hechp"})
    r_lp = solve(lp, fractions=fr)
    milp = system([BOILER, chp], demand=d, el_price=price, gas=35.0)
    milp.dispatch.mode = "milp"
    milp.dispatch.time_limit_s = 120
    r_milp = solve(milp, fractions=fr)
    _balance_ok(r_milp)
    # the MILP optimum can never beat its LP relaxation; here min load and start costs bite
    assert r_milp.objective_eur >= r_lp.objective_eur - 1e-9 * abs(r_lp.objective_eur)
    assert r_milp.objective_eur > r_lp.objective_eur + 1000.0
    h = r_milp.heat["chp"].to_numpy()
    running = h > 1e-6
    assert np.all(h[running] >= 0.6 * 30.0 - 1e-6)
    # minimum up time: every run lasts at least 4 hours (cyclic year)
    starts = np.flatnonzero(running & ~np.roll(running, 1))
    for s0 in starts:
        assert running[(s0 + np.arange(4)) % len(h)].all()


def test_energy_conservation_across_every_unit_kind() -> None:
    idx = hours()
    sol_av = pd.Series(np.clip(np.sin((idx.hour - 6) / 12 * np.pi), 0, None), index=idx)
    units = [
        BOILER,
        {"kind": "biomass_boiler", "name": "bio", "fuel": "gas", "capacity_mw": 5.0,
         "efficiency": 0.85},
        {"kind": "electric_boiler", "name": "eb", "capacity_mw": 5.0},
        {"kind": "chp_backpressure", "name": "bp", "fuel": "gas", "capacity_mw": 5.0,
         "efficiency": 0.45, "power_to_heat": 0.9},
        {"kind": "ccgt", "name": "cc", "fuel": "gas", "capacity_mw": 5.0, "el_efficiency": 0.5,
         "el_capacity_mw": 10.0, "power_to_heat": 1.0},
        {"kind": "heat_pump", "name": "hp", "capacity_mw": 5.0, "cop": 3.0},
        {"kind": "solar_thermal", "name": "sol", "capacity_mw": 5.0, "availability": sol_av},
        {"kind": "waste_heat", "name": "wh", "capacity_mw": 2.0, "must_take": True},
        {"kind": "geothermal", "name": "geo", "capacity_mw": 2.0, "electricity_per_heat": 0.05},
    ]
    price = pd.Series(40 + 80 * (idx.hour >= 17), index=idx, dtype=float)
    s = system(units, demand=constant(25.0), el_price=price, fee=10.0, loss_fraction=0.1,
               storages=[{"name": "st", "capacity_mwh": 50, "charge_mw": 10,
                          "discharge_mw": 10, "standing_loss_per_h": 0.01}])
    groups = {u["name"]: "fossil" for u in units}
    r = solve(s, fractions=fractions(groups))
    _balance_ok(r)
    assert r.heat["wh"].min() == pytest.approx(2.0)
    # electricity balance closes every hour
    net = r.el_in.sum(axis=1) - r.el_out.sum(axis=1)
    assert np.allclose(r.el_buy - r.el_sell, net, atol=1e-6)
    # fuel of each fuel unit = heat / efficiency
    assert np.allclose(r.fuel["bio"], r.heat["bio"] / 0.85)
    assert np.allclose(r.fuel["bp"], r.heat["bp"] / 0.45)
    assert r.heat["sol"].le(5.0 * sol_av + 1e-9).all()


@pytest.mark.parametrize("min_down_h", [1, 3])
def test_start_and_stop_bounds_equal_full_commitment_formulation(min_down_h: int) -> None:
    """``start >= on - on_prev`` (and ``stop`` only with a minimum down time) instead of the
    equality ``on - on_prev = start - stop``. Hand check: demand 20 MW from 6 to 22 h, 5 MW at
    night. The CHP is cheaper than the boiler but cannot run at night (5 MW < its 15 MW
    minimum), so it starts exactly once a day: the MILP costs the LP with the CHP available
    by day only plus 365 starts. Adding the full formulation (stop for every hour and the
    equality) to the built model leaves the optimum unchanged."""
    from heatpath.dispatch.build import build
    from heatpath.dispatch.solve import extract, prepare, run_model

    idx = hours()
    day = (idx.hour >= 6) & (idx.hour < 22)
    d = pd.Series(np.where(day, 20.0, 5.0), index=idx)
    chp = {"kind": "chp_backpressure", "name": "chp", "fuel": "gas", "capacity_mw": 30.0,
           "efficiency": 0.45, "power_to_heat": 0.9, "min_load": 0.5, "start_cost_eur": 100.0,
           "min_down_h": min_down_h}
    fr = fractions({"boiler": "fossil", "chp": "hechp"})
    milp = system([BOILER, chp], demand=d, el_price=150.0, gas=30.0)
    milp.dispatch.mode = "milp"
    milp.dispatch.mip_rel_gap = 0.0
    r = solve(milp, fractions=fr)
    _balance_ok(r)
    assert np.allclose(r.heat["chp"].to_numpy(), np.where(day, 20.0, 0.0), atol=1e-6)
    assert r.costs_eur["start"] == pytest.approx(365 * 100.0)
    by_day = {k: v for k, v in chp.items() if k not in ("min_load", "start_cost_eur",
                                                        "min_down_h")}
    by_day["availability"] = pd.Series(day.astype(float), index=idx)
    r_lp = solve(system([BOILER, by_day], demand=d, el_price=150.0, gas=30.0), fractions=fr)
    assert r.objective_eur == pytest.approx(r_lp.objective_eur + 365 * 100.0, rel=1e-9)

    prepared = prepare(milp)
    dm = build(prepared, fr)
    m = dm.model
    assert ("stop" in m.variables) == (min_down_h > 1)
    on, start = m.variables["on"], m.variables["start"]
    full_stop = m.add_variables(lower=0, upper=1, coords=on.labels.coords, name="full_stop")
    m.add_constraints(on - on.roll(snapshot=1) - start + full_stop == 0, name="on_switch")
    status, _ = run_model(dm)
    assert status == "ok"
    assert extract(dm, status).objective_eur == pytest.approx(r.objective_eur, rel=1e-9)
