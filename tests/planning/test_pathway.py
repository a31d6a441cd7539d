"""Investment pathways (heatpath.planning.pathway): hand-checkable optima on small systems.

Base system: flat demand of 100 MW for a year (876,000 MWh), no network losses, an existing
gas boiler (gas 30 EUR/MWh, efficiency 0.9: 33.3 EUR/MWh of heat) and a candidate air heat
pump (COP 3 at 150 EUR/MWh of electricity: 50 EUR/MWh of heat), so heat pumps are built only
when the EED criteria force them. Art. 26(1) with a gas boiler and a heat pump only:
2035-2039 needs 50 % renewable heat (the 80 % + 35 % alternative would need 80 %), 2040-2044
needs 75 %. With flat demand and COP every typical day is exact.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from heatpath.cli import app
from heatpath.model import ScenarioError, System
from heatpath.planning.pathway import plan
from heatpath.planning.pathway_model import activity, discount_factors
from heatpath.planning.pathway_spec import parse_spec
from heatpath.planning.typical import cluster_days
from tests.conftest import TOY, hours

DEMAND = 100.0
BOILER = {"kind": "gas_boiler", "name": "boiler", "fuel": "gas", "capacity_mw": 200.0,
          "efficiency": 0.9}


def hp(name: str = "hp", capex: float = 1.0e6, **kw: object) -> dict:
    return {"kind": "heat_pump", "name": name, "capacity_mw": 1.0, "cop": 3.0, "source": "air",
            "extendable": True, "capex_eur_per_mw": capex, "lifetime_years": 30.0, **kw}


def system(units: list[dict], storages: list[dict] | None = None, *, ef: float = 0.0,
           rate: float = 0.0) -> System:
    idx = hours(2025)
    return System(
        system={"name": "t", "year": 2025},
        demand={"heat_mw": pd.Series(DEMAND, index=idx)},
        fuels={"gas": {"emission_factor_t_per_mwh": ef}},
        prices={"electricity_eur_per_mwh": 150.0, "fuels_eur_per_mwh": {"gas": 30.0}},
        units=units, storages=storages or [], dispatch={"discount_rate": rate})


def builds(p) -> dict[tuple[str, int], float]:
    b = p.build_plan()
    return {(r.candidate, int(r.year)): float(r.capacity) for r in b.itertuples()}


@pytest.fixture(scope="module")
def two_periods():
    """50 MW in 2035 (50 % renewable), +25 MW in 2040 (75 %); r = 0, 2035-2044."""
    return plan(system([BOILER, hp()]), periods=(2035, 2040), typical_days=2)


def test_share_target_forces_exact_capacity_and_build_year(two_periods) -> None:
    p = two_periods
    assert p.ok and p.feasible
    assert builds(p) == pytest.approx({("hp", 2035): 50.0, ("hp", 2040): 25.0}, abs=1e-4)
    assert p.capacities.loc["hp"].tolist() == pytest.approx([50.0, 75.0], abs=1e-4)
    assert p.solution.chosen == {2035: "2035.res_wh50", 2040: "2040.res_wh75"}
    assert p.period_shares.loc[2035, "renewable"] == pytest.approx(0.5, abs=1e-6)
    assert p.period_shares.loc[2040, "renewable"] == pytest.approx(0.75, abs=1e-6)


def test_objective_is_the_hand_computed_total_cost(two_periods) -> None:
    """r = 0: 5 years per period; CAPEX as annuities 1e6 / 30 per MW and year while active."""
    h = 8760.0
    opex_2035 = 50 * h * 30 / 0.9 + 50 * h * 150 / 3
    opex_2040 = 25 * h * 30 / 0.9 + 75 * h * 150 / 3
    capex = 50 * 1e6 / 30 * 10 + 25 * 1e6 / 30 * 5
    total = 5 * opex_2035 + 5 * opex_2040 + capex
    assert two_periods.objective_eur == pytest.approx(total, rel=1e-6)
    table = two_periods.periods_table().set_index("year")
    assert table.loc[2035, "operating_eur"] == pytest.approx(opex_2035, rel=1e-6)
    assert table.loc[2040, "investment_annuity_eur"] == pytest.approx(75e6 / 30, rel=1e-6)


def test_full_year_revalidation_matches_typical_days(two_periods) -> None:
    for v in two_periods.validation:
        assert v.ok and v.efficient
        assert v.alternative == two_periods.solution.chosen[v.year]
        assert abs(v.cost_error) < 1e-6
        assert v.max_share_error_pp < 1e-4
    assert two_periods.typical_error()["max_abs_cost_error"] < 1e-6


def test_price_path_scales_the_period_prices() -> None:
    """Electricity x2 from 2040: the forced heat pumps cost twice as much to run."""
    p = plan(system([BOILER, hp()]), periods=(2035, 2040), typical_days=2, validate=False,
             candidates={"price_path": {"electricity": {2040: 2.0}}})
    t = p.periods_table().set_index("year")
    assert t.loc[2035, "electricity_purchase_eur"] == pytest.approx(50 * 8760 * 50, rel=1e-6)
    assert t.loc[2040, "electricity_purchase_eur"] == pytest.approx(75 * 8760 * 100, rel=1e-6)


def test_lead_time_is_respected() -> None:
    """A cheaper heat pump available only from 2038 takes the 2040 step; 2035 must use the
    expensive one."""
    s = system([BOILER, hp("hp_now"), hp("hp_later", capex=0.5e6)])
    p = plan(s, periods=(2035, 2040), typical_days=2, validate=False,
             candidates={"candidates": [{"name": "hp_later", "earliest_year": 2038}]})
    assert builds(p) == pytest.approx({("hp_now", 2035): 50.0, ("hp_later", 2040): 25.0},
                                      abs=1e-4)


def test_potential_is_respected() -> None:
    """The cheap heat pump is capped at 30 MW; the rest comes from the expensive one."""
    s = system([BOILER, hp("hp_dear"), hp("hp_cheap", capex=0.5e6)])
    p = plan(s, periods=(2035, 2040), typical_days=2, validate=False,
             candidates={"candidates": [{"name": "hp_cheap", "potential_mw": 30.0}]})
    assert builds(p) == pytest.approx({("hp_cheap", 2035): 30.0, ("hp_dear", 2035): 20.0,
                                       ("hp_dear", 2040): 25.0}, abs=1e-4)
    assert p.capacities.loc["hp_cheap"].max() <= 30.0 + 1e-6


def test_retirement_and_new_candidate_from_the_spec() -> None:
    """The boiler retires in 2040; a new boiler defined in the spec replaces what the heat
    pump does not cover (25 MW)."""
    spec = {"planning": {
        "retirements": {"boiler": 2040},
        "candidates": [{"name": "new_boiler", "capex_eur_per_mw": 1.0e5,
                        "unit": {"kind": "gas_boiler", "fuel": "gas", "efficiency": 0.9}}]}}
    p = plan(system([BOILER, hp()]), periods=(2035, 2040), typical_days=2, candidates=spec)
    assert builds(p) == pytest.approx({("hp", 2035): 50.0, ("hp", 2040): 25.0,
                                       ("new_boiler", 2040): 25.0}, abs=1e-4)
    assert p.ok


def test_disjunction_picks_the_cheaper_alternative() -> None:
    """With 60 MW of cheap high-efficiency CHP, 2035 is met via 80 % RES+WH+HECHP and 35 %
    RES+WH: 35 MW of heat pump instead of 50 MW."""
    chp = {"kind": "chp_backpressure", "name": "chp", "fuel": "gas", "capacity_mw": 60.0,
           "efficiency": 1.0, "power_to_heat": 0.0, "hechp": True}
    p = plan(system([BOILER, chp, hp()]), periods=(2035,), typical_days=2)
    assert p.solution.chosen[2035] == "2035.res_wh35_combined80"
    assert builds(p) == pytest.approx({("hp", 2035): 35.0}, abs=1e-4)
    assert p.validation[0].ok


def test_article_26_2_ghg_limit() -> None:
    """Boiler 0.2/0.9 = 222.2 g/kWh: 100 g/kWh (2035) needs 55 % heat-pump heat, 50 g/kWh
    (2045) 77.5 %."""
    p = plan(system([BOILER, hp()], ef=0.2), periods=(2035, 2045), typical_days=2,
             article="26(2)")
    assert builds(p) == pytest.approx({("hp", 2035): 55.0, ("hp", 2045): 22.5}, abs=1e-4)
    assert all(v.ok for v in p.validation)
    assert p.validation[1].ghg_g_per_kwh == pytest.approx(50.0, rel=1e-6)


def test_infeasible_period_is_reported_with_its_shortfall() -> None:
    """A 40 MW potential cannot reach 50 %: 2035 is short by 10 MW x 8760 h of qualifying
    heat, weighted by (1 - 0.5): 0.1 x 876,000 MWh = 87,600 MWh."""
    p = plan(system([BOILER, hp(capacity_max_mw=40.0)]), periods=(2035,), typical_days=2,
             validate=False)
    assert not p.feasible and not p.ok
    short = p.solution.shortfall[2035]
    assert sum(short.values()) == pytest.approx(87_600.0, rel=1e-4)
    assert p.failures() and p.failures()[0].startswith("2035")
    assert builds(p) == pytest.approx({("hp", 2035): 40.0}, abs=1e-4)


def test_seasonal_storage_is_linked_across_days() -> None:
    """Waste heat available only from day 91 to 273 (183 days, 4392 h) must supply 75 % of
    the year in 2040: capacity 0.75 x 876,000 / 4392 h = 149.59 MW and a store holding all
    summer surplus, (149.59 - 100) x 4392 h = 217,800 MWh (lossless). Only the inter-day state
    of charge over the real calendar can carry it to winter."""
    idx = hours(2025)
    summer = ((idx.dayofyear - 1 >= 91) & (idx.dayofyear - 1 < 274)).astype(float)
    wh = {"kind": "waste_heat", "name": "wh", "capacity_mw": 1.0, "vom_eur_per_mwh": 40.0,
          "availability": pd.Series(summer, index=idx), "extendable": True,
          "capex_eur_per_mw": 1.0e5, "lifetime_years": 30.0}
    store = {"name": "store", "capacity_mwh": 1000.0, "charge_mw": 1000.0,
             "discharge_mw": 1000.0, "standing_loss_per_h": 0.0, "extendable": True,
             "capex_eur_per_mwh": 1.0, "lifetime_years": 30.0}
    p = plan(system([BOILER, wh], [store]), periods=(2040,), typical_days=4)
    need = 0.75 * DEMAND * 8760
    cap = need / 4392
    assert p.capacities.loc["wh", 2040] == pytest.approx(cap, rel=1e-5)
    assert p.capacities.loc["store", 2040] == pytest.approx((cap - DEMAND) * 4392, rel=1e-4)
    v = p.validation[0]
    assert v.ok and abs(v.cost_error) < 1e-4


def test_failed_validation_raises_the_target_and_replans(monkeypatch) -> None:
    """A full-year check that misses 2035 by 1 pp makes the plan demand 1 pp + 0.2 pp more:
    51.2 MW of heat pump instead of 50 MW."""
    import heatpath.planning.pathway as pathway

    real = pathway.validate_period
    calls = []

    def first_fails(sp, year, *args):
        calls.append(year)
        if len(calls) == 1:
            return pathway.PeriodValidation(year=year, status="infeasible",
                                            shortfall={"2035.res_wh50 (pp)": 1.0})
        return real(sp, year, *args)

    monkeypatch.setattr(pathway, "validate_period", first_fails)
    p = plan(system([BOILER, hp()]), periods=(2035,), typical_days=2)
    assert calls == [2035, 2035] and len(p.repairs) == 1
    assert p.margins[2035] == pytest.approx(0.012)
    assert p.capacities.loc["hp", 2035] == pytest.approx(51.2, abs=1e-4)
    assert p.ok


def test_bucharest_planning_spec_resolves() -> None:
    """Every candidate of examples/bucharest/planning.toml is derived and costed."""
    from heatpath.model import load_scenario
    from heatpath.planning.pathway_spec import load_spec, resolve_candidates, with_candidates

    spec = load_spec(TOY.parent / "bucharest" / "planning.toml")
    base = with_candidates(load_scenario(TOY.parent / "bucharest" / "reference_2035.toml"),
                           spec)
    cands = {c.name: c for c in resolve_candidates(base, spec)}
    assert set(cands) == {c.name for c in spec.candidates}
    identified = sum(c.potential for c in cands.values()
                     if c.component == "unit" and not c.backstop
                     and c.name != "ccgt_modernised")
    assert identified == pytest.approx(367.0, abs=0.1)  # paper §2: "around 367 MWth"
    assert cands["wte_rdf"].earliest_year == 2030
    assert all(c.capex_per_size > 0 for c in cands.values())
    # catalogue costs in EUR per MW of heat / per MWh, CEPCI-indexed from the rows' price year
    # 2015 to the base year 2024 (held flat at 2023): x 797.9 / 556.8 = 1.43300
    cepci = 797.9 / 556.8
    # DEA storage '140 PTES seasonal': 580 EUR2015/MWh, FOM 0.52 %, 20 years -> 831.14 EUR/MWh
    assert cands["ptes"].capex_per_size == pytest.approx(580.0 * cepci)
    assert cands["ptes"].fixed_om_per_size_yr == pytest.approx(0.0052 * 580.0 * cepci)
    assert cands["ptes"].lifetime_years == 20
    # DEA '05 Gas turb. CC': 880,000 EUR2015/MW_el x 150 MW_el / 114 MW of heat
    assert cands["ccgt_modernised"].capex_per_size == pytest.approx(
        880_000.0 * 150.0 / 114.0 * cepci)
    lake = base.unit("lake_hp")
    assert 2.5 < float(lake.cop.mean()) < 4.0


def test_candidate_catalogue_unit_conversion_and_errors() -> None:
    from heatpath.planning.pathway_spec import resolve_candidates

    bare_hp = {"kind": "heat_pump", "name": "hp", "capacity_mw": 1.0, "cop": 3.0,
               "source": "air", "extendable": True}
    pit = {"name": "pit", "kind": "pit", "volume_m3": 1000.0, "charge_mw": 1.0,
           "discharge_mw": 1.0, "extendable": True, "capacity_max_mwh": 1000.0}
    spec = parse_spec({"planning": {"periods": [2035], "base_year": 2015, "candidates": [
        {"name": "hp", "technology": "ashp"}, {"name": "pit", "technology": "steel_tank"}]}})
    cands = {c.name: c for c in resolve_candidates(system([BOILER, bare_hp], [pit]), spec)}
    # base year = the rows' price year: no indexing; per MWh as DEA prices storages
    assert cands["hp"].capex_per_size == pytest.approx(951_390.0)
    assert cands["pit"].capex_per_size == pytest.approx(3137.4 / 1.05822, abs=0.01)
    assert cands["pit"].fixed_om_per_size_yr == pytest.approx(8.6009, abs=1e-3)
    assert cands["pit"].lifetime_years == 40
    # a unit priced per MWh (a storage row) is an error naming the candidate
    wrong = parse_spec({"planning": {"periods": [2035], "candidates": [
        {"name": "hp", "technology": "ptes"}]}})
    with pytest.raises(ScenarioError, match=r"unit 'hp'.*priced in EUR/MWh.*needs a storage"):
        resolve_candidates(system([BOILER, bare_hp]), wrong)


def test_typical_days_keep_the_peak_and_the_annual_sum() -> None:
    idx = hours(2025)
    t = np.arange(8760)
    need = 100 + 80 * np.cos(2 * np.pi * t / 8760) + 10 * np.sin(2 * np.pi * t / 24)
    need[500] = 400.0  # a spike
    feats = pd.DataFrame({"need": need, "price": 50 + 20 * np.sin(2 * np.pi * t / 24)},
                         index=idx)
    td = cluster_days(feats, 6)
    assert td.n_clusters == 7 and td.weights.sum() == 365 and td.peak_clusters
    red = td.reduce(need, preserve_sum=True)
    assert red.max() == pytest.approx(400.0)
    assert float(td.weighted_sum(red)) == pytest.approx(need.sum(), rel=1e-9)
    assert td.accuracy["need"]["nrmse"] < 0.1


def test_discounting_and_activity() -> None:
    w = discount_factors([2030, 2035], 2039, 2024, 0.1)
    assert w[0] == pytest.approx(sum(1.1 ** -(y - 2024) for y in range(2030, 2035)))
    assert w[1] == pytest.approx(sum(1.1 ** -(y - 2024) for y in range(2035, 2040)))
    from heatpath.planning.pathway_spec import Candidate

    c = Candidate("x", "unit", None, np.inf, 0.0, 0.0, None, 10.0, 1.0, 0.0, False, "", "")
    a = activity([c], [2030, 2035, 2040, 2045])
    # built 2030 with 10 years: active 2030 and 2035 only
    assert a[0, :, 0].tolist() == [1.0, 1.0, 0.0, 0.0]


def test_spec_errors_name_the_field() -> None:
    with pytest.raises(ScenarioError, match=r"planning\.candidates\[0\]\.potential_mww.*"
                       r"did you mean 'potential_mw'"):
        parse_spec({"planning": {"candidates": [{"name": "a", "potential_mww": 1}]}})
    # a candidate unit is checked like a scenario's unit, its field named in the spec
    with pytest.raises(ScenarioError, match=r"candidates\[gb2\]\.unit\.efficency': "
                       r"unknown field; did you mean 'efficiency'"):
        plan(system([BOILER, hp()]), periods=(2035,), candidates={"candidates": [
            {"name": "gb2", "unit": {"kind": "gas_boiler", "fuel": "gas", "efficency": 0.9}}]})
    with pytest.raises(ScenarioError, match="retirement"):
        plan(system([BOILER, hp()]), periods=(2035,), candidates={"retirements": {"x": 2030}})
    with pytest.raises(ScenarioError, match="periods"):
        plan(system([BOILER, hp()]), periods=(2020, 2035))


def test_cli_writes_outputs_and_refuses_to_overwrite(tmp_path) -> None:
    spec = tmp_path / "planning.toml"
    spec.write_text(
        '[planning]\ndiscount_rate = 0.05\n\n[[planning.candidates]]\nname = "new_hp"\n'
        'technology = "ashp"\npotential_mw = 40.0\nearliest_year = 2030\n'
        'unit = {kind = "heat_pump", source = "air", cop = "hp_cop"}\n', encoding="utf-8")
    out = tmp_path / "out"
    args = ["plan", str(TOY / "toy.toml"), "--out", str(out), "--spec", str(spec),
            "--periods", "2028,2035", "--typical-days", "4"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    for f in ("build_plan.csv", "periods.csv", "validation.csv", "capacities.csv",
              "plan.json"):
        assert (out / f).is_file()
    assert res.output.strip().splitlines()[-1].startswith("plan: ")
    data = json.loads((out / "plan.json").read_text())
    assert data["ok"] and len(data["validation"]) == 2
    val = pd.read_csv(out / "validation.csv")
    assert val["efficient"].all() and (val["cost_error"].abs() < 0.05).all()
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
