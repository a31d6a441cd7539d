"""Article 26(1) EED, line by line from Recommendation (EU) 2024/2395, Table 1.

Each case gives a heat mix (MWh into the network out of 10 000, so 1 MWh = 0.01 %) and the
exact set of alternatives met. "at" = exactly at the threshold ("at least" -> met),
"below" = 1 MWh (0.01 %) under it. Keys: r renewable, w waste_heat, h hechp,
c cogeneration (not high-efficiency), f fossil.
"""

from __future__ import annotations

import pytest

from heatpath.eed import alternatives, assess

G = {"r": "renewable", "w": "waste_heat", "h": "hechp", "c": "cogeneration", "f": "fossil"}


def mix(**kw: float) -> dict[str, float]:
    assert sum(kw.values()) == 10_000, kw
    return {G[k]: float(v) for k, v in kw.items()}


# --- Until 31 December 2027 -------------------------------------------------------------
# "EDHC shall use at least 50 % renewable energy, 50 % waste heat, 75 % cogenerated heat or
#  50 % of a combination of such energy and heat"
Q2024 = "until 31.12.2027: 50 % RES, 50 % WH, 75 % cogenerated heat or 50 % combination"
P2024 = [
    ("res50 at", mix(r=5000, f=5000), {"res50", "combined50"}),
    ("res50 below", mix(r=4999, f=5001), set()),
    ("wh50 at", mix(w=5000, f=5000), {"wh50", "combined50"}),
    ("wh50 below", mix(w=4999, f=5001), set()),
    ("chp75 at, any CHP counts", mix(c=7500, f=2500), {"chp75", "combined50"}),
    ("chp75 at, HECHP + other CHP", mix(h=4000, c=3500, f=2500), {"chp75", "combined50"}),
    ("chp75 below", mix(c=7499, f=2501), {"combined50"}),
    ("combination at", mix(r=2000, w=1000, h=1000, c=1000, f=5000), {"combined50"}),
    ("combination below", mix(r=2000, w=1000, h=1000, c=999, f=5001), set()),
]

# --- From 1 January 2028 ----------------------------------------------------------------
# "EDHC shall use at least 50 % renewable energy, 50 % waste heat, 50 % renewable energy and
#  waste heat, 80 % of high-efficiency cogenerated heat or at least a combination of such
#  thermal energy going into the network where the share of renewable energy is at least 5 %
#  and the total share of renewable energy, waste heat or high-efficiency cogenerated heat is
#  at least 50 %"
Q2028 = "from 1.1.2028: 50 % RES, 50 % WH, 50 % RES+WH, 80 % HECHP or RES>=5 % & RES+WH+HECHP>=50 %"
P2028 = [
    ("res50 at", mix(r=5000, f=5000), {"res50", "res_wh50", "res5_combined50"}),
    ("res50 below", mix(r=4999, f=5001), set()),
    ("wh50 at", mix(w=5000, f=5000), {"wh50", "res_wh50"}),
    ("wh50 below", mix(w=4999, f=5001), set()),
    ("res_wh50 at", mix(r=2500, w=2500, f=5000), {"res_wh50", "res5_combined50"}),
    ("res_wh50 at, RES < 5 %", mix(r=400, w=4600, f=5000), {"res_wh50"}),
    ("res_wh50 below", mix(r=400, w=4599, f=5001), set()),
    ("hechp80 at", mix(h=8000, f=2000), {"hechp80"}),
    ("hechp80 below", mix(h=7999, f=2001), set()),
    ("hechp80: other CHP does not count", mix(h=4000, c=4000, f=2000), set()),
    ("res5 & combined50 at", mix(r=500, h=4500, f=5000), {"res5_combined50"}),
    ("res5 below", mix(r=499, h=4501, f=5000), set()),
    ("combined50 below", mix(r=500, h=4499, f=5001), set()),
    ("combined50: other CHP does not count", mix(r=500, h=2000, c=2500, f=5000), set()),
    ("combined50 with waste heat", mix(r=500, w=2000, h=2500, f=5000), {"res5_combined50"}),
]

