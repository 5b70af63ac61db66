"""Regenerate the curated seed CSVs in ``data/seeds/`` from the shared raw data.

Run from the project root: ``python -m data.curate --shared ../shared`` (the default shared path is
``../shared`` next to the project). The project itself never needs ``../shared``: the seeds are
committed and this script only regenerates them, deterministically (rows sorted by primary key,
floats rounded to 4 decimals, booleans as ``true``/``false``, UTF-8, ``\\n`` line ends).

Provenance
----------
Raw, read-only inputs (``<shared>/data`` and ``<shared>/facts``; their origins are documented in
``<shared>/data/SOURCES.md`` and ``<shared>/facts/SOURCES.md``):

* SIPRI Military Expenditure Database, April 2025 release -> ``spending`` (series ``sipri``),
  Taiwan's derived GDP/population in ``economy``, the partner universe.
* SIPRI Arms Transfers Database, Feb 2026 export (US deliveries by recipient-year)
  -> ``us_arms_delivery`` and the partner universe.
* NATO *Defence Expenditure of NATO Countries (2014-2024)*, June 2024 -> ``spending`` (``nato``).
* World Bank WDI (GDP current US$, population) -> ``economy``.
* Freedom House *Freedom in the World* 2021-2025 editions -> ``governance``.
* DMDC personnel (troopdata, December 2025 report) and Vine/troopdata bases (~2018)
  -> ``us_presence``.
* ISO 3166 / UN M49 regions (lukes) and 360info centroids -> ``partner``.
* ``facts/platforms.csv`` and ``facts/line_facts.csv`` (through ``line_load.csv``) -> ``production_line``
  and ``line_fact``; ``facts/orders_public_record.csv`` and ``facts/notable_orders.csv`` (through the
  reviews in ``order_review/``, see ``data/orderbook.py``) -> ``arms_order``, ``order_source``,
  ``order_review``; ``facts/eligibility.md`` (through ``eligibility.csv``) -> ``eligibility``;
  ``facts/partner_attributes_notes.md`` (keyed press facts) -> the partner list and, through the
  hand-written files below, presence, pledges, 2025 estimates and assessments.
* Country outlines of the ``countryinfo`` package -> ``geography`` (``scoring/geography.py``).

Hand-written analyst inputs (``data/curation/``, every row carries its source key):
``sources.csv`` (the source table), ``region_overrides.csv``, ``nato_members.csv`` (accession
years), ``mnna.csv``, ``pledges.csv``, ``nato_2025e.csv``, ``us_presence_notes.csv``,
``dmdc_overrides.csv``, ``iso3_fixes.csv``, ``platform_lines.csv``, ``strategic_assessment.csv`` and
``judgements/``, ``order_review/``, ``order_corrections.csv``, ``source_domains*.csv``, ``line_load.csv``,
``eligibility.csv``. See ``data/curation/README.md``.

Partner universe
----------------
Every country in the SIPRI milex file (167) plus every SIPRI-TIV recipient with an ISO3 code, the
40 partners of ``partner_attributes_notes.md``, Kosovo (XKX) and Taiwan (TWN), minus the United
States (the seller).

Analyst regions (``partner.analyst_region``, source ``analyst_2026``)
---------------------------------------------------------------------
Explicit assignments in ``region_overrides.csv`` win; otherwise the rule below applies, in order:

* NATO Eastern Flank: the Bucharest Nine (POL, LTU, LVA, EST, ROU, BGR, SVK, HUN, CZE), the allies
  bordering Russia/Belarus/Ukraine or holding the Black Sea front, plus Finland (1,340 km border
  with Russia since 2023). Czechia has no such border but is kept with its B9 grouping; Norway
  borders Russia but is left in 'NATO Europe other' (its exposure is scored in
  ``strategic_assessment.frontline`` instead).
* NATO Europe other: every other NATO ally, including Canada and Turkiye (the USA is excluded).
* Indo-Pacific frontline: JPN, KOR, TWN, PHL (facing the PRC/DPRK on a contested line) plus AUS
  and SGP as key US access partners.
* Other Europe & Caucasus: non-NATO countries in UN M49 Europe, plus Armenia, Azerbaijan, Georgia
  and Cyprus (M49 Western Asia).
* Middle East & Gulf: remaining UN M49 Western Asia, plus Egypt and Iran.
* Central & South Asia: UN M49 Southern and Central Asia (except Iran).
* Indo-Pacific other: the rest of UN M49 Eastern and South-eastern Asia and Oceania.
* Americas: UN M49 Americas (Canada excepted, see above).
* Africa: UN M49 Africa except Egypt.

Strategic assessment criteria (scores 0-5, decimals allowed; source ``analyst_2026``)
-----------------------------------------------------------------------------------
* ``frontline``: exposure to a US adversary on a contested front (5 = borders or is at war with
  Russia, or faces the PRC/DPRK/Iran directly on a contested line; 0 = no exposure). ``theater``
  names the front.
* ``us_plans_role``: role in US plans and operations (hosts headquarters, fleets, logistics hubs,
  named in US posture).
* ``basing_access``: formal US basing/access (5 = major permanent bases; 4 = multiple access
  agreements or significant rotational forces; 3 = DCA/limited access; 1-2 = exercises only;
  0 = none).
* ``interoperability``: share of US systems and NATO standardisation (F-35/Patriot/HIMARS
  operators high; Russian- or Chinese-equipped forces low).
* ``industrial_investment``: investment in or co-production with US production lines (capital,
  plants, licence production feeding US lines; pledges scored below realised investment).
* ``end_use_risk``: end-use, diversion or misuse risk (0 = negligible, 5 = severe). A COST
  criterion: higher is worse.

Every assessment row has a one-sentence rationale citing keys from the notes (e.g. [TR], [MS]) or
the data files; facts the notes mark ``(m)`` (compiler's memory) are labelled 'unverified'.

Known defects handled
---------------------
* DMDC: South Korea and Italy rows are ~2x the published DMDC reports; the published Sep-2023
  figures (press_TR) replace them. Turkiye's value is kept but flagged as possibly doubled.
* DMDC rows with an empty iso3 (Kosovo, Vietnam, ...) are fixed by name (``iso3_fixes.csv``);
  the Vine base list codes Kosovo as KSV.
* SIPRI estimate colouring is not in the CSV, so SIPRI rows carry ``is_estimate = false``.
* Taiwan is absent from the World Bank: GDP = SIPRI current milex / (share of GDP / 100) and
  population = current milex / milex per capita, flagged as estimates.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from data import orderbook, outlines
from scoring import geography
from data.store import TABLES  # dependency order, shared with the store builder

DATA_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = DATA_DIR.parent
CURATION_DIR = DATA_DIR / "curation"
SEEDS_DIR = DATA_DIR / "seeds"
SCHEMA_PATH = DATA_DIR / "schema.sql"
DEFAULT_SHARED = PROJECT_ROOT.parent / "shared"


SELLER = "USA"
FIRST_YEAR, LAST_YEAR = 2000, 2024
FH_EDITIONS = (2021, 2025)
NATO_YEARS = (2014, 2024)
DECIMALS = 4
ANALYST = "analyst_2026"
# The judged criteria of strategic_assessment (not scoring.criteria.CRITERIA, the full criterion list).
JUDGED_CRITERIA = (
    "frontline",
    "us_plans_role",
    "basing_access",
    "interoperability",
    "industrial_investment",
    "end_use_risk",
)
# Partners that must have a full strategic assessment beyond the 40 of the notes file.
ASSESSED_EXTRA = (
    "GEO XKX MDA ARM SRB VNM IDN MYS THA PAK NZL BRA COL ARG MEX KEN NGA OMN IRQ TUN "
    "SVN HRV ALB MNE MKD PRT LUX ISL FRA"
).split()

# Readable short names where the ISO name is long or politically framed.
NAME_OVERRIDES: dict[str, str] = {
    "BOL": "Bolivia",
    "BRN": "Brunei",
    "COD": "DR Congo",
    "COG": "Congo (Rep.)",
    "GBR": "United Kingdom",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MDA": "Moldova",
    "NLD": "Netherlands",
    "PRK": "North Korea",
    "RUS": "Russia",
    "SYR": "Syria",
    "TUR": "Türkiye",
    "TWN": "Taiwan",
    "TZA": "Tanzania",
    "VEN": "Venezuela",
    "VNM": "Vietnam",
}
# Press keys the notes use under two names (facts/SOURCES.md lists 'PR / FR' as one source).
KEY_ALIASES: dict[str, str] = {"PR": "FR"}
REGIONS = (
    "NATO Eastern Flank",
    "NATO Europe other",
    "Other Europe & Caucasus",
    "Indo-Pacific frontline",
    "Indo-Pacific other",
    "Middle East & Gulf",
    "Americas",
    "Africa",
    "Central & South Asia",
)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


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


@functools.lru_cache(maxsize=4)
def _catalog(schema_path: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Columns (in schema order) and primary keys of every table, read from DuckDB's own catalog
    after running schema.sql in memory: the schema is the one place that declares them."""
    import duckdb  # noqa: PLC0415 - only the curation and its checks need the catalog

    con = duckdb.connect()
    try:
        con.execute(schema_path.read_text(encoding="utf-8"))
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "SELECT c.table_name, c.column_name FROM duckdb_columns() c "
            "JOIN duckdb_tables() t ON t.table_name = c.table_name AND t.schema_name = c.schema_name "
            "WHERE c.schema_name = 'main' ORDER BY c.table_name, c.column_index"
        ).fetchall():
            columns.setdefault(table, []).append(column)
        keys = {
            table: list(cols)
            for table, cols in con.execute(
                "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                "WHERE schema_name = 'main' AND constraint_type = 'PRIMARY KEY'"
            ).fetchall()
        }
    finally:
        con.close()
    return columns, keys


