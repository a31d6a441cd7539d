"""Evaluation of one sweep sample: dispatch (scenario and reference) and appraisal.

This module runs inside the Dask workers (and in the calling process for serial sweeps).
Each worker process keeps the models it built in a small cache keyed by scenario path,
content hash, weather year and EED treatment: the first sample builds the linopy model and
hands it to HiGHS (:class:`~heatpath.dispatch.reuse.ReusableModel`); every further sample
only replaces the objective coefficients (prices, CAPEX of extendable units, discount rate),
the right-hand side of the heat balance (demand) and re-solves warm-started from the previous
optimal basis. A different weather year is a different model (other demand, COP,
availability series) and is built once per worker too.

Each sample's record is written as one Parquet file, atomically (temporary file in the same
folder, then :func:`os.replace`): a sample file either exists complete or not at all, so an
interrupted or partly failed sweep resumes by skipping existing files, and a sample computed
twice (a task re-run after a worker died) still leaves exactly one file.
"""

from __future__ import annotations

import dataclasses
import os
import time
import tomllib
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from heatpath.dispatch.build import (
    annual_cost_per_size,
    build,
    objective_coefficients,
    requirement_coefficients,
)
from heatpath.dispatch.coefficients import unit_tables
from heatpath.dispatch.reuse import ReusableModel
from heatpath.dispatch.solve import prepare
from heatpath.model.schema import (
    EED_GROUPS,
    CHPBackPressure,
    CHPExtraction,
    FuelBoiler,
    ShareRequirement,
    System,
)
from heatpath.planning.sweep_spec import SweepSpec

__all__ = [
    "SweepJob",
    "apply_sample",
    "evaluate_sample",
    "load_variant",
    "run_samples",
    "sample_path",
    "transform_prices",
    "worker_stats",
]

#: Models kept per worker process (scenario/reference x weather years x treatment).
CACHE_SIZE = 4

_CACHE: OrderedDict[tuple, _Prepared] = OrderedDict()
_INVEST_CACHE: dict[tuple, list] = {}
_STATS = {"builds": 0, "reuses": 0, "samples": 0}


@dataclass(frozen=True)
class SweepJob:
    """Everything a worker needs to evaluate samples (picklable, small).

    Attributes
    ----------
    scenario_path, reference_path : str
        Absolute paths of the scenario and (optional) reference TOML files.
    scenario_hash, reference_hash : str
        Content hashes (TOML + referenced files): part of the model cache key, so an edited
        scenario is rebuilt even by long-lived workers.
    spec : SweepSpec
    samples_dir : str
        Folder of the per-sample Parquet files.
    """

    scenario_path: str
    scenario_hash: str
    reference_path: str | None
    reference_hash: str | None
    spec: SweepSpec
    samples_dir: str


def sample_path(samples_dir: str | Path, sample_id: int) -> Path:
    """``samples_dir/sample_00042.parquet``."""
    return Path(samples_dir) / f"sample_{int(sample_id):05d}.parquet"


def worker_stats() -> dict[str, int]:
    """Models built, samples solved on a reused model, samples evaluated (this process)."""
    return dict(_STATS)


# --------------------------------------------------------------------------- inputs


def load_variant(path: str | Path, weather: str | Path | None = None) -> System:
    """Load a scenario, optionally with another weather year as its default CSV.

    The weather-year file replaces ``[system].timeseries``: every column the scenario names
    (demand, COP, prices, temperatures, ...) is read from it; explicit ``{file, column}``
    references keep their own files.
    """
    from heatpath.model import load_scenario
    from heatpath.model.io import build_system

    if weather is None:
        return load_scenario(path)
    p = Path(path).resolve()
    raw = tomllib.loads(p.read_text(encoding="utf-8"))
    if raw.get("system", {}).get("timeseries") is None:
        from heatpath.planning.sweep_spec import SweepSpecError

        raise SweepSpecError("weather years replace [system].timeseries, which this scenario "
                             "does not set", file=p, field="system.timeseries")
    raw["system"]["timeseries"] = str(Path(weather).resolve())
    return build_system(raw, p)


def transform_prices(series: pd.Series, level: float = 1.0, volatility: float = 1.0,
                     clip_negative: bool = False) -> pd.Series:
    """Price series with another level and volatility: ``mean * level + (p - mean) * vol``.

    ``level`` scales the annual mean, ``volatility`` the hourly deviations from it (0 = a
    flat price, 1 = the original pattern, 2 = twice the spread); the timing of peaks and
    valleys is kept. Negative prices are kept unless ``clip_negative``.
    """
    mean = float(series.mean())
    out = mean * level + (series - mean) * volatility
    if clip_negative:
        out = out.clip(lower=0.0)
    return out


