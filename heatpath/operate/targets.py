"""Annual EED requirements as linear "surplus" functions that can be tracked through a year.

Every annual requirement the dispatch knows is linear in the hourly heat of the units:

* a share requirement "groups >= x of the heat into the network" (Art. 26(1) conditions and
  the scenario's ``share_requirements``) holds iff the *surplus*
  ``S = sum_t sum_u (q_u - x) heat[t, u] >= 0``, with ``q_u`` the fraction of unit u's heat
  counted in the groups; ``S`` is in MWh and ``-S`` is exactly the heat (MWh) that must be
  switched from non-qualifying to qualifying units to meet it;
* the Art. 26(2) limit "emissions <= L x heat delivered" holds iff
  ``S = sum_t (L demand[t] - sum_u e_u heat[t, u]) >= 0`` (t CO2).

So ``S(t)``, the surplus accumulated up to hour t, can be tracked hour by hour and compared
with a target trajectory; the requirement is met at the end of the year iff ``S(T) >= 0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from heatpath.eed import Alternative
from heatpath.model.schema import ShareRequirement


@dataclass(frozen=True)
class Target:
    """One annual requirement as ``sum_t (sum_u coef_u heat[t, u] + offset_t) >= 0``.

    Attributes
    ----------
    key : str
        Short unique name (column prefix in ``trajectory.csv``).
    label : str
        Human-readable requirement.
    kind : {"share", "ghg"}
    groups : tuple of str
        Counting groups (share requirements).
    level : float
        Minimum share x (share) or GHG limit, t CO2 per MWh delivered (ghg).
    coef : ndarray
        Per-unit coefficient: ``q_u - x`` (share) or ``-e_u`` t/MWh (ghg).
    qualifying : ndarray
        Per-unit fraction counted in the groups ``q_u`` (share) or emission factor ``e_u``.
    source : str
        ``"scenario"`` (the scenario's ``share_requirements``), the alternative id, or
        ``"26(2)"``.
    """

    key: str
    label: str
    kind: str
    groups: tuple[str, ...]
    level: float
    coef: np.ndarray
    qualifying: np.ndarray
    source: str

    @property
    def unit(self) -> str:
        """Unit of the surplus: ``MWh`` or ``t``."""
        return "MWh" if self.kind == "share" else "t"

    def offsets(self, demand: np.ndarray) -> np.ndarray:
        """Hourly offset: 0 for shares, ``L * demand`` (t CO2) for the GHG limit."""
        if self.kind == "share":
            return np.zeros(len(demand))
        return self.level * np.asarray(demand, dtype=float)

    def surplus(self, heat: np.ndarray, demand: np.ndarray) -> np.ndarray:
        """Hourly surplus ``sum_u coef_u heat[t, u] + offset_t`` for heat of shape (n, units)."""
        return heat @ self.coef + self.offsets(demand)

    def amount(self, heat: np.ndarray) -> np.ndarray:
        """Hourly qualifying heat (share, MWh) or emissions (ghg, t)."""
        return heat @ self.qualifying


def share_target(req: ShareRequirement, fractions: pd.DataFrame, units: list[str], key: str,
                 source: str) -> Target:
    """The :class:`Target` of a share requirement."""
    q = fractions[list(req.groups)].sum(axis=1).reindex(units).fillna(0.0).to_numpy(float)
    label = f"{'+'.join(req.groups)} >= {req.min_share:.0%}"
    return Target(key, label, "share", tuple(req.groups), float(req.min_share),
                  q - req.min_share, q, source)


def alternative_targets(alt: Alternative, fractions: pd.DataFrame,
                        units: list[str]) -> list[Target]:
    """Targets of the conditions of an Art. 26(1) alternative (keys: their group sets)."""
    return [share_target(r, fractions, units, "+".join(c.groups), alt.id)
            for r, c in zip(alt.requirements(), alt.conditions, strict=True)]


def scenario_targets(reqs: list[ShareRequirement], fractions: pd.DataFrame,
                     units: list[str]) -> list[Target]:
    """Targets of the scenario's own share requirements (keys ``req<i>`` or their names)."""
    out = []
    for i, r in enumerate(reqs):
        key = r.name or f"req{i}"
        out.append(share_target(r, fractions, units, key, "scenario"))
    return out


def ghg_target(limit_t_per_mwh: float, factors: pd.Series, units: list[str]) -> Target:
    """Target of the Art. 26(2) limit (t CO2 per MWh delivered)."""
    e = factors.reindex(units).fillna(0.0).to_numpy(float)
    label = f"GHG <= {limit_t_per_mwh * 1000:.0f} g/kWh delivered"
    return Target("ghg", label, "ghg", (), float(limit_t_per_mwh), -e, e, "26(2)")


def unique_keys(targets: list[Target]) -> list[Target]:
    """The targets with keys made unique (``_2``, ``_3`` ... appended to repeats)."""
    seen: dict[str, int] = {}
    out = []
    for t in targets:
        n = seen.get(t.key, 0) + 1
        seen[t.key] = n
        if n > 1:
            t = Target(f"{t.key}_{n}", t.label, t.kind, t.groups, t.level, t.coef,
                       t.qualifying, t.source)
        out.append(t)
    return out
