"""Operator mode: seconds per operated year, window model reused vs rebuilt.

Operates the Bucharest 2035 system (``examples/bucharest/scenario1_2035.toml``; the
Bucharest-like synthetic system of ``tests/operate/synthetic.py`` when the scenario file is
missing) for a whole year of daily 48 h windows (``tracking`` strategy) and reports:

* ``reuse``: :func:`heatpath.operate.rolling_horizon` as shipped — the window model is
  built once and handed to HiGHS once; every window only changes bounds, costs, right-hand
  sides and the COP coefficients, and re-solves from the previous basis. Measured on the
  full year, for ``perfect`` and ``persistence`` forecasts (the latter re-dispatches every
  committed day against realised data: two solves per window);
* ``rebuild``: a new linopy model per window (``build`` + hand-over to HiGHS + cold solve)
  on the same data, timed on a sample of windows and extrapolated to the year (a full year
  would take tens of minutes).

Figures exclude the perfect-foresight benchmark solve (``run_scenario``, reported
separately: it is only needed for the cost gap and can be passed in with
``--benchmark-cost``). The machine's load average is recorded. Results:
``benchmarks/results/operate.json`` (``operate_quick.json`` with ``--quick``).

Usage: ``python benchmarks/run.py operate [--quick]`` or
``python benchmarks/bench_operate.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
SCENARIO = ROOT / "examples" / "bucharest" / "scenario1_2035.toml"


def _system():
    """The Bucharest 2035 scenario (or the synthetic stand-in) and its label."""
    from heatpath.model import load_scenario

    if SCENARIO.is_file():
        return load_scenario(SCENARIO), SCENARIO.name
    sys.path.insert(0, str(ROOT))
    from tests.operate.synthetic import bucharest_like

    return bucharest_like(), "synthetic bucharest_like (tests/operate/synthetic.py)"


def _reuse(forecast: str, benchmark_cost: float | None) -> dict:
    """A full operated year as shipped (model reused)."""
    from heatpath.operate import rolling_horizon

    system, _ = _system()
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    r = rolling_horizon(system, strategy="tracking", forecast=forecast,
                        benchmark=benchmark_cost is not None,
                        benchmark_cost_eur=benchmark_cost)
    wall = time.perf_counter() - t0
    op = r.operate
    t = op["timings_s"]
    return {"mode": "reuse", "forecast": forecast, "windows": op["windows"],
            "year_s": wall - t["benchmark"], "prepare_s": t["prepare"], "plan_s": t["plan"],
            "build_s": t["build"], "windows_s": t["windows"],
            "per_window_ms": t["per_window_ms"], "gap_pct": op["gap_pct"],
            "status": op["status"], "compliant": op["compliant"],
            "shares": {x["key"]: x.get("final_share") for x in op["trajectory"]},
            "load_avg": [load0, os.getloadavg()[0]], "extrapolated": False}


def _rebuild(n_sample: int, windows: int) -> dict:
    """Seconds per window with a new linopy model per window, extrapolated to the year."""
    import numpy as np

    from heatpath.dispatch.solve import prepare, slice_system
    from heatpath.eed import alternatives, group_fractions
    from heatpath.operate.data import realised_hourly, static_of, window_tables
    from heatpath.operate.targets import alternative_targets
    from heatpath.operate.window import WindowModel

    system, _ = _system()
    system = prepare(system)
    fr = group_fractions(system)
    st = static_of(system)
    data = realised_hourly(system)
    alt = next(a for a in alternatives(system.system.year) if len(a.conditions) > 1)
    targets = alternative_targets(alt, fr, st.units)
    n = len(system.snapshots)
    starts = np.linspace(0, n - 48, n_sample).astype(int) // 24 * 24
    times = []
    for t0 in starts:
        ts = time.perf_counter()
        w = WindowModel(slice_system(system, int(t0), int(t0) + 48), st, fr, targets, 48)
        w.update(window_tables(st, data.window(int(t0), 48)),
                 soc0=np.zeros(len(st.storages)), target_rhs=np.zeros(len(targets)))
        assert w.solve() == "Optimal"
        times.append(time.perf_counter() - ts)
    per = float(np.mean(times))
    return {"mode": "rebuild", "forecast": "perfect", "windows": windows,
            "year_s": per * windows, "per_window_ms": 1000 * per,
            "sampled_windows": int(n_sample), "extrapolated": True,
            "load_avg": [os.getloadavg()[0]]}


def run_benchmark(quick: bool, out: Path | None = None) -> dict:
    """Run the configurations, print the table, write the results JSON."""
    _, label = _system()
    rows = [_reuse("perfect", None)]
    if not quick:
        rows.append(_reuse("persistence", None))
    rows.append(_rebuild(3 if quick else 10, rows[0]["windows"]))
    print(f"\noperator mode, {label}: one year of daily 48 h windows, strategy tracking")
    print(f"{'mode':8} {'forecast':12} {'s/year':>8} {'ms/window':>10} {'plan s':>7}  note")
    for r in rows:
        note = (f"extrapolated from {r['sampled_windows']} windows" if r["extrapolated"]
                else r["status"])
        plan = f"{r['plan_s']:7.1f}" if "plan_s" in r else f"{'-':>7}"
        print(f"{r['mode']:8} {r['forecast']:12} {r['year_s']:8.1f} {r['per_window_ms']:10.1f} "
              f"{plan}  {note}")
    result = {"benchmark": "operate", "quick": quick, "system": label, "rows": rows,
              "cpu_count": os.cpu_count(), "python": platform.python_version(),
              "machine": platform.machine()}
    RESULTS.mkdir(exist_ok=True)
    path = out or RESULTS / ("operate_quick.json" if quick else "operate.json")
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"results: {path}")
    return result


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (``benchmarks/run.py`` calls it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="perfect forecasts only, "
                        "3 rebuilt windows")
    parser.add_argument("--out", type=Path, default=None, help="results JSON")
    args = parser.parse_args(argv)
    run_benchmark(args.quick, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
