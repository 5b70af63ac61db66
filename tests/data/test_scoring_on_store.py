"""The scoring engine on the real store: the policy's expected winners and losers emerge from data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from data import inputs, queries
from data.store import connect
from scoring.criteria import PRESETS_BY_KEY
from scoring.engine import ScoringConfig, score_partners
from scoring.features import build_matrix, derive_features


@pytest.fixture(scope="module")
def matrix(store_path: Path):
    con = connect(store_path)
    features = queries.partner_features(con)
    con.close()
    partners = inputs.partner_inputs(features)
    return build_matrix(partners.iso3, derive_features(partners.columns, "nato"))


def ranks(matrix, preset: str) -> dict[str, int]:
    result = score_partners(matrix, ScoringConfig(PRESETS_BY_KEY[preset].weights))
    return dict(zip(matrix.partners, result.rank.tolist(), strict=True))


def test_eo_preset_puts_eastern_flank_spenders_near_the_top(matrix) -> None:
    eo = ranks(matrix, "eo")
    n = len(matrix.partners)
    assert eo["POL"] <= 3
    for baltic in ("LTU", "LVA", "EST"):
        assert eo[baltic] <= 0.15 * n, (baltic, eo[baltic])


def test_georgia_ranks_lower_under_eo_than_under_strategy_only(matrix) -> None:
    eo, strategic = ranks(matrix, "eo"), ranks(matrix, "strategic")
    assert eo["GEO"] > strategic["GEO"] + 3
    assert eo["XKX"] > strategic["XKX"]


def test_every_partner_is_ranked(matrix) -> None:
    result = score_partners(matrix, ScoringConfig(PRESETS_BY_KEY["eo"].weights))
    assert sorted(result.rank.tolist()) == list(range(1, len(matrix.partners) + 1))
    assert np.allclose(result.contributions.sum(axis=1), result.score)
