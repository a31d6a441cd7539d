"""Compare scenarios: each run with the EED Art. 26 criteria of its year, then one table.

:func:`compare_scenarios` runs every scenario file with Art. 26(1) enforced (or 26(2) when
the scenario asks for it), writes each run like ``heatpath run`` into ``OUT/<file stem>/``
and returns one row per scenario: heat by EED counting group, shares and the headroom
against every Art. 26(1) alternative of its year, GHG intensity, variable cost, CAPEX and
the appraisal (NPV, IRR, paybacks) against the reference of the same year.

A scenario that cannot comply is recorded as *not efficient* with the shortfall of every
alternative (from the :class:`~heatpath.model.errors.InfeasibleError`) and run again
without the criteria, so that the table still has its numbers (``eed_constrained`` False).

:func:`input_hash` fingerprints a scenario TOML and the files it references; it is stored in
``summary.json`` (``input_hash``) so that commands can reuse up-to-date results.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from heatpath.dispatch import DispatchResult, run_scenario
from heatpath.economics.appraisal import (
    Appraisal,
    appraise_results,
    unit_variable_costs,
    variable_cost,
)
from heatpath.economics.cashflow import FinanceAssumptions
from heatpath.economics.finance import crf
from heatpath.eed import alternatives, assess
from heatpath.model import load_scenario
from heatpath.model.errors import InfeasibleError
from heatpath.model.schema import EED_GROUPS, System

__all__ = ["ProgressCallback", "compare_scenarios", "input_hash", "read_comparison", "storage_use"]

#: ``progress(done, total, label)``: ``done`` scenarios of ``total`` finished, ``label`` says
#: what runs next.
ProgressCallback = Callable[[int, int, str], None]

#: Files written into the output directory and into every scenario sub-directory.
COMPARISON_FILE = "comparison.csv"
RUN_FILES = ("dispatch.csv", "summary.json")
FINANCE_FILES = ("finance.json", "cashflow.csv")


# --------------------------------------------------------------------------- input hash


def _strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


def input_hash(toml_path: str | Path, salt: str = "") -> str:
    """SHA-256 of a scenario TOML and every file it references (CSV series, COP tables).

    Every string value of the TOML that names an existing file relative to the TOML's
    directory is included (name and bytes), plus the heatpath version and ``salt`` (e.g.
    the EED treatment a command enforces).

    Parameters
    ----------
    toml_path : str or Path
        Scenario TOML file.
    salt : str
        Extra text that distinguishes runs of the same files.

    Returns
    -------
    str
        ``"sha256:<hex>"``.
    """
    from heatpath import __version__

    p = Path(toml_path).resolve()
    data = p.read_bytes()
    h = hashlib.sha256()
    h.update(f"heatpath {__version__}\0{salt}\0".encode())
    h.update(data)
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        raw = {}
    files = set()
    for s in _strings(raw):
        if len(s) > 4096 or "\n" in s:
            continue
        try:
            f = (p.parent / s).resolve()
            if f.is_file():
                files.add(f)
        except (OSError, ValueError):
            continue
    for f in sorted(files):
        h.update(f"\0{f.name}\0".encode())
        h.update(f.read_bytes())
    return "sha256:" + h.hexdigest()


# --------------------------------------------------------------------------- runs


@dataclass
class _Run:
    path: Path
    stem: str
    system: System | None = None
    result: DispatchResult | None = None
    article: str = "26(1)"
    constrained: bool = True
    shortfall: str = ""
    error: str = ""
    appraisal: Appraisal | None = None
    reference: _Run | None = None
    finance_note: str = ""

    @property
    def year(self) -> int | None:
        return None if self.system is None else int(self.system.system.year)


def storage_use(result: DispatchResult) -> tuple[float, float]:
    """Heat discharged from all storages (MWh/yr) and equivalent full cycles.

    Full cycles = discharged MWh / total storage capacity MWh (extendable storages at the
    size chosen by the dispatch); NaN without storages.
    """
    if result.discharge.empty or not result.system.storages:
        return float("nan"), float("nan")
    discharged = float(result.discharge.to_numpy().sum())
    cap = 0.0
    for s in result.system.storages:
        if s.name in result.capacities:
            cap += float(result.capacities[s.name])
        elif s.capacity_mwh is not None:
            cap += float(s.capacity_mwh)
    return discharged, (discharged / cap if cap > 0 else float("nan"))


@contextlib.contextmanager
def _quiet_linopy() -> Iterator[None]:
    """Hide linopy's "Optimization potentially failed" warning for expected infeasibility."""
    logger = logging.getLogger("linopy")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _run_one(run: _Run, out_dir: Path) -> None:
    """Run one scenario with its year's EED criteria; fall back to unconstrained."""
    with _quiet_linopy():
        _run_inner(run)
    sub = out_dir / run.stem
    for name in FINANCE_FILES + ((RUN_FILES) if run.result is None else ()):
        (sub / name).unlink(missing_ok=True)  # stale outputs of an earlier comparison
    if run.result is not None:
        run.result.write(sub)


