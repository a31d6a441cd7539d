"""Sweep specification (``sweep.toml``): parameters, distributions and the sample design.

A sweep specification is validated completely before anything runs; every error is a
:class:`SweepSpecError` (a :class:`~heatpath.model.errors.ScenarioError`) naming the file,
the field and the offending value. :func:`design` turns a specification into the table of
samples: the base case, the one-at-a-time (OAT) low/high cases and the Monte Carlo samples
(Latin hypercube or plain random), reproducibly from ``seed``. The format is documented in
``docs/sweep.md``.
"""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from heatpath.model.errors import ScenarioError, validation_error

__all__ = [
    "DISPATCH_TARGETS",
    "InvestmentSpec",
    "Parameter",
    "SweepSpec",
    "SweepSpecError",
    "check_against",
    "design",
    "load_sweep_spec",
    "ppf",
]

#: z value of the 5th / 95th percentile of the standard normal distribution.
Z95 = 1.6448536269514722

#: Result columns of the sample table; parameter names may not use them.
RESERVED = frozenset({
    "sample_id", "kind", "parameter", "side", "weather", "status", "error",
})

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TARGET = re.compile(
    r"^(electricity\.(level|volatility)|co2\.(level|volatility)|"
    r"fuel\.(?P<fuel>[A-Za-z0-9_\-]+)\.(level|volatility)|capex\.(?P<capex>[A-Za-z0-9_\-]+)|"
    r"discount_rate|demand)$"
)

#: Target prefixes that change the dispatch (the others only change the appraisal).
DISPATCH_TARGETS = ("electricity.", "co2.", "fuel.", "demand", "capex.", "discount_rate")


class SweepSpecError(ScenarioError):
    """A sweep specification is invalid (file, field and value are named)."""


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Parameter(_Base):
    """One uncertain input of the sweep.

    Attributes
    ----------
    target : str
        What the parameter changes:

        * ``electricity.level`` / ``electricity.volatility``, ``co2.level`` /
          ``co2.volatility``, ``fuel.<fuel>.level`` / ``fuel.<fuel>.volatility``: the price
          series p becomes ``p' = mean(p) * level + (p - mean(p)) * volatility`` (level and
          volatility are factors, 1 = unchanged);
        * ``capex.<name>``: factor on the CAPEX of a unit, storage or investment of that
          name, or of every one whose catalogue ``technology`` it is (e.g. ``capex.ashp``);
          ``capex.all``: every investment;
        * ``discount_rate``: real discount rate of the appraisal (and of the annualised
          investment of extendable units in the dispatch), a fraction;
        * ``demand``: factor on heat demand and network losses.
    distribution : str
        ``uniform`` (``low``, ``high``), ``triangular`` (``low``, ``mode``, ``high``),
        ``normal`` (``mean``, ``sd``; optional ``low``/``high`` clip),
        ``lognormal`` (``median``, ``sigma`` of the logarithm; optional clip).
    base : float, optional
        Value of the base case; default 1 for factors, the finance discount rate for
        ``discount_rate``.
    oat : [low, high], optional
        Values of the one-at-a-time cases; default the distribution's bounds (uniform,
        triangular) or its 5th and 95th percentiles (normal, lognormal).
    label : str
        Text for tables and charts (default: the parameter name).
    """

    target: str
    distribution: Literal["uniform", "triangular", "normal", "lognormal"] = "uniform"
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0.0)
    median: float | None = Field(default=None, gt=0.0)
    sigma: float | None = Field(default=None, gt=0.0)
    base: float | None = None
    oat: tuple[float, float] | None = None
    label: str = ""

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        if not _TARGET.match(self.target):
            raise ValueError(
                f"unknown target '{self.target}'; use electricity.level, "
                "electricity.volatility, co2.level, co2.volatility, fuel.<fuel>.level, "
                "fuel.<fuel>.volatility, capex.<name>, capex.all, discount_rate or demand"
            )
        d = self.distribution
        need = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"),
                "normal": ("mean", "sd"), "lognormal": ("median", "sigma")}[d]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a {d} distribution needs {', '.join(need)}; missing "
                             f"{', '.join(missing)}")
        allowed = set(need) | {"low", "high"} if d in ("normal", "lognormal") else set(need)
        extra = [k for k in ("low", "high", "mode", "mean", "sd", "median", "sigma")
                 if getattr(self, k) is not None and k not in allowed]
        if extra:
            raise ValueError(f"{', '.join(extra)} is not a parameter of a {d} distribution "
                             f"(it takes {', '.join(sorted(allowed))})")
        for k in ("low", "high", "mode", "mean", "sd", "median", "sigma", "base"):
            v = getattr(self, k)
            if v is not None and not math.isfinite(v):
                raise ValueError(f"{k} must be finite")
        if self.low is not None and self.high is not None and self.low >= self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if d == "triangular" and not (self.low <= self.mode <= self.high):  # type: ignore[operator]
            raise ValueError(f"mode ({self.mode}) must lie within low..high")
        if self.oat is not None and not all(math.isfinite(v) for v in self.oat):
            raise ValueError("oat values must be finite")
        return self

    @property
    def kind(self) -> str:
        """``level``, ``volatility``, ``capex``, ``discount_rate`` or ``demand``."""
        if self.target.startswith("capex."):
            return "capex"
        if self.target in ("discount_rate", "demand"):
            return self.target
        return self.target.rsplit(".", 1)[1]

    @property
    def series(self) -> str | None:
        """Price series changed: ``electricity``, ``co2``, ``fuel.<name>`` (None otherwise)."""
        if self.kind in ("level", "volatility"):
            return self.target.rsplit(".", 1)[0]
        return None

    def default_base(self, discount_rate: float) -> float:
        """Base-case value (``base``, else 1 for factors, else the finance discount rate)."""
        if self.base is not None:
            return self.base
        return discount_rate if self.kind == "discount_rate" else 1.0

    def oat_values(self) -> tuple[float, float]:
        """Low and high values of the one-at-a-time cases."""
        if self.oat is not None:
            return float(self.oat[0]), float(self.oat[1])
        return ppf(self, 0.0 if self.distribution in ("uniform", "triangular") else 0.05), \
            ppf(self, 1.0 if self.distribution in ("uniform", "triangular") else 0.95)


