"""Find and click plotly points by their customdata, the way a user's mouse would."""

from __future__ import annotations

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
    """The chart draws after the script run ends: wait until its markers are on the page."""
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=60_000)


def point_centre(page, customdata: str) -> tuple[float, float]:
    """Page coordinates of the centre of the plotly point carrying `customdata`."""
    wait_for_points(page)
    centre = page.evaluate(_POINT_CENTRE_JS, customdata)
    assert centre, f"no plotly point with customdata {customdata!r}"
    return centre[0], centre[1]


def click_point(page, customdata: str) -> None:
    """Move onto the point's centre, then press and release, like a person clicking."""
    page.mouse.move(*point_centre(page, customdata))
    page.wait_for_timeout(150)
    page.mouse.down()
    page.mouse.up()
