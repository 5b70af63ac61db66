"""The frame every page shares: page config, session defaults from the URL, sidebar, notices.

``app.py`` draws the frame, then runs the page ``st.navigation`` picked. A page can also run
without the router: Streamlit still treats a ``pages/`` folder as legacy auto-discovered pages on
a server's very first script run and in ``AppTest.switch_page``. Each page therefore calls
:func:`bootstrap` first, which draws the frame only when the router did not.
"""

from __future__ import annotations

import streamlit as st

from ui.widgets import plain
from ui import data, state
from ui.sidebar import render_sidebar

ROUTED_KEY = "_routed_run"


def frame():  # noqa: ANN201 - a DeltaGenerator
    """Page config, state (URL applied once), the sidebar and any pending notice. Returns the empty
    container at the top of the sidebar where the router draws its page menu."""
    st.set_page_config(page_title="Arms-sale priority analyst", page_icon="🛡️", layout="wide")
    menu = st.sidebar.container()
    state.take_app_rerun()  # this run is the whole app: a request from a callback is met by it
    state.init_state()
    state.note_page()
    data.store_notice()
    state.drop_unknown_names(data.known_partners, data.known_lines)
    state.remember_history()
    render_sidebar()
    notice = st.session_state.pop(state.NOTICE_KEY, None)
    if notice:
        st.warning(plain(notice, limit=1500))  # link parameters are user text: escaped, bounded
    upload = st.session_state.get("uploaded_book")
    if upload:
        st.info(
            f"Order book in use: **{plain(upload['name'], limit=120)}** ({upload['rows']:,} orders) — supplied by the analyst, not from "
            "the store. Switch back on the Queue & schedule page.",
            icon=":material/upload_file:",
        )
    return menu


def bootstrap() -> None:
    """Hand a page started outside the router back to ``app.py``.

    Streamlit decides at a server's first run whether a ``pages/`` folder means legacy
    auto-discovered pages; until ``st.navigation`` has run once it may start a page file directly
    (a shared deep link opened on a freshly started server). Telling it there are no legacy pages
    and rerunning lets ``app.py`` route the same URL with the full frame.
    """
    if st.session_state.get(ROUTED_KEY):
        return
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    frame()
