"""Outcome of a rolling-horizon year: the realised dispatch plus the operator's view.

:class:`OperateResult` wraps a :class:`heatpath.dispatch.DispatchResult` of the *realised*
year (so ``summary.json`` and ``dispatch.csv`` have exactly the keys and columns of
``heatpath run``) and adds the ``operate`` block, the schedule of the last committed day and
the hourly trajectory of every tracked requirement.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from heatpath.dispatch.coefficients import flows_and_costs, network_losses_mw, unit_tables
from heatpath.dispatch.result import DispatchResult, jsonable
from heatpath.eed import alternatives as alternatives_of
from heatpath.eed import (
    assess,
    substitution_needed,
)
from heatpath.model.schema import CHPExtraction, System
from heatpath.operate.targets import Target

#: Files written by :meth:`OperateResult.write`.
OUTPUT_FILES: tuple[str, ...] = ("summary.json", "dispatch.csv", "schedule.csv",
                                 "trajectory.csv")
#: Surplus below which a requirement counts as missed, MWh (or t): solver noise.
TOLERANCE = 1e-6


@dataclass
class OperateResult:
    """Result of :func:`heatpath.operate.rolling_horizon`.

    Attributes
    ----------
    result : DispatchResult
        The realised year (committed hours of every window, realised data).
    schedule : DataFrame
        Planned hourly set-points of the last committed day: forecast demand + losses (MW),
        heat per unit (MW), storage charge / discharge (MW) and content (MWh), electricity
        bought / sold (MW) and, in MILP mode, unit status.
    trajectory : DataFrame
        Hourly cumulative heat into the network and, per tracked requirement, cumulative
        qualifying heat (MWh) or emissions (t), share, target and margin (see
        :func:`trajectory_frame`).
    operate : dict
        The ``operate`` block of ``summary.json``.
    status : str
        One-line compliance status ("on track" / "behind by X MWh of ... heat").
    """

    result: DispatchResult
    schedule: pd.DataFrame
    trajectory: pd.DataFrame
    operate: dict[str, Any]
    status: str
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """``summary.json`` content: the keys of ``heatpath run`` plus ``operate``."""
        out = self.result.summary()
        out["operate"] = self.operate
        return out

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``summary.json``, ``dispatch.csv``, ``schedule.csv`` and ``trajectory.csv``.

        Returns
        -------
        dict
            File kind -> path.
        """
        d = Path(out_dir)
        d.mkdir(parents=True, exist_ok=True)
        paths = {k.split(".")[0]: d / k for k in OUTPUT_FILES}
        self.result.dispatch_frame().to_csv(paths["dispatch"], float_format="%.6g")
        paths["summary"].write_text(json.dumps(jsonable(self.summary()), indent=2) + "\n")
        self.schedule.to_csv(paths["schedule"], float_format="%.6g")
        self.trajectory.to_csv(paths["trajectory"], float_format="%.6g")
        return paths


