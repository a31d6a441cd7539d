"""A reused HiGHS model updated in place gives exactly what a fresh build gives."""

from __future__ import annotations

import pytest
import xarray as xr

from heatpath.dispatch import solve
from heatpath.dispatch.build import build
from heatpath.dispatch.reuse import ReusableModel
from heatpath.dispatch.solve import prepare
from heatpath.eed import group_fractions
from heatpath.model import load_scenario
from tests.conftest import TOY


@pytest.fixture(scope="module")
def toy():
    s = prepare(load_scenario(TOY / "toy.toml"))
    fr = group_fractions(s)
    rm = ReusableModel(build(s, fr, s.share_requirements))
    return s, fr, rm


def test_cold_solve_matches_linopy(toy) -> None:
    s, fr, rm = toy
    assert rm.solve().objective == pytest.approx(solve(s, fractions=fr).objective_eur, rel=1e-9)


def test_price_update_matches_fresh_build(toy) -> None:
    s, fr, rm = toy
    s2 = s.model_copy(deep=True)
    s2.prices.electricity_eur_per_mwh = s2.prices.electricity_eur_per_mwh * 1.3
    s2.prices.fuels_eur_per_mwh["natural_gas"] = s2.prices.fuels_eur_per_mwh["natural_gas"] * 0.8
    s2.prices.co2_eur_per_t = s2.prices.co2_eur_per_t + 40.0
    rm.update_costs(s2)
    again = rm.solve()
    fresh = solve(s2, fractions=fr)
    assert again.objective == pytest.approx(fresh.objective_eur, rel=1e-9)
    heat = rm.values("heat").sum("snapshot").to_pandas()
    assert heat.to_numpy() == pytest.approx(fresh.heat_mwh.to_numpy(), rel=1e-6, abs=1e-3)
    rm.update_costs(s)  # back to the original prices for other tests


def test_rhs_update_matches_fresh_build(toy) -> None:
    s, fr, rm = toy
    need = (s.demand.heat_mw * 1.05) / (1 - 0.12)
    rm.set_rhs("heat_balance", xr.DataArray(need.to_numpy(), dims="snapshot"))
    again = rm.solve()
    s3 = s.model_copy(deep=True)
    s3.demand.heat_mw = s3.demand.heat_mw * 1.05
    assert again.objective == pytest.approx(solve(s3, fractions=fr).objective_eur, rel=1e-8)
