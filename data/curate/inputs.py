"""Reading the raw shared files and the hand-written curation inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data import orderbook
from data.curate.common import CURATION_DIR


def read_shared(shared: Path) -> dict[str, pd.DataFrame | str]:
    """Read the raw shared files needed for the seeds (only the columns used)."""
    data, facts = shared / "data", shared / "facts"
    required = [
        data / "sipri_milex_2000_2024.csv",
        data / "sipri_us_arms_exports_tiv_by_recipient_year.csv",
        data / "sipri_arms_transfers_register_1995_2024.csv",
        data / "nato_defence_expenditure_2014_2024.csv",
        data / "worldbank_gdp_population_2000_2024.csv",
        data / "freedom_house_fiw_2013_2025.csv",
        data / "us_troops_abroad_dmdc_quarterly_2000_2025.csv",
        data / "us_bases_troopdata.csv",
        data / "country_reference.csv",
        facts / "platforms.csv",
        facts / "notable_orders.csv",
        facts / "orders_public_record.csv",
        facts / "partner_attributes_notes.md",
    ]
    missing = [str(p) for p in required if not p.is_file()]
    if missing:
        raise SystemExit(
            "Shared raw files not found:\n  " + "\n  ".join(missing) + "\nPass --shared PATH."
        )
    return {
        "milex": pd.read_csv(data / "sipri_milex_2000_2024.csv"),
        "tiv": pd.read_csv(data / "sipri_us_arms_exports_tiv_by_recipient_year.csv"),
        "register": pd.read_csv(
            data / "sipri_arms_transfers_register_1995_2024.csv",
            usecols=["supplier_iso3", "recipient_iso3", "delivery_year", "tiv_delivered_m"],
            keep_default_na=False, na_values=[""],
        ),
        "nato": pd.read_csv(data / "nato_defence_expenditure_2014_2024.csv"),
        "wb": pd.read_csv(data / "worldbank_gdp_population_2000_2024.csv"),
        "fh": pd.read_csv(data / "freedom_house_fiw_2013_2025.csv"),
        "dmdc": pd.read_csv(data / "us_troops_abroad_dmdc_quarterly_2000_2025.csv"),
        "bases": pd.read_csv(data / "us_bases_troopdata.csv"),
        # Namibia's iso2 is the string 'NA': never let pandas read it as missing.
        "countries": pd.read_csv(data / "country_reference.csv", keep_default_na=False),
        "platforms": pd.read_csv(facts / "platforms.csv"),
        "orders": pd.read_csv(facts / "notable_orders.csv"),
        "record": pd.read_csv(facts / "orders_public_record.csv", dtype=str, keep_default_na=False),
        "notes_md": (facts / "partner_attributes_notes.md").read_text(encoding="utf-8"),
    }


def read_curation(curation_dir: Path = CURATION_DIR) -> dict[str, pd.DataFrame]:
    """Read the hand-written analyst inputs; ISO codes stay strings ('NA' is not missing)."""
    names = [
        "sources",
        "region_overrides",
        "nato_members",
        "mnna",
        "pledges",
        "nato_2025e",
        "us_presence_notes",
        "dmdc_overrides",
        "iso3_fixes",
        "platform_lines",
        "strategic_assessment",
        "eligibility",
        "source_domains",
        "line_load",
    ]
    cur = {
        name: pd.read_csv(curation_dir / f"{name}.csv", dtype=str, keep_default_na=False).replace(
            {"": None}
        )
        for name in names
    }
    reviews = orderbook.read_reviews(curation_dir / "order_review")
    corrections_path = curation_dir / "order_corrections.csv"
    if corrections_path.is_file():
        corrections = pd.read_csv(corrections_path, dtype=str, keep_default_na=False)
        reviews = orderbook.apply_corrections(reviews, corrections)
    cur["order_reviews"] = reviews
    cur["more_source_domains"] = [
        pd.read_csv(path, dtype=str, keep_default_na=False).replace({"": None})
        for path in sorted(curation_dir.glob("source_domains_*.csv"))
    ]
    cur["judgement_files"] = [
        pd.read_csv(path, dtype=str, keep_default_na=False).replace({"": None})
        for path in sorted((curation_dir / "judgements").glob("*.csv"))
    ]
    return cur
