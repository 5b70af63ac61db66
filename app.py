"""America First arms-sale priority: the analyst's dashboard (router).

Page config, session defaults (from the URL when a shared link is opened), the shared sidebar,
then the page the user picked. Nothing else lives here.
"""

import streamlit as st

from ui import state
from ui.sidebar import render_sidebar

st.set_page_config(page_title="Arms-sale priority analyst", page_icon="🛡️", layout="wide")
state.init_state()

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🧭", default=True),
    st.Page("pages/ranking.py", title="Partner ranking", icon="🏅"),
    st.Page("pages/queue.py", title="Queue & schedule", icon="🏭"),
    st.Page("pages/regions.py", title="Regional priorities", icon="🗺️"),
    st.Page("pages/partner.py", title="Partner profile", icon="🔎"),
    st.Page("pages/data.py", title="Data & sources", icon="🗄️"),
    st.Page("pages/methods.py", title="Methods", icon="📐"),
]

page = st.navigation(PAGES)
render_sidebar()
notice = st.session_state.pop(state.NOTICE_KEY, None)
if notice:
    st.warning(notice)
page.run()