def schema_columns(schema_path: Path = SCHEMA_PATH) -> dict[str, list[str]]:
    """Column names of each table, in schema order (DuckDB's catalog of schema.sql)."""
    return {table: list(cols) for table, cols in _catalog(schema_path)[0].items()}


def primary_keys(schema_path: Path = SCHEMA_PATH) -> dict[str, list[str]]:
    """Primary-key columns of each table (DuckDB's catalog of schema.sql)."""
    return {table: list(cols) for table, cols in _catalog(schema_path)[1].items()}


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _bool(series: pd.Series) -> pd.Series:
    """Parse 'true'/'false' strings (any case) into booleans."""
    return series.astype(str).str.strip().str.lower().map({"true": True, "false": False})


def notes_partners(notes_md: str) -> list[str]:
    """ISO3 codes of the partner table in partner_attributes_notes.md ('| Name (ISO) | ...')."""
    codes = re.findall(r"^\| [^|]*\(([A-Z]{3})\) \|", notes_md, flags=re.M)
    return sorted(set(codes))


def cited_source_ids(texts: pd.Series, known: set[str]) -> set[str]:
    """Source ids of the press keys cited in brackets in free text ('[TR]', '[N25, PR]')."""
    found: set[str] = set()
    for text in texts.dropna().astype(str):
        for group in re.findall(r"\[([^\]]+)\]", text):
            for key in re.split(r"[,/;]\s*", group):
                key = KEY_ALIASES.get(key.strip(), key.strip())
                source_id = "press_" + key.replace("-", "_")
                if source_id in known:
                    found.add(source_id)
    return found


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


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


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


