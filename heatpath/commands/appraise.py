"""``heatpath appraise SCENARIO.toml --reference REFERENCE.toml --out DIR``: financial appraisal.

Thin shell over :func:`heatpath.economics.appraisal.appraise_results`: dispatches both
scenarios (each with its own ``[eed]`` treatment, like ``heatpath run``) into
``DIR/scenario`` and ``DIR/reference`` — or reuses them when their ``summary.json`` carries
the same ``input_hash`` (:func:`heatpath.planning.compare.input_hash`) — and writes
``DIR/finance.json`` and ``DIR/cashflow.csv`` (also copied into ``DIR/scenario`` for the
report).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from heatpath.commands._common import check_out_dir, console, fail
from heatpath.model.errors import InfeasibleError, ScenarioError

FINANCE_FILES = ("finance.json", "cashflow.csv")


def _fmt(v: Any, kind: str) -> str:
    if v is None:
        return "-"
    if kind == "eur":
        return f"{v / 1e6:,.2f} M"
    if kind == "pct":
        return f"{v:.2%}"
    if kind == "years":
        return f"{v:.1f}"
    if kind == "eur_mwh":
        return f"{v:,.2f}"
    return str(v)


def _dispatch(label: str, toml: Path, out: Path, force: bool) -> tuple[Any, dict[str, Any]]:
    """Load ``toml``; reuse ``out/label`` when its input hash matches, else run and write."""
    from heatpath.dispatch import run_scenario
    from heatpath.economics.appraisal import unit_variable_costs
    from heatpath.model import load_scenario
    from heatpath.planning.compare import input_hash

    try:
        system = load_scenario(toml)
    except ScenarioError as exc:
        fail(str(exc))
    digest = input_hash(toml, salt=f"eed={system.eed.article}")
    sub = out / label
    s_path, d_path = sub / "summary.json", sub / "dispatch.csv"
    if s_path.is_file() and d_path.is_file():
        try:
            old = json.loads(s_path.read_text())
        except json.JSONDecodeError:
            old = {}
        if old.get("input_hash") == digest:
            console.print(f"{label}: reusing {sub} (inputs unchanged)")
            return system, old
        if not force:
            fail(f"{sub} holds results of other inputs than {toml} (input hash differs); "
                 "use --force to recompute them")
    try:
        with console.status(f"optimising {label} {system.system.name} "
                            f"({system.system.year})..."):
            result = run_scenario(system)
    except ScenarioError as exc:
        fail(str(exc))
    except InfeasibleError as exc:
        fail(f"{label}: {exc}", code=3)
    result.extra["input_hash"] = digest
    result.extra["unit_variable_cost_eur"] = unit_variable_costs(result)
    result.write(sub)
    console.print(f"{label}: {system.system.name} {system.system.year} dispatched "
                  f"({result.timings_s.get('total', 0.0):.1f} s) -> {sub}")
    return system, json.loads(s_path.read_text())


def appraise_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.", metavar="SCENARIO.toml")],
    reference: Annotated[Path, typer.Option(
        "--reference", "-r", help="'No action' reference scenario TOML (same year).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    report: Annotated[bool, typer.Option(
        "--report", help="Also write DIR/report.html (heatpath.report).")] = False,
) -> None:
    """Appraise SCENARIO against a "no action" REFERENCE: NPV, IRR, paybacks, LCOH.

    Differential cash flow as in the Bucharest paper; writes finance.json and cashflow.csv \
