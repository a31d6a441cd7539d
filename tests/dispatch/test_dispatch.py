"""Dispatch LP: energy balance, share constraints, storage physics, hand-computed optima."""

from __future__ import annotations

import numpy as np
import pytest

from heatpath.dispatch import solve
from heatpath.model import InfeasibleError, load_scenario
from heatpath.model.schema import ShareRequirement
from tests.conftest import TOY, constant, hours
from tests.dispatch.helpers import fractions, system

BOILER = {"kind": "gas_boiler", "name": "boiler", "fuel": "gas", "capacity_mw": 50.0,
          "efficiency": 0.9}
HP = {"kind": "heat_pump", "name": "hp", "capacity_mw": 4.0, "cop": 3.0}
GROUPS = {"boiler": "fossil", "hp": "renewable"}


@pytest.fixture(scope="module")
def toy():
    s = load_scenario(TOY / "toy.toml")
    fr = fractions({"gas_boiler": "fossil", "gas_chp": "hechp", "air_hp": "renewable"})
    free = solve(s, requirements=[], fractions=fr)
    bound = solve(s, fractions=fr)
    return s, free, bound


def test_energy_balance_closes_every_hour(toy) -> None:
    _, _, r = toy
    inflow = r.heat.sum(axis=1) + r.discharge.sum(axis=1) - r.charge.sum(axis=1)
    need = r.demand + r.losses
    assert np.max(np.abs(inflow - need)) < 1e-6
    # and the annual sums: heat into network = demand + network losses + storage losses
    assert r.heat_into_network_mwh == pytest.approx(
        r.heat_delivered_mwh + r.losses.sum() + r.storage_loss_mwh, rel=1e-9)


def test_network_loss_fraction_is_of_heat_into_network(toy) -> None:
    _, _, r = toy
    into_net = r.demand.sum() + r.losses.sum()
    assert r.losses.sum() / into_net == pytest.approx(0.12)


def test_share_constraint_binds(toy) -> None:
    s, free, bound = toy
    target = s.share_requirements[0].min_share
    assert free.shares["renewable"] < target - 0.05  # the cheapest dispatch misses it
    assert bound.shares["renewable"] == pytest.approx(target, abs=1e-6)
    assert bound.objective_eur > free.objective_eur
    assert bound.share_duals["renewable_45pct"] > 0


def test_share_dual_is_marginal_cost(toy) -> None:
    """Tightening the target by dx costs dual * dx * heat into the network (LP sensitivity)."""
    s, _, bound = toy
    fr = fractions({"gas_boiler": "fossil", "gas_chp": "hechp", "air_hp": "renewable"})
    dx = 0.002
    tighter = solve(s, [ShareRequirement(name="r", groups=["renewable"], min_share=0.45 + dx)],
                    fractions=fr)
    extra_mwh = dx * bound.heat_into_network_mwh
    predicted = bound.share_duals["renewable_45pct"] * extra_mwh
    assert tighter.objective_eur - bound.objective_eur == pytest.approx(predicted, rel=0.05)


def test_storage_never_creates_energy(toy) -> None:
    s, _, r = toy
    st = s.storages[0]
    keep = 1 - st.standing_loss_per_h
    soc = r.soc[st.name].to_numpy()
    prev = np.roll(soc, 1)
    # state-of-charge recursion holds exactly, cyclic over the year
    assert np.allclose(soc, keep * prev + r.charge[st.name] - r.discharge[st.name], atol=1e-6)
    assert r.discharge[st.name].sum() <= r.charge[st.name].sum() + 1e-6
    assert soc.max() <= st.capacity_mwh + 1e-6
    assert r.charge.to_numpy().max() <= st.charge_mw + 1e-6


def test_storage_cannot_be_used_to_create_heat() -> None:
    """An empty lossy storage with free 'discharge' must not supply any net heat."""
    d = constant(10.0)
    s = system([BOILER], demand=d, storages=[{"name": "st", "capacity_mwh": 1000,
                                               "charge_mw": 100, "discharge_mw": 100,
                                               "standing_loss_per_h": 0.01}])
    r = solve(s, fractions=fractions({"boiler": "fossil"}))
    assert r.heat["boiler"].sum() == pytest.approx(d.sum(), rel=1e-9)
    assert r.objective_eur == pytest.approx(d.sum() / 0.9 * 30.0, rel=1e-9)


