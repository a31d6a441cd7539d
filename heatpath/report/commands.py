"""``heatpath report``: the command function (registered by :mod:`heatpath.cli` through
:mod:`heatpath.commands.report`; equivalently ``app.command("report")(report_command)``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from heatpath.commands._common import err_console
from heatpath.commands._common import fail as _fail


def report_command(
    result_dirs: Annotated[list[Path], typer.Argument(
        help="Result directories of 'heatpath run' (summary.json + dispatch.csv) or compare "
             "directories (comparison.csv).", metavar="RESULT_DIR")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML report to write.")],
    excel: Annotated[Path | None, typer.Option(
        "--excel", help="Also write an Excel workbook (.xlsx).")] = None,
    figures: Annotated[Path | None, typer.Option(
        "--figures", help="Also write every figure as PNG and SVG into this directory.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
) -> None:
    """Build one self-contained HTML report of one or more results (opens offline).

    Optionally also an Excel workbook (--excel) and every figure as PNG and SVG (--figures).
    Existing outputs are kept unless --force is given.
    """
    from heatpath.report.build import build_report, figure_ids
    from heatpath.report.load import ResultDirError
    from heatpath.report.progress import final_line

    if out.suffix.lower() not in (".html", ".htm"):
        _fail(f"--out {out}: give an .html file name")
    if excel is not None and excel.suffix.lower() != ".xlsx":
        _fail(f"--excel {excel}: give an .xlsx file name")
    try:
        ids = figure_ids(result_dirs)
    except ResultDirError as exc:
        _fail(str(exc))
    targets = [out] + ([excel] if excel is not None else [])
    if figures is not None:
        if figures.exists() and not figures.is_dir():
            _fail(f"--figures {figures} exists and is not a directory")
        targets += [figures / f"{i}.{ext}" for i in ids for ext in ("png", "svg")]
    existing = [str(p) for p in targets if p.exists()]
    if existing and not force:
        shown = ", ".join(existing[:4]) + (f" and {len(existing) - 4} more"
                                           if len(existing) > 4 else "")
        _fail(f"{shown} already exist(s); use --force to overwrite")
    try:
        paths = build_report(result_dirs, out, excel=excel, figures_dir=figures)
    except ResultDirError as exc:
        _fail(str(exc))
    shown: dict[str, Path] = {"html": paths["html"]}
    if "excel" in paths:
        shown["excel"] = paths["excel"]
    if figures is not None:
        shown["figures"] = figures
        n = sum(1 for k in paths if k.endswith(".png"))
        err_console.print(f"{n} figures written as PNG and SVG", highlight=False)
    final_line(shown, label="report")
