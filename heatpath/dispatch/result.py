"""Results of a dispatch run: hourly tables, annual figures and ``summary.json`` content."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from heatpath.model.schema import EED_GROUPS, System


@dataclass
class DispatchResult:
    """Outcome of :func:`heatpath.dispatch.solve`.

    Attributes
    ----------
    heat : DataFrame
        Heat into the network per unit, MW (snapshots x units).
    charge, discharge, soc : DataFrame
        Storage charge / discharge (MW) and state of charge (MWh), snapshots x storages.
    el_buy, el_sell : Series
        Net electricity bought from / sold to the grid, MW.
    fuel : DataFrame
        Fuel use per unit, MW (MWh per hour, LHV).
    el_in, el_out : DataFrame
        Electricity consumed / net produced per unit, MW.
    demand, losses : Series
        Heat delivered to customers and network losses, MW.
    fractions : DataFrame
        EED counting fractions (units x groups) used.
    objective_eur : float
        Total variable cost, EUR.
    costs_eur : dict
        Cost breakdown, EUR: fuel, ets, om, electricity_purchase, electricity_revenue.
    share_duals : dict
        Marginal cost of each binding share requirement, EUR per MWh of extra qualifying heat.
    """

    system: System
    status: str
    heat: pd.DataFrame
    charge: pd.DataFrame
    discharge: pd.DataFrame
    soc: pd.DataFrame
    el_buy: pd.Series
    el_sell: pd.Series
    fuel: pd.DataFrame
    el_in: pd.DataFrame
    el_out: pd.DataFrame
    co2_t: pd.DataFrame
    demand: pd.Series
    losses: pd.Series
    fractions: pd.DataFrame
    objective_eur: float
    costs_eur: dict[str, float]
    share_duals: dict[str, float] = field(default_factory=dict)
    capacities: dict[str, float] = field(default_factory=dict)
    timings_s: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    # ---- annual figures -------------------------------------------------------------
    @property
    def heat_mwh(self) -> pd.Series:
        """Annual heat into the network per unit, MWh (1 h time step)."""
        return self.heat.sum()

    @property
    def heat_into_network_mwh(self) -> float:
        """Total heat of all units into the network, MWh (the EED share denominator)."""
        return float(self.heat.to_numpy().sum())

    @property
    def heat_delivered_mwh(self) -> float:
        """Heat delivered to customers, MWh."""
        return float(self.demand.sum())

    @property
    def group_heat_mwh(self) -> pd.Series:
        """Annual heat into the network per EED counting group, MWh."""
        return (self.fractions.mul(self.heat_mwh, axis=0)).sum().reindex(list(EED_GROUPS))

    @property
    def shares(self) -> dict[str, float]:
        """Share of each EED group in heat into the network (fractions)."""
        total = self.heat_into_network_mwh
        g = self.group_heat_mwh
        return {k: (float(v) / total if total > 0 else 0.0) for k, v in g.items()}

    def dispatch_frame(self) -> pd.DataFrame:
        """Hourly table written to ``dispatch.csv`` (MW, MWh for state of charge)."""
        cols: dict[str, pd.Series] = {
            "heat_demand_mw": self.demand,
            "network_loss_mw": self.losses,
        }
        for u in self.heat.columns:
            cols[f"heat_{u}_mw"] = self.heat[u]
        for s in self.soc.columns:
            cols[f"charge_{s}_mw"] = self.charge[s]
            cols[f"discharge_{s}_mw"] = self.discharge[s]
            cols[f"soc_{s}_mwh"] = self.soc[s]
        cols["el_bought_mw"] = self.el_buy
        cols["el_sold_mw"] = self.el_sell
        cols["el_price_eur_per_mwh"] = self.system.prices.electricity_eur_per_mwh
        for u in self.system.units:
            if getattr(u, "cop", None) is not None:
                cols[f"cop_{u.name}"] = u.cop
        df = pd.DataFrame(cols)
        df.index.name = "timestamp"
        return df

    def summary(self) -> dict[str, Any]:
        """Content of ``summary.json`` (see README for the field list)."""
        out: dict[str, Any] = {
            "scenario": self.system.system.name,
            "year": self.system.system.year,
            "status": self.status,
            "objective_eur": self.objective_eur,
            "costs_eur": self.costs_eur,
            "heat_mwh": {k: float(v) for k, v in self.heat_mwh.items()},
            "heat_into_network_mwh": self.heat_into_network_mwh,
            "heat_delivered_mwh": self.heat_delivered_mwh,
            "network_loss_mwh": float(self.losses.sum()),
            "storage_loss_mwh": float(self.storage_loss_mwh),
            "group_heat_mwh": {k: float(v) for k, v in self.group_heat_mwh.items()},
            "shares": self.shares,
            "share_marginal_cost_eur_per_mwh": self.share_duals,
            "electricity_bought_mwh": float(self.el_buy.sum()),
            "electricity_sold_mwh": float(self.el_sell.sum()),
            "fuel_mwh": {k: float(v) for k, v in self.fuel.sum().items() if v != 0},
            "co2_t": float(self.co2_t.to_numpy().sum()),
            "capacities_chosen": self.capacities,
            "timings_s": self.timings_s,
        }
        out.update(self.extra)
        return out

    @property
    def storage_loss_mwh(self) -> float:
        """Energy lost in storages over the year, MWh (charge - discharge, cyclic year)."""
        if self.soc.empty:
            return 0.0
        return float(self.charge.to_numpy().sum() - self.discharge.to_numpy().sum())

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write ``dispatch.csv`` and ``summary.json`` into ``out_dir`` (created)."""
        d = Path(out_dir)
        d.mkdir(parents=True, exist_ok=True)
        paths = {"dispatch": d / "dispatch.csv", "summary": d / "summary.json"}
        self.dispatch_frame().to_csv(paths["dispatch"], float_format="%.6g")
        paths["summary"].write_text(json.dumps(jsonable(self.summary()), indent=2) + "\n")
        return paths


def jsonable(obj: Any) -> Any:
    """Turn results (dicts, lists, numpy scalars) into plain JSON values; NaN/inf -> null."""
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(float(obj)) else None
    return obj
