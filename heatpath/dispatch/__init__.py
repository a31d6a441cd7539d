"""Hourly dispatch: a linopy LP built from the system, solved by HiGHS.

``solve(system)`` optimises one year; ``run_scenario(system)`` adds the EED Art. 26
treatment the scenario asks for (``[eed]``) and the ``eed`` block of ``summary.json``.
"""

from heatpath.dispatch.build import DispatchModel, build
from heatpath.dispatch.result import DispatchResult
from heatpath.dispatch.scenario import run_scenario
from heatpath.dispatch.solve import diagnose, solve

__all__ = ["DispatchModel", "DispatchResult", "build", "diagnose", "run_scenario", "solve"]
