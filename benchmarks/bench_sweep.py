"""Sensitivity-sweep throughput: Dask workers, per-task overhead, model reuse vs rebuild.

Runs the Monte Carlo part of ``examples/toy/sweep.toml`` (full-year dispatch of the toy and
of its reference per sample, then the appraisal) in four ways on the same samples:

* ``serial``: a plain loop in one process (``run_sweep(..., n_workers=0)``), models reused;
* ``dask-1`` / ``dask-2``: a LocalCluster with 1 / 2 worker processes (1 thread each);
* ``rebuild``: the plain loop with ``reuse_models = false`` (a new linopy model and a cold
  HiGHS solve per sample), on fewer samples.

Printed table: wall time, samples per minute, mean wall and CPU seconds per sample inside
the task, and the time per sample spent outside the sample evaluations (``outside s``: the
loop's or Dask's overhead, cluster start-up excluded, worker process start included); the
Dask overhead per task is the difference between ``dask-1`` and ``serial`` in that column.
The machine's load average is recorded: other processes on the machine slow every figure
down. Results: ``benchmarks/results/sweep.json`` (``sweep_quick.json`` with
``--quick``).

Usage: ``python benchmarks/run.py sweep [--quick]`` or ``python benchmarks/bench_sweep.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOY = ROOT / "examples" / "toy"
RESULTS = Path(__file__).resolve().parent / "results"


def _spec(n: int, reuse: bool = True):
    from heatpath.planning.sweep_spec import load_sweep_spec

    return load_sweep_spec(TOY / "sweep.toml").model_copy(
        update={"method": "mc", "n_samples": n, "reuse_models": reuse})


def _run(label: str, n: int, workers: int, tmp: Path, *, reuse: bool = True) -> dict:
    from heatpath.planning.sweep import run_sweep
    from heatpath.planning.sweep_eval import clear_cache

    clear_cache()
    out = tmp / label
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    res = run_sweep(TOY / "toy.toml", _spec(n, reuse), out, n_workers=workers, force=True)
    wall = time.perf_counter() - t0
    s = res.samples
    clear_cache()
    shutil.rmtree(out, ignore_errors=True)
    per_worker = s.groupby("worker_pid")["seconds"].agg(["sum", "count"])
    busiest = per_worker.loc[per_worker["sum"].idxmax()]
    return {
        "in_task_s_busiest_worker": float(busiest["sum"]),
        "tasks_busiest_worker": int(busiest["count"]),
        "cpu_s_total": float(s["cpu_seconds"].sum()),
        "label": label, "workers": workers, "samples": int(len(s)), "wall_s": wall,
        "sampling_s": res.timings_s["samples"],
        "samples_per_min": 60.0 * len(s) / wall,
        "task_s_mean": float(s["seconds"].mean()),
        "task_s_median": float(s["seconds"].median()),
        "task_cpu_s_mean": float(s["cpu_seconds"].mean()),
        "task_cpu_s_median": float(s["cpu_seconds"].median()),
        "iterations_mean": float(s["simplex_iterations"].mean()),
        "load_avg_1min": (load0 + os.getloadavg()[0]) / 2,
    }


def _cluster_startup(workers: int) -> float:
    from heatpath.planning.sweep import local_client

    t0 = time.perf_counter()
    client = local_client(workers)
    client.wait_for_workers(workers)
    dt = time.perf_counter() - t0
    cluster = client.cluster
    client.close()
    cluster.close()
    return dt


def run_benchmark(quick: bool, out: Path | None = None) -> dict:
    """Run all configurations, print the table, write the results JSON."""
    n = 12 if quick else 60
    n_rebuild = 3 if quick else 8
    tmp = Path(tempfile.mkdtemp(prefix="heatpath-bench-sweep-"))
    rows = []
    try:
        startup = {w: _cluster_startup(w) for w in (1, 2)}
        rows.append(_run("serial", n, 0, tmp))
        rows.append(_run("dask-1", n, 1, tmp))
        rows.append(_run("dask-2", n, 2, tmp))
        rows.append(_run("rebuild", n_rebuild, 0, tmp, reuse=False))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    by = {r["label"]: r for r in rows}
    serial, d1 = by["serial"], by["dask-1"]
    # time outside the sample evaluations, per sample: the plain loop's own overhead
    # (files, progress) and Dask's (scheduling, transfers, polling; cluster start-up and
    # worker process start excluded / included as noted)
    for r in rows:
        start = startup.get(r["workers"], 0.0)
        r["outside_tasks_per_sample_s"] = (
            r["sampling_s"] - start - r["in_task_s_busiest_worker"]) / r["tasks_busiest_worker"]
        w = max(1, r["workers"])
        r["samples_per_min_cpu_bound"] = 60.0 * r["samples"] / (r["cpu_s_total"] / w)
    overhead = d1["outside_tasks_per_sample_s"] - serial["outside_tasks_per_sample_s"]
    result = {
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                    "python": platform.python_version()},
        "quick": quick,
        "case": "examples/toy/sweep.toml, Monte Carlo part (samples include the base case): "
                "toy + toy_reference full-year LP per sample, appraisal",
        "cluster_startup_s": startup,
        "runs": rows,
        "dask_overhead_per_task_s": overhead,
        "speedup_2_vs_1_workers": by["dask-2"]["samples_per_min"] / d1["samples_per_min"],
        "reuse_speedup_per_sample": by["rebuild"]["task_s_mean"] / serial["task_s_mean"],
    }
    print(f"{'run':<9}{'workers':>8}{'samples':>8}{'wall s':>9}{'samples/min':>13}"
          f"{'task s':>9}{'task CPU s':>12}{'outside s':>11}{'iters':>8}{'load':>7}")
    for r in rows:
        print(f"{r['label']:<9}{r['workers']:>8}{r['samples']:>8}{r['wall_s']:>9.1f}"
              f"{r['samples_per_min']:>13.1f}{r['task_s_mean']:>9.2f}"
              f"{r['task_cpu_s_mean']:>12.2f}{r['outside_tasks_per_sample_s']:>11.3f}"
              f"{r['iterations_mean']:>8.0f}{r['load_avg_1min']:>7.1f}")
    print(f"cluster start-up: 1 worker {startup[1]:.1f} s, 2 workers {startup[2]:.1f} s; "
          f"Dask overhead per task vs plain loop: {overhead:+.3f} s; "
          f"2 vs 1 workers: x{result['speedup_2_vs_1_workers']:.2f}; "
          f"reuse vs rebuild per sample: x{result['reuse_speedup_per_sample']:.1f}")
    path = out or RESULTS / ("sweep_quick.json" if quick else "sweep.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"results: {path}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke run)")
    parser.add_argument("--out", type=Path, default=None, help="results JSON")
    args = parser.parse_args(argv)
    run_benchmark(args.quick, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
