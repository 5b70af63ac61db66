"""Reference page for P1: the rendering floor of a dashboard page.

Replays, from constant precomputed data, the plotly charts and tables (``st.plotly_chart``,
``st.dataframe``, ``st.data_editor``) that one measured page rendered, with the same arguments
(column configuration, heights, selection settings, keys), in the same order — and nothing else:
no sidebar, no queries, no scoring, no text. The calls, their data and the chart builders' inputs
are recorded from the real page by ``benchmarks.p1_worker`` and pickled (path in
``$BENCH_FLOOR_PICKLE``; loading is cached, so reruns measure rendering only).

``$BENCH_FLOOR_MODE``:

- ``build`` (the floor the targets use): each chart is rebuilt on every rerun by the same
  ``ui.charts`` function from the recorded inputs, then serialised — the plotly cost any page
  showing that chart pays — and each table is serialised;
- ``serialise``: the finished figures are replayed, so only figure and table serialisation is
  left (a lower bound, reported for information).
"""

import os
import pickle

import streamlit as st


@st.cache_resource(show_spinner=False)
def _recorded(path: str) -> list:
    with open(path, "rb") as handle:
        return pickle.load(handle)


BUILD = os.environ.get("BENCH_FLOOR_MODE", "build") == "build"

NESTED = "__built_by__"  # as in benchmarks.p1_worker


def _rebuild(builder: tuple) -> object:
    """Call a recorded ``ui.charts`` builder again, first rebuilding any figure argument that
    another builder made (``titled(world_map(...))`` rebuilds the map, then titles it)."""
    from ui import charts

    name, args, builder_kwargs = builder
    args = tuple(_rebuild(a[NESTED]) if isinstance(a, dict) and NESTED in a else a for a in args)
    return getattr(charts, name)(*args, **builder_kwargs)


for kind, data, kwargs, builder in _recorded(os.environ["BENCH_FLOOR_PICKLE"]):
    if BUILD and builder is not None:
        data = _rebuild(builder)
    getattr(st, kind)(data, **kwargs)
