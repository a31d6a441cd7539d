"""Command-line interface: thin shells over the Python API.

``heatpath run SCENARIO.toml --out DIR`` — optimise the hourly dispatch of one scenario.
``heatpath assess SCENARIO_OR_RESULT`` — EED Art. 26 assessment of a scenario or a result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from heatpath.commands._common import check_out_dir, console, fail
from heatpath.model.errors import InfeasibleError, ScenarioError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="heatpath: district heating dispatch and planning under Article 26 of the EU EED.",
)
OUTPUT_FILES = ("dispatch.csv", "summary.json")


def _shares_table(title: str, summary: dict) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("unit / group")
    table.add_column("heat MWh", justify="right")
    table.add_column("share", justify="right")
    total = summary["heat_into_network_mwh"]
    for unit, mwh in summary["heat_mwh"].items():
        table.add_row(unit, f"{mwh:,.0f}", f"{mwh / total:.1%}" if total else "-")
    table.add_section()
    for group, share in summary["shares"].items():
        table.add_row(f"[bold]{group}[/]", f"{summary['group_heat_mwh'][group]:,.0f}",
                      f"{share:.1%}")
    return table


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    report: Annotated[bool, typer.Option(
        "--report", help="Also write OUT/report.html (and report.xlsx).")] = False,
) -> None:
    """Optimise the hourly dispatch of SCENARIO for its year; write dispatch.csv and
    summary.json into OUT."""
    from heatpath.dispatch import run_scenario
    from heatpath.model import load_scenario

    check_out_dir(out, OUTPUT_FILES + (("report.html", "report.xlsx") if report else ()), force)
    try:
        system = load_scenario(scenario)
        with console.status(f"optimising {system.system.name} ({system.system.year})..."):
            result = run_scenario(system, on_infeasible="unconstrained")
    except ScenarioError as exc:
        fail(str(exc))
    except InfeasibleError as exc:
        fail(str(exc), code=3)
    paths = result.write(out)
    summary = result.summary()
    console.print(f"[bold]{summary['scenario']} {summary['year']}[/]: {summary['status']}, "
                  f"variable cost {summary['objective_eur']:,.0f} EUR")
    console.print(_shares_table("Heat into the network", summary))
    eed = summary["eed"]
    verdict = "[green]efficient[/]" if eed["efficient"] else "[red]not efficient[/]"
    met = ", ".join(eed["criteria_met"]) or "none"
    console.print(f"EED Art. 26 ({eed['period']}): {verdict}; alternatives met: {met}; "
                  f"GHG {eed['ghg_g_per_kwh']:.0f} g/kWh (26(2) limit "
                  f"{eed['ghg_limit_g_per_kwh']:.0f})")
    miss = eed.get("closest_miss")
    if miss:
        console.print(f"closest miss: {miss['alternative']} needs {miss['mwh']:,.0f} MWh more "
                      f"{miss['target_group']} heat")
    t = summary["timings_s"]
    console.print(f"build {t['build']:.2f} s, solve {t['solve']:.2f} s, total {t['total']:.2f} s")
    if report:
        from heatpath.report import build_report

        made = build_report([out], out / "report.html", excel=out / "report.xlsx")
        console.print(f"report: {made['html']}, {made['excel']}")
    console.print(f"outputs: {paths['dispatch']}, {paths['summary']}")
    enforced = eed.get("enforced", {})
    if not enforced.get("met", True):
        fail(f"the EED criteria of {summary['year']} cannot be met (outputs hold the "
             "cost-optimal dispatch without them):\n  - "
             + "\n  - ".join(enforced.get("violations", [])), code=3)


@app.command()
def assess(
    target: Annotated[Path, typer.Argument(help="Scenario TOML, result dir or summary.json.")],
) -> None:
    """Assess a scenario (after optimising it) or an existing result under EED Art. 26."""
    from heatpath.eed import assess as eed_assess
    from heatpath.eed import ghg_limit_g_per_kwh

    if target.is_dir():
        target = target / "summary.json"
    if target.suffix == ".json":
        if not target.is_file():
            fail(f"{target}: file not found")
        summary = json.loads(target.read_text())
    else:
        from heatpath.dispatch import run_scenario
        from heatpath.model import load_scenario

        try:
            summary = run_scenario(load_scenario(target)).summary()
        except ScenarioError as exc:
            fail(str(exc))
        except InfeasibleError as exc:
            fail(str(exc), code=3)
    year = int(summary["year"])
    a = eed_assess(year, summary["group_heat_mwh"])
    table = Table(title=f"Table A-2 shares, {summary['scenario']} {year} (period {a.period})",
                  title_justify="left")
    table.add_column("group")
    table.add_column("MWh into network", justify="right")
    table.add_column("share", justify="right")
    for g, mwh in summary["group_heat_mwh"].items():
        table.add_row(g, f"{mwh:,.0f}", f"{a.shares[g]:.2%}")
    console.print(table)
    alt = Table(title="Art. 26(1) alternatives", title_justify="left")
    alt.add_column("alternative")
    alt.add_column("conditions")
    alt.add_column("headroom", justify="right")
    alt.add_column("met")
    from heatpath.eed import alternatives

    for al in alternatives(year):
        cond = " and ".join(f"{'+'.join(c.groups)} >= {c.min_share:.0%}" for c in al.conditions)
        h = a.headroom[al.id]
        alt.add_row(al.id, cond, f"{h:+.2%}", "[green]yes[/]" if h >= 0 else "[red]no[/]")
    console.print(alt)
    eed = summary.get("eed", {})
    ghg = eed.get("ghg_g_per_kwh")
    limit = ghg_limit_g_per_kwh(year)
    if ghg is not None:
        ok = "[green]within[/]" if ghg <= limit else "[red]above[/]"
        console.print(f"Art. 26(2): GHG intensity {ghg:.1f} g CO2/kWh delivered, {ok} the "
                      f"limit of {limit:.0f} g/kWh")
    verdict = "[green]efficient[/]" if a.efficient else "[red]not efficient[/]"
    console.print(f"Art. 26(1): {verdict}. {a.explanation}")


def _register_commands() -> None:
    """Register the commands of :mod:`heatpath.commands` whose module exists."""
    import importlib
    import importlib.util

    from heatpath.commands import COMMANDS

    for name, module in COMMANDS.items():
        full = f"heatpath.commands.{module}"
        if importlib.util.find_spec(full) is None:
            continue
        func = getattr(importlib.import_module(full), f"{name}_command")
        app.command(name)(func)


_register_commands()


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
