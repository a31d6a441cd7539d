"""``heatpath compare SCENARIO.toml [...] --out DIR``: scenarios side by side under EED Art. 26.

Thin shell over :func:`heatpath.planning.compare.compare_scenarios`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from heatpath.commands._common import check_out_dir, console, err_console, fail
from heatpath.model.errors import ScenarioError


def _num(v: Any, scale: float = 1.0, fmt: str = ",.2f") -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return "-"
    return "-" if not math.isfinite(f) else format(f / scale, fmt)


def _text(v: Any) -> str:
    """A text cell; NaN (missing) is empty."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(v)


def compare_command(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario TOML files.",
                                                    metavar="SCENARIO.toml...")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
    reference: Annotated[Path | None, typer.Option(
        "--reference", "-r", help="'No action' reference TOML for the NPV of scenarios of its "
        "year (default: the scenario of the same year whose file name starts with "
        "'reference').")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    report: Annotated[bool, typer.Option(
        "--report", help="Also write DIR/report.html (heatpath.report).")] = False,
) -> None:
    """Compare scenarios, each with the EED Art. 26 criteria of its year enforced.

    Heat by EED group, shares and headroom per Art. 26(1) alternative, GHG intensity, \
costs, NPV/IRR/payback against the reference of the same year, storage use. \
Each run goes to OUT/<file stem>/ (dispatch.csv, summary.json; finance.json and \
cashflow.csv when appraised); the table to OUT/comparison.csv. A scenario that cannot be \
efficient is reported with its shortfall and its unconstrained dispatch.
    """
    from heatpath.planning.compare import COMPARISON_FILE, RUN_FILES, compare_scenarios

    files = [COMPARISON_FILE] + [f"{p.stem}/{f}" for p in scenarios for f in RUN_FILES]
    if reference is not None:
        files += [f"{reference.stem}/{f}" for f in RUN_FILES]
    if report:
        files.append("report.html")
    check_out_dir(out, list(dict.fromkeys(files)), force)

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err_console, transient=True,
                        disable=not err_console.is_terminal)
    task = progress.add_task("scenarios", total=None)

    def step(done: int, total: int, label: str) -> None:
        desc = "done" if done >= total else f"optimising {label}"
        progress.update(task, completed=done, total=total, description=desc)

    try:
        with progress:
            df = compare_scenarios(scenarios, out, reference=reference, progress=step)
    except ScenarioError as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(str(exc))

    table = Table(title="Scenario comparison (EED Art. 26 of each year enforced)",
                  title_justify="left")
    table.add_column("")
    for stem, r in df.iterrows():
        table.add_column(str(stem) + (" (ref)" if r["role"] == "reference" else ""),
                         justify="right")

    def eed(r: Any) -> str:
        if r["status"] == "infeasible":
            return "[red]infeasible[/]"
        text = "[green]efficient[/]" if r["efficient"] else "[red]not efficient[/]"
        return text + ("" if r["eed_constrained"] else " *")

    def irr(v: Any) -> str:
        text = _num(v, 0.01, ".1f")
        return text if text == "-" else text + " %"

    rows: list[tuple[str, Any]] = [
        ("year", lambda r: str(r["year"])),
        ("EED Art. 26", eed),
        ("alternative chosen", lambda r: _text(r.get("chosen_alternative")) or "-"),
        ("renewable share %", lambda r: _num(r.get("share_renewable"), 0.01, ".1f")),
        ("GHG g CO2/kWh", lambda r: _num(r.get("ghg_g_per_kwh"), 1, ".1f")),
        ("variable cost MEUR/yr", lambda r: _num(r.get("variable_cost_eur"), 1e6)),
        ("CAPEX MEUR", lambda r: _num(r.get("capex_eur"), 1e6)),
        ("annualised CAPEX MEUR/yr", lambda r: _num(r.get("annualised_capex_eur"), 1e6)),
        ("NPV MEUR (project)", lambda r: _num(r.get("npv_eur"), 1e6)),
        ("IRR (project)", lambda r: irr(r.get("irr"))),
        ("simple payback years", lambda r: _num(r.get("simple_payback_years"), 1, ".1f")),
        ("storage discharged MWh", lambda r: _num(r.get("storage_discharged_mwh"), 1, ",.0f")),
        ("storage full cycles", lambda r: _num(r.get("storage_full_cycles"), 1, ".1f")),
        ("reference", lambda r: _text(r.get("reference")) or "-"),
    ]
    for label, get in rows:
        table.add_row(label, *[get(r) for _, r in df.iterrows()])
    console.print(table)
    for stem, r in df.iterrows():
        if _text(r.get("shortfall")):
            console.print(f"[red]{stem}[/] cannot be efficient in {r['year']}; "
                          f"shortfall: {r['shortfall']}", highlight=False)
        if r["status"] == "infeasible":
            console.print(f"[red]{stem}[/]: {_text(r.get('error'))}", highlight=False)
        if _text(r.get("note")):
            console.print(f"{stem}: {r['note']}", highlight=False)
    if not df["eed_constrained"].all():
        console.print("* numbers of the dispatch without the EED criteria (they cannot be met)")
    lp = [str(s) for s, m in df["dispatch_mode"].items() if m == "lp"]
    if lp:
        console.print(f"note: LP mode (no on/off status, minimum load, start costs or minimum "
                      f"up/down times) for {', '.join(lp)}", highlight=False)
    if not any(_text(v) for v in df["reference"]):
        console.print("note: no reference of the same year found: no NPV/IRR (use --reference "
                      "or name a scenario file reference*.toml)")

    outputs = [out / COMPARISON_FILE]
    if report:
        try:
            from heatpath.report import build_report
        except ImportError as exc:
            fail(f"--report: the report module is not available ({exc}); the comparison was "
                 f"written to {out}", code=1)
        try:
            build_report([out], out / "report.html")
        except (ValueError, OSError) as exc:
            fail(f"--report: {exc}; the comparison was written to {out}", code=1)
        outputs.append(out / "report.html")
    console.print("outputs: " + ", ".join(str(p) for p in outputs)
                  + f", one directory per scenario in {out}", highlight=False, soft_wrap=True)
