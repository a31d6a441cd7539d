"""The window model: built once with :func:`heatpath.dispatch.build.build`, then re-used.

A :class:`WindowModel` is the dispatch model of ``length`` consecutive hours (a rolling
horizon window, the committed hours of a re-dispatch, or a whole cyclic year) plus

* one *target row* per tracked annual requirement (:mod:`heatpath.operate.targets`):
  ``sum_{t, u} coef_u heat[t, u] + slack >= rhs`` with a penalised slack, so that a window
  that cannot reach its target stays feasible and reports by how much it falls short;
* one *floor row* per requirement (the year-end guarantee of ``tracking``):
  ``sum_{t, u} coef_u heat[t, u] + w_s soc[end, s] + slack >= rhs`` (heat left in store at
  the window end counts ``w_s`` per MWh; slack at the full penalty; free rows otherwise);
* hourly *storage targets* ``soc[t, s] - dev_up + dev_down = target[t, s]`` with penalised
  deviations (used by the re-dispatch of committed hours; free rows otherwise);
* one *fuel floor* per unit with an annual fuel limit: ``fuel burnt in the window + short >=
  floor`` with a penalised shortfall (the planned use of the limit; free rows otherwise).

Its structure is fixed at construction; :meth:`WindowModel.update` writes the hourly data of
the next window (bounds, costs, right-hand sides and the COP-dependent electricity
coefficients of heat pumps, see :mod:`heatpath.operate.data`) into the HiGHS problem
(:class:`heatpath.dispatch.reuse.FastLP`), which is then re-solved from the previous basis.

Open windows (not cyclic) start from a given state: the storage content (the right-hand side
of the first storage balance, as ``build(initial_soc_mwh=...)`` writes it) and, in MILP mode,
the commitment history. ``build`` writes unit commitment cyclically (``on[t-1]`` of the first
hour is the last hour of the window, minimum up/down times wrap around); every such
*wrap-around* coefficient is found once (a row at hour t referring to a column at a later
hour), removed from the matrix, and replaced in every window by the realised value of that
variable before the window start, moved to the right-hand side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from heatpath.dispatch.build import SHARE_PENALTY, build
from heatpath.dispatch.reuse import FastLP
from heatpath.dispatch.solve import DEFAULT_HIGHS_OPTIONS, slice_system
from heatpath.model.schema import System
from heatpath.operate.data import Static, Tables
from heatpath.operate.targets import Target

#: Penalty of a target row's slack in the windows, EUR per MWh (or t) short.
TARGET_PENALTY = SHARE_PENALTY
#: Penalty of deviating from the planned storage content in a re-dispatch, EUR/MWh.
SOC_TARGET_PENALTY = 1000.0
#: Penalty of burning less than a unit's fuel floor (the planned use of an annual fuel
#: limit in a re-dispatch), EUR per MWh of fuel.
FUEL_FLOOR_PENALTY = 1000.0


def highs_options(system: System) -> dict[str, Any]:
    """HiGHS options of a window (the scenario's, as :mod:`heatpath.dispatch.solve`)."""
    d = system.dispatch
    opts: dict[str, Any] = dict(DEFAULT_HIGHS_OPTIONS) if d.mode == "lp" else {}
    if d.time_limit_s is not None:
        opts["time_limit"] = float(d.time_limit_s)
    if d.mode == "milp":
        opts["mip_rel_gap"] = float(d.mip_rel_gap)
    opts.update(d.solver_options)
    opts["output_flag"] = False
    opts["log_to_console"] = False
    return opts


@dataclass
class Wraps:
    """Wrap-around coefficients of an open window (see module docstring)."""

    rows: np.ndarray
    cols: np.ndarray
    coef: np.ndarray
    var: list[str]
    other: np.ndarray
    back: np.ndarray


class WindowModel:
    """Dispatch model of ``length`` hours, built once and updated per window.

    Parameters
    ----------
    system : System
        Prepared system (its first ``length`` hours give the structure), or a system of
        exactly ``length`` hours (e.g. from :func:`heatpath.dispatch.solve.slice_system`).
    static : Static
        Per-unit constants of ``system``.
    fractions : DataFrame
        EED counting fractions (units x groups).
    targets : list of Target
        Annual requirements with a target row each.
    length : int
        Hours in the window.
    cyclic : bool
        Cyclic storage and commitment (a whole year, as the annual model); otherwise open.
    redispatch : bool
        The model re-dispatches committed hours (storage targets in use).
    options : dict, optional
        HiGHS options (default :func:`highs_options`).
    """

    def __init__(self, system: System, static: Static, fractions: pd.DataFrame,
                 targets: list[Target], length: int, *, cyclic: bool = False,
                 redispatch: bool = False, options: dict[str, Any] | None = None) -> None:
        self.static = static
        self.length = L = int(length)
        self.cyclic = cyclic
        self.targets = targets
        if len(system.snapshots) == L:
            sub = system
        elif cyclic:
            raise ValueError("a cyclic window covers the whole system")
        else:
            sub = slice_system(system, 0, L)
        st = static
        init = None if cyclic else pd.Series(0.0, index=st.storages, dtype=float)
        dm = build(sub, fractions, [], elastic=True, initial_soc_mwh=init)
        m = dm.model
        objective = m.objective.expression
        K = len(targets)
        if K:
            t_idx = pd.Index([t.key for t in targets], name="target")
            coef = xr.DataArray(np.array([t.coef for t in targets]),
                                coords={"target": t_idx, "unit": st.units},
                                dims=("target", "unit"))
            surplus = (coef * m.variables["heat"]).sum(["snapshot", "unit"])
            slack = m.add_variables(lower=0, coords=[t_idx], name="target_slack")
            m.add_constraints(surplus + slack >= 0, name="target")
            fslack = m.add_variables(lower=0, coords=[t_idx], name="floor_slack")
            floor = surplus + fslack
            if st.storages:
                w = xr.DataArray(np.ones((K, len(st.storages))),
                                 coords={"target": t_idx, "storage": st.storages},
                                 dims=("target", "storage"))
                end = m.variables["soc"].isel(snapshot=L - 1)
                floor = floor + (w * end).sum("storage")
            m.add_constraints(floor >= 0, name="target_floor")
            objective = objective + TARGET_PENALTY * (slack.sum() + fslack.sum())
        n_fuel = sum(u.annual_fuel_max_mwh is not None for u in system.units)
        for k in range(n_fuel):
            short = m.add_variables(lower=0, name=f"fuel_short_{k}")
            m.add_constraints(m.constraints[f"fuel_cap_{k}"].lhs + short >= 0,
                              name=f"fuel_floor_{k}")
            objective = objective + FUEL_FLOOR_PENALTY * short
        if st.storages:
            soc = m.variables["soc"]
            coords = [soc.labels.coords["snapshot"].to_index(),
                      pd.Index(st.storages, name="storage")]
            up = m.add_variables(lower=0, coords=coords, name="soc_dev_up")
            dn = m.add_variables(lower=0, coords=coords, name="soc_dev_down")
            m.add_constraints(soc - up + dn == 0, name="soc_target")
            objective = objective + SOC_TARGET_PENALTY * (up.sum() + dn.sum())
        m.add_objective(objective, overwrite=True)
        self.dm = dm
        self.lp = lp = FastLP(m, options if options is not None else highs_options(system))
        sd = ("snapshot", "unit")
        self.c_heat = lp.cols("heat", sd)
        self.c_chp_el = lp.cols("chp_el", sd) if "chp_el" in m.variables else None
        has_el = "el_buy" in m.variables
        self.c_buy = lp.cols("el_buy") if has_el else None
        self.c_sell = lp.cols("el_sell") if has_el else None
        self.r_el = lp.rows("el_balance") if has_el else None
        self.hp = np.flatnonzero(st.is_hp)
        ss = ("snapshot", "storage")
        if st.storages:
            self.c_charge = lp.cols("charge", ss)
            self.c_discharge = lp.cols("discharge", ss)
            self.c_soc = lp.cols("soc", ss)
            self.r_soc = lp.rows("soc", ss)
        self.c_unserved = lp.cols("unserved")
        self.r_balance = lp.rows("heat_balance")
        self.r_cv = lp.rows("chp_cv", sd) if "chp_cv" in m.constraints else None
        self.r_mr, self.mr_x = self._subset("chp_must_run", list(np.asarray(st.units)[st.x_pos]))
        units = list(st.units)
        self.fuel_rows: list[tuple[int, int, int]] = []
        k = 0
        for i, u in enumerate(system.units):
            if u.annual_fuel_max_mwh is not None:
                self.fuel_rows.append((int(np.ravel(lp.rows(f"fuel_cap_{k}"))[0]),
                                       int(np.ravel(lp.rows(f"fuel_floor_{k}"))[0]), i))
                lp.rlo[self.fuel_rows[-1][1]] = -np.inf  # free until a window sets a floor
                k += 1
        # unit commitment (MILP)
        self.milp = "on" in m.variables
        if self.milp:
            self.c_on = lp.cols("on", sd)
            self.c_start = lp.cols("start", sd)
            # stop exists only for units with a minimum down time (see build)
            self.c_stop = lp.cols("stop", sd) if "stop" in m.variables else None
            self.com = self._unit_positions(m.variables["on"].labels.coords["unit"], units)
        self.r_on_max, self.on_max_u = self._subset("on_max", units)
        self.r_on_min, self.on_min_u = self._subset("on_min", units)
        xnames = list(np.asarray(st.units)[st.x_pos])
        self.r_on_min_el, self.on_min_el_x = self._subset("on_min_el", xnames)
        self.r_on_max_el, self.on_max_el_x = self._subset("on_max_el", xnames)
        if self.milp:
            com_names = [units[i] for i in self.com]
            self.on_max_c = np.array([com_names.index(units[i]) for i in self.on_max_u], int)
            self.on_min_c = np.array([com_names.index(units[i]) for i in self.on_min_u], int)
            self.on_min_el_c = np.array([com_names.index(xnames[j])
                                         for j in self.on_min_el_x], int)
            self.on_max_el_c = np.array([com_names.index(xnames[j])
                                         for j in self.on_max_el_x], int)
            self.min_load = np.array([system.units[i].min_load for i in range(len(units))])
        if K:
            self.c_tslack = lp.cols("target_slack")
            self.r_target = lp.rows("target")
            self.c_fslack = lp.cols("floor_slack")
            self.r_floor = lp.rows("target_floor")
            lp.rlo[self.r_floor] = -np.inf  # free until a window sets a floor
            self.coef = np.array([t.coef for t in targets])
        self.redispatch = redispatch and bool(st.storages)
        if st.storages:
            self.c_dev_up = lp.cols("soc_dev_up", ss)
            self.c_dev_dn = lp.cols("soc_dev_down", ss)
            self.r_soc_target = lp.rows("soc_target", ss)
            lp.rlo[self.r_soc_target] = -np.inf  # free until a re-dispatch sets targets
            lp.rup[self.r_soc_target] = np.inf
        self.c0 = lp.c.copy()
        self.rlo0, self.rup0 = lp.rlo.copy(), lp.rup.copy()
        self.lb0, self.ub0 = lp.lb.copy(), lp.ub.copy()
        self.wraps = None if cyclic else self._find_wraps()
        self._zero_wraps()

    def _zero_wraps(self) -> None:
        if self.wraps is not None and len(self.wraps.rows):
            self.lp.set_coeffs(self.wraps.rows, self.wraps.cols, np.zeros(len(self.wraps.rows)))

    def clone(self, *, redispatch: bool | None = None) -> WindowModel:
        """A second HiGHS problem of the same structure (no linopy rebuild).

        Parameters
        ----------
        redispatch : bool, optional
            Whether the clone reports storage-target deviations (default: as this one).
        """
        import copy

        other = copy.copy(self)
        other.lp = FastLP(self.lp.model, self.lp.options)
        other.redispatch = self.redispatch if redispatch is None else (
            redispatch and bool(self.static.storages))
        other._zero_wraps()
        return other

    # ---- structure ----------------------------------------------------------------------
    @staticmethod
    def _unit_positions(coord: Any, names: list[str]) -> np.ndarray:
        return np.array([names.index(str(n)) for n in np.asarray(coord)], dtype=int)

    def _subset(self, name: str, names: list[str]) -> tuple[np.ndarray | None, np.ndarray]:
        m = self.lp.model
        if name not in m.constraints:
            return None, np.zeros(0, dtype=int)
        rows = self.lp.rows(name, ("snapshot", "unit"))
        pos = self._unit_positions(m.constraints[name].labels.coords["unit"], names)
        return rows, pos

    def _find_wraps(self) -> Wraps:
        lp, m, L = self.lp, self.lp.model, self.length
        col_snap = np.full(lp.n_cols, -1)
        col_var = np.full(lp.n_cols, -1)
        col_other = np.full(lp.n_cols, -1)
        names = list(m.variables)
        for vi, name in enumerate(names):
            dims = m.variables[name].labels.dims
            if "snapshot" not in dims:
                continue
            other = [d for d in dims if d != "snapshot"]
            pos = lp.cols(name, ("snapshot", *other)).reshape(L, -1)
            ok = pos >= 0
            col_snap[pos[ok]] = np.broadcast_to(np.arange(L)[:, None], pos.shape)[ok]
            col_var[pos[ok]] = vi
            col_other[pos[ok]] = np.broadcast_to(np.arange(pos.shape[1])[None, :],
                                                 pos.shape)[ok]
        rows_, cols_, coef_, var_, other_, back_ = [], [], [], [], [], []
        vpos = m.variables.label_index.label_to_pos
        for name in m.constraints:
            con = m.constraints[name]
            dims = con.labels.dims
            if "snapshot" not in dims:
                continue
            other = [d for d in dims if d != "snapshot"]
            rows = lp.rows(name, ("snapshot", *other)).reshape(L, -1)
            v = np.asarray(con.vars.transpose("snapshot", *other, "_term").values)
            c = np.asarray(con.coeffs.transpose("snapshot", *other, "_term").values)
            v = v.reshape(L, rows.shape[1], -1)
            c = c.reshape(L, rows.shape[1], -1)
            valid = (v >= 0) & (c != 0) & (rows[:, :, None] >= 0)
            colpos = np.where(valid, vpos[np.maximum(v, 0)], -1)
            csnap = np.where(valid, col_snap[np.maximum(colpos, 0)], -1)
            wrap = valid & (csnap > np.arange(L)[:, None, None])
            if not wrap.any():
                continue
            r = np.broadcast_to(rows[:, :, None], wrap.shape)[wrap]
            cp = colpos[wrap]
            rows_.append(r)
            cols_.append(cp)
            coef_.append(c[wrap])
            var_.extend(names[i] for i in col_var[cp])
            other_.append(col_other[cp])
            back_.append(L - col_snap[cp])
        if not rows_:
            e = np.zeros(0, dtype=int)
            return Wraps(e, e, np.zeros(0), [], e, e)
        return Wraps(np.concatenate(rows_), np.concatenate(cols_), np.concatenate(coef_),
                     var_, np.concatenate(other_), np.concatenate(back_))

    @property
    def wrap_vars(self) -> set[str]:
        """Variables whose values before the window start enter an open window."""
        return set(self.wraps.var) if self.wraps is not None else set()

    # ---- data ---------------------------------------------------------------------------
    def update(self, tab: Tables, *, soc0: np.ndarray | None = None, t0: int = 0,
               history: dict[str, np.ndarray] | None = None,
               target_rhs: np.ndarray | None = None,
               target_penalty: np.ndarray | None = None,
               terminal_value: np.ndarray | None = None, terminal_pos: int | None = None,
               terminal_soc: np.ndarray | None = None,
               terminal_excess_cost: np.ndarray | None = None,
               terminal_deficit_cost: np.ndarray | float = 0.0,
               fuel_caps: dict[int, float] | None = None,
               soc_targets: np.ndarray | None = None,
               soc_excess_cost: np.ndarray | None = None,
               on_fixed: np.ndarray | None = None,
               surplus_value: np.ndarray | None = None,
               floor_rhs: np.ndarray | None = None,
               floor_soc_coef: np.ndarray | None = None,
               fuel_floors: dict[int, float] | None = None) -> None:
        """Write the data of a window into the HiGHS problem.

        Parameters
        ----------
        tab : Tables
            Coefficients of the window's hours (:func:`heatpath.operate.data.window_tables`).
        soc0 : ndarray, optional
            Storage content before the first hour, MWh (open windows).
        t0 : int
            Position of the first hour in the year (for the commitment history).
        history : dict, optional
            Realised values per variable name, shape (year hours, coordinates), for the
            wrap-around terms of open MILP windows.
        target_rhs : ndarray, optional
            Right-hand side per target row; ``-inf`` switches a row off.
        target_penalty : ndarray, optional
            Cost of each target row's slack, EUR per MWh (or t) (default TARGET_PENALTY).
        terminal_value : ndarray, optional
            Value of heat left in each storage at hour ``terminal_pos``, EUR/MWh.
        terminal_soc, terminal_excess_cost : ndarray, optional
            Storage content (MWh) above which heat left at hour ``terminal_pos`` is worth
            ``terminal_excess_cost`` (EUR/MWh) less than ``terminal_value``.
        terminal_deficit_cost : ndarray or float
            Cost of each MWh below ``terminal_soc`` at hour ``terminal_pos`` on top of the
            lost ``terminal_value``, EUR/MWh (default 0).
        fuel_caps : dict, optional
            Unit position -> fuel budget of the window, MWh.
        fuel_floors : dict, optional
            Unit position -> fuel the window should burn at least, MWh (a shortfall costs
            ``FUEL_FLOOR_PENALTY`` per MWh).
        soc_targets : ndarray, optional
            Planned storage content (hours, storages), MWh; NaN rows are free (re-dispatch).
            Deviations cost ``SOC_TARGET_PENALTY`` per MWh and hour.
        soc_excess_cost : ndarray, optional
            Cost of storage content above ``soc_targets`` per hour of the targets instead,
            EUR per MWh and hour, shape (hours,) (re-dispatch: the store may absorb heat).
        on_fixed : ndarray, optional
            Commitment (hours, committed units) to impose; NaN = free (MILP re-dispatch).
        surplus_value : ndarray, optional
            Value of one MWh (or t) of surplus of each target, EUR: subtracted from the cost
            of every unit's heat as ``sum_k value_k coef_k`` (the Lagrangian term of the
            annual requirements).
        floor_rhs : ndarray, optional
            Right-hand side of each floor row; ``-inf`` (default) switches it off.
        floor_soc_coef : ndarray, optional
            Surplus counted per MWh left in each storage at the window end, shape (targets,
            storages) (default 0).
        """
        lp, st = self.lp, self.static
        lb, ub, c = self.lb0.copy(), self.ub0.copy(), self.c0.copy()
        rlo, rup = self.rlo0.copy(), self.rup0.copy()
        lb[self.c_heat] = tab.p_min
        ub[self.c_heat] = tab.p_max
        c[self.c_heat] = tab.cost_heat
        if surplus_value is not None and self.targets:
            c[self.c_heat] -= np.asarray(surplus_value, dtype=float) @ self.coef
        if self.c_chp_el is not None:
            ub[self.c_chp_el] = tab.x_pmax_el
            c[self.c_chp_el] = tab.x_cost_el
        if self.r_cv is not None:
            rup[self.r_cv] = tab.x_pmax_el
        if self.r_mr is not None:
            rlo[self.r_mr] = st.x_min_load[self.mr_x] * tab.x_pmax_el[:, self.mr_x]
        if self.c_buy is not None:
            c[self.c_buy] = tab.el_buy_cost
            c[self.c_sell] = tab.el_sell_cost
        rlo[self.r_balance] = tab.need
        rup[self.r_balance] = tab.need
        if st.storages:
            c[self.c_soc] = 0.0
            if terminal_value is not None and terminal_pos is not None:
                c[self.c_soc[terminal_pos]] = -np.asarray(terminal_value, dtype=float)
            if not self.cyclic and soc0 is not None:
                rlo[self.r_soc[0]] = st.keep * soc0
                rup[self.r_soc[0]] = st.keep * soc0
        for row, floor_row, u in self.fuel_rows:
            if fuel_caps is not None and u in fuel_caps:
                rup[row] = fuel_caps[u]
            if fuel_floors is not None and u in fuel_floors:
                rlo[floor_row] = fuel_floors[u]
        if self.targets:
            if target_rhs is not None:
                rlo[self.r_target] = target_rhs
            if target_penalty is not None:
                c[self.c_tslack] = target_penalty
            if floor_rhs is not None:
                rlo[self.r_floor] = floor_rhs
        if st.storages:
            tgt = np.full((self.length, len(st.storages)), np.nan)
            if soc_targets is not None:
                tgt[: len(soc_targets)] = soc_targets
            if terminal_soc is not None and terminal_pos is not None:
                tgt[terminal_pos] = terminal_soc
                c[self.c_dev_up[terminal_pos]] = terminal_excess_cost
                c[self.c_dev_dn[terminal_pos]] = terminal_deficit_cost
            if soc_excess_cost is not None:
                excess = np.asarray(soc_excess_cost, dtype=float)
                c[self.c_dev_up[: len(excess)]] = excess[:, None]
            free = np.isnan(tgt)
            rlo[self.r_soc_target] = np.where(free, -np.inf, tgt)
            rup[self.r_soc_target] = np.where(free, np.inf, tgt)
        if self.milp and on_fixed is not None:
            fix = np.full((self.length, len(self.com)), np.nan)
            fix[: len(on_fixed)] = on_fixed
            ok = ~np.isnan(fix)
            lb[self.c_on[ok]] = fix[ok]
            ub[self.c_on[ok]] = fix[ok]
        if self.wraps is not None and len(self.wraps.rows):
            delta = np.zeros(lp.n_rows)
            w = self.wraps
            vals = np.zeros(len(w.rows))
            for i, (name, o, b) in enumerate(zip(w.var, w.other, w.back, strict=True)):
                h = t0 - int(b)
                if history is not None and h >= 0 and name in history:
                    vals[i] = history[name][h, o]
            np.add.at(delta, w.rows, w.coef * vals)
            rlo -= delta
            rup -= delta
        lp.lb, lp.ub, lp.c, lp.rlo, lp.rup = lb, ub, c, rlo, rup
        # matrix coefficients that follow the data
        if self.r_el is not None and len(self.hp):
            lp.set_coeffs(np.repeat(self.r_el[:, None], len(self.hp), axis=1),
                          self.c_heat[:, self.hp], -tab.net_el[:, self.hp])
        if self.milp:
            self._commitment_coeffs(tab)
        if self.targets and st.storages:
            w = np.zeros((len(self.targets), len(st.storages))) if floor_soc_coef is None \
                else np.asarray(floor_soc_coef, dtype=float)
            lp.set_coeffs(np.repeat(self.r_floor[:, None], w.shape[1], axis=1),
                          np.broadcast_to(self.c_soc[-1], w.shape), w)

    def _commitment_coeffs(self, tab: Tables) -> None:
        lp = self.lp
        if self.r_on_max is not None:
            lp.set_coeffs(self.r_on_max, self.c_on[:, self.on_max_c],
                          -tab.p_max[:, self.on_max_u])
        if self.r_on_min is not None:
            lp.set_coeffs(self.r_on_min, self.c_on[:, self.on_min_c],
                          -self.min_load[self.on_min_u] * tab.p_max[:, self.on_min_u])
        x_ml = self.min_load[self.static.x_pos]
        if self.r_on_min_el is not None:
            j = self.on_min_el_x
            lp.set_coeffs(self.r_on_min_el, self.c_on[:, self.on_min_el_c],
                          -x_ml[j] * tab.x_pmax_el[:, j])
        if self.r_on_max_el is not None:
            j = self.on_max_el_x
            lp.set_coeffs(self.r_on_max_el, self.c_on[:, self.on_max_el_c],
                          -tab.x_pmax_el[:, j])

    # ---- solution -----------------------------------------------------------------------
    def solve(self) -> str:
        """Solve; returns the HiGHS model status (``"Optimal"`` when solved)."""
        return self.lp.solve()

    def values(self, n: int) -> dict[str, np.ndarray]:
        """Solution of the first ``n`` hours (and the target slacks and duals)."""
        x = self.lp.x
        st = self.static
        out: dict[str, np.ndarray] = {"heat": x[self.c_heat[:n]],
                                      "unserved": x[self.c_unserved[:n]]}
        nx, ns = len(st.x_pos), len(st.storages)
        out["chp_el"] = x[self.c_chp_el[:n]] if self.c_chp_el is not None else np.zeros((n, nx))
        if self.c_buy is not None:
            out["el_buy"], out["el_sell"] = x[self.c_buy[:n]], x[self.c_sell[:n]]
        else:
            out["el_buy"] = out["el_sell"] = np.zeros(n)
        for k in ("charge", "discharge", "soc"):
            out[k] = x[getattr(self, f"c_{k}")[:n]] if ns else np.zeros((n, 0))
        if self.milp:
            out["on"] = np.round(x[self.c_on[:n]])
            out["start"] = x[self.c_start[:n]]
            if self.c_stop is not None:
                out["stop"] = x[self.c_stop[:n]]
        if self.targets:
            out["target_slack"] = x[self.c_tslack]
            out["floor_slack"] = x[self.c_fslack]
            out["target_dual"] = np.abs(self.lp.row_dual[self.r_target])
        if self.static.storages:
            out["soc_dev"] = x[self.c_dev_up[:n]] + x[self.c_dev_dn[:n]]

        return out

    def soc_duals(self) -> np.ndarray:
        """Duals of the storage balances (hours, storages), EUR/MWh (LP only)."""
        return self.lp.row_dual[self.r_soc]
