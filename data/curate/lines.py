"""Production lines, their published facts (line_fact) and the source-domain classes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data import orderbook


LOAD_FIELDS = {  # line_load.csv column prefix -> line_fact field
    "annual_rate": ("annual_rate", "rate_year", "rate"),
    "target_rate": ("target_rate", "target_year", "target"),
    "us_share": ("us_share", "us_share_basis", "us_share"),
    "lead_time_months": ("lead_time_months", "lead_time_basis", "lead_time"),
    "backlog_units": ("backlog_units", "backlog_as_of", "backlog"),
}


def _best_first(urls: object, classes: dict[str, str]) -> object:
    """A ';'-separated URL list reordered by source class, best first (official, trade press, major
    wire, other; excluded pages — adversary state media, mirrors, content farms — last), keeping the
    compiler's order within a class, so a line's first source is never an excluded one."""
    if not isinstance(urls, str) or not urls.strip():
        return urls
    listed = [u.strip() for u in urls.split(";") if u.strip()]
    rank = lambda u: orderbook.CLASS_RANK[orderbook.classify(u, classes) or "other"]  # noqa: E731
    return ";".join(sorted(listed, key=rank))


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
    domains = build_source_domain(cur)
    classes = dict(zip(domains["domain"], domains["source_class"], strict=True))
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
            "source_urls": [_best_first(urls, classes) for urls in platforms["source_urls"]],
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
