"""Find and click plotly points by their customdata, the way a user's mouse would."""

from __future__ import annotations

VISIBLE_MARGIN_PX = 100  # Streamlit's header bar covers the top of the window
_POINT_CENTRE_JS = """(id) => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const layout = gd._fullLayout;
    if (!layout || !gd.data) continue;
    const box = gd.getBoundingClientRect();
    for (const trace of gd.data) {
      if ((trace.mode || '').includes('lines')) continue;  // an edge's line carries its key on every point
      const index = (trace.customdata || []).findIndex(c => (Array.isArray(c) ? c[0] : c) === id);
      if (index >= 0) {
        return [box.left + layout._size.l + layout.xaxis.l2p(trace.x[index]),
                box.top + layout._size.t + layout.yaxis.l2p(trace.y[index])];
      }
    }
  }
  return null;
}"""


def wait_for_points(page) -> None:
    """The chart draws after the script run ends: wait until a marker with a size is on the page
    (the first `.point` may be an edge's invisible, zero-size one)."""
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer .point')]"
                           ".some(point => point.getBBox().width > 0)", timeout=60_000)


def point_centre(page, customdata: str) -> tuple[float, float]:
    """Viewport coordinates of the centre of the plotly point carrying `customdata`, scrolling the
    page first when the point lies outside the window, as a person would."""
    wait_for_points(page)
    centre = page.evaluate(_POINT_CENTRE_JS, customdata)
    assert centre, f"no plotly point with customdata {customdata!r}"
    height = page.viewport_size["height"]
    visible = f"y => {VISIBLE_MARGIN_PX} < y && y < {height - VISIBLE_MARGIN_PX}"
    if not page.evaluate(f"({visible})({centre[1]})"):
        page.mouse.move(centre[0], height / 2)  # the wheel scrolls whatever is under the mouse
        page.mouse.wheel(0, centre[1] - height / 2)
        page.wait_for_function(f"() => ({visible})(({_POINT_CENTRE_JS})({customdata!r})[1])")
        centre = page.evaluate(_POINT_CENTRE_JS, customdata)
    return centre[0], centre[1]


def click_point(page, customdata: str) -> None:
    """Move onto the point's centre, then press and release, like a person clicking."""
    page.mouse.move(*point_centre(page, customdata))
    page.wait_for_timeout(150)
    page.mouse.down()
    page.mouse.up()


NODE_LABELS = ".js-plotly-plot .scatterlayer .textpoint text"
ALL_LABELS = f"{NODE_LABELS}, .js-plotly-plot .annotation-text"
_LABEL_BOXES_JS = """(selector) => [...document.querySelectorAll(selector)].map(t => {
  const b = t.getBoundingClientRect();
  return {text: t.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom};
})"""
# Measure once fonts are loaded and the chart has stopped moving: two frames in a row give the same
# boxes (a real condition, not a sleep, so a loaded machine only makes it wait longer).
_SETTLED_JS = """async (selector) => {
  await document.fonts.ready;
  const measure = () => JSON.stringify((%s)(selector));
  let last = null;
  for (;;) {
    const now = measure();
    if (now === last && now !== '[]') return JSON.parse(now);
    last = now;
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }
}""" % _LABEL_BOXES_JS


def settled_label_boxes(page, selector: str = ALL_LABELS) -> list[dict]:
    """The labels drawn in the chart (node and edge labels by default), measured once it has settled."""
    wait_for_points(page)
    return page.evaluate(_SETTLED_JS, selector)


def label_overlaps(page) -> tuple[int, list[list[str]]]:
    """(number of labels drawn, pairs of labels whose boxes overlap) in the chart."""
    boxes = settled_label_boxes(page)
    overlaps = [[a["text"], b["text"]] for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if min(a["right"], b["right"]) > max(a["left"], b["left"])
                and min(a["bottom"], b["bottom"]) > max(a["top"], b["top"])]
    return len(boxes), overlaps


_LINES_NEAR_NODES_JS = """([radius, edgeKeys, labels]) => {
  const gd = document.querySelector('.js-plotly-plot'), L = gd._fullLayout, box = gd.getBoundingClientRect();
  const px = (x, y) => [box.left + L._size.l + L.xaxis.l2p(x), box.top + L._size.t + L.yaxis.l2p(y)];
  const nodes = [], lines = {};  // a lit edge is drawn twice: in its kind's trace and lit
  gd.data.forEach((t, trace) => {
    if (t.mode === 'markers+text') t.customdata.forEach((id, i) => nodes.push([id, px(t.x[i], t.y[i])]));
    if ((t.mode || '').includes('lines') && t.customdata) t.x.forEach((x, i) => {
      if (x === null) return;
      const line = `${trace} ${t.customdata[i]}`;
      (lines[line] = lines[line] || []).push(px(x, t.y[i]));
    });
  });
  const found = [];
  const keyOf = line => line.slice(line.indexOf(' ') + 1);
  const drawnKeys = new Set(Object.keys(lines).map(keyOf));
  for (const key of edgeKeys) if (!drawnKeys.has(key)) found.push(['not drawn', key]);
  for (const [line, pts] of Object.entries(lines)) {
    const key = keyOf(line), [u, v] = key.split('>');
    for (let i = 1; i < pts.length; i++) {
      const [a, b] = [pts[i - 1], pts[i]], n = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1])));
      for (let k = 0; k <= n; k++) {
        const p = [a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n];
        for (const [id, c] of nodes)
          if (id !== u && id !== v && Math.hypot(p[0] - c[0], p[1] - c[1]) <= radius) found.push([key, 'near', id]);
        for (const l of labels)
          if (p[0] > l.left + 0.5 && p[0] < l.right - 0.5 && p[1] > l.top + 0.5 && p[1] < l.bottom - 0.5)
            found.push([key, 'crosses', l.text]);
      }
    }
  }
  return [...new Set(found.map(f => f.join(' ')))];
}"""


def lines_near_nodes(page, edge_keys: set[str], radius: float = 13.0) -> list[str]:
    """Lines as drawn (from the chart's own data, in screen px) that come within `radius` px of a
    node they do not connect or pass through a node label as rendered; and edges not drawn at all."""
    labels = settled_label_boxes(page, NODE_LABELS)
    return page.evaluate(_LINES_NEAR_NODES_JS, [radius, sorted(edge_keys), labels])


def swipe(page, start: tuple[float, float], end: tuple[float, float], steps: int = 12) -> None:
    """A real one-finger swipe (CDP touch events; Playwright's touchscreen only taps)."""
    touch = page.context.new_cdp_session(page)
    for i in range(steps + 1):
        point = {"x": start[0] + (end[0] - start[0]) * i / steps, "y": start[1] + (end[1] - start[1]) * i / steps}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove" if i else "touchStart", "touchPoints": [point]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    touch.detach()
