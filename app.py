"""America First arms-sale priority: the analyst's dashboard (router).

Draws the shared frame (page config, session defaults from the URL, sidebar with the page menu),
then runs the page the user picked. Nothing else lives here.
"""

import streamlit as st

from ui.page import ROUTED_KEY, frame
from ui.state import end_of_run

menu = frame()
PAGES = [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/ranking.py", title="Partner ranking", icon=":material/leaderboard:"),
        st.Page("pages/queue.py", title="Queue & schedule", icon=":material/factory:"),
        st.Page("pages/regions.py", title="Regional priorities", icon=":material/public:"),
        st.Page("pages/partner.py", title="Partner profile", icon=":material/person_search:"),
        st.Page("pages/robustness.py", title="Robustness", icon=":material/shuffle:"),
        st.Page("pages/compare.py", title="Compare scenarios", icon=":material/compare_arrows:"),
        st.Page("pages/data.py", title="Data & sources", icon=":material/database:"),
        st.Page("pages/methods.py", title="Methods", icon=":material/functions:"),
]
# The menu is drawn by the script (page links at the top of the sidebar), so every run, including
# the first on a freshly started server, shows exactly these pages; Streamlit's own menu is hidden
# (position="hidden", and client.showSidebarNavigation = false for its legacy pages/ listing).
page = st.navigation(PAGES, position="hidden")
with menu:
    for entry in PAGES:
        st.page_link(entry)
st.session_state[ROUTED_KEY] = True
try:
    page.run()
finally:
    st.session_state.pop(ROUTED_KEY, None)
    end_of_run()
