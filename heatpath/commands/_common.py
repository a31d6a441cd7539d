"""Shared helpers of the CLI commands: clean errors, output-directory safety, consoles."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code`` (2 bad input, 3 infeasible)."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def check_out_dir(out: Path, files: Iterable[str], force: bool) -> None:
    """Refuse to overwrite existing outputs in ``out`` unless ``force``."""
    existing = [f for f in files if (out / f).exists()]
    if existing and not force:
        fail(f"{out} already holds {', '.join(existing)}; use --force to overwrite them")


def check_out_file(path: Path, force: bool) -> None:
    """Refuse to overwrite an existing output file unless ``force``."""
    if path.exists() and not force:
        fail(f"{path} exists; use --force to overwrite it")
