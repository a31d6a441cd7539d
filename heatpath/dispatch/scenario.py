"""Run a scenario with the EED Article 26 treatment it asks for.

Article 26(1) defines an *efficient* system by a disjunction of alternatives (e.g. from 2028:
50 % renewable, or 50 % waste heat, or ..., or 5 % renewable and 50 % renewable + waste heat +
high-efficiency cogeneration). The disjunction is solved exactly: one LP per alternative in
force in the scenario year (less those implied by another, which cannot be cheaper), each
adding that alternative's share conditions to the same model, and the cheapest feasible
alternative is kept. Alternatives that the installed capacity cannot
reach are skipped with a proof (their best-case share), and when the unconstrained dispatch
already satisfies an alternative no further LP is needed.

Article 26(2) (GHG intensity) is a single linear constraint on direct emissions per kWh of
heat delivered.
"""

from __future__ import annotations

import time
from typing import Any, Literal

import numpy as np
import pandas as pd

from heatpath.dispatch.build import DispatchModel, build, requirement_coefficients
from heatpath.dispatch.result import DispatchResult
from heatpath.dispatch.solve import diagnose, extract, prepare, run_model
from heatpath.eed import (
    assess,
    category_heat,
    classify_system,
    essential_alternatives,
    ghg_intensity,
    ghg_limit_g_per_kwh,
    group_fractions,
    heat_emission_factors,
)
from heatpath.model.errors import InfeasibleError
from heatpath.model.schema import ShareRequirement, System


def eed_block(result: DispatchResult, factors: pd.Series | None = None) -> dict[str, Any]:
    """The ``eed`` block of ``summary.json``: Art. 26(1) assessment of the realised shares,
    Art. 26(2) GHG intensity (g CO2 per kWh delivered) against the year's limit, and the
    closest miss when not efficient.

    Parameters
    ----------
    result : DispatchResult
        A dispatch of one year.
    factors : Series, optional
        Direct emissions per MWh of heat per unit, t/MWh (default
        :func:`heatpath.eed.heat_emission_factors`).
    """
    system = result.system
    year = system.system.year
    if factors is None:
        factors = heat_emission_factors(system)
    a = assess(year, result.group_heat_mwh.to_dict())
    emissions = float((result.heat_mwh * factors.reindex(result.heat_mwh.index)).sum())
    ghg = float(ghg_intensity(emissions, result.heat_delivered_mwh))
    limit = ghg_limit_g_per_kwh(year)
    out: dict[str, Any] = {
        "efficient": bool(a.efficient),
        "criteria_met": list(a.criteria_met),
        "period": a.period,
        "ghg_g_per_kwh": ghg,
        "ghg_limit_g_per_kwh": limit,
        "efficient_26_2": bool(ghg <= limit + 1e-9),
        "explanation": a.explanation,
    }
    if a.closest_miss is not None and not a.efficient:
        out["closest_miss"] = {
            "alternative": a.closest_miss.alternative_id,
            "mwh": float(a.closest_miss.mwh),
            "target_group": a.closest_miss.target_group,
        }
    return out


def unit_blocks(result: DispatchResult) -> dict[str, Any]:
    """The ``units`` (kind, capacity, Table A-1 category, counting groups, rule) and
    ``category_heat_mwh`` (heat per Table A-1 category, MWh) blocks of ``summary.json``."""
    system = result.system
    classes = classify_system(system)
    units = {
        u.name: {
            "kind": u.kind,
            "capacity_mw": float(result.capacities.get(u.name, u.capacity_mw)),
            "eed_category": classes[u.name].category,
            "eed_groups": dict(classes[u.name].fractions),
            "category_fractions": dict(classes[u.name].category_fractions),
            "eed_reason": classes[u.name].reason,
        }
        for u in system.units
    }
    return {"units": units,
            "category_heat_mwh": category_heat(system, result.heat_mwh.to_dict())}


