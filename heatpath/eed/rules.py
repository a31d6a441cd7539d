"""Article 26 rule tables, loaded from ``heatpath/data/eed_*.csv``.

The rules of Article 26 EED are *data*: one CSV table of the Art. 26(1) alternatives per
period, one of the Art. 26(2) GHG limits, one of Table A-1 categories, one of scalar
parameters (heat-pump and HECHP criteria) and one of the obligation thresholds of
Art. 26(5)-(7). Every function here reads those tables; the same table drives the
assessment (:func:`heatpath.eed.assess`) and the optimiser's share constraints
(:func:`alternatives` -> :meth:`Alternative.requirements`).

Years: every period boundary of Art. 26(1) and 26(2) is a 1 January, so a calendar year
never straddles two periods and each function takes an integer ``year`` (2024..2100).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from heatpath.model.schema import EED_GROUPS

#: The five counting groups (Recommendation (EU) 2024/2395, Table A-2), in canonical order.
GROUPS: tuple[str, ...] = EED_GROUPS

#: Directory of the rule tables.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: First and last calendar year supported by the rule tables.
FIRST_YEAR = 2024
LAST_YEAR = 2100

#: Absolute tolerance on shares when comparing them with thresholds (floating point noise).
SHARE_TOL = 1e-9


def _read_csv(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / name
    with path.open(newline="", encoding="utf-8") as fh:
        return [dict(row) for row in csv.DictReader(fh)]


def check_year(year: object) -> int:
    """Return ``year`` as int, or raise ValueError if it is not an integer in 2024..2100."""
    if isinstance(year, bool) or not isinstance(year, numbers.Integral):
        raise ValueError(f"year must be an integer calendar year, got {year!r}")
    y = int(year)
    if y < FIRST_YEAR or y > LAST_YEAR:
        raise ValueError(
            f"year {y} is outside the supported range {FIRST_YEAR}..{LAST_YEAR} "
            f"(Article 26 of Directive (EU) 2023/1791 as interpreted by Recommendation "
            f"(EU) 2024/2395; earlier years fall under Directive 2012/27/EU)"
        )
    return y


def canonical_groups(groups: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Validate counting groups and return them in :data:`GROUPS` order.

    ``groups`` may be a tuple/list or a ``"+"``-joined string such as
    ``"renewable+waste_heat"``.
    """
    items = groups.split("+") if isinstance(groups, str) else list(groups)
    items = [g.strip() for g in items]
    unknown = [g for g in items if g not in GROUPS]
    if unknown:
        raise ValueError(f"unknown EED counting group(s) {unknown}; known: {list(GROUPS)}")
    if not items:
        raise ValueError("at least one counting group is required")
    if len(set(items)) != len(items):
        raise ValueError(f"counting groups repeat: {items}")
    return tuple(g for g in GROUPS if g in items)


def group_key(groups: tuple[str, ...]) -> str:
    """``"+"``-joined key of a group combination, e.g. ``"renewable+waste_heat"``."""
    return "+".join(canonical_groups(groups))


@dataclass(frozen=True)
class Condition:
    """``sum(share of groups) >= min_share`` of the annual heat going into the network."""

    groups: tuple[str, ...]
    min_share: float

    @property
    def key(self) -> str:
        """Key of the group combination in :attr:`Assessment.shares`."""
        return "+".join(self.groups)

    def share(self, shares: Mapping[str, float]) -> float:
        """Combined share of this condition's groups, from per-group ``shares``."""
        return math.fsum(float(shares.get(g, 0.0)) for g in self.groups)


@dataclass(frozen=True)
class Alternative:
    """One alternative of Article 26(1): efficient if *all* its conditions hold.

    Attributes
    ----------
    id : str
        Stable identifier ``"<period start>.<name>"``, e.g. ``"2028.res5_combined50"``.
    label : str
        Human-readable text.
    conditions : tuple of Condition
        All must hold (logical AND).
    source : str
        Legal source with the quoted text.
    period : str
        Period id, e.g. ``"2028-2034"``.
    """

    id: str
    label: str
    conditions: tuple[Condition, ...]
    source: str
    period: str = ""

    def headroom(self, shares: Mapping[str, float]) -> float:
        """min over conditions of (combined share - threshold); >= 0 when met."""
        return min(c.share(shares) - c.min_share for c in self.conditions)

    def is_met(self, shares: Mapping[str, float]) -> bool:
        """True if every condition holds (within :data:`SHARE_TOL`)."""
        return self.headroom(shares) >= -SHARE_TOL

    def requirements(self) -> list:
        """The conditions as :class:`heatpath.model.schema.ShareRequirement` objects.

        This is what the dispatch enforces (one LP per alternative).
        """
        from heatpath.model.schema import ShareRequirement

        return [
            ShareRequirement(
                name=f"{self.id}[{k}]" if len(self.conditions) > 1 else self.id,
                groups=list(c.groups),
                min_share=c.min_share,
            )
            for k, c in enumerate(self.conditions)
        ]

    def implies(self, other: Alternative) -> bool:
        """Sufficient test that meeting ``self`` always meets ``other``.

        True if every condition of ``other`` is dominated by a condition of ``self`` with a
        subset of its groups and a threshold at least as high.
        """
        return all(
            any(set(s.groups) <= set(o.groups) and s.min_share >= o.min_share
                for s in self.conditions)
            for o in other.conditions
        )


