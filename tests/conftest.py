"""Shared fixtures: paths to the bundled examples and small systems built in Python."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
TOY = ROOT / "examples" / "toy"


@pytest.fixture
def toy_dir(tmp_path: Path) -> Path:
    """A private copy of examples/toy that a test may edit."""
    dst = tmp_path / "toy"
    shutil.copytree(TOY, dst, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return dst


def hours(year: int = 2025) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", periods=8760, freq="h", name="timestamp")


def constant(value: float, year: int = 2025) -> pd.Series:
    return pd.Series(np.full(8760, float(value)), index=hours(year))
