"""Small systems built in Python for dispatch tests."""

from __future__ import annotations

import pandas as pd

from heatpath.model import EED_GROUPS, System


def fractions(groups: dict[str, str]) -> pd.DataFrame:
    """Counting fractions with each unit entirely in one group."""
    return pd.DataFrame(
        {g: [float(groups[u] == g) for u in groups] for g in EED_GROUPS}, index=list(groups)
    )


def system(units: list[dict], *, demand: pd.Series, storages: list[dict] | None = None,
           el_price: pd.Series | float = 0.0, fee: float = 0.0, gas: float = 30.0,
           co2: float = 0.0, ef: float = 0.0, loss_fraction: float | None = None,
           requirements: list[dict] | None = None) -> System:
    return System(
        system={"name": "t", "year": 2025},
        demand={"heat_mw": demand, "network_loss_fraction": loss_fraction},
        fuels={"gas": {"emission_factor_t_per_mwh": ef}},
        prices={"electricity_eur_per_mwh": el_price, "electricity_fee_eur_per_mwh": fee,
                "fuels_eur_per_mwh": {"gas": gas}, "co2_eur_per_t": co2},
        units=units,
        storages=storages or [],
        share_requirements=requirements or [],
    )