(one row per year) into OUT. Both are dispatched into OUT/scenario and OUT/reference \
(reused when their inputs are unchanged). The variable-cost saving of the dispatched \
year is applied to every year 2028-2050; the investments (built in 2027) are the units \
and storages the scenario has beyond the reference.
    """
    from heatpath.economics.appraisal import appraise_results, investments_between
    from heatpath.economics.cashflow import FinanceAssumptions

    files = list(FINANCE_FILES) + (["report.html"] if report else [])
    check_out_dir(out, files, force)
    fa = FinanceAssumptions()
    s_sys, s_sum = _dispatch("scenario", scenario, out, force)
    r_sys, r_sum = _dispatch("reference", reference, out, force)
    try:
        invs = investments_between(
            s_sys, r_sys, year=fa.start_year, capacities=s_sum.get("capacities_chosen"),
            reference_capacities=r_sum.get("capacities_chosen"),
            price_year=fa.price_base_year)
        ap = appraise_results(s_sum, r_sum, assumptions=fa, investments=invs)
    except ValueError as exc:
        fail(str(exc))
    out.mkdir(parents=True, exist_ok=True)
    paths = {"finance": out / "finance.json", "cashflow": out / "cashflow.csv"}
    text = ap.to_json()
    for d in (out, out / "scenario"):
        (d / "finance.json").write_text(text)
        ap.cashflow.to_csv(d / "cashflow.csv", float_format="%.10g")

    console.print(f"[bold]{ap.scenario}[/] vs reference [bold]{ap.reference}[/] "
                  f"({ap.year} dispatch; investment {fa.start_year}, horizon "
                  f"{fa.start_year}-{fa.end_year}, {fa.price_basis} prices of "
                  f"{fa.price_base_year})")
    inv = Table(title="Investments (scenario beyond the reference)", title_justify="left")
    for col, just in (("component", "left"), ("size", "right"), ("CAPEX EUR", "right"),
                      ("fixed O&M EUR/yr", "right"), ("life y", "right"), ("cost from", "left")):
        inv.add_column(col, justify=just)  # type: ignore[arg-type]
    for i in ap.investments:
        d = i.to_dict() if hasattr(i, "to_dict") else {}
        inv.add_row(i.name, f"{d.get('size', 0):,.2f} {d.get('size_unit', '')}",
                    f"{i.capex:,.0f}", f"{i.fixed_om:,.0f}", str(i.lifetime_years),
                    str(d.get("cost_source", "")))
    if not ap.investments:
        inv.add_row("(nothing built)", "", "0", "0", "", "")
    console.print(inv)
    console.print(f"variable cost: reference {ap.variable_cost_eur['reference']:,.0f} EUR/yr, "
                  f"scenario {ap.variable_cost_eur['scenario']:,.0f} EUR/yr; saving "
                  f"[bold]{ap.opex_saving_eur:,.0f} EUR/yr[/] (applied to every year)")
    tab = Table(title="Indicators", title_justify="left")
    tab.add_column("indicator")
    tab.add_column("project", justify="right")
    tab.add_column("equity", justify="right")
    p, e = ap.indicators["project"], ap.indicators["equity"]
    for key, label, kind in (
        ("npv", "NPV (EUR, at start year)", "eur"), ("irr", "IRR", "pct"),
        ("simple_payback", "simple payback (years)", "years"),
        ("discounted_payback", "discounted payback (years)", "years"),
        ("lcoh", "LCOH of new units (EUR/MWh)", "eur_mwh"),
        ("funding_gap_eur", "funding gap (EUR)", "eur"),
        ("funding_gap_share", "funding gap (share of CAPEX)", "pct"),
    ):
        tab.add_row(label, _fmt(p.get(key), kind), _fmt(e.get(key), kind))
    console.print(tab)
    console.print(f"discount rates: project {fa.project_rate:.2%}, equity {fa.equity_rate:.2%}")
    for note in ap.notes:
        console.print(f"note: {note}")

    if report:
        try:
            from heatpath.report import build_report
        except ImportError as exc:
            fail(f"--report: the report module is not available ({exc}); finance.json and "
                 f"cashflow.csv were written to {out}", code=1)
        try:
            build_report([out / "scenario", out / "reference"], out / "report.html")
        except (ValueError, OSError) as exc:
            fail(f"--report: {exc}; finance.json and cashflow.csv were written to {out}",
                 code=1)
        paths["report"] = out / "report.html"
    console.print("outputs: " + ", ".join(str(v) for v in paths.values())
                  + f", {out / 'scenario'}, {out / 'reference'}", highlight=False,
                  soft_wrap=True)
