"""``heatpath report``: the command lives in :mod:`heatpath.report.commands`."""

from heatpath.report.commands import report_command

__all__ = ["report_command"]
