"""Accessibility of the published site in a real browser: axe-core's WCAG 2.1 A/AA rules and reflow.

One page of every page kind (the ``kind-…`` class on ``<body>``; the kinds are
those of ``PAGE_KINDS``) of a site built from the bundled data, of one built
from hostile data (tests/site_util.py), each in Danish and English, and of the
two languages of a bilingual site (``--lang da,en``, from data with columns of
its own) is opened in
headless Chromium (tests/browser_util.py) at 1400 and 390 CSS px and checked by
axe-core, pinned in package-lock.json and installed by ``npm ci`` into
node_modules/. Any violation fails with its rule, impact and element selectors.
At 320 and 390 px no page may scroll sideways (WCAG 1.4.10, reflow) nor break a
word that fits on its line.

axe-core is injected through the DevTools protocol (``page.evaluate``), which
the pages' strict Content-Security-Policy does not govern: the pages are
checked exactly as published, CSP in force. axe's preload (fetching every
style sheet again for the orientation-lock rule) is off: the CSP rightly refuses
those fetches, and the sheets set no orientation.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from partnernet.load import locate
from partnernet.publish.options import PublishOptions
from partnernet.publish.run import publish
from partnernet.views.site.build import PAGE_KINDS

from .browser_util import browser, open_guarded_page, requires_chromium  # noqa: F401  (fixture)
from .site_util import write_columns_data, write_hostile_data

pytestmark = [pytest.mark.browser, requires_chromium]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: The rules run: WCAG 2.0 and 2.1, levels A and AA (EN 301 549's web clauses).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGS = ["da", "en"]
SITES = ["bundled", "hostile", "bilingual"]

RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], preload: false});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 nodes: v.nodes.map(n => n.target.join(' '))}));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe.min.js from node_modules/ (``npm ci``); missing: skipped, or failed under PARTNERNET_REQUIRE_BROWSER."""
    if not AXE.is_file():
        message = f"axe-core not installed at {AXE} (run `npm ci --no-audit --no-fund`)"
        pytest.fail(message) if os.environ.get("PARTNERNET_REQUIRE_BROWSER") else pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def a11y_sites(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(data, lang) -> published site: the bundled and the hostile data, each in Danish and English, and the
    two languages of one bilingual site (its English pages in en/), built once, each with a previous edition
    (the bundled data as of 2012; the others themselves), so that every page kind, What changed included, is there."""
    hostile = write_hostile_data(tmp_path_factory.mktemp("a11y-hostile-data"))
    sites = {}
    for name, data, year in (("bundled", ROOT / "data", 2012), ("hostile", hostile, None)):
        for lang in LANGS:
            out = tmp_path_factory.mktemp(f"a11y-{name}-{lang}") / "site"
            publish(locate(data), PublishOptions(out=out, date="2024-01-31", lang=lang, org="Erhvervsstyrelsen",
                                                 previous=data, previous_as_of=year))
            sites[name, lang] = out
    out = tmp_path_factory.mktemp("a11y-bilingual") / "site"
    columns = write_columns_data(tmp_path_factory.mktemp("a11y-columns-data"))
    publish(locate(columns), PublishOptions(out=out, date="2024-01-31", lang="da,en", org="Erhvervsstyrelsen",
                                            previous=columns))
    sites["bilingual", "da"], sites["bilingual", "en"] = out, out / "en"
    return sites


def top(site: Path) -> Path:
    """The folder a site's pages may load files from: the site, or for a translation (en/) the site above it."""
    return site if (site / "assets").is_dir() else site.parent


_KIND = re.compile(r'<body class="site kind-([a-z_-]+)"')


def pages_by_kind(site: Path) -> dict[str, Path]:
    """The first page (in path order) of each page kind of a site (not of its translations in en/)."""
    found: dict[str, Path] = {}
    for path in sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in LANGS):
        match = _KIND.search(path.read_text(encoding="utf-8"))
        assert match, f"no page kind on {path}"
        found.setdefault(match.group(1), path)
    return found


