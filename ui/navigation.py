"""The sidebar's page list: the family tree first, then every script in pages/ in Streamlit's order,
read from the folder, so a new page appears without editing this. Streamlit's own list is turned off
(`client.showSidebarNavigation = false`) because it can only call the home page "app"."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from ui.lesson import apply_hiding
from ui.presenter import presenter_mode

ROOT = Path(__file__).resolve().parents[1]
HOME, HOME_LABEL, HOME_ICON = "app.py", "Family tree", ":material/account_tree:"


def page_files() -> list[str]:
    """pages/*.py relative to the app's root, by their number prefix, then by name (as Streamlit orders them)."""
    def order(path: Path) -> tuple[float, str]:
        number = re.match(r"\d+", path.name)
        return (int(number.group()) if number else float("inf"), path.name)

    return [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "pages").glob("*.py"), key=order)]


def sidebar_navigation() -> None:
    """Links to the family tree and every page, at the top of the sidebar (each page calls this once);
    what a lesson link hides is hidden here, on every page."""
    apply_hiding()
    with st.sidebar:
        st.page_link(HOME, label=HOME_LABEL, icon=HOME_ICON)
        for page in page_files():
            st.page_link(page)
        st.divider()
    presenter_mode()
