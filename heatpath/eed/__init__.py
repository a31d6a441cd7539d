"""Article 26 of the Energy Efficiency Directive (EU) 2023/1791 as data + pure functions.

Rules live in CSV tables (``heatpath/data/eed_*.csv``); this package loads them and offers:

* classification of units into the five counting groups (:func:`classify_unit`,
  :func:`group_fractions`) following Recommendation (EU) 2024/2395, Tables A-1/A-2;
* the Art. 26(1) alternatives in force in a year (:func:`alternatives`), used both by
  :func:`assess` and by the dispatch (one LP per alternative);
* Art. 26(2) GHG limits and intensities (:func:`ghg_limit_g_per_kwh`, :func:`ghg_intensity`,
  :func:`heat_emission_factors`);
* high-efficiency cogeneration (:func:`primary_energy_savings`, :func:`is_high_efficiency_chp`);
* the obligations of Art. 26(4)-(7) and Table A-2 (:func:`table_a2`).

Every rule, its legal source and each interpretation decision are documented in docs/eed.md.
"""

from heatpath.eed.assess import (
    Assessment,
    ClosestMiss,
    assess,
    compute_shares,
    substitution_needed,
    table_a2,
)
from heatpath.eed.chp import (
    ALLOCATION_METHODS,
    HECHPStatus,
    chp_heat_share,
    co2_limit_applies,
    default_reference_efficiencies,
    hechp_status,
    is_high_efficiency_chp,
    primary_energy_savings,
)
from heatpath.eed.classify import (
    ETA_DEFAULT,
    WASTE_HEAT_SOURCES,
    Classification,
    category_heat,
    classify_system,
    classify_unit,
    estimate_spf,
    group_fractions,
    group_heat,
    heat_pump_counts_as_renewable,
    spf_threshold,
)
from heatpath.eed.ghg import (
    DEFAULT_ALLOCATION,
    ghg_compliant,
    ghg_intensity,
    heat_emission_factors,
)
from heatpath.eed.obligations import (
    CBA_INSTALLATION_TYPES,
    cba_required,
    data_centre_waste_heat_obligation,
    plan_obligation,
    substantial_refurbishment,
)
from heatpath.eed.rules import (
    GROUPS,
    Alternative,
    Category,
    Condition,
    Period,
    alternatives,
    categories,
    essential_alternatives,
    ghg_limit_g_per_kwh,
    period,
    periods,
    share_keys,
)

__all__ = [
    "ALLOCATION_METHODS", "CBA_INSTALLATION_TYPES", "DEFAULT_ALLOCATION", "ETA_DEFAULT",
    "GROUPS", "WASTE_HEAT_SOURCES", "Alternative", "Assessment", "Category", "Classification",
    "ClosestMiss", "Condition", "HECHPStatus", "Period", "alternatives", "assess",
    "categories", "category_heat", "cba_required", "chp_heat_share", "classify_system",
    "classify_unit", "co2_limit_applies", "compute_shares", "data_centre_waste_heat_obligation",
    "default_reference_efficiencies", "essential_alternatives", "estimate_spf",
    "ghg_compliant", "ghg_intensity", "ghg_limit_g_per_kwh", "group_fractions", "group_heat",
    "heat_emission_factors", "heat_pump_counts_as_renewable", "hechp_status",
    "is_high_efficiency_chp", "period", "periods", "plan_obligation",
    "primary_energy_savings", "share_keys", "spf_threshold", "substantial_refurbishment",
    "substitution_needed", "table_a2",
]
