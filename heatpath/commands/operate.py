"""``heatpath operate``: rolling-horizon operation of a scenario's year (operator mode).

A thin shell over :func:`heatpath.operate.rolling_horizon`; see ``docs/operate.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from heatpath.commands._common import check_out_dir, console, err_console, fail


def operate_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
    horizon: Annotated[int, typer.Option(
        "--horizon", help="Hours optimised per window (>= the year: one annual window).")] = 48,
    step: Annotated[int, typer.Option("--step", help="Hours committed per window.")] = 24,
    strategy: Annotated[str, typer.Option(
        "--strategy", help="EED treatment: none, pro-rata or tracking.")] = "tracking",
    forecast: Annotated[str, typer.Option(
        "--forecast", help="Forecast model: perfect, persistence or noisy.")] = "persistence",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the noisy forecast.")] = 0,
    margin: Annotated[float | None, typer.Option(
        "--margin", help="tracking: safety margin, share points (default 0).")] = None,
    replan_days: Annotated[int, typer.Option(
        "--replan-days", help="tracking: re-solve the seasonal plan from the realised state "
                              "every this many days (0 = never).")] = 30,
    alternative: Annotated[str | None, typer.Option(
        "--alternative", help="Art. 26(1) alternative id to aim for (default: the seasonal "
                              "plan's cheapest).")] = None,
    plan_resolution: Annotated[int, typer.Option(
        "--plan-resolution", help="Hours per step of the seasonal plan (divisor of 24).")] = 2,
    benchmark_cost: Annotated[float | None, typer.Option(
        "--benchmark-cost", help="Perfect-foresight annual cost, EUR (skips that solve).")
    ] = None,
    no_benchmark: Annotated[bool, typer.Option(
        "--no-benchmark", help="Do not solve the perfect-foresight year (no cost gap).")
    ] = False,
    report: Annotated[bool, typer.Option(
        "--report", help="Also build OUT/report.html (heatpath.report).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
) -> None:
    """Operate SCENARIO for its year like a dispatcher: optimise HORIZON hours on forecasts,
    commit STEP hours against realised data, repeat; write summary.json, dispatch.csv,
    schedule.csv and trajectory.csv into OUT and print the EED compliance status."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from heatpath.model import load_scenario
    from heatpath.model.errors import InfeasibleError, ScenarioError
    from heatpath.operate import FORECASTS, OUTPUT_FILES, STRATEGIES, rolling_horizon

    if strategy not in STRATEGIES:
        fail(f"--strategy {strategy}: choose one of {', '.join(STRATEGIES)}")
    if forecast not in FORECASTS:
        fail(f"--forecast {forecast}: choose one of {', '.join(FORECASTS)}")
    files = list(OUTPUT_FILES) + (["report.html"] if report else [])
    check_out_dir(out, files, force)
    try:
        system = load_scenario(scenario)
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total} windows"),
                      TimeRemainingColumn(), console=err_console, transient=True) as bar:
            task = bar.add_task(f"operating {system.system.name} ({system.system.year})",
                                total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = rolling_horizon(
                system, horizon=horizon, step=step, strategy=strategy, forecast=forecast,
                seed=seed, progress=progress, plan_resolution_h=plan_resolution,
                alternative=alternative, benchmark=not no_benchmark,
                benchmark_cost_eur=benchmark_cost, margin=margin, replan_days=replan_days)
    except ScenarioError as exc:
        fail(str(exc))
    except InfeasibleError as exc:
        fail(str(exc), code=3)
    except ValueError as exc:
        fail(str(exc))
    paths = result.write(out)
    op = result.operate
    summary = result.summary()
    gap = op["gap_pct"]
    gap_text = f", {gap:+.2f} % vs perfect foresight" if gap is not None else ""
    console.print(f"[bold]{summary['scenario']} {summary['year']}[/]: {op['windows']} windows "
                  f"of {op['horizon_h']} h (step {op['step_h']} h), strategy {strategy}, "
                  f"{forecast} forecasts; cost {op['cost_eur']:,.0f} EUR{gap_text}")
    for t in op["trajectory"]:
        if "final_share" in t:
            console.print(f"  {t['requirement']}: {t['final_share']:.2%} at year end")
    colour = "green" if op["compliant"] else "red"
    console.print(f"[{colour}]{op['status']}[/]", highlight=False)
    if op["unserved_heat_mwh"] > 1e-6:
        console.print(f"[red]unserved heat: {op['unserved_heat_mwh']:,.1f} MWh[/]")
    console.print(f"outputs: {', '.join(str(p) for p in paths.values())}")
    if report:
        _report(out)


def _report(out: Path) -> None:
    """Build ``OUT/report.html`` with :func:`heatpath.report.build_report` when available."""
    try:
        from heatpath.report.build import build_report
    except ImportError:  # pragma: no cover - report package absent
        err_console.print("--report: heatpath.report is not available; skipped")
        return
    try:
        paths = build_report([out], out / "report.html", progress=False)
    except Exception as exc:  # the report is a convenience: never lose the results
        err_console.print(f"--report: could not build the report ({exc})", highlight=False)
        return
    console.print(f"report: {paths['html']}")


__all__ = ["operate_command"]
