"""``build_report``: result directories -> one offline HTML file (+ Excel, + PNG/SVG)."""

from __future__ import annotations

from pathlib import Path

from heatpath.report.figures import build_figures
from heatpath.report.load import collect


def build_report(result_dirs: list[Path], out_html: Path, *, excel: Path | None = None,
                 figures_dir: Path | None = None, progress: bool | None = None
                 ) -> dict[str, Path]:
    """Build the report of one or more result directories.

    Parameters
    ----------
    result_dirs : list of Path
        Result directories of ``heatpath run`` (``summary.json`` + ``dispatch.csv``, and
        ``finance.json`` / ``cashflow.csv`` when present) or compare directories
        (``comparison.csv`` plus result directories inside).
    out_html : Path
        The HTML file to write: self-contained, plotly.js embedded once, opens offline.
    excel : Path, optional
        Also write an Excel workbook (:mod:`heatpath.report.excel`).
    figures_dir : Path, optional
        Also write every figure as ``<id>.png`` and ``<id>.svg`` (matplotlib, no browser).
    progress : bool, optional
        Show a progress bar (default: only on an interactive terminal).

    Returns
    -------
    dict
        ``{"html": ..., "excel": ..., "<figure id>.png": ..., "<figure id>.svg": ...}``
        (only the outputs written). Existing files are overwritten; the command line
        refuses to do so without ``--force``.

    Raises
    ------
    heatpath.report.load.ResultDirError
        When a directory is not a result or compare directory.
    """
    from heatpath.report.html import render_html
    from heatpath.report.progress import track

    inp = collect([Path(p) for p in result_dirs])
    figs = build_figures(inp.results)
    total = len(figs) * (2 if figures_dir is not None else 1) + 1 + (excel is not None)
    out: dict[str, Path] = {}
    with track(None, "building report", total=total, enabled=progress) as step:
        page = render_html(inp, figs, step=step)
        out_html = Path(out_html)
        out_html.parent.mkdir(parents=True, exist_ok=True)
        out_html.write_text(page, encoding="utf-8")
        out["html"] = out_html
        step("html written")
        if excel is not None:
            from heatpath.report.excel import write_excel

            out["excel"] = write_excel(inp, Path(excel))
            step("excel written")
        if figures_dir is not None:
            from heatpath.report.render_mpl import save_static

            for f in figs:
                out.update(save_static(f, Path(figures_dir)))
                step(f"{f.id}.png/.svg")
    return out


def figure_ids(result_dirs: list[Path]) -> list[str]:
    """Ids of the figures a report of ``result_dirs`` contains (in order)."""
    return [f.id for f in build_figures(collect([Path(p) for p in result_dirs]).results)]
