"""The partner universe and its analyst regions, measured geography and eligibility rules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import outlines
from scoring import geography
from data.curate.common import ANALYST, NAME_OVERRIDES, REGIONS, SELLER, notes_partners


def default_region(row: pd.Series) -> str:
    """The analyst region by rule (see the module docstring); overrides are applied elsewhere."""
    if row["nato_member"]:
        return "NATO Europe other"
    region, subregion = row["un_region"], row["un_subregion"]
    if region == "Europe":
        return "Other Europe & Caucasus"
    if region == "Africa":
        return "Africa"
    if region == "Americas":
        return "Americas"
    if region == "Oceania":
        return "Indo-Pacific other"
    if subregion == "Western Asia":
        return "Middle East & Gulf"
    if subregion in ("Southern Asia", "Central Asia"):
        return "Central & South Asia"
    if subregion in ("Eastern Asia", "South-eastern Asia"):
        return "Indo-Pacific other"
    raise ValueError(f"No analyst-region rule for {row['iso3']} ({region} / {subregion})")


def build_partner(raw: dict, cur: dict) -> pd.DataFrame:
    """One row per partner country (see the module docstring for the universe and regions)."""
    countries = raw["countries"].set_index("iso3")
    universe = (
        set(raw["milex"]["iso3"].dropna())
        | set(raw["tiv"]["recipient_iso3"].dropna())
        | set(notes_partners(raw["notes_md"]))
        | {"XKX", "TWN"}
    ) - {SELLER}
    unknown = sorted(universe - set(countries.index))
    if unknown:
        raise ValueError(f"Partners missing from country_reference.csv: {unknown}")

    nato_years = cur["nato_members"].set_index("iso3")["nato_join_year"].astype(int)
    nato_flag = countries["nato_member_2024"].astype(bool)
    allies = set(nato_flag[nato_flag].index) - {SELLER}
    if allies != set(nato_years.index):
        raise ValueError(
            "nato_members.csv disagrees with country_reference nato_member_2024: "
            f"{sorted(allies ^ set(nato_years.index))}"
        )
    mnna = cur["mnna"].set_index("iso3")

    rows = []
    for iso in sorted(universe):
        ref = countries.loc[iso]
        is_nato = iso in allies
        is_mnna = iso in mnna.index
        if is_nato:
            status_source = "nato_members"
        elif is_mnna:
            status_source = mnna.loc[iso, "source_id"]
        else:
            status_source = "press_MN"  # the MNNA list establishes who is not an MNNA
        rows.append(
            {
                "iso3": iso,
                "name": NAME_OVERRIDES.get(iso, ref["name"]),
                "un_region": ref["region"] or None,
                "un_subregion": ref["subregion"] or None,
                "lat": float(ref["lat"]) if ref["lat"] else np.nan,
                "lon": float(ref["lon"]) if ref["lon"] else np.nan,
                "nato_member": is_nato,
                "nato_join_year": int(nato_years[iso]) if is_nato else pd.NA,
                "mnna": is_mnna,
                "mnna_year": int(mnna.loc[iso, "mnna_year"]) if is_mnna else pd.NA,
                "region_source_id": ANALYST,
                "status_source_id": status_source,
            }
        )
    partner = pd.DataFrame(rows)
    overrides = cur["region_overrides"].set_index("iso3")["analyst_region"]
    bad = sorted(set(overrides.index) - set(partner["iso3"]))
    if bad:
        raise ValueError(f"region_overrides.csv names non-partners: {bad}")
    partner["analyst_region"] = partner.apply(
        lambda row: overrides.get(row["iso3"]) or default_region(row), axis=1
    )
    if not partner["analyst_region"].isin(REGIONS).all():
        raise ValueError("Unknown analyst_region value")
    for col in ("nato_join_year", "mnna_year"):
        partner[col] = partner[col].astype("Int64")
    return partner


def build_geography(partner: pd.DataFrame) -> pd.DataFrame:
    """Distance from each partner's territory to the nearest adversary (``scoring.geography``).

    Outlines come from the ``countryinfo`` package; a partner without an outline (Kosovo, Serbia,
    Singapore, Bahrain...) is measured from its centroid and marked ``method = 'centroid'``.
    """
    rings = outlines.country_rings()
    points = {iso: geography.ring_points(r) for iso, r in rings.items()}
    for row in partner.itertuples(index=False):
        if row.iso3 not in points and not (pd.isna(row.lat) or pd.isna(row.lon)):
            points[row.iso3] = geography.ring_points([[[row.lon, row.lat]]])
    adversaries = {code: points[code] for code in geography.ADVERSARIES if code in points}
    missing = sorted(set(geography.ADVERSARIES) - set(adversaries))
    if missing:
        raise ValueError(f"No outline for adversaries {missing}")
    partners = {code: points[code] for code in partner["iso3"] if code in points}
    nearest = geography.nearest_distance_km(partners, adversaries)
    return pd.DataFrame(
        [
            {
                "iso3": code,
                "nearest_adversary": adversary,
                "adversary_km": km,
                "method": "outline" if code in rings else "centroid",
                "source_id": "countryinfo_outlines",
            }
            for code, (adversary, km) in sorted(nearest.items())
        ]
    )


def build_eligibility(cur: dict, partners: set[str]) -> pd.DataFrame:
    """The legal eligibility rules (``eligibility.csv``), each citing its rule and page."""
    frame = cur["eligibility"].copy()
    bad = sorted(set(frame["iso3"]) - partners)
    if bad:
        raise ValueError(f"eligibility.csv names non-partners: {bad}")
    if frame["citation_url"].isna().any() or not frame["citation_url"].str.startswith("http").all():
        raise ValueError("Every eligibility rule needs a citation URL")
    frame["source_id"] = "eligibility_2026"
    return frame