def test_objective_matches_hand_calculation() -> None:
    """Boiler: 30/0.9 = 33.33 EUR/MWh; HP: 60/3 = 20 EUR/MWh, capped at 4 MW.

    Cost = 8760 h x (4 MW x 20 + 6 MW x 33.33) = 8760 x 280 = 2,452,800 EUR.
    """
    s = system([BOILER, HP], demand=constant(10.0), el_price=60.0)
    r = solve(s, fractions=fractions(GROUPS))
    assert r.objective_eur == pytest.approx(8760 * (4 * 20.0 + 6 * 30.0 / 0.9), rel=1e-9)
    assert r.heat["hp"].sum() == pytest.approx(4 * 8760)
    assert r.el_buy.sum() == pytest.approx(4 / 3 * 8760)


def test_hand_calculation_with_fee_co2_and_share() -> None:
    """A renewable share of 30 % forces 3 MW of HP even when it is dearer.

    Boiler: 30/0.9 + 0.2/0.9 x 90 = 33.33 + 20 = 53.33 EUR/MWh.
    HP: (120 + 50 fee)/3 = 56.67 EUR/MWh -> dearer; the 30 % requirement makes it run 3 MW.
    Cost = 8760 x (3 x 56.667 + 7 x 53.333) = 8760 x 543.33.
    """
    req = [{"groups": ["renewable"], "min_share": 0.3}]
    s = system([BOILER, HP], demand=constant(10.0), el_price=120.0, fee=50.0, co2=90.0,
               ef=0.2, requirements=req)
    r = solve(s, fractions=fractions(GROUPS))
    boiler = 30 / 0.9 + 0.2 / 0.9 * 90
    hp = 170 / 3
    assert r.objective_eur == pytest.approx(8760 * (3 * hp + 7 * boiler), rel=1e-9)
    assert r.shares["renewable"] == pytest.approx(0.3)
    assert r.share_duals[s.share_requirements[0].label] == pytest.approx(hp - boiler, rel=1e-6)
    assert r.costs_eur["ets"] == pytest.approx(8760 * 7 / 0.9 * 0.2 * 90, rel=1e-9)


def test_chp_and_heat_pump_net_electricity() -> None:
    """Only the net import pays the fee: a CHP feeding a HP in the same hour pays nothing."""
    chp = {"kind": "chp_backpressure", "name": "chp", "fuel": "gas", "capacity_mw": 5.0,
           "efficiency": 0.5, "power_to_heat": 0.8}
    hp = {**HP, "capacity_mw": 5.0}
    s = system([chp, hp], demand=constant(10.0), el_price=0.0, fee=50.0, gas=20.0)
    r = solve(s, fractions=fractions({"chp": "hechp", "hp": "renewable"}))
    # CHP 5 MW heat -> 4 MW el; HP 5 MW heat needs 5/3 MW el: net export, no fee paid
    assert r.el_buy.sum() == pytest.approx(0.0, abs=1e-6)
    assert r.el_sell.sum() == pytest.approx((4 - 5 / 3) * 8760, rel=1e-9)
    assert r.objective_eur == pytest.approx(8760 * 5 * 20 / 0.5, rel=1e-9)


def test_infeasible_demand_names_the_hour() -> None:
    d = constant(10.0)
    d.iloc[1234] = 80.0  # boiler has 50 MW
    s = system([BOILER], demand=d)
    with pytest.raises(InfeasibleError) as info:
        solve(s, fractions=fractions({"boiler": "fossil"}))
    msg = str(info.value)
    assert str(hours()[1234]) in msg and "30.00 MW" in msg


def test_infeasible_share_target_names_the_requirement() -> None:
    req = [{"name": "res60", "groups": ["renewable"], "min_share": 0.6}]
    s = system([BOILER, HP], demand=constant(10.0), requirements=req)
    with pytest.raises(InfeasibleError) as info:
        solve(s, fractions=fractions(GROUPS))
    msg = str(info.value)
    assert "res60" in msg and "40.00%" in msg  # the HP can reach at most 4/10 = 40 %
