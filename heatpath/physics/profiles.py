"""Derive the hourly profiles of a system from its physical description.

:func:`derive` fills in, for a finalised :class:`heatpath.model.System`, everything that the
scenario describes physically rather than as a series:

* network supply/return temperatures from the regulation curve (:mod:`.network`);
* heat demand from the outdoor temperature, calibrated to an annual total and peak
  (:mod:`.demand`), and network losses from temperatures;
* heat-pump COP from source and sink temperatures, source cut-off and capacity derating
  (:mod:`.heatpump`);
* solar thermal yield from irradiance and collector coefficients (:mod:`.solar`);
* storage capacity from volume and temperatures, standing loss from geometry (:mod:`.storage`);
* operating windows (months, hours) folded into each unit's availability.

It works in place on the system and marks it ``derived``; calling it twice changes nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatpath.model.errors import ScenarioError
from heatpath.model.schema import HeatPump, SolarThermal, System
from heatpath.physics import demand as demand_mod
from heatpath.physics import heatpump, network, solar, storage


def _src(system: System) -> str:
    return system.source_file or "<python>"


def _outdoor(system: System, needed_for: str, field: str) -> pd.Series:
    t = system.weather.outdoor_temperature_c
    if t is None:
        raise ScenarioError(
            f"{needed_for} needs [weather].outdoor_temperature_c (or give the series "
            f"directly)", file=_src(system), field=field)
    return t


def network_temperatures(system: System) -> tuple[pd.Series | None, pd.Series | None]:
    """Hourly supply and return temperatures, deg C (None when neither given nor derivable)."""
    n = system.network
    supply, ret = n.supply_temperature_c, n.return_temperature_c
    t_out = system.weather.outdoor_temperature_c
    if supply is None and t_out is not None:
        supply = pd.Series(network.supply_temperature(
            t_out.to_numpy(), n.t_out_design_c, n.t_out_switch_c, n.supply_max_c,
            n.supply_min_c), index=system.snapshots)
    if ret is None and t_out is not None:
        ret = pd.Series(network.return_temperature(
            t_out.to_numpy(), n.t_out_design_c, n.t_out_switch_c, n.return_max_c,
            n.return_min_c), index=system.snapshots)
    return supply, ret


def _window(system: System, months: list[int] | None, hours: list[int] | None) -> np.ndarray:
    idx = system.snapshots
    mask = np.ones(len(idx), dtype=bool)
    if months is not None:
        mask &= np.isin(idx.month, months)
    if hours is not None:
        mask &= np.isin(idx.hour, hours)
    return mask.astype(float)


def _heat_pump(system: System, i: int, u: HeatPump, supply: pd.Series | None,
               ret: pd.Series | None) -> None:
    field = f"units[{i}]"
    t_src = u.source_temperature_c
    needs_source = u.cop is None or u.cutoff_temperature_c is not None or (
        u.capacity_change_per_k != 0 and u.rated_source_temperature_c is not None)
    if t_src is None and needs_source:
        t_air = _outdoor(system, f"heat pump '{u.name}' (source temperature model '{u.source}')",
                         f"{field}.source_temperature_c")
        t_src = pd.Series(np.asarray(heatpump.source_temperature(u.source, t_air), float),
                          index=system.snapshots)
        object.__setattr__(u, "source_temperature_c", t_src)
    if u.cop is None:
        sink = u.sink_temperature_c if u.sink_temperature_c is not None else supply
        if sink is None:
            raise ScenarioError(
                f"heat pump '{u.name}' has no cop and no sink temperature: give cop, "
                "sink_temperature_c, [network] temperatures or [weather] outdoor temperature",
                file=_src(system), field=f"{field}.cop")
        if u.cop_method == "table":
            if not isinstance(u.cop_table, pd.DataFrame):
                raise ScenarioError("cop_method 'table' needs cop_table", file=_src(system),
                                    field=f"{field}.cop_table")
            cop = heatpump.cop_from_table(t_src.to_numpy(), sink.to_numpy(), u.cop_table)
        else:
            if u.cop_method == "lorenz" and ret is None:
                raise ScenarioError("Lorenz COP needs the network return temperature",
                                    file=_src(system), field=f"{field}.cop_method")
            cop = heatpump.cop_hourly(
                t_src.to_numpy(), sink.to_numpy(),
                None if ret is None else ret.to_numpy(), method=u.cop_method,
                quality_factor=u.quality_factor, cop_max=u.cop_max)
        object.__setattr__(u, "cop", pd.Series(np.asarray(cop, float), index=system.snapshots))
    factor = np.ones(len(system.snapshots))
    if u.cutoff_temperature_c is not None:
        factor *= np.asarray(heatpump.availability(t_src.to_numpy(), u.cutoff_temperature_c),
                             float)
    if u.capacity_change_per_k != 0 and u.rated_source_temperature_c is not None:
        factor *= np.asarray(heatpump.capacity_derating(
            t_src.to_numpy(), t_ref_c=u.rated_source_temperature_c,
            slope_per_k=u.capacity_change_per_k), float)
    object.__setattr__(u, "availability", u.availability * factor)


def _solar(system: System, i: int, u: SolarThermal, supply: pd.Series | None,
           ret: pd.Series | None) -> None:
    if u.area_m2 is None:
        return
    field = f"units[{i}]"
    w = system.weather
    g = u.poa_wm2
    if g is None:
        if w.ghi_wm2 is None or w.latitude is None or w.longitude is None:
            raise ScenarioError(
                f"solar field '{u.name}' needs poa_wm2, or [weather] ghi_wm2 with latitude "
                "and longitude", file=_src(system), field=f"{field}.poa_wm2")
        pos = solar.solar_position(system.snapshots, w.latitude, w.longitude)
        dni, dhi = w.dni_wm2, w.dhi_wm2
        if dni is None or dhi is None:
            dni, dhi = solar.erbs_decomposition(w.ghi_wm2, pos["zenith"], system.snapshots)
        g = pd.Series(np.asarray(solar.poa_isotropic(
            np.asarray(w.ghi_wm2, float), np.asarray(dni, float), np.asarray(dhi, float),
            pos["zenith"].to_numpy(), pos["azimuth"].to_numpy(), u.tilt_deg, u.azimuth_deg),
            float), index=system.snapshots)
        object.__setattr__(u, "poa_wm2", g)
    t_amb = _outdoor(system, f"solar field '{u.name}'", "weather.outdoor_temperature_c")
    if supply is None or ret is None:
        raise ScenarioError(f"solar field '{u.name}' needs network temperatures",
                            file=_src(system), field="network")
    t_mean = (supply + ret) / 2.0
    out = np.asarray(solar.collector_heat_output(
        u.area_m2, g.to_numpy(), t_amb.to_numpy(), t_mean.to_numpy(), u.eta0, u.a1, u.a2), float)
    peak = float(solar.collector_peak_power_mw(u.area_m2, u.eta0))
    object.__setattr__(u, "capacity_mw", peak)
    object.__setattr__(u, "availability", u.availability * np.clip(out / peak, 0.0, 1.0))


def derive(system: System) -> System:
    """Fill in the derived hourly profiles of a finalised ``system`` (in place).

    Parameters
    ----------
    system : System
        Output of :func:`heatpath.model.load_scenario` or :func:`heatpath.model.finalize`.

    Returns
    -------
    System
        The same object, with ``derived = True``.

    Raises
    ------
    ScenarioError
        When a profile is needed but its inputs are missing (names the field).
    """
    if system.derived:
        return system
    supply, ret = network_temperatures(system)
    d = system.demand
    if d.heat_mw is None:
        t_out = _outdoor(system, "demand.annual_mwh", "demand.annual_mwh")
        try:
            heat = demand_mod.calibrate_demand(
                t_out, d.annual_mwh, d.peak_mw, d.dhw_share, method=d.profile_method,
                t_threshold_c=d.heating_threshold_c)
        except ValueError as exc:
            raise ScenarioError(str(exc), file=_src(system), field="demand.peak_mw",
                                value=d.peak_mw) from None
        object.__setattr__(d, "heat_mw", pd.Series(np.asarray(heat, float),
                                                   index=system.snapshots))
    if d.network_loss_method == "temperature" and d.network_loss_fraction:
        if supply is None or ret is None:
            raise ScenarioError("network_loss_method 'temperature' needs network temperatures",
                                file=_src(system), field="demand.network_loss_method")
        t_ground = np.asarray(network.ground_temperature(system.snapshots), float)
        w = np.clip((supply.to_numpy() + ret.to_numpy()) / 2.0 - t_ground, 0.0, None)
        f = d.network_loss_fraction
        total = float(d.heat_mw.sum()) * f / (1.0 - f)
        object.__setattr__(d, "network_loss_mw",
                           pd.Series(total * w / w.sum(), index=system.snapshots))
    for i, u in enumerate(system.units):
        if u.operating_months is not None or u.operating_hours is not None:
            object.__setattr__(u, "availability", u.availability * _window(
                system, u.operating_months, u.operating_hours))
        if isinstance(u, HeatPump):
            _heat_pump(system, i, u, supply, ret)
        elif isinstance(u, SolarThermal):
            _solar(system, i, u, supply, ret)
    t_amb = system.weather.outdoor_temperature_c
    t_amb_mean = float(t_amb.mean()) if t_amb is not None else 10.0
    for s in system.storages:
        if s.capacity_mwh is None:
            s.capacity_mwh = float(storage.storage_capacity_mwh(s.volume_m3, s.t_hot_c,
                                                                s.t_cold_c))
        if s.standing_loss_per_h is None:
            if s.volume_m3 is None:
                s.standing_loss_per_h = 0.0
            else:
                geo = (storage.pit_geometry(s.volume_m3, **({"depth_m": s.depth_m}
                                                            if s.depth_m else {}))
                       if s.kind == "pit" else storage.tank_geometry(s.volume_m3))
                u_kw = {k: v for k, v in (("u_lid_w_m2k", s.u_lid_w_m2k),
                                          ("u_wall_w_m2k", s.u_wall_w_m2k)) if v is not None}
                # loss at the mean of hot and cold temperature, linearised as a constant
                # fraction of the stored energy per hour (LP); air-side and ground-side areas
                # as the geometry defines them (pit: lid to air; tank: roof and wall to air)
                loss_mw = float(storage.storage_heat_loss(
                    (s.t_hot_c + s.t_cold_c) / 2.0, t_amb_mean, t_amb_mean,
                    geo.air_area_m2, geo.ground_area_m2, **u_kw))
                s.standing_loss_per_h = float(storage.standing_loss_fraction_per_hour(
                    loss_mw, s.capacity_mwh))
    system.derived = True
    return system