def judgement_sources(ref: str, sources: pd.DataFrame, classes: dict[str, str] | None = None) -> list[str]:
    """The real sources of a ``source_ref``, normalised: URLs (of any class but ``excluded``), press
    keys replaced by their URL, and ids of published datasets (sources with a URL that are not
    judgements, e.g. ``sipri_at_2026``). Internal keys without a URL, file paths and the analyst
    key are dropped, and so are pages of excluded outlets (adversary state media, blogs, content
    farms), which never carry a judgement alone.

    Raises
    ------
    ValueError
        A cited URL whose domain has no source class (``classes`` given).
    """
    table = sources.set_index("source_id")
    has_url = table["url"].notna()
    published = set(table.index[has_url & ~_bool(table["is_judgement"]).fillna(False)])
    out: list[str] = []
    for token in (t.strip() for t in re.split(r";", ref or "")):
        if not token:
            continue
        if token.startswith("press_") and token in published:
            token = str(table.loc[token, "url"])
        elif not token.startswith(("http://", "https://")):
            if token in published:
                out.append(token)
            continue
        if classes is not None:
            cls = orderbook.classify(token, classes)
            if cls is None:
                raise ValueError(f"no source class for the domain of {token}")
            if cls == "excluded":
                continue
        if token not in out:
            out.append(token)
    return out


