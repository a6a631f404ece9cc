"""The What changed page in a real browser: it draws its map, names every change in words, carries each actor's
change in the map's data, and links to the changes downloads; nothing leaves the site (tests/browser_util.py)."""

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
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("changes") / "site"
    publish(locate(ROOT / "data"), PublishOptions(out=out, date="2024-01-31", as_of=2014, previous=ROOT / "data",
                                                  previous_as_of=2012))
    return out


CHANGES_JS = """() => ({
  heading: document.querySelector('h1').textContent.trim(),
  summary: document.querySelector('#s-summary p').textContent.trim(),
  ready: document.getElementById('map').dataset.ready,
  canvas: !!document.querySelector('#map canvas'),
  ended: Array.from(document.querySelectorAll('#t-changes-partnerships tbody tr'))
              .map(tr => Array.from(tr.cells).slice(0, 2).map(c => c.textContent.trim())),
  badges: Array.from(document.querySelectorAll('td.change-add, td.change-drop')).map(td => td.textContent.trim()),
  details: JSON.parse(document.getElementById('map-details').innerHTML).details
              .filter(d => d.change).map(d => [d.id, d.change]),
  downloads: Array.from(document.querySelectorAll('#s-changes-downloads a')).map(a => a.getAttribute('href')),
})"""


def test_the_what_changed_page_in_chromium(browser, site):
    with open_guarded_page(browser) as guarded:
        page = guarded.goto(site / "changes.html", allow_prefix=site)
        page.wait_for_function("document.getElementById('map').dataset.ready === 'true'")
        shown = page.evaluate(CHANGES_JS)
        guarded.check()
    assert shown["heading"] == "Hvad er ændret" and shown["canvas"]
    assert shown["summary"].startswith("1 nyt partnerskab, 1 afsluttet; 11 nye medlemmer")
    assert ["Partnerskab om Hjemløsestrategien", "afsluttet"] in shown["ended"]
    assert ["Partnerskab med uddannelsesverdenen", "ny"] in shown["ended"]
    assert "ny, ny sektor" in shown["badges"] and "forladt" in shown["badges"]
    changes = dict(shown["details"])
    assert changes["pharmakon"] == "joined" and changes["kl"] == "unchanged"
    assert "downloads/changes_members.csv" in shown["downloads"]
    for href in shown["downloads"]:
        assert (site / href).is_file()
