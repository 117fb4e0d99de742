"""End-to-end fixtures: one real Streamlit server per test session and headless Chromium."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from tests.e2e.harness import launch_chromium, streamlit_server


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Base URL of a freshly started server: its own empty caches, downloads off."""
    caches = tmp_path_factory.mktemp("cache")
    env = {"LINEAGE_CACHE_DIR": str(caches), "LINEAGE_OFFLINE": "1", "TORCH_HOME": str(caches / "torch"),
           "HF_HUB_CACHE": str(caches / "huggingface")}
    with streamlit_server(tmp_path_factory.mktemp("server") / "streamlit.log", env) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@contextmanager
def _tab(browser, **options):
    context = browser.new_context(**options)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


@pytest.fixture
def page(browser):
    """A 1280×800 tab in a fresh browser context."""
    with _tab(browser, viewport={"width": 1280, "height": 800}) as tab:
        yield tab


@pytest.fixture
def phone(browser):
    """A phone: a 412×915 tab with a touch screen, in a fresh browser context."""
    with _tab(browser, viewport={"width": 412, "height": 915}, has_touch=True, is_mobile=True) as tab:
        yield tab