def assemble(system: System, arrays: dict[str, np.ndarray], fractions: pd.DataFrame,
             status: str = "ok") -> DispatchResult:
    """A :class:`DispatchResult` from realised hourly arrays (costs as ``extract``).

    Parameters
    ----------
    system : System
        Prepared system (realised data).
    arrays : dict
        ``heat`` (hours, units), ``charge``/``discharge``/``soc`` (hours, storages),
        ``el_buy``/``el_sell`` (hours,), ``chp_el`` (hours, extraction CHPs), optional
        ``start`` (hours, committed units) with ``committed`` (their names).
    fractions : DataFrame
        EED counting fractions.
    """
    idx = system.snapshots
    names = [u.name for u in system.units]
    st_names = [s.name for s in system.storages]
    tab = unit_tables(system)
    heat = pd.DataFrame(np.clip(arrays["heat"], 0.0, None), index=idx, columns=names)

    def frame(key: str) -> pd.DataFrame:
        return pd.DataFrame(np.clip(arrays[key], 0.0, None), index=idx, columns=st_names)

    charge, discharge, soc = frame("charge"), frame("discharge"), frame("soc")
    el_buy = pd.Series(np.clip(arrays["el_buy"], 0.0, None), index=idx)
    el_sell = pd.Series(np.clip(arrays["el_sell"], 0.0, None), index=idx)
    xs = [u.name for u in system.units if isinstance(u, CHPExtraction)]
    p_el = pd.DataFrame(arrays["chp_el"], index=idx, columns=xs) if xs else None
    fuel, el_in, el_out, co2, costs = flows_and_costs(system, tab, heat, p_el, el_buy, el_sell)
    start_cost = 0.0
    if "start" in arrays:
        for j, name in enumerate(arrays.get("committed", [])):
            start_cost += float(arrays["start"][:, j].sum()) * system.unit(name).start_cost_eur
    costs.update(start=start_cost, investment_annualised=0.0)
    objective = (costs["fuel"] + costs["ets"] + costs["om"] + costs["electricity_purchase"]
                 - costs["electricity_revenue"] + start_cost)
    return DispatchResult(
        system=system, status=status, heat=heat, charge=charge, discharge=discharge,
        soc=soc, el_buy=el_buy, el_sell=el_sell, fuel=fuel, el_in=el_in, el_out=el_out,
        co2_t=co2, demand=system.demand.heat_mw.rename("heat_mw"),
        losses=network_losses_mw(system), fractions=fractions.reindex(index=names).fillna(0.0),
        objective_eur=objective, costs_eur=costs)


def trajectory_frame(result: DispatchResult, targets: list[Target],
                     target_surplus: np.ndarray) -> pd.DataFrame:
    """Hourly trajectory of every requirement (written to ``trajectory.csv``).

    Columns: ``heat_into_network_cum_mwh`` and, per target ``<key>``: for a share
    requirement ``<key>_cum_mwh`` (cumulative qualifying heat), ``<key>_share``,
    ``<key>_min_share``, ``<key>_target_cum_mwh`` (qualifying heat the target trajectory asks
    for by that hour: ``x C(t) + S~(t)``) and ``<key>_ahead_mwh`` (margin over it; negative =
    behind); for the GHG limit ``<key>_cum_t``, ``<key>_g_per_kwh`` (cumulative intensity),
    ``<key>_limit_g_per_kwh``, ``<key>_target_cum_t`` and ``<key>_ahead_t``.
    """
    heat = result.heat.to_numpy()
    demand = result.demand.to_numpy()
    cum_heat = np.cumsum(heat.sum(axis=1))
    cols: dict[str, np.ndarray] = {"heat_into_network_cum_mwh": cum_heat}
    for k, t in enumerate(targets):
        amount = np.cumsum(t.amount(heat))
        surplus = np.cumsum(t.surplus(heat, demand))
        tgt = target_surplus[:, k]
        if t.kind == "share":
            cols[f"{t.key}_cum_mwh"] = amount
            cols[f"{t.key}_share"] = np.divide(amount, cum_heat, out=np.zeros_like(amount),
                                               where=cum_heat > 0)
            cols[f"{t.key}_min_share"] = np.full(len(amount), t.level)
            cols[f"{t.key}_target_cum_mwh"] = t.level * cum_heat + tgt
            cols[f"{t.key}_ahead_mwh"] = surplus - tgt
        else:
            cum_d = np.cumsum(demand)
            cols[f"{t.key}_cum_t"] = amount
            cols[f"{t.key}_g_per_kwh"] = np.divide(amount * 1000.0, cum_d,
                                                   out=np.zeros_like(amount), where=cum_d > 0)
            cols[f"{t.key}_limit_g_per_kwh"] = np.full(len(amount), t.level * 1000.0)
            cols[f"{t.key}_target_cum_t"] = t.level * cum_d - tgt
            cols[f"{t.key}_ahead_t"] = surplus - tgt
    df = pd.DataFrame(cols, index=result.heat.index)
    df.index.name = "timestamp"
    return df


