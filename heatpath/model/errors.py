"""Errors raised for bad scenario input.

Every error names the file, the field and the offending value so that a user can fix the
input without reading a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError


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


def validation_error(
    exc: ValidationError,
    *,
    file: str | Path | None,
    prefix: Sequence[str] = (),
    kinds: Sequence[str] = (),
    suggest: Sequence[str] | None = None,
    cls: type[ScenarioError] = ScenarioError,
) -> ScenarioError:
    """Turn a pydantic ``ValidationError`` into a :class:`ScenarioError` on its first problem.

    A misspelt field shows in pydantic as "extra" plus "missing"; the misspelling is reported
    first, with the closest known name. The field is written as the user wrote it
    (``units[3].cop``): list indices in brackets, discriminated-union tags left out.

    Parameters
    ----------
    exc : pydantic.ValidationError
        The error raised by ``model_validate``.
    file : str or Path or None
        The file being read (named in the message).
    prefix : sequence of str
        Field path above the validated object (e.g. ``("planning",)``).
    kinds : sequence of str
        Tags of a discriminated union (unit kinds): left out of the field path, and listed
        when a tag is unknown or missing.
    suggest : sequence of str, optional
        Field names to suggest for an unknown field; default: the fields reported missing.
    cls : type
        The error class to return (a :class:`ScenarioError`).
    """
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    err = errors[0]
    loc = list(err["loc"])
    parts = list(prefix)
    for i, p in enumerate(loc):
        if isinstance(p, int):
            parts[-1:] = [f"{parts[-1]}[{p}]" if parts else f"[{p}]"]
        elif p in kinds and (i == 0 or isinstance(loc[i - 1], int)):
            continue  # the union's tag: units.3.heat_pump.cop -> units[3].cop
        else:
            parts.append(str(p))
    field = ".".join(parts)
    msg = str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    if err["type"] == "union_tag_invalid":
        msg = f"unknown unit kind; known kinds: {', '.join(kinds)}"
        value = (err.get("ctx") or {}).get("tag", value)
        field = f"{field}.kind" if field else "kind"
    elif err["type"] == "union_tag_not_found":
        msg = f"missing 'kind'; known kinds: {', '.join(kinds)}"
    elif err["type"] == "extra_forbidden":
        candidates = suggest if suggest is not None else [
            str(e["loc"][-1]) for e in errors if e["type"] == "missing"]
        close = difflib.get_close_matches(str(loc[-1]), list(candidates), n=1)
        msg = f"unknown field; did you mean '{close[0]}'?" if close else "unknown field"
    elif err["type"] == "missing":
        msg, value = "required field is missing", None
    if isinstance(value, dict):
        value = None
    return cls(msg, file=file, field=field or None, value=value)


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