def read_judgements(cur: dict) -> pd.DataFrame:
    """``strategic_assessment.csv`` plus every file in ``judgements/`` (in name order: later files
    add partners; a row for a partner and criterion already assessed replaces the earlier one)."""
    frames = [cur["strategic_assessment"]]
    for frame in cur["judgement_files"]:
        frames.append(frame[["iso3", "criterion", "score", "theater", "rationale", "source_ref"]])
    sa = pd.concat(frames, ignore_index=True)
    return sa.drop_duplicates(["iso3", "criterion"], keep="last").reset_index(drop=True)


def judged_partners_required(raw: dict, cur: dict, partners: set[str], denied: set[str]) -> set[str]:
    """Partners that must carry sourced judgement scores: every partner with an order in either
    order file or with US arms deliveries (SIPRI TIV > 0) in 2015-2024, unless US law denies them."""
    tiv = raw["tiv"]
    recent = tiv[tiv["year"].between(2015, 2024) & (tiv["us_tiv_delivered_m"] > 0)]
    required = set(recent["recipient_iso3"].dropna()) | set(raw["record"]["iso3"]) | set(raw["orders"]["iso3"])
    return (required & partners) - denied


def build_strategic_assessment(raw: dict, cur: dict, partners: set[str]) -> pd.DataFrame:
    """The analyst's six criterion scores per assessed partner (validated; every row cites at least
    one real source)."""
    sa = read_judgements(cur)
    sa["score"] = sa["score"].astype(float)
    sa["source_id"] = ANALYST
    denied = set(cur["eligibility"].loc[cur["eligibility"]["status"].eq("denied"), "iso3"])
    required = (set(notes_partners(raw["notes_md"])) | set(ASSESSED_EXTRA)
                | judged_partners_required(raw, cur, partners, denied)) - denied
    missing = sorted(required - set(sa["iso3"]))
    if missing:
        raise ValueError(f"strategic_assessment.csv lacks partners: {missing}")
    per_partner = sa.groupby("iso3")["criterion"].apply(lambda c: tuple(sorted(c)))
    incomplete = per_partner[per_partner != tuple(sorted(JUDGED_CRITERIA))]
    if len(incomplete):
        raise ValueError(f"Partners without exactly the six criteria: {list(incomplete.index)}")
    if not sa["iso3"].isin(partners).all():
        raise ValueError("strategic_assessment.csv names non-partners")
    if not sa["score"].between(0, 5).all():
        raise ValueError("Scores must lie in 0-5")
    frontline = sa["criterion"].eq("frontline")
    if sa.loc[frontline, "theater"].isna().any() or sa.loc[~frontline, "theater"].notna().any():
        bad = sa.loc[frontline & sa["theater"].isna() | ~frontline & sa["theater"].notna(), ["iso3", "criterion"]]
        raise ValueError(f"theater must be filled exactly on 'frontline' rows: {bad.values.tolist()}")
    if sa["rationale"].isna().any() or sa["source_ref"].isna().any():
        raise ValueError("Every assessment needs a rationale and a source_ref")
    domains = build_source_domain(cur)
    classes = dict(zip(domains["domain"], domains["source_class"], strict=True))
    unknown: set[str] = set()
    cleaned = []
    for ref in sa["source_ref"]:
        try:
            cleaned.append("; ".join(judgement_sources(ref, cur["sources"], classes)))
        except ValueError as exc:
            unknown.add(str(exc))
            cleaned.append("")
    if unknown:
        raise ValueError("Judgement sources without a class:\n  " + "\n  ".join(sorted(unknown)[:40]))
    sa["source_ref"] = cleaned
    unsourced = sa[sa["source_ref"].eq("")]
    if len(unsourced):
        raise ValueError(
            "Judgements without a real cited source (a page of a non-excluded outlet or a published dataset): "
            f"{unsourced[['iso3', 'criterion']].values.tolist()}"
        )
    return sa


LOAD_FIELDS = {  # line_load.csv column prefix -> line_fact field
    "annual_rate": ("annual_rate", "rate_year", "rate"),
    "target_rate": ("target_rate", "target_year", "target"),
    "us_share": ("us_share", "us_share_basis", "us_share"),
    "lead_time_months": ("lead_time_months", "lead_time_basis", "lead_time"),
    "backlog_units": ("backlog_units", "backlog_as_of", "backlog"),
}


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