def _run_inner(run: _Run) -> None:
    system = run.system if run.system is not None else load_scenario(run.path)
    run.system = system
    run.article = "26(2)" if system.eed.article == "26(2)" else "26(1)"
    system.eed.article = run.article  # type: ignore[assignment]
    try:
        # when the criteria cannot be met, the cost-optimal dispatch without them is kept
        # (from the same model: no second build and solve)
        res = run_scenario(system, on_infeasible="unconstrained")
    except InfeasibleError as exc:  # not an EED shortfall: demand cannot be served
        run.error = str(exc).replace("\n", " ")
        return
    run.result = res
    enforced = res.extra["eed"].get("enforced", {})
    if not enforced.get("met", True):
        run.shortfall = "; ".join(enforced.get("violations", [])) or "criteria not met"
        run.constrained = False
    salt = f"eed={run.article}" + ("" if run.constrained else ",fallback=none")
    res.extra["input_hash"] = input_hash(run.path, salt=salt)
    res.extra["unit_variable_cost_eur"] = unit_variable_costs(res)
    res.extra["compare"] = {
        "eed_enforced": run.article,
        "eed_constrained": run.constrained,
        "shortfall": run.shortfall or None,
    }


def _pick_references(runs: list[_Run], ref_run: _Run | None) -> None:
    """Reference of every run: the --reference run of the same year, else a run of the same
    year whose file stem starts with "reference"."""
    def is_reference(r: _Run) -> bool:
        return r is ref_run or r.stem.lower().startswith("reference")

    for r in runs:
        if is_reference(r) or r.year is None:
            continue
        cands = ([ref_run] if ref_run is not None else []) + [
            c for c in runs if c.stem.lower().startswith("reference")]
        for c in cands:
            if c is not r and c.year == r.year:
                r.reference = c
                break


def _appraise(run: _Run, out_dir: Path, fa: FinanceAssumptions) -> None:
    ref = run.reference
    if ref is None or run.result is None:
        return
    if ref.result is None:
        run.finance_note = f"reference '{ref.stem}' has no result ({ref.error})"
        return
    try:
        run.appraisal = appraise_results(run.result, ref.result, assumptions=fa)
    except ValueError as exc:
        run.finance_note = f"not appraised: {exc}"
        return
    d = out_dir / run.stem
    (d / "finance.json").write_text(run.appraisal.to_json())
    run.appraisal.cashflow.to_csv(d / "cashflow.csv", float_format="%.6f")


def _nan(v: Any) -> float:
    return float("nan") if v is None else float(v)


