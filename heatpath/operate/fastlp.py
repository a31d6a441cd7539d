"""A linopy model handed to HiGHS once, then modified in place and re-solved.

Building a linopy model costs about a second even for a 48 h window; HiGHS solves such a
window in milliseconds. :class:`FastLP` therefore builds the ``highspy.Highs`` problem from
the linopy model's matrices once, keeps the column and row positions of every variable and
constraint (by name and coordinates), and from then on only changes column bounds and costs
(``changeColsBounds``, ``changeColsCost``), row bounds (``changeRowsBounds``) and single
matrix coefficients (``changeCoeff``) before calling ``run`` again. HiGHS keeps its basis
between runs, so each window starts from the previous optimum (warm start).
"""

from __future__ import annotations

from typing import Any

import highspy
import linopy
import numpy as np

from heatpath.dispatch.solve import quiet_stdout


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
        self.A = A
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
    def cols(self, name: str, dims: tuple[str, ...] | None = None) -> np.ndarray:
        """Column positions of variable ``name`` (array with the variable's dimensions,
        transposed to ``dims`` when given; -1 where the variable is masked)."""
        labels = self.model.variables[name].labels
        if dims is not None:
            labels = labels.transpose(*dims)
        lab = np.asarray(labels.values)
        return np.where(lab >= 0, self._vpos[np.maximum(lab, 0)], -1)

    def rows(self, name: str, dims: tuple[str, ...] | None = None) -> np.ndarray:
        """Row positions of constraint ``name`` (as :meth:`cols`)."""
        labels = self.model.constraints[name].labels
        if dims is not None:
            labels = labels.transpose(*dims)
        lab = np.asarray(labels.values)
        return np.where(lab >= 0, self._cpos[np.maximum(lab, 0)], -1)

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