def build_production_line(raw: dict, cur: dict) -> pd.DataFrame:
    """One row per platform of facts/platforms.csv, keyed by a short line slug, with the sourced
    load figures of ``line_load.csv`` (rate, target, US share, lead time, backlog) where published.

    A rate or target from ``line_load.csv`` (carried by a verbatim quote) replaces the platform
    compilation's figure. The foreign part of a published backlog is the whole backlog when it
    covers foreign customers only, the backlog times (1 - US share) when it includes the US and the
    US share is published, and unknown otherwise (no 'not itemised' block is then made). A contract
    quantity (not net of deliveries) is not a backlog and makes no block.
    """
    platforms = raw["platforms"]
    line_map = cur["platform_lines"].set_index("platform")["line_id"]
    unmapped = sorted(set(platforms["platform"]) - set(line_map.index))
    if unmapped:
        raise ValueError(f"platform_lines.csv lacks: {unmapped}")
    lines = pd.DataFrame(
        {
            "line_id": platforms["platform"].map(line_map),
            "platform": platforms["platform"],
            "category": platforms["category"],
            "unit_name": platforms["unit_name"],
            "unit_cost_musd": platforms["unit_cost_musd"],
            "annual_capacity_units": platforms["annual_capacity_units"].astype(float),
            "capacity_year": platforms["capacity_year"].astype(int),
            "target_capacity_units": platforms["capacity_target_units"].astype(float),
            "target_year": platforms["capacity_target_year"].astype("Int64"),
            "sensitivity": platforms["sensitivity"],
            # The compilation flags compiler estimates with the word ESTIMATE in its notes.
            "is_estimate": platforms["notes"].str.contains("ESTIMATE", regex=False),
            "source_id": "platforms_2026",
            "source_urls": platforms["source_urls"],
            "notes": platforms["notes"],
        }
    ).set_index("line_id")
    load = cur["line_load"].set_index("line_id")
    unknown = sorted(set(load.index) - set(lines.index))
    if unknown:
        raise ValueError(f"line_load.csv names unknown lines: {unknown}")
    num = lambda v: float(v) if pd.notna(v) else np.nan  # noqa: E731
    lines["us_share"] = np.nan
    lines["lead_time_months"] = np.nan
    lines["backlog_units"] = np.nan
    lines["backlog_as_of"] = None
    lines["backlog_scope"] = None
    lines["backlog_foreign_units"] = np.nan
    lines["public_orders_note"] = None
    lines["public_orders_source_url"] = None
    for line_id, row in load.iterrows():
        if pd.notna(row.get("public_orders_note")):
            if pd.isna(row.get("public_orders_source_url")):
                raise ValueError(f"line_load.csv {line_id}: a public-orders statement needs its source URL")
            lines.loc[line_id, "public_orders_note"] = row["public_orders_note"]
            lines.loc[line_id, "public_orders_source_url"] = row["public_orders_source_url"]
        if pd.notna(row["annual_rate"]):
            lines.loc[line_id, "annual_capacity_units"] = num(row["annual_rate"])
            lines.loc[line_id, "capacity_year"] = int(row["rate_year"])
        if pd.notna(row["target_rate"]) and pd.notna(row["target_year"]):
            lines.loc[line_id, "target_capacity_units"] = num(row["target_rate"])
            lines.loc[line_id, "target_year"] = int(row["target_year"])
        lines.loc[line_id, "us_share"] = num(row["us_share"])
        lines.loc[line_id, "lead_time_months"] = num(row["lead_time_months"])
        if pd.notna(row["backlog_units"]):
            as_of, _ = orderbook._date(row["backlog_as_of"])
            lines.loc[line_id, "backlog_units"] = num(row["backlog_units"])
            lines.loc[line_id, "backlog_as_of"] = as_of
            lines.loc[line_id, "backlog_scope"] = row["backlog_scope"]
            lines.loc[line_id, "backlog_foreign_units"] = foreign_backlog(
                num(row["backlog_units"]), row["backlog_scope"] if pd.notna(row["backlog_scope"]) else "", num(row["us_share"])
            )
    ramp = lines["target_capacity_units"].notna()
    if (lines.loc[ramp, "target_year"].astype(float) < lines.loc[ramp, "capacity_year"]).any():
        raise ValueError("A target year falls before its rate year")
    return lines.reset_index()


