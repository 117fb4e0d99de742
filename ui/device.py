"""The device choice in the sidebar (auto picks cuda, then mps, then cpu) and its badge."""

from __future__ import annotations

import streamlit as st

from models.runtime import available_devices, pick_device
from ui import lesson
from ui.link_settings import LinkSetting


def device_setting(key: str = "device") -> LinkSetting:
    """`?device=auto|cpu|cuda|mps` for the device choice; one this machine lacks falls back to auto."""
    return LinkSetting("device", key, "auto", lambda asked: pick_device(asked) and asked)


def device_choice(key: str = "device") -> str:
    """Sidebar override of the device (hidden with the page's settings); returns the concrete device to use."""
    choice = lesson.place("settings", st.sidebar).selectbox("Device", ["auto", *sorted(available_devices())], key=key,
                                  help="auto = cuda, then mps, then cpu")
    device = pick_device(choice)
    st.sidebar.caption(f"Running on **{device}**" + (" (no GPU on this machine)" if device == "cpu" else ""))
    return device