def _row(run: _Run, out_dir: Path, fa: FinanceAssumptions) -> dict[str, Any]:
    role = "scenario" if run.reference is not None else "reference"
    row: dict[str, Any] = {
        "scenario": run.stem,
        "name": run.system.system.name if run.system is not None else "",
        "year": run.year,
        "role": role,
        "reference": run.reference.stem if run.reference is not None else "",
        "dispatch_mode": run.system.dispatch.mode if run.system is not None else "",
        "eed_enforced": run.article,
        "eed_constrained": run.constrained,
    }
    res = run.result
    if res is None:
        row.update(status="infeasible", efficient=False, shortfall=run.shortfall,
                   chosen_alternative="", alternatives_met="", note="", error=run.error,
                   result_dir=str(out_dir / run.stem))
        return row
    s = res.summary()
    eed = s.get("eed", {})
    enforced = eed.get("enforced") or {}
    year = int(s["year"])
    efficient = bool(eed.get("efficient_26_2")) if run.article == "26(2)" \
        else bool(eed.get("efficient"))
    row.update(
        status="efficient" if efficient else "not efficient",
        efficient=efficient,
        within_ghg_limit=bool(eed.get("efficient_26_2")),
        chosen_alternative=("" if not run.constrained else "26(2) GHG limit"
                            if run.article == "26(2)" else
                            enforced.get("chosen_alternative") or ""),
        alternatives_met=", ".join(eed.get("criteria_met", [])),
        shortfall=run.shortfall,
    )
    for g in EED_GROUPS:
        row[f"heat_{g}_mwh"] = float(s["group_heat_mwh"][g])
    row["heat_into_network_mwh"] = float(s["heat_into_network_mwh"])
    row["heat_delivered_mwh"] = float(s["heat_delivered_mwh"])
    for g in EED_GROUPS:
        row[f"share_{g}"] = float(s["shares"][g])
    a = assess(year, s["group_heat_mwh"])
    for alt in alternatives(year):
        row[f"headroom_{alt.id}"] = float(a.headroom[alt.id])
    row["ghg_g_per_kwh"] = _nan(eed.get("ghg_g_per_kwh"))
    row["ghg_limit_g_per_kwh"] = _nan(eed.get("ghg_limit_g_per_kwh"))
    row["co2_t"] = float(s["co2_t"])
    row["variable_cost_eur"] = variable_cost(s)
    ap = run.appraisal
    if ap is not None:
        row["capex_eur"] = ap.capex_total_eur
        row["annualised_capex_eur"] = float(sum(
            i.capex * crf(fa.project_rate, int(i.lifetime_years or fa.default_lifetime_years))
            for i in ap.investments))
        p = ap.indicators["project"]
        row.update(opex_saving_eur=ap.opex_saving_eur, npv_eur=_nan(p["npv"]),
                   irr=_nan(p["irr"]), simple_payback_years=_nan(p["simple_payback"]),
                   discounted_payback_years=_nan(p["discounted_payback"]),
                   npv_equity_eur=_nan(ap.indicators["equity"]["npv"]))
    else:
        row["capex_eur"] = float("nan")
        row["annualised_capex_eur"] = float(s["costs_eur"].get("investment_annualised", 0.0))
        row.update(opex_saving_eur=float("nan"), npv_eur=float("nan"), irr=float("nan"),
                   simple_payback_years=float("nan"), discounted_payback_years=float("nan"),
                   npv_equity_eur=float("nan"))
    discharged, cycles = storage_use(res)
    row["storage_discharged_mwh"] = discharged
    row["storage_full_cycles"] = cycles
    row["note"] = run.finance_note
    row["error"] = ""
    row["result_dir"] = str(out_dir / run.stem)
    return row


