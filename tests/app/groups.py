"""Open the sidebar's lazy settings groups in an AppTest (a browser opens them by a click)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.sidebar import LAZY_GROUPS, OPEN_GROUPS_KEY


def open_groups(at: AppTest, *slugs: str) -> AppTest:
    """Mark the given groups (all when none is given) open, as the expander's callback records a
    click; their widgets are drawn on the next run."""
    opened = set(at.session_state[OPEN_GROUPS_KEY]) if OPEN_GROUPS_KEY in at.session_state else set()
    at.session_state[OPEN_GROUPS_KEY] = opened | set(slugs or LAZY_GROUPS)
    return at
