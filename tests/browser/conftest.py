"""Real-browser tests: Playwright's sync API driving the system's headless Chromium against ``live_server``.

Nothing is downloaded: the browser is Debian's ``/usr/bin/chromium`` (``CHROMIUM_PATH`` overrides it) and
axe-core comes bundled with ``axe-playwright-python``. Without them these tests skip with the reason, except
under CI (the ``CI`` environment variable set), where a missing browser is a failure, not a skip.
"""

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The WCAG 2.0, 2.1 and 2.2 A and AA rules of axe-core.
WCAG_22_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def pytest_configure(config):
    # Also listed in pyproject.toml; registering here keeps --strict-markers happy either way.
    config.addinivalue_line("markers", "browser: drives a real headless Chromium against live_server")


def _missing_browser_reason():
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"Playwright or axe-playwright-python is not installed ({error}); see requirements-dev.txt."
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)) and not shutil.which(
        CHROMIUM_PATH
    ):
        return f"No Chromium at {CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)."
    return None


def _skip_or_fail(reason):
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module.

    Playwright's sync API leaves its event loop marked as running in the test thread, and Django refuses
    ORM calls from such a thread unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` says it is deliberate (here the test
    database is only touched between browser steps). Module scope stops the loop, and unsets the variable,
    before the rest of the suite runs (``manage.py check --deploy`` rightly refuses the variable).
    """
    reason = _missing_browser_reason()
    if reason:
        _skip_or_fail(reason)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
            except Exception as error:  # a browser that will not start is a missing browser
                _skip_or_fail(f"Chromium at {CHROMIUM_PATH} did not start: {error}")
            yield browser
            browser.close()


@dataclass
class Traffic:
    """Every request a page made and every console error it logged."""

    requests: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)

    def foreign_requests(self, *, host):
        return [
            url for url in self.requests if urlsplit(url).scheme != "data" and urlsplit(url).netloc != host
        ]

    def csp_errors(self):
        return [text for text in self.console_errors if "Content Security Policy" in text]


@pytest.fixture
def traffic():
    return Traffic()


@pytest.fixture
def page(chromium, live_server, traffic):
    """A fresh browser tab (own cookies) whose requests and console errors are recorded in ``traffic``."""
    context = chromium.new_context(base_url=live_server.url, accept_downloads=True, locale="en-GB")
    tab = context.new_page()
    tab.on("request", lambda request: traffic.requests.append(request.url))
    tab.on(
        "console",
        lambda message: traffic.console_errors.append(message.text) if message.type == "error" else None,
    )
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def axe(chromium):
    """``axe(page)``: the page's axe-core results under the WCAG 2.2 A and AA rules; ``axe(page,
    context=".selector")`` those of one part of it."""
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()
    return lambda tab, context=None: runner.run(tab, context=context, options=WCAG_22_AA)


@pytest.fixture
def expect(chromium):
    """Playwright's auto-waiting assertions (imported here so that a missing Playwright skips, not errors)."""
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def live_host(live_server):
    return urlsplit(live_server.url).netloc
