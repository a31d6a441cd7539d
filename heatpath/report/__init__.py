"""Reports of dispatch/planning results: one offline HTML file, an Excel workbook and
static PNG/SVG figures.

``build_report(result_dirs, out_html, excel=..., figures_dir=...)`` reads result directories
written by ``heatpath run`` (``summary.json``, ``dispatch.csv``; ``finance.json`` and
``cashflow.csv`` when present; ``comparison.csv`` of compare directories) and renders the
figures described in ``docs/report.md``. :mod:`heatpath.report.progress` offers a progress
bar (``track``) and ``final_line`` to the other commands.
"""

from heatpath.report.build import build_report, figure_ids
from heatpath.report.load import Result, ResultDirError, collect, load_result
from heatpath.report.progress import final_line, track

__all__ = ["Result", "ResultDirError", "build_report", "collect", "figure_ids", "final_line",
           "load_result", "track"]