@dataclass(frozen=True)
class Period:
    """A period of Art. 26(1) with its alternatives."""

    id: str
    valid_from: dt.date
    valid_to: dt.date
    alternatives: tuple[Alternative, ...]


def _parse_date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"{what}: bad date {text!r}") from exc


def _check_chain(alt_id: str, conds: tuple[Condition, ...]) -> None:
    """The closest-miss computation needs the conditions' group sets to be nested."""
    sets = sorted((set(c.groups) for c in conds), key=len)
    for a, b in zip(sets, sets[1:], strict=False):
        if not a <= b:
            raise ValueError(
                f"eed_art26_1_criteria.csv: the conditions of '{alt_id}' are not nested group "
                f"sets ({sorted(a)} vs {sorted(b)}); heatpath's closest-miss needs nesting"
            )


@lru_cache(maxsize=1)
def periods() -> tuple[Period, ...]:
    """All Art. 26(1) periods from ``eed_art26_1_criteria.csv``, validated, in time order."""
    rows = _read_csv("eed_art26_1_criteria.csv")
    by_period: dict[str, dict] = {}
    for i, r in enumerate(rows, start=2):
        where = f"eed_art26_1_criteria.csv line {i}"
        pid = r["period_id"].strip()
        vf = _parse_date(r["valid_from"], where)
        vt = _parse_date(r["valid_to"], where)
        p = by_period.setdefault(pid, {"from": vf, "to": vt, "alts": {}})
        if (p["from"], p["to"]) != (vf, vt):
            raise ValueError(f"{where}: period '{pid}' has inconsistent dates")
        share = float(r["min_share"])
        if not 0.0 < share <= 1.0:
            raise ValueError(f"{where}: min_share must be in (0, 1], got {share}")
        cond = Condition(canonical_groups(r["groups"]), share)
        aid = r["alternative_id"].strip()
        a = p["alts"].setdefault(aid, {"label": r["label"].strip(),
                                       "source": r["legal_source"].strip(), "conds": []})
        a["conds"].append(cond)
    out = []
    for pid, p in by_period.items():
        alts = []
        for aid, a in p["alts"].items():
            conds = tuple(a["conds"])
            _check_chain(aid, conds)
            alts.append(Alternative(aid, a["label"], conds, a["source"], pid))
        out.append(Period(pid, p["from"], p["to"], tuple(alts)))
    out.sort(key=lambda q: q.valid_from)
    # periods must tile FIRST_YEAR-01-01 .. LAST_YEAR-12-31 with 1 January boundaries
    expect = dt.date(FIRST_YEAR, 1, 1)
    for q in out:
        if q.valid_from != expect or (q.valid_to.month, q.valid_to.day) != (12, 31):
            raise ValueError(f"eed_art26_1_criteria.csv: period '{q.id}' breaks the timeline")
        expect = dt.date(q.valid_to.year + 1, 1, 1)
    if expect != dt.date(LAST_YEAR + 1, 1, 1):
        raise ValueError("eed_art26_1_criteria.csv: periods do not reach the last year")
    return tuple(out)


def period(year: int) -> Period:
    """The Art. 26(1) period containing calendar ``year``."""
    y = check_year(year)
    for p in periods():
        if p.valid_from.year <= y <= p.valid_to.year:
            return p
    raise ValueError(f"no Art. 26(1) period for {y}")  # pragma: no cover (timeline checked)


def alternatives(year: int) -> list[Alternative]:
    """Art. 26(1) alternatives in force during calendar ``year`` (1 Jan .. 31 Dec).

    A system is efficient if it meets at least one alternative (logical OR); each
    alternative is met if all its conditions hold (logical AND).

    Raises
    ------
    ValueError
        If ``year`` is not an integer in 2024..2100.
    """
    return list(period(year).alternatives)


def essential_alternatives(year: int) -> list[Alternative]:
    """:func:`alternatives` without those made redundant by a weaker one.

    If meeting alternative B always meets alternative A (:meth:`Alternative.implies`), B adds
    nothing to the feasible set "A or B" and is dropped; e.g. until 2027 the single "50 % of a
    combination" alternative covers the other three. The dispatch can solve one LP per
    essential alternative instead of one per alternative with the same optimum.
    """
    alts = alternatives(year)
    keep = []
    for i, b in enumerate(alts):
        redundant = any(
            j != i and b.implies(a) and (not a.implies(b) or j < i)
            for j, a in enumerate(alts)
        )
        if not redundant:
            keep.append(b)
    return keep


def share_keys() -> tuple[str, ...]:
    """Keys of :attr:`Assessment.shares`: the groups, then every combination in the table."""
    combos = []
    for p in periods():
        for a in p.alternatives:
            for c in a.conditions:
                if len(c.groups) > 1 and c.key not in combos:
                    combos.append(c.key)
    combos.sort(key=lambda k: (k.count("+"), k))
    return tuple(GROUPS) + tuple(combos)