def apply_sample(base: System, values: dict[str, float], spec: SweepSpec,
                 *, scale_capex: bool = True) -> System:
    """A shallow variant of a prepared ``base`` system with one sample's values.

    Prices (level/volatility), demand and network losses (factor), the dispatch discount
    rate and the CAPEX of extendable components change; everything else is shared with
    ``base`` (not copied, not modified).
    """
    s = base.model_copy()
    prices = base.prices.model_copy()
    prices.fuels_eur_per_mwh = dict(base.prices.fuels_eur_per_mwh)
    groups: dict[str, dict[str, float]] = {}
    for name, p in spec.parameters.items():
        if p.series is not None and name in values:
            groups.setdefault(p.series, {})[p.kind] = float(values[name])
    for key, lv in groups.items():
        level, vol = lv.get("level", 1.0), lv.get("volatility", 1.0)
        if key == "electricity":
            prices.electricity_eur_per_mwh = transform_prices(
                prices.electricity_eur_per_mwh, level, vol, spec.clip_negative_prices)
        elif key == "co2":
            prices.co2_eur_per_t = transform_prices(prices.co2_eur_per_t, level, vol,
                                                    spec.clip_negative_prices)
        else:
            fuel = key.split(".", 1)[1]
            if fuel in prices.fuels_eur_per_mwh:
                prices.fuels_eur_per_mwh[fuel] = transform_prices(
                    prices.fuels_eur_per_mwh[fuel], level, vol, spec.clip_negative_prices)
    s.prices = prices
    factor = 1.0
    capex: dict[str, float] = {}
    for name, p in spec.parameters.items():
        if name not in values:
            continue
        if p.kind == "demand":
            factor = float(values[name])
        elif p.kind == "discount_rate":
            s.dispatch = base.dispatch.model_copy(update={"discount_rate": float(values[name])})
        elif p.kind == "capex":
            capex[p.target.split(".", 1)[1]] = float(values[name])
    if factor != 1.0:
        d = base.demand
        upd: dict[str, Any] = {"heat_mw": d.heat_mw * factor}
        if d.network_loss_mw is not None:
            upd["network_loss_mw"] = d.network_loss_mw * factor
        s.demand = d.model_copy(update=upd)
    if scale_capex and capex:
        def f(c: Any) -> float:
            return capex_factor(capex, c.name, c.technology)

        s.units = [u.model_copy(update={"capex_eur_per_mw": u.capex_eur_per_mw * f(u)})
                   if u.extendable and f(u) != 1.0 else u for u in base.units]
        s.storages = [st.model_copy(update={"capex_eur_per_mwh": st.capex_eur_per_mwh * f(st)})
                      if st.extendable and f(st) != 1.0 else st for st in base.storages]
    return s


# --------------------------------------------------------------------------- models


