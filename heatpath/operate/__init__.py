"""Operator mode: rolling-horizon dispatch through a year with forecasts and EED tracking.

District heating operators optimise 24-48 h ahead, yet the Art. 26 EED shares are annual: a
year of locally cost-optimal days can miss them. ``rolling_horizon`` simulates that operation
- plan a window on forecasts, commit its first hours against realised data, carry the state
- under three strategies (``none``, ``pro-rata``, ``tracking`` of a seasonal target
trajectory) and reports the realised year, its EED assessment, the cost gap to the
perfect-foresight optimum and the hourly trajectory of every requirement.

Reference: ``docs/operate.md``.
"""

from heatpath.operate.forecast import FORECASTS, Forecaster, NoiseModel
from heatpath.operate.plan import SeasonalPlan, seasonal_plan
from heatpath.operate.result import OUTPUT_FILES, OperateResult
from heatpath.operate.rolling import STRATEGIES, rolling_horizon
from heatpath.operate.targets import Target

__all__ = [
    "FORECASTS", "OUTPUT_FILES", "STRATEGIES", "Forecaster", "NoiseModel", "OperateResult",
    "SeasonalPlan", "Target", "rolling_horizon", "seasonal_plan",
]
