"""Find and click plotly points by their customdata, the way a user's mouse would."""

from __future__ import annotations

VISIBLE_MARGIN_PX = 100  # Streamlit's header bar covers the top of the window
_POINT_CENTRE_JS = """(id) => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const layout = gd._fullLayout;
    if (!layout || !gd.data) continue;
    const box = gd.getBoundingClientRect();
    for (const trace of gd.data) {
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
    """The chart draws after the script run ends: wait until its node labels are on the page (the
    first `.point` may be an edge's invisible, zero-size one)."""
    page.wait_for_selector(".js-plotly-plot .scatterlayer .textpoint text", timeout=60_000)


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


_LABEL_OVERLAPS_JS = """() => {
  const boxes = [...document.querySelectorAll('.js-plotly-plot .scatterlayer .textpoint text')].map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom};
  });
  const overlaps = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top))
      overlaps.push([a.text, b.text]);
  }));
  return {labels: boxes.length, overlaps};
}"""


def label_overlaps(page) -> tuple[int, list[list[str]]]:
    """(number of node labels drawn, pairs of labels whose boxes overlap) in the chart."""
    wait_for_points(page)
    found = page.evaluate(_LABEL_OVERLAPS_JS)
    return found["labels"], found["overlaps"]
