"""Errors raised for bad scenario input.

Every error names the file, the field and the offending value so that a user can fix the
input without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class ScenarioError(ValueError):
    """A scenario file or time series is invalid.

    Parameters
    ----------
    message : str
        What is wrong and, where possible, how to fix it.
    file : str or Path, optional
        The file the problem was found in.
    field : str, optional
        Dotted path of the field (e.g. ``units[2].capacity_mw``).
    value : Any, optional
        The offending value.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        field: str | None = None,
        value: Any = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.field = field
        self.value = value
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ": ".join(where)
        text = f"{prefix}: {self.message}" if prefix else self.message
        if self.value is not None:
            shown = repr(self.value)
            if len(shown) > 120:
                shown = shown[:117] + "..."
            text += f" (got {shown})"
        return text


class InfeasibleError(RuntimeError):
    """The dispatch model has no feasible solution.

    Attributes
    ----------
    violations : list of str
        Human-readable list of requirements that could not be met, e.g. the hours in which
        demand could not be covered or the share target that was missed and by how much.
    """

    def __init__(self, message: str, violations: list[str]) -> None:
        self.violations = violations
        super().__init__(message + ("\n  - " + "\n  - ".join(violations) if violations else ""))
