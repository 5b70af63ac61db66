"""Every chart of the dashboard, built the same way: one colour scheme, one layout, no CDN.

Tier colours and the policy colours are fixed here and used everywhere. The palette is
colour-blind safe (Okabe–Ito); figures use a transparent background so they read in light and
dark themes, and every chart carries a source line.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.geo import iso3_with_outline, map_geojson

# Figures and traces are built without plotly's per-property validation: it was most of a chart's
# build time (a map 26 → 9 ms, the spending chart 48 → 15 ms), paid on every rerun, and
# st.plotly_chart does not validate a Figure again. tests/app/test_charts.py runs every chart
# through plotly's validators instead, so a misspelt property or a bad value still fails a test.
Figure = functools.partial(go.Figure, _validate=False)
Bar = functools.partial(go.Bar, _validate=False)
Scatter = functools.partial(go.Scatter, _validate=False)
Waterfall = functools.partial(go.Waterfall, _validate=False)
Heatmap = functools.partial(go.Heatmap, _validate=False)
Annotation = functools.partial(go.layout.Annotation, _validate=False)

# Okabe–Ito colour-blind-safe palette.
TIER_COLOURS: dict[str, str] = {"Tier 1": "#0072B2", "Tier 2": "#E69F00", "Tier 3": "#999999", "Insufficient data": "#CC79A7", "—": "#999999"}
FCFS_KEY, POLICY_KEY = "fcfs", "policy"  # join keys of the two schedules; labels come from scoring.delivery.POLICIES
POLICY_COLOURS: dict[str, str] = {FCFS_KEY: "#999999", POLICY_KEY: "#0072B2"}
FCFS_LABEL = "First-come-first-served"
GAIN, LOSS = "#009E73", "#D55E00"
GROUP_COLOURS: dict[str, str] = {
    "Defense investment": "#0072B2",
    "Strategic value": "#009E73",
    "Economic security": "#E69F00",
    "Risk": "#CC79A7",
}
CONFIG: dict[str, object] = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def _layout(fig: go.Figure, source: str, height: int = 420) -> go.Figure:
    """The house layout and the source line under the chart. Properties are set one by one (the
    same merge as ``update_layout``, which costs 5–15 ms a call in plotly's validation path; this
    costs about 1 ms and gives the same figure JSON)."""
    layout = fig.layout
    layout.height = height
    layout.margin.l, layout.margin.r, layout.margin.t, layout.margin.b = 10, 10, 40, 85
    layout.paper_bgcolor = layout.plot_bgcolor = "rgba(0,0,0,0)"
    layout.legend.orientation, layout.legend.yanchor, layout.legend.y, layout.legend.x = "h", "bottom", 1.02, 0
    layout.font.size = 12
    layout.annotations = (*layout.annotations, Annotation(
        text=f"Source: {source}",
        xref="paper", yref="paper", x=0, y=0, yanchor="top", yshift=-48, showarrow=False,
        font={"size": 10, "color": "#777"}, xanchor="left",
    ))
    return fig


def titled(fig: go.Figure, title: str, scenario: str) -> go.Figure:
    """The chart with its title and, under it, the scenario and the source line — so a downloaded
    PNG says what it shows, under which weights and from which data.

    The source line moves into the subtitle; its annotation is hidden in place (replacing the
    annotation list would make plotly validate every annotation again, ~10 ms each rerun). Set
    property by property, as in ``_layout``."""
    sources = [a for a in fig.layout.annotations if str(a.text).startswith("Source:")]
    for note in sources:
        note.visible = False
    subtitle = f"Scenario: {scenario}" + (f" · {sources[0].text}" if sources else "")
    fig.layout.title = {"text": title, "x": 0, "xanchor": "left", "subtitle": {"text": subtitle, "font": {"size": 11, "color": "#666"}}}
    fig.layout.margin.t, fig.layout.margin.b = 115, 50
    return fig


def contribution_bars(contrib: pd.DataFrame, names: dict[str, str], top: int = 25) -> go.Figure:
    """Stacked horizontal bars: each partner's score split by criterion group (top ``top`` partners)."""
    # groupby + unstack: the same table as pivot_table(aggfunc="sum", fill_value=0), at a third of the cost.
    by_group = contrib.groupby(["iso3", "group"], observed=True)["contribution"].sum().unstack("group", fill_value=0.0)
    by_group = by_group.loc[by_group.sum(axis=1).sort_values(ascending=False).index[:top]]
    partners = [names[i] for i in by_group.index]
    fig = Figure(
        [
            Bar(x=by_group[group].to_numpy(), y=partners, name=group, orientation="h", marker_color=colour,
                   hovertemplate="%{y}: %{x:.1f} points<extra>" + group + "</extra>")
            for group, colour in GROUP_COLOURS.items()
            if group in by_group.columns
        ]
    )
    fig.update_layout(barmode="stack", xaxis_title="score points")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "scores computed from SIPRI, NATO, World Bank, Freedom House, DMDC and analyst judgements", height=max(380, 18 * len(partners) + 120))


