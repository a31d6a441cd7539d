"""Smoke test of benchmarks/bench_dispatch.py, so that the benchmark code does not rot.

A 3-unit full-year system (no storage) from the benchmark's generator is built and solved with
heatpath, written to MPS and solved by bare HiGHS: the objectives must agree.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_dispatch.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_dispatch", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_dispatch", module)
    spec.loader.exec_module(module)
    return module


def test_generator_is_deterministic_and_sized(bench) -> None:
    a = bench.make_system(12, 3, seed=1)
    b = bench.make_system(12, 3, seed=1)
    assert len(a.units) == 12 and len(a.storages) == 3
    assert len(a.demand.heat_mw) == 8760
    assert a.share_requirements[0].min_share == b.share_requirements[0].min_share
    assert (a.prices.electricity_eur_per_mwh == b.prices.electricity_eur_per_mwh).all()
    kinds = {u.kind for u in a.units}
    assert {"gas_boiler", "chp_backpressure", "heat_pump", "electric_boiler", "solar_thermal",
            "waste_heat", "biomass_boiler"} <= kinds


def test_heatpath_and_mps_objectives_agree(bench, tmp_path: Path) -> None:
    system = bench.prepared(bench.Case(units=3, storages=0, hours=8760))
    out = bench.heatpath_build_solve(system)
    dm = out.pop("_dm")
    assert out["status"] == "ok/optimal"
    # the renewable share requirement binds
    assert out["share_dual"]["renewable_waste_heat"] > 0
    mps = tmp_path / "smoke.mps"
    dm.model.to_file(mps)
    floor = bench.highs_mps_solve(str(mps))
    assert floor["status"] == "Optimal"
    assert out["objective"] == pytest.approx(floor["objective"], rel=1e-6)


def test_peer_description_carries_the_system(bench) -> None:
    """The neutral description the peers are built from, checked against the system."""
    from heatpath.eed import group_fractions

    system = bench.prepared(bench.Case(units=10, storages=3, hours=8760))
    desc = bench.peer_description(system, group_fractions(system))
    req = system.share_requirements[0]
    units = {u["name"]: u for u in desc["units"]}
    assert list(units) == [u.name for u in system.units]
    chp = next(u for u in system.units if u.kind == "chp_backpressure")
    assert units[chp.name]["input"] == "fuel_gas"
    assert units[chp.name]["el_per_heat"] == pytest.approx(chp.power_to_heat * 0.97)
    # a gas unit counts nothing towards renewable + waste heat; solar counts fully
    assert units[chp.name]["share_coef"] == [pytest.approx(-req.min_share)]
    solar = next(u for u in system.units if u.kind == "solar_thermal")
    assert units[solar.name]["input"] is None
    assert units[solar.name]["share_coef"] == [pytest.approx(1.0 - req.min_share)]
    hp = next(u for u in system.units if u.kind == "heat_pump")
    assert (units[hp.name]["efficiency"] == hp.cop.to_numpy()).all()
    # gas at 38 EUR/MWh + 75 EUR/t x 0.2 t/MWh; biomass is biogenic: no CO2 cost
    assert desc["fuel_cost_eur_per_mwh"]["gas"] == pytest.approx(38.0 + 15.0)
    assert desc["fuel_cost_eur_per_mwh"]["biomass"] == pytest.approx(42.0)
    # need = demand + 12 % network losses of what is sent out
    assert desc["need_mw"].sum() == pytest.approx(system.demand.heat_mw.sum() / 0.88, rel=1e-9)
    assert [s["name"] for s in desc["storages"]] == [s.name for s in system.storages]


@pytest.mark.parametrize("peer", ["pypsa", "pypsa-shipped", "flixopt", "flixopt-shipped"])
def test_peers_reach_heatpaths_objective(bench, peer: str, tmp_path: Path) -> None:
    """Each peer, where installed, tuned and as shipped (LP file, default options), solves
    the same LP (4 units, 1 storage, 4 weeks)."""
    python = None
    if peer.startswith("pypsa"):
        pytest.importorskip("pypsa")
    else:
        python = bench.flixopt_interpreter()
        if python is None:
            pytest.skip("no flixopt environment (make bench creates .venv-flixopt)")
    case = bench.Case(units=4, storages=1, hours=672)
    desc = tmp_path / "system.pkl"
    bench.write_description(case, str(desc))
    got = bench._spawn(peer, case, str(desc), 600, python)
    assert "error" not in got, got.get("error")
    out = bench.heatpath_build_solve(bench.prepared(case))
    assert got["objective"] == pytest.approx(out["objective"], rel=1e-7)
