"""Rolling-horizon operation of a year: plan a window on forecasts, commit its first hours.

For every window start ``t0 = 0, step, 2 step, ...``:

1. **Plan.** The window model (``horizon`` hours, :class:`~heatpath.operate.window.
   WindowModel`, built once) is updated with the forecast of ``t0 .. t0 + horizon - 1``
   (:mod:`heatpath.operate.forecast`), the carried state (storage content, commitment history,
   cumulative surplus of every requirement, remaining annual fuel budgets), the strategy's
   target rows and the value of heat left in store at the window end (from the seasonal plan,
   :mod:`heatpath.operate.plan`), and re-solved from the previous basis.
2. **Commit.** Its first ``step`` hours are committed. With ``perfect`` forecasts the plan is
   the realised dispatch. Otherwise the committed hours are *re-dispatched* against realised
   data: a second HiGHS copy of the window model (hours after the committed ones left empty)
   keeps the planned storage content hour by hour as soft targets (deviations cost
   1000 EUR/MWh; ``tracking``: content above the plan is free except at the last committed
   hour, so the store absorbs heat a lower demand leaves) and the planned surplus of every
   requirement for these hours (a shortfall costs the larger of the window's and 1.25 x the
   seasonal plan's marginal value of surplus, or the full penalty in the last
   ``catch_up_h`` hours of the year), fixes the planned unit commitment (MILP) and
   re-optimises the unit set-points, so the heat balance holds exactly with realised demand
   and prices while the day-ahead storage schedule and EED contribution are kept.
3. **Carry.** The realised storage content of the last committed hour starts the next window;
   commitment history, cumulative surplus per requirement and fuel used are updated.

Strategies (target rows of each window; ``S(t)`` is the cumulative surplus of a requirement,
:mod:`heatpath.operate.targets`):

* ``none`` — cost minimisation per window, no EED rows (shows the miss);
* ``pro-rata`` — each window meets the requirements on its own:
  ``sum over the window of surplus >= 0``;
* ``tracking`` — at the window end the cumulative surplus must be on or above the seasonal
  plan's trajectory: ``S(t0 - 1) + sum over the window >= S~(t_end)``; a window that starts
  behind by D must recover D n / C of it (n window hours, C = min(catch_up_h, hours left)),
  one that is ahead may spend its margin; every ``replan_days`` the seasonal plan is
  re-solved from the realised state (:func:`heatpath.operate.plan.replan`) and buys the
  drift reserve (:func:`drift_reserve`) where the rest of the year makes it cheapest; the
  windows follow the plan's burn of annual fuel limits (fuel floors) rather than buying
  the reserve themselves (docs/operate.md).

Target rows have penalised slacks (10 000 EUR per MWh short), so every window stays feasible
and a shortfall shows in the result instead of stopping the run; unserved heat is penalised
likewise (100 000 EUR/MWh) and reported.

A horizon of the whole year (or more) is one cyclic window: the annual model itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from heatpath.dispatch.result import DispatchResult
from heatpath.dispatch.scenario import eed_block, unit_blocks
from heatpath.eed import group_fractions
from heatpath.model.schema import SolarThermal, System
from heatpath.operate.data import (
    Hourly,
    Static,
    fuel_budget_mwh,
    fuel_mw,
    realised_hourly,
    static_of,
    window_tables,
)
from heatpath.operate.forecast import FORECASTS, Forecaster, ForecastName, NoiseModel
from heatpath.operate.plan import SeasonalPlan, replan, seasonal_plan
from heatpath.operate.result import (
    OperateResult,
    assemble,
    compliance_status,
    trajectory_frame,
    trajectory_summary,
)
from heatpath.operate.targets import (
    Target,
    alternative_targets,
    scenario_targets,
    unique_keys,
)
from heatpath.operate.window import SOC_TARGET_PENALTY, TARGET_PENALTY, WindowModel

STRATEGIES: tuple[str, ...] = ("none", "pro-rata", "tracking")
#: Safety margin of ``tracking`` with imperfect forecasts, share points (none: the adaptive
#: reserve and the year-end guarantee replace it; a margin is expensive where the
#: requirement is close to what the installed capacity can reach).
DEFAULT_MARGIN = 0.0
#: ``tracking``: a shortfall against the trajectory costs this multiple of the seasonal
#: plan's largest marginal value of a requirement, on top of the requirement's own value
#: (EUR per MWh or t). 3 cost 0.8 MEUR more than 1 on Bucharest scenario 1 and 1.7 MEUR
#: more on scenario 2 with persistence forecasts; below 1 the year-end floor is hit
#: (docs/operate.md).
CATCH_UP_PREMIUM = 1.0
#: ``tracking``: heat left in store above the seasonal plan's content at a window end is
#: worth this fraction of the plan's value of stored heat less (no overfilling).
TERMINAL_EXCESS = 1.0
#: ``tracking``: the reserve of the year-end guarantee covers this many standard deviations
#: of the drift still to come.
RESERVE_Z = 2.0
#: ``tracking``: the re-plans buy the drift reserve at up to this multiple of the seasonal
#: plan's largest marginal value of a requirement (EUR per MWh or t); the requirement itself
#: costs the full penalty. At the full penalty too the re-plans of Bucharest scenario 1 price
#: RES + WH at 10 000 EUR/MWh from November (reserve out of reach) and the year misses; at
#: 2 and 4 x the reserve is not bought from May and the year misses; 6-15 x: 12.0-12.1 MEUR
#: over the optimum (docs/operate.md).
RESERVE_PRICE = 10.0
#: ``tracking``: days between re-plans of the seasonal plan from the realised state.
REPLAN_DAYS = 30
#: A re-dispatch shortfall against the planned surplus costs at least this multiple of the
#: seasonal plan's marginal cost of the requirement (EUR per MWh of surplus) ...
SHORTFALL_PREMIUM = 1.25
#: ... and at least this much, EUR per MWh (or t).
MIN_SHORTFALL_PRICE = 1.0
#: ``tracking`` re-dispatch: storage content above the planned schedule is free within the
#: committed hours (the store absorbs heat that a demand below its forecast leaves, instead
#: of the re-dispatch cutting heat pumps where they are the marginal units); what is left
#: above the plan at the last committed hour costs this multiple of the largest surplus
#: value, EUR/MWh (the next window uses it). Bucharest scenario 1: 0.25-0.45 buy 38-47 GWh
#: of RES + WH heat too many (9.5-9.8 MEUR over the optimum), 0.5 8.4, 0.55-0.6 6.0-6.3
#: (year-end floor hit), 0.75 misses RES + WH, 1 empties the store (docs/operate.md).
STORE_EXCESS_PRICE = 0.5

#: Progress callback: (windows done, windows in total).
Progress = Callable[[int, int], None]


def _operable(system: System) -> tuple[System, list[str]]:
    """Prepared copy of ``system`` with extendable components fixed at their given size."""
    from heatpath.dispatch.solve import prepare

    system = prepare(system)
    fixed = [c.name for c in [*system.units, *system.storages] if c.extendable]
    if not fixed:
        return system, []
    system = system.model_copy(deep=True)
    for c in [*system.units, *system.storages]:
        if c.extendable:
            if getattr(c, "capacity_mwh", 0.0) is None:
                raise ValueError(f"storage '{c.name}' is extendable without capacity_mwh: "
                                 "operate needs a fixed size")
            object.__setattr__(c, "extendable", False)
    return system, fixed


def _check(horizon: int, step: int, strategy: str, forecast: str, n: int,
           system: System) -> None:
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy '{strategy}'; choose one of {', '.join(STRATEGIES)}")
    if forecast not in FORECASTS:
        raise ValueError(f"unknown forecast '{forecast}'; choose one of {', '.join(FORECASTS)}")
    if horizon < 1 or step < 1:
        raise ValueError(f"horizon ({horizon} h) and step ({step} h) must be >= 1 hour")
    if step > horizon and horizon < n:
        raise ValueError(f"step ({step} h) cannot exceed the horizon ({horizon} h)")
    if system.dispatch.mode == "milp":
        longest = max([max(u.min_up_h, u.min_down_h) for u in system.units if u.committed]
                      + [0])
        if horizon < n and longest >= min(step, horizon):
            raise ValueError(f"minimum up/down times of {longest} h need a step of more "
                             f"than {longest} h (got {step} h)")


def rolling_horizon(
    system: System,
    *,
    horizon: int = 48,
    step: int = 24,
    strategy: str = "tracking",
    forecast: ForecastName = "persistence",
    seed: int = 0,
    progress: Progress | None = None,
    plan_resolution_h: int = 2,
    alternative: str | None = None,
    benchmark: bool = True,
    benchmark_cost_eur: float | None = None,
    initial_soc_mwh: pd.Series | None = None,
    noise: NoiseModel | None = None,
    catch_up_h: int = 168,
    margin: float | None = None,
    reserve_z: float = RESERVE_Z,
    replan_days: int = REPLAN_DAYS,
) -> OperateResult:
    """Operate ``system`` for its year with a rolling horizon.

    Parameters
    ----------
    system : System
        Scenario (loaded or built in Python; prepared here). Its ``[eed]`` table decides
        what is tracked: ``26(1)`` the cheapest reachable alternative of the year (chosen by
        the seasonal plan), ``26(2)`` the GHG limit; the scenario's ``share_requirements``
        are always tracked (except with strategy ``none``).
    horizon : int
        Hours optimised per window (>= the year: one cyclic window, the annual optimum).
    step : int
        Hours committed per window (<= horizon).
    strategy : {"none", "pro-rata", "tracking"}
        EED treatment of each window (module docstring).
    forecast : {"perfect", "persistence", "noisy"}
        Forecast model (:mod:`heatpath.operate.forecast`).
    seed : int
        Seed of the ``noisy`` forecast errors.
    progress : callable, optional
        Called as ``progress(done, total)`` after every window.
    plan_resolution_h : int
        Hours per step of the seasonal plan (a divisor of 24; 1 = hourly, exact but slower).
    alternative : str, optional
        Art. 26(1) alternative id to aim for instead of the plan's choice.
    benchmark : bool
        Compute the perfect-foresight annual optimum with
        :func:`heatpath.dispatch.run_scenario` for the cost gap.
    benchmark_cost_eur : float, optional
        Precomputed perfect-foresight annual cost, EUR (skips the benchmark solve).
    initial_soc_mwh : Series, optional
        Storage content at the start of the year, MWh (default: the seasonal plan's).
    noise : NoiseModel, optional
        Parameters of the ``noisy`` forecast.
    catch_up_h : int
        ``tracking``: a window that starts behind the trajectory must recover the deficit
        pro rata over this many hours (and always by the end of the year), not within one
        window. In the last ``catch_up_h`` hours of the year re-dispatch shortfalls cost the
        full penalty.
    margin : float, optional
        ``tracking``: safety margin against forecast errors, share points: the seasonal plan
        aims at ``min_share + margin`` and the trajectory ends that far above the
        requirement (for the GHG limit: a fraction of the limit). Default 0.
    reserve_z : float
        ``tracking``: standard deviations of the drift still to come that the re-plans keep
        in reserve (:func:`drift_reserve`).
    replan_days : int
        ``tracking``: re-solve the seasonal plan every this many days from the realised
        state (:func:`heatpath.operate.plan.replan`); 0 = never.

    Returns
    -------
    OperateResult
    """
    t_start = time.perf_counter()
    system, fixed = _operable(system)
    n = len(system.snapshots)
    _check(horizon, step, strategy, forecast, n, system)
    if margin is None:
        margin = 0.0 if forecast == "perfect" else DEFAULT_MARGIN
    if 24 % plan_resolution_h:
        raise ValueError(f"plan_resolution_h must divide 24 (got {plan_resolution_h})")
    st = static_of(system)
    fractions = group_fractions(system)
    realised = realised_hourly(system)
    solar = np.array([isinstance(u, SolarThermal) for u in system.units])
    fc = Forecaster(realised, st.weather_driven, solar, forecast, seed, noise)
    cyclic = horizon >= n
    H = n if cyclic else int(horizon)
    S = n if cyclic else int(step)
    t_prep = time.perf_counter()

    seasonal = fc.seasonal()
    need_fc = seasonal.demand + seasonal.losses
    need_real = realised.demand + realised.losses  # heat need of each hour, MW
    plan = seasonal_plan(system, seasonal, fractions, strategy=strategy,
                         resolution_h=plan_resolution_h, alternative=alternative,
                         margin=margin)
    targets = plan.targets
    # the re-plans buy the drift reserve up to this price (the requirement: full penalty)
    reserve_price = np.maximum(RESERVE_PRICE * np.max(plan.target_dual, initial=0.0),
                               MIN_SHORTFALL_PRICE)
    t_plan = time.perf_counter()
    W = WindowModel(system, st, fractions, targets, H, cyclic=cyclic)
    R = None if (cyclic or forecast == "perfect") else W.clone(redispatch=True)
    t_build = time.perf_counter()

    # ---- state ------------------------------------------------------------------------------
    U, X, NS, K = len(st.units), len(st.x_pos), len(st.storages), len(targets)
    year: dict[str, np.ndarray] = {
        "heat": np.zeros((n, U)), "chp_el": np.zeros((n, X)), "charge": np.zeros((n, NS)),
        "discharge": np.zeros((n, NS)), "soc": np.zeros((n, NS)), "el_buy": np.zeros(n),
        "el_sell": np.zeros(n), "unserved": np.zeros(n)}
    committed = [st.units[i] for i in W.com] if W.milp else []
    if W.milp:
        year["on"] = np.zeros((n, len(committed)))
        year["start"] = np.zeros((n, len(committed)))
        if W.c_stop is not None:  # units with a minimum down time only
            year["stop"] = np.zeros((n, W.c_stop.shape[1]))
    if initial_soc_mwh is not None:
        soc0 = initial_soc_mwh.reindex(st.storages).fillna(0.0).to_numpy(float)
    else:
        soc0 = plan.soc[-1].copy() if NS else np.zeros(0)
    soc_start = soc0.copy()
    budget = fuel_budget_mwh(system)
    fuel_units = [int(i) for i in np.flatnonzero(np.isfinite(budget))]
    remaining = {i: float(budget[i]) for i in fuel_units}
    surplus_cum = np.zeros(K)
    stats: dict[str, float] = {"target_slack": 0.0, "floor_slack": 0.0,
                               "soc_deviation_mwh": 0.0,
                               "redispatch_slack": 0.0, "commitment_relaxed": 0.0}
    starts = list(range(0, n, S))
    plan_vals: dict[str, np.ndarray] = {}
    tracked = strategy == "tracking" and K > 0 and not cyclic
    drift: list[np.ndarray] = []
    exposure: list[float] = []
    reserve_used = np.zeros(K)
    last_fc: Hourly | None = None
    solve_times: list[float] = []
    replan_h = 24 * int(replan_days) if tracked and not cyclic else 0
    next_replan = replan_h

    for w, t0 in enumerate(starts):
        if replan_h and t0 >= next_replan and t0 % plan.resolution_h == 0:
            reserve_used = _reserve(drift, exposure, need_fc, K, t0, S, reserve_z)
            replan(plan, t0, year["heat"][:t0], realised.demand[:t0], soc0, remaining,
                   reserve_used, reserve_price=reserve_price)
            next_replan = t0 + replan_h
        n_real = min(H, n - t0)
        n_commit = min(S, n - t0)
        t_e = t0 + n_real - 1
        data = fc.window(t0, H)
        tab = window_tables(st, data)
        rhs = _target_rhs(targets, "pro-rata" if cyclic else strategy, plan, surplus_cum, data,
                          t0, n_real, n, catch_up_h)
        caps = _fuel_caps(fuel_units, remaining, plan, t0, n_real, n, cyclic)
        value = plan.soc_value[t_e] if (NS and not cyclic) else None
        kw: dict[str, Any] = {}
        if value is not None and strategy == "tracking":
            kw["terminal_soc"] = plan.soc[t_e]
            kw["terminal_excess_cost"] = value + TERMINAL_EXCESS * float(
                np.max(plan.target_dual, initial=0.0))
            if t_e >= n - 1:
                # the last windows keep the plan's year-end content (cyclic plan: the start)
                kw["terminal_deficit_cost"] = SOC_TARGET_PENALTY
        if tracked:
            kw.update(_tracking_rows(plan, surplus_cum, data, t_e, n_real, n))
            kw["fuel_floors"] = _fuel_floors(caps, remaining, plan, t_e)
        ts = time.perf_counter()
        W.update(tab, soc0=soc0, t0=t0, history=year, target_rhs=rhs,
                 terminal_value=value, terminal_pos=n_real - 1 if value is not None else None,
                 fuel_caps=caps, **kw)
        status = W.solve()
        if status != "Optimal":
            raise RuntimeError(f"window starting {system.snapshots[t0]}: HiGHS ended with "
                               f"status '{status}'")
        plan_vals = W.values(n_commit)
        if K:
            stats["target_slack"] += float(plan_vals["target_slack"].sum())
            stats["floor_slack"] += float(plan_vals["floor_slack"].sum())
        if R is None:
            real = plan_vals
        else:
            pen = _shortfall_price(plan, plan_vals, t0 + n_commit > n - catch_up_h, tracked)
            real = _redispatch(R, st, targets, realised, plan_vals, data, t0, n_commit,
                               pen, soc0, year, caps, stats,
                               plan.target_dual + plan_vals["target_dual"] if tracked
                               else None)
        if K:
            planned = [t.surplus(plan_vals["heat"][:n_commit], data.demand[:n_commit]).sum()
                       for t in targets]
            realised_s = [t.surplus(real["heat"][:n_commit],
                                    realised.demand[t0:t0 + n_commit]).sum() for t in targets]
            drift.append(np.subtract(realised_s, planned))
            exposure.append(float(need_real[t0:t0 + n_commit].sum()))
        solve_times.append(time.perf_counter() - ts)
        sl = slice(t0, t0 + n_commit)
        for key, arr in year.items():
            if key in real:
                arr[sl] = real[key][:n_commit]
        if NS:
            soc0 = real["soc"][n_commit - 1].copy()
        if K:
            demand = realised.demand[sl]
            surplus_cum += np.array([t.surplus(real["heat"], demand).sum() for t in targets])
        burnt = fuel_mw(st, real["heat"][:n_commit], real["chp_el"][:n_commit]).sum(axis=0)
        for i in fuel_units:
            remaining[i] -= float(burnt[i])
        last_fc = data
        if progress is not None:
            progress(w + 1, len(starts))
    t_loop = time.perf_counter()

    # ---- results ----------------------------------------------------------------------------
    if W.milp:
        year["committed"] = np.array(committed, dtype=object)
    res = assemble(system, year, fractions)
    res.extra.update(unit_blocks(res))
    res.extra["eed"] = eed_block(res)
    bench, bench_info = _benchmark(system, benchmark, benchmark_cost_eur)
    t_bench = time.perf_counter()
    if strategy == "none" or not targets:
        report_targets, target_surplus = _report_targets(res, plan, fractions, st)
    else:
        report_targets = targets
        target_surplus = plan.trajectory if strategy == "tracking" else np.zeros((n, K))
    traj = trajectory_frame(res, report_targets, target_surplus)
    status_line, behind, binding = compliance_status(
        res, report_targets, plan.alternative.id if plan.alternative else None)
    schedule = _schedule(system, st, W, plan_vals, last_fc, starts[-1], min(S, n - starts[-1]))
    cost = res.objective_eur
    unserved = float(year["unserved"].sum())
    timings = {"prepare": t_prep - t_start, "plan": t_plan - t_prep,
               "build": t_build - t_plan, "windows": t_loop - t_build,
               "per_window_ms": 1000.0 * float(np.mean(solve_times)),
               "benchmark": t_bench - t_loop, "total": time.perf_counter() - t_start}
    operate: dict[str, Any] = {
        "strategy": strategy, "forecast": forecast, "seed": seed,
        "horizon_h": H, "step_h": S, "windows": len(starts), "cyclic": cyclic,
        "cost_eur": cost,
        "benchmark_cost_eur": bench,
        "gap_eur": None if bench is None else cost - bench,
        "gap_pct": None if not bench else 100.0 * (cost - bench) / abs(bench),
        "benchmark": bench_info,
        "status": status_line,
        "compliant": behind <= 1e-6,
        "behind": behind,
        "binding_alternative": binding,
        "trajectory": trajectory_summary(traj, report_targets),
        "unserved_heat_mwh": unserved,
        "window_target_shortfall": stats["target_slack"],
        "guarantee": _guarantee_summary(targets if tracked else [], drift, reserve_used,
                                        stats["floor_slack"]),
        "redispatch": {"storage_deviation_mwh": stats["soc_deviation_mwh"],
                       "target_shortfall": stats["redispatch_slack"],
                       "windows_with_commitment_relaxed": int(stats["commitment_relaxed"])},
        "plan": {"alternative": plan.alternative.id if plan.alternative else None,
                 "resolution_h": plan.resolution_h, "cost_eur": plan.cost_eur,
                 "alternatives_tried_eur": plan.tried, "alternatives_skipped": plan.skipped,
                 "shortfall": {t.key: float(s) for t, s in zip(plan.targets, plan.shortfall,
                                                                 strict=True)},
                 "marginal_cost_eur": {t.key: float(d) for t, d in
                                       zip(plan.targets, plan.target_dual, strict=True)}},
        "storage": _storage_summary(st, soc_start, year["soc"], plan, cost),
        "margin": margin,
        "fixed_extendable": fixed,
        "timings_s": timings,
    }
    res.timings_s = {"build": t_build - t_plan, "solve": t_loop - t_build,
                     "total": timings["total"]}
    res.extra["operate_status"] = status_line
    return OperateResult(res, schedule, traj, operate, status_line,
                         extra={"plan": plan, "year": year})


def _target_rhs(targets: list[Target], strategy: str, plan: SeasonalPlan,
                surplus_cum: np.ndarray, data: Hourly, t0: int, n_real: int, n: int,
                catch_up_h: int) -> np.ndarray | None:
    """Right-hand sides of the target rows of a window (module docstring)."""
    if not targets:
        return None
    offsets = np.array([t.offsets(data.demand[:n_real]).sum() for t in targets])
    if strategy == "pro-rata":
        return -offsets
    t_e = t0 + n_real - 1
    target = plan.trajectory[t_e].copy()
    if t0 > 0:
        deficit = np.maximum(plan.trajectory[t0 - 1] - surplus_cum, 0.0)
        span = max(min(catch_up_h, n - t0), n_real)
        target -= deficit * (1.0 - n_real / span)
    return target - surplus_cum - offsets


def drift_reserve(drift: np.ndarray, exposure: np.ndarray, exposure_left: np.ndarray, *,
                  z: float = RESERVE_Z) -> np.ndarray:
    """Adaptive reserve against the drift still to come, MWh (or t).

    The *drift* of a committed step is its realised surplus minus the surplus its plan
    expected (forecast errors the re-dispatch could not absorb). It scales with the heat the
    step has to supply (its *exposure*: forecast errors of demand, prices and weather move a
    share of that heat between units), so it is modelled per MWh of exposure: with ``r_i =
    drift_i / exposure_i``, ``sigma`` the root mean square of ``r`` and ``mu = sum drift /
    sum exposure`` (all steps observed so far), the drift of the steps left (exposures
    ``e_j``) sums to about ``mu sum e_j`` with a standard deviation of ``sigma sqrt(sum
    e_j^2)`` (independent steps), so the reserve is ``z sigma sqrt(sum e_j^2) + max(0, -mu)
    sum e_j``: it grows with the observed forecast error, shrinks towards the year end and
    is small for a summer with little heat to supply.

    Parameters
    ----------
    drift : ndarray, shape (steps observed, targets)
        Drift of every committed step so far, MWh (or t).
    exposure : ndarray, shape (steps observed,)
        Heat need (demand + network losses) of every committed step, MWh.
    exposure_left : ndarray, shape (steps left,)
        Forecast heat need of every step left, including the current one, MWh.
    z : float
        Standard deviations covered.

    Returns
    -------
    ndarray, shape (targets,)
        Zero until two steps are observed.
    """
    if len(drift) < 2:
        return np.zeros(drift.shape[1])
    e = np.maximum(np.asarray(exposure, dtype=float), 1e-9)
    left = np.asarray(exposure_left, dtype=float)
    sigma = np.sqrt(np.mean(np.square(drift / e[:, None]), axis=0))
    mu = drift.sum(axis=0) / e.sum()
    return z * sigma * np.sqrt(np.sum(np.square(left))) + np.maximum(-mu, 0.0) * left.sum()


def _reserve(drift: list[np.ndarray], exposure: list[float], need: np.ndarray, K: int,
             t0: int, step: int, z: float) -> np.ndarray:
    """The drift reserve of the window starting at hour ``t0`` (:func:`drift_reserve`;
    ``need``: forecast heat need of every hour of the year, MW)."""
    left = np.add.reduceat(need[t0:], np.arange(0, len(need) - t0, step))
    return drift_reserve(np.reshape(drift, (-1, K)), np.asarray(exposure), left, z=z)


def _tracking_rows(plan: SeasonalPlan, surplus_cum: np.ndarray, data: Hourly, t_e: int,
                   n_real: int, n: int) -> dict[str, Any]:
    """Window data of ``tracking`` beyond the trajectory rows (module docstring): the
    surplus valued at the plan's marginal value, the trajectory priced above it, and the
    year-end guarantee ``S(t_e) + reachable(t_e) + w soc(t_e) >= 0``."""
    value = plan.target_dual
    offsets = np.array([t.offsets(data.demand[:n_real]).sum() for t in plan.targets])
    last = t_e >= n - 1
    return {"surplus_value": value,
            "target_penalty": CATCH_UP_PREMIUM * np.maximum(
                value, max(float(np.max(value, initial=0.0)), MIN_SHORTFALL_PRICE)),
            "floor_rhs": -plan.reachable[t_e] - surplus_cum - offsets,
            "floor_soc_coef": np.zeros_like(plan.store_coef) if last else plan.store_coef}


def _shortfall_price(plan: SeasonalPlan, vals: dict[str, np.ndarray],
                     final: bool, tracked: bool) -> np.ndarray | None:
    """Price of a re-dispatch shortfall against the planned surplus, EUR per MWh (or t).

    ``tracking``: the seasonal plan's marginal value of the requirement with a premium (on
    top of that value, which the re-dispatch also earns for every MWh of surplus); other
    strategies: the larger of that and the window's marginal value. The full penalty in
    the last ``catch_up_h`` hours of the year."""
    if not plan.targets:
        return None
    if final:
        return np.full(len(plan.targets), TARGET_PENALTY)
    price = SHORTFALL_PREMIUM * plan.target_dual
    if not tracked:
        price = np.maximum(vals["target_dual"], price)
    return np.maximum(price, MIN_SHORTFALL_PRICE)


def _fuel_floors(caps: dict[int, float] | None, remaining: dict[int, float],
                 plan: SeasonalPlan, t_e: int) -> dict[int, float] | None:
    """Fuel a ``tracking`` window burns at least per unit with an annual limit, MWh: what
    the seasonal plan burns up to the window end hour ``t_e`` less what the year has burnt
    (within the window's budget ``caps``), so the windows follow the plan's use of the limit
    (waste left unburnt is bought by the plan at its own marginal value, not by a window)."""
    if caps is None or plan.model is None:
        return None
    return {i: float(np.clip(plan.fuel_cum[t_e, i] - (plan.model.fuel_budget[i] - remaining[i]),
                             0.0, cap)) for i, cap in caps.items()}


def _fuel_caps(units: list[int], remaining: dict[int, float], plan: SeasonalPlan, t0: int,
               n_real: int, n: int, cyclic: bool) -> dict[int, float] | None:
    """Fuel budget of a window per unit with an annual limit: the remaining budget times the
    window's share of the plan's remaining use of that unit (hours if it plans none)."""
    if not units or cyclic:
        return None
    out = {}
    for i in units:
        rest = float(plan.heat[t0:, i].sum())
        share = float(plan.heat[t0:t0 + n_real, i].sum()) / rest if rest > 1e-9 \
            else n_real / (n - t0)
        out[i] = max(remaining[i], 0.0) * min(1.0, share)
    return out


def _redispatch(R: WindowModel, st: Static, targets: list[Target], realised: Hourly,
                plan_vals: dict[str, np.ndarray], data: Hourly, t0: int, n_commit: int,
                pen: np.ndarray | None, soc0: np.ndarray, year: dict[str, np.ndarray],
                caps: dict[int, float] | None, stats: dict[str, float],
                value: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Re-dispatch the committed hours against realised data (module docstring);
    ``value``: surplus value per target, EUR per MWh (or t) (``tracking``: storage content
    above the plan is then free except at the last committed hour, STORE_EXCESS_PRICE)."""
    real_data = realised.window(t0, n_commit).padded(R.length)
    tab = window_tables(st, real_data)
    floors = None
    if caps is not None:
        # the committed hours burn at least the fuel the window planned for them
        planned_fuel = fuel_mw(st, plan_vals["heat"], plan_vals["chp_el"]).sum(axis=0)
        floors = {i: min(float(planned_fuel[i]), cap) for i, cap in caps.items()}
    excess = None
    if value is not None and len(st.storages):
        # the store absorbs forecast errors within the committed hours (STORE_EXCESS_PRICE)
        excess = np.zeros(n_commit)
        excess[-1] = STORE_EXCESS_PRICE * float(np.max(value, initial=0.0))
    rhs = None
    if targets:
        planned = np.array([t.surplus(plan_vals["heat"], data.demand[:n_commit]).sum()
                            for t in targets])
        rhs = planned - np.array([t.offsets(real_data.demand[:n_commit]).sum()
                                  for t in targets])
    on = plan_vals.get("on")
    kw: dict[str, Any] = {"soc0": soc0, "t0": t0, "history": year, "target_rhs": rhs,
                          "target_penalty": pen, "fuel_caps": caps,
                          "fuel_floors": floors,
                          "soc_targets": plan_vals["soc"] if len(st.storages) else None,
                          "soc_excess_cost": excess,
                          "surplus_value": value}
    R.update(tab, on_fixed=on, **kw)
    status = R.solve()
    if status != "Optimal" and on is not None:
        stats["commitment_relaxed"] += 1
        R.update(tab, on_fixed=None, **kw)
        status = R.solve()
    if status != "Optimal":
        raise RuntimeError(f"re-dispatch of the day starting at hour {t0}: HiGHS ended with "
                           f"status '{status}'")
    real = R.values(n_commit)
    if "soc_dev" in real:
        stats["soc_deviation_mwh"] += float(real["soc_dev"].sum())
    if targets:
        stats["redispatch_slack"] += float(real["target_slack"].sum())
    return real


def _guarantee_summary(targets: list[Target], drift: list[np.ndarray], reserve: np.ndarray,
                       floor_slack: float) -> dict[str, Any]:
    """Year-end guarantee of ``tracking``: drift statistics of the committed steps (MWh or
    t per step), the reserve asked of the last re-plan and the floors missed (sum of
    slacks)."""
    if not targets:
        return {"active": False}
    d = np.array(drift).reshape(-1, len(targets))
    return {"active": True, "floor_shortfall": floor_slack,
            "targets": {t.key: {"drift_mean": float(d[:, k].mean()) if len(d) else 0.0,
                                "drift_std": float(d[:, k].std()) if len(d) else 0.0,
                                "drift_total": float(d[:, k].sum()),
                                "last_reserve": float(reserve[k])}
                        for k, t in enumerate(targets)}}


def _storage_summary(st: Static, soc_start: np.ndarray, soc: np.ndarray, plan: SeasonalPlan,
                     cost: float) -> dict[str, Any]:
    """Storage content at the start and end of the year and the cost corrected for the
    difference (heat drawn from store valued at the plan's year-end value of stored heat)."""
    if not len(st.storages):
        return {"cost_storage_adjusted_eur": cost}
    end = soc[-1]
    value = plan.soc_value[-1] if len(plan.soc_value) else np.zeros(len(st.storages))
    drawn = soc_start - end
    return {"start_mwh": dict(zip(st.storages, map(float, soc_start), strict=True)),
            "end_mwh": dict(zip(st.storages, map(float, end), strict=True)),
            "value_eur_per_mwh": dict(zip(st.storages, map(float, value), strict=True)),
            "cost_storage_adjusted_eur": cost + float((drawn * value).sum())}


def _report_targets(res: DispatchResult, plan: SeasonalPlan, fractions: pd.DataFrame,
                    st: Static) -> tuple[list[Target], np.ndarray]:
    """Requirements reported when none were tracked (strategy ``none``): the scenario's share
    requirements and the conditions of the alternative the realised year meets (or misses
    least), against straight pro-rata lines."""
    from heatpath.eed import alternatives, assess

    system = res.system
    year = system.system.year
    tg = scenario_targets(list(system.share_requirements), fractions, st.units)
    if system.eed.article != "26(2)" and year >= 2024:
        a = assess(year, res.group_heat_mwh.to_dict())
        aid = a.criteria_met[0] if a.efficient else a.closest_miss.alternative_id
        alt = next(x for x in alternatives(year) if x.id == aid)
        tg = unique_keys(tg + alternative_targets(alt, fractions, st.units))
    return tg, np.zeros((len(res.heat), len(tg)))


def _schedule(system: System, st: Static, W: WindowModel, vals: dict[str, np.ndarray],
              data: Hourly | None, t0: int, n_commit: int) -> pd.DataFrame:
    """Planned set-points of the last committed day (written to ``schedule.csv``)."""
    idx = system.snapshots[t0:t0 + n_commit]
    cols: dict[str, np.ndarray] = {}
    if data is not None:
        cols["forecast_heat_demand_mw"] = data.demand[:n_commit]
        cols["forecast_network_loss_mw"] = data.losses[:n_commit]
        cols["forecast_el_price_eur_per_mwh"] = data.el_price[:n_commit]
    for i, u in enumerate(st.units):
        cols[f"heat_{u}_mw"] = vals["heat"][:n_commit, i]
    for j, s in enumerate(st.storages):
        cols[f"charge_{s}_mw"] = vals["charge"][:n_commit, j]
        cols[f"discharge_{s}_mw"] = vals["discharge"][:n_commit, j]
        cols[f"soc_{s}_mwh"] = vals["soc"][:n_commit, j]
    cols["el_bought_mw"] = vals["el_buy"][:n_commit]
    cols["el_sold_mw"] = vals["el_sell"][:n_commit]
    if W.milp:
        for j, i in enumerate(W.com):
            cols[f"on_{st.units[i]}"] = vals["on"][:n_commit, j]
    df = pd.DataFrame({k: np.clip(v, 0.0, None) for k, v in cols.items()}, index=idx)
    df.index.name = "timestamp"
    return df


def _benchmark(system: System, enabled: bool,
               given: float | None) -> tuple[float | None, dict[str, Any]]:
    """Perfect-foresight annual optimum (``run_scenario``) for the cost gap."""
    if given is not None:
        return float(given), {"source": "given"}
    if not enabled:
        return None, {"source": "skipped"}
    from heatpath.dispatch import run_scenario
    from heatpath.model.errors import InfeasibleError

    t = time.perf_counter()
    try:
        r = run_scenario(system)
    except InfeasibleError as exc:
        return None, {"source": "run_scenario", "infeasible": str(exc).splitlines()[0]}
    info: dict[str, Any] = {"source": "run_scenario", "solve_s": time.perf_counter() - t}
    enforced = r.extra.get("eed", {}).get("enforced", {})
    if "chosen_alternative" in enforced:
        info["alternative"] = enforced["chosen_alternative"]
        info["unconstrained_cost_eur"] = enforced.get("unconstrained_cost_eur")
    return float(r.objective_eur), info
