"""Appraisal of dispatch results against a reference: hand-checked numbers and clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from heatpath.dispatch import run_scenario
from heatpath.economics import FinanceAssumptions, Investment, load_catalogue
from heatpath.economics.appraisal import (
    ComponentInvestment,
    appraise_results,
    investments_between,
    unit_variable_costs,
    variable_cost,
)
from heatpath.model import System
from tests.conftest import TOY, constant

HOURS = 8760
DEMAND_MW = 10.0
GAS_EUR_PER_MWH = 30.0
EL_EUR_PER_MWH = 45.0
BOILER = {"kind": "gas_boiler", "name": "boiler", "fuel": "gas", "capacity_mw": 50.0,
          "efficiency": 0.9}
HP = {"kind": "heat_pump", "name": "hp", "capacity_mw": 4.0, "cop": 3.0,
      "capex_eur_per_mw": 500_000.0, "fixed_om_eur_per_mw_yr": 10_000.0, "lifetime_years": 25}
# no tax, no loan: the cash flow is investment, saving, fixed O&M and residual value only
NO_TAX_NO_LOAN = FinanceAssumptions(cit_rate=0.0, equity_share=1.0)


def tiny(units: list[dict], storages: list[dict] | None = None, year: int = 2025) -> System:
    """10 MW constant demand, no losses, gas 30 EUR/MWh, electricity 45 EUR/MWh, no CO2."""
    return System(
        system={"name": "+".join(u["name"] for u in units), "year": year},
        demand={"heat_mw": constant(DEMAND_MW, year)},
        fuels={"gas": {"emission_factor_t_per_mwh": 0.0}},
        prices={"electricity_eur_per_mwh": EL_EUR_PER_MWH,
                "fuels_eur_per_mwh": {"gas": GAS_EUR_PER_MWH}},
        units=units,
        storages=storages or [],
    )


@pytest.fixture(scope="module")
def tiny_results():
    ref = run_scenario(tiny([BOILER]))
    scen = run_scenario(tiny([BOILER, HP]))
    return scen, ref


# --------------------------------------------------------------------------- hand numbers


def test_opex_saving_is_the_difference_of_hand_computed_dispatch_costs(tiny_results) -> None:
    scen, ref = tiny_results
    boiler_cost = GAS_EUR_PER_MWH / 0.9  # 33.33 EUR per MWh of heat
    hp_cost = EL_EUR_PER_MWH / 3.0       # 15 EUR per MWh of heat: the heat pump runs flat out
    ref_cost = DEMAND_MW * HOURS * boiler_cost                        # 2,920,000 EUR
    scen_cost = (DEMAND_MW - 4.0) * HOURS * boiler_cost + 4.0 * HOURS * hp_cost  # 2,277,600
    assert variable_cost(ref) == pytest.approx(ref_cost, rel=1e-9)
    assert variable_cost(scen) == pytest.approx(scen_cost, rel=1e-9)
    a = appraise_results(scen, ref, assumptions=NO_TAX_NO_LOAN)
    assert a.opex_saving_eur == pytest.approx(642_400.0, rel=1e-9)
    assert a.variable_cost_eur == pytest.approx({"scenario": 2_277_600.0,
                                                 "reference": 2_920_000.0})
    assert unit_variable_costs(scen)["hp"] == pytest.approx(4.0 * HOURS * hp_cost, rel=1e-9)
    # one row per year 2027-2050, every component a column
    assert a.cashflow.index.tolist() == list(range(2027, 2051))
    assert {"investment", "opex_saving", "fixed_om", "residual_value", "cf_project"} <= set(
        a.cashflow.columns)
    assert a.cashflow.loc[2028:, "opex_saving"].eq(a.opex_saving_eur).all()


def test_npv_equals_the_hand_discounted_sum_without_tax_and_loan(tiny_results) -> None:
    scen, ref = tiny_results
    a = appraise_results(scen, ref, assumptions=NO_TAX_NO_LOAN)
    capex, fixed_om, saving = 2_000_000.0, 40_000.0, 642_400.0
    residual = capex * (1 - 23 / 25)  # 23 of 25 years used by 2050
    npv = -capex
    for t in range(1, 24):
        npv += (saving - fixed_om) / 1.10 ** t
    npv += residual / 1.10 ** 23
    assert a.indicators["project"]["npv"] == pytest.approx(npv, rel=1e-9)
    # annuity factor (1 - 1.1^-23) / 0.1 = 8.883218: -2e6 + 602,400 * 8.883218 + 17,869
    assert a.indicators["project"]["npv"] == pytest.approx(3_369_119.0, abs=1.0)
    # equity = project flows (no loan, no tax) discounted at the cost of equity
    eq = -capex + sum((saving - fixed_om) / 1.1124 ** t for t in range(1, 24)) \
        + residual / 1.1124 ** 23
    assert a.indicators["equity"]["npv"] == pytest.approx(eq, rel=1e-9)
    # payback: 2,000,000 / 602,400 = 3.32 years
    assert a.indicators["project"]["simple_payback"] == pytest.approx(capex / 602_400.0)
    irr = a.indicators["project"]["irr"]
    flows = a.cashflow["cf_project"].to_numpy()
    assert abs(np.sum(flows / (1 + irr) ** np.arange(flows.size))) < 1e-3
    assert a.indicators["project"]["funding_gap_eur"] == 0.0
    # LCOH of the heat pump: PV(capex - residual + fixed O&M + electricity) / PV(heat)
    pv = sum(1 / 1.1 ** t for t in range(1, 24))
    lcoh = (capex - residual / 1.1 ** 23 + (fixed_om + 4 * HOURS * 15.0) * pv) / (
        4 * HOURS * pv)
    assert a.indicators["project"]["lcoh"] == pytest.approx(lcoh, rel=1e-9)
    assert a.indicators["equity"]["lcoh"] is None
    assert a.new_heat_mwh == pytest.approx(4 * HOURS)


def test_default_assumptions_and_json(tiny_results) -> None:
    scen, ref = tiny_results
    a = appraise_results(scen, ref)  # paper's base case: loan, CIT
    assert a.assumptions == FinanceAssumptions()
    assert a.cashflow["loan_drawdown"].iloc[0] == pytest.approx(0.75 * 2_000_000.0)
    d = json.loads(a.to_json())
    assert d["indicators"]["project"]["npv"] == pytest.approx(a.indicators["project"]["npv"])
    assert d["indicators"]["project"]["funding_gap"] == d["indicators"]["project"][
        "funding_gap_eur"]
    assert d["investments"][0]["component"] == "hp"
    assert d["investments"][0]["capex_eur"] == 2_000_000.0
    assert d["assumptions"]["discount_rate"] == 0.10
    assert d["opex_saving_eur_per_yr"] == pytest.approx(642_400.0)
    assert d["start_year"] == 2027 and d["end_year"] == 2050


def test_nothing_built_still_appraises(tiny_results) -> None:
    scen, ref = tiny_results
    a = appraise_results(ref, ref, assumptions=NO_TAX_NO_LOAN)
    assert a.investments == [] and a.opex_saving_eur == 0.0
    assert a.indicators["project"]["npv"] == 0.0
    assert a.indicators["project"]["funding_gap_share"] is None


def test_summaries_with_explicit_investments(tiny_results) -> None:
    scen, ref = tiny_results
    s, r = json.loads(json.dumps(scen.summary(), default=float)), ref.summary()
    invs = investments_between(scen.system, ref.system)
    a = appraise_results(s, r, assumptions=NO_TAX_NO_LOAN, investments=invs)
    b = appraise_results(scen, ref, assumptions=NO_TAX_NO_LOAN)
    assert a.indicators["project"]["npv"] == pytest.approx(b.indicators["project"]["npv"])
    assert a.indicators["project"]["lcoh"] is None  # no per-unit costs in the summary
    s["unit_variable_cost_eur"] = unit_variable_costs(scen)
    c = appraise_results(s, r, assumptions=NO_TAX_NO_LOAN, investments=invs)
    assert c.indicators["project"]["lcoh"] == pytest.approx(b.indicators["project"]["lcoh"])


# --------------------------------------------------------------------------- investments


def test_investment_by_name_and_by_capacity_increase() -> None:
    ref = tiny([BOILER | {"capex_eur_per_mw": 100_000.0}])
    scen = tiny([BOILER | {"capacity_mw": 60.0, "capex_eur_per_mw": 100_000.0}, HP])
    invs = investments_between(scen, ref)
    assert [i.name for i in invs] == ["boiler", "hp"]
    boiler, hp = invs
    assert isinstance(boiler, ComponentInvestment)
    assert boiler.size == pytest.approx(10.0) and boiler.capex == pytest.approx(1_000_000.0)
    assert boiler.new_fraction == pytest.approx(10.0 / 60.0)
    assert boiler.year == 2027 and boiler.lifetime_years == 25
    assert hp.size == 4.0 and hp.capex == 2_000_000.0 and hp.fixed_om == 40_000.0
    assert hp.cost_source == "scenario"
    # unchanged or smaller components are not investments; the year is passed through
    assert investments_between(ref, scen, year=2030) == []
    assert [i.year for i in investments_between(scen, ref, year=2030)] == [2030, 2030]


def test_catalogue_costs_in_the_catalogue_unit() -> None:
    cat = load_catalogue()
    ref = tiny([BOILER])
    hp = {"kind": "heat_pump", "name": "ashp", "capacity_mw": 20.0, "cop": 3.0,
          "technology": "ashp"}
    solar = {"kind": "solar_thermal", "name": "solar", "area_m2": 10_000.0, "eta0": 0.8,
             "technology": "solar_dh"}
    pit = {"name": "pit", "kind": "pit", "volume_m3": 100_000.0, "charge_mw": 10.0,
           "discharge_mw": 10.0, "technology": "ptes"}
    scen = tiny([BOILER, hp, solar], storages=[pit])
    invs = {i.name: i for i in investments_between(scen, ref, catalogue=cat, price_year=None)}
    # DEA el & DH sheet '40 Comp. hp, airsource 3 MW', 2020, EUR2015: 951.39 EUR/kW_th
    assert invs["ashp"].capex == pytest.approx(951_390.0 * 20)           # EUR/MW_th
    assert invs["ashp"].fixed_om == pytest.approx(2_000.0 * 20)
    assert invs["ashp"].lifetime_years == 25
    assert invs["ashp"].cost_source == "catalogue:ashp"
    assert invs["solar"].size == pytest.approx(8.0)                        # MW peak
    assert invs["solar"].catalogue_size == pytest.approx(10_000.0)         # m2
    assert invs["solar"].capex == pytest.approx(300.0 * 10_000)
    assert invs["solar"].lifetime_years == 30
    assert invs["pit"].kind == "storage" and invs["pit"].size_unit == "MWh"
    # DEA storage '140 PTES seasonal': 580 EUR2015 per MWh of capacity; 100,000 m3 at 90/60 C
    # = 100,000 x 974.85 kg/m3 x 4193.6 J/(kg K) x 30 K / 3.6e9 = 3,406.84 MWh
    pit_mwh = 100_000.0 * 974.85 * 4193.6 * 30.0 / 3.6e9
    assert invs["pit"].size == pytest.approx(pit_mwh, rel=1e-4)
    assert invs["pit"].catalogue_size == pytest.approx(pit_mwh, rel=1e-4)  # MWh
    assert invs["pit"].catalogue_unit == "EUR/MWh"
    assert invs["pit"].capex == pytest.approx(580.0 * pit_mwh, rel=1e-4)  # ~1.976 MEUR2015
    assert invs["pit"].fixed_om == pytest.approx(0.0052 * 580.0 * pit_mwh, rel=1e-4)
    assert invs["pit"].lifetime_years == 20
    # CEPCI-indexed to 2024 prices by default (held flat after 2023)
    indexed = {i.name: i for i in investments_between(scen, ref, catalogue=cat)}
    # from the row's price year 2015 to 2024 (held flat at 2023): CEPCI 797.9 / 556.8
    assert indexed["ashp"].capex == pytest.approx(951_390.0 * 20 * 797.9 / 556.8)


def test_extendable_size_comes_from_the_dispatch() -> None:
    ref = tiny([BOILER])
    scen = tiny([BOILER, HP | {"extendable": True, "capacity_max_mw": 8.0}])
    invs = investments_between(scen, ref, capacities={"hp": 6.5})
    assert invs[0].size == 6.5 and invs[0].capex == pytest.approx(6.5 * 500_000.0)
    with pytest.raises(ValueError, match="'hp' is extendable.*capacities"):
        investments_between(scen, ref)


# --------------------------------------------------------------------------- errors


def test_unit_without_cost_data_is_a_clear_error() -> None:
    ref = tiny([BOILER])
    bare = {"kind": "heat_pump", "name": "new_hp", "capacity_mw": 4.0, "cop": 3.0}
    with pytest.raises(ValueError, match=r"unit 'new_hp'.*capex_eur_per_mw.*technology"):
        investments_between(tiny([BOILER, bare]), ref)
    with pytest.raises(ValueError, match="technology 'nope' is not in the CAPEX catalogue"):
        investments_between(tiny([BOILER, bare | {"technology": "nope"}]), ref)
    tank = {"name": "tank", "capacity_mwh": 100.0, "charge_mw": 5.0, "discharge_mw": 5.0}
    with pytest.raises(ValueError, match=r"storage 'tank'.*capex_eur_per_mwh"):
        investments_between(tiny([BOILER], storages=[tank]), ref)
    with pytest.raises(ValueError, match="priced in EUR/MWh"):
        investments_between(tiny([BOILER, bare | {"technology": "ptes"}]), ref)
    with pytest.raises(ValueError, match="priced in EUR/MW_th"):
        investments_between(tiny([BOILER], storages=[tank | {"technology": "ashp"}]), ref)


def test_horizon_shorter_than_loan_and_year_mismatch(tiny_results) -> None:
    scen, ref = tiny_results
    inv = [Investment(2045, 1e6)]
    with pytest.raises(ValueError, match="shorter than the 10-year loan"):
        appraise_results(scen.summary(), ref.summary(), investments=inv, start_year=2045)
    other = dict(ref.summary(), year=2030)
    with pytest.raises(ValueError, match="same year"):
        appraise_results(scen.summary(), other, investments=inv)
    with pytest.raises(ValueError, match="pass investments="):
        appraise_results(scen.summary(), ref.summary())


# --------------------------------------------------------------------------- command


def _toy_pair(d: Path) -> tuple[Path, Path]:
    """Toy copies: reference without the heat pump, scenario with it (with CAPEX)."""
    shutil.copy(TOY / "timeseries.csv", d / "timeseries.csv")
    text = (TOY / "toy.toml").read_text()
    base = text[:text.index("[[share_requirements]]")]
    hp = base.index('[[units]]\nname = "air_hp"')
    st = base.index("[[storages]]")
    (d / "reference.toml").write_text(base[:hp] + base[st:])
    (d / "scenario.toml").write_text(base.replace(
        'cop = "hp_cop"', 'cop = "hp_cop"\ncapex_eur_per_mw = 900000.0'))
    return d / "scenario.toml", d / "reference.toml"


def test_appraise_command_writes_and_reuses(tmp_path: Path) -> None:
    from heatpath.cli import app

    scen, ref = _toy_pair(tmp_path)
    out = tmp_path / "out"
    args = ["appraise", str(scen), "--reference", str(ref), "--out", str(out)]
    runner = CliRunner()
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "NPV" in r.output and "air_hp" in r.output
    fin = json.loads((out / "finance.json").read_text())
    assert fin["investments"][0]["capex_eur"] == pytest.approx(18e6)
    assert (out / "scenario" / "finance.json").is_file()
    cf = (out / "cashflow.csv").read_text().splitlines()
    assert cf[0].startswith("year,") and len(cf) == 1 + 24
    s = json.loads((out / "scenario" / "summary.json").read_text())
    assert s["input_hash"].startswith("sha256:")
    # existing outputs need --force; unchanged inputs are reused
    assert runner.invoke(app, args).exit_code == 2
    r2 = runner.invoke(app, [*args, "--force"])
    assert r2.exit_code == 0 and "reusing" in r2.output
    assert json.loads((out / "finance.json").read_text())["indicators"] == fin["indicators"]
    # changed inputs are not silently reused
    scen.write_text(scen.read_text() + "\n# edited\n")
    (out / "finance.json").unlink()
    (out / "cashflow.csv").unlink()
    r3 = runner.invoke(app, args)
    assert r3.exit_code == 2 and "input hash differs" in r3.output
