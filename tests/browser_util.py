"""Shared helpers for real-browser tests: Debian's Chromium driven by playwright.

Playwright's own browser download is never used: :func:`launch` starts
``/usr/bin/chromium`` through ``executable_path``. Use the fixtures in a test
module by importing them::

    from tests.browser_util import browser, guarded_page  # noqa: F401  (fixtures)
    pytestmark = [pytest.mark.browser, requires_chromium]

``browser`` is module-scoped (one Chromium per test module). ``guarded_page``
gives a :class:`GuardedPage`: a fresh, offline page that records every request
that is not to the page's own file or origin, every console error (CSP
violations are console errors), every uncaught exception and every dialog
(``alert``/``confirm``/``prompt``, which it dismisses). At the end of the test
it fails if any of these happened; call :meth:`GuardedPage.check` to fail
earlier.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("PARTNERNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"

#: CI sets PARTNERNET_REQUIRE_BROWSER=1: a missing Chromium then fails the tests instead of skipping them.
requires_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("PARTNERNET_REQUIRE_BROWSER"),
    reason=f"real-browser test: Chromium not found at {CHROMIUM} (apt-get install chromium)",
)


def launch(playwright):
    """Launch Debian's Chromium headless with the flags that work in containers."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class GuardedPage:
    """A playwright page plus the problems seen on it (see module docstring)."""

    def __init__(self, page):
        self.page = page
        self.allowed: str | None = None
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.allow_prefix: str | None = None
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught exception: {exc}"))
        page.on("dialog", self._on_dialog)

    def _on_request(self, request) -> None:
        url = request.url
        self.requests.append(url)
        if url.startswith(("data:", "blob:")):
            return
        if self.allowed is None:
            self.problems.append(f"request before goto: {url}")
            return
        if self.allowed.startswith("file:"):
            ok = url.split("#")[0] == self.allowed or (self.allow_prefix and url.startswith(self.allow_prefix))
        else:
            ok = _origin(url) == _origin(self.allowed)
        if not ok:
            self.problems.append(f"request not to the page itself: {url}")

    def _on_console(self, msg) -> None:
        self.console.append(f"{msg.type}: {msg.text}")
        if msg.type in ("error", "assert"):
            self.problems.append(f"console {msg.type}: {msg.text}")

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        self.problems.append(f"dialog opened ({dialog.type}): {dialog.message}")
        dialog.dismiss()

    def goto(self, target: str | os.PathLike, *, allow_prefix: str | os.PathLike | None = None, wait_ready: bool = True):
        """Open a file path or URL; only it (and, for file pages, files under ``allow_prefix``) may be requested."""
        if isinstance(target, os.PathLike) or not str(target).startswith(("file:", "http:", "https:")):
            url = Path(target).resolve().as_uri()
        else:
            url = str(target)
        self.allowed = url.split("#")[0]
        if allow_prefix is not None:
            self.allow_prefix = Path(allow_prefix).resolve().as_uri().rstrip("/") + "/"
        self.page.goto(url, wait_until="load")
        if wait_ready:
            # a function, not an expression string: strings are eval'ed, which a strict CSP refuses
            self.page.wait_for_function(
                "() => { const m = document.getElementById('map'); return m === null || m.dataset.ready === 'true'; }",
                timeout=15_000)
        return self.page

    def screenshot(self, name: str, *, full_page: bool = False) -> Path:
        """Save a screenshot under tests/artifacts/ (git-ignored) for a person to look at."""
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def check(self) -> None:
        """Fail the test now if anything forbidden happened."""
        if self.problems:
            pytest.fail("browser problems:\n  " + "\n  ".join(self.problems), pytrace=False)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the whole test module."""
    required = bool(os.environ.get("PARTNERNET_REQUIRE_BROWSER"))
    if not Path(CHROMIUM).exists():
        message = f"real-browser test: Chromium not found at {CHROMIUM}"
        pytest.fail(message) if required else pytest.skip(message)
    if required:
        import playwright.sync_api as sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as p:
        b = launch(p)
        try:
            yield b
        finally:
            b.close()


@contextlib.contextmanager
def open_guarded_page(browser, *, offline: bool = True, viewport=(1400, 900)) -> Iterator[GuardedPage]:
    """A fresh page in its own browser context (offline unless a local server is needed)."""
    context = browser.new_context(offline=offline, viewport={"width": viewport[0], "height": viewport[1]},
                                  accept_downloads=True, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    guarded = GuardedPage(page)
    try:
        yield guarded
    finally:
        context.close()


@pytest.fixture
def guarded_page(browser):
    """A fresh offline page that fails the test on forbidden behaviour (checked after the test)."""
    with open_guarded_page(browser) as guarded:
        yield guarded
    guarded.check()