def compare_scenarios(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    reference: str | Path | None = None,
    assumptions: FinanceAssumptions | None = None,
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Run scenarios with the EED criteria of their year enforced and compare them.

    Parameters
    ----------
    paths : sequence of str or Path
        Scenario TOML files; file stems must be unique (they name the sub-directories).
    out_dir : str or Path
        Output directory: ``<stem>/dispatch.csv`` + ``<stem>/summary.json`` per scenario
        (``finance.json`` + ``cashflow.csv`` for appraised scenarios) and
        ``comparison.csv``. Existing files are overwritten.
    reference : str or Path, optional
        "No action" reference for the NPV of scenarios of its year (run too, and added to
        the table when not among ``paths``). Scenarios of other years (or all, when not
        given) use the scenario of their year whose file stem starts with ``reference``.
    assumptions : FinanceAssumptions, optional
        Financial assumptions of the appraisal (default: the paper's base case).
    progress : callable, optional
        ``progress(done, total, label)`` called before each run and once at the end.

    Returns
    -------
    pandas.DataFrame
        One row per scenario, index ``scenario`` (file stem), in input order (an added
        reference last). Columns: ``name``, ``year``, ``role`` (scenario/reference),
        ``reference``, ``dispatch_mode`` (lp/milp), ``eed_enforced`` (26(1)/26(2)),
        ``eed_constrained`` (False: the criteria could not be met and the numbers are of
        the unconstrained dispatch), ``status``, ``efficient``, ``within_ghg_limit``,
        ``chosen_alternative``, ``alternatives_met``, ``shortfall``;
        ``heat_<group>_mwh`` per EED counting group, ``heat_into_network_mwh``,
        ``heat_delivered_mwh`` (MWh/yr); ``share_<group>`` (fraction of heat into the
        network); ``headroom_<alternative id>`` (share minus threshold of every Art. 26(1)
        alternative of the year; >= 0 met); ``ghg_g_per_kwh``, ``ghg_limit_g_per_kwh``
        (g CO2/kWh delivered), ``co2_t``; ``variable_cost_eur`` (EUR/yr, objective without
        annualised investment); ``capex_eur`` (initial investment vs the reference, EUR);
        ``annualised_capex_eur`` (EUR/yr: that investment x CRF(project rate, lifetime);
        without reference the dispatch's annualised investment in extendable capacity);
        ``opex_saving_eur``, ``npv_eur``, ``npv_equity_eur``, ``irr``,
        ``simple_payback_years``, ``discounted_payback_years`` (NaN for references and
        scenarios without a reference); ``storage_discharged_mwh``, ``storage_full_cycles``;
        ``note``; ``result_dir``. A scenario that cannot be dispatched at all has
        ``status`` "infeasible" and ``error``.

    Raises
    ------
    ScenarioError
        When a scenario file is invalid (before anything is run).
    ValueError
        When no paths are given or file stems repeat.
    """
    out = Path(out_dir)
    fa = FinanceAssumptions() if assumptions is None else assumptions
    files = [Path(p) for p in paths]
    if not files:
        raise ValueError("give at least one scenario file")
    runs = [_Run(f, f.stem) for f in files]
    ref_run: _Run | None = None
    if reference is not None:
        rp = Path(reference).resolve()
        ref_run = next((r for r in runs if r.path.resolve() == rp), None)
        if ref_run is None:
            ref_run = _Run(Path(reference), Path(reference).stem)
            runs.append(ref_run)
    stems = [r.stem for r in runs]
    dupes = sorted({s for s in stems if stems.count(s) > 1})
    if dupes:
        raise ValueError(f"scenario file names must differ (they name the output "
                         f"sub-directories); repeated: {dupes}")
    for r in runs:  # validate every file before the first (long) run
        r.system = load_scenario(r.path)
    out.mkdir(parents=True, exist_ok=True)
    n = len(runs)
    for i, r in enumerate(runs):
        if progress is not None:
            progress(i, n, r.stem)
        _run_one(r, out)
    if progress is not None:
        progress(n, n, "done")
    _pick_references(runs, ref_run)
    for r in runs:
        _appraise(r, out, fa)
    df = pd.DataFrame([_row(r, out, fa) for r in runs]).set_index("scenario")
    last = ["note", "error", "result_dir"]
    df = df[[c for c in df.columns if c not in last] + last]
    df.to_csv(out / COMPARISON_FILE)
    return df


def read_comparison(path: str | Path) -> pd.DataFrame:
    """Read a ``comparison.csv`` (or the directory holding it), index ``scenario``."""
    p = Path(path)
    if p.is_dir():
        p = p / COMPARISON_FILE
    df = pd.read_csv(p, index_col="scenario", keep_default_na=True)
    for c in ("reference", "shortfall", "note", "chosen_alternative", "alternatives_met"):
        if c in df:
            df[c] = df[c].fillna("")
    return df
