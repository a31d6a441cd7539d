"""Sensible heat storage (water tanks and pit thermal energy storage, PTES).

Volumes in m3, temperatures in °C, areas in m2, U-values in W/(m2 K), heat flows in MW,
energies in MWh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from heatpath.physics._utils import ArrayLike, as_float_array, restore

#: Joules per MWh.
J_PER_MWH = 3.6e9

# Specific isobaric heat capacity of liquid water, kJ/(kg K), at about 0.1 MPa (saturation
# pressure at 100 °C); rounded values of the IAPWS-95 formulation (accuracy ~0.1 %).
_CP_TABLE_T_C = np.array([0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0])
_CP_TABLE_KJ = np.array(
    [4.2199, 4.1955, 4.1844, 4.1801, 4.1796, 4.1815, 4.1851, 4.1902, 4.1969, 4.2053, 4.2157]
)


def water_density(t_c: ArrayLike) -> ArrayLike:
    """Density of liquid water at atmospheric pressure, kg/m3 (Kell 1975).

    ::

        rho = (999.83952 + 16.945176 t - 7.9870401e-3 t^2 - 46.170461e-6 t^3
               + 105.56302e-9 t^4 - 280.54253e-12 t^5) / (1 + 16.879850e-3 t)

    with ``t`` in °C, valid 0-150 °C (e.g. 998.2 at 20 °C, 965.3 at 90 °C).

    References
    ----------
    Kell, G. S. (1975). Density, thermal expansivity, and compressibility of liquid water
    from 0 °C to 150 °C. J. Chem. Eng. Data 20(1), 97-105.
    """
    t = as_float_array(t_c)
    rho = (
        999.83952
        + 16.945176 * t
        - 7.9870401e-3 * t**2
        - 46.170461e-6 * t**3
        + 105.56302e-9 * t**4
        - 280.54253e-12 * t**5
    ) / (1.0 + 16.879850e-3 * t)
    return restore(rho, t_c, name="rho_kg_m3")


def water_heat_capacity(t_c: ArrayLike) -> ArrayLike:
    """Specific heat capacity of liquid water, J/(kg K).

    Linear interpolation in a 10 K table of IAPWS-95 values (4.18-4.22 kJ/(kg K) over
    0-100 °C; e.g. 4184 at 20 °C, 4205 at 90 °C). Clamped to the table ends outside 0-100 °C.
    """
    t = as_float_array(t_c)
    cp = np.interp(t, _CP_TABLE_T_C, _CP_TABLE_KJ) * 1000.0
    return restore(cp, t_c, name="cp_j_kgk")


def storage_capacity_mwh(
    volume_m3: ArrayLike,
    t_hot_c: ArrayLike,
    t_cold_c: ArrayLike,
    rho_kg_m3: float | None = None,
    cp_j_kgk: float | None = None,
) -> ArrayLike:
    """Sensible heat storage capacity between two temperatures, MWh.

    ::

        E = rho * cp * V * (T_hot - T_cold) / 3.6e9

    Parameters
    ----------
    volume_m3 : scalar, array or Series
        Water volume, m3.
    t_hot_c, t_cold_c : scalar, array or Series
        Top (charged) and bottom (discharged) temperature, °C.
    rho_kg_m3, cp_j_kgk : float, optional
        Density (kg/m3) and specific heat capacity (J/(kg K)). By default both are evaluated
        at the mean temperature ``(T_hot + T_cold) / 2`` with :func:`water_density` and
        :func:`water_heat_capacity` (90/60 °C: rho = 974.85 kg/m3, cp = 4193.6 J/(kg K)).
        Pass ``rho_kg_m3=1000, cp_j_kgk=4186`` for the common round-number convention
        (about 2.4 % more capacity at 90/60 °C).

    Returns
    -------
    scalar, array or Series
        Capacity, MWh. Example (paper's PTES units): 200,000 m3 at 90/60 °C -> 6,814 MWh.
    """
    th, tc = as_float_array(t_hot_c), as_float_array(t_cold_c)
    t_mean = (th + tc) / 2.0
    rho = as_float_array(water_density(t_mean)) if rho_kg_m3 is None else rho_kg_m3
    cp = as_float_array(water_heat_capacity(t_mean)) if cp_j_kgk is None else cp_j_kgk
    e = rho * cp * as_float_array(volume_m3) * (th - tc) / J_PER_MWH
    return restore(e, volume_m3, t_hot_c, t_cold_c, name="capacity_mwh")


def storage_mean_temperature(
    state_of_charge: ArrayLike, t_hot_c: float, t_cold_c: float
) -> ArrayLike:
    """Mean water temperature for a state of charge (0-1), °C.

    ``T_avg = T_cold + soc * (T_hot - T_cold)``: the mixed-equivalent temperature of a
    (possibly stratified) store holding the fraction ``soc`` of its capacity.
    """
    soc = as_float_array(state_of_charge)
    return restore(t_cold_c + soc * (t_hot_c - t_cold_c), state_of_charge, name="t_storage_c")


@dataclass(frozen=True)
class StorageGeometry:
    """Geometry of a storage: volume and surfaces.

    Attributes
    ----------
    kind : {"pit", "tank"}
        ``pit``: buried truncated inverted pyramid with a floating lid (surfaces to air:
        lid; to ground: sloped walls + bottom). ``tank``: above-ground vertical cylinder
        (to air: roof + wall; to ground: bottom).
    volume_m3 : float
        Water volume, m3.
    height_m : float
        Water depth (pit) or height (tank), m.
    top_area_m2 : float
        Water surface / lid (pit) or roof (tank) area, m2.
    side_area_m2 : float
        Sloped walls (pit) or cylindrical wall (tank), m2.
    bottom_area_m2 : float
        Bottom area, m2.
    top_width_m, bottom_width_m : float
        Side length of the square top and bottom (pit) or the diameter (tank), m.
    """

    kind: Literal["pit", "tank"]
    volume_m3: float
    height_m: float
    top_area_m2: float
    side_area_m2: float
    bottom_area_m2: float
    top_width_m: float
    bottom_width_m: float

    @property
    def air_area_m2(self) -> float:
        """Surface exchanging heat with the ambient air, m2 (``A_lid`` of the loss model)."""
        if self.kind == "pit":
            return self.top_area_m2
        return self.top_area_m2 + self.side_area_m2

    @property
    def ground_area_m2(self) -> float:
        """Surface in contact with the ground, m2 (``A_wall`` of the loss model)."""
        if self.kind == "pit":
            return self.side_area_m2 + self.bottom_area_m2
        return self.bottom_area_m2


def pit_geometry(volume_m3: float, depth_m: float = 16.0, slope: float = 2.0) -> StorageGeometry:
    """Square PTES pit (truncated inverted pyramid) of a given volume, depth and wall slope.

    With top side ``a``, bottom side ``b = a - 2 s h`` (``s`` = horizontal run per metre of
    depth) and the frustum volume ``V = h/3 (a^2 + a b + b^2)``, the top side solves
    ``3 a^2 - 3 d a + d^2 - 3 V / h = 0`` with ``d = 2 s h``::

        a = (3 d + sqrt(36 V / h - 3 d^2)) / 6

    Wall area ``= 4 (a + b) / 2 * h sqrt(1 + s^2)``.

    Parameters
    ----------
    volume_m3 : float
        Water volume, m3.
    depth_m : float
        Water depth, m. Default 16 m (Dronninglund, Denmark: 60,000 m3, 16 m deep, 90 m x
        90 m top, 26 m x 26 m bottom).
    slope : float
        Horizontal run per unit depth of the walls (2.0 = 1:2, about 26.6°, as Dronninglund).

    Returns
    -------
    StorageGeometry

    Raises
    ------
    ValueError
        If the volume is too small for the depth and slope (the bottom would vanish:
        ``V <= h d^2 / 3``).
    """
    if volume_m3 <= 0 or depth_m <= 0 or slope < 0:
        raise ValueError("volume_m3 and depth_m must be > 0 and slope >= 0")
    h, s = float(depth_m), float(slope)
    d = 2.0 * s * h
    if volume_m3 <= h * d * d / 3.0:
        raise ValueError(
            f"volume {volume_m3:g} m3 too small for depth {h:g} m and slope {s:g} "
            "(the pit bottom would vanish); reduce depth or slope"
        )
    a = (3.0 * d + np.sqrt(36.0 * volume_m3 / h - 3.0 * d * d)) / 6.0
    b = a - d
    side = 4.0 * (a + b) / 2.0 * h * np.sqrt(1.0 + s * s)
    return StorageGeometry(
        "pit", float(volume_m3), h, float(a * a), float(side), float(b * b), float(a), float(b)
    )


def tank_geometry(
    volume_m3: float, height_m: float | None = None, aspect_ratio: float = 1.0
) -> StorageGeometry:
    """Vertical cylindrical tank of a given volume.

    Parameters
    ----------
    volume_m3 : float
        Water volume, m3.
    height_m : float, optional
        Height, m. If None, it follows from ``aspect_ratio``.
    aspect_ratio : float
        Height / diameter (used if ``height_m`` is None). Default 1.0.

    Returns
    -------
    StorageGeometry
        Areas: roof = bottom = pi D^2 / 4, wall = pi D H.
    """
    if volume_m3 <= 0:
        raise ValueError("volume_m3 must be > 0")
    if height_m is None:
        if aspect_ratio <= 0:
            raise ValueError("aspect_ratio must be > 0")
        diameter = (4.0 * volume_m3 / (np.pi * aspect_ratio)) ** (1.0 / 3.0)
        height_m = aspect_ratio * diameter
    else:
        if height_m <= 0:
            raise ValueError("height_m must be > 0")
        diameter = np.sqrt(4.0 * volume_m3 / (np.pi * height_m))
    disc = np.pi * diameter**2 / 4.0
    return StorageGeometry(
        "tank",
        float(volume_m3),
        float(height_m),
        float(disc),
        float(np.pi * diameter * height_m),
        float(disc),
        float(diameter),
        float(diameter),
    )


def storage_heat_loss(
    t_storage_c: ArrayLike,
    t_amb_c: ArrayLike,
    t_ground_c: ArrayLike,
    a_lid_m2: float,
    a_wall_m2: float,
    u_lid_w_m2k: float = 0.25,
    u_wall_w_m2k: float = 0.30,
) -> ArrayLike:
    """Heat loss of a storage to air and ground, MW.

    ::

        Q = (U_lid A_lid (T_avg - T_amb) + U_wall A_wall (T_avg - T_ground)) / 1e6

    Parameters
    ----------
    t_storage_c : scalar, array or Series
        Mean storage water temperature, °C (see :func:`storage_mean_temperature`).
    t_amb_c : scalar, array or Series
        Ambient air temperature, °C.
    t_ground_c : scalar, array or Series
        Ground temperature around the storage, °C.
    a_lid_m2 : float
        Area exchanging with the air (``StorageGeometry.air_area_m2``), m2.
    a_wall_m2 : float
        Area in contact with the ground (``StorageGeometry.ground_area_m2``), m2.
    u_lid_w_m2k : float
        U-value of the lid (air side), W/(m2 K). Default 0.25: typical order of magnitude of
        an insulated floating PTES lid (tanks: wall insulation of 0.2-0.3 m gives similar
        values).
    u_wall_w_m2k : float
        Effective U-value towards the ground, W/(m2 K). Default 0.30: typical effective
        value for uninsulated, liner-only pit walls once the surrounding soil has warmed
        up. Both defaults are typical values to be calibrated (e.g. against a measured
        annual storage efficiency), not measured data.

    Returns
    -------
    scalar, array or Series
        Heat loss, MW (negative if the surroundings are warmer).
    """
    ts, ta, tg = (as_float_array(x) for x in (t_storage_c, t_amb_c, t_ground_c))
    q = (u_lid_w_m2k * a_lid_m2 * (ts - ta) + u_wall_w_m2k * a_wall_m2 * (ts - tg)) / 1e6
    return restore(q, t_storage_c, t_amb_c, t_ground_c, name="storage_loss_mw")


def standing_loss_fraction_per_hour(
    loss_mw: ArrayLike, capacity_mwh: float, timestep_h: float = 1.0
) -> ArrayLike:
    """Standing loss as a fraction of the capacity per time step (LP loss coefficient).

    ``lambda = Q_loss * dt / E_capacity``, for the storage balance
    ``soc_t = soc_{t-1} (1 - lambda) + ...`` of ``heatpath.model.Storage``.

    The LP form makes the loss proportional to the stored energy, whereas the physical loss
    is proportional to ``T_avg - T_surroundings``. Two consistent choices: (a) ``loss_mw``
    at the fully charged state (conservative, over-estimates losses at low charge), or
    (b) ``loss_mw`` at the typical mean operating temperature divided by the energy stored
    at that state. Pass a scalar for a constant coefficient.

    Parameters
    ----------
    loss_mw : scalar, array or Series
        Heat loss, MW (see :func:`storage_heat_loss`).
    capacity_mwh : float
        Storage capacity, MWh (> 0).
    timestep_h : float
        Time step, h.

    Returns
    -------
    scalar, array or Series
        Loss fraction per time step (dimensionless, per hour for ``timestep_h=1``).
    """
    if capacity_mwh <= 0:
        raise ValueError("capacity_mwh must be > 0")
    lam = as_float_array(loss_mw) * timestep_h / capacity_mwh
    return restore(lam, loss_mw, name="standing_loss_per_h")