class _Prepared:
    """A scenario's model living in HiGHS, with the rows used to toggle EED conditions."""

    def __init__(self, path: str, weather: str | None, article: str) -> None:
        from heatpath.eed import (
            alternatives,
            essential_alternatives,
            ghg_limit_g_per_kwh,
            group_fractions,
            heat_emission_factors,
        )

        system = prepare(load_variant(path, weather))
        self.system = system
        self.year = system.system.year
        self.fractions = group_fractions(system)
        self.factors = heat_emission_factors(system)
        self.alternatives = alternatives(self.year)
        self.ghg_limit = ghg_limit_g_per_kwh(self.year)
        self.article = article
        ghg_kw: dict[str, Any] = {}
        if article == "26(2)":
            ghg_kw = {"ghg_limit_t_per_mwh": self.ghg_limit / 1000.0,
                      "heat_emission_t_per_mwh": self.factors}
        self.build_s = time.perf_counter()
        dm = build(system, self.fractions, list(system.share_requirements), **ghg_kw)
        heat = dm.model.variables["heat"]
        self.conditions: dict[str, tuple[list[str], list[ShareRequirement]]] = {}
        if article == "26(1)":
            for alt in essential_alternatives(self.year):
                names, reqs = [], []
                for k, c in enumerate(alt.conditions):
                    req = ShareRequirement(name=f"{alt.id}:{'+'.join(c.groups)}",
                                           groups=list(c.groups), min_share=c.min_share)
                    coef = requirement_coefficients(dm.fractions, req)
                    da = xr.DataArray(coef.to_numpy(), coords={"unit": list(coef.index)},
                                      dims="unit")
                    name = f"sweep_{alt.id.replace('.', '_')}_{k}"
                    dm.model.add_constraints((da * heat).sum() >= 0, name=name)
                    names.append(name)
                    reqs.append(req)
                self.conditions[alt.id] = (names, reqs)
        self.rm = ReusableModel(dm)
        self.build_s = time.perf_counter() - self.build_s
        self.dm = dm
        self._rows = {aid: np.concatenate([self.rm.rows(n).values.ravel() for n in names])
                      .astype(np.int32) for aid, (names, _) in self.conditions.items()}
        for aid in self._rows:
            self.toggle(aid, False)
        self.need = (dm.demand_mw + dm.losses_mw).to_numpy(dtype=float)
        self.demand_sum = float(dm.demand_mw.sum())
        self.factor = 1.0
        if article == "26(2)":
            self.set_ghg(False)
        # HiGHS column of every element of every variable, computed once (label maps are
        # the slow part of ReusableModel.values / set_costs)
        self.cols: dict[str, xr.DataArray] = {
            name: self.rm.columns(name) for name in dm.model.variables}
        self._idx = {name: c.values for name, c in self.cols.items()}
        self._set = {name: (c.values.ravel() >= 0, c.values.ravel()[c.values.ravel() >= 0]
                            .astype(np.int32)) for name, c in self.cols.items()}
        self._names = {name: [str(v) for v in c.coords[c.dims[-1]].values]
                       for name, c in self.cols.items() if c.ndim == 2}
        self._hb_rows = self.rm.rows("heat_balance").values.ravel().astype(np.int32)
        self._x: np.ndarray | None = None
        tabs = dm.tables
        self.tables_np = {k: getattr(tabs, k).to_numpy(dtype=float) for k in
                          ("fuel_per_heat", "el_in_per_heat", "el_out_per_heat",
                           "co2_per_heat")}
        self.n_snapshots = len(system.snapshots)

    def coefficients(self, system: System) -> dict[str, np.ndarray] | None:
        """Objective coefficients of ``system`` with numpy, in the variables' layout.

        The formula of :func:`~heatpath.dispatch.build.objective_coefficients` (fuel + ETS
        + O&M per MWh of heat, extraction-CHP fuel on ``chp_el``, electricity price + fee /
        - price, annualised investment of extendable capacity), about 10 times faster; the
        equality is tested. None when a variable's layout is unusual (then the generic path
        is used).
        """
        if self.cols["heat"].dims != ("snapshot", "unit"):
            return None
        p = system.prices
        pco2 = p.co2_eur_per_t.to_numpy(dtype=float)
        fph, co2ph = self.tables_np["fuel_per_heat"], self.tables_np["co2_per_heat"]
        names = self._names["heat"]
        heat = np.empty((self.n_snapshots, len(names)))
        out: dict[str, np.ndarray] = {}
        chp_el = {}
        for u in system.units:
            k = names.index(u.name)
            if isinstance(u, (FuelBoiler, CHPBackPressure)):
                price = p.fuels_eur_per_mwh[u.fuel].to_numpy(dtype=float)
                heat[:, k] = fph[:, k] * price + co2ph[:, k] * pco2 + u.vom_eur_per_mwh
            elif isinstance(u, CHPExtraction):
                f = system.fuels[u.fuel]
                per_fuel = (p.fuels_eur_per_mwh[u.fuel].to_numpy(dtype=float)
                            + f.emission_factor_t_per_mwh * (1.0 - f.biogenic_fraction) * pco2)
                heat[:, k] = u.vom_eur_per_mwh + per_fuel * u.power_loss / u.el_efficiency
                chp_el[u.name] = per_fuel / u.el_efficiency
            else:
                heat[:, k] = u.vom_eur_per_mwh
        out["heat"] = heat
        if chp_el:
            if self.cols["chp_el"].dims != ("snapshot", "unit"):
                return None
            out["chp_el"] = np.column_stack([chp_el[n] for n in self._names["chp_el"]])
        pel = p.electricity_eur_per_mwh.to_numpy(dtype=float)
        out["el_buy"] = pel + p.electricity_fee_eur_per_mwh
        out["el_sell"] = -pel
        yf = self.n_snapshots / 8760.0
        rate = system.dispatch.discount_rate
        comps = {c.name: c for c in [*system.units, *system.storages]}
        for var in ("capacity", "storage_capacity"):
            if var in self.cols:
                out[var] = np.array([yf * annual_cost_per_size(comps[n], rate)
                                     for n in self.cols[var].coords[
                                         self.cols[var].dims[0]].values], dtype=float)
        if "start" in self.cols:
            return None
        return out

    def update_costs(self, system: System) -> None:
        """Set the objective coefficients of ``system`` (same formula as the build:
        :func:`~heatpath.dispatch.build.objective_coefficients`)."""
        fast = self.coefficients(system)
        if fast is not None:
            for name, values in fast.items():
                ok, idx = self._set[name]
                self.rm.h.changeColsCost(len(idx), idx,
                                         np.ascontiguousarray(values.ravel()[ok], dtype=float))
            return
        for name, coef in objective_coefficients(system, unit_tables(system)).items():
            cols = self.cols.get(name)
            if cols is None:
                continue
            if coef.dims == cols.dims:
                values = coef.values.ravel()
            else:
                values = xr.broadcast(coef, cols)[0].transpose(*cols.dims).values.ravel()
            ok, idx = self._set[name]
            self.rm.h.changeColsCost(len(idx), idx,
                                     np.ascontiguousarray(values[ok], dtype=float))

    def fetch(self) -> None:
        """Read the primal solution of the last solve (once per solve)."""
        self._x = np.asarray(self.rm.h.getSolution().col_value, dtype=float)

    def values(self, name: str) -> np.ndarray:
        """Primal values of a variable (dims as the variable; NaN where masked)."""
        assert self._x is not None
        idx = self._idx[name]
        return np.where(idx >= 0, self._x[np.clip(idx, 0, None)], np.nan)

    def toggle(self, alt_id: str, on: bool) -> None:
        """Enable (>= 0) or relax (free) the share rows of one Art. 26(1) alternative."""
        rows = self._rows[alt_id]
        n = len(rows)
        lower = np.zeros(n) if on else np.full(n, -np.inf)
        self.rm.h.changeRowsBounds(n, rows, lower, np.full(n, np.inf))

    def set_ghg(self, on: bool) -> None:
        """Enable or relax the Art. 26(2) row (limit x heat delivered, scaled with demand)."""
        rows = self.rm.rows("ghg").values.ravel().astype(np.int32)
        limit = self.ghg_limit / 1000.0 * self.demand_sum * self.factor if on else np.inf
        self.rm.h.changeRowsBounds(len(rows), rows, np.full(len(rows), -np.inf),
                                   np.full(len(rows), limit))

    def set_demand(self, factor: float) -> None:
        """Scale demand and network losses in the heat balance."""
        if factor != self.factor:
            rhs = np.ascontiguousarray(self.need * factor, dtype=float)
            self.rm.h.changeRowsBounds(len(self._hb_rows), self._hb_rows, rhs, rhs)
            self.factor = factor

    def best_case_share(self, req: ShareRequirement) -> float:
        """Upper bound of a share with all qualifying units at capacity."""
        q = self.fractions[list(req.groups)].sum(axis=1)
        qualifying = float((self.dm.tables.p_max * q).to_numpy().sum())
        need = float(self.need.sum()) * self.factor
        return min(1.0, qualifying / need) if need > 0 else 0.0