# --------------------------------------------------------------------------- Art. 26(2)


@dataclass(frozen=True)
class GHGLimit:
    valid_from: dt.date
    valid_to: dt.date
    max_g_per_kwh: float
    source: str


@lru_cache(maxsize=1)
def ghg_limits() -> tuple[GHGLimit, ...]:
    """Art. 26(2) limits from ``eed_art26_2_ghg.csv``, validated, in time order."""
    out = []
    for i, r in enumerate(_read_csv("eed_art26_2_ghg.csv"), start=2):
        where = f"eed_art26_2_ghg.csv line {i}"
        lim = float(r["max_g_per_kwh"])
        if lim < 0:
            raise ValueError(f"{where}: negative limit")
        out.append(GHGLimit(_parse_date(r["valid_from"], where), _parse_date(r["valid_to"], where),
                            lim, r["legal_source"].strip()))
    out.sort(key=lambda q: q.valid_from)
    expect = dt.date(FIRST_YEAR, 1, 1)
    for q in out:
        if q.valid_from != expect or (q.valid_to.month, q.valid_to.day) != (12, 31):
            raise ValueError("eed_art26_2_ghg.csv: periods break the timeline")
        expect = dt.date(q.valid_to.year + 1, 1, 1)
    if expect != dt.date(LAST_YEAR + 1, 1, 1):
        raise ValueError("eed_art26_2_ghg.csv: periods do not reach the last year")
    return tuple(out)


def ghg_limit(year: int) -> GHGLimit:
    """The Art. 26(2) limit record in force during ``year``."""
    y = check_year(year)
    for q in ghg_limits():
        if q.valid_from.year <= y <= q.valid_to.year:
            return q
    raise ValueError(f"no Art. 26(2) limit for {y}")  # pragma: no cover


def ghg_limit_g_per_kwh(year: int) -> float:
    """Art. 26(2) maximum GHG emissions per kWh of heat delivered to customers, g/kWh.

    200 until 31.12.2025, 150 from 2026, 100 from 2035, 50 from 2045, 0 from 2050
    (Directive (EU) 2023/1791 Art. 26(2)(a)-(e); Recommendation (EU) 2024/2395 Table 1).
    """
    return ghg_limit(year).max_g_per_kwh


# --------------------------------------------------------------------------- Table A-1


@dataclass(frozen=True)
class Category:
    """A row of Table A-1 (plus heatpath's ``W.CHP`` sub-row of W)."""

    code: str
    energy_source: str
    technology: str
    group: str
    indicator: str
    rule: str
    source: str


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    """Table A-1 categories from ``eed_table_a1.csv`` keyed by code, in table order."""
    out: dict[str, Category] = {}
    for i, r in enumerate(_read_csv("eed_table_a1.csv"), start=2):
        code = r["category"].strip()
        grp = r["counting_group"].strip()
        if grp not in GROUPS:
            raise ValueError(f"eed_table_a1.csv line {i}: unknown group {grp!r}")
        if code in out:
            raise ValueError(f"eed_table_a1.csv line {i}: duplicate category {code!r}")
        out[code] = Category(code, r["energy_source"].strip(), r["conversion_technology"].strip(),
                             grp, r["table_a2_indicator"].strip(), r["rule"].strip(),
                             r["legal_source"].strip())
    return out


def check_category(code: str) -> Category:
    """Return the Table A-1 category ``code`` or raise ValueError."""
    cats = categories()
    if code not in cats:
        raise ValueError(f"unknown Table A-1 category {code!r}; known: {list(cats)}")
    return cats[code]


# --------------------------------------------------------------------------- parameters


@lru_cache(maxsize=1)
def parameters() -> dict[str, str]:
    """Scalar parameters from ``eed_parameters.csv`` (raw strings) keyed by name."""
    return {r["parameter"].strip(): r["value"].strip() for r in _read_csv("eed_parameters.csv")}


def param(name: str) -> float:
    """Numeric parameter ``name`` of ``eed_parameters.csv``."""
    return float(parameters()[name])


def param_date(name: str) -> dt.date:
    """Date parameter ``name`` of ``eed_parameters.csv``."""
    return dt.date.fromisoformat(parameters()[name])


@dataclass(frozen=True)
class Threshold:
    obligation: str
    installation_type: str
    threshold_mw: float
    from_date: dt.date | None
    source: str


@lru_cache(maxsize=1)
def thresholds() -> tuple[Threshold, ...]:
    """Obligation thresholds of Art. 26(5)-(7) from ``eed_art26_thresholds.csv``."""
    out = []
    for r in _read_csv("eed_art26_thresholds.csv"):
        fd = r["from_date"].strip()
        out.append(Threshold(r["obligation"].strip(), r["installation_type"].strip(),
                             float(r["threshold_mw"]), dt.date.fromisoformat(fd) if fd else None,
                             r["legal_source"].strip()))
    return tuple(out)
