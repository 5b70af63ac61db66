"""Command line: refresh the spending series from the publishers' own workbooks, then rebuild the store.

    python -m data.refresh --sipri SIPRI-Milex-data-1949-2025.xlsx            # SIPRI's new release
    python -m data.refresh --nato 250612-def-exp-2025-TABLES-en.xlsx          # NATO's new tables
    python -m data.refresh --sipri FILE --nato FILE --dry-run --report changes.csv

Each workbook is read in its publisher's layout (``data/publishers.py``) and refused whole if any
part of it is wrong: nothing is written then, and the exit status is 2 with a one-line reason. A
good file replaces its series in ``data/seeds/spending.csv`` for every partner the store knows (the
curation rule of ``data.curate.spending``, the same code path as the first curation), the other series
(NATO or SIPRI, the 2025 NATO estimates, pledges) are kept, the seeds are checked against the
schema in a scratch folder first, and only then replaced and the store rebuilt (running servers
pick the rebuilt store up on their next run). A new edition gets its own source row
(``sipri_milex_<last year + 1>``, ``nato_defexp_<last year>``), so every figure still shows where it
came from.

The change report lists, per partner and year, every figure added, removed or changed (in the
seeds' rounding, 4 decimals), and is printed as a summary (counts and the largest moves in share of
GDP) and, with ``--report``, written in full as CSV. ``--dry-run`` reads, checks and reports only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data import curate
from data.publishers import PublisherFileError, PublisherTable, read_nato_defexp, read_sipri_milex
from data.store import TABLES, StoreError, build_store, default_db_path

VALUE_COLUMNS = ("share_gdp_pct", "usd_const_m", "usd_current_m", "equipment_share_pct", "is_estimate")
KEY = ["iso3", "year", "series"]
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


class RefreshError(ValueError):
    """The refresh is refused as a whole; nothing was written."""


@dataclass(frozen=True)
class RefreshResult:
    spending: pd.DataFrame  # the new spending seed (unformatted)
    source: pd.DataFrame  # the new source seed
    changes: pd.DataFrame  # iso3, name, year, series, change, field, old, new
    new_sources: tuple[str, ...]
    tables: tuple[PublisherTable, ...]


def _seed(seeds_dir: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(seeds_dir / f"{table}.csv", dtype=str, keep_default_na=False)


def nato_edition(file_name: str, last_year: int) -> str:
    """'June 2024 tables' from NATO's file name ``240617-def-exp-2024-TABLES-en.xlsx``."""
    match = re.match(r"(\d\d)(\d\d)(\d\d)-", file_name)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{MONTHS[int(match.group(2)) - 1]} 20{match.group(1)} tables"
    return f"tables to {last_year}"


def _source_row(source: pd.DataFrame, template_id: str, new_id: str, edition: str, note: str) -> pd.DataFrame:
    template = source[source["source_id"] == template_id]
    if template.empty:
        raise RefreshError(f"the source seed has no row {template_id!r} to describe the new edition")
    row = template.iloc[[0]].copy()
    row["source_id"] = new_id
    row["vintage"] = edition
    row["notes"] = note
    return row