class InvestmentSpec(_Base):
    """An initial investment of the scenario against the reference (appraisal input).

    Attributes
    ----------
    name : str
        Label; ``capex.<name>`` parameters scale it.
    capex_eur : float, optional
        Investment, EUR in base-year prices.
    technology, size : optional
        Alternatively a catalogue technology (``heatpath/data/technologies.csv``) and its
        size in the catalogue unit.
    year : int, optional
        Investment year (default: the sweep's ``start_year``).
    lifetime_years : int, optional
        Lifetime (default: the catalogue's, else the finance default).
    fixed_om_eur_per_yr : float
        Fixed O&M of the new asset, EUR/yr.
    """

    name: str = Field(min_length=1)
    capex_eur: float | None = Field(default=None, ge=0.0)
    technology: str | None = None
    size: float | None = Field(default=None, gt=0.0)
    year: int | None = None
    lifetime_years: int | None = Field(default=None, ge=1)
    fixed_om_eur_per_yr: float | None = Field(default=None, ge=0.0)

    @model_validator(mode="after")
    def _one_cost(self) -> InvestmentSpec:
        if (self.capex_eur is None) == (self.technology is None):
            raise ValueError("give either capex_eur or technology (with size)")
        if self.technology is not None and self.size is None:
            raise ValueError("a catalogue technology needs its size")
        return self


