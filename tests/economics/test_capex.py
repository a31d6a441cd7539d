"""CAPEX catalogue, CEPCI indexing and overrides."""

from __future__ import annotations

import pytest

from heatpath.economics import (
    capex,
    catalogue_units_per_size,
    index_cost,
    load_catalogue,
    load_cepci,
)
from heatpath.economics.capex import CATALOGUE_COLUMNS, CATALOGUE_SIZE_UNITS, VERIFIED_VALUES
from heatpath.model.schema import (
    CHPBackPressure,
    CHPExtraction,
    ElectricBoiler,
    FuelBoiler,
    HeatPump,
    SolarThermal,
    Storage,
)

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
    assert set(cat["capex_unit"]) <= {f"EUR/{u}" for u in CATALOGUE_SIZE_UNITS}
    assert set(cat["verified"]) <= set(VERIFIED_VALUES)
    # unverified rows say so; verified rows no longer carry the "verify before use" flag
    unverified = cat[cat["verified"] == "no"]
    assert unverified["source"].str.contains("NOT VERIFIED").all()
    assert unverified["source"].str.contains("verify|replace", case=False).all()
    checked = cat[cat["verified"] != "no"]
    assert not checked["source"].str.contains("verify before use|NOT VERIFIED").any()
    # storages are priced per MWh of capacity, as DEA does
    assert cat.loc["ptes", "capex_unit"] == "EUR/MWh"
    assert cat.loc["steel_tank", "capex_unit"] == "EUR/MWh"
    assert cat.loc["solar_dh", "capex_unit"] == "EUR/m2"


def test_every_row_has_source_price_year_and_unit() -> None:
    cat = load_catalogue()
    for tech, row in cat.iterrows():
        assert row["source"].strip(), tech
        assert row["capex_unit"].strip(), tech
        assert 2000 <= row["price_year"] <= 2024, tech
    # every price year can be CEPCI-indexed without extrapolation
    assert set(cat["price_year"]) <= set(load_cepci().index)
    # a verified row cites catalogue, sheet, data-year column, price year and where it was read
    for tech, row in cat[cat["verified"] != "no"].iterrows():
        src = row["source"]
        assert "Danish Energy Agency" in src, tech
        assert "sheet '" in src and "data-year column 2020" in src, tech
        assert f"price year EUR{row['price_year']}" in src, tech
        assert "technology-data outputs/costs_2020.csv @" in src, tech


# Figures typed independently from the cited public values (PyPSA/technology-data
# outputs/costs_2020.csv @4eaddec9, which carries the DEA datasheet values for the 2020 column
# unchanged in the catalogue's 2015 prices): {technology: (EUR per unit, fixed O&M, var O&M,
# lifetime, price year)}
DEA_CITED = {
    # DEA el & DH '44 Natural Gas DH Only' 2020: 60.0 EUR/kW_th, FOM 3.25 %/yr, VOM 1.1, 25 a
    "gas_boiler": (60_000.0, 0.0325 * 60_000.0, 1.1, 25, 2015),
    # DEA el & DH '41 Electric Boilers' 2020: 70.0 EUR/kW_th (10/15 kV, > 10 MW), VOM 0.9, 20 a;
    # FOM 1.5286 %/yr (@000fdb72)
    "electric_boiler": (70_000.0, 0.015286 * 70_000.0, 0.9, 20, 2015),
    # DEA el & DH '40 Comp. hp, airsource 3 MW' 2020: 951.39 EUR/kW_th, VOM 2.19, 25 a;
    # FOM 0.2102 %/yr (@000fdb72)
    "ashp": (951_390.0, 0.002102 * 951_390.0, 2.19, 25, 2015),
    # DEA el & DH '05 Gas turb. CC, steam extract.' 2020: 880.0 EUR/kW_el, FOM 3.3295 %/yr, VOM 4.4
    "gas_ccgt_chp": (880_000.0, 0.033295 * 880_000.0, 4.4, 25, 2015),
    # DEA storage '140 PTES seasonal' 2020: 0.58 EUR/kWh capacity = 580 EUR/MWh, FOM 0.52 %/yr,
    # 20 a (PyPSA row 'central water tank storage' @4eaddec9); no variable O&M carried
    "ptes": (580.0, 0.0052 * 580.0, 0.0, 20, 2015),
}


@pytest.mark.parametrize("tech", sorted(DEA_CITED))
def test_verified_rows_match_cited_dea_values(tech: str) -> None:
    capex_, fom, vom, life, price_year = DEA_CITED[tech]
    row = load_catalogue().loc[tech]
    assert row["verified"] == "yes"
    assert row["specific_capex"] == pytest.approx(capex_, rel=1e-6)
    assert row["fixed_om"] == pytest.approx(fom, rel=1e-3)  # catalogue rounds to EUR/MW/yr
    assert row["variable_om_eur_per_mwh"] == pytest.approx(vom, rel=1e-6)
    assert row["lifetime_years"] == life
    assert row["price_year"] == price_year


