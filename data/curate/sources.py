"""The source table: every source a seed refers to."""

from __future__ import annotations

import pandas as pd

from data.curate.common import _bool


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
