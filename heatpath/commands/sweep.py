"""``heatpath sweep``: sensitivity sweep of a scenario (thin shell over
:func:`heatpath.planning.sweep.run_sweep`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from heatpath.commands._common import console, fail


def sweep_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    spec: Annotated[Path, typer.Option("--spec", "-s", help="Sweep specification (TOML).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
    reference: Annotated[Path | None, typer.Option(
        "--reference", "-r", help="Reference (no-action) scenario; default: the spec's "
        "'reference'.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a local "
        "cluster.")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", "-w", min=0, help="Worker processes of the local cluster (0: no Dask, "
        "run in this process).")] = 2,
    force: Annotated[bool, typer.Option(
        "--force", help="Discard existing outputs and samples in OUT and start afresh.")]
    = False,
    report: Annotated[bool, typer.Option(
        "--report", help="Also write report.html and figures/ (tornado, histograms).")]
    = False,
) -> None:
    """Sensitivity sweep of SCENARIO: one-at-a-time (tornado) and Monte Carlo samples, each a
    full-year dispatch of the scenario and its reference plus the appraisal. An interrupted
    sweep resumes when run again with the same inputs and OUT."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from heatpath.model.errors import ScenarioError
    from heatpath.planning.sweep import SweepError, run_sweep
    from heatpath.planning.sweep_spec import load_sweep_spec
    from heatpath.report.progress import progress_enabled

    try:
        sweep_spec = load_sweep_spec(spec)
    except ScenarioError as exc:
        fail(str(exc))
    client = None
    if scheduler:
        try:
            from distributed import Client

            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            fail(f"cannot connect to the Dask scheduler {scheduler}: {exc}")
    bar = Progress(TextColumn("sweeping"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TimeRemainingColumn(), console=console,
                   transient=True, disable=not progress_enabled(console))
    task = bar.add_task("sweep", total=None)

    def on_progress(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    try:
        with bar:
            result = run_sweep(scenario, sweep_spec, out, reference_path=reference,
                               client=client, progress=on_progress, n_workers=workers,
                               force=force)
    except ScenarioError as exc:
        fail(str(exc))
    except SweepError as exc:
        fail(str(exc), code=1)
    finally:
        if client is not None:
            client.close()
    s = result.summary
    console.print(f"[bold]{s['scenario']}[/] {s.get('year')}: {s['n_samples']} samples "
                  f"({s['n_computed']} computed, {s['n_resumed']} resumed) in "
                  f"{s['timings_s']['total']:.1f} s")
    npv = s.get("stats", {}).get("npv_eur", {})
    if npv.get("n"):
        console.print(f"NPV p5 / p50 / p95: {npv['p5'] / 1e6:,.2f} / {npv['p50'] / 1e6:,.2f} / "
                      f"{npv['p95'] / 1e6:,.2f} M EUR (mean {npv['mean'] / 1e6:,.2f})")
    eed = s.get("eed", {})
    if eed.get("probability_efficient") is not None:
        console.print(f"P(efficient under Art. 26(1) in {eed['year']}) = "
                      f"{eed['probability_efficient']:.0%}")
    paths = [result.paths["samples"], result.paths["summary"], result.paths["tornado"]] \
        if "samples" in result.paths else [result.paths["summary"]]
    if report:
        from heatpath.planning.sweep_report import write_sweep_report

        paths.append(write_sweep_report(out)["html"])
    console.print("outputs: " + ", ".join(str(p) for p in paths), highlight=False)
