"""Data honesty of the non-order seeds: no figure written from memory, none resting on adversary state media.

The order book has its own checks (test_order_book.py); these cover the partner-level facts the
criteria read (pledges, US presence, judgement rationales) and the source table they cite.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from data import orderbook
from data.store import SEEDS_DIR

MEMORY = re.compile(r"from memory|compiler(?:'s)? memory", re.IGNORECASE)
STATE_MEDIA = re.compile(r"\b(?:Sputnik|RIA Novosti|TASS|RT\b|Xinhua|Global Times|CGTN|Press ?TV\b)", re.IGNORECASE)


def _seed(name: str) -> pd.DataFrame:
    return pd.read_csv(SEEDS_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", ["spending", "us_presence", "strategic_assessment", "source", "partner", "line_fact"])
def test_no_seed_says_a_figure_comes_from_memory(name: str) -> None:
    frame = _seed(name)
    hits = [(c, v[:80]) for c in frame.columns for v in frame[c] if MEMORY.search(v)]
    assert not hits, hits


def test_no_cited_source_is_adversary_state_media() -> None:
    source = _seed("source")
    classes = dict(zip(_seed("source_domain")["domain"], _seed("source_domain")["source_class"]))
    named = source[source["publisher"].str.cat(source["title"], sep=" ").str.contains(STATE_MEDIA)]
    assert named.empty, named["source_id"].tolist()
    with_url = source[source["url"].ne("")]
    excluded = [u for u in with_url["url"] if orderbook.classify(u, classes) == "excluded"]
    assert not excluded, excluded


def test_pledge_and_presence_figures_are_sourced_or_labelled_estimates() -> None:
    pledges = _seed("spending").query("series == 'pledge'")
    assert not pledges.empty
    unsourced = pledges[pledges["source_id"].eq("analyst_2026")]
    assert unsourced["is_estimate"].eq("true").all(), unsourced["iso3"].tolist()
    assert unsourced["note"].str.startswith("Analyst estimate:").all()
    presence = _seed("us_presence")
    with_figure = presence[presence["troops_present_approx"].ne("")]
    assert with_figure["present_source_id"].ne("").all() and with_figure["present_source_id"].ne("analyst_2026").all()
