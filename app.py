"""America First arms-sale priority: the analyst's dashboard (router).

Draws the shared frame (page config, session defaults from the URL, sidebar), then runs the page
the user picked. Nothing else lives here.
"""

import streamlit as st

from ui.page import ROUTED_KEY, frame

frame()
page = st.navigation(
    [
        st.Page("pages/overview.py", title="Overview", icon="🧭", default=True),
        st.Page("pages/ranking.py", title="Partner ranking", icon="🏅"),
        st.Page("pages/queue.py", title="Queue & schedule", icon="🏭"),
        st.Page("pages/regions.py", title="Regional priorities", icon="🗺️"),
        st.Page("pages/partner.py", title="Partner profile", icon="🔎"),
        st.Page("pages/data.py", title="Data & sources", icon="🗄️"),
        st.Page("pages/methods.py", title="Methods", icon="📐"),
    ]
)
st.session_state[ROUTED_KEY] = True
try:
    page.run()
finally:
    st.session_state.pop(ROUTED_KEY, None)