def trajectory_summary(traj: pd.DataFrame, targets: list[Target]) -> list[dict[str, Any]]:
    """Per target: final share (or intensity), final margin, largest shortfall against the
    target trajectory and when, and the hours spent behind it."""
    out = []
    for t in targets:
        u = t.unit
        ahead = traj[f"{t.key}_ahead_{u.lower() if u == 't' else 'mwh'}"]
        worst = ahead.idxmin()
        entry: dict[str, Any] = {
            "key": t.key, "requirement": t.label, "source": t.source,
            "final_margin": float(ahead.iloc[-1]), "unit": u,
            "max_behind": float(max(0.0, -ahead.min())),
            "max_behind_at": str(worst) if ahead.min() < -TOLERANCE else None,
            "hours_behind": int((ahead < -TOLERANCE).sum()),
        }
        if t.kind == "share":
            entry["final_share"] = float(traj[f"{t.key}_share"].iloc[-1])
            entry["min_share"] = t.level
        else:
            entry["final_g_per_kwh"] = float(traj[f"{t.key}_g_per_kwh"].iloc[-1])
            entry["limit_g_per_kwh"] = t.level * 1000.0
        out.append(entry)
    return out


def compliance_status(result: DispatchResult, targets: list[Target],
                      alternative_id: str | None) -> tuple[str, float, str | None]:
    """One-line status at the end of the realised hours.

    Parameters
    ----------
    result : DispatchResult
        Realised dispatch.
    targets : list of Target
        Requirements tracked (scenario share requirements and the Art. 26(2) limit are
        checked here; alternative conditions through the alternative).
    alternative_id : str, optional
        Art. 26(1) alternative aimed at; default: the one met, or the closest miss.

    Returns
    -------
    status : str
        ``"<context>: on track"`` or ``"<context>: behind by X MWh of <group> heat"``.
    behind : float
        MWh (or t) still missing; 0 when on track.
    binding : str or None
        The Art. 26(1) alternative the status refers to.
    """
    system = result.system
    year = system.system.year
    heat = result.heat.to_numpy()
    demand = result.demand.to_numpy()
    group_heat = result.group_heat_mwh.to_dict()
    article = system.eed.article
    binding = alternative_id
    if binding is None and article != "26(2)":
        a = assess(year, group_heat)
        binding = a.criteria_met[0] if a.efficient else a.closest_miss.alternative_id
    parts: list[str] = []
    behind = 0.0
    alt = next((x for x in alternatives_of(year) if x.id == binding), None) \
        if binding is not None else None
    if alt is not None and article == "26(1)" and not alt.is_met(
            assess(year, group_heat).shares):
        miss = substitution_needed(alt, group_heat)
        behind += miss.mwh
        parts.append(f"behind by {miss.mwh:,.0f} MWh of "
                     f"{miss.target_group.replace('_', ' ')} heat")
    for t in targets:
        if t.source not in ("scenario", "26(2)"):
            continue
        s = float(t.surplus(heat, demand).sum())
        if s < -TOLERANCE:
            behind += -s
            if t.kind == "share":
                parts.append(f"behind by {-s:,.0f} MWh of {'+'.join(t.groups)} heat "
                             f"({t.label})")
            else:
                parts.append(f"behind by {-s:,.0f} t CO2 ({t.label})")
    if article == "26(1)":
        context = f"EED Art. 26(1) {year}, alternative {binding}"
    elif article == "26(2)":
        context = f"EED Art. 26(2) {year}"
    elif any(t.source == "scenario" for t in targets):
        context = f"share requirements {year}"
    else:
        context = f"EED {year} (not enforced; closest alternative {binding})"
        if alt is not None and not alt.is_met(assess(year, group_heat).shares):
            miss = substitution_needed(alt, group_heat)
            behind += miss.mwh
            parts.append(f"behind by {miss.mwh:,.0f} MWh of "
                         f"{miss.target_group.replace('_', ' ')} heat")
    return f"{context}: {'; '.join(parts) if parts else 'on track'}", behind, binding
