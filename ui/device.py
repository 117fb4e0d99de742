"""The device choice in the sidebar (auto picks cuda, then mps, then cpu) and its badge."""

from __future__ import annotations

import streamlit as st

from models.runtime import available_devices, pick_device
from ui import lesson
from ui.i18n import t
from ui.link_settings import LinkSetting


def device_setting(key: str = "device") -> LinkSetting:
    """`?device=auto|cpu|cuda|mps` for the device choice; one this machine lacks falls back to auto."""
    return LinkSetting("device", key, "auto", lambda asked: pick_device(asked) and asked)


def device_choice(key: str = "device") -> str:
    """Sidebar override of the device (hidden with the page's settings); returns the concrete device to use."""
    choice = lesson.place("settings", st.sidebar).selectbox(t("Device"), ["auto", *sorted(available_devices())], key=key,
                                  help=t("auto = cuda, then mps, then cpu"))
    device = pick_device(choice)
    st.sidebar.caption(t("Running on **{device}** (no GPU on this machine)", device=device) if device == "cpu"
                       else t("Running on **{device}**", device=device))
    return device