def test_partial_row_back_calculation() -> None:
    # DEA el & DH '40 Comp. hp, excess heat 10 MW' 2020, as read in EUR2020 (HICP-inflated by
    # PyPSA): 704.7435 EUR/kW_th, VOM 1.7884; PyPSA's factor = 63.4933 / 60 (gas boiler)
    factor = 63.4933 / 60.0
    row = load_catalogue().loc["excess_heat_hp"]
    assert row["verified"] == "partial" and row["price_year"] == 2015
    assert row["specific_capex"] == pytest.approx(704_743.5 / factor, abs=1.0)
    assert row["variable_om_eur_per_mwh"] == pytest.approx(1.7884 / factor, abs=0.005)
    # DEA storage '141 Large hot water tank' 2020, read in EUR2020 (open-energy-transition fork
    # @618e1c2e): 3.1374 EUR/kWh capacity, FOM 0.2901 %/yr, 40 a -> per MWh in EUR2015
    tank = load_catalogue().loc["steel_tank"]
    assert tank["verified"] == "partial" and tank["price_year"] == 2015
    assert tank["capex_unit"] == "EUR/MWh"
    assert tank["specific_capex"] == pytest.approx(3137.4 / factor, abs=0.01)  # 2,964.79
    assert tank["fixed_om"] == pytest.approx(0.002901 * 3137.4 / factor, abs=1e-3)  # 8.6009
    assert tank["lifetime_years"] == 40


def test_capex_indexed_from_row_price_year_to_2024() -> None:
    # hand computation: gas boiler 10 MW x 60,000 EUR2015/MW = 600,000 EUR2015;
    # to 2024 with CEPCI held flat after 2023: x 797.9 / 556.8
    assert capex("gas_boiler", 10) == pytest.approx(600_000.0)
    assert capex("gas_boiler", 10, 2024, extrapolate=True) == pytest.approx(
        600_000.0 * 797.9 / 556.8
    )
    assert capex("gas_boiler", 10, 2024, extrapolate=True) == pytest.approx(859_806.03, abs=0.01)
    # a 2020-price row indexes from 2020: rooftop solar 1,000 m2 x 700 EUR2020/m2 x 797.9 / 596.2
    assert capex("solar_dh_rooftop", 1_000, 2024, extrapolate=True) == pytest.approx(
        700_000.0 * 797.9 / 596.2
    )
    # changing the price year of a row changes the index base
    cat = load_catalogue({"gas_boiler": {"price_year": 2020}})
    assert capex("gas_boiler", 10, 2023, catalogue=cat) == pytest.approx(600_000.0 * 797.9 / 596.2)


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
    # PTES 6,813.6 MWh (one 200,000 m3 pit at 90/60 C) * 580 EUR2015/MWh = 3.951888 MEUR
    assert capex("ptes", 6_813.6) == pytest.approx(3_951_888.0)
    assert capex("ptes", 6_813.6, 2023) == pytest.approx(3_951_888.0 * 797.9 / 556.8)
    # ASHP 29 MW_th * 0.95139 MEUR2015/MW (DEA 40 Comp. hp, airsource 3 MW) = 27.59031 MEUR
    assert capex("ashp", 29) == pytest.approx(27_590_310.0)
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
    assert load_catalogue().loc["ashp", "specific_capex"] == 951_390
    assert load_catalogue().loc["ashp", "verified"] == "yes"
    # an overridden figure is no longer the catalogue's
    assert cat.loc["ashp", "verified"] == "no"
    assert cat.loc["hydrogen_boiler", "verified"] == "no"
    kept = load_catalogue({"ashp": {"lifetime_years": 20, "verified": "yes"}})
    assert kept.loc["ashp", "verified"] == "yes"
    with pytest.raises(ValueError, match="verified"):
        load_catalogue({"ashp": {"verified": "maybe"}})
    with pytest.raises(ValueError, match="unknown column"):
        load_catalogue({"ashp": {"capex": 1.0}})
    with pytest.raises(ValueError, match="needs"):
        load_catalogue({"new_tech": {"specific_capex": 1.0}})
    with pytest.raises(ValueError, match="lifetime_years"):
        load_catalogue({"ashp": {"lifetime_years": 0}})
    with pytest.raises(ValueError, match="specific_capex"):
        load_catalogue({"ashp": {"specific_capex": -5}})


def test_catalogue_without_verified_column(tmp_path) -> None:
    # catalogues written before the `verified` column load with nothing marked as verified
    path = tmp_path / "old.csv"
    path.write_text(
        "technology,specific_capex,capex_unit,fixed_om,variable_om_eur_per_mwh,lifetime_years,"
        "price_year,source,notes\n"
        "boiler,1000,EUR/MW_th,10,1.0,20,2020,own figure,\n"
    )
    cat = load_catalogue(path=path)
    assert cat.loc["boiler", "verified"] == "no"
    assert capex("boiler", 2.0, catalogue=cat) == 2000.0


# --------------------------------------------------------------------------- size conversion
# Hand values: 90/60 C water at the mean 75 C: rho 974.85 kg/m3, cp 4193.6 J/(kg K)
# (heatpath.physics.storage docstring) -> 974.85 * 4193.6 * 30 / 3.6e9 = 0.0340684 MWh per m3.
MWH_PER_M3_90_60 = 974.85 * 4193.6 * 30.0 / 3.6e9

