"""Browser tests: the real app on 127.0.0.1 and Debian's Chromium driven by Playwright.

The app is the ``app`` fixture of tests/conftest.py (on the databases in BROWSER_BACKENDS),
served by werkzeug in a thread on a free port. Chromium starts once for the package; each test
gets fresh browser contexts (no cookies, no cache) from ``browse``.
Every request any page makes is recorded, and each test ends by checking that none of them
left the app's own origin (no CDN, no web font, no analytics).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000  # the longest any single wait may take; a healthy page answers in ms
# Like the rest of the suite, on both databases (about 3 minutes for both on two cores).
BROWSER_BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BROWSER_BACKENDS)
def backend(request) -> str:
    """Overrides tests/conftest.py's ``backend`` for the browser tests."""
    return request.param


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Chromium, launched once for all of tests/browser (never skipped: a missing browser fails).

    Not for the whole session: a sync Playwright left running keeps its event loop, and every
    later ``sync_playwright()`` (other packages' browser tests) would refuse to start."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Run scripts/test, which installs it (apt-get install chromium).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class LiveServer:
    url: str  # http://127.0.0.1:PORT, no trailing slash


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    """The test app served for real on 127.0.0.1 and a free port, for the length of a test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@dataclass
class Browsing:
    """Fresh browser contexts for one test, with every request and script error recorded."""

    browser: Browser
    origin: str
    requests: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)

    def new_context(self, javascript: bool = True, locale: str = "en-GB") -> BrowserContext:
        """A new context, as if on another device: no cookies, no storage, no cache."""
        context = self.browser.new_context(
            base_url=self.origin,
            java_script_enabled=javascript,
            locale=locale,
            viewport={"width": 1100, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("weberror", lambda error: self.script_errors.append(str(error.error)))
        context.on("console", self._console)
        self.contexts.append(context)
        return context

    def new_page(self, javascript: bool = True, locale: str = "en-GB") -> Page:
        """A page in a new context."""
        return self.new_context(javascript, locale).new_page()

    def _console(self, message) -> None:
        # A 422 or 404 page is expected in some tests; Chromium logs it as a failed "resource".
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.script_errors.append(message.text)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def assert_only_own_origin(requests: list[str], origin: str) -> None:
    """Every request went to the app itself: no other host, no CDN, no font, no tracker."""
    own = urlsplit(origin)
    foreign = [
        url
        for url in requests
        if not url.startswith(("data:", "blob:", "about:"))
        and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
    ]
    assert not foreign, f"pages asked other hosts than {origin}: {foreign}"


@pytest.fixture
def browse(browser, live_server) -> Iterator[Browsing]:
    """Open contexts with ``browse.new_page()``; at the end, check where the pages went."""
    browsing = Browsing(browser, live_server.url)
    yield browsing
    browsing.close()
    assert browsing.requests, "no page was opened"
    assert_only_own_origin(browsing.requests, live_server.url)
    assert not browsing.script_errors, f"script errors in the pages: {browsing.script_errors}"
