"""Re-solve a built dispatch model with new prices or bounds, warm-started, without rebuilding.

Sensitivity sweeps (many price scenarios on the same system) and rolling horizons (the same
window model with new data) change only cost coefficients, bounds and right-hand sides. A
:class:`ReusableModel` hands the linopy model to HiGHS once (``to_highspy``), keeps the map
between linopy labels and HiGHS columns/rows, and afterwards changes only those numbers;
HiGHS then restarts from the previous optimal basis (warm start), which for a change of
costs is typically several times faster than a cold solve.

Example
-------
>>> rm = ReusableModel(build(system, fractions))               # doctest: +SKIP
>>> rm.solve().objective                                        # doctest: +SKIP
>>> rm.update_costs(modified_system)                            # new prices
>>> rm.solve().objective                                        # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import xarray as xr

from heatpath.dispatch.build import DispatchModel, objective_coefficients
from heatpath.dispatch.solve import quiet_stdout, solver_options_for
from heatpath.model.schema import System


@dataclass(frozen=True)
class ReSolve:
    """Outcome of :meth:`ReusableModel.solve`: status text and objective, EUR."""

    status: str
    objective: float
    simplex_iterations: int


class ReusableModel:
    """A dispatch model living in HiGHS, updatable in place.

    Parameters
    ----------
    dm : DispatchModel
        A model from :func:`heatpath.dispatch.build.build` (LP mode).
    """

    def __init__(self, dm: DispatchModel) -> None:
        self.dm = dm
        opts = solver_options_for(dm.system)
        with quiet_stdout(not opts.get("output_flag")):
            self.h: highspy.Highs = dm.model.to_highspy()
            for key, value in opts.items():
                self.h.setOptionValue(key, value)
        matrices = dm.model.matrices
        self._vlabels = np.asarray(matrices.vlabels)
        self._clabels = np.asarray(matrices.clabels)
        self._v_sorted = bool(np.all(np.diff(self._vlabels) > 0))
        self._c_sorted = bool(np.all(np.diff(self._clabels) > 0))
        self.objective_constant = float(getattr(dm.model.objective.expression, "const", 0.0)
                                        or 0.0)

    # ---- label maps ---------------------------------------------------------------------
    @staticmethod
    def _positions(labels: np.ndarray, all_labels: np.ndarray, is_sorted: bool) -> np.ndarray:
        flat = labels.ravel()
        if is_sorted:
            pos = np.searchsorted(all_labels, flat)
        else:
            order = np.argsort(all_labels)
            pos = order[np.searchsorted(all_labels[order], flat)]
        ok = (flat >= 0) & (pos < len(all_labels))
        ok[ok] = all_labels[pos[ok]] == flat[ok]
        pos = np.where(ok, pos, -1)
        return pos.reshape(labels.shape)

    def columns(self, variable: str) -> xr.DataArray:
        """HiGHS column index of every element of a linopy variable (-1 where masked)."""
        labels = self.dm.model.variables[variable].labels
        return labels.copy(data=self._positions(labels.values, self._vlabels, self._v_sorted))

    def rows(self, constraint: str) -> xr.DataArray:
        """HiGHS row index of every element of a linopy constraint (-1 where masked)."""
        labels = self.dm.model.constraints[constraint].labels
        return labels.copy(data=self._positions(labels.values, self._clabels, self._c_sorted))

    # ---- updates ------------------------------------------------------------------------
    def set_costs(self, variable: str, costs: xr.DataArray | float) -> None:
        """Set the objective coefficients of a variable (broadcast like the variable)."""
        cols = self.columns(variable)
        values = xr.broadcast(xr.DataArray(costs) if np.isscalar(costs) else costs, cols)[0]
        values = values.transpose(*cols.dims)
        idx = cols.values.ravel()
        ok = idx >= 0
        self.h.changeColsCost(int(ok.sum()), idx[ok].astype(np.int32),
                              np.asarray(values.values, float).ravel()[ok])

    def set_bounds(self, variable: str, lower: xr.DataArray | float,
                   upper: xr.DataArray | float) -> None:
        """Set the bounds of a variable (broadcast like the variable)."""
        cols = self.columns(variable)
        lo = xr.broadcast(xr.DataArray(lower), cols)[0].transpose(*cols.dims)
        up = xr.broadcast(xr.DataArray(upper), cols)[0].transpose(*cols.dims)
        idx = cols.values.ravel()
        ok = idx >= 0
        self.h.changeColsBounds(int(ok.sum()), idx[ok].astype(np.int32),
                                np.asarray(lo.values, float).ravel()[ok],
                                np.asarray(up.values, float).ravel()[ok])

    def set_rhs(self, constraint: str, rhs: xr.DataArray | float) -> None:
        """Set the right-hand side of a constraint (keeping its sense)."""
        con = self.dm.model.constraints[constraint]
        rows = self.rows(constraint)
        b = xr.broadcast(xr.DataArray(rhs), rows)[0].transpose(*rows.dims)
        sign = np.asarray(con.sign.values).ravel() if con.sign.ndim else np.full(
            rows.size, con.sign.item())
        idx = rows.values.ravel()
        ok = idx >= 0
        vals = np.asarray(b.values, float).ravel()
        lower = np.where(np.isin(sign, ["<", "<="]), -np.inf, vals)
        upper = np.where(np.isin(sign, [">", ">="]), np.inf, vals)
        self.h.changeRowsBounds(int(ok.sum()), idx[ok].astype(np.int32), lower[ok], upper[ok])

    def update_costs(self, system: System) -> None:
        """Replace every price-dependent objective coefficient with those of ``system``.

        ``system`` must have the same units, storages and snapshots as the built one and be
        prepared (:func:`heatpath.dispatch.solve.prepare`); only prices, costs, efficiencies
        entering the objective may differ.
        """
        for name, coef in objective_coefficients(system).items():
            if name in self.dm.model.variables:
                self.set_costs(name, coef)

    # ---- solving ------------------------------------------------------------------------
    def solve(self) -> ReSolve:
        """Re-run HiGHS from the current basis; return status and objective (EUR)."""
        opts = solver_options_for(self.dm.system)
        with quiet_stdout(not opts.get("output_flag")):
            self.h.run()
        status = self.h.modelStatusToString(self.h.getModelStatus())
        info = self.h.getInfo()
        return ReSolve(status, float(info.objective_function_value) + self.objective_constant,
                       int(info.simplex_iteration_count))

    def values(self, variable: str) -> xr.DataArray:
        """Primal values of a variable after :meth:`solve` (NaN where masked)."""
        cols = self.columns(variable)
        x = np.asarray(self.h.getSolution().col_value)
        idx = cols.values
        out = np.where(idx >= 0, x[np.clip(idx, 0, None)], np.nan)
        return cols.copy(data=out)

    def duals(self, constraint: str) -> xr.DataArray:
        """Dual values (row prices) of a constraint after :meth:`solve`."""
        rows = self.rows(constraint)
        y = np.asarray(self.h.getSolution().row_dual)
        idx = rows.values
        out = np.where(idx >= 0, y[np.clip(idx, 0, None)], np.nan)
        return rows.copy(data=out)
