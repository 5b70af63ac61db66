"""End-to-end in real Chromium: the key flows an analyst goes through."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script (the status widget disappears)."""
    page.wait_for_timeout(150)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
    wait_idle(page)


def test_opens_with_sliders_and_data_page(page: Page, server: str) -> None:
    open_page(page, server)
    sliders = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]')
    expect(sliders.first).to_be_visible()
    assert sliders.count() >= 5
    page.locator('[data-testid="stSidebarNavLink"]', has_text="Data & sources").click()
    expect(page.get_by_role("heading", name="Data & sources")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("Sources").first).to_be_visible()
    no_exception(page)
    page.screenshot(path=str(ARTIFACTS / "data_page.png"), full_page=True)
