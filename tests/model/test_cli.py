"""The `run` and `assess` commands: outputs, overwrite protection, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from heatpath.cli import app

runner = CliRunner()


def test_run_writes_outputs_and_refuses_to_overwrite(toy_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = runner.invoke(app, ["run", str(toy_dir / "toy.toml"), "--out", str(out), "--report"])
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text())
    for key in ("scenario", "year", "status", "objective_eur", "heat_mwh",
                "heat_into_network_mwh", "heat_delivered_mwh", "shares", "timings_s", "eed"):
        assert key in summary
    assert set(summary["timings_s"]) >= {"build", "solve", "total"}
    assert (out / "dispatch.csv").is_file() and (out / "report.html").is_file()
    before = (out / "summary.json").read_text()
    again = runner.invoke(app, ["run", str(toy_dir / "toy.toml"), "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    assert (out / "summary.json").read_text() == before  # nothing overwritten
    assessed = runner.invoke(app, ["assess", str(out)])
    assert assessed.exit_code == 0 and "2028.res5_combined50" in assessed.output


def test_run_bad_input_is_one_clear_line(toy_dir: Path, tmp_path: Path) -> None:
    toml = toy_dir / "toy.toml"
    toml.write_text(toml.read_text().replace('kind = "heat_pump"', 'kind = "fusion"'))
    r = runner.invoke(app, ["run", str(toml), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "units[2].kind" in r.output and "fusion" in r.output
    assert "Traceback" not in r.output
