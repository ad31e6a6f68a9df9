"""The explorer page in a real headless Chromium, against the app on the embedded store.

One walk through what an analyst does (search 永久磁石, open it, read an edge's citation,
expand, find how two entities connect, filter by date, run a flagship view), then a
shared link reopened in a fresh page and the keyboard path. Screenshots go to
test-artifacts/e2e/; no console errors are allowed.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import pytest

expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is missing"
).expect
Page = Any  # tests/e2e/conftest.py's Page: .page (Playwright page), .errors, .shot(name)
pytestmark = pytest.mark.e2e

MAGNETS = "material/permanent-magnets"
DESIGNATION = "measure/espa-critical-materials-designation"
DESIGNATION_QUOTE = "11の特定重要物資※を指定。"


def ids(page: Page) -> set[str]:
    found: list[str] = page.page.evaluate(
        "() => window.eskgExplorer.cy.nodes().not('.more').map(n => n.id())"
    )
    return set(found)


def visible_ids(page: Page) -> set[str]:
    found: list[str] = page.page.evaluate(
        "() => window.eskgExplorer.cy.nodes(':visible').not('.more').map(n => n.id())"
    )
    return set(found)


def click_graph(page: Page, element_id: str) -> None:
    """Click a node or an edge where Cytoscape draws it (centred first, so nothing covers it)."""
    point: dict[str, Any] = page.page.evaluate(
        """(id) => { const cy = window.eskgExplorer.cy; const e = cy.getElementById(id);
             if (e.empty()) throw new Error('not in the graph: ' + id);
             cy.center(e);
             return e.isNode() ? e.renderedPosition() : e.renderedMidpoint(); }""",
        element_id,
    )
    box = page.page.locator("#graph").bounding_box()
    assert box is not None
    page.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def open_page(page: Page, url: str) -> None:
    page.page.goto(url)
    page.page.wait_for_selector("body[data-ready]", state="attached")
    assert page.page.evaluate("document.body.dataset.ready") == "true", page.errors


def test_explore_search_expand_cite_connect_filter_flagship(page: Page, live_server: str) -> None:
    p = page.page
    open_page(page, live_server + "/")
    assert p.locator("#q").evaluate("el => el === document.activeElement")
    # The type filter lists the ontology's classes, from the API.
    options = p.locator("#type option").all_inner_texts()
    assert any("Specified critical material" in o for o in options), options
    assert p.locator("#legend-list li").count() >= 10

    # Search in Japanese: results as you type.
    p.locator("#q").press_sequentially("永久磁石", delay=20)
    p.wait_for_selector(f"#results li[data-id='{MAGNETS}']")
    page.shot("01-search-results")

    # Enter opens the first result: the entity and its neighbours.
    p.locator("#q").press("Enter")
    p.wait_for_function("() => window.eskgExplorer.cy.nodes().length > 3")
    assert {MAGNETS, DESIGNATION, "org/meti"} <= ids(page)
    details = p.locator("#view-details")
    expect(details).to_contain_text("永久磁石")
    expect(details).to_contain_text("Permanent magnets")
    assert details.locator("a[href^='https://www.meti.go.jp']").count() >= 1  # source link
    assert parse_qs(urlparse(p.url).query)["e"] == [MAGNETS]
    page.shot("02-entity-and-neighbours")

    # Click an edge: its citation, with the quote.
    click_graph(page, f"{DESIGNATION}|coversMaterial|{MAGNETS}")
    expect(p.locator("#edge-citations")).to_contain_text(DESIGNATION_QUOTE)
    assert "edge=" in p.url
    page.shot("03-edge-citation")

    # Click a node: it is selected and its neighbours are added.
    before = len(ids(page))
    click_graph(page, "org/meti")
    p.wait_for_function(f"() => window.eskgExplorer.cy.nodes().not('.more').length > {before}")
    expect(details).to_contain_text("経済産業省")
    assert "x=org%2Fmeti" in p.url
    p.locator("#fit").click()
    page.shot("04-expanded")

    # A node with many neighbours shows 30 and a "more" control.
    p.evaluate("() => { window.eskgExplorer.cy.getElementById('org/meti').unselect(); }")
    click_graph(page, "country/jp")
    p.wait_for_selector("#more-btn")
    shown = len(ids(page))
    p.locator("#more-btn").click()
    p.wait_for_function(f"() => window.eskgExplorer.cy.nodes().not('.more').length > {shown}")
    page.shot("05-more-neighbours")

    # How are these connected? 永久磁石 -> 中国 (China).
    p.locator("#tab-paths").click()
    p.locator("#from").fill("")
    p.locator("#from").press_sequentially("永久磁石", delay=10)
    p.wait_for_selector(f"#from-results li[data-id='{MAGNETS}']")
    p.locator("#from").press("Enter")
    p.locator("#to").press_sequentially("中国", delay=10)
    p.wait_for_selector("#to-results li[data-id='country/cn']")
    p.locator("#to-results li[data-id='country/cn']").click()
    p.locator("#find-paths").click()
    p.wait_for_selector("#paths-out .path-item")
    out = p.locator("#paths-out").inner_text()
    assert "shortest path" in out
    first = p.locator("#paths-out .path-item").first.inner_text()
    assert "永久磁石" in first and "中国" in first
    assert p.evaluate("() => window.eskgExplorer.cy.elements('.path').length") >= 5
    assert {"from", "to"} <= set(parse_qs(urlparse(p.url).query))
    page.shot("06-paths")

    # Time filter: before the designation (2022-12-20), it disappears from the graph.
    p.locator("#tab-details").click()
    assert DESIGNATION in visible_ids(page)
    p.locator("#asof").fill("2022-06-01")
    p.locator("#asof").dispatch_event("change")
    p.wait_for_function(
        f"() => window.eskgExplorer.cy.getElementById('{DESIGNATION}').hasClass('dated-out')"
    )
    assert DESIGNATION not in visible_ids(page)
    assert "org/meti" in visible_ids(page)  # undated: always shown
    assert re.search(r"hidden", p.locator("#status").inner_text())
    assert "d=2022-06-01" in p.url
    page.shot("07-time-filter")
    p.locator("#asof-clear").click()
    p.wait_for_function(
        f"() => !window.eskgExplorer.cy.getElementById('{DESIGNATION}').hasClass('dated-out')"
    )

    # Flagship: measures covering this material, with the chain and its sources.
    p.locator("#q").fill("")
    p.locator("#q").press_sequentially("永久磁石", delay=10)
    p.wait_for_selector(f"#results li[data-id='{MAGNETS}']")
    p.locator(f"#results li[data-id='{MAGNETS}']").click()
    p.wait_for_selector("#flagship-btn")
    p.locator("#flagship-btn").click()
    p.wait_for_selector("#flag-out .answer")
    expect(p.locator("#flag-out")).to_contain_text("特定重要物資の指定")
    p.locator("#flag-out details summary").first.click()
    expect(p.locator("#flag-out")).to_contain_text(DESIGNATION_QUOTE)
    assert "v=flagship" in p.url
    page.shot("08-flagship")

    # The same view as of a date before the designation: the server's asOf leaves it out.
    p.locator("#asof").fill("2022-06-01")
    p.locator("#asof").dispatch_event("change")
    p.wait_for_function(
        "() => !document.querySelector('#flag-out').innerText.includes('特定重要物資の指定')"
    )
    page.shot("09-flagship-as-of")

    assert page.errors == []


def test_shared_link_restores_the_view_and_keyboard_works(page: Page, live_server: str) -> None:
    p = page.page
    link = f"{live_server}/?e={MAGNETS}&x=org%2Fmeti&s=org%2Fmeti&d=2023-01-01&lang=en"
    open_page(page, link)
    p.wait_for_function("() => window.eskgExplorer.cy.nodes().length > 10")
    assert {MAGNETS, "org/meti", DESIGNATION} <= ids(page)
    assert p.locator("#asof").input_value() == "2023-01-01"
    assert p.locator("#lang").input_value() == "en"
    expect(p.locator("#view-details")).to_contain_text("Ministry of Economy, Trade and Industry")
    page.shot("10-shared-link")

    # A link to an edge opens its citations; links to the paths and flagship views rerun them.
    open_page(
        page, f"{live_server}/?e={MAGNETS}&edge={quote(f'{DESIGNATION}|coversMaterial|{MAGNETS}')}"
    )
    expect(p.locator("#edge-citations")).to_contain_text(DESIGNATION_QUOTE)
    open_page(page, f"{live_server}/?v=paths&from={MAGNETS}&to=country%2Fcn")
    p.wait_for_selector("#paths-out .path-item")
    assert p.locator("#from").input_value() == "永久磁石"
    open_page(page, f"{live_server}/?v=flagship&e=tech%2Fsemiconductors&lang=en")
    p.wait_for_selector("#flag-out .answer")
    expect(p.locator("#flag-out")).to_contain_text("Semiconductors")
    page.shot("10b-shared-flagship-link")

    # Keyboard only: "/" focuses the search, arrows choose, Enter opens; focus is visible.
    p.locator("body").click(position={"x": 5, "y": 700})
    p.keyboard.press("/")
    assert p.evaluate("document.activeElement.id") == "q"
    p.keyboard.type("semiconductors")
    p.wait_for_selector("#results li[data-id]")
    p.keyboard.press("ArrowDown")
    p.keyboard.press("ArrowUp")
    p.keyboard.press("Enter")
    p.wait_for_function(
        "() => (new URLSearchParams(location.search).get('e') || '').length > 0 "
        "&& new URLSearchParams(location.search).get('e') !== 'material/permanent-magnets'"
    )
    p.keyboard.press("Tab")
    outline = p.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    # The side panel's relation list reaches every neighbour and edge without a mouse.
    first_rel = p.locator("#view-details .relations button.link").first
    first_rel.focus()
    p.keyboard.press("Enter")
    p.wait_for_selector("#edge-citations")
    page.shot("11-keyboard")

    # Without the server's shortestPaths the page searches itself (bounded, batched requests).
    p.evaluate("() => { window.eskgExplorer.state.caps.shortestPaths = false; }")
    p.locator("#tab-paths").click()
    p.locator("#from").fill("")
    p.locator("#from").press_sequentially("permanent magnets", delay=10)
    p.wait_for_selector(f"#from-results li[data-id='{MAGNETS}']")
    p.locator("#from").press("Enter")
    p.locator("#to").fill("")
    p.locator("#to").press_sequentially("Japan", delay=10)
    p.wait_for_selector("#to-results li[data-id='country/jp']")
    p.locator("#to-results li[data-id='country/jp']").click()
    p.locator("#find-paths").press("Enter")
    p.wait_for_selector("#paths-out .path-item")
    expect(p.locator("#paths-out")).to_contain_text("of 2 steps")
    expect(p.locator("#paths-out")).to_contain_text("Ministry of Economy")
    p.locator("#paths-out .path-item button.rel").first.click()
    expect(p.locator("#edge-citations")).to_contain_text("Cabinet Order")
    page.shot("12-paths-in-the-browser")
    assert page.errors == []


@pytest.mark.neo4j
def test_the_same_page_on_the_neo4j_store(page: Page, neo4j_live_server: str) -> None:
    """What the issue checks, on Neo4j: search a Japanese term, the graph, an edge's quote."""
    p = page.page
    open_page(page, neo4j_live_server + "/")
    p.locator("#q").press_sequentially("永久磁石", delay=10)
    p.wait_for_selector(f"#results li[data-id='{MAGNETS}']")
    p.locator("#q").press("Enter")
    p.wait_for_function("() => window.eskgExplorer.cy.nodes().length > 3")
    assert {MAGNETS, DESIGNATION, "org/meti"} <= ids(page)
    click_graph(page, f"{DESIGNATION}|coversMaterial|{MAGNETS}")
    expect(p.locator("#edge-citations")).to_contain_text(DESIGNATION_QUOTE)
    page.shot("13-neo4j-store")
    assert page.errors == []
