"""Variable heat cost terms of the paper's energyPRO formula, hand-checked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from heatpath.economics import (
    DEFAULT_DISTRIBUTION_COST,
    chp_electricity_revenue,
    ets_cost,
    fuel_cost,
    fuel_price_per_mwh,
    heat_pump_electricity_cost,
    lcoh,
    lcoh_system,
    load_fuels,
    net_electricity_cost,
    price_per_mwh_from_per_kg,
    price_per_mwh_from_per_nm3,
    variable_heat_cost,
)


def test_rdf_gate_fee_conversion() -> None:
    # -0.13 EUR/kg / (21.33 MJ/kg / 3600 MJ/MWh) = -0.13 * 168.776 = -21.9409 EUR/MWh
    assert price_per_mwh_from_per_kg(-0.13, 21.33) == pytest.approx(-21.9409, abs=1e-4)
    assert fuel_price_per_mwh("rdf", -0.13) == pytest.approx(-0.13 * 3600 / 21.33)


def test_gas_per_nm3_conversion() -> None:
    # 0.40 EUR/Nm3 * 3600 / 36.54 = 39.4089 EUR/MWh
    assert price_per_mwh_from_per_nm3(0.40, 36.54) == pytest.approx(39.4089, abs=1e-4)
    assert fuel_price_per_mwh("natural_gas", 0.40) == pytest.approx(0.40 * 3600 / 36.54)
    with pytest.raises(ValueError, match="unknown fuel"):
        fuel_price_per_mwh("coal", 1.0)


def test_fuels_table_has_paper_constants() -> None:
    fuels = load_fuels()
    assert list(fuels.columns) == [
        "lhv",
        "lhv_unit",
        "ef_kg_per_gj",
        "fossil_share_default",
        "source",
    ]
    assert fuels.loc["rdf", "lhv"] == 21.33 and fuels.loc["rdf", "lhv_unit"] == "MJ/kg"
    assert fuels.loc["natural_gas", "lhv"] == 36.54
    assert fuels.loc["natural_gas", "lhv_unit"] == "MJ/Nm3"
    assert fuels.loc["natural_gas", "ef_kg_per_gj"] == 55.42
    assert fuels.loc["rdf", "ef_kg_per_gj"] == 91.7
    assert fuels["source"].str.len().min() > 10


def test_fuel_cost_hand() -> None:
    # 90 MWh_th / 0.9 = 100 MWh_fuel * 37.61 EUR/MWh = 3761 EUR
    assert fuel_cost(90.0, 0.9, 37.61) == pytest.approx(3761.0)


def test_heat_pump_cost_hand() -> None:
    # 300 MWh_th / COP 3 = 100 MWh_el * (87.57 + 50) = 13757 EUR
    assert DEFAULT_DISTRIBUTION_COST == 50.0
    assert heat_pump_electricity_cost(300.0, 3.0, 87.57) == pytest.approx(13757.0)
    assert heat_pump_electricity_cost(300.0, 3.0, 87.57, 0.0) == pytest.approx(8757.0)


def test_chp_revenue_hand() -> None:
    # 100 MWh_th * (0.70 - 0.05) MWh_el/MWh_th = 65 MWh_el * 87.57 = 5692.05 EUR
    assert chp_electricity_revenue(100.0, 0.70, 0.05, 87.57) == pytest.approx(5692.05)
    # negative price hours give negative revenue
    assert chp_electricity_revenue(100.0, 0.70, 0.05, -10.0) == pytest.approx(-650.0)
    with pytest.raises(ValueError, match="aux_consumption"):
        chp_electricity_revenue(1.0, 0.7, -0.1, 50.0)


def test_ets_hand() -> None:
    # gas: 1 MWh * 3.6 GJ/MWh * 55.42 kg/GJ = 199.512 kg = 0.199512 t * 65.24 = 13.016163
    assert ets_cost(1.0, 55.42, 65.24) == pytest.approx(13.016163, abs=1e-6)
    # RDF, 70 % fossil: 100 * 3.6 * 91.7 / 1000 = 33.012 t * 0.7 = 23.1084 t * 65.24
    assert ets_cost(100.0, 91.7, 65.24, 0.7) == pytest.approx(23.1084 * 65.24)
    with pytest.raises(ValueError, match="fossil_share"):
        ets_cost(1.0, 55.42, 65.24, 1.5)


def test_variable_heat_cost_gas_boiler() -> None:
    # Q = 90, eta = 0.9 -> 100 MWh gas: C_f = 3761, C_ETS = 100 * 13.016163 = 1301.6163,
    # C_om = 90 * 1.0 = 90, C_env = 100 * 0.5 = 50 -> total 5202.6163
    out = variable_heat_cost(
        90.0,
        efficiency=0.9,
        fuel_price=37.61,
        variable_om=1.0,
        env_cost_per_mwh_fuel=0.5,
        ef_kg_per_gj=55.42,
        eua_price=65.24,
    )
    row = out.iloc[0]
    assert row["c_f"] == pytest.approx(3761.0)
    assert row["c_ets"] == pytest.approx(1301.6163, abs=1e-4)
    assert row["c_om"] == pytest.approx(90.0)
    assert row["c_env"] == pytest.approx(50.0)
    assert row["c_el"] == 0.0 and row["s_el_chp"] == 0.0
    assert row["c_q_var"] == pytest.approx(5202.6163, abs=1e-4)


def test_variable_heat_cost_wte_chp_hourly_series() -> None:
    # RDF CHP, eta_th = 0.5, gate fee -21.94 EUR/MWh, sigma 0.7, alpha 0.05, 70 % fossil
    hours = pd.date_range("2024-01-01", periods=3, freq="h")
    q = pd.Series([50.0, 50.0, 0.0], index=hours)
    price = pd.Series([100.0, -5.0, 80.0], index=hours)
    p_rdf = price_per_mwh_from_per_kg(-0.13, 21.33)
    out = variable_heat_cost(
        q,
        efficiency=0.5,
        fuel_price=p_rdf,
        el_price=price,
        ef_kg_per_gj=91.7,
        fossil_share=0.7,
        eua_price=65.24,
        power_to_heat_ratio=0.7,
        aux_consumption=0.05,
    )
    assert out.index.equals(hours)
    fuel = 100.0  # 50 / 0.5
    # hour 0: C_f = 100 * -21.9409 = -2194.09; C_ETS = 100*3.6*91.7/1000*0.7*65.24 = 1507.59
    #         S = 50 * 0.65 * 100 = 3250 -> C = -2194.09 + 1507.59 - 3250 = -3936.50
    ets = fuel * 3.6 * 91.7 / 1000 * 0.7 * 65.24
    assert out["c_f"].iloc[0] == pytest.approx(fuel * p_rdf)
    assert out["c_ets"].iloc[0] == pytest.approx(ets)
    assert out["s_el_chp"].iloc[0] == pytest.approx(3250.0)
    assert out["c_q_var"].iloc[0] == pytest.approx(fuel * p_rdf + ets - 3250.0)
    assert out["s_el_chp"].iloc[1] == pytest.approx(50 * 0.65 * -5.0)
    assert out.iloc[2].abs().sum() == 0.0


def test_variable_heat_cost_heat_pump_vectorised() -> None:
    q = np.array([10.0, 20.0])
    cop = np.array([2.5, 4.0])
    p = np.array([87.57, 0.0])
    out = variable_heat_cost(q, cop=cop, el_price=p, variable_om=2.0)
    # 10/2.5*(137.57) + 20 = 570.28; 20/4*50 + 40 = 290
    assert out["c_q_var"].to_numpy() == pytest.approx([4 * 137.57 + 20, 5 * 50 + 40])
    assert isinstance(out.index, pd.RangeIndex)


def test_variable_heat_cost_errors() -> None:
    with pytest.raises(ValueError, match="efficiency"):
        variable_heat_cost(1.0, efficiency=0.0, fuel_price=30.0)
    with pytest.raises(ValueError, match="cop"):
        variable_heat_cost(1.0, cop=-3.0)
    with pytest.raises(ValueError, match="without efficiency"):
        variable_heat_cost(1.0, fuel_price=30.0)
    with pytest.raises(ValueError, match="heat_mwh"):
        variable_heat_cost([1.0, float("nan")], cop=3.0)
    with pytest.raises(ValueError, match="lhv"):
        price_per_mwh_from_per_kg(-0.13, 0.0)


def test_net_electricity_cost_hand() -> None:
    # import 10 MWh at 87.57 + 50 = 1375.7; export 5 MWh at 87.57 = -437.85
    cost = net_electricity_cost(np.array([30.0, 10.0]), np.array([20.0, 15.0]), 87.57)
    assert cost == pytest.approx([1375.7, -437.85])


def test_lcoh_unit_and_system() -> None:
    # (1e6 + 2e5 + 3e5) / 1e4 = 150 EUR/MWh
    assert lcoh(1e6, 2e5, 3e5, 1e4) == pytest.approx(150.0)
    per_unit = lcoh(
        np.array([1e6, 0.0]), np.array([2e5, 0.0]), np.array([3e5, 5e5]), np.array([1e4, 1e4])
    )
    assert per_unit == pytest.approx([150.0, 50.0])
    # system: (1.5e6 + 5e5) / 2e4 = 100 EUR/MWh (heat-weighted mean)
    assert lcoh_system([1e6, 0.0], [2e5, 0.0], [3e5, 5e5], [1e4, 1e4]) == pytest.approx(100.0)
    with pytest.raises(ValueError, match="heat_mwh"):
        lcoh(1.0, 1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="heat_mwh"):
        lcoh_system([1.0], [1.0], [1.0], [0.0])
