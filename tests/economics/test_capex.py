"""CAPEX catalogue, CEPCI indexing and overrides."""

from __future__ import annotations

import pytest

from heatpath.economics import capex, index_cost, load_catalogue, load_cepci
from heatpath.economics.capex import CATALOGUE_COLUMNS

PAPER_TECHNOLOGIES = {
    "gas_boiler",
    "electric_boiler",
    "biomass_boiler",
    "gas_ccgt_chp",
    "backpressure_chp",
    "wte_chp",
    "biogas_chp",
    "ashp",
    "wshp_lake",
    "sewage_hp",
    "excess_heat_hp",
    "solar_dh",
    "solar_dh_mw",
    "deep_geothermal",
    "shallow_geothermal",
    "ptes",
    "steel_tank",
}


def test_catalogue_shape_and_honesty() -> None:
    cat = load_catalogue()
    assert cat.index.name == "technology"
    assert list(cat.columns) == CATALOGUE_COLUMNS[1:]
    assert set(cat.index) >= PAPER_TECHNOLOGIES
    assert cat.index.is_unique
    assert (cat["specific_capex"] > 0).all() and (cat["lifetime_years"] >= 1).all()
    assert set(cat["capex_unit"]) <= {"EUR/MW_th", "EUR/MW_el", "EUR/MW_fuel", "EUR/m2", "EUR/m3"}
    # every figure is flagged as approximate / to be verified
    assert cat["source"].str.contains("verify|replace", case=False).all()
    assert cat.loc["ptes", "capex_unit"] == "EUR/m3"
    assert cat.loc["solar_dh", "capex_unit"] == "EUR/m2"


def test_cepci_values() -> None:
    cepci = load_cepci()
    expected = {
        2015: 556.8,
        2016: 541.7,
        2017: 567.5,
        2018: 603.1,
        2019: 607.5,
        2020: 596.2,
        2021: 708.0,
        2022: 816.0,
        2023: 797.9,
    }
    for year, value in expected.items():
        assert cepci[year] == value


def test_index_cost_hand() -> None:
    # 100 * 797.9 / 596.2 = 133.8309
    assert index_cost(100.0, 2020, 2023) == pytest.approx(133.8309, abs=1e-4)
    assert index_cost(100.0, 2023, 2023) == 100.0
    assert index_cost(100.0, 2020, 2030, cepci={2020: 100.0, 2030: 150.0}) == 150.0
    with pytest.raises(ValueError, match="CEPCI has no value for 2024"):
        index_cost(100.0, 2020, 2024)
    # flat extrapolation beyond the table: 2024 uses the 2023 value
    assert index_cost(100.0, 2020, 2024, extrapolate=True) == pytest.approx(133.8309, abs=1e-4)


def test_capex_hand() -> None:
    # PTES 200,000 m3 * 40 EUR/m3 = 8.0 MEUR (2020 prices)
    assert capex("ptes", 200_000) == pytest.approx(8.0e6)
    assert capex("ptes", 200_000, 2023) == pytest.approx(8.0e6 * 797.9 / 596.2)
    # ASHP 29 MW_th * 0.9 MEUR/MW = 26.1 MEUR
    assert capex("ashp", 29) == pytest.approx(26.1e6)
    with pytest.raises(ValueError, match="unknown technology"):
        capex("fusion", 1.0)
    with pytest.raises(ValueError, match="size"):
        capex("ashp", -1.0)


def test_overrides() -> None:
    cat = load_catalogue(
        {
            "ashp": {"specific_capex": 1.1e6},
            "hydrogen_boiler": {
                "specific_capex": 1e5,
                "capex_unit": "EUR/MW_th",
                "lifetime_years": 20,
                "price_year": 2023,
            },
        }
    )
    assert cat.loc["ashp", "specific_capex"] == 1.1e6
    assert cat.loc["ashp", "source"].endswith("overridden by scenario")
    assert capex("ashp", 2.0, catalogue=cat) == 2.2e6
    assert capex("hydrogen_boiler", 10.0, catalogue=cat) == 1e6
    assert cat.loc["hydrogen_boiler", "fixed_om"] == 0.0
    assert cat["lifetime_years"].dtype.kind == "i"
    # the packaged catalogue is untouched
    assert load_catalogue().loc["ashp", "specific_capex"] == 900_000
    with pytest.raises(ValueError, match="unknown column"):
        load_catalogue({"ashp": {"capex": 1.0}})
    with pytest.raises(ValueError, match="needs"):
        load_catalogue({"new_tech": {"specific_capex": 1.0}})
    with pytest.raises(ValueError, match="lifetime_years"):
        load_catalogue({"ashp": {"lifetime_years": 0}})
    with pytest.raises(ValueError, match="specific_capex"):
        load_catalogue({"ashp": {"specific_capex": -5}})
