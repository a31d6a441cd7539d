"""Sensitivity sweeps: one-at-a-time (tornado) and Monte Carlo, on Dask.

The reference paper leaves sensitivity analysis as future work because its financial
results depend on price *levels* and on hourly price *patterns* (where the peaks and valleys
lie). :func:`run_sweep` evaluates a sweep specification (:mod:`heatpath.planning.sweep_spec`):
every sample is a full-year hourly dispatch of the scenario and, when given, of its
reference, followed by the differential cash flow appraisal
(:func:`heatpath.economics.appraisal.appraise_results`). Prices are transformed by level and
volatility, ``p' = mean * level + (p - mean) * volatility``, so that both dimensions of the
paper's concern are swept separately.

Samples run as independent, idempotent Dask tasks (``dask.distributed``): a ``LocalCluster``
(2 worker processes, 1 thread each) by default or any scheduler. Each sample is written as
``DIR/samples/sample_00042.parquet`` atomically, so an interrupted sweep resumes where it
stopped and a worker killed mid-sweep neither loses nor duplicates a sample. Models are
built once per worker and re-solved warm (:mod:`heatpath.planning.sweep_eval`).

Outputs in ``DIR``: ``samples.parquet`` and ``samples.csv`` (one row per sample),
``sweep.json`` (distribution statistics, EED compliance probabilities, tornado and histogram
data), ``tornado.csv`` and ``manifest.json`` (what the samples were computed from). The
format is documented in ``docs/sweep.md``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import math
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from heatpath.dispatch.result import jsonable
from heatpath.planning.sweep_eval import SweepJob, run_samples, sample_path
from heatpath.planning.sweep_spec import (
    SweepSpec,
    SweepSpecError,
    check_against,
    design,
    execution_order,
    load_sweep_spec,
)

__all__ = [
    "OUTPUT_FILES",
    "SweepError",
    "SweepResult",
    "histograms",
    "run_sweep",
    "summarise",
    "tornado",
]

#: Files a sweep writes into its output directory (plus the ``samples/`` folder).
OUTPUT_FILES = ("samples.parquet", "samples.csv", "sweep.json", "tornado.csv",
                "manifest.json")

#: Progress callback: called with (samples finished, samples in the sweep).
ProgressCallback = Callable[[int, int], None]

#: Indicators summarised in ``sweep.json`` (column, label).
METRICS: tuple[tuple[str, str], ...] = (
    ("npv_eur", "NPV, EUR"),
    ("irr", "IRR"),
    ("lcoh_eur_per_mwh", "LCOH, EUR/MWh"),
    ("variable_cost_eur", "variable cost, EUR/yr"),
    ("opex_saving_eur", "operating-cost saving, EUR/yr"),
    ("cost_of_compliance_eur", "cost of EED compliance, EUR/yr"),
    ("ghg_g_per_kwh", "GHG intensity, g/kWh"),
)

#: Bins of the histograms in ``sweep.json``.
HIST_BINS = 20


class SweepError(RuntimeError):
    """Samples failed with an error (their files are missing; a re-run retries them)."""

    def __init__(self, message: str, failures: dict[int, str]) -> None:
        self.failures = failures
        lines = [f"sample {k}: {v}" for k, v in list(failures.items())[:10]]
        more = f"\n  ... and {len(failures) - 10} more" if len(failures) > 10 else ""
        super().__init__(message + "\n  " + "\n  ".join(lines) + more)


@dataclass
class SweepResult:
    """Outcome of :func:`run_sweep`.

    Attributes
    ----------
    samples : DataFrame
        One row per sample (index ``sample_id``): design columns, parameter values,
        status, costs, appraisal indicators, EED shares and criteria.
    summary : dict
        Content of ``sweep.json``.
    paths : dict
        Output files by name.
    computed : list of int
        Samples computed by this call (the others were found on disk: resumed).
    timings_s : dict
        ``total``, ``setup`` (cluster, design) and ``samples`` (evaluation) seconds.
    """

    samples: pd.DataFrame
    summary: dict[str, Any]
    paths: dict[str, Path]
    computed: list[int] = field(default_factory=list)
    timings_s: dict[str, float] = field(default_factory=dict)

    @property
    def tornado(self) -> pd.DataFrame:
        """Tornado table (as ``tornado.csv``)."""
        return pd.DataFrame(self.summary.get("tornado", {}).get("rows", []))


# --------------------------------------------------------------------------- statistics


def _stats(x: pd.Series) -> dict[str, float | int | None]:
    v = pd.to_numeric(x, errors="coerce").to_numpy(dtype=float)
    v = v[np.isfinite(v)]
    if not len(v):
        return {"n": 0, "mean": None, "std": None, "min": None, "p5": None, "p50": None,
                "p95": None, "max": None}
    p5, p50, p95 = np.percentile(v, [5, 50, 95])
    return {"n": int(len(v)), "mean": float(v.mean()),
            "std": float(v.std(ddof=1)) if len(v) > 1 else 0.0, "min": float(v.min()),
            "p5": float(p5), "p50": float(p50), "p95": float(p95), "max": float(v.max())}


def histograms(samples: pd.DataFrame, bins: int = HIST_BINS) -> dict[str, dict[str, Any]]:
    """Histogram data of the Monte Carlo samples per indicator.

    Returns
    -------
    dict
        ``{column: {"label", "edges" (bins + 1 values), "counts" (bins), "n"}}`` for every
        indicator of :data:`METRICS` with finite values.
    """
    mc = samples[samples["kind"] == "mc"] if "kind" in samples else samples
    out: dict[str, dict[str, Any]] = {}
    for col, label in METRICS:
        if col not in mc:
            continue
        v = pd.to_numeric(mc[col], errors="coerce").to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        if not len(v):
            continue
        lo, hi = float(v.min()), float(v.max())
        if hi <= lo:
            hi = lo + (abs(lo) * 1e-6 or 1e-6)
        counts, edges = np.histogram(v, bins=bins, range=(lo, hi))
        out[col] = {"label": label, "edges": [float(e) for e in edges],
                    "counts": [int(c) for c in counts], "n": int(len(v))}
    return out


def tornado(samples: pd.DataFrame, spec: SweepSpec, metric: str = "npv_eur"
            ) -> pd.DataFrame:
    """Tornado table from the one-at-a-time cases.

    Returns
    -------
    DataFrame
        One row per swept parameter (and weather year), sorted by decreasing swing:
        ``parameter``, ``label``, ``target``, ``base_value``, ``low_value``, ``high_value``,
        ``metric``, ``base``, ``low``, ``high`` (the metric at the base / low / high value),
        ``swing`` (|high - low|), and the same low/high for NPV, IRR, LCOH and variable cost
        (``npv_eur_low`` ...).
    """
    cols = ["parameter", "label", "target", "base_value", "low_value", "high_value",
            "metric", "base", "low", "high", "swing"]
    if "kind" not in samples or not (samples["kind"] == "oat").any():
        return pd.DataFrame(columns=cols)
    base_rows = samples[samples["kind"] == "base"]
    base = base_rows.iloc[0] if len(base_rows) else None
    extra = [c for c, _ in METRICS[:4]]
    rows = []
    oat = samples[samples["kind"] == "oat"]
    for name, grp in oat.groupby("parameter", sort=False):
        if name == "weather":
            for _, r in grp.iterrows():
                rows.append(_tornado_row(f"weather_{r['side']}", f"weather {r['side']}",
                                         "weather", r, r, base, metric, extra,
                                         0.0, float(r["weather"])))
            continue
        lo = grp[grp["side"] == "low"]
        hi = grp[grp["side"] == "high"]
        if not len(lo) or not len(hi):
            continue
        p = spec.parameters.get(str(name))
        rows.append(_tornado_row(str(name), spec.label(str(name)) if p else str(name),
                                 p.target if p else "", lo.iloc[0], hi.iloc[0], base, metric,
                                 extra, float(base[name]) if base is not None else math.nan,
                                 None))
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=cols)
    return df.sort_values("swing", ascending=False, na_position="last",
                          kind="stable").reset_index(drop=True)


def _tornado_row(name: str, label: str, target: str, lo: pd.Series, hi: pd.Series,
                 base: pd.Series | None, metric: str, extra: list[str], base_value: float,
                 weather: float | None) -> dict[str, Any]:
    def val(r: pd.Series | None, col: str) -> float:
        if r is None or col not in r:
            return math.nan
        v = pd.to_numeric(pd.Series([r[col]]), errors="coerce").iloc[0]
        return float(v)

    row: dict[str, Any] = {
        "parameter": name, "label": label, "target": target, "base_value": base_value,
        "low_value": weather if weather is not None else val(lo, name),
        "high_value": weather if weather is not None else val(hi, name),
        "metric": metric, "base": val(base, metric), "low": val(lo, metric),
        "high": val(hi, metric)}
    row["swing"] = abs(row["high"] - row["low"])
    for col in extra:
        row[f"{col}_low"] = val(lo, col)
        row[f"{col}_high"] = val(hi, col)
    return row


def summarise(samples: pd.DataFrame, spec: SweepSpec, *, scenario: str, year: int,
              reference: str | None, metric: str) -> dict[str, Any]:
    """Content of ``sweep.json`` (see ``docs/sweep.md``)."""
    from heatpath.eed import alternatives, essential_alternatives

    mc = samples[samples["kind"] == "mc"]
    pool = mc if len(mc) else samples
    ok = pool[pool["status"] == "ok"]
    stats = {col: {"label": label, **_stats(ok[col])} for col, label in METRICS if col in ok}
    essential = {a.id for a in essential_alternatives(year)}
    by_alt: dict[str, dict[str, Any]] = {}
    for alt in alternatives(year):
        col = f"crit_{alt.id.split('.', 1)[-1]}"
        if col in ok:
            by_alt[alt.id] = {"label": alt.label, "column": col, "essential": alt.id in essential,
                              "probability": float(ok[col].astype(bool).mean()) if len(ok)
                              else None}
    eed: dict[str, Any] = {
        "year": year,
        "enforced": spec.enforce_eed,
        "n": int(len(ok)),
        "probability_efficient": float(ok["efficient"].astype(bool).mean()) if len(ok)
        else None,
        "probability_26_2": float(ok["efficient_26_2"].astype(bool).mean()) if len(ok)
        else None,
        "alternatives": by_alt,
        "probability_eed_infeasible": float((pool["status"] == "eed_infeasible").mean())
        if len(pool) else None,
        "note": ("each sample solved with the Art. 26 criteria enforced: compliance holds "
                 "whenever feasible; see cost_of_compliance_eur" if spec.enforce_eed else
                 "cost-optimal dispatch without enforcing Art. 26: compliance varies with the "
                 "sampled prices and demand"),
    }
    if spec.enforce_eed and "chosen_alternative" in ok:
        eed["chosen_alternative_frequency"] = {
            str(k): float(v) for k, v in ok["chosen_alternative"].value_counts(
                normalize=True).items()}
    tor = tornado(samples, spec, metric)
    return {
        "scenario": scenario,
        "reference": reference,
        "year": year,
        "method": spec.method,
        "sampling": spec.sampling,
        "seed": spec.seed,
        "n_samples": int(len(samples)),
        "n_mc": int(len(mc)),
        "n_oat": int((samples["kind"] == "oat").sum()),
        "status_counts": {str(k): int(v) for k, v in samples["status"].value_counts().items()},
        "parameters": {n: p.model_dump(exclude_none=True) for n, p in spec.parameters.items()},
        "weather_years": list(spec.weather_years),
        "price_transform": "p' = mean(p) * level + (p - mean(p)) * volatility"
                           + (", clipped at 0" if spec.clip_negative_prices else ""),
        "stats": stats,
        "eed": eed,
        "tornado": {"metric": metric,
                    "base": float(tor["base"].iloc[0]) if len(tor) else None,
                    "rows": _records(tor)},
        "histograms": histograms(samples),
    }


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in df.to_dict(orient="records"):
        out.append({k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                    for k, v in rec.items()})
    return out



# --------------------------------------------------------------------------- running


def _digest(path: Path, salt: str) -> str:
    from heatpath.planning.compare import input_hash

    return input_hash(path, salt)


def _spec_digest(spec: SweepSpec) -> str:
    import hashlib

    data = spec.model_dump(mode="json", exclude={"source_file", "order", "reuse_models"})
    for i, w in enumerate(spec.weather_paths()):
        data[f"weather_{i}"] = hashlib.sha256(w.read_bytes()).hexdigest()
    return "sha256:" + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _check_manifest(out: Path, manifest: dict[str, Any], force: bool) -> None:
    path = out / "manifest.json"
    samples = out / "samples"
    if force:
        for name in OUTPUT_FILES:
            if (out / name).exists():
                (out / name).unlink()
        if samples.exists():
            shutil.rmtree(samples)
        return
    if path.exists():
        old = json.loads(path.read_text())
        keys = ("scenario_hash", "reference_hash", "spec_hash", "n_design")
        changed = [k for k in keys if old.get(k) != manifest.get(k)]
        if changed:
            raise SweepSpecError(
                f"{out} holds a sweep of other inputs ({', '.join(changed)} changed); use "
                f"another output directory or force=True (--force) to start afresh",
                file=path)
    elif samples.exists() and any(samples.glob("sample_*.parquet")):
        raise SweepSpecError(f"{samples} holds sample files without a manifest.json; use "
                             "force=True (--force) to start afresh", file=samples)


def _chunks(order: list[int], n_workers: int, chunk: int | None) -> list[list[int]]:
    """Split the execution order into runs of consecutive samples (one Dask task each).

    The order is cut into one contiguous segment per worker; each segment is cut into
    chunks of ``chunk`` samples, or of guided sizes (a quarter of the segment's remaining
    samples, at most 24, shrinking towards the end so that the workers finish together);
    the chunks of the segments are then interleaved. Workers taking tasks in this order
    tend to stay in their own segment, so each warm start begins near the previous sample.
    """
    w = max(1, min(n_workers, len(order)))
    bounds = [round(k * len(order) / w) for k in range(w + 1)]
    per_segment: list[list[list[int]]] = []
    for k in range(w):
        seg = order[bounds[k]:bounds[k + 1]]
        out, i = [], 0
        while i < len(seg):
            size = chunk or max(1, min(24, math.ceil((len(seg) - i) / 4)))
            out.append(seg[i:i + size])
            i += size
        per_segment.append(out)
    chunks: list[list[int]] = []
    for j in range(max((len(c) for c in per_segment), default=0)):
        chunks.extend(c[j] for c in per_segment if j < len(c))
    return chunks


def _count_done(samples_dir: Path, ids: set[int]) -> int:
    n = 0
    for p in samples_dir.glob("sample_*.parquet"):
        try:
            if int(p.stem.split("_")[1]) in ids:
                n += 1
        except (IndexError, ValueError):
            continue
    return n


def _read_samples(samples_dir: Path, ids: list[int]) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = [pq.read_table(sample_path(samples_dir, i)) for i in ids
              if sample_path(samples_dir, i).exists()]
    if not tables:
        return pd.DataFrame()
    # one-row files: a column that was None in some samples is of null type there
    df = pa.concat_tables(tables, promote_options="permissive").to_pandas()
    return df.set_index("sample_id").sort_index()


def run_sweep(
    scenario_path: str | Path,
    spec: SweepSpec | str | Path,
    out_dir: str | Path,
    *,
    reference_path: str | Path | None = None,
    client: Any = None,
    progress: ProgressCallback | None = None,
    n_workers: int = 2,
    force: bool = False,
    chunk_size: int | None = None,
) -> SweepResult:
    """Run a sensitivity sweep of a scenario.

    Parameters
    ----------
    scenario_path : str or Path
        Scenario TOML file.
    spec : SweepSpec, str or Path
        The sweep specification or its TOML file (validated before anything runs).
    out_dir : str or Path
        Output directory (created). Existing sample files of the same sweep (same scenario,
        reference and specification contents) are kept: the sweep resumes.
    reference_path : str or Path, optional
        Reference ("no action") scenario; default the spec's ``reference``. Without a
        reference no appraisal is possible (NPV, IRR, LCOH are NaN) and the tornado uses
        the variable cost.
    client : distributed.Client, optional
        Dask client to run on (e.g. ``Client("tcp://scheduler:8786")``). Default: a
        ``LocalCluster`` of ``n_workers`` processes with one thread each, closed afterwards.
    progress : callable, optional
        ``progress(done, total)``, called from the calling thread as samples finish
        (``done`` counts samples found on disk too).
    n_workers : int
        Worker processes of the default LocalCluster; 0 evaluates the samples in the calling
        process without Dask (a plain loop, same results).
    force : bool
        Delete the outputs and sample files in ``out_dir`` first.
    chunk_size : int, optional
        Samples per Dask task (consecutive in the execution order, so that warm starts are
        close); default: guided sizes (at most 24, shrinking towards the end), see
        :func:`_chunks`.

    Returns
    -------
    SweepResult

    Raises
    ------
    SweepSpecError
        Invalid specification, or ``out_dir`` holds a sweep of other inputs.
    ScenarioError
        Invalid scenario or reference.
    SweepError
        Some samples failed (the others are written; a re-run retries only the failed).
    """
    t0 = time.perf_counter()
    # The default LocalCluster starts (and its workers import heatpath) in the background
    # while the inputs are validated and the design is drawn; closed in any case below.
    starting: Future[Any] | None = None
    if client is None and n_workers > 0:
        pool = ThreadPoolExecutor(1, thread_name_prefix="heatpath-cluster")
        starting = pool.submit(local_client, n_workers, warm=True)
        pool.shutdown(wait=False)
    try:
        return _run_sweep(scenario_path, spec, out_dir, reference_path=reference_path,
                          client=client, starting=starting, progress=progress,
                          n_workers=n_workers, force=force, chunk_size=chunk_size, t0=t0)
    finally:
        if starting is not None and starting.exception() is None:
            own = starting.result()
            cluster = own.cluster
            own.close()
            cluster.close()


def _run_sweep(scenario_path: str | Path, spec: SweepSpec | str | Path, out_dir: str | Path, *,
               reference_path: str | Path | None, client: Any, starting: Future[Any] | None,
               progress: ProgressCallback | None, n_workers: int, force: bool,
               chunk_size: int | None, t0: float) -> SweepResult:
    """:func:`run_sweep` once its cluster is starting (``starting``) or given (``client``)."""
    from heatpath.model import load_scenario

    if not isinstance(spec, SweepSpec):
        spec = load_sweep_spec(spec)
    scenario_path = Path(scenario_path).resolve()
    if reference_path is None and spec.reference is not None:
        reference_path = spec.base_dir / spec.reference
    ref_path = Path(reference_path).resolve() if reference_path is not None else None
    system = load_scenario(scenario_path)
    reference = load_scenario(ref_path) if ref_path is not None else None
    if reference is not None and reference.system.year != system.system.year:
        raise SweepSpecError(f"the reference is for {reference.system.year}, the scenario for "
                             f"{system.system.year}", file=ref_path, field="system.year",
                             value=reference.system.year)
    check_against(spec, system, reference)
    if spec.weather_years and system.system.timeseries is None:
        raise SweepSpecError("weather_years replace the scenario's [system].timeseries, "
                             "which it does not set", file=spec.source_file,
                             field="weather_years")
    samples = design(spec)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    samples_dir = out / "samples"
    manifest = {
        "scenario": str(scenario_path), "scenario_hash": _digest(scenario_path, "sweep"),
        "reference": str(ref_path) if ref_path else None,
        "reference_hash": _digest(ref_path, "sweep") if ref_path else None,
        "spec_file": spec.source_file, "spec_hash": _spec_digest(spec),
        "n_design": int(len(samples)),
    }
    _check_manifest(out, manifest, force)
    samples_dir.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    job = SweepJob(str(scenario_path), manifest["scenario_hash"],
                   str(ref_path) if ref_path else None, manifest["reference_hash"], spec,
                   str(samples_dir))
    all_ids = list(samples.index)
    pending = [i for i in all_ids if not sample_path(samples_dir, i).exists()]
    order = execution_order(samples.loc[pending], spec) if pending else []
    rows = {i: samples.loc[i].to_dict() for i in pending}
    total = len(all_ids)
    if progress:
        progress(total - len(pending), total)
    t_setup = time.perf_counter() - t0
    failures: dict[int, str] = {}
    computed: list[int] = []
    if order and starting is None and client is None:
        for i in order:
            try:
                res = run_samples(job, [(i, rows[i])])
                computed += [r["sample_id"] for r in res if r["computed"]]
            except Exception as exc:  # reported per sample
                failures[i] = f"{type(exc).__name__}: {exc}"
            if progress:
                progress(_count_done(samples_dir, set(all_ids)), total)
    elif order:
        if client is None and starting is not None:
            client = starting.result()
        computed, failures = _run_dask(job, order, rows, client, n_workers, chunk_size,
                                       progress, samples_dir, all_ids, total)
    t_samples = time.perf_counter() - t0 - t_setup
    _cleanup_tmp(samples_dir)
    table = _read_samples(samples_dir, all_ids)
    metric = "npv_eur" if ref_path is not None else "variable_cost_eur"
    paths = {"samples_dir": samples_dir, "manifest": out / "manifest.json"}
    if not table.empty:
        table = _order_columns(table, spec)
        paths["samples"] = out / "samples.parquet"
        table.to_parquet(paths["samples"])
        paths["samples_csv"] = out / "samples.csv"
        table.to_csv(paths["samples_csv"], float_format="%.10g")
        summary = summarise(table, spec, scenario=system.system.name, year=system.system.year,
                            reference=reference.system.name if reference else None,
                            metric=metric)
    else:
        summary = {"scenario": system.system.name, "n_samples": 0}
    summary["timings_s"] = {"setup": t_setup, "samples": t_samples,
                            "total": time.perf_counter() - t0}
    summary["n_computed"] = len(computed)
    summary["n_resumed"] = total - len(pending)
    summary["n_failed"] = len(failures)
    tor = pd.DataFrame(summary.get("tornado", {}).get("rows", []))
    paths["tornado"] = out / "tornado.csv"
    tor.to_csv(paths["tornado"], index=False, float_format="%.10g")
    paths["summary"] = out / "sweep.json"
    paths["summary"].write_text(json.dumps(jsonable(summary), indent=2) + "\n")
    result = SweepResult(table, summary, paths, sorted(computed),
                         dict(summary["timings_s"]))
    if failures:
        raise SweepError(f"{len(failures)} of {total} samples failed", failures)
    return result


def _order_columns(table: pd.DataFrame, spec: SweepSpec) -> pd.DataFrame:
    first = ["kind", "parameter", "side", "weather", *spec.parameters, "status"]
    rest = [c for c in table.columns if c not in first]
    return table[[c for c in first if c in table.columns] + rest]


def _cleanup_tmp(samples_dir: Path) -> None:
    """Remove temporary files left by workers killed while writing."""
    for p in samples_dir.glob(".sample_*.tmp"):
        with contextlib.suppress(OSError):
            p.unlink()


def local_client(n_workers: int = 2, *, warm: bool = False) -> Any:
    """A ``distributed.Client`` on a new LocalCluster: ``n_workers`` processes, 1 thread
    each, no dashboard, quiet logs (close both with ``client.close(); cluster.close()``,
    or ``client.cluster.close()``).

    With ``warm=True`` every worker imports the sample evaluation code (heatpath, linopy,
    HiGHS; about 2 s per process) before this returns, so that the first samples do not.
    """
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    if warm:
        client.run(_import_sample_code)
    return client


def _import_sample_code() -> None:
    """Import what a sample evaluation needs (run in each worker by ``local_client``)."""
    importlib.import_module("heatpath.planning.sweep_eval")


def _run_dask(job: SweepJob, order: list[int], rows: dict[int, dict[str, Any]], client: Any,
              n_workers: int, chunk_size: int | None, progress: ProgressCallback | None,
              samples_dir: Path, all_ids: list[int], total: int
              ) -> tuple[list[int], dict[int, str]]:
    from distributed import as_completed

    computed: list[int] = []
    failures: dict[int, str] = {}
    n = max(1, len(client.scheduler_info().get("workers", {})) or n_workers)
    chunks = _chunks(order, n, chunk_size)
    token = os.urandom(4).hex()
    futures = {}
    for k, ids in enumerate(chunks):
        fut = client.submit(run_samples, job, [(i, rows[i]) for i in ids],
                            key=f"heatpath-sweep-{token}-{k:05d}", pure=False,
                            priority=len(chunks) - k)
        futures[fut] = ids
    ids_all = set(all_ids)
    if progress:
        progress(_count_done(samples_dir, ids_all), total)
    last = -1
    ac = as_completed(list(futures))
    pending = set(futures)
    while pending:
        finished = []
        try:
            for fut in ac.next_batch(block=False) if ac.has_ready() else []:
                finished.append(fut)
        except StopIteration:
            pass
        for fut in finished:
            pending.discard(fut)
            try:
                for r in fut.result():
                    if r["computed"]:
                        computed.append(r["sample_id"])
            except Exception as exc:  # one chunk failed
                for i in futures[fut]:
                    if not sample_path(samples_dir, i).exists():
                        failures[i] = f"{type(exc).__name__}: {exc}"
        if progress:
            done = _count_done(samples_dir, ids_all)
            if done != last:
                progress(done, total)
                last = done
        if pending and not finished:
            time.sleep(0.1)
    return computed, failures
