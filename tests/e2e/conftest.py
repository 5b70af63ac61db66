"""Real-browser fixtures: a Streamlit server on a free port and Debian's headless Chromium.

Playwright's own browser download does not work on these machines, so the browser is Debian's
``chromium`` (``/usr/bin/chromium``, or ``$CHROMIUM_PATH``). Screenshots go to
``tests/e2e/artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Every assertion waits up to 30 s (Playwright's default is 5 s): a busy 2-core CI machine renders
# a cold page in well over 5 s. No assertion sleeps; each returns as soon as it holds.
expect.set_options(timeout=30_000)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
from tests.servers import CHROMIUM, CHROMIUM_ARGS  # noqa: E402 - shared with the other browser code


@contextlib.contextmanager
def streamlit_server(db_path: Path, log_name: str = "server.log", extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run app.py`` on a free port against ``db_path``; yields the URL once healthy."""
    import tempfile

    from data.scenarios import PATH_ENV
    from tests.servers import serving

    # Each server process gets its own saved-scenario file (unless the test gives one): an embedded
    # DuckDB file belongs to one process, and the test process's own AppTests hold theirs open.
    with tempfile.TemporaryDirectory(prefix="e2e-scenarios-") as own:
        env = {**os.environ, "ARMS_PRIORITY_DB": str(db_path), PATH_ENV: str(Path(own) / "scenarios.duckdb"), **(extra_env or {})}
        with serving(ROOT / "app.py", ROOT, env, ARTIFACTS / log_name, timeout_s=60.0) as (url, _process):
            yield url


@pytest.fixture(scope="session")
def server(store_path: Path) -> Iterator[str]:
    """The app served against the session's test store."""
    with streamlit_server(store_path) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser, server: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()
