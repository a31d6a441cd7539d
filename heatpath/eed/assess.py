"""Assessment of a system's annual heat mix against Article 26(1) EED and Table A-2."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from heatpath.eed.rules import (
    GROUPS,
    SHARE_TOL,
    Alternative,
    categories,
    check_year,
    period,
    share_keys,
)


@dataclass(frozen=True)
class ClosestMiss:
    """The unmet alternative that needs the least change, and how much.

    ``mwh`` is the smallest annual amount of heat into the network that must be *switched*
    from currently non-qualifying production to ``target_group`` (total heat unchanged -
    the demand is given) for every condition of ``alternative_id`` to hold. Heat is taken
    first from groups that count in none of the alternative's conditions, then from groups
    that count in the fewest; ``switch_from`` lists the MWh taken per group.
    """

    alternative_id: str
    mwh: float
    target_group: str
    switch_from: dict[str, float] = field(default_factory=dict)

    def __iter__(self):  # allows ``alt_id, mwh = assessment.closest_miss``
        return iter((self.alternative_id, self.mwh))


@dataclass
class Assessment:
    """Result of :func:`assess`.

    Attributes
    ----------
    year : int
    period : str
        Art. 26(1) period id, e.g. ``"2028-2034"``.
    efficient : bool
        True if at least one alternative is met.
    criteria_met : list of str
        Ids of the alternatives met.
    shares : dict
        Share of heat into the network per group and per group combination used by the
        rules (keys e.g. ``"renewable"``, ``"renewable+waste_heat"``).
    headroom : dict
        Per alternative id: min over its conditions of (share - threshold); >= 0 when met.
    closest_miss : ClosestMiss or None
        None when efficient.
    explanation : str
    heat_mwh : dict
        The input per group (all groups).
    total_mwh : float
    """

    year: int
    period: str
    efficient: bool
    criteria_met: list[str]
    shares: dict[str, float]
    headroom: dict[str, float]
    closest_miss: ClosestMiss | None
    explanation: str
    heat_mwh: dict[str, float]
    total_mwh: float


def _check_heat(heat_mwh: Mapping[str, float]) -> dict[str, float]:
    if not isinstance(heat_mwh, Mapping) and not isinstance(heat_mwh, pd.Series):
        raise ValueError("heat_mwh must be a mapping of counting group -> annual MWh")
    items = dict(heat_mwh.items())
    unknown = sorted(str(k) for k in items if k not in GROUPS)
    if unknown:
        raise ValueError(f"unknown counting group(s) {unknown}; known: {list(GROUPS)}")
    out = {}
    for g in GROUPS:
        v = items.get(g, 0.0)
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise ValueError(f"heat of group '{g}' must be a number, got {v!r}")
        v = float(v)
        if not math.isfinite(v):
            raise ValueError(f"heat of group '{g}' must be finite, got {v}")
        if v < 0:
            raise ValueError(f"heat of group '{g}' must be >= 0 MWh, got {v}")
        out[g] = v
    if math.fsum(out.values()) <= 0:
        raise ValueError("total heat into the network is 0: shares are undefined")
    return out


def compute_shares(heat_mwh: Mapping[str, float]) -> dict[str, float]:
    """Share of each group and rule combination in the total heat into the network."""
    heat = _check_heat(heat_mwh)
    total = math.fsum(heat.values())
    out = {}
    for k in share_keys():
        out[k] = math.fsum(heat[g] for g in k.split("+")) / total
    return out


def _target_group(alt: Alternative) -> str:
    common = set(GROUPS)
    for c in alt.conditions:
        common &= set(c.groups)
    if not common:  # pragma: no cover - every alternative of the table has one
        raise ValueError(f"alternative '{alt.id}' has no group counting in all its conditions")
    return next(g for g in GROUPS if g in common)


def substitution_needed(alt: Alternative, heat_mwh: Mapping[str, float]) -> ClosestMiss:
    """Minimal MWh to switch to the alternative's target group so that it is met.

    The conditions' group sets are nested (checked when the table is loaded); moving heat
    from a group outside the largest set raises every condition, from a group inside some
    sets only the others. Taking from the outermost tier first is therefore optimal.
    """
    heat = _check_heat(heat_mwh)
    total = math.fsum(heat.values())
    target = _target_group(alt)
    conds = sorted(alt.conditions, key=lambda c: len(c.groups))
    # deficit per condition in MWh
    deficit = [max(0.0, c.min_share * total - math.fsum(heat[g] for g in c.groups))
               for c in conds]
    moved: dict[str, float] = {}

    def helps(g: str) -> list[int]:
        return [i for i, c in enumerate(conds) if g not in c.groups]

    sources = [g for g in GROUPS if g != target and heat[g] > 0 and helps(g)]
    # outermost tier first; within a tier fossil before cogeneration before hechp ...
    sources.sort(key=lambda g: (-len(helps(g)), -GROUPS.index(g)))
    for g in sources:
        h = helps(g)
        need = max((deficit[i] for i in h), default=0.0)
        take = min(heat[g], need)
        if take <= 0:
            continue
        moved[g] = take
        for i in h:
            deficit[i] = max(0.0, deficit[i] - take)
    if any(d > 1e-9 * max(total, 1.0) for d in deficit):  # pragma: no cover - impossible
        raise ValueError(f"alternative '{alt.id}' cannot be met by substitution")
    return ClosestMiss(alt.id, math.fsum(moved.values()), target, moved)


def assess(year: int, heat_mwh: Mapping[str, float]) -> Assessment:
    """Assess the annual heat into the network against the Art. 26(1) alternatives of ``year``.

    Parameters
    ----------
    year : int
        Calendar year, 2024..2100.
    heat_mwh : mapping
        Annual MWh into the network per counting group (missing groups = 0), e.g. from
        :func:`heatpath.eed.group_heat`.

    Raises
    ------
    ValueError
        Year outside 2024..2100, unknown group, negative or non-finite value, total 0.
    """
    y = check_year(year)
    heat = _check_heat(heat_mwh)
    total = math.fsum(heat.values())
    shares = compute_shares(heat)
    per = period(y)
    met, head = [], {}
    for a in per.alternatives:
        head[a.id] = a.headroom(shares)
        if head[a.id] >= -SHARE_TOL:
            met.append(a.id)
    miss = None
    if not met:
        cands = [substitution_needed(a, heat) for a in per.alternatives]
        miss = min(cands, key=lambda m: m.mwh)
    lines = [f"Article 26(1) EED, period {per.id} (year {y}); total heat into the network "
             f"{total:,.0f} MWh."]
    lines.append("Shares: " + ", ".join(f"{g} {shares[g]:.1%}" for g in GROUPS) + ".")
    for a in per.alternatives:
        conds = " and ".join(
            f"{c.key} {c.share(shares):.1%} >= {c.min_share:.0%}" for c in a.conditions)
        state = "MET" if a.id in met else "not met"
        lines.append(f"- {a.id} ({a.label}): {state} [{conds}; headroom {head[a.id]:+.1%}]")
    if met:
        lines.append(f"The system is EFFICIENT district heating in {y} via {', '.join(met)}.")
    else:
        lines.append(
            f"The system is NOT efficient in {y}. Closest: {miss.alternative_id}, which needs "
            f"{miss.mwh:,.0f} MWh/year ({miss.mwh / total:.1%} of heat into the network) "
            f"switched to {miss.target_group} heat (from "
            + ", ".join(f"{g} {v:,.0f} MWh" for g, v in miss.switch_from.items()) + ").")
    return Assessment(y, per.id, bool(met), met, shares, head, miss, "\n".join(lines), heat,
                      total)


def table_a2(heat_by_category: Mapping[str, float]) -> pd.DataFrame:
    """Table A-2 of Recommendation (EU) 2024/2395: shares per Table A-1 category.

    Parameters
    ----------
    heat_by_category : mapping
        Annual MWh into the network per Table A-1 code (``X1``..``X11``, ``Y1``, ``Y2``,
        ``Z1``, ``Z2``, ``W``, and heatpath's ``W.CHP``); missing codes = 0. For co-firing
        units give the renewable part under X* and only the fossil part under Z2 (see
        :func:`heatpath.eed.category_heat`).

    Returns
    -------
    DataFrame
        One row per category (index = code) with columns ``energy_source``,
        ``technology``, ``group``, ``indicator`` (RES1.. / WHR1.. / HECHP1..),
        ``heat_mwh``, ``share`` (= heat / T), then total rows ``%RES``, ``%WHR``,
        ``%HECHP``, ``%W`` (not counted) and ``T``.
    """
    cats = categories()
    items = dict(heat_by_category.items())
    unknown = sorted(str(k) for k in items if k not in cats)
    if unknown:
        raise ValueError(f"unknown Table A-1 categories {unknown}; known: {list(cats)}")
    heat = {}
    for c in cats:
        v = items.get(c, 0.0)
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
            raise ValueError(f"heat of category '{c}' must be a finite number, got {v!r}")
        if v < 0:
            raise ValueError(f"heat of category '{c}' must be >= 0 MWh, got {v}")
        heat[c] = float(v)
    total = math.fsum(heat.values())
    if total <= 0:
        raise ValueError("total heat T injected into the network is 0: shares are undefined")
    rows = []
    for c, cat in cats.items():
        rows.append({"category": c, "energy_source": cat.energy_source,
                     "technology": cat.technology, "group": cat.group,
                     "indicator": cat.indicator, "heat_mwh": heat[c],
                     "share": heat[c] / total})
    totals = [("%RES", "Total RES share", ("renewable",)),
              ("%WHR", "Total WHR share", ("waste_heat",)),
              ("%HECHP", "Total HECHP share", ("hechp",)),
              ("%W", "Not counted (W incl. other CHP)", ("cogeneration", "fossil")),
              ("T", "Total energy injected", GROUPS)]
    for code, text, groups in totals:
        mwh = math.fsum(heat[c] for c, cat in cats.items() if cat.group in groups)
        rows.append({"category": code, "energy_source": text, "technology": "",
                     "group": "+".join(groups), "indicator": code, "heat_mwh": mwh,
                     "share": mwh / total})
    return pd.DataFrame(rows).set_index("category")
