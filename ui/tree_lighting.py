"""Light a clicked network's edges (or a clicked edge's line) in the browser, as a selection made
elsewhere is lit in the figure, without sending a new figure, and once the click's script run has
ended: the details panel comes as fast as before, the lit lines just after.

The figure has every edge in its kind's trace, with its key ("source>target") on each point, and
names the highlight's edges in `layout.meta`; on plotly's selection events the lit trace is
refilled with those and the clicked one's, the rule of `lineage.figure.lit_edges`.
"""

from __future__ import annotations

import json

import streamlit as st

from lineage.figure import ARROW_SIZE, EDGE_KEY_SEPARATOR, LIT_TRACE

SETTLE_MS = 250  # after a click's run ends, time for the browser to draw the details panel before the redraw
# Each tree chart plotly draws (a new figure can mean a new chart element) is hooked once, when first pressed.
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
      if (index === lit || trace.mode !== 'lines' || !trace.customdata) return;
      trace.customdata.forEach((edge, i) => {{  // an edge's points, then a null; its arrow at the last point
        if (!wanted(edge)) return;
        const tip = trace.x[i] !== null && trace.x[i + 1] === null;
        x.push(trace.x[i]); y.push(trace.y[i]); size.push(tip ? {arrow_size} : 0); keys.push(edge);
      }});
    }});
    if (lit >= 0) window.Plotly.restyle(gd, {{x: [x], y: [y], 'marker.size': [size], customdata: [keys]}}, [lit]);
  }};
  const keyOf = event => {{
    const data = event && event.points && event.points.length ? event.points[0].customdata : null;
    return Array.isArray(data) ? data[0] : (typeof data === 'string' ? data : null);
  }};
  // Relighting makes plotly redraw the whole chart (~150 ms of the page's thread on 2 busy cores):
  // it waits for the click's script run to end and the panel to be drawn, so the panel comes as
  // fast as without it and the lines light up just after (a click with no run waits 2 s).
  const afterRun = action => {{
    const app = document.querySelector('[data-testid="stApp"]');
    let started = false, fallback = null;
    const watch = new MutationObserver(() => {{
      if (app.getAttribute('data-test-script-state') === 'running') started = true;
      else if (started) {{ watch.disconnect(); clearTimeout(fallback); setTimeout(action, {settle_ms}); }}
    }});
    watch.observe(app, {{attributes: true, attributeFilter: ['data-test-script-state']}});
    fallback = setTimeout(() => {{ watch.disconnect(); action(); }}, 2000);
  }};
  // A chart is hooked when first pressed (before plotly handles the press): no watching of the page.
  document.addEventListener('pointerdown', event => {{
    const gd = event.target.closest && event.target.closest('.st-key-{key} .js-plotly-plot');
    if (!gd || gd.__treeLit || !gd.on) return;
    gd.__treeLit = true;
    gd.on('plotly_selected', selected => {{ const key = keyOf(selected); afterRun(() => relight(gd, key)); }});
    gd.on('plotly_deselect', () => afterRun(() => relight(gd, null)));
  }}, {{capture: true, passive: true}});
}}
</script>"""


def light_clicked_edges(key: str) -> None:
    """Install (once per page) the browser-side lighting for the tree charts in container `key`."""
    st.html(_SCRIPT.format(key=key, separator=json.dumps(EDGE_KEY_SEPARATOR), lit_name=json.dumps(LIT_TRACE),
                           arrow_size=ARROW_SIZE, settle_ms=SETTLE_MS), unsafe_allow_javascript=True)