def _violations(page, axe_source: str) -> list[dict]:
    page.evaluate(axe_source)
    return page.evaluate(RUN_AXE, AXE_TAGS)


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("data", SITES)
def test_axe_finds_no_wcag_violation_on_any_page_kind(browser, axe_source, a11y_sites, data, lang, width):
    site = a11y_sites[data, lang]
    pages = pages_by_kind(site)
    assert set(pages) == set(PAGE_KINDS), "every page kind is checked"
    problems = []
    with open_guarded_page(browser, viewport=(width, 900)) as guarded:
        for kind, path in pages.items():
            page = guarded.goto(path, allow_prefix=top(site))
            for v in _violations(page, axe_source):
                nodes = "; ".join(n[:120] for n in v["nodes"][:6])
                problems.append(f"{kind} ({path.relative_to(site)}): {v['id']} [{v['impact']}] {v['help']} – {nodes}")
        guarded.check()
    assert not problems, f"axe-core {data}/{lang}/{width}px:\n  " + "\n  ".join(problems)


#: Words (2 to 30 letters) split over two lines although they would fit on a line of the page's
#: main column. Hyphenation is switched off first (through the CSSOM, which the CSP allows) so
#: that only breaks the layout forces are seen; a word wider than the column is left to hyphens: auto.
BROKEN_WORDS = """() => {
  document.querySelectorAll('body *').forEach(e => { e.style.hyphens = 'manual'; });
  const out = [], range = document.createRange();
  const main = document.querySelector('main'), cs = getComputedStyle(main);
  const line = main.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('script, template, .sr, #map') || !el.getClientRects().length) { continue; }
    const words = /(?<![\\p{L}\\p{N}])[\\p{L}\\p{N}]{2,30}(?![\\p{L}\\p{N}])/gu;
    for (let m = words.exec(n.data); m; m = words.exec(n.data)) {
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
      const tops = new Set(rects.map(r => Math.round(r.top)));
      const wide = rects.reduce((w, r) => w + r.width, 0);
      if (tops.size > 1 && wide <= line) { out.push(`${m[0]} (${el.tagName.toLowerCase()}.${el.className})`); }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("data", SITES)
def test_no_page_kind_scrolls_sideways_or_breaks_words_on_a_phone(browser, a11y_sites, data, width):
    wide, broken = [], []
    for lang in LANGS:
        site = a11y_sites[data, lang]
        with open_guarded_page(browser, viewport=(width, 844)) as guarded:
            for kind, path in pages_by_kind(site).items():
                page = guarded.goto(path, allow_prefix=top(site))
                where = f"{lang} {kind} ({path.relative_to(site)})"
                got = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
                if got[0] > got[1]:
                    wide.append(f"{where}: page {got[0]} px wide in {got[1]} px")
                broken += [f"{where}: {w}" for w in page.evaluate(BROKEN_WORDS)]
            guarded.check()
    assert not wide, "pages scroll sideways:\n" + "\n".join(wide)
    assert not broken, "words broken mid-word:\n" + "\n".join(broken)


def test_phone_screenshots_of_index_and_a_partnership_page(browser, a11y_sites):
    """At 390 px the map comes before its folded controls; screenshots go to tests/artifacts/ for a person to read."""
    site = a11y_sites["bundled", "da"]
    with open_guarded_page(browser, viewport=(390, 844)) as guarded:
        guarded.goto(site / "index.html", allow_prefix=site)
        guarded.screenshot("site-index-390.png", full_page=True)
        page = guarded.goto(site / "partnerships" / "p-groenne-indkoeb.html", allow_prefix=site)
        map_top, controls_top = page.evaluate("""() => [document.querySelector('.map-wrap').getBoundingClientRect().top,
                                                      document.querySelector('.controls').getBoundingClientRect().top]""")
        assert map_top < controls_top, "on a phone the map comes first"
        assert page.evaluate("() => document.querySelector('.controls-fold').open") is False, "the controls fold"
        # sectors are never told apart by colour alone: every swatch has its name beside it
        names = page.evaluate("""() => Array.from(document.querySelectorAll('#legend li, #sector-filter label'))
                                        .map(li => li.textContent.trim())""")
        assert names and all(names)
        guarded.screenshot("site-partnership-390.png", full_page=True)
        guarded.check()