def _model(path: str, digest: str, weather: str | None, article: str) -> tuple[_Prepared, bool]:
    key = (path, digest, weather, article)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        _STATS["reuses"] += 1
        return _CACHE[key], True
    prep = _Prepared(path, weather, article)
    _STATS["builds"] += 1
    _CACHE[key] = prep
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return prep, False


def clear_cache() -> None:
    """Drop every cached model of this process."""
    _CACHE.clear()
    _INVEST_CACHE.clear()


# --------------------------------------------------------------------------- solving


@dataclass
class SampleDispatch:
    """Annual outcome of one dispatch of a sample (what the sweep records; no hourly data).

    Costs and flows follow :func:`heatpath.dispatch.solve.extract` and
    :func:`heatpath.economics.appraisal.unit_variable_costs` (tested against them).
    """

    system: System
    objective_eur: float
    costs_eur: dict[str, float]
    heat_mwh: pd.Series
    fractions: pd.DataFrame
    capacities: dict[str, float]
    co2_t: float
    electricity_bought_mwh: float
    electricity_sold_mwh: float
    heat_delivered_mwh: float
    unit_variable_cost_eur: dict[str, float]

    @property
    def heat_into_network_mwh(self) -> float:
        """Heat of all units into the network, MWh."""
        return float(self.heat_mwh.sum())

    @property
    def group_heat_mwh(self) -> pd.Series:
        """Heat into the network per EED counting group, MWh."""
        return self.fractions.mul(self.heat_mwh, axis=0).sum().reindex(list(EED_GROUPS))

    @property
    def shares(self) -> dict[str, float]:
        """Share of each EED group in heat into the network."""
        total = self.heat_into_network_mwh
        return {k: (float(v) / total if total > 0 else 0.0)
                for k, v in self.group_heat_mwh.items()}

    def summary(self) -> dict[str, Any]:
        """The ``summary.json`` keys the appraisal reads."""
        return {"scenario": self.system.system.name, "year": self.system.system.year,
                "objective_eur": self.objective_eur, "costs_eur": self.costs_eur,
                "heat_mwh": {k: float(v) for k, v in self.heat_mwh.items()},
                "unit_variable_cost_eur": self.unit_variable_cost_eur}


