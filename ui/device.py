"""The device choice in the sidebar (auto picks cuda, then mps, then cpu) and its badge."""

from __future__ import annotations

import streamlit as st
import torch

from models.runtime import pick_device


def available_devices() -> list[str]:
    """'auto' plus every device this machine actually has."""
    devices = ["auto", "cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def device_choice(key: str = "device") -> str:
    """Sidebar override of the device; returns the concrete device to use."""
    choice = st.sidebar.selectbox("Device", available_devices(), key=key,
                                  help="auto = cuda, then mps, then cpu")
    device = pick_device(choice)
    st.sidebar.caption(f"Running on **{device}**" + (" (no GPU on this machine)" if device == "cpu" else ""))
    return device