def score_waterfall(rows: pd.DataFrame, partner: str) -> go.Figure:
    """Horizontal waterfall of one partner's score by criterion (judgement criteria marked *)."""
    rows = rows[rows["weight"] > 0]
    labels = [n + (" *" if j else "") for n, j in zip(rows["criterion_name"], rows["judgement"], strict=True)]
    total = float(rows["contribution"].sum())
    fig = Figure(
        Waterfall(
            orientation="h",
            y=labels + ["Score"],
            x=list(rows["contribution"]) + [total],
            measure=["relative"] * len(rows) + ["total"],
            connector={"line": {"color": "#bbb"}},
            increasing={"marker": {"color": "#0072B2"}},
            totals={"marker": {"color": "#E69F00"}},
            text=[f"{v:.1f}" for v in rows["contribution"]] + [f"{total:.1f}"],
            textposition="outside",
            hovertemplate="%{y}: %{x:.2f} points<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="points (* = analyst judgement)", range=[0, max(100.0, total * 1.1)])
    return _layout(fig, "see Data & sources for each criterion's source", height=max(380, 24 * len(labels) + 140))


# Diverging scale for changes: red = worse, blue = better, a neutral middle that is neither glaring
# white on a dark page nor lost on a light one.
DIVERGING = {
    "light": [[0.0, "#b2182b"], [0.25, "#ef8a62"], [0.5, "#f7f7f7"], [0.75, "#67a9cf"], [1.0, "#2166ac"]],
    "dark": [[0.0, "#d6604d"], [0.25, "#8c3b33"], [0.5, "#3a3d45"], [0.75, "#3b6e99"], [1.0, "#74add1"]],
}


# plotly's geo subplot loads a base-map topology from ``topojsonURL`` + "world_110m.json" before it
# draws any trace (by default from cdn.plot.ly, which an offline host cannot reach). The base map is
# hidden here (the outlines come from our own GeoJSON), so ``static/world_110m.json`` is an empty
# topology with the layers plotly expects, served from the app's own origin.
TOPOJSON_URL = "app/static/"
MAP_CONFIG: dict[str, object] = {**CONFIG, "topojsonURL": TOPOJSON_URL}


def world_map(
    frame: pd.DataFrame, value: str, label: str, source: str, diverging: bool = False,
    value_range: tuple[float, float] | None = None, dark: bool = False,
) -> go.Figure:
    """Offline choropleth (GeoJSON from countryinfo) plus centroid markers for partners without an outline.

    Drawn as SVG on plotly's ``geo`` subplot (Natural Earth projection), not as a MapLibre/WebGL
    map: a browser without a GPU (headless Chromium, many office laptops) draws it several times
    faster, and it needs no tiles. Pass ``MAP_CONFIG`` to ``st.plotly_chart``.

    ``frame`` needs iso3, name, lat, lon and ``value``. ``value_range`` fixes the colour scale (the
    same across scenarios, so maps compare by eye); without it the scale is fitted to the data.
    ``dark`` draws the background, the outlines and the neutral colour for a dark theme.
    """
    theme = "dark" if dark else "light"
    outlined = iso3_with_outline()
    codes = frame["iso3"].to_numpy(dtype=object)
    names = frame["name"].to_numpy(dtype=object)
    values = frame[value].to_numpy(dtype=float, na_value=np.nan)
    lat = frame["lat"].to_numpy(dtype=float, na_value=np.nan)
    lon = frame["lon"].to_numpy(dtype=float, na_value=np.nan)
    shaped = np.fromiter((code in outlined for code in codes), dtype=bool, count=len(codes))
    known_value = ~np.isnan(values)
    if value_range is not None:
        low, high = value_range
        scale = DIVERGING[theme] if diverging else "Viridis"
    elif diverging:
        bound = float(np.nanmax(np.abs(values))) if known_value.any() else 1.0
        bound = bound or 1.0
        scale, low, high = DIVERGING[theme], -bound, bound
    else:
        scale, low, high = "Viridis", float(np.nanmin(values)) if known_value.any() else 0.0, float(np.nanmax(values)) if known_value.any() else 1.0
    outline = "#8a8f99" if dark else "#444444"
    # Plain dicts, unvalidated like every figure here (see the top of the module); every map variant
    # is run through plotly's validators in tests/app/test_geo.py.
    traces: list[dict] = [{
        "type": "choropleth", "geojson": map_geojson(), "featureidkey": "id", "locationmode": "geojson-id",
        "locations": codes[shaped], "z": values[shaped], "text": names[shaped], "customdata": codes[shaped],
        "colorscale": scale, "zmin": low, "zmax": high, "marker": {"line": {"width": 0.4, "color": outline}},
        "colorbar": {"title": {"text": label, "side": "right"}, "thickness": 14},
        "hovertemplate": "%{text}<br>" + label + ": %{z:.1f}<extra></extra>",
    }]
    dots = ~shaped & ~np.isnan(lat)
    known = dots & known_value
    if known.any():
        traces.append({
            "type": "scattergeo", "lat": lat[known], "lon": lon[known], "text": names[known], "customdata": codes[known],
            "mode": "markers", "showlegend": False,
            "marker": {"size": 8, "color": values[known], "colorscale": scale, "cmin": low, "cmax": high,
                       "line": {"width": 0.5, "color": outline}},
            "hovertemplate": "%{text}<br>" + label + ": %{marker.color:.1f}<extra></extra>",
        })
    # A dot without a figure is hollow, as a country without one is unfilled: plotly would
    # otherwise paint a missing colour value black, which reads as an extreme.
    unknown = dots & ~known_value
    if unknown.any():
        traces.append({
            "type": "scattergeo", "lat": lat[unknown], "lon": lon[unknown], "text": names[unknown], "customdata": codes[unknown],
            "mode": "markers", "showlegend": False,
            "marker": {"size": 8, "color": "rgba(0,0,0,0)", "line": {"width": 1, "color": outline}},
            "hovertemplate": "%{text}<br>" + label + ": no figure<extra></extra>",
        })
    # The base map (coastlines, land, frame) is hidden: only our outlines are drawn, on the theme's
    # background. Antarctica is cut off (no partner there). A small hover distance so a centroid dot
    # does not capture clicks meant for a neighbour's outline.
    fig = Figure(data=traces, layout={
        "geo": {"visible": False, "bgcolor": "rgba(0,0,0,0)", "projection": {"type": "natural earth"},
                "lataxis": {"range": [-58, 84]}},
        "hoverdistance": 6,
    })
    return _layout(fig, source, height=520)


def gainers_losers(orders: pd.DataFrame) -> go.Figure:
    """Change in completion per order against FCFS (one sign convention: negative = earlier)."""
    frame = orders.assign(change=orders["delay_quarters"], label=orders["partner"] + " · " + orders["line_name"])
    frame = frame.sort_values("change", ascending=False)
    colours = np.where(frame["change"] <= 0, GAIN, LOSS)
    fig = Figure(
        Bar(
            x=frame["change"], y=frame["label"], orientation="h", marker_color=colours,
            customdata=np.stack([frame["value_busd"].fillna(0), frame["fcfs_last"], frame["priority_last"]], axis=1),
            hovertemplate="%{y}<br>%{x:+d} quarters<br>value $%{customdata[0]:.2f}bn<br>"
            "FCFS done %{customdata[1]} → priority %{customdata[2]}<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title="quarters vs first-come-first-served (negative = earlier)")
    return _layout(fig, "order book: reviewed public record (DSCA notices, contracts, press), Dec 2026; capacity: published line rates", height=max(380, 16 * len(frame) + 120))


def partner_moves(per_partner: pd.DataFrame) -> go.Figure:
    """Value-weighted change in completion per partner (negative = earlier); value in hover."""
    frame = per_partner.assign(change=per_partner["delay_quarters"]).sort_values("change", ascending=False)
    fig = Figure(
        Bar(
            x=frame["change"], y=frame["partner"], orientation="h",
            marker_color=np.where(frame["change"] <= 0, GAIN, LOSS),
            customdata=np.stack([frame["value"], frame["orders"]], axis=1),
            hovertemplate="%{y}: %{x:+.1f} quarters (value-weighted)<br>$%{customdata[0]:.1f}bn in %{customdata[1]} orders<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title="value-weighted quarters vs first-come-first-served (negative = earlier)")
    return _layout(fig, "order book: reviewed public record (DSCA notices, contracts, press), Dec 2026; capacity: published line rates", height=max(360, 20 * len(frame) + 120))


def delivery_timeline(orders: pd.DataFrame, start: float, policy_label: str) -> go.Figure:
    """Gantt-like bars: each order's delivery window under both policies (``start``: the as-of
    quarter as a fractional year, e.g. 2026.25 for 2026 Q2). A partner with two orders on one line
    gets each order's id in its label, so no two orders share a row."""
    labels = orders["partner"] + " · " + orders["line_name"]
    repeated = labels.duplicated(keep=False)
    labels = labels.where(~repeated, labels + " #" + orders["order_id"].astype(str)).to_numpy()
    traces = []
    for key, policy, prefix in ((FCFS_KEY, FCFS_LABEL, "fcfs"), (POLICY_KEY, policy_label, "priority")):
        first = orders[f"{prefix}_first_quarter"].clip(lower=0).to_numpy()
        last = orders[f"{prefix}_last_quarter"].to_numpy()
        window = (orders[f"{prefix}_first"] + " – " + orders[f"{prefix}_last"]).to_numpy()
        traces.append(
            Bar(
                x=(last - first + 1) / 4.0, y=labels, base=start + first / 4.0, orientation="h",
                name=policy, marker_color=POLICY_COLOURS[key], customdata=np.stack([window, orders["platform"].to_numpy()], axis=1),
                hovertemplate="%{y}<br>%{customdata[1]}<br>%{customdata[0]}<extra>" + policy + "</extra>",
            )
        )
    fig = Figure(traces)
    fig.update_layout(barmode="group", xaxis_title="year")
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, "schedule computed from line capacity and the order book", height=max(380, 26 * len(labels) + 120))


BURN_PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999", "#000000"]


def burn_down(backlog: pd.DataFrame, policy_label: str = "Policy") -> go.Figure:
    """Remaining value by group over time, solid = the policy, dotted = first-come-first-served
    (``backlog['policy']`` holds the keys FCFS_KEY / POLICY_KEY). The x axis ends where the data
    ends: ``model.backlog_by`` stops one quarter after the last delivery."""
    groups = list(dict.fromkeys(backlog["group"]))
    traces = []
    for i, group in enumerate(groups):
        colour = TIER_COLOURS.get(group, BURN_PALETTE[i % len(BURN_PALETTE)])
        for key, policy, dash in ((POLICY_KEY, policy_label, "solid"), (FCFS_KEY, FCFS_LABEL, "dot")):
            rows = backlog[(backlog["group"] == group) & (backlog["policy"] == key)]
            traces.append(
                Scatter(
                    x=rows["year"].to_numpy(), y=rows["remaining"].to_numpy(), mode="lines",
                    name=str(group), showlegend=dash == "solid",
                    line={"color": colour, "dash": dash}, legendgroup=str(group),
                    hovertemplate="%{x:.2f}: $%{y:.1f}bn left<extra>" + f"{group} · {policy}" + "</extra>",
                )
            )
    # One legend entry per group (its colour) and one for the line style of the FCFS baseline.
    traces.append(Scatter(x=[None], y=[None], mode="lines", name=f"dotted: {FCFS_LABEL}",
                             line={"color": "#888", "dash": "dot"}, hoverinfo="skip"))
    fig = Figure(traces)
    fig.update_layout(xaxis_title="year", yaxis_title="order value still to deliver (US$ bn)")
    return _layout(fig, "schedule computed from line capacity and the order book", height=420)


def burn_down_panels(backlog: pd.DataFrame, policy_label: str = "Policy", columns: int = 3) -> go.Figure:
    """Small multiples: one panel per group (largest backlog first), each with the policy (solid)
    and first-come-first-served (dotted) — readable for many regions, where one chart is not.

    The panels are laid out here (axis domains, one title each) in a single figure construction:
    plotly's ``make_subplots`` and per-axis updates cost several times more on every rerun."""
    source = "schedule computed from line capacity and the order book; US$ bn still to deliver"
    start = backlog[backlog["policy"] == POLICY_KEY].groupby("group")["remaining"].max().sort_values(ascending=False)
    groups = [g for g in start.index if start[g] > 0]
    if not groups:
        return _layout(Figure(), source, height=200)
    rows = -(-len(groups) // columns)
    gap_x, gap_y = 0.06, 0.12 if rows > 1 else 0.0
    width, height = (1 - gap_x * (columns - 1)) / columns, (1 - gap_y * (rows - 1)) / rows
    by_key = {key: backlog[backlog["policy"] == key] for key in (POLICY_KEY, FCFS_KEY)}
    traces, layout, titles = [], {}, []
    for i, group in enumerate(groups):
        row, col = divmod(i, columns)
        axis = "" if i == 0 else str(i + 1)
        x0 = col * (width + gap_x)
        y1 = 1 - row * (height + gap_y)
        layout[f"xaxis{axis}"] = {"domain": [round(x0, 6), round(min(1.0, x0 + width), 6)], "anchor": f"y{axis}",
                                  "matches": "x" if i else None,
                                  "showticklabels": row == rows - 1 or i + columns >= len(groups)}
        layout[f"yaxis{axis}"] = {"domain": [round(max(0.0, y1 - height), 6), round(y1, 6)], "anchor": f"x{axis}",
                                  "rangemode": "tozero"}
        titles.append({"text": str(group), "x": x0 + width / 2, "y": y1, "xref": "paper", "yref": "paper",
                       "xanchor": "center", "yanchor": "bottom", "showarrow": False, "font": {"size": 12}})
        for key, policy, dash in ((POLICY_KEY, policy_label, "solid"), (FCFS_KEY, FCFS_LABEL, "dot")):
            part = by_key[key][by_key[key]["group"] == group]
            traces.append({
                "type": "scatter", "x": part["year"].to_numpy(), "y": part["remaining"].to_numpy(), "mode": "lines",
                "name": policy, "xaxis": f"x{axis}", "yaxis": f"y{axis}", "legendgroup": key, "showlegend": i == 0,
                "line": {"color": POLICY_COLOURS[key], "dash": dash},
                "hovertemplate": "%{x:.2f}: $%{y:.1f}bn left<extra>" + f"{group} · {policy}" + "</extra>",
            })
    for name in list(layout):
        if layout[name].get("matches") is None:
            layout[name].pop("matches", None)
    fig = Figure(data=traces, layout={**layout, "annotations": titles})
    fig = _layout(fig, source, height=150 + 190 * rows)
    # The legend sits in the top right corner, level with the title (above the panels it would
    # cover the first panels' titles).
    fig.update_layout(legend={"orientation": "h", "yref": "container", "yanchor": "top", "y": 0.99,
                              "xanchor": "right", "x": 1})
    return fig


def spending_history(history: pd.DataFrame, partner: str) -> go.Figure:
    """Share of GDP by year for each series, with 2%, 3.5% and 5% reference lines."""
    series_style = {
        "sipri": ("SIPRI", "#009E73"),
        "nato": ("NATO", "#0072B2"),
        "nato_2025e": ("NATO 2025 estimate", "#E69F00"),
        "pledge": ("Pledge / target", "#D55E00"),
    }
    frame = history[history["share_gdp_pct"].notna()]
    traces = []
    for series, (label, colour) in series_style.items():
        rows = frame[frame["series"] == series]
        if rows.empty:
            continue
        traces.append(
            Scatter(
                x=rows["year"].to_numpy(), y=rows["share_gdp_pct"].to_numpy(), mode="lines+markers", name=label,
                line={"color": colour, "dash": "dot" if series == "pledge" else "solid"},
                hovertemplate="%{x}: %{y:.2f}% of GDP<extra>" + label + "</extra>",
            )
        )
    # The reference levels as plain shapes and labels (what add_hline writes, without its ~5 ms a line).
    levels = ((2.0, "2% (2014 NATO goal)"), (3.5, "3.5% core (Hague 2025)"), (5.0, "5% by 2035"))
    fig = Figure(traces, layout={
        "shapes": [{"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": level, "y1": level,
                    "line": {"color": "#888", "dash": "dot"}} for level, _ in levels],
        "annotations": [{"text": text, "showarrow": False, "xref": "x domain", "x": 0, "xanchor": "left",
                         "yref": "y", "y": level, "yanchor": "bottom"} for level, text in levels],
        "xaxis": {"title": {"text": "year"}}, "yaxis": {"title": {"text": "% of GDP"}},
    })
    return _layout(fig, "SIPRI Milex (Apr 2025); NATO (Jun 2024 tables; Aug 2025 estimates); pledges as cited", height=420)


def rank_spread(mc: pd.DataFrame) -> go.Figure:
    """Median rank with the 5–95% band over weight draws, for the listed partners; the dots are
    coloured by the partner's current tier, one legend entry per tier."""
    tiers = mc["tier"].to_numpy(dtype=object)
    names = mc["name"].to_numpy(dtype=object)
    median, p05, p95 = (mc[c].to_numpy(dtype=float) for c in ("rank_median", "rank_p05", "rank_p95"))
    fig = Figure()
    for tier in dict.fromkeys(tiers):
        part = tiers == tier
        fig.add_trace(Scatter(
            x=median[part], y=names[part], mode="markers", name=str(tier),
            error_x={"type": "data", "symmetric": False, "array": p95[part] - median[part],
                     "arrayminus": median[part] - p05[part], "color": "#888"},
            marker={"color": TIER_COLOURS.get(tier, "#999"), "size": 9},
            customdata=np.stack([p05[part], p95[part]], axis=1),
            hovertemplate="%{y}: median rank %{x} (5–95%: %{customdata[0]}–%{customdata[1]})<extra>" + str(tier) + "</extra>",
        ))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(mc["name"]))
    fig.update_layout(xaxis_title="rank: dot = median, bar = 5th–95th percentile over weight draws", legend_title_text="current tier")
    return _layout(fig, "Monte Carlo over perturbed weights", height=max(360, 20 * len(mc) + 100))


layout = _layout  # public name for pages that build their own figures