def _result(prep: _Prepared, system: System, objective: float) -> SampleDispatch:
    """Annual figures of the HiGHS solution (numpy only; as ``solve.extract``)."""
    tab = prep.tables_np
    prep.fetch()
    names = [u.name for u in system.units]

    def mat(var: str) -> np.ndarray:
        vals = np.maximum(np.nan_to_num(prep.values(var)), 0.0)
        return vals if prep.cols[var].dims[0] == "snapshot" else vals.T

    h = mat("heat")
    order = [prep._names["heat"].index(n) for n in names]
    h = h[:, order]
    fuel = h * tab["fuel_per_heat"]
    el_in = h * tab["el_in_per_heat"]
    el_out = h * tab["el_out_per_heat"]
    co2 = h * tab["co2_per_heat"]
    p = system.prices
    xs = [(k, u) for k, u in enumerate(system.units) if isinstance(u, CHPExtraction)]
    if xs:
        p_el = mat("chp_el")
        xnames = prep._names["chp_el"]
        for k, u in xs:
            pe = p_el[:, xnames.index(u.name)]
            f = system.fuels[u.fuel]
            fuel[:, k] = (pe + u.power_loss * h[:, k]) / u.el_efficiency
            el_out[:, k] = (1.0 - u.aux_el_fraction) * pe
            co2[:, k] = fuel[:, k] * f.emission_factor_t_per_mwh * (1 - f.biogenic_fraction)
    pel = p.electricity_eur_per_mwh.to_numpy()
    fee = float(p.electricity_fee_eur_per_mwh)
    pco2 = p.co2_eur_per_t.to_numpy()
    unit_cost: dict[str, float] = {}
    fuel_cost = 0.0
    for k, u in enumerate(system.units):
        c = float(h[:, k].sum()) * float(u.vom_eur_per_mwh)
        fname = getattr(u, "fuel", None)
        if fname is not None:
            fc = float(fuel[:, k] @ p.fuels_eur_per_mwh[fname].to_numpy())
            fuel_cost += fc
            c += fc
        c += float(co2[:, k] @ pco2) + float(el_in[:, k] @ (pel + fee)) \
            - float(el_out[:, k] @ pel)
        unit_cost[u.name] = c
    ets = float(co2.sum(axis=1) @ pco2)
    om = float(sum(h[:, k].sum() * u.vom_eur_per_mwh for k, u in enumerate(system.units)))
    capacities: dict[str, float] = {}
    for var in ("capacity", "storage_capacity"):
        if var in prep.cols:
            da = prep.cols[var]
            capacities.update({str(k): float(v) for k, v in
                               zip(da.coords[da.dims[0]].values, prep.values(var),
                                   strict=True)})
    year_fraction = prep.n_snapshots / 8760.0
    invest = 0.0
    for c in [*system.units, *system.storages]:
        if c.name in capacities:
            invest += year_fraction * annual_cost_per_size(c, system.dispatch.discount_rate) \
                * capacities[c.name]
    start_cost = 0.0
    if "start" in prep.cols:
        st = mat("start")
        st_names = prep._names["start"]
        for u in system.units:
            if u.name in st_names:
                start_cost += float(st[:, st_names.index(u.name)].sum()) * u.start_cost_eur
    if "el_buy" in prep.cols:
        el_buy = np.maximum(prep.values("el_buy"), 0.0)
        el_sell = np.maximum(prep.values("el_sell"), 0.0)
    else:
        el_buy = el_sell = np.zeros(prep.n_snapshots)
    costs = {"fuel": fuel_cost, "ets": ets, "om": om,
             "electricity_purchase": float(el_buy @ (pel + fee)),
             "electricity_revenue": float(el_sell @ pel), "start": start_cost,
             "investment_annualised": invest}
    return SampleDispatch(
        system=system, objective_eur=objective, costs_eur=costs,
        heat_mwh=pd.Series(h.sum(axis=0), index=names), fractions=prep.dm.fractions,
        capacities=capacities, co2_t=float(co2.sum()),
        electricity_bought_mwh=float(el_buy.sum()), electricity_sold_mwh=float(el_sell.sum()),
        heat_delivered_mwh=float(system.demand.heat_mw.to_numpy().sum()),
        unit_variable_cost_eur=unit_cost)


@dataclass
class _Outcome:
    result: SampleDispatch | None
    status: str
    lps: int = 0
    iterations: int = 0
    unconstrained_cost: float = float("nan")
    chosen: str = ""
    reused: bool = True


def _solve(prep: _Prepared, system: System, out: _Outcome) -> SampleDispatch | None:
    r = prep.rm.solve()
    out.lps += 1
    out.iterations += r.simplex_iterations
    if r.status != "Optimal":
        if r.status not in ("Infeasible", "Primal infeasible or unbounded"):
            raise RuntimeError(f"HiGHS ended with status {r.status}")
        return None
    return _result(prep, system, r.objective)


