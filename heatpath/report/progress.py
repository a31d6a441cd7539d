"""Progress display for long commands: a thin wrapper around :mod:`rich.progress`.

``track`` shows a progress bar on an interactive terminal and is silent otherwise (pipes,
CI logs, Jupyter output captured to files) or when ``enabled=False``. ``final_line`` prints
where a command wrote its outputs.

Examples
--------
>>> from heatpath.report.progress import track, final_line
>>> for scenario in track(scenarios, "optimising"):   # doctest: +SKIP
...     run(scenario)
>>> with track(None, "writing report", total=3) as step:  # doctest: +SKIP
...     step("figures"); step("html"); step("excel")
>>> final_line({"html": Path("report.html")})         # doctest: +SKIP
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

T = TypeVar("T")

#: Environment variable that disables every progress bar when set to 1/true/yes.
DISABLE_ENV = "HEATPATH_NO_PROGRESS"


def progress_enabled(console: Console | None = None, enabled: bool | None = None) -> bool:
    """Whether a progress bar should be drawn.

    ``enabled`` forces the answer when not None; otherwise bars are drawn only on an
    interactive terminal and when ``HEATPATH_NO_PROGRESS`` is not set.
    """
    if enabled is not None:
        return bool(enabled)
    if os.environ.get(DISABLE_ENV, "").strip().lower() in ("1", "true", "yes"):
        return False
    c = console or Console(stderr=True)
    return bool(c.is_terminal and not c.is_dumb_terminal)


def _make_progress(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[step]}"),
        console=console,
        transient=True,
    )


class track:  # noqa: N801 - used like a function
    """Progress over an iterable, or a manual step counter as a context manager.

    Parameters
    ----------
    iterable : iterable or None
        Items to iterate over. ``None`` for manual use as a context manager.
    description : str
        Text left of the bar.
    total : int, optional
        Number of items/steps; taken from ``len(iterable)`` when possible.
    enabled : bool, optional
        Force the bar on (True) or off (False); default: only on a terminal.
    console : rich Console, optional
        Where to draw; default stderr.

    Iterating ``track(items, "...")`` yields the items. As a context manager it yields a
    ``step(label="")`` callable that advances the bar by one and shows ``label``.
    """

    def __init__(self, iterable: Iterable[T] | None = None, description: str = "working",
                 total: int | None = None, *, enabled: bool | None = None,
                 console: Console | None = None) -> None:
        self.iterable = iterable
        self.description = description
        if total is None and iterable is not None and hasattr(iterable, "__len__"):
            total = len(iterable)  # type: ignore[arg-type]
        self.total = total
        self.console = console or Console(stderr=True)
        self.enabled = progress_enabled(self.console, enabled)
        self._progress: Progress | None = None
        self._task: Any = None

    # -- context-manager use ------------------------------------------------------------
    def __enter__(self) -> Callable[[str], None]:
        if self.enabled:
            self._progress = _make_progress(self.console)
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=self.total, step="")
        return self.step

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def step(self, label: str = "") -> None:
        """Advance by one and show ``label`` (no-op when disabled)."""
        if self._progress is not None:
            self._progress.update(self._task, advance=1, step=label)

    # -- iterator use ---------------------------------------------------------------------
    def __iter__(self) -> Iterator[T]:
        if self.iterable is None:
            raise TypeError("track(None, ...) is a context manager; pass an iterable to iterate")
        if not self.enabled:
            yield from self.iterable
            return
        with self:
            for item in self.iterable:
                yield item
                self.step()


def final_line(paths: Mapping[str, Path | str] | Sequence[Path | str] | Path | str, *,
               console: Console | None = None, label: str = "outputs") -> str:
    """Print (to stdout) and return one line naming where the outputs are.

    ``paths`` may be a mapping (its values are listed), a sequence or a single path. Paths
    inside the current directory are shown relative to it.
    """
    if isinstance(paths, (str, Path)):
        items = [paths]
    elif isinstance(paths, Mapping):
        items = list(paths.values())
    else:
        items = list(paths)
    shown = []
    cwd = Path.cwd()
    for p in items:
        p = Path(p)
        try:
            shown.append(str(p.resolve().relative_to(cwd)))
        except ValueError:
            shown.append(str(p))
    line = f"{label}: {', '.join(shown)}" if shown else f"{label}: none"
    (console or Console(file=sys.stdout, highlight=False, soft_wrap=True)).print(
        line, highlight=False, soft_wrap=True, markup=False)
    return line