BOILER = FuelBoiler(kind="gas_boiler", name="boiler", fuel="gas", capacity_mw=10.0,
                    efficiency=0.9)
BP_CHP = CHPBackPressure(kind="chp_backpressure", name="bp", fuel="gas", capacity_mw=10.0,
                         efficiency=0.8, power_to_heat=0.45)
CCGT = CHPExtraction(kind="ccgt", name="ccgt", fuel="gas", capacity_mw=114.0,
                     el_capacity_mw=150.0, el_efficiency=0.53, power_to_heat=1.1)
SOLAR = SolarThermal(kind="solar_thermal", name="solar", area_m2=1000.0, eta0=0.8)
HP = HeatPump(kind="heat_pump", name="hp", capacity_mw=1.0, cop=3.0)
EBOILER = ElectricBoiler(kind="electric_boiler", name="eb", capacity_mw=1.0)
PIT = Storage(name="pit", kind="pit", volume_m3=200_000.0, charge_mw=50.0, discharge_mw=50.0)


@pytest.mark.parametrize(("component", "unit", "expected"), [
    (HP, "EUR/MW_th", 1.0),
    (EBOILER, "MW_th", 1.0),
    (HP, "EUR/MW", 1.0),                      # MW = MW of heat
    (BP_CHP, "EUR/MW_el", 0.45),              # power-to-heat ratio
    (CCGT, "EUR/MW_el", 150.0 / 114.0),       # 1.315789 MW_el per MW of heat
    (BOILER, "EUR/MW_fuel", 1.0 / 0.9),       # 1.111111 MW of fuel per MW of heat
    (BP_CHP, "EUR/MW_fuel", 1.0 / 0.8),       # 1.25
    (CCGT, "EUR/MW_fuel", 150.0 / 0.53 / 114.0),  # 2.482622 (fuel at the condensing point)
    (SOLAR, "EUR/m2", 1250.0),                # 1000 W/m2 * 0.8 = 0.8 kW peak per m2
    (PIT, "EUR/m3", 1.0 / MWH_PER_M3_90_60),  # 29.3527 m3 per MWh at 90/60 C
    (PIT, "EUR/MWh", 1.0),
])
def test_catalogue_units_per_size_hand(component, unit, expected) -> None:
    assert catalogue_units_per_size(component, unit, "t") == pytest.approx(expected, rel=1e-4)
    # the bare size unit is accepted too
    assert catalogue_units_per_size(component, unit.removeprefix("EUR/")) == pytest.approx(
        expected, rel=1e-4)


def test_catalogue_units_per_size_storage_temperatures() -> None:
    # 80/40 C: mean 60 C, rho 983.2 kg/m3 (Kell), cp 4185 J/(kg K) -> 0.045719 MWh per m3
    warm = Storage(name="tank", volume_m3=1000.0, t_hot_c=80.0, t_cold_c=40.0, charge_mw=1.0,
                   discharge_mw=1.0)
    assert 1.0 / catalogue_units_per_size(warm, "EUR/m3") == pytest.approx(
        983.2 * 4185.0 * 40.0 / 3.6e9, rel=1e-3)


def test_catalogue_ptes_per_m3_at_90_60() -> None:
    # DEA's 580 EUR2015/MWh applied to the capacity of 1 m3 at 90/60 C: ~19.76 EUR2015/m3
    # (the former approximation was 40 EUR/m3); 200,000 m3 -> 6,813.7 MWh -> 3.952 MEUR2015
    row = load_catalogue().loc["ptes"]
    per_mwh = row["specific_capex"] * catalogue_units_per_size(PIT, row["capex_unit"])
    assert per_mwh == pytest.approx(580.0)
    per_m3 = per_mwh * MWH_PER_M3_90_60
    assert per_m3 == pytest.approx(19.76, abs=0.01)
    pit_capex = PIT.volume_m3 * per_m3
    assert pit_capex == pytest.approx(3.952e6, rel=1e-3)


@pytest.mark.parametrize(("component", "unit", "message"), [
    (PIT, "EUR/MW_th", r"storage 'pit'.*priced in EUR/MW_th.*capex_eur_per_mwh"),
    (HP, "EUR/MWh", r"unit 'hp'.*priced in EUR/MWh.*needs a storage.*capex_eur_per_mw"),
    (HP, "EUR/m3", r"unit 'hp'.*priced in EUR/m3.*needs a storage"),
    (HP, "EUR/MW_el", r"priced in EUR/MW_el.*needs a CHP unit"),
    (EBOILER, "EUR/MW_fuel", r"priced in EUR/MW_fuel.*needs a fuel-fired unit"),
    (BOILER, "EUR/m2", r"priced in EUR/m2.*needs a solar thermal unit"),
    (HP, "EUR/kW", r"unknown catalogue unit; known: EUR/MW_th"),
])
def test_catalogue_units_per_size_errors(component, unit, message) -> None:
    with pytest.raises(ValueError, match=message):
        catalogue_units_per_size(component, unit, "t")
