"""Economics of DH decarbonisation scenarios: finance, CAPEX, variable cost, cash flow.

Pure Python/numpy/pandas; no dependency on dispatch. Implements the financial analysis
of the Bucharest DH decarbonisation paper (differential cash flow vs a "no action"
reference, NPV, IRR, simple/discounted payback, energyPRO-style variable heat cost) with
the paper's financial assumptions as defaults. See ``docs/economics.md``.
"""

from heatpath.economics.appraisal import (
    Appraisal,
    ComponentInvestment,
    appraise_results,
    investments_between,
    unit_variable_costs,
)
from heatpath.economics.capex import (
    capex,
    catalogue_units_per_size,
    index_cost,
    load_catalogue,
    load_cepci,
)
from heatpath.economics.cashflow import (
    FinanceAssumptions,
    Investment,
    appraise,
    differential_cashflow,
    investment_from_catalogue,
)
from heatpath.economics.finance import (
    annuity_payment,
    crf,
    discounted_payback,
    fisher_nominal_rate,
    fisher_real_rate,
    irr,
    npv,
    simple_payback,
    wacc,
)
from heatpath.economics.loan import loan_schedule
from heatpath.economics.variable_cost import (
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

__all__ = [
    "DEFAULT_DISTRIBUTION_COST",
    "FinanceAssumptions",
    "Investment",
    "annuity_payment",
    "appraise",
    "capex",
    "catalogue_units_per_size",
    "chp_electricity_revenue",
    "crf",
    "differential_cashflow",
    "discounted_payback",
    "ets_cost",
    "fisher_nominal_rate",
    "fisher_real_rate",
    "fuel_cost",
    "fuel_price_per_mwh",
    "heat_pump_electricity_cost",
    "index_cost",
    "investment_from_catalogue",
    "irr",
    "lcoh",
    "lcoh_system",
    "load_catalogue",
    "load_cepci",
    "load_fuels",
    "loan_schedule",
    "net_electricity_cost",
    "npv",
    "price_per_mwh_from_per_kg",
    "price_per_mwh_from_per_nm3",
    "simple_payback",
    "variable_heat_cost",
    "wacc",
    "Appraisal",
    "ComponentInvestment",
    "appraise_results",
    "investments_between",
    "unit_variable_costs",
]