def foreign_backlog(backlog: float, scope: str, us_share: float) -> float:
    """The foreign part of a published backlog (NaN where it cannot be separated)."""
    low = scope.lower()
    if "contract quantity" in low or "not a full line backlog" in low or "not net of deliveries" in low:
        return np.nan  # a contract's size, not what is still to be built
    if "foreign" in low or "export" in low or "fms only" in low:
        return backlog
    if np.isfinite(us_share):
        return backlog * (1.0 - us_share)
    return np.nan


def build_line_fact(cur: dict, domains: set[str]) -> pd.DataFrame:
    """One row per sourced load figure of ``line_load.csv``: value, as-of/basis, URL and quote."""
    load = cur["line_load"]
    rows = []
    for _, row in load.iterrows():
        for field, (value_col, note_col, prefix) in LOAD_FIELDS.items():
            if pd.isna(row[value_col]):
                continue
            url, quote = row[f"{prefix}_source_url"], row[f"{prefix}_quote"]
            if pd.isna(url) or pd.isna(quote):
                raise ValueError(f"line_load.csv {row['line_id']} {field}: a figure needs its URL and quote")
            domain = orderbook.classified_domain(url, dict.fromkeys(domains, "known"))
            if domain is None:
                raise ValueError(f"line_load.csv {row['line_id']} {field}: domain of {url!r} not classed")
            rows.append(
                {
                    "line_id": row["line_id"],
                    "field": field,
                    "value": float(row[value_col]),
                    "as_of": row[note_col] if note_col.endswith(("year", "as_of")) else None,
                    "basis": row[note_col] if not note_col.endswith(("year", "as_of")) else row.get("backlog_scope")
                    if field == "backlog_units" else None,
                    "source_url": url,
                    "domain": domain,
                    "quote": quote,
                }
            )
    return pd.DataFrame(rows)


def build_source_domain(cur: dict) -> pd.DataFrame:
    """The source class of every cited domain (``source_domains*.csv``: orders and lines, then the
    judgements' pages), checked."""
    frame = pd.concat([cur["source_domains"], *cur.get("more_source_domains", [])], ignore_index=True)
    frame["domain"] = frame["domain"].str.lower().str.removeprefix("www.")
    bad = frame.loc[~frame["source_class"].isin(orderbook.SOURCE_CLASSES), "domain"].tolist()
    if bad:
        raise ValueError(f"source_domains.csv: unknown class for {bad}")
    if frame["domain"].duplicated().any():
        raise ValueError(f"source_domains.csv: duplicate domains {frame.loc[frame['domain'].duplicated(), 'domain'].tolist()}")
    frame["outlet"] = frame["outlet"].fillna(frame["domain"])
    return frame


