"""Real-browser fixtures: Debian's chromium driven by the pip ``playwright`` package (sync API).

The browser is never downloaded (no ``playwright install``): scripts/test installs Debian's
``chromium`` package and these fixtures launch /usr/bin/chromium directly. Pages are served by
pytest-django's ``live_server`` against the same test database (SQLite or PostgreSQL).
Full-page screenshots land in ``artifacts/screenshots/<database vendor>/``.
"""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = Path(os.environ.get("GONGKAI_ARTIFACTS_DIR", REPO_ROOT / "artifacts"))
CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The live server is on 127.0.0.1; never route it through a proxy from the environment.
    "--no-proxy-server",
]
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an asyncio loop registered on the test thread, and Django's
    # ORM guard then refuses every query made from the test body (fixtures, assertions).
    # Nothing actually runs concurrently on this thread, so the guard is relaxed while the
    # browser is alive and restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch():
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package (scripts/test does).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        # While Playwright's loop is registered on this thread, Django keeps the test body's
        # database connections apart from the thread's usual ones; close them here, or they
        # stay open and PostgreSQL refuses to drop the test database at the end of the run.
        from django.db import connections

        connections.close_all()
        launched.close()


@pytest.fixture
def new_page(browser):
    """Factory for pages in fresh browser contexts (separate cookies), closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        # The page's Date runs on the server's clock, which tests may move (--today, on(day)):
        # chromium has its own, and a date field's limits or a script's "today" would disagree.
        # set_system_time fakes Date only and lets it tick; timers and cookie expiry stay real.
        context.clock.set_system_time(dt.datetime.now(dt.UTC))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshots_dir():
    from django.db import connection

    directory = ARTIFACTS_DIR / "screenshots" / connection.vendor
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def snap(screenshots_dir):
    """``snap(page, "01-login")`` saves a full-page PNG and returns its path."""

    def save(page, name: str) -> Path:
        path = screenshots_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
