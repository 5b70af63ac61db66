"""The curation run and its command line."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from data.store import TABLES
from data.curate.assessments import build_strategic_assessment
from data.curate.common import CURATION_DIR, DEFAULT_SHARED, SCHEMA_PATH, SEEDS_DIR, cited_source_ids, schema_columns, verify_seeds, write_seed
from data.curate.context import build_governance, build_us_arms_delivery, build_us_presence
from data.curate.inputs import read_curation, read_shared
from data.curate.lines import build_line_fact, build_production_line, build_source_domain
from data.curate.orders import build_arms_order
from data.curate.partners import build_eligibility, build_geography, build_partner
from data.curate.sources import build_source
from data.curate.spending import build_economy, build_spending


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