def build_arms_order(
    raw: dict, cur: dict, domains: pd.DataFrame, line_ids: set[str], partners: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The reviewed public order book (``data/orderbook.py``): orders, their pages, the review log."""
    reviews = cur["order_reviews"]
    classes = dict(zip(domains["domain"], domains["source_class"], strict=True))
    orders, sources, log = orderbook.build_order_book(
        raw["record"], raw["orders"], reviews, classes, line_ids, partners
    )
    for col in ("quantity", "units_open", "delivered_units"):
        orders[col] = orders[col].astype("Int64")
    orders["value_busd"] = orders["value_busd"].astype(float)
    sources["rank"] = sources["rank"].astype(int)
    return orders, sources, log


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


def build_source(cur: dict, used: set[str]) -> pd.DataFrame:
    """The source table: rows of sources.csv that some seed refers to."""
    sources = cur["sources"].copy()
    if sources["source_id"].duplicated().any():
        raise ValueError("Duplicate source_id in sources.csv")
    missing = sorted(used - set(sources["source_id"]))
    if missing:
        raise ValueError(f"Seeds refer to sources missing from sources.csv: {missing}")
    sources["is_judgement"] = _bool(sources["is_judgement"])
    return sources[sources["source_id"].isin(used)]


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _format(frame: pd.DataFrame) -> pd.DataFrame:
    """Round floats, print booleans as true/false and integers without a decimal point."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_bool_dtype(series):
            out[col] = series.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(series):
            out[col] = series.round(DECIMALS).map(
                lambda v: "" if pd.isna(v) else format(v, ".4f").rstrip("0").rstrip(".")
            )
        elif pd.api.types.is_integer_dtype(series):
            out[col] = series.map(lambda v: "" if pd.isna(v) else str(int(v)))
    return out


def write_seed(frame: pd.DataFrame, table: str, columns: list[str], seeds_dir: Path) -> int:
    """Write one seed with exactly the schema's columns, sorted by primary key."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{table}: missing columns {missing}")
    key = primary_keys()[table]
    frame = frame[columns].sort_values(key, kind="mergesort")
    if frame.duplicated(key).any():
        raise ValueError(f"{table}: duplicate primary key")
    _format(frame).to_csv(
        seeds_dir / f"{table}.csv", index=False, encoding="utf-8", lineterminator="\n"
    )
    return len(frame)


def curate(shared: Path, seeds_dir: Path = SEEDS_DIR, curation_dir: Path = CURATION_DIR) -> dict:
    """Build every seed table from the shared data and the curation inputs; write the CSVs."""
    raw = read_shared(shared)
    cur = read_curation(curation_dir)
    columns = schema_columns()

    partner = build_partner(raw, cur)
    partners = set(partner["iso3"])
    tables: dict[str, pd.DataFrame] = {
        "partner": partner,
        "spending": build_spending(raw, cur, partners),
        "economy": build_economy(raw, partners),
        "governance": build_governance(raw, partners),
        "us_presence": build_us_presence(raw, cur, partners),
        "us_arms_delivery": build_us_arms_delivery(raw, partners),
        "strategic_assessment": build_strategic_assessment(raw, cur, partners),
    }
    tables["geography"] = build_geography(partner)
    tables["source_domain"] = build_source_domain(cur)
    tables["production_line"] = build_production_line(raw, cur)
    tables["line_fact"] = build_line_fact(cur, set(tables["source_domain"]["domain"]))
    orders, order_sources, review_log = build_arms_order(
        raw, cur, tables["source_domain"], set(tables["production_line"]["line_id"]), partners
    )
    tables["arms_order"] = orders
    tables["order_source"] = order_sources
    tables["order_review"] = review_log
    tables["eligibility"] = build_eligibility(cur, partners)

    used: set[str] = set()
    for frame in tables.values():
        for col in frame.columns:
            if col.endswith("source_id"):
                used |= set(frame[col].dropna())
    for ref in tables["strategic_assessment"]["source_ref"]:
        tokens = (token.strip() for token in ref.split(";"))
        used |= {token for token in tokens if token and not token.startswith(("shared/", "http://", "https://"))}
    used |= {"iso_m49_lukes", "centroids_360info"}  # partner's UN regions and centroids
    known = set(cur["sources"]["source_id"])
    for frame in tables.values():  # press keys cited in text, e.g. "[N25, PR]" or "[DU]"
        for col in frame.columns[frame.dtypes.eq(object) | frame.dtypes.eq("str")]:
            used |= cited_source_ids(frame[col], known)
    tables = {"source": build_source(cur, used), **tables}

    seeds_dir.mkdir(parents=True, exist_ok=True)
    return {name: write_seed(tables[name], name, columns[name], seeds_dir) for name in TABLES}


def verify_seeds(seeds_dir: Path = SEEDS_DIR) -> None:
    """Load the seeds into an in-memory DuckDB with the schema: every CHECK and FK must pass."""
    import duckdb  # noqa: PLC0415 - only needed for the check

    con = duckdb.connect()
    con.execute(SCHEMA_PATH.read_text(encoding="utf-8"))
    for table in TABLES:
        con.execute(
            f"INSERT INTO {table} BY NAME "  # table names come from TABLES, never user input
            "SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [str(seeds_dir / f"{table}.csv")],
        )
    con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="path to the shared raw-data folder (default: ../shared next to the project)",
    )
    parser.add_argument("--seeds", type=Path, default=SEEDS_DIR, help="output folder for the seeds")
    args = parser.parse_args(argv)
    counts = curate(args.shared.resolve(), args.seeds)
    verify_seeds(args.seeds)
    for table, n in counts.items():
        print(f"{table:22s} {n:6d} rows")
    print(f"Seeds written to {args.seeds} and verified against {SCHEMA_PATH.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
