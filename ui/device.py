"""The device choice in the sidebar (auto picks cuda, then mps, then cpu) and its badge."""

from __future__ import annotations

import streamlit as st

from models.runtime import available_devices, pick_device


def device_choice(key: str = "device") -> str:
    """Sidebar override of the device; returns the concrete device to use."""
    choice = st.sidebar.selectbox("Device", ["auto", *sorted(available_devices())], key=key,
                                  help="auto = cuda, then mps, then cpu")
    device = pick_device(choice)
    st.sidebar.caption(f"Running on **{device}**" + (" (no GPU on this machine)" if device == "cpu" else ""))
    return device
