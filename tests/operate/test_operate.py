"""Operator mode: rolling horizon with forecasts and EED tracking (heatpath.operate)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from heatpath.dispatch import run_scenario
from heatpath.dispatch.solve import prepare, slice_system
from heatpath.eed import group_fractions
from heatpath.model import load_scenario
from heatpath.model.schema import System
from heatpath.operate import OUTPUT_FILES, Forecaster, rolling_horizon
from heatpath.operate.data import realised_hourly, static_of, window_tables
from heatpath.operate.targets import scenario_targets
from heatpath.operate.window import WindowModel
from tests.conftest import TOY


def toy2035() -> System:
    """The toy in 2035 with Art. 26(1) enforced: the cheapest dispatch misses it."""
    s = load_scenario(TOY / "toy.toml")
    s.system.year = 2035
    s.eed.article = "26(1)"
    s.share_requirements = []
    return s


@pytest.fixture(scope="module")
def optimum():
    """Perfect-foresight annual optimum (run_scenario with the scenario's EED treatment)."""
    return run_scenario(toy2035())


@pytest.fixture(scope="module")
def tracking(optimum):
    return rolling_horizon(toy2035(), strategy="tracking", forecast="persistence",
                           benchmark_cost_eur=optimum.objective_eur)


@pytest.fixture(scope="module")
def myopic(optimum):
    return rolling_horizon(toy2035(), strategy="none", forecast="persistence",
                           benchmark_cost_eur=optimum.objective_eur)


# ---- state carried exactly -----------------------------------------------------------------
def test_heat_balance_closes_every_hour(tracking) -> None:
    res = tracking.result
    year = tracking.extra["year"]
    inflow = (res.heat.sum(axis=1) + res.discharge.sum(axis=1) - res.charge.sum(axis=1)
              + year["unserved"])
    need = res.demand + res.losses
    assert np.abs(inflow.to_numpy() - need.to_numpy()).max() < 1e-6
    assert year["unserved"].sum() < 1e-6
    assert len(res.heat) == 8784 and tracking.operate["windows"] == 366


def test_storage_content_is_continuous_across_windows(tracking) -> None:
    res = tracking.result
    tank = res.system.storages[0]
    keep = 1.0 - tank.standing_loss_per_h
    soc = res.soc["tank"].to_numpy()
    start = tracking.operate["storage"]["start_mwh"]["tank"]
    prev = np.r_[start, soc[:-1]]
    expect = keep * prev + tank.charge_efficiency * res.charge["tank"].to_numpy() \
        - res.discharge["tank"].to_numpy() / tank.discharge_efficiency
    assert np.abs(soc - expect).max() < 1e-6
    # the window boundaries (every 24 h) are where an error in carrying state would show
    assert np.abs((soc - expect)[24::24]).max() < 1e-6


def test_cumulative_surplus_in_trajectory_matches_dispatch(tracking) -> None:
    traj = tracking.trajectory
    res = tracking.result
    assert traj["heat_into_network_cum_mwh"].iloc[-1] == pytest.approx(
        res.heat_into_network_mwh, rel=1e-12)
    key = "renewable+waste_heat"
    assert traj[f"{key}_share"].iloc[-1] == pytest.approx(
        res.shares["renewable"] + res.shares["waste_heat"], rel=1e-9)


# ---- strategies ----------------------------------------------------------------------------
def test_tracking_complies_where_cost_only_operation_misses(tracking, myopic, optimum) -> None:
    assert not optimum.extra["eed"]["enforced"]["unconstrained_efficient"]
    track, none = tracking.summary(), myopic.summary()
    assert track["eed"]["efficient"], tracking.status
    assert "2035.res_wh35_combined80" in track["eed"]["criteria_met"]
    assert tracking.operate["compliant"] and tracking.status.endswith("on track")
    assert not none["eed"]["efficient"]
    assert "behind by" in myopic.status and "renewable heat" in myopic.status
    # cost gap to perfect foresight is reported (forecast errors cost money)
    op = tracking.operate
    assert op["benchmark_cost_eur"] == pytest.approx(optimum.objective_eur)
    assert op["gap_eur"] == pytest.approx(op["cost_eur"] - optimum.objective_eur)
    assert 0.0 < op["gap_pct"] < 15.0
    print(f"\ntracking/persistence gap {op['gap_pct']:.2f} %, "
          f"none/persistence gap {myopic.operate['gap_pct']:.2f} %")


def test_summary_has_the_keys_of_run_plus_operate(tracking, optimum) -> None:
    s = tracking.summary()
    assert set(optimum.summary()) - {"solves"} <= set(s)
    for key in ("efficient", "criteria_met", "period", "ghg_g_per_kwh", "explanation"):
        assert key in s["eed"]
    op = s["operate"]
    for key in ("strategy", "forecast", "horizon_h", "step_h", "windows", "cost_eur",
                "gap_pct", "status", "trajectory", "plan", "timings_s"):
        assert key in op
    assert op["plan"]["alternative"] == "2035.res_wh35_combined80"
    assert {t["key"] for t in op["trajectory"]} == {"renewable+waste_heat+hechp",
                                                    "renewable+waste_heat"}


def test_write_outputs(tracking, optimum, tmp_path: Path) -> None:
    paths = tracking.write(tmp_path)
    assert {p.name for p in paths.values()} == set(OUTPUT_FILES)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["operate"]["windows"] == 366
    dispatch = pd.read_csv(tmp_path / "dispatch.csv", index_col=0)
    assert list(dispatch.columns) == list(optimum.dispatch_frame().columns)
    schedule = pd.read_csv(tmp_path / "schedule.csv", index_col=0)
    assert len(schedule) == 24 and "heat_air_hp_mw" in schedule and "soc_tank_mwh" in schedule
    traj = pd.read_csv(tmp_path / "trajectory.csv", index_col=0)
    assert len(traj) == 8784 and "renewable+waste_heat_ahead_mwh" in traj


def test_adaptive_reserve_grows_with_observed_error() -> None:
    from heatpath.operate.rolling import drift_reserve

    rng = np.random.default_rng(0)
    small = rng.normal(0.0, 100.0, (60, 2))
    large = small * 5.0
    seen, left = np.full(60, 1000.0), np.full(100, 1000.0)
    r_small = drift_reserve(small, seen, left)
    r_large = drift_reserve(large, seen, left)
    assert np.all(r_large > 4.0 * r_small) and np.all(r_small > 0.0)
    # shrinks towards the year end; nothing observed, nothing reserved
    assert np.all(drift_reserve(large, seen, left[:10]) < r_large)
    assert np.all(drift_reserve(np.zeros((1, 2)), seen[:1], left) == 0.0)
    # by hand: drift -5 % of the heat need every step -> z 5 % sqrt(sum e^2) + 5 % sum e
    biased = np.full((60, 1), -50.0)
    expect = 2.0 * 0.05 * np.sqrt(100 * 1000.0**2) + 0.05 * 100 * 1000.0
    np.testing.assert_allclose(drift_reserve(biased, seen, left, z=2.0), [expect])
    # the same drift per MWh of need reserves little for steps with little heat to supply
    summer = np.full(100, 100.0)
    np.testing.assert_allclose(drift_reserve(biased, seen, summer, z=2.0), [expect / 10.0])


def test_redispatch_keeps_the_planned_fuel_of_a_budget_limited_unit() -> None:
    """A fuel floor (the fuel a window planned for a unit with an annual limit) is burnt by
    a unit that is not worth running otherwise; beyond what it can burn the shortfall is
    reported."""
    from heatpath.operate.data import fuel_mw
    from tests.operate.synthetic import bucharest_like

    system = prepare(bucharest_like())
    st = static_of(system)
    wte = st.units.index("wte")
    tab = window_tables(st, realised_hourly(system).window(0, 24))
    tab.cost_heat[:, wte] += 1000.0  # 500 EUR per MWh of fuel more: below the floor penalty
    W = WindowModel(system, st, group_fractions(system), [], 24)
    kw = {"soc0": np.zeros(1)}
    # WtE: 67.3 MW x 24 h at efficiency 0.5 burns at most 3230.4 MWh of fuel a day
    for floor, burnt, short in [(1000.0, 1000.0, 0.0), (4000.0, 3230.4, 769.6)]:
        W.update(tab, fuel_caps={wte: 5000.0}, fuel_floors={wte: floor}, **kw)
        assert W.solve() == "Optimal"
        vals = W.values(24)
        fuel = fuel_mw(st, vals["heat"], vals["chp_el"])[:, wte].sum()
        assert fuel == pytest.approx(burnt, abs=1e-3)
        assert W.lp.x[W.lp.cols("fuel_short_0")] == pytest.approx(short, abs=1e-3)
    # no floor: not burnt at all
    W.update(tab, fuel_caps={wte: 5000.0}, **kw)
    assert W.solve() == "Optimal"
    vals = W.values(24)
    assert fuel_mw(st, vals["heat"], vals["chp_el"])[:, wte].sum() < 1e-6


def test_windows_follow_the_plan_burn_of_an_annual_fuel_limit() -> None:
    """The plan's cumulative fuel of a unit with an annual limit is its heat over the heat
    efficiency; a window burns at least what the plan burns up to its end less what the year
    has burnt (within its budget); a re-plan counts the fuel burnt before it."""
    from heatpath.operate.plan import replan, seasonal_plan
    from heatpath.operate.rolling import _fuel_floors

    system = toy2035()
    chp = [u.name for u in system.units].index("gas_chp")
    system.units[chp].annual_fuel_max_mwh = 1e7
    system = prepare(system)
    data = realised_hourly(system)
    plan = seasonal_plan(system, data, group_fractions(system), resolution_h=2)
    assert plan.model is not None
    np.testing.assert_allclose(plan.fuel_cum[:, chp], np.cumsum(plan.heat[:, chp]) / 0.45,
                               rtol=1e-9, atol=1e-6)
    cum, budget = plan.fuel_cum[:, chp], plan.model.fuel_budget[chp]
    behind = {chp: budget - (cum[99] - 50.0)}  # 50 MWh behind the plan at hour 99
    assert _fuel_floors({chp: 1e9}, behind, plan, 147)[chp] == pytest.approx(
        cum[147] - cum[99] + 50.0)
    assert _fuel_floors({chp: 10.0}, behind, plan, 147)[chp] == pytest.approx(10.0)
    ahead = {chp: budget - cum[147] - 5.0}  # ahead of the plan's burn at the window end
    assert _fuel_floors({chp: 1e9}, ahead, plan, 147)[chp] == 0.0
    assert _fuel_floors(None, ahead, plan, 147) is None
    t0 = 4800
    replan(plan, t0, plan.heat[:t0].copy(), data.demand[:t0], plan.soc[t0 - 1].copy(),
           {chp: budget - 1000.0})
    np.testing.assert_allclose(plan.fuel_cum[t0:, chp],
                               1000.0 + np.cumsum(plan.heat[t0:, chp]) / 0.45, rtol=1e-9)


def test_biased_forecast_year_stays_compliant(optimum, monkeypatch) -> None:
    """Window forecasts of demand 10 % too low every day (a one-sided drift): tracking
    complies with the re-plans and the drift reserve, and misses without both."""
    import heatpath.operate.rolling as rl

    window = Forecaster.window

    def biased(self: Forecaster, t0: int, length: int):
        f = window(self, t0, length)
        f.demand = 0.9 * f.demand
        return f

    monkeypatch.setattr(Forecaster, "window", biased)
    r = rolling_horizon(toy2035(), strategy="tracking", forecast="persistence",
                        benchmark_cost_eur=optimum.objective_eur)
    assert r.operate["compliant"], r.status
    assert len(r.extra["plan"].replans) == 12
    monkeypatch.setattr(rl, "drift_reserve", lambda drift, *a, **k: np.zeros(drift.shape[1]))
    bare = rolling_horizon(toy2035(), strategy="tracking", forecast="persistence",
                           replan_days=0, benchmark_cost_eur=optimum.objective_eur)
    assert not bare.operate["compliant"] and "behind by" in bare.status


def test_replan_of_the_plan_own_state_keeps_the_plan() -> None:
    """A re-plan from exactly the state the seasonal plan expects changes nothing."""
    from heatpath.operate.plan import replan, seasonal_plan

    system = prepare(toy2035())
    fr = group_fractions(system)
    data = realised_hourly(system)
    plan = seasonal_plan(system, data, fr, resolution_h=2)
    trajectory, dual = plan.trajectory.copy(), plan.target_dual.copy()
    t0 = 4800
    replan(plan, t0, plan.heat[:t0].copy(), data.demand[:t0], plan.soc[t0 - 1].copy(), {})
    np.testing.assert_allclose(plan.target_dual, dual, rtol=0.02, atol=0.01)
    # the trajectory goes on from the realised surplus and still ends at 0 (margin 0); the
    # storage plan goes on from the realised content (the LP is degenerate: the path between
    # may differ)
    done = np.array([t.surplus(plan.heat[:t0], data.demand[:t0]).sum() for t in plan.targets])
    np.testing.assert_allclose(plan.trajectory[t0 - 1], trajectory[t0 - 1])
    scale = np.abs(trajectory).max()
    assert np.abs(plan.trajectory[-1]).max() < 1e-6 * scale
    assert np.abs(plan.trajectory[t0] - done).max() < 0.01 * scale
    assert abs(plan.soc[t0, 0] - plan.soc[t0 - 1, 0]) < 0.05 * system.storages[0].capacity_mwh


# ---- whole year, perfect foresight = the annual optimum ----------------------------------
def test_whole_year_window_with_perfect_forecasts_is_the_annual_optimum(optimum) -> None:
    r = rolling_horizon(toy2035(), horizon=8784, strategy="tracking", forecast="perfect",
                        benchmark_cost_eur=optimum.objective_eur)
    assert r.operate["windows"] == 1 and r.operate["cyclic"]
    assert r.result.objective_eur == pytest.approx(optimum.objective_eur, rel=1e-6)
    assert r.summary()["eed"]["efficient"]


# ---- model reuse: the updated window equals a freshly built one ---------------------------
def test_updated_window_equals_fresh_build() -> None:
    system = prepare(toy2035())
    fr = group_fractions(system)
    st = static_of(system)
    data = realised_hourly(system)
    tg = scenario_targets([], fr, st.units)
    w = WindowModel(system, st, fr, tg, 48)
    t0 = 3000
    soc0 = np.array([123.0])
    w.update(window_tables(st, data.window(t0, 48)), soc0=soc0)
    fresh = WindowModel(slice_system(system, t0, t0 + 48), st, fr, tg, 48)
    fresh.update(window_tables(st, data.window(t0, 48)), soc0=soc0)
    for name in ("lb", "ub", "c", "rlo", "rup"):
        np.testing.assert_array_equal(getattr(w.lp, name), getattr(fresh.lp, name))

    def matrix(lp):  # the matrix held by HiGHS
        a = lp.h.getLp().a_matrix_
        kind = sp.csr_matrix if len(a.start_) == lp.n_rows + 1 else sp.csc_matrix
        return kind((np.array(a.value_), np.array(a.index_), np.array(a.start_)),
                    shape=(lp.n_rows, lp.n_cols)).tocsr()

    assert abs(matrix(w.lp) - matrix(fresh.lp)).max() == 0.0
    # the COP-dependent electricity coefficients really changed between the two windows
    assert not np.allclose(data.cop[0:48, 2], data.cop[t0:t0 + 48, 2])
    assert w.solve() == fresh.solve() == "Optimal"
    assert w.lp.objective == pytest.approx(fresh.lp.objective, rel=1e-9)


def test_priced_terminal_deficit_keeps_the_store_content() -> None:
    """The windows that reach the year end keep the plan's year-end content: a deficit
    below the terminal target is priced (``terminal_deficit_cost``), an excess is not."""
    system = prepare(toy2035())
    fr = group_fractions(system)
    st = static_of(system)
    w = WindowModel(system, st, fr, scenario_targets([], fr, st.units), 48)
    tab = window_tables(st, realised_hourly(system).window(0, 48))
    soc0, target = np.array([300.0]), np.array([250.0])
    common = {"soc0": soc0, "terminal_value": np.zeros(1), "terminal_pos": 47,
              "terminal_soc": target, "terminal_excess_cost": np.zeros(1)}
    w.update(tab, **common)
    assert w.solve() == "Optimal"
    assert w.values(48)["soc"][-1, 0] < target[0] - 50.0  # drawn down when free
    w.update(tab, terminal_deficit_cost=1000.0, **common)
    assert w.solve() == "Optimal"
    assert w.values(48)["soc"][-1, 0] >= target[0] - 1e-6


def test_redispatch_store_absorbs_heat_above_the_plan_until_the_last_hour() -> None:
    """Re-dispatch storage targets: by default every hour keeps the planned content (1000
    EUR/MWh per deviation); with ``soc_excess_cost`` content above the plan is free within
    the hours and priced at the last one, so heat worth 20 EUR/MWh to produce (a boiler paid
    to run) fills the 400 MWh tank when the price there is 10 and stays out at 1000."""
    system = prepare(toy2035())
    fr = group_fractions(system)
    st = static_of(system)
    boiler = st.units.index("gas_boiler")
    R = WindowModel(system, st, fr, [], 24).clone(redispatch=True)
    tab = window_tables(st, realised_hourly(system).window(0, 24))
    tab.cost_heat[:, boiler] = -20.0
    kw = {"soc0": np.array([100.0]), "soc_targets": np.full((24, 1), 100.0)}
    R.update(tab, **kw)
    assert R.solve() == "Optimal"
    np.testing.assert_allclose(R.values(24)["soc"][:, 0], 100.0, atol=1e-6)
    for last, end in [(10.0, 400.0), (1000.0, 100.0)]:
        R.update(tab, soc_excess_cost=np.r_[np.zeros(23), last], **kw)
        assert R.solve() == "Optimal"
        assert R.values(24)["soc"][-1, 0] == pytest.approx(end, abs=1e-6)


def test_milp_window_carries_commitment_across_the_boundary() -> None:
    s = toy2035()
    s.dispatch.mode = "milp"
    chp = s.unit("gas_chp")
    chp.min_load, chp.start_cost_eur, chp.min_up_h = 0.4, 500.0, 6
    system = prepare(s)
    fr = group_fractions(system)
    st = static_of(system)
    data = realised_hourly(system)
    w = WindowModel(system, st, fr, [], 24)
    assert w.milp and w.wrap_vars >= {"on", "start"}
    n = len(system.snapshots)
    history = {k: np.zeros((n, 1)) for k in ("on", "start", "stop")}
    t0 = 100
    # the CHP started 2 h before the window: minimum up time keeps it on for 4 more hours
    history["on"][t0 - 2:t0] = 1.0
    history["start"][t0 - 2] = 1.0
    tab = window_tables(st, data.window(t0, 24))
    tab.cost_heat[:, 1] += 500.0  # make the CHP unattractive: only the history keeps it on
    w.update(tab, soc0=np.array([0.0]), t0=t0, history=history)
    assert w.solve() == "Optimal"
    v = w.values(24)
    assert v["on"][:4, 0].min() == 1.0 and v["on"][4:, 0].max() == 0.0
    assert v["start"][:, 0].sum() < 1e-9  # no new start: it was already running


# ---- forecasts -----------------------------------------------------------------------------
def test_forecast_models() -> None:
    system = prepare(toy2035())
    st = static_of(system)
    real = realised_hourly(system)
    solar = np.zeros(len(st.units), dtype=bool)
    perfect = Forecaster(real, st.weather_driven, solar, "perfect").window(1000, 48)
    np.testing.assert_array_equal(perfect.demand, real.demand[1000:1048])
    pers = Forecaster(real, st.weather_driven, solar, "persistence").window(1000, 48)
    np.testing.assert_array_equal(pers.demand[:24], real.demand[976:1000])
    np.testing.assert_array_equal(pers.demand[24:], real.demand[976:1000])
    np.testing.assert_array_equal(pers.el_price[:24], real.el_price[976:1000])
    np.testing.assert_array_equal(pers.cop[:24, 2], real.cop[976:1000, 2])
    np.testing.assert_array_equal(pers.fuel_price["natural_gas"],
                                  real.fuel_price["natural_gas"][1000:1048])
    a = Forecaster(real, st.weather_driven, solar, "noisy", seed=1).window(1000, 48)
    b = Forecaster(real, st.weather_driven, solar, "noisy", seed=1).window(1000, 48)
    c = Forecaster(real, st.weather_driven, solar, "noisy", seed=2).window(1000, 48)
    np.testing.assert_array_equal(a.demand, b.demand)
    assert not np.allclose(a.demand, c.demand)
    # the error grows with the lead time
    rng_err = []
    for t0 in range(0, 8760 - 48, 24):
        f = Forecaster(real, st.weather_driven, solar, "noisy", seed=0).window(t0, 48)
        rng_err.append(f.demand / real.demand[t0:t0 + 48] - 1.0)
    err = np.abs(np.array(rng_err))
    assert err[:, :3].mean() < err[:, 24:27].mean() < 0.08
    # a window running past the year end is padded with nothing to serve
    tail = Forecaster(real, st.weather_driven, solar, "persistence").window(8784 - 10, 48)
    assert len(tail) == 48 and tail.demand[10:].sum() == 0.0


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="strategy"):
        rolling_horizon(toy2035(), strategy="greedy")
    with pytest.raises(ValueError, match="forecast"):
        rolling_horizon(toy2035(), forecast="oracle")
    with pytest.raises(ValueError, match="step"):
        rolling_horizon(toy2035(), horizon=24, step=48)


# ---- command line ----------------------------------------------------------------------------
def test_cli_operate(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from heatpath.cli import app

    out = tmp_path / "op"
    args = ["operate", str(TOY / "toy.toml"), "--out", str(out), "--horizon", "336",
            "--step", "168", "--strategy", "pro-rata", "--forecast", "perfect",
            "--no-benchmark"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "on track" in r.output or "behind by" in r.output
    for name in OUTPUT_FILES:
        assert (out / name).is_file()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["operate"]["strategy"] == "pro-rata"
    assert summary["operate"]["windows"] == 53 and summary["operate"]["gap_pct"] is None
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
    bad = CliRunner().invoke(app, [*args, "--force", "--strategy", "greedy"])
    assert bad.exit_code == 2 and "pro-rata" in bad.output