def _best_case_share(dm: DispatchModel, req: ShareRequirement) -> float:
    """Upper bound of the share a requirement can reach.

    In every hour, qualifying heat is at most the qualifying units' available capacity and
    at most what the network can take: demand + losses + the storages' charging power. Heat
    into the network over the year is at least demand + losses, so the share is at most
    sum_t min(qualifying capacity_t, need_t + charge) / sum_t need_t. Extendable units count
    at their maximum capacity (unbounded: no limit).
    """
    q = dm.fractions[list(req.groups)].sum(axis=1)
    cap = dm.tables.p_max.copy()
    for u in dm.system.units:
        if u.extendable:
            cmax = np.inf if u.capacity_max_mw is None else u.capacity_max_mw
            a = dm.tables.availability[u.name].to_numpy()
            cap[u.name] = np.where(a > 0, cmax * a, 0.0)
    qualifying = (cap * q.reindex(cap.columns).fillna(0.0)).sum(axis=1).to_numpy()
    need = (dm.demand_mw + dm.losses_mw).to_numpy()
    charge = sum(np.inf if s.extendable else s.charge_mw for s in dm.system.storages)
    reachable = np.minimum(qualifying, need + charge)
    total = float(need.sum())
    return min(1.0, float(reachable.sum()) / total) if total > 0 else 0.0


def _add_conditions(dm: DispatchModel, reqs: list[ShareRequirement], tag: str) -> list[str]:
    import xarray as xr

    heat = dm.model.variables["heat"]
    names = []
    for k, req in enumerate(reqs):
        coef = requirement_coefficients(dm.fractions, req)
        da = xr.DataArray(coef.to_numpy(), coords={"unit": list(coef.index)}, dims="unit")
        name = f"eed_{tag}_{k}"
        dm.model.add_constraints((da * heat).sum() >= 0, name=name)
        dm.share_constraint_names[req.label] = name
        names.append(name)
    return names


def _remove(dm: DispatchModel, names: list[str], reqs: list[ShareRequirement]) -> None:
    for name in names:
        dm.model.remove_constraints(name)
    for req in reqs:
        dm.share_constraint_names.pop(req.label, None)