def _formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """Seed-formatted strings (4 decimals, true/false), keyed, for comparing old and new rows."""
    frame = frame.copy()
    for col in ("share_gdp_pct", "usd_const_m", "usd_current_m", "equipment_share_pct"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["year"] = frame["year"].astype(int)
    frame["is_estimate"] = frame["is_estimate"].map(
        lambda v: v if isinstance(v, bool) else str(v).lower() == "true"
    ).astype(bool)
    return curate._format(frame[KEY + list(VALUE_COLUMNS)]).set_index(KEY)


def change_report(old: pd.DataFrame, new: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Every figure added, removed or changed between two spending tables, per partner and year."""
    before, after = _formatted(old), _formatted(new)
    records: list[dict] = []
    for key in before.index.difference(after.index):
        records.append({"key": key, "change": "removed", "field": "", "old": "", "new": ""})
    for key in after.index.difference(before.index):
        records.append({"key": key, "change": "added", "field": "", "old": "", "new": ""})
    common = before.index.intersection(after.index)
    b, a = before.loc[common], after.loc[common]
    for col in VALUE_COLUMNS:
        differs = b[col].ne(a[col])
        for key in common[differs.to_numpy()]:
            records.append({"key": key, "change": "changed", "field": col, "old": b.at[key, col], "new": a.at[key, col]})
    if not records:
        return pd.DataFrame(columns=["iso3", "name", "year", "series", "change", "field", "old", "new"])
    out = pd.DataFrame(records)
    out[["iso3", "year", "series"]] = pd.DataFrame(out.pop("key").tolist(), index=out.index)
    out["name"] = out["iso3"].map(names).fillna("")
    return out[["iso3", "name", "year", "series", "change", "field", "old", "new"]].sort_values(
        ["iso3", "year", "series", "field"], kind="mergesort"
    ).reset_index(drop=True)


def plan_refresh(
    sipri: Path | None,
    nato: Path | None,
    seeds_dir: Path = curate.SEEDS_DIR,
    today: dt.date | None = None,
) -> RefreshResult:
    """Read the workbooks and compute the new spending and source seeds and the change report."""
    if sipri is None and nato is None:
        raise RefreshError("give --sipri FILE, --nato FILE or both")
    today = today or dt.date.today()
    spending = _seed(seeds_dir, "spending")
    source = _seed(seeds_dir, "source")
    partner = _seed(seeds_dir, "partner")
    partners = set(partner["iso3"])
    names = dict(zip(partner["iso3"], partner["name"], strict=True))

    replaced: list[pd.DataFrame] = []
    series: set[str] = set()
    tables: list[PublisherTable] = []
    new_sources: list[pd.DataFrame] = []
    if sipri is not None:
        table = read_sipri_milex(sipri)
        tables.append(table)
        source_id = f"sipri_milex_{table.last_year + 1}"
        milex = table.rows.rename(columns={"milex_const_usd_m": "milex_const2023_usd_m"})
        replaced.append(curate.sipri_spending(milex, partners, source_id, last_year=table.last_year))
        series.add("sipri")
        if source_id not in set(source["source_id"]):
            new_sources.append(
                _source_row(
                    source, curate.SIPRI_SOURCE, source_id,
                    f"release with data {table.first_year}-{table.last_year} "
                    f"(constant {table.constant_base_year} US$)",
                    f"Read from the workbook {table.file_name} by data.refresh on {today.isoformat()}. "
                    "Share of GDP multiplied by 100. SIPRI's estimate colouring is not read, so "
                    "is_estimate is false for all SIPRI rows.",
                )
            )
    if nato is not None:
        table = read_nato_defexp(nato)
        tables.append(table)
        source_id = f"nato_defexp_{table.last_year}"
        edition = nato_edition(table.file_name, table.last_year)
        rows = table.rows.rename(columns={"defexp_usd_const_m": "defexp_usd_const2015_m"})
        replaced.append(curate.nato_spending(rows, partners, source_id, edition, last_year=table.last_year))
        series.add("nato")
        if source_id not in set(source["source_id"]):
            new_sources.append(
                _source_row(
                    source, curate.NATO_SOURCE, source_id,
                    f"{edition}, {table.first_year}-{table.last_year} (constant {table.constant_base_year} US$)",
                    f"Read from the workbook {table.file_name} by data.refresh on {today.isoformat()}.",
                )
            )

    kept = spending[~spending["series"].isin(series)].copy()
    for col in ("share_gdp_pct", "usd_const_m", "usd_current_m", "equipment_share_pct"):
        kept[col] = pd.to_numeric(kept[col], errors="coerce").astype(float)
    kept["year"] = kept["year"].astype(int)
    kept["is_estimate"] = kept["is_estimate"].str.lower().eq("true")
    kept["note"] = kept["note"].replace("", None)
    try:
        fresh = curate.spending_rows(pd.concat([kept, *replaced], ignore_index=True))
    except ValueError as exc:
        raise RefreshError(str(exc)) from None
    if new_sources:
        source = pd.concat([source, *new_sources], ignore_index=True)
    changes = change_report(spending, fresh, names)
    return RefreshResult(
        spending=fresh,
        source=source,
        changes=changes,
        new_sources=tuple(pd.concat(new_sources)["source_id"]) if new_sources else (),
        tables=tuple(tables),
    )


def write_refresh(result: RefreshResult, seeds_dir: Path = curate.SEEDS_DIR) -> None:
    """Check the new seeds against the schema in a scratch copy, then replace them."""
    columns = curate.schema_columns()
    with tempfile.TemporaryDirectory(prefix="refresh-") as scratch:
        scratch_dir = Path(scratch)
        for table in TABLES:
            shutil.copy2(seeds_dir / f"{table}.csv", scratch_dir / f"{table}.csv")
        curate.write_seed(result.spending, "spending", columns["spending"], scratch_dir)
        source = result.source.copy()
        source.to_csv(scratch_dir / "source.csv", index=False, encoding="utf-8", lineterminator="\n")
        try:
            curate.verify_seeds(scratch_dir)
        except Exception as exc:  # a CHECK or FK the new rows break: refuse the whole refresh
            raise RefreshError(f"the refreshed seeds fail the schema: {str(exc).splitlines()[0][:200]}") from None
        for table in ("spending", "source"):
            shutil.copyfile(scratch_dir / f"{table}.csv", seeds_dir / f".{table}.csv.new")
        for table in ("spending", "source"):
            (seeds_dir / f".{table}.csv.new").replace(seeds_dir / f"{table}.csv")


def summary(result: RefreshResult, top: int = 15) -> str:
    """The printed report: what was read, counts of changes, the largest share-of-GDP moves."""
    lines: list[str] = []
    for table in result.tables:
        lines.append(
            f"{table.publisher.upper()}: {table.file_name}, {table.first_year}-{table.last_year}, "
            f"{len(table.rows):,} country-years read (constant {table.constant_base_year} US$)"
        )
        if table.unmapped:
            shown = "; ".join(table.unmapped[:10]) + (" …" if len(table.unmapped) > 10 else "")
            lines.append(f"  not used (no ISO3 mapping in publisher_names.csv): {shown}")
    changes = result.changes
    if changes.empty:
        lines.append("No figure changed.")
        return "\n".join(lines)
    counts = changes.drop_duplicates(["iso3", "year", "series", "change"])["change"].value_counts()
    lines.append(
        f"{changes['iso3'].nunique()} partners affected: "
        + ", ".join(f"{counts.get(kind, 0)} partner-years {kind}" for kind in ("changed", "added", "removed"))
    )
    if result.new_sources:
        lines.append("New source rows: " + ", ".join(result.new_sources))
    share = changes[(changes["change"] == "changed") & (changes["field"] == "share_gdp_pct")].copy()
    if not share.empty:
        share["delta"] = pd.to_numeric(share["new"], errors="coerce") - pd.to_numeric(share["old"], errors="coerce")
        share = share.reindex(share["delta"].abs().sort_values(ascending=False).index).head(top)
        lines.append("Largest changes in share of GDP (percentage points):")
        for row in share.itertuples():
            lines.append(
                f"  {row.name or row.iso3:28.28s} {row.year} {row.series:5s} {row.old or '-':>8s} -> "
                f"{row.new or '-':>8s} ({row.delta:+.2f})"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sipri", type=Path, default=None, help="SIPRI Milex workbook (.xlsx)")
    parser.add_argument("--nato", type=Path, default=None, help="NATO defence-expenditure tables (.xlsx)")
    parser.add_argument("--seeds", type=Path, default=curate.SEEDS_DIR, help="seed folder to update")
    parser.add_argument("--db", type=Path, default=None, help="store to rebuild (default: $ARMS_PRIORITY_DB)")
    parser.add_argument("--report", type=Path, default=None, help="write every change to this CSV")
    parser.add_argument("--dry-run", action="store_true", help="read, check and report; write nothing")
    args = parser.parse_args(argv)
    try:
        result = plan_refresh(args.sipri, args.nato, args.seeds)
        print(summary(result))
        if args.report is not None:
            result.changes.to_csv(args.report, index=False, lineterminator="\n")
            print(f"Change report: {args.report} ({len(result.changes)} rows)")
        if args.dry_run:
            print("Dry run: nothing written.")
            return 0
        write_refresh(result, args.seeds)
        target = args.db if args.db is not None else default_db_path()
        build_store(target, seeds_dir=args.seeds)
        print(f"Seeds updated in {args.seeds}; store rebuilt at {target}.")
    except (PublisherFileError, RefreshError, StoreError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
