"""Solve the dispatch LP with HiGHS (handed over directly, no LP files)."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

from heatpath.dispatch.build import DispatchModel, annual_cost_per_size, build
from heatpath.dispatch.coefficients import flows_and_costs
from heatpath.dispatch.result import DispatchResult
from heatpath.model.errors import InfeasibleError
from heatpath.model.io import finalize
from heatpath.model.schema import ShareRequirement, System
from heatpath.physics.profiles import derive


def prepare(system: System) -> System:
    """Finalise (hourly series, checks) and derive physical profiles of ``system``.

    An already prepared system (e.g. a window from :func:`slice_system`) is returned as is.
    """
    if system.derived:
        return system
    return derive(finalize(system))

#: HiGHS options used unless the scenario overrides them. Dual simplex is several times
#: faster than interior point on year-long dispatch LPs (measured, DEVELOPERS.md).
DEFAULT_HIGHS_OPTIONS: dict[str, Any] = {"solver": "simplex", "simplex_strategy": 1}
#: HiGHS options of MILP mode unless the scenario overrides them. One thread: on the 30-unit
#: benchmark MILP (benchmarks/README.md) HiGHS reaches the same gap in the same wall time with
#: half the CPU time and 27 % less peak memory than with two (1.50 vs 2.05 GB). HiGHS fixes
#: its thread pool at the first solve of a process, so this applies when the MILP is the
#: process's first HiGHS run (as in the CLI).
DEFAULT_MILP_OPTIONS: dict[str, Any] = {"threads": 1}


def solver_options_for(system: System) -> dict[str, Any]:
    """HiGHS options for ``system``: heatpath's defaults for its mode (LP or MILP), its
    ``[dispatch]`` time limit and gap, then its own ``solver_options``; quiet unless the
    scenario asks for output."""
    d = system.dispatch
    # HiGHS ignores integrality when told to use simplex: keep its default for MILPs
    opts = dict(DEFAULT_HIGHS_OPTIONS if d.mode == "lp" else DEFAULT_MILP_OPTIONS)
    if d.time_limit_s is not None:
        opts["time_limit"] = d.time_limit_s
    if d.mode == "milp":
        opts["mip_rel_gap"] = d.mip_rel_gap
    opts.update(d.solver_options)
    opts.setdefault("output_flag", False)
    opts.setdefault("log_to_console", False)
    return opts


@contextlib.contextmanager
def quiet_stdout(enabled: bool) -> Iterator[None]:
    """Silence the C-level stdout (HiGHS prints its banner before options apply)."""
    if not enabled:
        yield
        return
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def run_model(dm: DispatchModel) -> tuple[str, str]:
    """Solve a built model in place; return (status, termination condition)."""
    opts = solver_options_for(dm.system)
    # infeasible statuses are handled by the callers; linopy's warning would only be noise
    linopy_log = logging.getLogger("linopy")
    level = linopy_log.level
    linopy_log.setLevel(logging.ERROR)
    try:
        with quiet_stdout(not opts.get("output_flag")):
            return dm.model.solve(solver_name="highs", io_api="direct", **opts)
    finally:
        linopy_log.setLevel(level)


def extract(dm: DispatchModel, status: str) -> DispatchResult:
    """Read the solution of a solved :class:`DispatchModel` into a :class:`DispatchResult`."""
    system, m, tab = dm.system, dm.model, dm.tables
    idx = system.snapshots
    heat = m.variables["heat"].solution.to_pandas()
    heat.index = idx
    heat = heat[[u.name for u in system.units]].clip(lower=0.0)
    st_names = [s.name for s in system.storages]
    if st_names:
        frames = []
        for name in ("charge", "discharge", "soc"):
            df = m.variables[name].solution.to_pandas()
            df.index = idx
            frames.append(df[st_names].clip(lower=0.0))
        charge, discharge, soc = frames
    else:
        charge = discharge = soc = pd.DataFrame(index=idx)
    if "el_buy" in m.variables:
        el_buy = pd.Series(m.variables["el_buy"].solution.values, index=idx).clip(lower=0)
        el_sell = pd.Series(m.variables["el_sell"].solution.values, index=idx).clip(lower=0)
    else:
        el_buy = el_sell = pd.Series(0.0, index=idx)
    p_el = None
    if "chp_el" in m.variables:
        p_el = m.variables["chp_el"].solution.to_pandas()
        p_el.index = idx
    fuel, el_in, el_out, co2, costs = flows_and_costs(system, tab, heat, p_el, el_buy, el_sell)
    capacities: dict[str, float] = {}
    if "capacity" in m.variables:
        capacities.update(m.variables["capacity"].solution.to_pandas().to_dict())
    if "storage_capacity" in m.variables:
        capacities.update(m.variables["storage_capacity"].solution.to_pandas().to_dict())
    year_fraction = len(idx) / 8760.0
    invest = 0.0
    for c in [*system.units, *system.storages]:
        if c.name in capacities:
            per_size = annual_cost_per_size(c, system.dispatch.discount_rate)
            invest += year_fraction * per_size * capacities[c.name]
    start_cost = 0.0
    if "start" in m.variables:
        st = m.variables["start"].solution.to_pandas()
        for u in system.units:
            if u.name in st.columns:
                start_cost += float(st[u.name].sum()) * u.start_cost_eur
    costs.update(start=start_cost, investment_annualised=invest)

    duals: dict[str, float] = {}
    for label, cname in dm.share_constraint_names.items():
        try:
            dual = float(m.constraints[cname].dual.values)
        except Exception:  # duals are unavailable for MILPs
            continue
        # d(cost)/d(rhs): one MWh more of qualifying heat at share x costs dual/(1 - x) EUR;
        # we report the dual per MWh of (q - x)-weighted heat, which for a single group
        # requirement equals the cost of one extra MWh of qualifying heat displacing
        # non-qualifying heat.
        duals[label] = abs(dual)
    objective = float(m.objective.value)
    return DispatchResult(
        system=system, status=status, heat=heat, charge=charge, discharge=discharge,
        soc=soc, el_buy=el_buy, el_sell=el_sell, fuel=fuel, el_in=el_in, el_out=el_out,
        co2_t=co2, demand=dm.demand_mw, losses=dm.losses_mw, fractions=dm.fractions,
        objective_eur=objective, costs_eur=costs, share_duals=duals,
        capacities=capacities,
    )


def diagnose(system: System, fractions: pd.DataFrame,
             requirements: Sequence[ShareRequirement], **ghg: Any) -> list[str]:
    """Explain why a dispatch is infeasible with an elastic re-solve.

    Unserved heat and share shortfalls become penalised slack variables; every slack that
    is positive in the optimum names a requirement that could not be met, and by how much.

    Returns
    -------
    list of str
        Human-readable violations (hours with unserved heat, share targets missed).
    """
    dm = build(system, fractions, requirements, elastic=True, **ghg)
    status, _ = run_model(dm)
    m = dm.model
    out: list[str] = []
    if status != "ok":
        return [f"the relaxed model could not be solved either (status {status})"]
    unserved = pd.Series(m.variables["unserved"].solution.values, index=system.snapshots)
    bad = unserved[unserved > 1e-6]
    if len(bad):
        worst = bad.idxmax()
        need = float(dm.demand_mw.loc[worst] + dm.losses_mw.loc[worst])
        out.append(
            f"heat demand cannot be met in {len(bad)} hour(s), {bad.sum():,.1f} MWh in total; "
            f"worst at {worst}: short by {bad.max():,.2f} MW of {need:,.2f} MW needed "
            f"(demand + network losses exceed available capacity and storage)"
        )
    for k, req in enumerate(requirements):
        short = float(m.variables[f"share_short_{k}"].solution.values)
        if short > 1e-6:
            heat = m.variables["heat"].solution.values
            total = float(np.nansum(heat))
            q = dm.fractions[list(req.groups)].sum(axis=1).reindex(
                [u.name for u in system.units]).to_numpy()
            got = float(np.nansum(heat * q)) / total if total else 0.0
            out.append(
                f"share requirement '{req.label}' ({'+'.join(req.groups)} >= "
                f"{req.min_share:.1%} of heat into the network) cannot be met: at best "
                f"{got:.2%}, short by about {short / (1 - req.min_share + 1e-12):,.0f} MWh "
                f"of qualifying heat"
            )
    if "ghg_excess" in m.variables:
        excess = float(m.variables["ghg_excess"].solution.values)
        if excess > 1e-6:
            out.append(f"GHG limit exceeded by at least {excess:,.1f} t CO2")
    if not out:
        out.append("no single requirement explains the infeasibility (numerical issue?)")
    return out


def solve(
    system: System,
    requirements: Sequence[ShareRequirement] | None = None,
    *,
    fractions: pd.DataFrame | None = None,
    ghg_limit_t_per_mwh: float | None = None,
    heat_emission_t_per_mwh: pd.Series | None = None,
) -> DispatchResult:
    """Optimise the hourly dispatch of ``system`` for its year.

    Parameters
    ----------
    system : System
        The system (loaded or built in Python; finalised here).
    requirements : sequence of ShareRequirement, optional
        Annual share requirements; default: ``system.share_requirements``.
    fractions : DataFrame, optional
        EED counting fractions per unit and group; default from
        :func:`heatpath.eed.group_fractions`.
    ghg_limit_t_per_mwh, heat_emission_t_per_mwh : optional
        Art. 26(2) GHG limit (t per MWh delivered) and per-unit heat emission factors.

    Returns
    -------
    DispatchResult

    Raises
    ------
    InfeasibleError
        With the list of requirements that could not be met.
    """
    t0 = time.perf_counter()
    system = prepare(system)
    if fractions is None:
        from heatpath.eed import group_fractions

        fractions = group_fractions(system)
    reqs = list(system.share_requirements if requirements is None else requirements)
    ghg = {"ghg_limit_t_per_mwh": ghg_limit_t_per_mwh,
           "heat_emission_t_per_mwh": heat_emission_t_per_mwh}
    dm = build(system, fractions, reqs, **ghg)
    t1 = time.perf_counter()
    status, condition = run_model(dm)
    t2 = time.perf_counter()
    if status != "ok":
        if condition in ("infeasible", "infeasible_or_unbounded"):
            violations = diagnose(system, fractions, reqs, **ghg)
            raise InfeasibleError(
                f"scenario '{system.system.name}' ({system.system.year}) is infeasible:",
                violations)
        raise RuntimeError(f"HiGHS ended with status {status} ({condition})")
    result = extract(dm, status)
    t3 = time.perf_counter()
    result.timings_s = {"build": t1 - t0, "solve": t2 - t1, "total": t3 - t0}
    return result


def slice_system(system: System, start: int, stop: int) -> System:
    """A copy of a prepared ``system`` restricted to snapshots ``start:stop``.

    Used for rolling-horizon windows: derive the profiles on the whole year first (lagged
    water temperatures, calibrated demand), then slice. The copy is marked ``derived`` and
    its snapshots are the sliced ones.
    """
    from heatpath.model.io import series_fields

    system = prepare(system)
    sub = system.model_copy(deep=True)
    for owner, name, _ in list(series_fields(sub, "")):
        value = getattr(owner, name)
        if isinstance(value, pd.Series):
            object.__setattr__(owner, name, value.iloc[start:stop])
    sub.prices.fuels_eur_per_mwh = {k: v.iloc[start:stop]
                                    for k, v in sub.prices.fuels_eur_per_mwh.items()}
    sub.snapshots = system.snapshots[start:stop]
    return sub
