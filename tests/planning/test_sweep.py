"""Sensitivity sweeps: spec validation, sampling, reuse = rebuild, Dask fault tolerance,
resume, determinism, EED enforcement, weather years, the command and the 200-sample toy run."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from heatpath.planning.sweep import local_client, run_sweep
from heatpath.planning.sweep_eval import (
    SweepJob,
    apply_sample,
    clear_cache,
    evaluate_sample,
    load_variant,
    transform_prices,
)
from heatpath.planning.sweep_spec import (
    SweepSpecError,
    check_against,
    design,
    load_sweep_spec,
    parse_sweep_spec,
)
from tests.conftest import TOY

SCENARIO = TOY / "toy.toml"
REFERENCE = TOY / "toy_reference.toml"

SMALL = {
    "method": "both",
    "n_samples": 6,
    "seed": 7,
    "investments": [{"name": "air_hp", "technology": "ashp", "size": 20.0}],
    "parameters": {
        "el": {"target": "electricity.level", "distribution": "triangular", "low": 0.8,
               "mode": 1.0, "high": 1.3},
        "vol": {"target": "electricity.volatility", "low": 0.5, "high": 1.5},
        "gas": {"target": "fuel.natural_gas.level", "distribution": "lognormal",
                "median": 1.0, "sigma": 0.15},
        "hp_capex": {"target": "capex.air_hp", "low": 0.8, "high": 1.3},
        "rate": {"target": "discount_rate", "low": 0.06, "high": 0.12, "base": 0.10},
        "demand": {"target": "demand", "distribution": "normal", "mean": 1.0, "sd": 0.03,
                   "low": 0.9, "high": 1.1},
    },
}


def small_spec(**changes) -> object:
    raw = json.loads(json.dumps(SMALL))
    raw.update(changes)
    return parse_sweep_spec(raw, TOY / "sweep.toml")


@pytest.fixture(autouse=True)
def _free_models():
    yield
    clear_cache()


# --------------------------------------------------------------------------- specification


def test_bundled_specs_are_valid() -> None:
    spec = load_sweep_spec(TOY / "sweep.toml")
    assert spec.n_samples == 200 and spec.reference == "toy_reference.toml"
    from heatpath.model import load_scenario

    check_against(spec, load_scenario(SCENARIO), load_scenario(REFERENCE))
    bucharest = Path(__file__).resolve().parents[2] / "examples" / "bucharest" / "sweep.toml"
    assert load_sweep_spec(bucharest).parameters


@pytest.mark.parametrize(("change", "field", "text"), [
    ({"n_sample": 5}, "n_sample", "did you mean 'n_samples'"),
    ({"method": "grid"}, "method", "'oat', 'mc' or 'both'"),
    ({"parameters": {"x": {"target": "electricity.mean", "low": 0, "high": 1}}},
     "parameters.x", "unknown target"),
    ({"parameters": {"x": {"target": "demand", "distribution": "normal", "mean": 1.0}}},
     "parameters.x", "needs mean, sd; missing sd"),
    ({"parameters": {"x": {"target": "demand", "low": 1.2, "high": 1.1}}},
     "parameters.x", "low (1.2) must be below high (1.1)"),
    ({"parameters": {"x": {"target": "demand", "low": 0.9, "high": 1.1, "mode": 1.0}}},
     "parameters.x", "mode is not a parameter of a uniform"),
    ({"finance": {"discount_rat": 0.1}}, None, "did you mean 'discount_rate'"),
    ({"weather_years": ["nowhere.csv"]}, "weather_years[0]", "not found"),
])
def test_spec_errors_name_file_field_value(change, field, text) -> None:
    with pytest.raises(SweepSpecError) as err:
        small_spec(**change)
    msg = str(err.value)
    assert "sweep.toml" in msg and text in msg
    if field:
        assert f"field '{field}" in msg


def test_spec_checked_against_scenario(tmp_path: Path) -> None:
    from heatpath.model import load_scenario

    spec = small_spec(parameters={"rdf": {"target": "fuel.rdf.level", "low": 0.5,
                                          "high": 1.5}})
    with pytest.raises(SweepSpecError, match="no price for fuel 'rdf'"):
        check_against(spec, load_scenario(SCENARIO))
    bad = tmp_path / "bad.toml"
    bad.write_text("n_samples = 'many'\n")
    with pytest.raises(SweepSpecError, match=r"bad.toml: field 'n_samples'.*'many'"):
        load_sweep_spec(bad)


def test_capex_by_name_technology_and_all() -> None:
    from heatpath.model import load_scenario
    from heatpath.planning.sweep_eval import capex_factor

    assert capex_factor({"ashp": 1.2, "all": 1.1}, "air_hp", "ashp") == pytest.approx(1.32)
    assert capex_factor({"air_hp": 0.9}, "air_hp", None) == pytest.approx(0.9)
    assert capex_factor({"ashp": 1.2}, "gas_boiler", "gas_boiler") == 1.0
    # 'ashp' is the catalogue technology of the spec's [[investments]] item
    spec = small_spec(parameters={"c": {"target": "capex.ashp", "low": 0.8, "high": 1.2}})
    check_against(spec, load_scenario(SCENARIO))


# --------------------------------------------------------------------------- sampling


def test_design_is_reproducible_and_stratified() -> None:
    spec = small_spec(n_samples=50)
    a, b = design(spec), design(spec)
    pd.testing.assert_frame_equal(a, b)
    assert not design(small_spec(n_samples=50, seed=8)).equals(a)
    assert list(a["kind"].value_counts().sort_index().items()) == [
        ("base", 1), ("mc", 50), ("oat", 12)]
    mc = a[a["kind"] == "mc"]
    # Latin hypercube: each of the 50 equal-probability strata of a uniform holds one value
    strata = np.floor((mc["vol"] - 0.5) / 1.0 * 50).astype(int)
    assert sorted(strata) == list(range(50))
    assert mc["demand"].between(0.9, 1.1).all()
    assert (mc["el"] >= 0.8).all() and (mc["el"] <= 1.3).all()
    oat = a[a["kind"] == "oat"].set_index(["parameter", "side"])
    assert oat.loc[("rate", "low"), "rate"] == 0.06
    # lognormal OAT: 5th / 95th percentiles
    assert oat.loc[("gas", "high"), "gas"] == pytest.approx(np.exp(1.6448536 * 0.15), rel=1e-6)
    base = a.loc[0]
    assert base["rate"] == 0.10 and base["el"] == 1.0


def test_price_transform_level_and_volatility() -> None:
    p = pd.Series([10.0, 50.0, 90.0, -30.0])
    q = transform_prices(p, level=1.5, volatility=2.0)
    assert q.mean() == pytest.approx(1.5 * p.mean())
    assert q.std() == pytest.approx(2.0 * p.std())
    assert np.argmax(q) == np.argmax(p)            # peaks stay where they were
    assert (q < 0).any()
    assert (transform_prices(p, 1.5, 2.0, clip_negative=True) >= 0).all()
    flat = transform_prices(p, 1.0, 0.0)
    assert np.allclose(flat, p.mean())


# --------------------------------------------------------------------------- evaluation


def _job(spec, out: Path) -> SweepJob:
    return SweepJob(str(SCENARIO.resolve()), "h1", str(REFERENCE.resolve()), "h2", spec,
                    str(out))


def test_reused_model_matches_fresh_dispatch(tmp_path: Path) -> None:
    """Warm re-solves with updated costs and demand give what a fresh build gives."""
    from heatpath.dispatch import solve
    from heatpath.dispatch.solve import prepare

    spec = small_spec(n_samples=3, method="mc")
    d = design(spec)
    job = _job(spec, tmp_path)
    base = prepare(load_variant(SCENARIO))
    for i in d.index[1:]:
        row = d.loc[i].to_dict()
        rec = evaluate_sample(job, i, row)
        fresh = solve(apply_sample(base, {n: row[n] for n in spec.parameters}, spec))
        assert rec["variable_cost_eur"] == pytest.approx(fresh.objective_eur, rel=1e-9)
        assert rec["share_renewable"] == pytest.approx(fresh.shares["renewable"], abs=1e-7)
        assert rec["heat_delivered_mwh"] == pytest.approx(fresh.heat_delivered_mwh)
    assert rec["model_reused"]
    rebuilt = evaluate_sample(_job(small_spec(n_samples=3, method="mc", reuse_models=False),
                                   tmp_path), i, row)
    assert not rebuilt["model_reused"]
    for key in ("variable_cost_eur", "npv_eur", "irr", "lcoh_eur_per_mwh"):
        assert rebuilt[key] == pytest.approx(rec[key], rel=1e-7)


def test_fast_coefficients_and_annual_figures_match_dispatch() -> None:
    """The sweep's numpy cost coefficients and annual figures equal those of the dispatch
    package (objective_coefficients, extract, unit_variable_costs)."""
    from heatpath.dispatch import solve
    from heatpath.dispatch.build import objective_coefficients
    from heatpath.economics.appraisal import unit_variable_costs
    from heatpath.planning.sweep_eval import _dispatch, _model

    spec = small_spec(n_samples=2, method="mc")
    row = design(spec).loc[2].to_dict()
    values = {n: row[n] for n in spec.parameters}
    values["__demand__"] = values["demand"]
    prep, _ = _model(str(SCENARIO.resolve()), "t", None, "none")
    variant = apply_sample(prep.system, values, spec)
    fast = prep.coefficients(variant)
    for name, coef in objective_coefficients(variant).items():
        np.testing.assert_allclose(fast[name], coef.transpose(*prep.cols[name].dims).values,
                                   rtol=1e-14)
    got = _dispatch(prep, variant, values, False).result
    fresh = solve(variant)
    assert got.objective_eur == pytest.approx(fresh.objective_eur, rel=1e-9)
    for key, value in fresh.costs_eur.items():
        assert got.costs_eur[key] == pytest.approx(value, rel=1e-7, abs=1e-3), key
    for unit, value in unit_variable_costs(fresh).items():
        assert got.unit_variable_cost_eur[unit] == pytest.approx(value, rel=1e-7, abs=1e-3)
    assert got.co2_t == pytest.approx(float(fresh.co2_t.to_numpy().sum()), rel=1e-7)
    assert got.shares == pytest.approx(fresh.shares, abs=1e-9)
    assert got.heat_delivered_mwh == pytest.approx(fresh.heat_delivered_mwh, rel=1e-12)


def test_enforced_eed_reports_cost_of_compliance(toy_dir: Path) -> None:
    """Without the toy's 45 % renewable requirement and with dear electricity the
    cost-optimal dispatch is not efficient; enforced, every sample complies at a cost
    equal to that of run_scenario with [eed] article = "26(1)"."""
    from heatpath.dispatch import run_scenario
    from heatpath.dispatch.solve import prepare

    text = (toy_dir / "toy.toml").read_text()
    text = text[:text.index("[[share_requirements]]")]
    (toy_dir / "toy.toml").write_text(text)
    raw = {"method": "oat", "enforce_eed": True, "parameters": {
        "el": {"target": "electricity.level", "low": 1.6, "high": 2.0}}}
    spec = parse_sweep_spec(raw, toy_dir / "sweep.toml")
    res = run_sweep(toy_dir / "toy.toml", spec, toy_dir / "out", n_workers=0)
    s = res.samples
    assert (s["status"] == "ok").all() and s["efficient"].all()
    assert (s["cost_of_compliance_eur"] > 0).any()
    row = s[s["side"] == "high"].iloc[0]
    base = prepare(load_variant(toy_dir / "toy.toml"))
    variant = apply_sample(base, {"el": 2.0}, spec)
    variant.eed = variant.eed.model_copy(update={"article": "26(1)"})
    ref = run_scenario(variant)
    assert row["objective_eur"] == pytest.approx(ref.objective_eur, rel=1e-8)
    assert row["cost_of_compliance_eur"] == pytest.approx(
        ref.extra["eed"]["enforced"]["cost_of_compliance_eur"], rel=1e-6, abs=1.0)
    assert res.summary["eed"]["enforced"] is True


def test_weather_years(toy_dir: Path) -> None:
    """A weather year replaces the default CSV; its sample equals a run on that file."""
    from heatpath.dispatch import solve

    ts = pd.read_csv(toy_dir / "timeseries.csv")
    alt = ts.copy()
    alt["heat_demand_mw"] = np.roll(ts["heat_demand_mw"].to_numpy(), 24 * 7) * 1.05
    alt["hp_cop"] = ts["hp_cop"] * 0.95
    alt.to_csv(toy_dir / "cold_year.csv", index=False)
    raw = {"method": "oat", "weather_years": ["cold_year.csv"], "parameters": {}}
    spec = parse_sweep_spec(raw, toy_dir / "sweep.toml")
    res = run_sweep(toy_dir / "toy.toml", spec, toy_dir / "out", n_workers=0)
    s = res.samples
    assert list(s["weather"]) == [0, 1]
    fresh = solve(load_variant(toy_dir / "toy.toml", toy_dir / "cold_year.csv"))
    assert s.loc[1, "variable_cost_eur"] == pytest.approx(fresh.objective_eur, rel=1e-9)
    assert s.loc[1, "heat_delivered_mwh"] == pytest.approx(
        1.05 * s.loc[0, "heat_delivered_mwh"], rel=1e-9)
    assert res.tornado["parameter"].tolist() == ["weather_year1"]


# --------------------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def killed_run(tmp_path_factory) -> dict:
    """A sweep on a 2-worker LocalCluster during which one worker process is killed."""
    out = tmp_path_factory.mktemp("sweep") / "killed"
    spec = small_spec(n_samples=10)
    client = local_client(2)
    state: dict = {"killed": None}

    def on_progress(done: int, total: int) -> None:
        if state["killed"] is None and done >= 2:
            pids = client.run(os.getpid)
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            state["killed"] = victim
            state["at"] = done

    try:
        res = run_sweep(SCENARIO, spec, out, reference_path=REFERENCE, client=client,
                        progress=on_progress, chunk_size=3)
        state["after"] = set(client.run(os.getpid).values())
    finally:
        cluster = client.cluster
        client.close()
        cluster.close()
    return {"out": out, "spec": spec, "result": res, **state}


def test_killed_worker_loses_and_duplicates_nothing(killed_run) -> None:
    res, out = killed_run["result"], killed_run["out"]
    assert killed_run["killed"] is not None and killed_run["at"] < len(res.samples)
    assert killed_run["killed"] not in killed_run["after"]     # the worker really died
    n = len(design(killed_run["spec"]))
    files = sorted((out / "samples").glob("sample_*.parquet"))
    assert len(files) == n
    assert not list((out / "samples").glob(".*.tmp"))
    table = pd.read_parquet(out / "samples.parquet")
    assert table.index.is_unique and list(table.index) == list(range(n))
    assert (table["status"] == "ok").all()
    assert table["npv_eur"].notna().all() and table["lcoh_eur_per_mwh"].notna().all()
    assert len(pd.read_csv(out / "samples.csv")) == n
    summary = json.loads((out / "sweep.json").read_text())
    assert summary["n_samples"] == n and summary["n_failed"] == 0
    assert {"npv_eur", "irr", "lcoh_eur_per_mwh"} <= set(summary["stats"])
    for key in ("mean", "p5", "p50", "p95"):
        assert summary["stats"]["npv_eur"][key] is not None
    tor = pd.read_csv(out / "tornado.csv")
    assert set(tor["parameter"]) == set(killed_run["spec"].parameters)
    assert tor["swing"].is_monotonic_decreasing
    hist = summary["histograms"]["npv_eur"]
    assert len(hist["edges"]) == len(hist["counts"]) + 1
    assert sum(hist["counts"]) == killed_run["spec"].n_samples
    # CAPEX and discount rate do not change the dispatch, only the appraisal
    capex = tor.set_index("parameter").loc["hp_capex"]
    assert capex["variable_cost_eur_low"] == pytest.approx(capex["variable_cost_eur_high"])
    assert capex["npv_eur_low"] > capex["npv_eur_high"]


def test_same_seed_same_results(killed_run, tmp_path: Path) -> None:
    """A serial re-run with the same seed reproduces the Dask run (other worker, other
    warm starts): identical samples, results equal within solver tolerance."""
    res = run_sweep(SCENARIO, killed_run["spec"], tmp_path / "again",
                    reference_path=REFERENCE, n_workers=0)
    a, b = killed_run["result"].samples, res.samples
    params = list(killed_run["spec"].parameters)
    pd.testing.assert_frame_equal(a[["kind", "parameter", "side", *params]],
                                  b[["kind", "parameter", "side", *params]])
    for col in ("variable_cost_eur", "ref_variable_cost_eur", "npv_eur", "irr",
                "lcoh_eur_per_mwh"):
        np.testing.assert_allclose(a[col], b[col], rtol=1e-7)
    for col in ("share_renewable", "share_hechp", "share_fossil"):
        np.testing.assert_allclose(a[col], b[col], atol=1e-6)
    assert (a["efficient"] == b["efficient"]).all()


def test_resume_recomputes_only_missing_samples(killed_run, tmp_path: Path) -> None:
    out = tmp_path / "resume"
    shutil.copytree(killed_run["out"], out)
    files = sorted((out / "samples").glob("sample_*.parquet"))
    deleted = {int(f.stem.split("_")[1]) for f in files[::2]}
    for f in files[::2]:
        f.unlink()
    kept = {f: f.stat().st_mtime_ns for f in files[1::2]}
    time.sleep(0.01)
    calls = []
    res = run_sweep(SCENARIO, killed_run["spec"], out, reference_path=REFERENCE,
                    n_workers=0, progress=lambda d, t: calls.append((d, t)))
    assert set(res.computed) == deleted
    assert {f: f.stat().st_mtime_ns for f in kept} == kept
    assert calls[0] == (len(files) - len(deleted), len(files))
    assert calls[-1] == (len(files), len(files))
    assert res.summary["n_resumed"] == len(files) - len(deleted)
    np.testing.assert_allclose(res.samples["npv_eur"],
                               killed_run["result"].samples["npv_eur"], rtol=1e-7)
    # other inputs in the same directory: refused unless forced
    with pytest.raises(SweepSpecError, match="sweep of other inputs"):
        run_sweep(SCENARIO, small_spec(n_samples=10, seed=99), out,
                  reference_path=REFERENCE, n_workers=0)


# --------------------------------------------------------------------------- command


def test_sweep_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from heatpath.cli import app

    spec = tmp_path / "sweep.toml"
    spec.write_text(
        f'method = "oat"\nreference = "{REFERENCE.as_posix()}"\n'
        '[[investments]]\nname = "air_hp"\ncapex_eur = 18e6\n'
        '[parameters.eua]\ntarget = "co2.level"\nlow = 0.8\nhigh = 2.0\n')
    out = tmp_path / "out"
    runner = CliRunner()
    r = runner.invoke(app, ["sweep", str(SCENARIO), "--spec", str(spec), "--out", str(out),
                            "--workers", "0", "--report"])
    assert r.exit_code == 0, r.output
    assert "3 samples" in r.output
    for name in ("samples.parquet", "samples.csv", "sweep.json", "tornado.csv",
                 "report.html", "figures/sweep-tornado.png"):
        assert (out / name).is_file(), name
    again = runner.invoke(app, ["sweep", str(SCENARIO), "--spec", str(spec), "--out",
                                str(out), "--workers", "0"])
    assert again.exit_code == 0 and "0 computed, 3 resumed" in again.output
    spec.write_text('method = "oat"\n[parameters.eua]\ntarget = "co2.levle"\n')
    bad = runner.invoke(app, ["sweep", str(SCENARIO), "--spec", str(spec), "--out", str(out)])
    assert bad.exit_code == 2
    assert "parameters.eua" in bad.output and "unknown target" in bad.output


# --------------------------------------------------------------------------- scale


def _cores_busy_elsewhere(seconds: float = 1.0) -> float:
    """CPU cores used by other processes, measured over ``seconds`` (/proc/stat; this
    process sleeps meanwhile). 0 where /proc/stat is unavailable."""
    def snap() -> tuple[float, float]:
        with open("/proc/stat") as f:
            v = [float(x) for x in f.readline().split()[1:]]
        idle = v[3] + (v[4] if len(v) > 4 else 0.0)
        return sum(v) - idle, sum(v)

    try:
        b0, t0 = snap()
        time.sleep(seconds)
        b1, t1 = snap()
    except OSError:
        return 0.0
    return (b1 - b0) / max(t1 - t0, 1e-9) * (os.cpu_count() or 1)


def _machine_busy_s() -> float:
    """Non-idle CPU seconds of the whole machine since boot (/proc/stat; 0 elsewhere)."""
    try:
        with open("/proc/stat") as f:
            v = [float(x) for x in f.readline().split()[1:]]
    except OSError:
        return 0.0
    return (sum(v) - v[3] - (v[4] if len(v) > 4 else 0.0)) / os.sysconf("SC_CLK_TCK")


def _own_cpu_s() -> float:
    """CPU seconds of this process and its reaped children (the Dask workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@pytest.mark.slow
def test_toy_sweep_200_samples_under_a_minute(tmp_path: Path) -> None:
    """The bundled toy sweep (full-year dispatch of scenario and reference per sample, then
    the appraisal; Monte Carlo part: 200 samples + base case) on a 2-worker LocalCluster
    with model reuse, cluster start-up and model builds included, in under a minute.

    Target: 60 s. On a machine that other processes leave free (at most 0.3 cores busy
    elsewhere before the start and, on average, during the run) the test fails at 60 s or
    more (measured on an idle machine: 44.8-51.5 s). When other processes keep the machine busy
    the sweep must still complete correctly, but a run over the target is only reported,
    with a warning giving the measured figures (two workers on the two vCPUs then compete
    with the other jobs).
    """
    spec = load_sweep_spec(TOY / "sweep.toml").model_copy(update={"method": "mc"})
    busy = _cores_busy_elsewhere()
    machine0, own0 = _machine_busy_s(), _own_cpu_s()
    t0 = time.perf_counter()
    res = run_sweep(SCENARIO, spec, tmp_path / "toy200", n_workers=2)
    elapsed = time.perf_counter() - t0
    # CPU used by other processes during the run, in cores (ours: this process and the
    # worker processes it started and reaped)
    during = max(0.0, (_machine_busy_s() - machine0) - (_own_cpu_s() - own0)) / elapsed
    busy = max(busy, during)
    s = res.samples
    assert len(s) == 201 and (s["status"] == "ok").all()
    assert s["model_reused"].sum() >= 201 - 2 * 3          # one build per worker process
    assert s["npv_eur"].notna().all()
    text = (f"200-sample toy sweep: {elapsed:.1f} s on 2 workers ({s['cpu_seconds'].sum():.0f} "
            f"CPU s in the samples; {busy:.1f} cores busy elsewhere)")
    print("\n" + text)
    if elapsed >= 60.0:
        why = "machine busy" if busy > 0.3 else "free machine"
        warnings.warn(f"{text}: over the one-minute target ({why})", stacklevel=1)
    if busy <= 0.3:
        assert elapsed < 60.0, text