class SweepSpec(_Base):
    """A sensitivity sweep (``sweep.toml``).

    Attributes
    ----------
    method : {"oat", "mc", "both"}
        One-at-a-time (tornado) cases, Monte Carlo samples, or both (default).
    n_samples : int
        Number of Monte Carlo samples.
    seed : int
        Seed of the sampling; the same seed gives the same samples.
    sampling : {"lhs", "random"}
        Latin hypercube (default) or plain random sampling.
    enforce_eed : bool
        Solve every sample with the Art. 26 criteria enforced (the scenario's ``[eed]``
        article, Art. 26(1) when it says ``none``) and report the cost of compliance;
        by default the dispatch is cost-optimal and compliance is only assessed.
    clip_negative_prices : bool
        Clip transformed prices at zero (default: negative prices are kept).
    weather_years : list of str
        Alternative hourly CSV files (relative to the spec) that replace the scenario's
        ``[system].timeseries`` file; Monte Carlo samples draw one with equal probability
        (the scenario's own file included), and each is one OAT case.
    reference : str, optional
        Reference ("no action") scenario TOML, relative to the spec; ``--reference``
        overrides it.
    start_year : int
        Year 0 of the appraisal (investment year), default 2027 (paper).
    finance : dict
        Overrides of :class:`heatpath.economics.FinanceAssumptions` fields.
    investments : list of InvestmentSpec
        Initial investments; default: derived from the scenario against the reference.
    parameters : dict of Parameter
        The uncertain inputs, by name.
    order : {"nearest", "given"}
        Execution order of the samples: ``nearest`` chains each sample to its nearest
        neighbour so that warm-started re-solves start close to the optimum (results do not
        depend on the order).
    reuse_models : bool
        Build each model once per worker and re-solve it warm (default); ``false`` rebuilds
        the model for every sample (for benchmarks and checks).
    """

    method: Literal["oat", "mc", "both"] = "both"
    n_samples: int = Field(default=100, ge=0, le=1_000_000)
    seed: int = Field(default=0, ge=0)
    sampling: Literal["lhs", "random"] = "lhs"
    enforce_eed: bool = False
    clip_negative_prices: bool = False
    weather_years: list[str] = Field(default_factory=list)
    reference: str | None = None
    start_year: int = Field(default=2027, ge=1990, le=2100)
    finance: dict[str, Any] = Field(default_factory=dict)
    investments: list[InvestmentSpec] = Field(default_factory=list)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    order: Literal["nearest", "given"] = "nearest"
    reuse_models: bool = True
    #: Where the spec was loaded from (None when built in Python).
    source_file: str | None = None

    @model_validator(mode="after")
    def _check(self) -> SweepSpec:
        for name in self.parameters:
            if not _NAME.match(name):
                raise ValueError(f"parameter name '{name}' must be lower case letters, digits "
                                 "and underscores, starting with a letter")
            if name in RESERVED or name.startswith(("npv", "irr", "lcoh", "share_", "eff_",
                                                    "ref_", "crit_")):
                raise ValueError(f"parameter name '{name}' clashes with a result column")
        targets = [p.target for p in self.parameters.values()]
        dupes = sorted({t for t in targets if targets.count(t) > 1})
        if dupes:
            raise ValueError(f"each target may be swept by one parameter only; repeated: "
                             f"{dupes}")
        if not self.parameters and not self.weather_years:
            raise ValueError("no parameters (and no weather_years): nothing to sweep")
        if self.method in ("mc", "both") and self.n_samples < 1:
            raise ValueError(f"method '{self.method}' needs n_samples >= 1")
        from heatpath.economics import FinanceAssumptions

        known = set(FinanceAssumptions.__dataclass_fields__)
        for k in self.finance:
            if k not in known:
                close = difflib.get_close_matches(k, sorted(known), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ValueError(f"finance.{k} is not a FinanceAssumptions field{hint}")
        self.assumptions()
        names = [i.name for i in self.investments]
        if len(set(names)) != len(names):
            raise ValueError("investment names must be unique")
        return self

    def assumptions(self, discount_rate: float | None = None) -> Any:
        """:class:`~heatpath.economics.FinanceAssumptions` of the spec (optionally another
        discount rate); ``start_year`` is the spec's unless ``finance`` sets it."""
        from heatpath.economics import FinanceAssumptions

        kw = {"start_year": self.start_year, **self.finance}
        if discount_rate is not None:
            kw["discount_rate"] = discount_rate
        return FinanceAssumptions(**kw)

    @property
    def base_dir(self) -> Path:
        """Folder that relative paths of the spec resolve against."""
        return Path(self.source_file).parent if self.source_file else Path.cwd()

    def weather_paths(self) -> list[Path]:
        """Absolute paths of the weather-year files."""
        return [(self.base_dir / w).resolve() for w in self.weather_years]

    def label(self, name: str) -> str:
        """Display label of a parameter."""
        return self.parameters[name].label or name


# --------------------------------------------------------------------------- loading


#: Field names suggested for a misspelt field of a sweep spec.
_SPEC_FIELDS = sorted({*SweepSpec.model_fields, *Parameter.model_fields,
                       *InvestmentSpec.model_fields})


def parse_sweep_spec(raw: dict[str, Any], source: str | Path | None = None) -> SweepSpec:
    """Validate a parsed sweep specification (a dict as read from TOML).

    Raises
    ------
    SweepSpecError
        With file, field and value of the first problem.
    """
    where = str(source) if source is not None else "<sweep spec>"
    try:
        spec = SweepSpec.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(exc, file=where, suggest=_SPEC_FIELDS,
                               cls=SweepSpecError) from None
    spec.source_file = str(Path(source).resolve()) if source is not None else None
    for i, path in enumerate(spec.weather_paths()):
        if not path.is_file():
            raise SweepSpecError("weather-year file not found", file=where,
                                 field=f"weather_years[{i}]", value=spec.weather_years[i])
    return spec


def load_sweep_spec(path: str | Path) -> SweepSpec:
    """Load and validate ``sweep.toml``.

    Raises
    ------
    SweepSpecError
        Missing file, invalid TOML, or an invalid field (named with its value).
    """
    from heatpath.model.io import read_toml

    raw, p = read_toml(path, "sweep specification", SweepSpecError)
    return parse_sweep_spec(raw, p)


def check_against(spec: SweepSpec, system: Any, reference: Any = None) -> None:
    """Check that every parameter target exists in the scenario (fuels, components).

    Parameters
    ----------
    spec : SweepSpec
    system : System
        The loaded scenario.
    reference : System, optional
        The loaded reference scenario (its units may be named by ``capex.`` targets too).

    Raises
    ------
    SweepSpecError
    """
    where = spec.source_file or "<sweep spec>"
    fuels = set(system.prices.fuels_eur_per_mwh)
    names = {u.name for u in system.units} | {s.name for s in system.storages}
    names |= {c.technology for c in [*system.units, *system.storages] if c.technology}
    names |= {i.name for i in spec.investments} | {"all"}
    names |= {i.technology for i in spec.investments if i.technology}
    if reference is not None:
        fuels |= set(reference.prices.fuels_eur_per_mwh)
    for pname, p in spec.parameters.items():
        field = f"parameters.{pname}.target"
        if p.series and p.series.startswith("fuel."):
            fuel = p.series.split(".", 1)[1]
            if fuel not in fuels:
                raise SweepSpecError(f"the scenario has no price for fuel '{fuel}'; fuels: "
                                     f"{sorted(fuels)}", file=where, field=field,
                                     value=p.target)
        if p.kind == "capex":
            comp = p.target.split(".", 1)[1]
            if comp not in names:
                raise SweepSpecError(f"no unit, storage, investment or technology called "
                                     f"'{comp}'; known: "
                                     f"{sorted(names)}", file=where, field=field,
                                     value=p.target)
        if p.kind == "discount_rate":
            for v in (*p.oat_values(), p.default_base(0.1)):
                if v <= -1.0:
                    raise SweepSpecError("discount rates must be > -1", file=where,
                                         field=f"parameters.{pname}", value=v)
        elif p.kind != "volatility":
            lo = ppf(p, 0.0)
            if lo < 0.0 or min(p.oat_values()) < 0.0:
                raise SweepSpecError(f"{p.kind} factors must be >= 0 (the distribution or "
                                     "oat values reach below 0; set low to clip)", file=where,
                                     field=f"parameters.{pname}", value=min(lo, *p.oat_values()))


# --------------------------------------------------------------------------- sampling


def ppf(p: Parameter, q: float | np.ndarray) -> Any:
    """Quantile function of a parameter's distribution (clipped to ``low``/``high``).

    Parameters
    ----------
    p : Parameter
    q : float or ndarray
        Probabilities in [0, 1] (0 and 1 give the bounds of bounded distributions).
    """
    q = np.asarray(q, dtype=float)
    if p.distribution == "uniform":
        out = p.low + q * (p.high - p.low)  # type: ignore[operator]
    elif p.distribution == "triangular":
        a, c, b = float(p.low), float(p.mode), float(p.high)  # type: ignore[arg-type]
        fc = (c - a) / (b - a)
        out = np.where(q < fc, a + np.sqrt(q * (b - a) * (c - a)),
                       b - np.sqrt((1.0 - q) * (b - a) * (b - c)))
    else:
        nd = NormalDist()
        qq = np.clip(q, 1e-12, 1.0 - 1e-12)
        z = np.vectorize(nd.inv_cdf, otypes=[float])(qq) if qq.ndim else nd.inv_cdf(float(qq))
        if p.distribution == "normal":
            out = p.mean + p.sd * np.asarray(z)  # type: ignore[operator]
        else:
            out = p.median * np.exp(p.sigma * np.asarray(z))  # type: ignore[operator]
        lo = -np.inf if p.low is None else p.low
        hi = np.inf if p.high is None else p.high
        out = np.clip(out, lo, hi)
    return float(out) if np.ndim(out) == 0 else out


def _unit_samples(n: int, d: int, seed: int, method: str) -> np.ndarray:
    """n x d points in [0, 1): Latin hypercube (scipy.stats.qmc when present) or random."""
    if d == 0 or n == 0:
        return np.zeros((n, d))
    if method == "random":
        return np.random.default_rng(seed).random((n, d))
    try:
        from scipy.stats import qmc
    except ImportError:  # pragma: no cover - scipy ships with linopy
        rng = np.random.default_rng(seed)
        cut = (np.arange(n)[:, None] + rng.random((n, d))) / n
        return np.column_stack([rng.permutation(cut[:, j]) for j in range(d)])
    return qmc.LatinHypercube(d=d, seed=np.random.default_rng(seed)).random(n)


def design(spec: SweepSpec) -> pd.DataFrame:
    """The sample table of a sweep: base case, OAT cases, Monte Carlo samples.

    Returns
    -------
    DataFrame
        Index ``sample_id`` (0 = base case); columns ``kind`` (``base``, ``oat``, ``mc``),
        ``parameter`` (the OAT parameter, or ``weather``), ``side`` (``low``, ``high`` or the
        weather-year number for OAT), ``weather`` (0 = the scenario's own series, k =
        ``weather_years[k - 1]``) and one column per parameter with its value. Identical for
        the same specification and seed.
    """
    fa_rate = spec.assumptions().discount_rate
    names = list(spec.parameters)
    base = {n: spec.parameters[n].default_base(fa_rate) for n in names}
    rows: list[dict[str, Any]] = [
        {"kind": "base", "parameter": "", "side": "", "weather": 0, **base}]
    if spec.method in ("oat", "both"):
        for n in names:
            lo, hi = spec.parameters[n].oat_values()
            rows.append({"kind": "oat", "parameter": n, "side": "low", "weather": 0,
                         **base, n: lo})
            rows.append({"kind": "oat", "parameter": n, "side": "high", "weather": 0,
                         **base, n: hi})
        for k in range(1, len(spec.weather_years) + 1):
            rows.append({"kind": "oat", "parameter": "weather", "side": f"year{k}",
                         "weather": k, **base})
    if spec.method in ("mc", "both"):
        n_w = len(spec.weather_years)
        u = _unit_samples(spec.n_samples, len(names) + (1 if n_w else 0), spec.seed,
                          spec.sampling)
        values = {n: ppf(spec.parameters[n], u[:, j]) for j, n in enumerate(names)}
        weather = (np.minimum((u[:, -1] * (n_w + 1)).astype(int), n_w) if n_w
                   else np.zeros(spec.n_samples, dtype=int))
        for i in range(spec.n_samples):
            rows.append({"kind": "mc", "parameter": "", "side": "", "weather": int(weather[i]),
                         **{n: float(values[n][i]) for n in names}})
    df = pd.DataFrame(rows)
    df.index = pd.RangeIndex(len(df), name="sample_id")
    df["weather"] = df["weather"].astype(int)
    for n in names:
        df[n] = df[n].astype(float)
    return df


def execution_order(samples: pd.DataFrame, spec: SweepSpec) -> list[int]:
    """Order in which to evaluate ``samples`` so that consecutive ones are close.

    Samples are grouped by weather year (each needs its own model) and, with
    ``order = "nearest"``, chained greedily to their nearest unvisited neighbour in the
    parameter space scaled to [0, 1]; warm-started re-solves then need fewer iterations.
    """
    ids = list(samples.index)
    if spec.order == "given" or len(ids) < 3:
        return sorted(ids, key=lambda i: (int(samples.at[i, "weather"]), i))
    # CAPEX and the discount rate do not change the dispatch of fixed-size units
    names = [n for n, p in spec.parameters.items()
             if p.kind not in ("capex", "discount_rate")]
    out: list[int] = []
    for _, group in samples.groupby("weather", sort=True):
        x = group[names].to_numpy(dtype=float) if names else np.zeros((len(group), 1))
        span = x.max(axis=0) - x.min(axis=0)
        x = (x - x.min(axis=0)) / np.where(span > 0, span, 1.0)
        gids = list(group.index)
        left = np.ones(len(gids), dtype=bool)
        cur = 0
        left[0] = False
        chain = [gids[0]]
        for _ in range(len(gids) - 1):
            d = np.where(left, np.sum((x - x[cur]) ** 2, axis=1), np.inf)
            cur = int(np.argmin(d))
            left[cur] = False
            chain.append(gids[cur])
        out.extend(chain)
    return out