# --- From 1 January 2035 ----------------------------------------------------------------
# "EDHC shall use at least 50 % renewable energy, 50 % waste heat, or 50 % renewable energy
#  and waste heat, or a system, where the total share of renewable energy, waste heat or
#  high-efficiency cogenerated heat is at least 80 % and in addition the total share of
#  renewable energy or waste heat is at least 35 %"
Q2035 = "from 1.1.2035: 50 % RES, 50 % WH, 50 % RES+WH or RES+WH+HECHP>=80 % & RES+WH>=35 %"
P2035 = [
    ("res50 at", mix(r=5000, f=5000), {"res50", "res_wh50"}),
    ("res50 below", mix(r=4999, f=5001), set()),
    ("wh50 at", mix(w=5000, f=5000), {"wh50", "res_wh50"}),
    ("wh50 below", mix(w=4999, f=5001), set()),
    ("res_wh50 at", mix(r=2500, w=2500, f=5000), {"res_wh50"}),
    ("res_wh50 below", mix(r=2500, w=2499, f=5001), set()),
    ("combined80 & res_wh35 at", mix(r=2000, w=1500, h=4500, f=2000), {"res_wh35_combined80"}),
    ("combined80 below", mix(r=2000, w=1500, h=4499, f=2001), set()),
    ("res_wh35 below", mix(r=2000, w=1499, h=4501, f=2000), set()),
    # "35 % renewable energy or waste heat" = combined share (neither alone reaches 35 %)
    ("res_wh35 as combined share", mix(r=1750, w=1750, h=4500, f=2000),
     {"res_wh35_combined80"}),
    ("res_wh35 by waste heat alone", mix(w=3500, h=4500, f=2000), {"res_wh35_combined80"}),
    ("only fossil HECHP no longer efficient", mix(h=10000), set()),
    ("other CHP does not count", mix(r=3500, c=4500, f=2000), set()),
]

# --- From 1 January 2040 ----------------------------------------------------------------
# "EDHC shall use at least 75 % renewable energy, 75 % waste heat or 75 % renewable energy and
#  waste heat, or a system using at least 95 % renewable energy, waste heat and
#  high-efficiency cogenerated heat and in addition the total share of renewable energy or
#  waste heat is at least 35 %"
Q2040 = "from 1.1.2040: 75 % RES, 75 % WH, 75 % RES+WH or RES+WH+HECHP>=95 % & RES+WH>=35 %"
P2040 = [
    ("res75 at", mix(r=7500, f=2500), {"res75", "res_wh75"}),
    ("res75 below", mix(r=7499, f=2501), set()),
    ("wh75 at", mix(w=7500, f=2500), {"wh75", "res_wh75"}),
    ("wh75 below", mix(w=7499, f=2501), set()),
    ("res_wh75 at", mix(r=4000, w=3500, f=2500), {"res_wh75"}),
    ("res_wh75 below", mix(r=4000, w=3499, f=2501), set()),
    ("combined95 & res_wh35 at", mix(r=2000, w=1500, h=6000, f=500), {"res_wh35_combined95"}),
    ("combined95 below", mix(r=2000, w=1500, h=5999, f=501), set()),
    ("res_wh35 below", mix(r=2000, w=1499, h=6001, f=500), set()),
    ("2035 combination no longer enough", mix(r=2000, w=1500, h=4500, f=2000), set()),
]

# --- From 1 January 2045 ----------------------------------------------------------------
# "EDHC shall use at least 75 % renewable energy, 75 % waste heat or 75 % renewable energy
#  and waste heat"
Q2045 = "from 1.1.2045: 75 % RES, 75 % WH or 75 % RES+WH"
P2045 = [
    ("res75 at", mix(r=7500, f=2500), {"res75", "res_wh75"}),
    ("res75 below", mix(r=7499, f=2501), set()),
    ("wh75 at", mix(w=7500, f=2500), {"wh75", "res_wh75"}),
    ("wh75 below", mix(w=7499, f=2501), set()),
    ("res_wh75 at", mix(r=4000, w=3500, f=2500), {"res_wh75"}),
    ("res_wh75 below", mix(r=4000, w=3499, f=2501), set()),
    ("HECHP stops counting", mix(r=3500, h=6500), set()),
]

# --- From 1 January 2050 ----------------------------------------------------------------
# "System using only renewable energy, only waste heat, or only a combination of renewable
#  energy and waste heat"
Q2050 = "from 1.1.2050: only RES, only WH, or only RES+WH"
P2050 = [
    ("only RES", mix(r=10000), {"res100", "res_wh100"}),
    ("only WH", mix(w=10000), {"wh100", "res_wh100"}),
    ("only RES+WH", mix(r=6000, w=4000), {"res_wh100"}),
    ("1 MWh fossil", mix(r=9999, f=1), set()),
    ("1 MWh HECHP", mix(r=5000, w=4999, h=1), set()),
]

CASES = []
for years, prefix, quote, rows in [
    ((2024, 2027), "2024", Q2024, P2024),
    ((2028, 2034), "2028", Q2028, P2028),
    ((2035, 2039), "2035", Q2035, P2035),
    ((2040, 2044), "2040", Q2040, P2040),
    ((2045, 2049), "2045", Q2045, P2045),
    ((2050, 2100), "2050", Q2050, P2050),
]:
    for year in years:
        for desc, heat, met in rows:
            CASES.append(pytest.param(
                year, heat, {f"{prefix}.{m}" for m in met},
                id=f"{year} [{quote}] {desc}"))