def _dispatch(prep: _Prepared, system: System, values: dict[str, float], enforce: bool
              ) -> _Outcome:
    """Solve one sample on a prepared model (cost-optimal, or with Art. 26 enforced)."""
    from heatpath.eed import assess

    out = _Outcome(None, "ok")
    prep.update_costs(system)
    prep.set_demand(out_factor(values))
    if prep.article == "26(2)":
        prep.set_ghg(False)
    base = _solve(prep, system, out)
    if base is None:
        out.status = "infeasible"
        return out
    out.result = base
    out.unconstrained_cost = base.objective_eur
    if not enforce or prep.article == "none":
        return out
    if prep.article == "26(2)":
        emissions = float((base.heat_mwh * prep.factors.reindex(base.heat_mwh.index)).sum())
        if emissions / base.heat_delivered_mwh * 1000.0 <= prep.ghg_limit + 1e-9:
            out.chosen = "26(2)"
            return out
        prep.set_ghg(True)
        res = _solve(prep, system, out)
        prep.set_ghg(False)
        out.result, out.chosen = res, "26(2)"
        if res is None:
            out.status = "eed_infeasible"
        return out
    a0 = assess(prep.year, base.group_heat_mwh.to_dict())
    if a0.efficient:
        out.chosen = a0.criteria_met[0]
        return out
    best: SampleDispatch | None = None
    for alt_id, (_, reqs) in prep.conditions.items():
        if any(prep.best_case_share(r) < r.min_share - 1e-9 for r in reqs):
            continue
        prep.toggle(alt_id, True)
        try:
            res = _solve(prep, system, out)
        finally:
            prep.toggle(alt_id, False)
        if res is not None and (best is None or res.objective_eur < best.objective_eur):
            best, out.chosen = res, alt_id
    out.result = best
    if best is None:
        out.status = "eed_infeasible"
    return out


def out_factor(values: dict[str, float]) -> float:
    """Demand factor of a sample (1 without a ``demand`` parameter)."""
    return float(values.get("__demand__", 1.0))


def _dispatch_rebuild(path: str, weather: str | None, article: str, values: dict[str, float],
                      spec: SweepSpec, enforce: bool) -> tuple[_Outcome, _Prepared]:
    """Reference implementation without reuse: build a fresh model for this sample."""
    prep = _Prepared(path, weather, article)
    _STATS["builds"] += 1
    system = apply_sample(prep.system, values, spec)
    out = _dispatch(prep, system, values, enforce)
    out.reused = False
    return out, prep


# --------------------------------------------------------------------------- appraisal


def _investments(job: SweepJob, scen: SampleDispatch, ref: SampleDispatch,
                 fa: Any) -> list:
    """Initial investments of the scenario against the reference (cached when fixed)."""
    from heatpath.economics.appraisal import ComponentInvestment
    from heatpath.economics.cashflow import Investment, investment_from_catalogue

    spec = job.spec
    if spec.investments:
        key = ("spec", job.scenario_hash, job.reference_hash, fa.start_year,
               fa.price_base_year)
        if key not in _INVEST_CACHE:
            units = {u.name: u for u in scen.system.units}
            ref_units = {u.name: u for u in ref.system.units}
            items = []
            for inv in spec.investments:
                year = inv.year if inv.year is not None else fa.start_year
                if inv.capex_eur is not None:
                    base = Investment(year=year, capex=inv.capex_eur,
                                      lifetime_years=inv.lifetime_years,
                                      fixed_om=inv.fixed_om_eur_per_yr or 0.0, name=inv.name)
                else:
                    c = investment_from_catalogue(inv.technology, inv.size, year,
                                                  price_year=fa.price_base_year,
                                                  extrapolate=True)
                    base = dataclasses.replace(
                        c, name=inv.name,
                        lifetime_years=inv.lifetime_years or c.lifetime_years,
                        fixed_om=(inv.fixed_om_eur_per_yr if inv.fixed_om_eur_per_yr
                                  is not None else c.fixed_om))
                u = units.get(inv.name)
                if u is not None:
                    # a named unit of the scenario: its (new share of) heat enters the LCOH
                    cap = float(u.capacity_mw)
                    r = ref_units.get(inv.name)
                    old = float(r.capacity_mw) if r is not None and r.kind == u.kind else 0.0
                    base = ComponentInvestment(
                        year=base.year, capex=base.capex, lifetime_years=base.lifetime_years,
                        fixed_om=base.fixed_om, name=inv.name, component=inv.name,
                        kind="unit", size=max(cap - old, 0.0), size_unit="MW",
                        cost_source=("sweep spec" if inv.capex_eur is not None
                                     else f"catalogue:{inv.technology}"),
                        new_fraction=max(0.0, 1.0 - old / cap) if cap > 0 else 1.0)
                items.append(base)
            _INVEST_CACHE[key] = items
        return _INVEST_CACHE[key]
    from heatpath.economics.appraisal import investments_between

    extendable = any(c.extendable for c in [*scen.system.units, *scen.system.storages,
                                            *ref.system.units, *ref.system.storages])
    key = ("between", job.scenario_hash, job.reference_hash, fa.start_year,
           fa.price_base_year)
    if extendable or key not in _INVEST_CACHE:
        items = investments_between(scen.system, ref.system, year=fa.start_year,
                                    capacities=scen.capacities,
                                    reference_capacities=ref.capacities,
                                    price_year=fa.price_base_year)
        if extendable:
            return items
        _INVEST_CACHE[key] = items
    return _INVEST_CACHE[key]


def capex_factor(capex: dict[str, float], name: str, technology: str | None) -> float:
    """CAPEX factor of a component: by its name, its catalogue technology and ``all``."""
    f = capex.get(name, 1.0) * capex.get("all", 1.0)
    if technology is not None and technology != name:
        f *= capex.get(technology, 1.0)
    return f


