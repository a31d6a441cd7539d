"""Article 26 in the optimiser: the disjunction of 26(1), the 26(2) GHG limit, diagnostics."""

from __future__ import annotations

import pytest

from heatpath.dispatch import run_scenario, solve
from heatpath.eed import alternatives, assess, ghg_limit_g_per_kwh
from heatpath.model import InfeasibleError, load_scenario
from heatpath.model.schema import ShareRequirement
from tests.conftest import TOY


def toy_in(year: int, article: str):
    s = load_scenario(TOY / "toy.toml")
    s.system.year = year
    s.share_requirements = []
    s.eed.article = article
    return s


@pytest.fixture(scope="module")
def toy2035():
    return run_scenario(toy_in(2035, "26(1)"))


def test_unconstrained_toy_is_not_efficient_in_2035() -> None:
    free = solve(toy_in(2035, "none"))
    a = assess(2035, free.group_heat_mwh.to_dict())
    assert not a.efficient  # 34.6 % RES + 43.5 % HECHP = 78 % < 80 %


def test_26_1_enforced_is_efficient_and_reports_the_alternative(toy2035) -> None:
    eed = toy2035.summary()["eed"]
    assert eed["efficient"] and eed["period"].startswith("2035")
    enforced = eed["enforced"]
    assert enforced["chosen_alternative"] in eed["criteria_met"]
    assert enforced["cost_of_compliance_eur"] > 0
    # at least one condition of the chosen alternative binds and has a positive price
    assert max(enforced["marginal_cost_eur_per_mwh"].values()) > 0


def test_chosen_alternative_is_the_cheapest_of_all(toy2035) -> None:
    """Independent check: solve every alternative of the year on its own."""
    best = None
    for alt in alternatives(2035):
        reqs = [ShareRequirement(groups=list(c.groups), min_share=c.min_share)
                for c in alt.conditions]
        try:
            r = solve(toy_in(2035, "none"), reqs)
        except InfeasibleError:
            continue
        best = r.objective_eur if best is None else min(best, r.objective_eur)
    assert toy2035.objective_eur == pytest.approx(best, rel=1e-7)


def test_26_2_keeps_ghg_intensity_under_the_limit() -> None:
    """With a 40 MW heat pump the 100 g/kWh limit of 2035 is reachable but binds."""
    def big_hp(article: str):
        s = toy_in(2035, article)
        s.unit("air_hp").capacity_mw = 40.0
        return s

    r = run_scenario(big_hp("26(2)"))
    eed = r.summary()["eed"]
    assert eed["ghg_g_per_kwh"] <= ghg_limit_g_per_kwh(2035) + 1e-6
    free = run_scenario(big_hp("none")).summary()["eed"]
    assert free["ghg_g_per_kwh"] > ghg_limit_g_per_kwh(2035)  # the limit binds
    assert eed["ghg_g_per_kwh"] == pytest.approx(ghg_limit_g_per_kwh(2035), rel=1e-6)


def test_impossible_year_explains_every_alternative() -> None:
    """2050 needs 100 % renewable + waste heat: the gas units make that impossible here."""
    with pytest.raises(InfeasibleError) as info:
        run_scenario(toy_in(2050, "26(1)"))
    msg = str(info.value)
    assert "2050" in msg and "can reach at most" in msg
