"""The strategist's pages in a real browser: the Suggestions page's sector filter and print layout, the
Method page's anchors reached from a key figure's "?" link, and no request leaving the site."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnernet.load import locate
from partnernet.publish.options import PublishOptions
from partnernet.publish.run import publish

from .browser_util import browser, open_guarded_page, requires_chromium  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, requires_chromium]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    site = tmp_path_factory.mktemp("strategist") / "site"
    publish(locate(ROOT / "data"), PublishOptions(out=site, date="2024-01-31"))
    return site


VISIBLE = "() => Array.from(document.querySelectorAll('section[id^=s-sector-]')).filter(s => !s.hidden).map(s => s.id)"


def test_the_sector_filter_shows_one_sector(browser, published):
    with open_guarded_page(browser) as guarded:
        page = guarded.goto(published / "suggestions.html", allow_prefix=published)
        everything = page.evaluate(VISIBLE)
        assert len(everything) > 1 and "s-sector-municipality" in everything
        assert page.is_visible("form.section-filter")
        assert page.locator("label[for=section-filter]").text_content() == "Vis sektor"
        page.select_option("#section-filter", "s-sector-municipality")
        assert page.evaluate(VISIBLE) == ["s-sector-municipality"]
        assert page.text_content(".section-count") == f"1 / {len(everything)}"
        assert page.is_visible("#s-downloads")  # the downloads are not a sector: always shown
        page.select_option("#section-filter", "")
        assert page.evaluate(VISIBLE) == everything
        page.emulate_media(media="print")
        assert not page.is_visible("form.section-filter") and not page.is_visible("nav.site-nav")
        assert page.is_visible("#s-sector-municipality table")
        href = page.get_attribute("#s-downloads a[href$='p-fuldkorn.csv']", "href")
        assert href == "downloads/suggestions/p-fuldkorn.csv" and (published / href).is_file()
        guarded.check()


def test_without_javascript_the_page_is_the_full_list(browser, published):
    context = browser.new_context(java_script_enabled=False, offline=True)
    try:
        page = context.new_page()
        page.goto((published / "suggestions.html").as_uri())
        assert not page.is_visible("form.section-filter")
        assert page.locator("section[id^=s-sector-]:not([hidden])").count() > 1
    finally:
        context.close()


def test_a_key_figure_links_to_its_explanation(browser, published):
    with open_guarded_page(browser) as guarded:
        page = guarded.goto(published / "partnerships" / "p-fuldkorn.html", allow_prefix=published)
        link = page.locator("dl.facts a.help").first
        assert "Forklaring: Dækning" in link.text_content()
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith("method.html#s-coverage")
        assert page.evaluate("() => document.getElementById('s-coverage') !== null")
        assert page.evaluate("() => document.querySelector(':target').id") == "s-coverage"
        # a table heading's "?" stays a link beside the sort button, never inside it
        page = guarded.goto(published / "partnerships.html", allow_prefix=published)
        assert page.locator("th button.sort a").count() == 0
        assert page.locator("th > a.help[href='method.html#s-coverage']").count() == 1
        backtest = guarded.goto(published / "method.html", allow_prefix=published)
        assert "blandt de første 5 forslag i" in backtest.text_content("#s-backtest")
        assert backtest.locator("#t-backtest tbody tr").count() == 4
        guarded.check()
