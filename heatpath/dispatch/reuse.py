"""Re-solve a built model with new prices or bounds, warm-started, without rebuilding.

Sensitivity sweeps (many price scenarios on the same system) and rolling horizons (the same
window model with new data) change only cost coefficients, bounds, right-hand sides and a
few matrix coefficients. Building a linopy model costs about a second even for a 48 h window;
HiGHS re-solves it in milliseconds. :class:`FastLP` therefore hands a linopy model's matrices
to HiGHS once, keeps the column and row position of every variable and constraint element
(by name), and from then on only changes column bounds and costs (``changeColsBounds``,
``changeColsCost``), row bounds (``changeRowsBounds``) and single matrix coefficients
(``changeCoeff``) before calling ``run`` again. HiGHS keeps its basis between runs, so each
solve starts from the previous optimum (warm start), which for a change of costs is
typically several times faster than a cold solve.

:class:`FastLP` works on numpy arrays of positions (the operator's window model);
:class:`ReusableModel` wraps it for a :class:`~heatpath.dispatch.build.DispatchModel` with
an xarray interface (sweeps).

Example
-------
>>> rm = ReusableModel(build(system, fractions))               # doctest: +SKIP
>>> rm.solve().objective                                        # doctest: +SKIP
>>> rm.update_costs(modified_system)                            # new prices
>>> rm.solve().objective                                        # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import highspy
import linopy
import numpy as np
import xarray as xr

from heatpath.dispatch.build import DispatchModel, objective_coefficients
from heatpath.dispatch.solve import quiet_stdout, solver_options_for
from heatpath.model.schema import System


class FastLP:
    """The HiGHS copy of a linopy model, with positions by name.

    Parameters
    ----------
    model : linopy.Model
        Built model (not necessarily solved).
    options : dict
        HiGHS options.
    """

    def __init__(self, model: linopy.Model, options: dict[str, Any]) -> None:
        M = model.matrices
        if not np.all(M.var_scaling == 1.0):
            raise ValueError("FastLP needs an unscaled linopy model")
        self.model = model
        self.options = dict(options)
        self.n_cols = len(M.vlabels)
        self.lb = np.asarray(M.lb, dtype=float).copy()
        self.ub = np.asarray(M.ub, dtype=float).copy()
        self.c = np.asarray(M.c, dtype=float).copy()
        A = M.A.tocsr()
        self.n_rows = A.shape[0]
        self.rlo = np.where(M.sense != "<", M.b, -np.inf).astype(float)
        self.rup = np.where(M.sense != ">", M.b, np.inf).astype(float)
        self._vpos = model.variables.label_index.label_to_pos
        self._cpos = model.constraints.label_index.label_to_pos
        h = highspy.Highs()
        with quiet_stdout(True):
            h.setOptionValue("output_flag", False)
        for k, v in options.items():
            h.setOptionValue(k, v)
        h.addVars(self.n_cols, self.lb, self.ub)
        ints = np.flatnonzero((M.vtypes == "B") | (M.vtypes == "I")).astype(np.int32)
        self.mip = len(ints) > 0
        if self.mip:
            h.changeColsIntegrality(len(ints), ints, np.ones(len(ints), dtype=np.uint8))
        self._all_cols = np.arange(self.n_cols, dtype=np.int32)
        self._all_rows = np.arange(self.n_rows, dtype=np.int32)
        h.changeColsCost(self.n_cols, self._all_cols, self.c)
        h.addRows(self.n_rows, self.rlo, self.rup, A.nnz, A.indptr.astype(np.int32),
                  A.indices.astype(np.int32), A.data)
        self.h = h
        self.x = np.zeros(self.n_cols)
        self.row_dual = np.zeros(self.n_rows)
        self.objective = float("nan")

    # ---- positions ---------------------------------------------------------------------
    @staticmethod
    def _positions(labels: xr.DataArray, pos: np.ndarray, dims: tuple[str, ...] | None
                   ) -> np.ndarray:
        if dims is not None:
            labels = labels.transpose(*dims)
        lab = np.asarray(labels.values)
        return np.where(lab >= 0, pos[np.maximum(lab, 0)], -1)

    def cols(self, name: str, dims: tuple[str, ...] | None = None) -> np.ndarray:
        """Column positions of variable ``name`` (array with the variable's dimensions,
        transposed to ``dims`` when given; -1 where the variable is masked)."""
        return self._positions(self.model.variables[name].labels, self._vpos, dims)

    def rows(self, name: str, dims: tuple[str, ...] | None = None) -> np.ndarray:
        """Row positions of constraint ``name`` (as :meth:`cols`)."""
        return self._positions(self.model.constraints[name].labels, self._cpos, dims)

    def has(self, name: str) -> bool:
        """True if the model has a variable or constraint called ``name``."""
        return name in self.model.variables or name in self.model.constraints

    # ---- changes -----------------------------------------------------------------------
    def set_coeffs(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        """Change matrix coefficients (row, col) -> value (one call per coefficient)."""
        h = self.h
        for r, c, v in zip(rows.ravel().tolist(), cols.ravel().tolist(),
                           values.ravel().tolist(), strict=True):
            h.changeCoeff(r, c, v)

    def push(self) -> None:
        """Send the current bounds, costs and row bounds to HiGHS."""
        h = self.h
        h.changeColsBounds(self.n_cols, self._all_cols, self.lb, self.ub)
        h.changeColsCost(self.n_cols, self._all_cols, self.c)
        h.changeRowsBounds(self.n_rows, self._all_rows, self.rlo, self.rup)

    def solve(self) -> str:
        """Push the changes, run HiGHS and read the solution.

        Returns
        -------
        str
            HiGHS model status text (``"Optimal"`` when solved).
        """
        self.push()
        h = self.h
        h.run()
        status = h.getModelStatus()
        text = h.modelStatusToString(status)
        if status == highspy.HighsModelStatus.kOptimal or (
                self.mip and h.getInfo().primal_solution_status == 2):
            sol = h.getSolution()
            self.x = np.asarray(sol.col_value, dtype=float)
            if not self.mip:
                self.row_dual = np.asarray(sol.row_dual, dtype=float)
            self.objective = float(h.getInfo().objective_function_value)
            return "Optimal" if status == highspy.HighsModelStatus.kOptimal else text
        return text


@dataclass(frozen=True)
class ReSolve:
    """Outcome of :meth:`ReusableModel.solve`: status text and objective, EUR."""

    status: str
    objective: float
    simplex_iterations: int


class ReusableModel:
    """A dispatch model living in HiGHS, updatable in place.

    Its :class:`FastLP` (``lp``) holds the HiGHS problem and the positions; the ``set_*``
    methods change HiGHS directly (not ``lp``'s arrays, so ``lp.push`` is not for use here).

    Parameters
    ----------
    dm : DispatchModel
        A model from :func:`heatpath.dispatch.build.build` (LP mode).
    """

    def __init__(self, dm: DispatchModel) -> None:
        self.dm = dm
        self.lp = FastLP(dm.model, solver_options_for(dm.system))
        self.h: highspy.Highs = self.lp.h
        self.objective_constant = float(getattr(dm.model.objective.expression, "const", 0.0)
                                        or 0.0)

    # ---- label maps ---------------------------------------------------------------------
    def columns(self, variable: str) -> xr.DataArray:
        """HiGHS column index of every element of a linopy variable (-1 where masked)."""
        return self.dm.model.variables[variable].labels.copy(data=self.lp.cols(variable))

    def rows(self, constraint: str) -> xr.DataArray:
        """HiGHS row index of every element of a linopy constraint (-1 where masked)."""
        return self.dm.model.constraints[constraint].labels.copy(
            data=self.lp.rows(constraint))

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
        with quiet_stdout(not self.lp.options.get("output_flag")):
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
