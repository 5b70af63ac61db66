"""Governance (Freedom House), US presence (DMDC, bases) and US arms deliveries (SIPRI TIV)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.curate.common import DECIMALS, FH_EDITIONS, FIRST_YEAR, LAST_YEAR, SELLER


def build_governance(raw: dict, partners: set[str]) -> pd.DataFrame:
    """Freedom House editions 2021-2025, country rows of partners."""
    fh = raw["fh"]
    fh = fh[
        fh["iso3"].isin(partners)
        & fh["country_or_territory"].eq("c")
        & fh["edition"].between(*FH_EDITIONS)
    ]
    return pd.DataFrame(
        {
            "iso3": fh["iso3"],
            "edition": fh["edition"],
            "data_year": fh["data_year"],
            "fh_status": fh["status"],
            "fh_total": fh["total_score"].astype(int),
            "source_id": "fh_fiw_2025",
        }
    )


def build_us_presence(raw: dict, cur: dict, partners: set[str]) -> pd.DataFrame:
    """DMDC assigned personnel (latest report), approximate presence, bases and access."""
    fixes = cur["iso3_fixes"]
    dmdc_fix = dict(fixes.loc[fixes["dataset"] == "dmdc", ["raw_value", "iso3"]].values)
    base_fix = dict(fixes.loc[fixes["dataset"] == "vine_bases", ["raw_value", "iso3"]].values)

    dmdc = raw["dmdc"].copy()
    month_order = {"March": 1, "June": 2, "September": 3, "December": 4}
    dmdc["_q"] = dmdc["year"] * 10 + dmdc["month"].map(month_order)
    latest = dmdc[dmdc["_q"] == dmdc["_q"].max()].copy()
    as_of = latest["dmdc_report"].dropna().unique()
    if len(as_of) != 1:
        raise ValueError(f"Latest DMDC report is ambiguous: {as_of}")
    as_of = str(as_of[0])
    blank = latest["iso3"].isna()
    latest.loc[blank, "iso3"] = latest.loc[blank, "countryname"].map(dmdc_fix)
    latest = latest[latest["iso3"].isin(partners)]  # drops the US, territories, non-partners
    if latest["iso3"].duplicated().any():
        raise ValueError(f"Duplicate DMDC rows: {latest.loc[latest['iso3'].duplicated(), 'iso3']}")
    assigned = latest.set_index("iso3")["troops_ad"].astype(int)

    bases = raw["bases"]["iso3"].replace(base_fix)
    n_bases = bases[bases.isin(partners)].value_counts()

    notes = cur["us_presence_notes"].set_index("iso3")
    overrides = cur["dmdc_overrides"].set_index("iso3")
    members = sorted(
        set(assigned[assigned > 0].index) | set(n_bases.index) | set(notes.index)
    )
    bad = sorted(set(notes.index) - partners)
    if bad:
        raise ValueError(f"us_presence_notes.csv names non-partners: {bad}")

    rows = []
    for iso in members:
        row = {
            "iso3": iso,
            "troops_assigned": pd.NA,
            "assigned_as_of": None,
            "assigned_source_id": None,
            "troops_present_approx": pd.NA,
            "present_is_estimate": True,
            "present_source_id": None,
            "n_bases": int(n_bases.get(iso, 0)),
            "bases_source_id": "vine_bases_2018",
            "access_agreements": None,
            "note": None,
        }
        if iso in overrides.index:
            ov = overrides.loc[iso]
            row.update(
                troops_assigned=int(ov["troops_assigned"]),
                assigned_as_of=ov["assigned_as_of"],
                assigned_source_id=ov["assigned_source_id"],
            )
        elif iso in assigned.index:
            row.update(
                troops_assigned=int(assigned[iso]),
                assigned_as_of=as_of,
                assigned_source_id="dmdc_troopdata_2025",
            )
        if iso in notes.index:
            note = notes.loc[iso]
            if note["troops_present_approx"] is not None:
                row["troops_present_approx"] = int(note["troops_present_approx"])
                row["present_source_id"] = note["present_source_id"]
            row["access_agreements"] = note["access_agreements"]
            row["note"] = note["note"]
        rows.append(row)
    presence = pd.DataFrame(rows)
    for col in ("troops_assigned", "troops_present_approx", "n_bases"):
        presence[col] = presence[col].astype("Int64")
    return presence


def build_us_arms_delivery(raw: dict, partners: set[str]) -> pd.DataFrame:
    """SIPRI TIV of US deliveries and of all arms imports, by partner and year, 2000-2024.

    Built from the full trade register (every supplier), so a year in which a partner imported arms
    but none from the US is a row with ``us_tiv_m = 0``: the US share of imports over a window is then
    sum(US) / sum(all), not inflated by leaving out the years without US deliveries.
    """
    reg = raw["register"]
    reg = reg[reg["recipient_iso3"].isin(partners) & reg["delivery_year"].between(FIRST_YEAR, LAST_YEAR)]
    reg = reg.assign(us=np.where(reg["supplier_iso3"].eq(SELLER), reg["tiv_delivered_m"], 0.0))
    per_year = reg.groupby(["recipient_iso3", "delivery_year"], as_index=False).agg(
        us_tiv_m=("us", "sum"), total_imports_tiv_m=("tiv_delivered_m", "sum")
    )
    per_year = per_year[per_year["total_imports_tiv_m"] > 0]
    return pd.DataFrame(
        {
            "iso3": per_year["recipient_iso3"],
            "year": per_year["delivery_year"].astype(int),
            "us_tiv_m": per_year["us_tiv_m"].round(DECIMALS),
            "total_imports_tiv_m": per_year["total_imports_tiv_m"].round(DECIMALS),
            "us_share_pct": (100 * per_year["us_tiv_m"] / per_year["total_imports_tiv_m"]).clip(0, 100),
            "source_id": "sipri_at_2026",
        }
    )
