"""Compare: 2 to 4 models side by side, the whole zoo on one chart, and a benchmark on this machine.

`/Compare?models=resnet50,vit_b_16,convnext_tiny` deep-links to a comparison; `&view=Zoo` or
`&view=Benchmark` opens that tab; `&device=cuda` picks the benchmark's device.
"""

import streamlit as st

from ui import compare_views as views
from ui import lesson
from ui import zoo_views
from ui.i18n import t
from ui.link_settings import follow_link, link_tabs, mirror
from ui.navigation import sidebar_navigation
from ui.units import COMPUTE_UNITS

st.set_page_config(page_title=t("Compare") + " · " + t("Lineage Explorer"), page_icon=":material/compare_arrows:", layout="wide")
sidebar_navigation()
ids = views.model_selection()
link = zoo_views.link_settings()
follow_link(link)
unit = lesson.place("settings", st.sidebar).radio(t("Compute unit"), COMPUTE_UNITS, key="compare_unit", horizontal=True,
                        help=t("1 multiply-accumulate (MAC) = 2 floating-point operations (FLOPs)"))
settings = zoo_views.bench_settings()
mirror(link)

st.title(t("Compare networks"))
link_box = st.container()  # filled last, when every setting is in the URL
st.page_link("app.py", label=t("Back to the family tree"), icon=":material/account_tree:")
compare_tab, zoo_tab, bench_tab = link_tabs([t(view) for view in zoo_views.VIEWS], zoo_views.VIEWS, "view", param="view")
if compare_tab.open:
    with compare_tab:
        if not views.too_few(ids):
            rows = views.rows_for(ids)
            latency = {i: r.latency_ms for i, r in zoo_views.measured(ids, settings).items()}
            views.comparison_table(rows, unit, latency, zoo_views.settings_label(settings))
            views.compute_charts(rows, unit)
            st.subheader(t("The lineage between them"))
            views.lineage_section(rows)
if zoo_tab.open:
    with zoo_tab:
        zoo_views.zoo_section(ids, unit, settings)
if bench_tab.open:
    with bench_tab:
        zoo_views.bench_section(ids, settings)
lesson.copy_link(link_box, ["picker", "settings"])
