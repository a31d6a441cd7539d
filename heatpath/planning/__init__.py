"""Planning: runs of several scenarios and what they add up to.

* :func:`compare_scenarios` (:mod:`heatpath.planning.compare`) — run scenarios with the EED
  Art. 26 criteria of their year enforced and tabulate heat, shares, GHG, costs and the
  appraisal against the reference of the same year.
"""

from heatpath.planning.compare import compare_scenarios, input_hash

__all__ = ["compare_scenarios", "input_hash"]

# sensitivity sweeps (heatpath.planning.sweep, docs/sweep.md)
from heatpath.planning.sweep import SweepResult, run_sweep  # noqa: E402

__all__ += ["SweepResult", "run_sweep"]

# investment pathways (heatpath.planning.pathway, docs/planning.md)
from heatpath.planning.pathway import Plan, plan  # noqa: E402

__all__ += ["Plan", "plan"]
