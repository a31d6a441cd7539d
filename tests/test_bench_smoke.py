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
