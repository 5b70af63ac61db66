"""End-to-end in real Chromium: the key flows an analyst goes through.

Every scenario also asserts what must not happen: no Streamlit exception box on any page.
"""

from __future__ import annotations

import re

import io

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS

PAGES = {
    "Overview": "America First arms-sale priority",
    "Partner ranking": "Partner ranking",
    "Queue & schedule": "Queue & delivery schedule",
    "Regional priorities": "Regional priorities",
    "Partner profile": "Partner profile",
    "Compare scenarios": "Compare scenarios",
    "Robustness": "How robust is it?",
    "Data & sources": "Data & sources",
    "Methods": "Methods",
}


# Counts the script runs the browser has seen end (the app root's data-test-script-state going back to
# 'notRunning'); installed on first use, it lets a test wait for the run its action started instead of
# sleeping. Every attribute change is replayed from the mutation records (old values), so a run that
# starts and ends within one batch of mutations is still counted.
RUNS_SEEN = """() => {
  if (window.__runsSeen === undefined) {
    window.__runsSeen = 0;
    new MutationObserver((records) => {
      const states = records.filter((r) => r.attributeName === 'data-test-script-state');
      states.forEach((record, i) => {
        const next = i + 1 < states.length ? states[i + 1].oldValue : record.target.getAttribute('data-test-script-state');
        if (next === 'notRunning' && record.oldValue !== 'notRunning') window.__runsSeen += 1;
      });
    }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                          attributeFilter: ['data-test-script-state']});
  }
  return window.__runsSeen;
}"""


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the run: the app not running, no status widget, no stale
    elements, and the sidebar's sliders all drawn (their count unchanged over two animation frames)."""
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(1, timeout=60_000)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=60_000)
    page.wait_for_function(
        """() => new Promise(done => {
            const count = () => document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSlider"]').length;
            const first = count();
            requestAnimationFrame(() => requestAnimationFrame(() => done(count() === first && first > 0)));
        })""",
        timeout=60_000,
    )


def after_rerun(page: Page, action) -> None:  # noqa: ANN001 - a callable
    """Do ``action`` (a click or key press that changes the app) and wait for the run it starts to end."""
    seen = page.evaluate(RUNS_SEEN)
    action()
    page.wait_for_function("n => window.__runsSeen > n", arg=seen, timeout=60_000)
    wait_idle(page)


def no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
    expect(page.locator("h1").first).to_be_visible(timeout=60_000)
    wait_idle(page)


def save_scenario(page: Page, name: str) -> str:
    """Save the current state under ``name`` from the sidebar; returns the id of its short link."""
    expander = open_settings(page, "Reference & saved scenarios")
    expander.get_by_label("Name", exact=True).fill(name)
    after_rerun(page, expander.get_by_role("button", name="Save this scenario").click)
    short = page.locator('[data-testid="stSidebar"]').get_by_text("Short link: ?scn=").first
    expect(short).to_be_visible(timeout=60_000)
    return short.inner_text().split("?scn=")[1].split()[0].strip("`·")[:8]


MENU_LINK = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'  # the router's menu (page links)


def go(page: Page, title: str) -> None:
    page.locator(MENU_LINK, has_text=title).click()
    expect(page.get_by_role("heading", name=PAGES[title]).first).to_be_visible(timeout=60_000)
    wait_idle(page)


def slider(page: Page, label: str):
    return page.locator(f'[data-testid="stSidebar"] input[type="range"][aria-label="{label}"]')


def open_group(page: Page, group: str) -> None:
    """Expand a collapsed group of weight sliders in the sidebar."""
    title = page.locator("summary", has_text=re.compile(rf"{re.escape(group)}$"))
    expander = page.locator('[data-testid="stSidebar"] [data-testid="stExpander"]').filter(has=title)
    if expander.locator('[data-testid="stSlider"]').first.is_hidden():
        expander.locator("summary").click()