def _scaled(items: list, capex: dict[str, float], technologies: dict[str, str | None]
            ) -> list:
    if not capex:
        return items
    out = []
    for inv in items:
        f = capex_factor(capex, inv.name, technologies.get(inv.name))
        out.append(dataclasses.replace(inv, capex=inv.capex * f) if f != 1.0 else inv)
    return out


def appraise_sample(job: SweepJob, scen: SampleDispatch, ref: SampleDispatch,
                    values: dict[str, float]) -> dict[str, Any]:
    """NPV, IRR, paybacks, LCOH and funding gap of one sample (project perspective).

    Uses :func:`heatpath.economics.appraisal.appraise_results` with the spec's
    ``[finance]`` assumptions, the sample's discount rate and its CAPEX factors applied to
    the investments (fixed O&M unchanged).
    """
    from heatpath.economics.appraisal import appraise_results

    spec = job.spec
    rate = None
    capex: dict[str, float] = {}
    for name, p in spec.parameters.items():
        if name not in values:
            continue
        if p.kind == "discount_rate":
            rate = float(values[name])
        elif p.kind == "capex":
            capex[p.target.split(".", 1)[1]] = float(values[name])
    fa = spec.assumptions(rate)
    tech = {c.name: c.technology for c in [*scen.system.units, *scen.system.storages]}
    tech.update({i.name: i.technology for i in spec.investments if i.technology})
    items = _scaled(_investments(job, scen, ref, fa), capex, tech)
    a = appraise_results(scen.summary(), ref.summary(), assumptions=fa, investments=items)
    pr, eq = a.indicators["project"], a.indicators["equity"]

    def num(v: Any) -> float:
        return float("nan") if v is None else float(v)

    return {
        "npv_eur": num(pr["npv"]), "irr": num(pr["irr"]),
        "simple_payback_years": num(pr["simple_payback"]),
        "discounted_payback_years": num(pr["discounted_payback"]),
        "lcoh_eur_per_mwh": num(pr["lcoh"]), "funding_gap_eur": num(pr["funding_gap_eur"]),
        "npv_equity_eur": num(eq["npv"]), "irr_equity": num(eq["irr"]),
        "capex_eur": float(a.capex_total_eur), "opex_saving_eur": float(a.opex_saving_eur),
        "ref_variable_cost_eur": float(a.variable_cost_eur["reference"]),
    }


# --------------------------------------------------------------------------- one sample


def _variable_cost(r: SampleDispatch) -> float:
    return float(r.objective_eur - r.costs_eur.get("investment_annualised", 0.0))


