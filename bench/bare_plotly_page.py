"""The yardstick of bench/first_paint.py: a bare Streamlit page with one plotly chart as large as the
tree (its points and height come from the environment), and nothing else."""

import os

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
points = int(os.environ.get("BARE_POINTS", "40"))
figure = go.Figure(go.Scatter(x=list(range(points)), y=[i % 7 for i in range(points)], mode="markers+text",
                              text=[f"node {i}" for i in range(points)]))
figure.update_layout(height=int(os.environ.get("BARE_HEIGHT", "700")))
st.plotly_chart(figure)