def open_settings(page: Page, group: str):  # noqa: ANN201 - a Locator
    """Open a lazy settings group in the sidebar and wait for its widgets, which the group's own
    (fragment) run draws. That run is often too short to show in the app's run state, so the wait
    is for the widgets themselves."""
    expander = page.locator('[data-testid="stSidebar"] [data-testid="stExpander"]', has_text=group)
    if expander.locator("details").get_attribute("open") is None:
        expander.locator("summary").click()
    expect(expander.locator('[data-testid="stExpanderDetails"] [data-testid="stWidgetLabel"]').first).to_be_visible(timeout=60_000)
    wait_idle(page)
    return expander


def set_slider(page: Page, label: str, key: str, group: str | None = None) -> None:
    """Move a sidebar slider with the keyboard (Home = minimum, End = maximum)."""
    if group:
        open_group(page, group)
    thumb = slider(page, label)
    thumb.focus()
    after_rerun(page, lambda: thumb.press(key))


def download(page: Page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_opens_with_sliders_and_data_page(page: Page, server: str) -> None:
    open_app(page, server)
    sliders = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"]')
    expect(sliders.first).to_be_visible()
    assert sliders.count() >= 5
    go(page, "Data & sources")
    expect(page.get_by_text("Which source stands behind each table")).to_be_visible()
    no_exception(page)


def test_every_page_renders_and_is_screenshotted(page: Page, server: str) -> None:
    open_app(page, server)
    for title in PAGES:
        go(page, title)
        no_exception(page)
        expect(page.locator('[data-testid="stAlert"]', has_text="could not")).to_have_count(0)
        slug = title.lower().replace(" & ", "_").replace(" ", "_")
        page.screenshot(path=str(ARTIFACTS / f"page_{slug}.png"), full_page=True)


def test_moving_a_slider_reorders_the_queue(page: Page, server: str) -> None:
    open_app(page, server)
    go(page, "Queue & schedule")
    before = pd.read_csv(io.BytesIO(download(page, "Queue & schedule (CSV)")))
    set_slider(page, "Defense spending, % of GDP", "Home")
    set_slider(page, "Spending trend (5-year change)", "Home")
    expect(page.get_by_role("combobox", name="Weight preset")).to_have_value("Custom weights")
    after = pd.read_csv(io.BytesIO(download(page, "Queue & schedule (CSV)")))
    merged = before.merge(after, on="order_id", suffixes=("_before", "_after"))
    assert len(merged) == len(before) > 0
    assert (merged["priority_position_before"] != merged["priority_position_after"]).any()
    no_exception(page)


def test_shared_link_reproduces_the_ranking_set_by_hand(page: Page, server: str, browser) -> None:
    open_app(page, server)
    go(page, "Partner ranking")
    set_slider(page, "Defense spending, % of GDP", "Home")
    set_slider(page, "Frontline geography", "End", group="Strategic value")
    by_hand = pd.read_csv(io.BytesIO(download(page, "Scores (CSV)")))
    link = page.url
    assert "w_share_gdp=0" in link and "w_frontline=20" in link

    fresh = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    other = fresh.new_page()
    other.set_default_timeout(30_000)
    open_app(other, link)
    expect(other.get_by_role("heading", name="Partner ranking")).to_be_visible()
    shared = pd.read_csv(io.BytesIO(download(other, "Scores (CSV)")))
    no_exception(other)
    fresh.close()
    pd.testing.assert_frame_equal(by_hand[["iso3", "rank", "score"]], shared[["iso3", "rank", "score"]])


def test_tampered_link_falls_back_with_a_notice(page: Page, server: str) -> None:
    open_app(page, f"{server}/?w_share_gdp=abc&tier_mode=evil")
    expect(page.locator('[data-testid="stAlert"]', has_text="were replaced by their defaults")).to_be_visible()
    expect(slider(page, "Defense spending, % of GDP")).to_have_value("20")
    no_exception(page)


def test_excel_download_reads_back(page: Page, server: str) -> None:
    open_app(page, server)
    go(page, "Queue & schedule")
    workbook = openpyxl.load_workbook(io.BytesIO(download(page, "Everything (Excel)")), read_only=True)
    assert {"Scenario", "Queue", "Scores", "Sources"} <= set(workbook.sheetnames)
    scenario = {row[0]: row[1] for row in workbook["Scenario"].iter_rows(min_row=2, values_only=True)}
    assert scenario["preset"] == "eo"
    assert scenario["weight.share_gdp"] == "20.0"
    assert "generated_at_utc" in scenario
    assert scenario["link"].startswith("?") and "order book" in scenario["data_vintage"]
    queue = pd.read_excel(io.BytesIO(download(page, "Everything (Excel)")), sheet_name="Queue")
    assert len(queue) > 20 and {"fcfs_last", "priority_last", "delay_quarters"} <= set(queue.columns)
    no_exception(page)


@pytest.mark.parametrize("scheme", ["dark"])
def test_dark_mode(browser, server: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    open_app(page, server)
    background = page.evaluate("getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor")
    channels = [int(c) for c in background[background.index("(") + 1 : background.index(")")].split(",")[:3]]
    assert sum(channels) < 3 * 80, f"expected a dark background, got {background}"
    go(page, "Regional priorities")
    no_exception(page)
    # The offline map has no background of its own (no white rectangle on a dark page) and draws its
    # outlines in the dark theme's grey (once plotly has fetched them and drawn the countries).
    expect(page.locator(".st-key-regions_map path.choroplethlocation")).not_to_have_count(0, timeout=60_000)
    look = page.evaluate(
        """() => { const el = document.querySelector('.st-key-regions_map .js-plotly-plot');
                   return {bg: el._fullLayout.geo.bgcolor, line: el._fullData[0].marker.line.color,
                           paths: el.querySelectorAll('path.choroplethlocation').length}; }"""
    )
    assert look["bg"].replace(" ", "") == "rgba(0,0,0,0)", look
    assert look["line"] == "#8a8f99", look
    assert look["paths"] > 100, look
    page.screenshot(path=str(ARTIFACTS / "dark_regions.png"), full_page=True)
    context.close()


def test_order_book_upload_rejects_bad_files_and_uses_good_ones(page: Page, server: str, tmp_path) -> None:
    open_app(page, server)
    go(page, "Queue & schedule")
    page.get_by_text("Use your own order book (CSV)").click()
    bad = tmp_path / "bad.csv"
    bad.write_text("iso3,line_id,units,contract_date\nZZZ,javelin,-4,2024-01-01\n")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    expect(page.locator('[data-testid="stAlert"]', has_text="This order book was not loaded")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Unknown partner code(s) ZZZ")).to_be_visible()
    no_exception(page)

    good = tmp_path / "good.csv"
    good.write_text("iso3,line_id,units,contract_date,value_busd\nGEO,javelin,100,2024-01-31,0.02\nXKX,javelin,50,2023-05-01,0.01\n")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    expect(page.get_by_text("Order book in use: good.csv").first).to_be_visible(timeout=60_000)
    wait_idle(page)
    queue = pd.read_csv(io.BytesIO(download(page, "Queue & schedule (CSV)")))
    assert sorted(queue["iso3"]) == ["GEO", "XKX"]
    no_exception(page)


# Screen position of a place on the geo map, once the map has stayed at the same place on screen over
# five frames: a point given in degrees, or the dot of a partner drawn without an outline.
MAP_POINT = """(el, where) => new Promise(done => {
    const locate = () => {
        const geo = el._fullLayout && el._fullLayout.geo && el._fullLayout.geo._subplot;
        if (!geo || !el.querySelector('path.choroplethlocation')) return null;
        let lonlat = where.lonlat;
        if (where.dot) {
            const dots = el._fullData[1], i = Array.from(dots.customdata).indexOf(where.dot);
            lonlat = [dots.lon[i], dots.lat[i]];
        }
        const frame = el.getBoundingClientRect(), p = geo.projection(lonlat);
        return JSON.stringify({x: frame.left + p[0], y: frame.top + p[1]});
    };
    let last = locate(), same = 0;
    const step = () => {
        const now = locate(); same = now !== null && now === last ? same + 1 : 0; last = now;
        same >= 5 ? done(JSON.parse(now)) : requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
})"""


def click_map_opens_profile(page: Page, where: dict, partner: str) -> None:
    """Click a place on the Overview's map (see MAP_POINT) and check the partner's profile opens."""
    plot = page.locator(".st-key-overview_map .js-plotly-plot")
    expect(plot).to_be_visible()
    plot.scroll_into_view_if_needed()
    point = plot.evaluate(MAP_POINT, where)
    page.mouse.click(point["x"], point["y"])
    expect(page.get_by_role("heading", name="Partner profile")).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect(page.get_by_role("combobox", name="Partner")).to_have_value(partner)
    no_exception(page)


def test_clicking_a_country_on_the_map_opens_its_profile(page: Page, server: str) -> None:
    open_app(page, server)
    # Northern Poland, away from the dots of partners drawn without an outline.
    click_map_opens_profile(page, {"lonlat": [17.8, 53.4]}, "Poland (POL)")


def test_cold_start_builds_the_store_and_serves_every_session(browser, tmp_path) -> None:
    """No store yet: the first visit builds it and says so; a second, separate session works too."""
    from tests.e2e.conftest import streamlit_server

    with streamlit_server(tmp_path / "fresh.duckdb", "cold_server.log") as url:
        for visit in range(2):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            tab = context.new_page()
            tab.set_default_timeout(60_000)
            # The toast is raised at the start of the first run and fades after a few seconds, which on
            # a busy machine can pass before the page is complete: record every toast ever shown.
            tab.add_init_script(
                "window.__toasts = [];"
                "new MutationObserver(() => document.querySelectorAll('[data-testid=\"stToast\"]').forEach("
                "  t => { if (!window.__toasts.includes(t.innerText)) window.__toasts.push(t.innerText); }"
                ")).observe(document, {subtree: true, childList: true, characterData: true});"
            )
            open_app(tab, url)
            toasts = tab.evaluate("window.__toasts")
            if visit == 0:
                assert any("Built the store" in t for t in toasts), toasts
            else:
                assert not any("Built the store" in t for t in toasts), "only the session that built it is told"
            expect(tab.get_by_role("heading", name="America First arms-sale priority")).to_be_visible()
            no_exception(tab)
            context.close()
    assert (tmp_path / "fresh.duckdb").exists()


def test_a_delivery_quote_added_in_the_form_survives_a_shared_link(page: Page, server: str, browser) -> None:
    """Add 'Morocco signs for 200 Javelins' in the quote form; the link carries it; a fresh browser
    opening the link sees the same quote under FCFS, strict priority and tier shares."""
    open_app(page, server)
    go(page, "Queue & schedule")
    form = page.locator('[data-testid="stForm"]')
    after_rerun(page, form.get_by_role("button", name="Add hypothetical order").click)
    assert "hypo=MAR%3Ajavelin%3A200" in page.url or "hypo=MAR:javelin:200" in page.url
    quote = page.locator('[data-testid="stDataFrame"]', has_text="Strict priority: last")
    expect(quote).to_be_visible(timeout=60_000)
    queue = pd.read_csv(io.BytesIO(download(page, "Queue & schedule (CSV)")))
    mine = queue[queue["hypothetical"]]
    assert len(mine) == 1 and mine["iso3"].iloc[0] == "MAR" and mine["units_open"].iloc[0] == 200

    fresh = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    other = fresh.new_page()
    other.set_default_timeout(30_000)
    open_app(other, page.url)
    expect(other.locator('[data-testid="stDataFrame"]', has_text="Strict priority: last")).to_be_visible(timeout=60_000)
    shared = pd.read_csv(io.BytesIO(download(other, "Queue & schedule (CSV)")))
    no_exception(other)
    fresh.close()
    cols = ["order_id", "fcfs_last", "priority_last"]
    pd.testing.assert_frame_equal(queue[cols].reset_index(drop=True), shared[cols].reset_index(drop=True))


def test_save_a_scenario_open_its_short_link_compare_and_undo(page: Page, server: str, browser) -> None:
    """The analyst's loop: change weights, save with a name, open the short link in a fresh browser,
    compare with the preset, undo in the first browser."""
    open_app(page, server)
    go(page, "Partner ranking")
    set_slider(page, "Freedom House score", "End", group="Risk")
    scenario_id = save_scenario(page, "HR at 20")

    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    other = fresh.new_page()
    other.set_default_timeout(30_000)
    open_app(other, f"{server}/?scn={scenario_id}")
    expect(slider(other, "Freedom House score")).to_have_value("20")
    go(other, "Compare scenarios")
    other.get_by_role("combobox", name="Scenario A").click()
    other.get_by_role("option", name="Preset: America First EO").click()  # already the default: no rerun
    wait_idle(other)
    expect(other.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    expect(other.get_by_text("Partners changing tier")).to_be_visible()
    no_exception(other)
    fresh.close()

    after_rerun(page, page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Undo").click)
    expect(slider(page, "Freedom House score")).to_have_value("5")
    no_exception(page)


def test_two_replicas_share_saved_scenarios_through_postgres(browser, store_path, postgres_url: str, tmp_path) -> None:
    """Scale-out: two app processes, the same read-only store, saved scenarios in one PostgreSQL
    server — a scenario saved on the first replica opens from its short link on the second."""
    from tests.e2e.conftest import streamlit_server

    shared = {"ARMS_PRIORITY_SCENARIOS_URL": postgres_url, "ARMS_PRIORITY_READ_ONLY": "1"}
    # Each replica gets its own embedded scenario file, as on two machines: only the PostgreSQL
    # server can carry the scenario from one to the other.
    own = [{**shared, "ARMS_PRIORITY_SCENARIOS_DB": str(tmp_path / f"replica_{n}.duckdb")} for n in "ab"]
    with streamlit_server(store_path, "replica_a.log", own[0]) as first, \
            streamlit_server(store_path, "replica_b.log", own[1]) as second:
        assert first != second
        contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
        try:
            a, b = (c.new_page() for c in contexts)
            for tab in (a, b):
                tab.set_default_timeout(30_000)
            open_app(a, first)
            set_slider(a, "Frontline geography", "End", group="Strategic value")
            scenario_id = save_scenario(a, "Frontline first (replica A)")
            maximum = slider(a, "Frontline geography").input_value()
            assert maximum not in ("", "12"), "the slider moved off the preset value"

            open_app(b, f"{second}/?scn={scenario_id}")
            expect(slider(b, "Frontline geography")).to_have_value(maximum)
            expect(b.locator('[data-testid="stSidebar"]').get_by_text("Frontline first (replica A)").first).to_be_visible()
            no_exception(a)
            no_exception(b)
        finally:
            for context in contexts:
                context.close()
    import psycopg

    with psycopg.connect(postgres_url) as con:
        names = [r[0] for r in con.execute("SELECT name FROM saved_scenario WHERE scenario_id = %s", [scenario_id])]
    assert names == ["Frontline first (replica A)"]
    assert not any((tmp_path / f"replica_{n}.duckdb").exists() for n in "ab"), "no replica wrote its own file"


def test_a_fresh_server_shows_only_the_router_navigation(browser, store_path, tmp_path) -> None:
    """The first visitor of a just-started server never sees Streamlit's legacy ``pages/`` listing
    (main script plus every file in ``pages/``) before the router's menu: a click there would land
    outside the router. An observer installed before the page loads records the most navigation
    links ever on screen; it must never exceed the router's pages."""
    import re

    from tests.e2e.conftest import ROOT, streamlit_server

    router_pages = len(re.findall(r"st\.Page\(", (ROOT / "app.py").read_text(encoding="utf-8")))
    legacy_pages = 1 + len([p for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py"])
    assert legacy_pages != router_pages, "the check needs the legacy listing to differ from the router's"
    with streamlit_server(store_path, "fresh_nav.log", {"ARMS_PRIORITY_SCENARIOS_DB": str(tmp_path / "s.duckdb")}) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.set_default_timeout(60_000)
            # Any navigation link: Streamlit's own menu (legacy or router) and the router's page links.
            page.add_init_script(
                "window.__navMax = 0; window.__ownMenu = 0;"
                "new MutationObserver(() => {"
                "  const own = document.querySelectorAll('[data-testid=\"stSidebarNavLink\"]').length;"
                "  const n = own + document.querySelectorAll('[data-testid=\"stPageLink-NavLink\"]').length;"
                "  if (n > window.__navMax) window.__navMax = n;"
                "  if (own > window.__ownMenu) window.__ownMenu = own;"
                "}).observe(document, {subtree: true, childList: true});"
            )
            open_app(page, url)
            expect(page.locator(MENU_LINK)).to_have_count(router_pages)
            assert page.evaluate("window.__navMax") == router_pages
            assert page.evaluate("window.__ownMenu") == 0
            no_exception(page)
        finally:
            context.close()


def test_a_deep_link_opens_its_page_inside_the_router(page: Page, server: str) -> None:
    """A shared link straight to a page (``/ranking``) gets the router's frame: the sidebar's controls and
    the router's menu with the page marked, never Streamlit's own listing. The menu can reach the DOM a
    second or two after the run, when Streamlit's component chunks have loaded; the wait allows for it."""
    import re as _re

    router_pages = len(_re.findall(r"st\.Page\(", (ARTIFACTS.parents[2] / "app.py").read_text(encoding="utf-8")))
    open_app(page, f"{server}/ranking")
    expect(page.get_by_role("heading", name="Partner ranking").first).to_be_visible()
    expect(page.locator(MENU_LINK)).to_have_count(router_pages)
    expect(page.locator('[data-testid="stSidebarNavLink"]')).to_have_count(0)
    expect(slider(page, "Defense spending, % of GDP")).to_have_value("20")
    no_exception(page)


# Records which watched parts of the page Streamlit marks stale (re-running them) from now on.
WATCH_STALE = """(parts) => {
  window.__staleParts = [];
  new MutationObserver((records) => {
    for (const record of records) {
      const el = record.target;
      if (el.getAttribute('data-stale') !== 'true') continue;
      for (const [name, selector] of Object.entries(parts)) {
        if (el.closest(selector) && !window.__staleParts.includes(name)) window.__staleParts.push(name);
      }
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-stale']});
}"""


def test_page_controls_rerun_only_their_part_of_the_page(page: Page, server: str) -> None:
    """The Regions map's metric reruns the map and table (a fragment), not the sidebar or the
    burn-down; a weight slider still reruns everything. (AppTest always reruns the whole script,
    so this is checked in the browser: Streamlit marks stale what a run re-executes.)"""
    open_app(page, server)
    go(page, "Regional priorities")
    parts = {"sidebar": '[data-testid="stSidebar"]', "burndown": ".st-key-regions_burndown",
             "table": ".st-key-regions_table"}
    page.evaluate(WATCH_STALE, parts)
    after_rerun(page, page.get_by_text("Mean partner score", exact=True).click)
    stale = page.evaluate("window.__staleParts")
    assert "burndown" not in stale and "sidebar" not in stale, stale
    page.wait_for_function(
        """() => { const el = document.querySelector('.st-key-regions_map .js-plotly-plot');
                   return !!el && !!el._fullData && el._fullData[0].colorbar.title.text === 'Mean partner score'; }""",
        timeout=60_000,
    )
    # The control (the watch sees a rerun): a weight slider reruns the whole page, burn-down included.
    page.evaluate(WATCH_STALE, parts)
    thumb = slider(page, "Defense spending, % of GDP")
    after_rerun(page, lambda: thumb.press("ArrowLeft"))
    assert "burndown" in page.evaluate("window.__staleParts"), page.evaluate("window.__staleParts")
    no_exception(page)


def test_robustness_controls_rerun_their_section_and_the_partner_reaches_the_link(page: Page, server: str) -> None:
    """On the Robustness page the tornado's partner reruns only its section (the weight-stability
    chart above is not re-run), and the partner, shared state, still reaches the URL."""
    open_app(page, server)
    go(page, "Robustness")
    page.evaluate(WATCH_STALE, {"stability": ".st-key-rob_stability", "tornado": ".st-key-rob_tornado"})
    page.get_by_role("combobox", name="Partner").click()
    page.keyboard.type("Germany")  # the list of ~170 partners is virtualised: filter it first
    after_rerun(page, page.get_by_role("option", name="Germany (DEU)").click)
    expect(page.get_by_role("combobox", name="Partner")).to_have_value("Germany (DEU)")
    assert "stability" not in page.evaluate("window.__staleParts"), page.evaluate("window.__staleParts")
    page.wait_for_function("() => new URLSearchParams(location.search).get('partner') === 'DEU'", timeout=30_000)
    # The partner picker is bound state, but outside the sidebar's settings groups: opening a group
    # afterwards still reruns only that group (no rerun request left over from the page's fragment).
    open_settings(page, "Method")
    assert "stability" not in page.evaluate("window.__staleParts"), page.evaluate("window.__staleParts")
    go(page, "Partner profile")
    expect(page.get_by_role("combobox", name="Partner")).to_have_value("Germany (DEU)")
    no_exception(page)


def test_clicking_a_partner_drawn_as_a_dot_opens_its_profile(page: Page, server: str) -> None:
    """Partners without an outline in the offline map are dots (a scattergeo trace): a click on
    Singapore's dot opens its profile too."""
    open_app(page, server)
    click_map_opens_profile(page, {"dot": "SGP"}, "Singapore (SGP)")


def test_settings_groups_draw_their_widgets_only_when_open_and_rerun_alone(page: Page, server: str) -> None:
    """The sidebar's settings groups are lazy fragments: closed, their widgets are not drawn;
    opening one reruns only the group (the page is not marked stale); a setting changed inside it
    reruns the whole page and reaches the link; a group left open stays open on another page."""
    open_app(page, server)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Human-rights floor", exact=True)).to_have_count(0)
    parts = {"main": '[data-testid="stMain"]', "weights": '[data-testid="stSidebar"] [data-testid="stSlider"]'}
    page.evaluate(WATCH_STALE, parts)
    open_settings(page, "Gates")
    expect(sidebar.get_by_text("Human-rights floor", exact=True)).to_be_visible()
    assert page.evaluate("window.__staleParts") == [], page.evaluate("window.__staleParts")

    page.evaluate(WATCH_STALE, parts)
    sidebar.get_by_text("Human-rights floor", exact=True).click()
    # The group's run asks for a whole-app run: the page is re-run and the URL carries the gate.
    page.wait_for_function("() => new URLSearchParams(location.search).get('gate_hr') === '1'", timeout=60_000)
    page.wait_for_function("() => window.__staleParts.includes('main')", timeout=60_000)
    wait_idle(page)
    expect(sidebar.get_by_text("Freedom House total at least").first).to_be_visible()
    set_slider(page, "Defense spending, % of GDP", "Home")  # a whole-app run keeps the group open
    expect(sidebar.get_by_text("Freedom House total at least").first).to_be_visible()

    go(page, "Partner ranking")
    expect(sidebar.get_by_text("Human-rights floor", exact=True)).to_be_visible()
    # A refused save (no name) is reported: the group's run hands over to the whole-app run, which shows it.
    group = open_settings(page, "Reference & saved scenarios")
    after_rerun(page, group.get_by_role("button", name="Save this scenario").click)
    expect(sidebar.get_by_text("A saved scenario needs a name.")).to_be_visible(timeout=30_000)
    no_exception(page)