def run_scenario(system: System, *,
                 on_infeasible: Literal["raise", "unconstrained"] = "raise") -> DispatchResult:
    """Optimise ``system`` with the EED treatment of its ``[eed]`` table.

    * ``article = "none"``: cost-optimal dispatch with the scenario's own share requirements,
      then assessed;
    * ``article = "26(1)"``: cheapest dispatch meeting at least one Art. 26(1) alternative of
      the scenario year; reports the chosen alternative, the marginal cost of compliance
      (EUR per MWh of extra qualifying heat, from the duals) and the cost difference against
      the unconstrained dispatch;
    * ``article = "26(2)"``: cheapest dispatch within the Art. 26(2) GHG limit.

    The result's ``summary()`` gains an ``eed`` block: ``efficient``, ``criteria_met``,
    ``period``, ``ghg_g_per_kwh`` and, when enforced, the compliance details.

    Parameters
    ----------
    system : System
        The scenario.
    on_infeasible : {"raise", "unconstrained"}
        What to do when the EED criteria cannot be met: raise :class:`InfeasibleError`, or
        return the cost-optimal dispatch without them, its ``eed.enforced`` block holding
        ``met = False`` and the shortfall of every alternative.

    Raises
    ------
    InfeasibleError
        When demand cannot be served, or (``on_infeasible="raise"``) no alternative can be met
        (the message lists each alternative's shortfall).
    """
    t0 = time.perf_counter()
    system = prepare(system)
    year = system.system.year
    fractions = group_fractions(system)
    factors = heat_emission_factors(system)
    base_reqs = list(system.share_requirements)
    article = system.eed.article

    ghg_kw: dict[str, Any] = {}
    if article == "26(2)":
        ghg_kw = {"ghg_limit_t_per_mwh": ghg_limit_g_per_kwh(year) / 1000.0,
                  "heat_emission_t_per_mwh": factors}
    dm = build(system, fractions, base_reqs, **ghg_kw)
    t_build = time.perf_counter() - t0

    solves: list[dict[str, Any]] = []

    def solve_now(label: str) -> DispatchResult | None:
        ts = time.perf_counter()
        status, cond = run_model(dm)
        entry: dict[str, Any] = {"alternative": label, "status": status,
                                 "solve_s": time.perf_counter() - ts}
        solves.append(entry)
        if status != "ok":
            if cond not in ("infeasible", "infeasible_or_unbounded"):
                raise RuntimeError(f"HiGHS ended with status {status} ({cond})")
            return None
        res = extract(dm, status)
        entry["objective_eur"] = res.objective_eur
        return res

    compliance: dict[str, Any] = {"article": article}
    base = solve_now("unconstrained" if article != "26(2)" else "26(2)")
    if base is None and ghg_kw:
        violations = diagnose(system, fractions, base_reqs, **ghg_kw)
        if on_infeasible == "raise":
            raise InfeasibleError(f"scenario '{system.system.name}' cannot meet the Art. 26(2) "
                                  f"GHG limit in {year}:", violations)
        compliance.update(met=False, violations=violations)
        dm = build(system, fractions, base_reqs)
        base = solve_now("unconstrained")
    if base is None:
        raise InfeasibleError(
            f"scenario '{system.system.name}' ({year}) is infeasible even before the EED "
            "criteria are added:", diagnose(system, fractions, base_reqs))

    chosen = base
    if article == "26(1)":
        a0 = assess(year, base.group_heat_mwh.to_dict())
        compliance["unconstrained_cost_eur"] = base.objective_eur
        compliance["unconstrained_efficient"] = a0.efficient
        if a0.efficient:
            compliance.update(chosen_alternative=a0.criteria_met[0],
                              cost_of_compliance_eur=0.0, marginal_cost_eur_per_mwh={})
        else:
            best: tuple[float, str, DispatchResult] | None = None
            skipped: dict[str, str] = {}
            # alternatives implied by another one are redundant: the same optimum is found
            # with fewer LPs (heatpath.eed.essential_alternatives)
            for alt in essential_alternatives(year):
                reqs = [ShareRequirement(name=f"{alt.id}:{'+'.join(c.groups)}",
                                         groups=list(c.groups), min_share=c.min_share)
                        for c in alt.conditions]
                reach = [(_best_case_share(dm, r), r) for r in reqs]
                unreachable = [(s, r) for s, r in reach if s < r.min_share - 1e-9]
                if unreachable:
                    s, r = unreachable[0]
                    skipped[alt.id] = (f"{'+'.join(r.groups)} can reach at most {s:.1%} "
                                       f"with the installed capacity (< {r.min_share:.0%})")
                    continue
                names = _add_conditions(dm, reqs, alt.id.replace(".", "_"))
                res = solve_now(alt.id)
                _remove(dm, names, reqs)
                if res is None:
                    found = diagnose(system, fractions, base_reqs + reqs)
                    skipped[alt.id] = "infeasible in the hourly dispatch: " + "; ".join(found)
                elif best is None or res.objective_eur < best[0]:
                    best = (res.objective_eur, alt.id, res)
            if best is None:
                violations = [f"{k}: {v}" for k, v in skipped.items()]
                if on_infeasible == "raise":
                    raise InfeasibleError(
                        f"scenario '{system.system.name}' cannot be efficient under Art. 26(1) "
                        f"in {year}: no alternative can be met", violations)
                compliance.update(met=False, violations=violations)
            else:
                chosen = best[2]
                compliance.update(
                    chosen_alternative=best[1],
                    cost_of_compliance_eur=best[0] - base.objective_eur,
                    marginal_cost_eur_per_mwh=chosen.share_duals,
                    alternatives_skipped=skipped,
                )
    elif article == "26(2)":
        compliance["ghg_limit_g_per_kwh"] = ghg_limit_g_per_kwh(year)

    chosen.extra.update(unit_blocks(chosen))
    block = eed_block(chosen, factors)
    if article != "none":
        compliance.setdefault("met", True)
        block["enforced"] = compliance
    chosen.extra["eed"] = block
    chosen.extra["solves"] = solves
    total = time.perf_counter() - t0
    solve_s = float(np.sum([s["solve_s"] for s in solves]))
    chosen.timings_s = {"build": t_build, "solve": solve_s, "total": total}
    return chosen
