"""``heatpath plan``: optimise an investment pathway (thin shell over
:func:`heatpath.planning.pathway.plan`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from heatpath.commands._common import check_out_dir, console, err_console, fail


def _periods(text: str | None) -> list[int] | None:
    if text is None:
        return None
    try:
        return [int(x) for x in text.replace(" ", "").split(",") if x]
    except ValueError:
        fail(f"--periods {text!r}: give years separated by commas, e.g. 2025,2028,2035")


def plan_command(
    scenario: Annotated[Path, typer.Argument(help="Base scenario TOML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
    spec: Annotated[Path | None, typer.Option(
        "--spec", help="Planning spec TOML (candidates, potentials, lead times, "
                       "retirements, price path).")] = None,
    periods: Annotated[str | None, typer.Option(
        "--periods", help="First years of the periods, e.g. 2025,2028,2035,2040,2045,2050.")
    ] = None,
    typical_days: Annotated[int | None, typer.Option(
        "--typical-days", help="Clustered typical days (the peak day is added); default 12.")
    ] = None,
    article: Annotated[str | None, typer.Option(
        "--article", help="EED criteria per period: 26(1) (default), 26(2) or none.")] = None,
    no_backstops: Annotated[bool, typer.Option(
        "--no-backstops", help="Leave out candidates marked backstop (identified potential "
                               "only).")] = False,
    no_validate: Annotated[bool, typer.Option(
        "--no-validate", help="Skip the full-year re-validation of each period.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
) -> None:
    """Optimise what to build and when so that SCENARIO stays efficient (EED Art. 26) in
    every period at least discounted cost; write build_plan.csv, periods.csv,
    validation.csv, capacities.csv and plan.json into OUT."""
    from heatpath.model import load_scenario
    from heatpath.model.errors import ScenarioError
    from heatpath.planning.pathway import OUTPUT_FILES
    from heatpath.planning.pathway import plan as run_plan
    from heatpath.report.progress import final_line, track

    check_out_dir(out, OUTPUT_FILES, force)
    years = _periods(periods)
    try:
        system = load_scenario(scenario)
        from heatpath.planning.pathway_spec import load_spec, parse_spec

        spec_obj = load_spec(spec) if spec is not None else parse_spec(None)
        # steps: clustering, each LP of the branch and bound, each period's validation
        with track(None, f"planning {system.system.name}", total=None,
                   console=err_console) as step:
            result = run_plan(system, periods=years, candidates=spec_obj,
                              typical_days=typical_days, article=article,
                              progress=step, backstops=not no_backstops,
                              validate=not no_validate)
    except ScenarioError as exc:
        fail(str(exc))
    paths = result.write(out)

    table = Table(title=f"Pathway {result.scenario} (Art. {result.article}, "
                        f"{result.typical.n_clusters} typical days)", title_justify="left")
    for col in ("years", "alternative met", "RES+WH", "+MW", "+MWh", "CAPEX M€",
                "OPEX M€/a", "8760 h"):
        table.add_column(col, justify="left" if col in ("years", "alternative met")
                         else "right", no_wrap=col != "alternative met",
                         overflow="fold" if col == "alternative met" else "ellipsis")
    pt = result.periods_table()
    val = {v.year: v for v in result.validation}
    for _, row in pt.iterrows():
        y = int(row["year"])
        v = val.get(y)
        verdict = "-" if v is None else ("[green]ok[/]" if v.ok else "[red]fails[/]")
        alt = str(row["alternative"] or "-").split(".", 1)[-1].replace("combined", "comb")
        table.add_row(f"{y}-{int(row['last_year']) % 100:02d}", alt,
                      f"{row['share_renewable+waste_heat']:.1%}", f"{row['new_mw']:,.0f}",
                      f"{row['new_storage_mwh']:,.0f}", f"{row['capex_eur'] / 1e6:,.1f}",
                      f"{row['operating_eur'] / 1e6:,.1f}", verdict)
    console.print(table)
    console.print(f"discounted total cost {result.total_cost_eur / 1e6:,.1f} MEUR "
                  f"(base year {result.base_year}, rate {result.discount_rate:.1%})")
    err = result.typical_error()
    if err:
        console.print(f"typical-period error: operating cost up to "
                      f"{err['max_abs_cost_error']:.2%}, shares up to "
                      f"{err['max_share_error_pp']:.2f} pp")
    for line in result.failures():
        console.print(f"[red]{line}[/]")
    for note in result.notes:
        console.print(f"note: {note}")
    final_line(paths, label="plan")
