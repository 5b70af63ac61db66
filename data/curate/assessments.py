"""The analyst's strategic assessments: judgement files, their sources, who must be assessed."""

from __future__ import annotations

import re

import pandas as pd

from data import orderbook
from data.curate.common import ANALYST, ASSESSED_EXTRA, JUDGED_CRITERIA, _bool, notes_partners
from data.curate.lines import build_source_domain


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
