"""The server settings the app depends on (see the comments in .streamlit/config.toml)."""

import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())


def test_no_forced_garbage_collection_after_each_run():
    # With torch loaded a full gc.collect() holds the GIL ~0.2 s after every run, delaying its messages.
    assert CONFIG["runner"]["postScriptGC"] is False


def test_no_file_watcher():
    assert CONFIG["server"]["fileWatcherType"] == "none"


def test_own_sidebar_navigation_and_no_deploy_button():
    # ui/navigation.py lists the pages (Streamlit's own list calls the home page "app").
    assert CONFIG["client"]["showSidebarNavigation"] is False
    assert CONFIG["client"]["toolbarMode"] == "viewer"