def evaluate_sample(job: SweepJob, sample_id: int, row: dict[str, Any]) -> dict[str, Any]:
    """Dispatch and appraise one sample; return its record (one row of the sample table).

    Parameters
    ----------
    job : SweepJob
    sample_id : int
    row : dict
        The sample's design row (``kind``, ``parameter``, ``side``, ``weather`` and the
        parameter values).

    Returns
    -------
    dict
        Design columns, ``status`` (``ok``, ``infeasible``, ``eed_infeasible``,
        ``reference_infeasible``), costs, appraisal indicators, EED shares and criteria.
    """
    from heatpath.eed import assess, ghg_intensity

    t0 = time.perf_counter()
    c0 = time.process_time()
    spec = job.spec
    values = {n: float(row[n]) for n in spec.parameters}
    demand = [n for n, p in spec.parameters.items() if p.kind == "demand"]
    if demand:
        values["__demand__"] = values[demand[0]]
    w = int(row.get("weather", 0))
    weather = str(spec.weather_paths()[w - 1]) if w > 0 else None
    enforce = spec.enforce_eed
    from heatpath.model import load_scenario  # noqa: F401  (import cost paid once)

    article = _article(job, weather) if enforce else "none"
    if spec.reuse_models:
        prep, reused = _model(job.scenario_path, job.scenario_hash, weather, article)
        system = apply_sample(prep.system, values, spec)
        out = _dispatch(prep, system, values, enforce)
        out.reused = reused
    else:
        out, prep = _dispatch_rebuild(job.scenario_path, weather, article, values, spec,
                                      enforce)
    ref_out: _Outcome | None = None
    if job.reference_path is not None:
        if spec.reuse_models:
            rprep, _ = _model(job.reference_path, job.reference_hash or "", weather, "none")
            rsys = apply_sample(rprep.system, values, spec)
            ref_out = _dispatch(rprep, rsys, values, False)
        else:
            ref_out, rprep = _dispatch_rebuild(job.reference_path, weather, "none", values,
                                               spec, False)
    rec: dict[str, Any] = {"sample_id": int(sample_id)}
    for k in ("kind", "parameter", "side"):
        rec[k] = str(row.get(k, ""))
    rec["weather"] = w
    rec.update({n: values[n] for n in spec.parameters})
    rec["status"] = out.status
    res = out.result
    nan = float("nan")
    rec["variable_cost_eur"] = _variable_cost(res) if res is not None else nan
    rec["objective_eur"] = res.objective_eur if res is not None else nan
    rec["cost_of_compliance_eur"] = (res.objective_eur - out.unconstrained_cost
                                     if enforce and res is not None else nan)
    rec["chosen_alternative"] = out.chosen
    fin_keys = ("npv_eur", "irr", "simple_payback_years", "discounted_payback_years",
                "lcoh_eur_per_mwh", "funding_gap_eur", "npv_equity_eur", "irr_equity",
                "capex_eur", "opex_saving_eur", "ref_variable_cost_eur")
    rec.update(dict.fromkeys(fin_keys, nan))
    if ref_out is not None and ref_out.result is None and rec["status"] == "ok":
        rec["status"] = "reference_infeasible"
    if res is not None and ref_out is not None and ref_out.result is not None:
        rec.update(appraise_sample(job, res, ref_out.result, values))
    # EED figures of the scenario's dispatch
    alts = prep.alternatives
    if res is not None:
        shares = res.shares
        a = assess(prep.year, res.group_heat_mwh.to_dict())
        emissions = float((res.heat_mwh * prep.factors.reindex(res.heat_mwh.index)).sum())
        ghg = float(ghg_intensity(emissions, res.heat_delivered_mwh))
        rec.update({f"share_{g}": float(shares[g]) for g in EED_GROUPS})
        rec["ghg_g_per_kwh"] = ghg
        rec["efficient"] = bool(a.efficient)
        rec["efficient_26_2"] = bool(ghg <= prep.ghg_limit + 1e-9)
        for alt in alts:
            rec[f"crit_{alt.id.split('.', 1)[-1]}"] = bool(a.headroom[alt.id] >= -1e-12)
        rec["heat_into_network_mwh"] = res.heat_into_network_mwh
        rec["heat_delivered_mwh"] = res.heat_delivered_mwh
        rec["co2_t"] = res.co2_t
        rec["electricity_bought_mwh"] = res.electricity_bought_mwh
        rec["electricity_sold_mwh"] = res.electricity_sold_mwh
        for u, v in res.heat_mwh.items():
            rec[f"heat_{u}_mwh"] = float(v)
    else:
        rec.update({f"share_{g}": nan for g in EED_GROUPS})
        rec["ghg_g_per_kwh"] = nan
        rec["efficient"] = False
        rec["efficient_26_2"] = False
        for alt in alts:
            rec[f"crit_{alt.id.split('.', 1)[-1]}"] = False
        for k in ("heat_into_network_mwh", "heat_delivered_mwh", "co2_t",
                  "electricity_bought_mwh", "electricity_sold_mwh"):
            rec[k] = nan
    if ref_out is not None and ref_out.result is not None:
        rec["ref_co2_t"] = ref_out.result.co2_t
    else:
        rec["ref_co2_t"] = nan
    rec["lp_solves"] = out.lps + (ref_out.lps if ref_out else 0)
    rec["simplex_iterations"] = out.iterations + (ref_out.iterations if ref_out else 0)
    rec["model_reused"] = bool(out.reused)
    rec["seconds"] = time.perf_counter() - t0
    rec["cpu_seconds"] = time.process_time() - c0
    rec["worker_pid"] = os.getpid()
    _STATS["samples"] += 1
    return rec


def _article(job: SweepJob, weather: str | None) -> str:
    """EED treatment enforced: the scenario's ``[eed].article``, or 26(1) when ``none``."""
    key = ("article", job.scenario_path, job.scenario_hash)
    if key not in _INVEST_CACHE:
        raw = tomllib.loads(Path(job.scenario_path).read_text(encoding="utf-8"))
        art = str(raw.get("eed", {}).get("article", "none"))
        _INVEST_CACHE[key] = [art if art != "none" else "26(1)"]
    return _INVEST_CACHE[key][0]


# --------------------------------------------------------------------------- writing


def write_atomic(record: dict[str, Any], path: Path) -> None:
    """Write one record as a one-row Parquet file: temporary file, then rename."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    table = pa.Table.from_pylist([record])
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def run_samples(job: SweepJob, rows: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Evaluate samples in order and write each to its file; skip those already written.

    Idempotent: running the same rows again (a task re-run after a worker died, or a resumed
    sweep) computes only the samples whose file is missing.

    Returns
    -------
    list of dict
        Per sample: ``sample_id``, ``computed`` (False when skipped), ``seconds``, ``pid``.
    """
    done = []
    for sample_id, row in rows:
        path = sample_path(job.samples_dir, sample_id)
        if path.exists():
            done.append({"sample_id": sample_id, "computed": False, "seconds": 0.0,
                         "pid": os.getpid()})
            continue
        t = time.perf_counter()
        rec = evaluate_sample(job, sample_id, row)
        write_atomic(rec, path)
        done.append({"sample_id": sample_id, "computed": True,
                     "seconds": time.perf_counter() - t, "pid": os.getpid()})
    return done
