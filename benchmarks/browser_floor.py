"""Browser floor for the slider benchmark: the Overview's map and tables, and nothing else.

Served by ``benchmarks.cold_start`` beside the real app, copied to the clone's root (Streamlit
serves ``static/`` beside the main script, and the map loads its outlines from there). One sidebar slider shifts every map value
by a small constant, so each move re-sends a changed figure — the chart the Overview redraws after
a weight change, built by the same ``ui.charts`` function from constant inputs (computed once), plus
the Overview's two five-row tables. What a slider move costs here (server rerun, figure build and
serialisation, websocket, Plotly redraw in Chromium) is the least any page showing that chart
pays; the real page's cost is reported against it.
"""

import streamlit as st

from ui import charts, model, state

st.set_page_config(page_title="Browser floor", layout="wide")


@st.cache_resource(show_spinner=False)
def _inputs():
    scenario = state.scenario_of(state.defaults())
    ranking = model.ranking_table(scenario)
    orders = model.order_table(scenario)
    movers = orders.sort_values("delay_quarters")[["partner", "line_name", "priority_last", "delay_quarters"]]
    return ranking, movers.head(5), movers.tail(5)


ranking, gain, loss = _inputs()
shift = st.sidebar.slider("Floor weight", 0, 100, 100)  # room for one step per timed move on every page
frame = ranking.assign(score=ranking["score"] + 0.01 * shift)
st.title("Browser floor")
st.plotly_chart(
    charts.titled(charts.world_map(frame, "score", "Priority score", "floor", value_range=(0.0, 100.0)),
                  "Priority score by partner", "floor"),
    config=charts.MAP_CONFIG, width="stretch", on_select="rerun", selection_mode="points", key="overview_map",
)
left, right = st.columns(2)
left.dataframe(gain, hide_index=True, width="stretch", key="floor_gain")
right.dataframe(loss, hide_index=True, width="stretch", key="floor_loss")
