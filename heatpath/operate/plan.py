"""The operator's seasonal plan: a fast annual solve on forecast data.

Before the first window the operator solves the whole year once on the *seasonal* forecast
(:meth:`heatpath.operate.forecast.Forecaster.seasonal`) at a coarser time step (``k`` hours
per step, default 2: the year becomes an LP of 4380 steps that HiGHS solves in a few seconds
for a Bucharest-size system), and re-solves it from the realised state every ``replan_days``
(:func:`replan`). The plan gives

* the Art. 26(1) alternative to aim for: every alternative in force (less those implied by
  another, :func:`heatpath.eed.essential_alternatives`, and those the installed capacity
  cannot reach) is solved with penalised shortfalls, and the cheapest is kept — the same
  choice as :func:`heatpath.dispatch.run_scenario` makes on the hourly year;
* the *target trajectory* of each requirement: the planned cumulative surplus ``S*(t)``
  (:mod:`heatpath.operate.targets`), spread evenly over the hours of each step and shifted
  so that it ends at exactly 0 (the legal requirement) — ``S~(t) = S*(t) - S*(T) C*(t) /
  C*(T)`` with ``C*`` the planned cumulative heat into the network;
* the value of stored heat, EUR/MWh, hour by hour: minus the dual of the storage balance
  (the marginal value of one more MWh in store), used as the terminal value of each window
  so that a 48 h window does not empty a seasonal store greedily;
* the planned storage content (start of the year: the cyclic plan's content) and the planned
  use of every unit with an annual fuel limit (to share the limit between windows);
* the *reachable surplus* of each requirement after every hour: the surplus the rest of the
  year can still yield — the larger of the plan's own remaining surplus and the best case
  without storage (every hour filled with the units of the highest coefficient first:
  qualifying units at their forecast availability, must-run units at their minimum) — and
  the surplus one MWh left in store is worth (it displaces non-qualifying heat: ``x`` times
  the discharge efficiency) — the year-end guarantee of ``tracking``
  (:mod:`heatpath.operate.rolling`).

Aggregation to ``k``-hour steps: energies per step (demand, losses, capacities, storage
power) are the sums over the step, prices and availabilities the means, the COP the harmonic
mean, the standing loss compounds (``1 - (1 - l)^k``); the plan is an LP even in MILP mode.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from heatpath.dispatch.build import UNSERVED_PENALTY
from heatpath.eed import (
    Alternative,
    essential_alternatives,
    ghg_limit_g_per_kwh,
    heat_emission_factors,
)
from heatpath.model.schema import CHPExtraction, HeatPump, System
from heatpath.operate.data import (
    Hourly,
    Static,
    fuel_budget_mwh,
    fuel_mw,
    realised_hourly,
    static_of,
    window_tables,
)
from heatpath.operate.targets import (
    Target,
    alternative_targets,
    ghg_target,
    scenario_targets,
    unique_keys,
)
from heatpath.operate.window import TARGET_PENALTY, WindowModel, highs_options


@dataclass
class SeasonalPlan:
    """Result of :func:`seasonal_plan` (hourly arrays cover the whole year).

    Attributes
    ----------
    alternative : Alternative or None
        Art. 26(1) alternative aimed at (None without Art. 26(1) or for strategy ``none``).
    targets : list of Target
        Requirements tracked in operation (scenario requirements, the alternative's
        conditions or the Art. 26(2) limit).
    trajectory : ndarray, shape (hours, targets)
        Target cumulative surplus at the end of each hour (0 at the end of the year), MWh / t.
    planned_surplus : ndarray, shape (hours, targets)
        The plan's own cumulative surplus ``S*`` (before the shift to 0).
    cum_heat : ndarray, shape (hours,)
        Planned cumulative heat into the network, MWh.
    soc : ndarray, shape (hours, storages)
        Planned storage content at the end of each hour, MWh.
    soc_value : ndarray, shape (hours, storages)
        Value of stored heat at the end of each hour, EUR/MWh (>= 0).
    heat : ndarray, shape (hours, units)
        Planned heat per unit, MW (step values spread evenly).
    target_dual : ndarray, shape (targets,)
        Marginal cost of each target in the plan, EUR per MWh (or t) of surplus.
    reachable : ndarray, shape (hours, targets)
        Surplus the hours after each hour can still add: the larger of the plan's remaining
        surplus and the best case without storage (:func:`best_case_surplus` summed from
        the end of the year), MWh / t.
    store_coef : ndarray, shape (targets, storages)
        Surplus per MWh left in each storage (level x discharge efficiency for shares, 0
        for the GHG limit).
    fuel_cum : ndarray, shape (hours, units)
        Planned cumulative fuel of every unit at the end of each hour (linear within a
        step; a re-plan counts the fuel burnt before it), MWh.
    cost_eur : float
        Plan objective (forecast data, without penalties), EUR.
    shortfall : ndarray, shape (targets,)
        Planned shortfall of each target (penalised slack), MWh / t.
    tried : dict
        Objective (with penalties) of every alternative solved, EUR.
    skipped : dict
        Alternatives not solved and why.
    resolution_h : int
    solve_s, build_s : float
    """

    alternative: Alternative | None
    targets: list[Target]
    trajectory: np.ndarray
    planned_surplus: np.ndarray
    cum_heat: np.ndarray
    soc: np.ndarray
    soc_value: np.ndarray
    heat: np.ndarray
    target_dual: np.ndarray
    cost_eur: float
    shortfall: np.ndarray
    resolution_h: int
    reachable: np.ndarray
    store_coef: np.ndarray
    fuel_cum: np.ndarray
    tried: dict[str, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    solve_s: float = 0.0
    build_s: float = 0.0
    model: PlanModel | None = None
    replans: list[dict[str, float]] = field(default_factory=list)
    reserve: np.ndarray | None = None


@dataclass
class PlanModel:
    """The seasonal plan's LP, kept for re-plans from the realised state (:func:`replan`).

    Attributes
    ----------
    wm : WindowModel
        The cyclic plan model (``k``-hour steps, every requirement of every candidate).
    static : Static
        Per-unit constants of the aggregated system.
    data : Hourly
        Aggregated seasonal forecast, one row per step (energies per step).
    targets : list of Target
        The requirements of the plan's rows, with the margin.
    active : list of int
        Rows of the chosen alternative (and the scenario's requirements).
    best_rest : ndarray, shape (hours, tracked targets)
        Surplus of the hours after each hour in the best case without storage, MWh / t.
    margin : float
    soc_end : ndarray, shape (storages,)
        Storage content at the end of the year the re-plans aim for (the cyclic plan's),
        MWh.
    fuel_budget : ndarray, shape (units,)
        Annual fuel limit of every unit for the year (inf without one), MWh.
    """

    wm: WindowModel
    static: Static
    data: Hourly
    targets: list[Target]
    active: list[int]
    best_rest: np.ndarray
    margin: float
    soc_end: np.ndarray
    fuel_budget: np.ndarray


def aggregate(system: System, data: Hourly, k: int) -> System:
    """A copy of a prepared ``system`` on ``k``-hour steps with the hourly ``data``.

    Parameters
    ----------
    system : System
        Prepared system (hourly).
    data : Hourly
        Hourly data to aggregate (e.g. the seasonal forecast), whole year.
    k : int
        Hours per step; must divide the number of hours.

    Returns
    -------
    System
        A derived system whose snapshots are the first hour of each step; one step of the
        aggregated model stands for ``k`` hours (flows are MWh per step).
    """
    n = len(system.snapshots)
    if n % k:
        raise ValueError(f"plan resolution {k} h does not divide the {n} hours of the year")
    idx = system.snapshots[::k]

    def mean(a: np.ndarray) -> np.ndarray:
        return a.reshape(n // k, k, *a.shape[1:]).mean(axis=1)

    def ser(a: np.ndarray) -> pd.Series:
        return pd.Series(np.asarray(a, dtype=float), index=idx)

    agg = system.model_copy(deep=True)
    d = agg.demand
    object.__setattr__(d, "heat_mw", ser(k * mean(data.demand)))
    object.__setattr__(d, "network_loss_mw", ser(k * mean(data.losses)))
    object.__setattr__(d, "network_loss_fraction", None)
    p = agg.prices
    object.__setattr__(p, "electricity_eur_per_mwh", ser(mean(data.el_price)))
    object.__setattr__(p, "co2_eur_per_t", ser(mean(data.co2_price)))
    object.__setattr__(p, "fuels_eur_per_mwh",
                       {f: ser(mean(v)) for f, v in data.fuel_price.items()})
    for name in ("grid_import_limit_mw", "grid_export_limit_mw"):
        if getattr(p, name) is not None:
            object.__setattr__(p, name, getattr(p, name) * k)
    for i, u in enumerate(agg.units):
        object.__setattr__(u, "availability", ser(mean(data.availability[:, i])))
        object.__setattr__(u, "capacity_mw", u.capacity_mw * k)
        object.__setattr__(u, "extendable", False)
        if isinstance(u, HeatPump):
            object.__setattr__(u, "cop", ser(1.0 / mean(1.0 / np.maximum(data.cop[:, i],
                                                                        1e-6))))
        if isinstance(u, CHPExtraction):
            object.__setattr__(u, "el_capacity_mw", u.el_capacity_mw * k)
        if u.annual_fuel_max_mwh is not None:
            object.__setattr__(u, "annual_fuel_max_mwh", u.annual_fuel_max_mwh * k)
    for s in agg.storages:
        object.__setattr__(s, "charge_mw", s.charge_mw * k)
        object.__setattr__(s, "discharge_mw", s.discharge_mw * k)
        object.__setattr__(s, "standing_loss_per_h", 1.0 - (1.0 - s.standing_loss_per_h) ** k)
        object.__setattr__(s, "extendable", False)
    agg.snapshots = idx
    agg.dispatch = agg.dispatch.model_copy(update={"mode": "lp"})
    return agg


def candidate_targets(system: System, fractions: pd.DataFrame, strategy: str,
                      alternative: str | None = None) -> tuple[
                          list[Target], list[tuple[Alternative, list[Target]]]]:
    """Targets always tracked and the Art. 26(1) candidates of a strategy.

    Returns
    -------
    base : list of Target
        Scenario share requirements and (Art. 26(2)) the GHG limit; empty for ``none``.
    candidates : list of (Alternative, list of Target)
        Art. 26(1) alternatives to choose from (one if ``alternative`` is given).
    """
    if strategy == "none":
        return [], []
    units = [u.name for u in system.units]
    base = scenario_targets(list(system.share_requirements), fractions, units)
    year = system.system.year
    article = system.eed.article
    if article == "26(2)":
        base.append(ghg_target(ghg_limit_g_per_kwh(year) / 1000.0,
                               heat_emission_factors(system), units))
    cands: list[tuple[Alternative, list[Target]]] = []
    if article == "26(1)" or alternative is not None:
        from heatpath.eed import alternatives as all_alternatives

        alts = essential_alternatives(year)
        if alternative is not None:
            alts = [a for a in all_alternatives(year) if a.id == alternative]
            if not alts:
                known = ", ".join(a.id for a in all_alternatives(year))
                raise ValueError(f"unknown alternative '{alternative}' for {year}; "
                                 f"known: {known}")
        cands = [(a, alternative_targets(a, fractions, units)) for a in alts]
    return base, cands


def with_margin(target: Target, margin: float) -> Target:
    """``target`` tightened by ``margin`` (share points, or a fraction of a GHG limit)."""
    if margin == 0:
        return target
    if target.kind == "share":
        level = target.level + margin
        return replace(target, level=level, coef=target.qualifying - level)
    return replace(target, level=target.level * (1.0 - margin))


def _best_case(st: Static, data: Hourly, t: Target) -> float:
    """Highest share a share target can reach (qualifying units at capacity all year)."""
    tab = window_tables(st, data)
    need = float(tab.need.sum())
    return min(1.0, float((tab.p_max @ t.qualifying).sum()) / need) if need > 0 else 0.0


def best_case_surplus(st: Static, data: Hourly, target: Target) -> np.ndarray:
    """Largest hourly surplus of ``target`` without storage, MWh (or t) per hour.

    Every hour's heat need (demand + losses) is met with the minimum output of every unit,
    then with the units in order of decreasing coefficient up to their available capacity.

    Parameters
    ----------
    st : Static
        Per-unit constants.
    data : Hourly
        Hourly data (e.g. the seasonal forecast).
    target : Target

    Returns
    -------
    ndarray, shape (hours,)
    """
    tab = window_tables(st, data)
    rest = tab.need - tab.p_min.sum(axis=1)
    out = tab.p_min @ target.coef + target.offsets(data.demand)
    for u in np.argsort(-target.coef, kind="stable"):
        add = np.clip(np.minimum(tab.p_max[:, u] - tab.p_min[:, u], rest), 0.0, None)
        out += add * target.coef[u]
        rest = rest - add
    return out


def _spread(step_values: np.ndarray, k: int) -> np.ndarray:
    """Hourly values of per-step totals: each step's total divided evenly over its hours."""
    return np.repeat(np.asarray(step_values, dtype=float) / k, k, axis=0)


def _cumulative_hourly(step_values: np.ndarray, k: int) -> np.ndarray:
    """Cumulative sum at the end of each hour, linear within a step."""
    return np.cumsum(_spread(step_values, k), axis=0)


def seasonal_plan(system: System, data: Hourly, fractions: pd.DataFrame, *,
                  strategy: str = "tracking", resolution_h: int = 4,
                  alternative: str | None = None, margin: float = 0.0) -> SeasonalPlan:
    """Solve the seasonal plan (see module docstring).

    Parameters
    ----------
    system : System
        Prepared system.
    data : Hourly
        Seasonal forecast for the whole year.
    fractions : DataFrame
        EED counting fractions.
    strategy : {"none", "pro-rata", "tracking"}
        ``none`` plans without EED targets (cost only).
    resolution_h : int
        Hours per plan step (divisor of 24).
    alternative : str, optional
        Force this Art. 26(1) alternative id instead of choosing the cheapest.
    margin : float
        Safety margin: the plan aims at ``min_share + margin`` (share targets) or
        ``limit (1 - margin)`` (GHG), and the trajectory ends at that margin above the
        requirement.
    """
    t0 = time.perf_counter()
    k = int(resolution_h)
    n = len(system.snapshots)
    st = static_of(system)
    base, cands = candidate_targets(system, fractions, strategy, alternative)
    skipped: dict[str, str] = {}
    reachable = []
    for alt, tg in cands:
        short = [(t, _best_case(st, data, t)) for t in tg]
        short = [(t, s) for t, s in short if s < t.level - 1e-9]
        if short and alternative is None:
            t, s = short[0]
            skipped[alt.id] = (f"{'+'.join(t.groups)} can reach at most {s:.1%} with the "
                               f"installed capacity (< {t.level:.0%})")
            continue
        reachable.append((alt, tg))
    if cands and not reachable:  # nothing reachable: aim for the closest anyway
        reachable = cands
    raw = base + [t for _, tg in reachable for t in tg]
    all_targets = unique_keys(raw)
    agg = aggregate(system, data, k)
    opts = highs_options(system)
    opts.update({"solver": "simplex", "simplex_strategy": 1})
    opts.pop("mip_rel_gap", None)
    planned_targets = [with_margin(t, margin) for t in all_targets]
    st_k = static_of(agg)
    wm = WindowModel(agg, st_k, fractions, planned_targets, n // k, cyclic=True,
                     options=opts)
    build_s = time.perf_counter() - t0
    demand_k = agg.demand.heat_mw.to_numpy(float)
    offsets = np.array([t.offsets(demand_k).sum() for t in planned_targets])
    nb = len(base)
    groups: list[tuple[Alternative | None, list[int]]] = []
    pos = nb
    for alt, tg in reachable:
        groups.append((alt, list(range(pos, pos + len(tg)))))
        pos += len(tg)
    if not groups:
        groups = [(None, [])]
    tried: dict[str, float] = {}
    best: tuple[float, Alternative | None, list[int], dict[str, np.ndarray],
                np.ndarray] | None = None
    for alt, rows in groups:
        active = list(range(nb)) + rows
        rhs = np.full(len(all_targets), -np.inf)
        rhs[active] = -offsets[active]
        if all_targets:
            wm.lp.rlo[wm.r_target] = rhs
        status = wm.solve()
        if status != "Optimal":
            raise RuntimeError(f"seasonal plan: HiGHS ended with status '{status}'")
        obj = wm.lp.objective
        if alt is not None:
            tried[alt.id] = obj
        if best is None or obj < best[0] - 1e-9 * max(1.0, abs(obj)):
            vals = wm.values(n // k)
            best = (obj, alt, active, vals, wm.soc_duals().copy() if st.storages else
                    np.zeros((n // k, 0)))
    assert best is not None
    _, alt, active, vals, duals = best
    targets = unique_keys([raw[i] for i in active])
    heat_k = vals["heat"]
    heat = _spread(heat_k, k)
    cum_heat = np.cumsum(heat.sum(axis=1))
    surplus_k = np.column_stack([t.surplus(heat_k, demand_k) for t in targets]) if targets \
        else np.zeros((n // k, 0))
    planned = _cumulative_hourly(surplus_k, k)
    if targets:
        # shift so that the trajectory ends at the margin (0 without one)
        scale = np.array([1.0 if t.kind == "share" else t.level for t in targets])
        end = planned[-1] - margin * cum_heat[-1] * scale
        trajectory = planned - np.outer(cum_heat / max(cum_heat[-1], 1e-9), end)
        slack = vals.get("target_slack", np.zeros(len(all_targets)))[active]
        tdual = vals.get("target_dual", np.zeros(len(all_targets)))[active]
    else:
        trajectory = planned
        slack = tdual = np.zeros(0)
    best_rest = np.zeros((n, len(targets)))
    for j, t in enumerate(targets):
        hourly = best_case_surplus(st, data, t)
        best_rest[:, j] = np.r_[np.cumsum(hourly[::-1])[::-1][1:], 0.0]
    reachable = np.maximum(best_rest, planned[-1] - planned)
    eta = np.array([s.discharge_efficiency for s in system.storages])
    store_coef = np.array([t.level * eta if t.kind == "share" else 0.0 * eta
                           for t in targets]).reshape(len(targets), len(eta))
    if st.storages:
        soc, soc_value = _storage_hourly(vals["soc"], duals, vals["soc"][-1], k)
    else:
        soc = soc_value = np.zeros((n, 0))
    cost = best[0] - TARGET_PENALTY * float(np.sum(slack)) \
        - UNSERVED_PENALTY * float(vals["unserved"].sum())
    model = PlanModel(wm, st_k, realised_hourly(agg), planned_targets, active,
                      best_rest, margin, soc[-1].copy(), fuel_budget_mwh(system))
    return SeasonalPlan(
        alternative=alt, targets=targets, trajectory=trajectory, planned_surplus=planned,
        cum_heat=cum_heat, soc=soc, soc_value=soc_value, heat=heat, target_dual=tdual,
        cost_eur=cost, shortfall=slack, resolution_h=k, reachable=reachable,
        store_coef=store_coef,
        fuel_cum=_cumulative_hourly(fuel_mw(st_k, heat_k, vals["chp_el"]), k),
        tried=tried, skipped=skipped,
        solve_s=time.perf_counter() - t0 - build_s, build_s=build_s, model=model)


def _storage_hourly(soc_k: np.ndarray, duals: np.ndarray, before: np.ndarray,
                    k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hourly storage content (linear within a step, from ``before`` the first step) and
    value of stored heat of a plan's steps, MWh and EUR/MWh."""
    prev = np.vstack([before[None, :], soc_k[:-1]])
    frac = (np.arange(len(soc_k) * k) % k + 1) / k
    soc = np.repeat(prev, k, axis=0) + frac[:, None] * np.repeat(soc_k - prev, k, axis=0)
    # value of one more MWh in store at the end of step b: minus the dual of balance b
    # (its right-hand side adds heat to the store in step b)
    return soc, np.repeat(np.maximum(-duals, 0.0), k, axis=0)


def replan(plan: SeasonalPlan, t0: int, heat_done: np.ndarray, demand_done: np.ndarray,
           soc0: np.ndarray, fuel_left: dict[int, float],
           reserve: np.ndarray | None = None,
           reserve_price: np.ndarray | None = None) -> SeasonalPlan:
    """Re-solve the seasonal plan for hours ``t0 ..`` of the year from the realised state.

    The plan model keeps its structure: the steps before ``t0`` become padding (nothing to
    serve), the storage balance of the step starting at ``t0`` starts from the realised
    content (its link to the step before is removed), the requirements count the realised
    surplus, annual fuel limits the fuel left, and the content at the year end is held at
    the cyclic plan's (soft target). HiGHS re-solves from the previous basis. The hours from
    ``t0`` of the trajectory (from the realised surplus, ending at the margin plus
    ``reserve``), the marginal values, storage content and value, unit heat, cumulative fuel
    (from the fuel burnt: the limit less ``fuel_left``) and reachable surplus are replaced;
    ``plan.reserve`` records the reserve the trajectory holds.

    Parameters
    ----------
    plan : SeasonalPlan
        Current plan (updated in place and returned).
    t0 : int
        First hour of the re-plan (a multiple of the plan resolution, > 0).
    heat_done : ndarray, shape (t0, units)
        Realised heat per unit, MW.
    demand_done : ndarray, shape (t0,)
        Realised heat demand, MW.
    soc0 : ndarray, shape (storages,)
        Realised storage content at the end of hour ``t0 - 1``, MWh.
    fuel_left : dict
        Unit position -> fuel left of its annual limit, MWh.
    reserve : ndarray, shape (tracked targets,), optional
        Surplus the year must end with on top of the requirement (the drift reserve of
        :func:`heatpath.operate.rolling.drift_reserve`), MWh / t; default 0.
    reserve_price : ndarray, shape (tracked targets,), optional
        Cost of a shortfall against the reserve, EUR per MWh (or t) (default: the full
        penalty); the requirement itself always costs the full penalty.

    Returns
    -------
    SeasonalPlan
    """
    pm = plan.model
    if pm is None:
        raise ValueError("the plan keeps no model to re-plan with")
    tic = time.perf_counter()
    k = plan.resolution_h
    b = t0 // k
    if b * k != t0 or b < 1:
        raise ValueError(f"a re-plan starts after the first step at a multiple of {k} h "
                         f"(got hour {t0})")
    wm, st = pm.wm, pm.static
    nk = len(pm.data)
    data = pm.data.from_hour(b)
    reserve = np.zeros(len(plan.targets)) if reserve is None else np.asarray(reserve, float)
    floor = np.full(len(pm.targets), -np.inf)
    for i in pm.active:
        t = pm.targets[i]
        floor[i] = -t.surplus(heat_done, demand_done).sum() - t.offsets(data.demand).sum()
    rhs = floor.copy()
    rhs[pm.active] += reserve
    price = np.full(len(pm.targets), TARGET_PENALTY)
    if reserve_price is not None:
        price[pm.active] = reserve_price
    soc_targets = np.full((nk, len(st.storages)), np.nan)
    soc_targets[-1] = pm.soc_end
    wm.update(window_tables(st, data), target_rhs=rhs if pm.targets else None,
              target_penalty=price if pm.targets else None,
              floor_rhs=floor if pm.targets else None,
              fuel_caps={i: max(v, 0.0) for i, v in fuel_left.items()},
              soc_targets=soc_targets if st.storages else None)
    lp = wm.lp
    if st.storages:
        # open the storage balances at step b (and the cyclic link of step 0) ...
        ns = len(st.storages)
        lp.set_coeffs(np.r_[wm.r_soc[b], wm.r_soc[0]], np.r_[wm.c_soc[b - 1], wm.c_soc[-1]],
                      np.zeros(2 * ns))
        # ... and start step b from the realised content
        lp.rlo[wm.r_soc[b]] = lp.rup[wm.r_soc[b]] = st.keep * soc0
    status = wm.solve()
    if status != "Optimal":
        raise RuntimeError(f"re-plan from hour {t0}: HiGHS ended with status '{status}'")
    vals = wm.values(nk)
    heat = _spread(vals["heat"], k)
    plan.heat[t0:] = heat[t0:]
    burnt = np.zeros(len(st.units))
    for i, left in fuel_left.items():
        burnt[i] = pm.fuel_budget[i] - left
    plan.fuel_cum[t0:] = burnt + _cumulative_hourly(
        fuel_mw(st, vals["heat"], vals["chp_el"])[b:], k)
    targets = plan.targets
    if targets:
        done = np.array([t.surplus(heat_done, demand_done).sum() for t in targets])
        surplus = np.column_stack([t.surplus(heat, np.repeat(data.demand / k, k))
                                   for t in targets])[t0:]
        rest = np.cumsum(surplus, axis=0)
        cum = np.cumsum(heat[t0:].sum(axis=1))
        total = float(heat_done.sum()) + cum[-1]
        scale = np.array([1.0 if t.kind == "share" else t.level for t in targets])
        # the trajectory ends at the margin plus the part of the reserve the plan buys
        reserve = np.clip(done + rest[-1] - pm.margin * total * scale, 0.0, reserve)
        end = done + rest[-1] - pm.margin * total * scale - reserve
        plan.trajectory[t0:] = done + rest - np.outer(cum / max(cum[-1], 1e-9), end)
        plan.planned_surplus[t0:] = done + rest
        plan.reachable[t0:] = np.maximum(pm.best_rest[t0:], rest[-1] - rest)
        plan.target_dual = vals["target_dual"][pm.active] \
            + np.abs(lp.row_dual[wm.r_floor])[pm.active]
        plan.reserve = reserve
    if st.storages:
        soc, value = _storage_hourly(vals["soc"][b:], wm.soc_duals()[b:], soc0, k)
        plan.soc[t0:], plan.soc_value[t0:] = soc, value
    plan.replans.append({"hour": t0, "solve_s": time.perf_counter() - tic,
                         **{f"dual_{t.key}": float(d)
                            for t, d in zip(targets, plan.target_dual, strict=True)}})
    return plan
