"""Light a clicked network's edges (or a clicked edge's line) in the browser, as a selection made
elsewhere is lit in the figure, without sending a new figure: a click stays as fast as before.

The figure has every edge in its kind's trace, with its key ("source>target") on each point, and
names the highlight's edges in `layout.meta`; on plotly's selection events the lit trace is
refilled with those and the clicked one's, the rule of `lineage.figure.lit_edges`.
"""

from __future__ import annotations

import json

import streamlit as st

from lineage.figure import EDGE_KEY_SEPARATOR, LIT_TRACE

# Each tree chart plotly draws (a new figure can mean a new chart element) is hooked once.
_SCRIPT = """<script>
if (!window.__treeLighting) {{
  window.__treeLighting = true;
  const sep = {separator}, litName = {lit_name};
  const relight = (gd, key) => {{
    const lit = gd.data.findIndex(trace => trace.name === litName);
    const keep = new Set((gd.layout.meta || {{}}).highlight_edges || []);
    const wanted = edge => keep.has(edge) || (key !== null && (edge === key || (!key.includes(sep)
      && (edge.startsWith(key + sep) || edge.endsWith(sep + key)))));
    const x = [], y = [], size = [], keys = [];
    gd.data.forEach((trace, index) => {{
      if (index === lit || trace.mode !== 'lines+markers' || !trace.customdata) return;
      trace.customdata.forEach((edge, i) => {{
        if (wanted(edge)) {{ x.push(trace.x[i]); y.push(trace.y[i]); size.push(trace.marker.size[i]); keys.push(edge); }}
      }});
    }});
    if (lit >= 0) window.Plotly.restyle(gd, {{x: [x], y: [y], 'marker.size': [size], customdata: [keys]}}, [lit]);
  }};
  const keyOf = event => {{
    const data = event && event.points && event.points.length ? event.points[0].customdata : null;
    return Array.isArray(data) ? data[0] : (typeof data === 'string' ? data : null);
  }};
  const hook = () => {{
    for (const gd of document.querySelectorAll('.st-key-{key} .js-plotly-plot')) {{
      if (gd.__treeLit || !gd.on) continue;
      gd.__treeLit = true;
      gd.on('plotly_selected', event => relight(gd, keyOf(event)));
      gd.on('plotly_deselect', () => relight(gd, null));
    }}
  }};
  new MutationObserver(hook).observe(document.body, {{childList: true, subtree: true}});
  hook();
}}
</script>"""


def light_clicked_edges(key: str) -> None:
    """Install (once per page) the browser-side lighting for the tree charts in container `key`."""
    st.html(_SCRIPT.format(key=key, separator=json.dumps(EDGE_KEY_SEPARATOR), lit_name=json.dumps(LIT_TRACE)),
            unsafe_allow_javascript=True)