@pytest.mark.parametrize(("year", "heat", "expected"), CASES)
def test_art26_1_line_by_line(year, heat, expected):
    a = assess(year, heat)
    assert set(a.criteria_met) == expected
    assert a.efficient == bool(expected)
    for alt_id, h in a.headroom.items():
        assert (h >= -1e-9) == (alt_id in expected)


# Alternatives per period, exactly as listed in Table 1 (count and thresholds).
ALTS = [
    (2024, {"2024.res50": [("renewable", 0.5)], "2024.wh50": [("waste_heat", 0.5)],
            "2024.chp75": [("hechp+cogeneration", 0.75)],
            "2024.combined50": [("renewable+waste_heat+hechp+cogeneration", 0.5)]}),
    (2028, {"2028.res50": [("renewable", 0.5)], "2028.wh50": [("waste_heat", 0.5)],
            "2028.res_wh50": [("renewable+waste_heat", 0.5)],
            "2028.hechp80": [("hechp", 0.8)],
            "2028.res5_combined50": [("renewable", 0.05),
                                     ("renewable+waste_heat+hechp", 0.5)]}),
    (2035, {"2035.res50": [("renewable", 0.5)], "2035.wh50": [("waste_heat", 0.5)],
            "2035.res_wh50": [("renewable+waste_heat", 0.5)],
            "2035.res_wh35_combined80": [("renewable+waste_heat+hechp", 0.8),
                                         ("renewable+waste_heat", 0.35)]}),
    (2040, {"2040.res75": [("renewable", 0.75)], "2040.wh75": [("waste_heat", 0.75)],
            "2040.res_wh75": [("renewable+waste_heat", 0.75)],
            "2040.res_wh35_combined95": [("renewable+waste_heat+hechp", 0.95),
                                         ("renewable+waste_heat", 0.35)]}),
    (2045, {"2045.res75": [("renewable", 0.75)], "2045.wh75": [("waste_heat", 0.75)],
            "2045.res_wh75": [("renewable+waste_heat", 0.75)]}),
    (2050, {"2050.res100": [("renewable", 1.0)], "2050.wh100": [("waste_heat", 1.0)],
            "2050.res_wh100": [("renewable+waste_heat", 1.0)]}),
]


@pytest.mark.parametrize(("year", "expected"), ALTS, ids=[str(a[0]) for a in ALTS])
def test_alternatives_match_table_1(year, expected):
    got = {a.id: [(c.key, c.min_share) for c in a.conditions] for a in alternatives(year)}
    assert got == expected
    for a in alternatives(year):
        assert "Art. 26(1)" in a.source and "Table 1" in a.source


BOUNDARIES = [
    (2027, "2024-2027", 2028, "2028-2034"),
    (2034, "2028-2034", 2035, "2035-2039"),
    (2039, "2035-2039", 2040, "2040-2044"),
    (2044, "2040-2044", 2045, "2045-2049"),
    (2049, "2045-2049", 2050, "2050-2100"),
]


@pytest.mark.parametrize(("y0", "p0", "y1", "p1"), BOUNDARIES, ids=[str(b[2]) for b in BOUNDARIES])
def test_period_boundaries(y0, p0, y1, p1):
    h = {"renewable": 1.0}
    assert assess(y0, h).period == p0
    assert assess(y1, h).period == p1
    assert {a.period for a in alternatives(y0)} == {p0}
    assert {a.period for a in alternatives(y1)} == {p1}


# The same mix on both sides of each boundary.
FLIPS = [
    # any CHP 75 % counted until 2027; from 2028 only HECHP 80 %
    (2027, 2028, mix(c=7500, f=2500), True, False),
    # RES 4 % + HECHP 70 %: "50 % of a combination" until 2027; RES < 5 % from 2028
    (2027, 2028, mix(r=400, h=7000, f=2600), True, False),
    # HECHP 80 % alone: efficient until 2034, "only fossil" systems excluded from 2035
    (2034, 2035, mix(h=8000, f=2000), True, False),
    # RES+WH+HECHP 80 %, RES+WH 35 %: enough until 2039, 95 % needed from 2040
    (2039, 2040, mix(r=2000, w=1500, h=4500, f=2000), True, False),
    # RES+WH 35 %, HECHP 65 %: until 2044; HECHP stops counting from 2045
    (2044, 2045, mix(r=3500, h=6500), True, False),
    # RES 75 %: until 2049; only RES/WH from 2050
    (2049, 2050, mix(r=7500, f=2500), True, False),
    (2049, 2050, mix(r=10000), True, True),
]


@pytest.mark.parametrize(("y0", "y1", "heat", "e0", "e1"), FLIPS)
def test_same_mix_across_boundary(y0, y1, heat, e0, e1):
    assert assess(y0, heat).efficient is e0
    assert assess(y1, heat).efficient is e1
