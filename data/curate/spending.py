"""Defence spending (SIPRI and NATO series, 2025 estimates, pledges) and the economy table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.curate.common import FIRST_YEAR, LAST_YEAR, NATO_YEARS, _bool


SIPRI_SOURCE, NATO_SOURCE = "sipri_milex_2025", "nato_defexp_2024"


NATO_EDITION = "June 2024 tables"


def sipri_spending(
    milex: pd.DataFrame, partners: set[str], source_id: str = SIPRI_SOURCE, last_year: int = LAST_YEAR
) -> pd.DataFrame:
    """Series 'sipri' of ``spending`` from SIPRI's milex rows (the shared CSV or the workbook)."""
    milex = milex[milex["iso3"].isin(partners) & milex["year"].between(FIRST_YEAR, last_year)]
    return pd.DataFrame(
        {
            "iso3": milex["iso3"],
            "year": milex["year"],
            "series": "sipri",
            "share_gdp_pct": milex["milex_share_gdp_pct"],
            "usd_const_m": milex["milex_const2023_usd_m"],
            "usd_current_m": milex["milex_current_usd_m"],
            "equipment_share_pct": np.nan,
            "is_estimate": False,  # SIPRI's estimate colouring is not in the CSV
            "source_id": source_id,
            "note": None,
        }
    )


def nato_spending(
    nato: pd.DataFrame,
    partners: set[str],
    source_id: str = NATO_SOURCE,
    edition: str = NATO_EDITION,
    last_year: int = NATO_YEARS[1],
) -> pd.DataFrame:
    """Series 'nato' of ``spending`` from NATO's tables (the shared CSV or the workbook)."""
    nato = nato[nato["iso3"].isin(partners) & nato["year"].between(NATO_YEARS[0], last_year)]
    nato_est = nato["is_estimate"].astype(str).str.lower().eq("true")
    return pd.DataFrame(
        {
            "iso3": nato["iso3"],
            "year": nato["year"],
            "series": "nato",
            "share_gdp_pct": nato["defexp_share_gdp_pct"],
            "usd_const_m": nato["defexp_usd_const2015_m"],
            "usd_current_m": nato["defexp_usd_current_m"],
            "equipment_share_pct": nato["equipment_share_pct"],
            "is_estimate": nato_est,
            "source_id": source_id,
            "note": np.where(nato_est, f"NATO estimate (e), {edition}", None),
        }
    )


def spending_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with at least one figure, every share inside 0-100 (else the whole table is refused)."""
    values = ["share_gdp_pct", "usd_const_m", "usd_current_m", "equipment_share_pct"]
    frame = frame.dropna(subset=values, how="all")
    share = frame["share_gdp_pct"]
    if ((share < 0) | (share > 100)).any():
        raise ValueError("spending.share_gdp_pct outside 0-100")
    return frame


def build_spending(raw: dict, cur: dict, partners: set[str]) -> pd.DataFrame:
    """SIPRI and NATO series, the 2025 NATO estimates and stated pledges."""
    sipri = sipri_spending(raw["milex"], partners)
    nato_rows = nato_spending(raw["nato"], partners)

    e25 = cur["nato_2025e"]
    nato_2025e = pd.DataFrame(
        {
            "iso3": e25["iso3"],
            "year": 2025,
            "series": "nato_2025e",
            "share_gdp_pct": e25["share_gdp_pct"].astype(float),
            "is_estimate": True,
            "source_id": e25["source_id"],
            "note": e25["note"],
        }
    )

    pledges = cur["pledges"].copy()
    pledges["year"] = pledges["year"].astype(int)
    # Two pledges for the same year: keep the more specific national one over the NATO-wide goal.
    pledges["_national"] = pledges["source_id"].ne("press_N25")
    pledges = pledges.sort_values(["iso3", "year", "_national"], ascending=[True, True, False])
    pledges = pledges.drop_duplicates(["iso3", "year"], keep="first")
    pledge_rows = pd.DataFrame(
        {
            "iso3": pledges["iso3"],
            "year": pledges["year"],
            "series": "pledge",
            "share_gdp_pct": pledges["share_gdp_pct"].astype(float),
            "is_estimate": _bool(pledges["is_estimate"]),
            "source_id": pledges["source_id"],
            "note": pledges["note"],
        }
    )

    return spending_rows(pd.concat([sipri, nato_rows, nato_2025e, pledge_rows], ignore_index=True))


def build_economy(raw: dict, partners: set[str]) -> pd.DataFrame:
    """World Bank GDP (US$ million) and population; Taiwan derived from SIPRI."""
    wb = raw["wb"]
    wb = wb[
        wb["is_country"].astype(str).str.lower().eq("true")
        & wb["iso3"].isin(partners)
        & wb["year"].between(FIRST_YEAR, LAST_YEAR)
    ]
    economy = pd.DataFrame(
        {
            "iso3": wb["iso3"],
            "year": wb["year"],
            "gdp_current_usd_m": wb["gdp_current_usd"] / 1e6,
            "population": wb["population"].round().astype("Int64"),
            "is_estimate": False,
            "source_id": "wb_wdi",
            "note": None,
        }
    )
    milex = raw["milex"]
    twn = milex[(milex["iso3"] == "TWN") & milex["year"].between(FIRST_YEAR, LAST_YEAR)]
    twn_rows = pd.DataFrame(
        {
            "iso3": "TWN",
            "year": twn["year"],
            "gdp_current_usd_m": twn["milex_current_usd_m"] / (twn["milex_share_gdp_pct"] / 100),
            "population": (twn["milex_current_usd_m"] * 1e6 / twn["milex_per_capita_usd"])
            .round()
            .astype("Int64"),
            "is_estimate": True,
            "source_id": "sipri_milex_2025",
            "note": "Taiwan is absent from WDI: GDP = SIPRI milex (current US$) / share of GDP; "
            "population = SIPRI milex / milex per capita",
        }
    )
    economy = pd.concat([economy, twn_rows], ignore_index=True)
    economy = economy.dropna(subset=["gdp_current_usd_m", "population"], how="all")
    return economy
