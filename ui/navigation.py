"""The sidebar's page list: the family tree first, then every script in pages/ in Streamlit's order,
read from the folder, so a new page appears without editing this. Streamlit's own list is turned off
(`client.showSidebarNavigation = false`) because it can only call the home page "app". Below the
links, the language switch; each link's label is the page's name in the session's language (the
page's own `t("Name")` in its title is the catalogue key)."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from ui.i18n import language_switch, t
from ui.lesson import apply_hiding
from ui.presenter import presenter_mode

ROOT = Path(__file__).resolve().parents[1]
HOME, HOME_ICON = "app.py", ":material/account_tree:"


def page_files() -> list[str]:
    """pages/*.py relative to the app's root, by their number prefix, then by name (as Streamlit orders them)."""
    def order(path: Path) -> tuple[float, str]:
        number = re.match(r"\d+", path.name)
        return (int(number.group()) if number else float("inf"), path.name)

    return [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "pages").glob("*.py"), key=order)]


def page_name(page: str) -> str:
    """The name Streamlit gives a page file: 'pages/1_Inspect.py' → 'Inspect'."""
    return re.sub(r"^\d+_", "", Path(page).stem).replace("_", " ")


def sidebar_navigation() -> None:
    """Links to the family tree and every page, then the language switch, at the top of the sidebar
    (each page calls this once); what a lesson link hides is hidden here, on every page."""
    apply_hiding()
    with st.sidebar:
        st.page_link(HOME, label=t("Family tree"), icon=HOME_ICON)
        for page in page_files():
            st.page_link(page, label=t(page_name(page)))
    language_switch()
    st.sidebar.divider()
    presenter_mode()
